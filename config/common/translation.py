"""Content stored in several languages, one column per language.

A model declares `name = TranslatedCharField(...)` (or TranslatedTextField) and registers
`name` in its app's translation.py; django-modeltranslation then adds the columns `name_en`,
`name_es`... and reads `obj.name` in the active language, falling back to English when that
column is empty (settings.MODELTRANSLATION_FALLBACK_LANGUAGES), so the public never meets an
empty field.
"""

from django.conf import settings
from django.db import models
from modeltranslation.fields import TranslationField
from modeltranslation.utils import get_language

SOURCE_LANGUAGE = "en"


def content_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


class Translated:
    """A translated field that has no column of its own: only its languages' columns
    (`name_en`, `name_es`...) hold text, so nothing is stored twice. Private, like a generic
    foreign key: migrations, forms and the archive see the columns alone."""

    def is_column(self) -> bool:
        # modeltranslation makes each language's column as a copy of this field.
        return isinstance(self, TranslationField)

    def contribute_to_class(self, cls, name, private_only=False):
        super().contribute_to_class(cls, name, private_only=private_only or not self.is_column())

    def get_attname_column(self):
        attname, column = super().get_attname_column()
        return attname, column if self.is_column() else None

    def clean(self, value, model_instance):
        # Its text is one of its columns', which are validated each under its own name.
        return super().clean(value, model_instance) if self.is_column() else value

    def deconstruct(self):
        # The migrations know each language's column as the plain field it is.
        name, _path, args, kwargs = super().deconstruct()
        base = next(
            cls for cls in type(self).__mro__ if cls.__module__.startswith("django.db.models")
        )
        return name, f"django.db.models.{base.__name__}", args, kwargs


class TranslatedCharField(Translated, models.CharField):
    pass


class TranslatedTextField(Translated, models.TextField):
    pass


def column_options(help_texts: dict | None = None, **labels: tuple[str, ...]) -> dict:
    """modeltranslation's `field_options` for fields given with one label per language of
    settings.LANGUAGES, e.g. name=(_("name (English)"), _("name (Spanish)")...): each column
    keeps its own label, is optional but in English, and is never NULL (empty is ""). A help
    text (`help_texts`, by field) goes under the English column alone."""
    help_texts = help_texts or {}
    return {
        field: {
            language: {
                "verbose_name": label,
                "null": False,
                "help_text": help_texts.get(field, "") if language == SOURCE_LANGUAGE else "",
                **({} if language == SOURCE_LANGUAGE else {"blank": True}),
            }
            for language, label in zip(content_languages(), field_labels, strict=True)
        }
        for field, field_labels in labels.items()
    }


def missing_translations(obj: object, field: str) -> list[str]:
    """The languages whose column is empty while the English one is not (shown to staff)."""
    if not getattr(obj, f"{field}_{SOURCE_LANGUAGE}"):
        return []
    return [
        language
        for language in content_languages()
        if language != SOURCE_LANGUAGE and not getattr(obj, f"{field}_{language}")
    ]


def shown_language(obj: object, field: str) -> str:
    """The language of the text `obj.<field>` shows now (English when it falls back)."""
    language = get_language()
    return language if getattr(obj, f"{field}_{language}", "") else SOURCE_LANGUAGE
