"""The record as JSON: build_record's dictionary, read back whole; the README names each key."""

import json
import re

import pytest
from django.conf import settings

from meetings.outputs.record import build_record
from meetings.outputs.record_json import to_json

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("internal", [True, False])
def test_json_round_trips_to_the_record(demo, internal):
    record = build_record(demo, internal=internal)
    loaded = json.loads(to_json(record))
    assert loaded == record
    assert loaded["schema"] == "cam-meetings/record/2"
    assert len(loaded["panel"]) == 6


def test_json_of_the_small_meeting_keeps_accents_as_text(small):
    record = build_record(small["meeting"], internal=True)
    text = to_json(record)
    assert json.loads(text) == record
    assert '"name": "Ana Pérez"' in text
    assert '"schema": "cam-meetings/record/2"' in text


def readme_schema() -> dict[str, set[str]]:
    """The keys the README's table of the record's JSON names: the top level's from its first
    column, each part's from the {…} its description opens with."""
    text = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## The record's JSON") :]
    section = section[: section.index("\n## ", 1)]
    schema: dict[str, set[str]] = {"": set()}
    for row in re.findall(r"^\| (`.+?`) \| (.+) \|$", section, re.MULTILINE):
        keys = re.findall(r"`([^`]+)`", row[0])
        schema[""].update(key for key in keys if "[" not in key)
        listed = re.match(r"`\[?\{([^}]*)\}\]?`", row[1])
        if listed:
            schema[keys[0]] = {key.strip().rstrip("?") for key in listed.group(1).split(",")}
    return schema


def test_the_readme_names_every_key_of_the_json_and_no_other(whole):
    record = build_record(whole["meeting"], internal=True)
    dialogue = record["agenda"][2]
    assert readme_schema() == {
        "": set(record),
        "meeting": set(record["meeting"]),
        "mechanisms": set(record["mechanisms"][0]),
        "panel": set(record["panel"][0]),
        "rounds": set(record["rounds"][0]),
        "rounds[].entries": set(record["rounds"][0]["entries"][0]),  # notes included
        "agenda": set(dialogue),
        "agenda[].interventions": set(dialogue["interventions"][0]),  # notes included
        "delegations": set(record["delegations"][0]),
    }
