"""Content stored in several languages, one column per language.

A model declares `name_en`, `name_es`... as ordinary fields, and `name =
Translated()` to read the column of the active language, falling back to
English when that column is empty, so the public never meets an empty field.
"""

from django.conf import settings
from django.utils.translation import get_language

SOURCE_LANGUAGE = "en"


def content_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def active_language() -> str:
    language = (get_language() or SOURCE_LANGUAGE).split("-")[0]
    return language if language in content_languages() else SOURCE_LANGUAGE


def translated_value(obj: object, field: str, language: str | None = None) -> str:
    value = getattr(obj, f"{field}_{language or active_language()}", "")
    return value or getattr(obj, f"{field}_{SOURCE_LANGUAGE}")


def translated_fields(field: str) -> list[str]:
    """Column names of one translated field, e.g. ["name_en", "name_es"]."""
    return [f"{field}_{language}" for language in content_languages()]


class Translated:
    """Descriptor: `obj.name` is `obj.name_<active language>` or the English text."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.field = name

    def __get__(self, obj: object, objtype: type | None = None):
        if obj is None:
            return self
        return translated_value(obj, self.field)


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
    language = active_language()
    return language if getattr(obj, f"{field}_{language}", "") else SOURCE_LANGUAGE
