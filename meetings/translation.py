"""The texts of a meeting and of its rounds in every language of settings.LANGUAGES
(django-modeltranslation adds their columns, title_en, title_es...)."""

from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import TranslationOptions, register

from config.common.translation import column_options
from meetings.models import AgendaItem, Delegation, Intervention, Meeting, Round

TITLE = (_("title (English)"), _("title (Spanish)"), _("title (French)"), _("title (Portuguese)"))


@register(Meeting)
class MeetingTranslation(TranslationOptions):
    fields = ("title", "venue", "chair", "concept_note")
    field_options = column_options(
        help_texts={"chair": _("Who chairs and moderates.")},
        title=TITLE,
        venue=(
            _("venue (English)"),
            _("venue (Spanish)"),
            _("venue (French)"),
            _("venue (Portuguese)"),
        ),
        chair=(
            _("chair (English)"),
            _("chair (Spanish)"),
            _("chair (French)"),
            _("chair (Portuguese)"),
        ),
        concept_note=(
            _("concept note (English)"),
            _("concept note (Spanish)"),
            _("concept note (French)"),
            _("concept note (Portuguese)"),
        ),
    )


@register(Round)
class RoundTranslation(TranslationOptions):
    fields = ("title", "question")
    field_options = column_options(
        title=TITLE,
        question=(
            _("question (English)"),
            _("question (Spanish)"),
            _("question (French)"),
            _("question (Portuguese)"),
        ),
    )


@register(AgendaItem)
class AgendaItemTranslation(TranslationOptions):
    fields = ("title",)
    field_options = column_options(title=TITLE)


@register(Delegation)
class DelegationTranslation(TranslationOptions):
    fields = ("name",)
    field_options = column_options(
        name=(_("name (English)"), _("name (Spanish)"), _("name (French)"), _("name (Portuguese)"))
    )


@register(Intervention)
class InterventionTranslation(TranslationOptions):
    fields = ("speaker",)
    field_options = column_options(
        speaker=(
            _("speaker (English)"),
            _("speaker (Spanish)"),
            _("speaker (French)"),
            _("speaker (Portuguese)"),
        )
    )
