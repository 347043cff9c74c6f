"""The texts of the directory in every language of settings.LANGUAGES (django-modeltranslation
adds their columns, name_en, name_es...)."""

from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import TranslationOptions, register

from config.common.translation import column_options
from mechanisms.models import Mechanism, MemberState, Organisation

NAME = (_("name (English)"), _("name (Spanish)"), _("name (French)"), _("name (Portuguese)"))
ACRONYM = (
    _("acronym (English)"),
    _("acronym (Spanish)"),
    _("acronym (French)"),
    _("acronym (Portuguese)"),
)


@register(MemberState)
class MemberStateTranslation(TranslationOptions):
    fields = ("name", "status_note", "delegation")
    field_options = column_options(
        name=NAME,
        delegation=(
            _("delegation's name (English)"),
            _("delegation's name (Spanish)"),
            _("delegation's name (French)"),
            _("delegation's name (Portuguese)"),
        ),
        status_note=(
            _("status note (English)"),
            _("status note (Spanish)"),
            _("status note (French)"),
            _("status note (Portuguese)"),
        ),
    )


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("acronym", "name")
    field_options = column_options(acronym=ACRONYM, name=NAME)


@register(Mechanism)
class MechanismTranslation(TranslationOptions):
    fields = (
        "acronym",
        "name",
        "other_name",
        "founding_instrument",
        "predecessor_name",
        "membership_note",
        "description",
    )
    field_options = column_options(
        acronym=ACRONYM,
        name=NAME,
        other_name=(
            _("other name (English)"),
            _("other name (Spanish)"),
            _("other name (French)"),
            _("other name (Portuguese)"),
        ),
        founding_instrument=(
            _("founding instrument (English)"),
            _("founding instrument (Spanish)"),
            _("founding instrument (French)"),
            _("founding instrument (Portuguese)"),
        ),
        predecessor_name=(
            _("predecessor (English)"),
            _("predecessor (Spanish)"),
            _("predecessor (French)"),
            _("predecessor (Portuguese)"),
        ),
        membership_note=(
            _("membership (English)"),
            _("membership (Spanish)"),
            _("membership (French)"),
            _("membership (Portuguese)"),
        ),
        description=(
            _("description (English)"),
            _("description (Spanish)"),
            _("description (French)"),
            _("description (Portuguese)"),
        ),
    )
