"""The archive's rows as the export writes them: what Django's serialiser makes of each row,
its references by natural key (a slug, a state's code, a username, a round's number), a
panelist by id; the round trip is tested with the import (tests/meetings/services)."""

import datetime as dt

import pytest
from django.core import serializers

from mechanisms.models import Organisation
from meetings.models import RevisedText, Round, Turn
from meetings.outputs.archive import archived_fields, export_meeting, rows
from meetings.services.revisions import save_text
from tests.factories import make_mechanism, make_meeting, make_panelist, make_state, make_user

pytestmark = pytest.mark.django_db


def test_a_row_is_the_serialisers_with_its_dates_in_iso_8601():
    meeting = make_meeting(slug="rows")
    round_ = meeting.rounds.get(number=1)
    (serialised,) = serializers.serialize("python", [round_])
    (row,) = rows(Round, [round_])

    assert set(row) == set(serialised["fields"]) - {"meeting"}  # its place says its meeting
    assert {name: row[name] for name in ("number", "question_en")} == {
        "number": 1,
        "question_en": round_.question_en,
    }
    stamp = rows(type(meeting), [meeting])[0]["created_at"]
    assert dt.datetime.fromisoformat(stamp) == meeting.created_at  # microseconds kept


def test_references_are_natural_keys_and_panelists_ids():
    state = make_state(code="QZ", alpha3="QZX")
    host = Organisation.objects.create(slug="host", acronym_en="HO", name_en="Host")
    mechanism = make_mechanism(members=[state], parent_organisation=host)
    other = make_mechanism()
    meeting = make_meeting(slug="references", convening_body=mechanism)
    panelist = make_panelist(meeting, mechanism=mechanism)
    turn = Turn.objects.get(panelist=panelist, round__number=2)
    turn.coordination.set([other, mechanism])
    clerk = make_user(username="clerk")
    save_text(turn, RevisedText.NOTES, "Notes.", base_version=0, by=clerk)

    document = export_meeting(meeting)

    assert document["meeting"]["convening_body"] == mechanism.slug
    (row,) = document["panelists"]
    assert (row["id"], row["mechanism"], row["substitute_for"]) == (
        panelist.pk,
        mechanism.slug,
        None,
    )
    row = next(row for row in document["turns"] if row["round"] == 2)
    assert row["panelist"] == panelist.pk
    assert row["coordination"] == sorted([other.slug, mechanism.slug])
    assert row["revisions"][0]["saved_by"] == "clerk"
    (written,) = (m for m in document["mechanisms"] if m["slug"] == mechanism.slug)
    assert (written["parent_organisation"], written["member_states"]) == ("host", ["QZ"])
    assert document["users"] == ["clerk"]


def test_a_relation_with_a_table_of_its_own_is_written_apart():
    names = {field.name for field in archived_fields(type(make_mechanism()))}
    assert "lead_organisations" in names  # Django's own table: the serialiser writes it
    assert "member_states" not in names  # through Membership: written beside the row
