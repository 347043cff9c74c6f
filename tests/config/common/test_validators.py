"""One-line fields (names, titles, venues, acronyms...) refuse what would break or disguise them."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from modeltranslation.fields import TranslationField

from config.common.translation import TranslatedCharField
from config.common.validators import validate_one_line

MESSAGE = "Write this on one line"
REFUSED = [
    "\n",
    "\r",
    "\r\n",
    "\v",
    "\f",
    "\x85",
    "\u2028",
    "\u2029",
    *(chr(code) for code in range(0x202A, 0x202F)),  # bidi embeddings and overrides
    *(chr(code) for code in range(0x2066, 0x206A)),  # bidi isolates
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
]


@pytest.mark.parametrize("char", REFUSED)
def test_a_line_break_bidi_control_or_invisible_character_is_refused(char):
    with pytest.raises(ValidationError, match=MESSAGE) as refused:
        validate_one_line(f"Ana{char}Pérez")
    assert refused.value.code == "not_one_line"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Ana Pérez",
        "Embajadora María-José O'Neil",
        "São Tomé\u00a0e Príncipe",
        "CRM / RCM",
        "\t",
    ],
)
def test_ordinary_names_pass(text):
    validate_one_line(text)


# Character fields that are not one line of free text, and why.
NOT_ONE_LINE_TEXT = {
    "meetings.Meeting.time_zone": "an IANA name, checked against the list",
    "meetings.Email.language": "written by the application",
    "meetings.Email.subject": "written by the application from checked fields",
    "meetings.MeetingLog.action": "written by the application",
    "mechanisms.MemberState.code": "two capital letters (its own validator)",
    "mechanisms.MemberState.alpha3": "three capital letters (its own validator)",
    "mechanisms.SeedRecord.key": "written by the seed loader",
    "mechanisms.SeedRecord.fingerprint": "a digest written by the seed loader",
    "meetings.Meeting.reminder_days": "days and commas only (its own validator)",
}


def plain_char_column(field) -> bool:
    # A language's column of a translated text (name_es...) is of its text's kind.
    kind = type(field.translated_field) if isinstance(field, TranslationField) else type(field)
    return field.concrete and kind in (models.CharField, TranslatedCharField)


def free_text_char_fields():
    for app in ("meetings", "mechanisms"):
        for model in apps.get_app_config(app).get_models():
            for field in model._meta.get_fields():
                # Subclasses (slug, email, URL) have validators of their own; choices are checked.
                if plain_char_column(field) and field.editable and not field.choices:
                    yield f"{app}.{model.__name__}.{field.name}", field


def test_every_one_line_field_of_both_apps_refuses_what_breaks_a_line():
    fields = dict(free_text_char_fields())
    assert set(NOT_ONE_LINE_TEXT) <= set(fields), "an exemption names a field that is gone"
    missing = [
        name
        for name, field in fields.items()
        if name not in NOT_ONE_LINE_TEXT and validate_one_line not in field.validators
    ]
    assert missing == []
    assert len(fields) - len(NOT_ONE_LINE_TEXT) == 74
