"""The admin's change pages show a translated text's columns as one tab per language."""

from django.forms import Script
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationAdmin


class LanguageTabsAdmin(TranslationAdmin):
    """modeltranslation's tabs (jQuery UI, served by the site: settings.JQUERY_UI_URL), with
    the corrections the accessibility tests ask of them, which run after the tabs' script."""

    class Media:
        js = [
            *TabbedTranslationAdmin.Media.js,
            Script("js/admin-language-tabs.js", **{"data-switch-label": _("Language")}),
        ]
        css = TabbedTranslationAdmin.Media.css
