"""Django's own strings that its Spanish or Portuguese catalogue lacks, for our catalogue.

Django 6.1 shows these on our pages (a form's empty choice, the admin's changelist, the admin
index, the user form), but its `es` or `pt` catalogue has no translation for them, so a Spanish
or Portuguese speaker would meet them in English. Marking the exact msgids here puts them in
`locale/*/LC_MESSAGES/django.po` at the next `makemessages`; our catalogues (LOCALE_PATHS) come
before Django's, so our translation is the one shown. Nothing imports this module: it exists
for `makemessages` only. When Django's catalogues have them, the entries can go.

Each msgid must stay exactly as Django writes it (none of them has a context), or nothing
matches: check with `grep -rn "<msgid>" .venv/lib/python3.*/site-packages/django`.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

# django/utils/dates.py MONTHS: the full month names, written by "F" in the date formats
# (DATE_FORMAT of es, fr and pt). Django's pt catalogue capitalises them ("17 de Maio de 2022");
# Portuguese writes month names in lowercase ("17 de maio de 2022"), as Spanish and French do.
# Translate them in lowercase in every catalogue.
MONTH_NAMES = (
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
)

DJANGO_STRINGS = (
    # django/db/models/fields/__init__.py BLANK_CHOICE_LABEL: the empty choice of a <select>
    # (meeting form, panelist form, every admin form with a choice). Missing in es and pt.
    gettext_noop("- Select an option -"),
    # django/contrib/admin/templates/admin/actions.html: the button of the changelist's
    # actions. Missing in es.
    gettext_noop("Run"),
    # django/contrib/admin/templates/admin/date_hierarchy.html: the label of the date
    # hierarchy (meetings, log entries). Missing in es and pt.
    gettext_noop("Filter by %(field_name)s"),
    # django/contrib/admin/templates/admin/app_list.html: the link to a model's changelist on
    # the admin index. Translated as "View" (English) in pt.
    gettext_noop("View"),
    # django/contrib/auth/forms.py: help texts of the admin's user forms. Missing in pt.
    gettext_noop("Raw passwords are not stored, so there is no way to see the user’s password."),
    gettext_noop(
        "Whether the user will be able to authenticate using a password or not. If disabled, "
        "they may still be able to authenticate using other backends, such as Single Sign-On "
        "or LDAP."
    ),
)

# django/contrib/auth/forms.py and password_validation.py: the labels, help texts and errors of
# the password reset and change forms (templates/accounts/). Django's pt catalogue writes
# European Portuguese ("palavra-passe"); ours is Brazilian ("senha").
PASSWORD_FORMS = (
    gettext_noop("Old password"),
    gettext_noop("New password"),
    gettext_noop("New password confirmation"),
    gettext_noop("Enter the same password as before, for verification."),
    gettext_noop("Your old password was entered incorrectly. Please enter it again."),
    gettext_noop("The two password fields didn’t match."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("This password is too common."),
    gettext_noop("This password is entirely numeric."),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
)
