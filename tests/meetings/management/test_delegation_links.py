"""delegation_links: one tab-separated line per delegation of a meeting, with its floor link."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from meetings.models import Delegation, DelegationKind
from meetings.services.links import delegation_for_token, link_path, revoke_link
from tests.factories import make_delegation, make_meeting, make_state


def delegation_links(slug: str = "migration-governance-2022") -> list[list[str]]:
    out = io.StringIO()
    call_command("delegation_links", slug, stdout=out)
    return [line.split("\t") for line in out.getvalue().splitlines()]


def token_of(path: str) -> str:
    return path.removeprefix("/floor/").removesuffix("/")


def test_one_line_per_delegation_of_the_seeded_meeting(seeded):
    lines = delegation_links()

    delegations = Delegation.objects.filter(meeting__slug="migration-governance-2022")
    assert len(lines) == delegations.count() > 30
    assert all(len(line) == 3 for line in lines)
    by_code = {code: (name, path) for code, name, path in lines}
    assert by_code["MX"][0] == "Delegation of Mexico"
    for code, (_name, path) in by_code.items():
        assert delegation_for_token(token_of(path)).code == code


def test_observers_and_organisations_by_their_short_code_and_name(db):
    meeting = make_meeting()
    make_delegation(meeting, make_state(code="QM", name_en="Mexico"))
    make_delegation(meeting, kind=DelegationKind.OBSERVER, code="ES", name_en="Spain")
    make_delegation(
        meeting,
        kind=DelegationKind.ORGANISATION,
        code="IOM",
        name_en="International Organization for Migration",
    )

    lines = delegation_links(meeting.slug)

    assert [line[:2] for line in lines] == [
        ["QM", "Delegation of Mexico"],
        ["ES", "Delegation of Spain"],
        ["IOM", "International Organization for Migration"],
    ]


def test_a_delegation_without_a_link_gets_one(db):
    meeting = make_meeting()
    delegation = make_delegation(meeting)
    revoke_link(delegation)

    [(_code, _name, path)] = delegation_links(meeting.slug)

    delegation.refresh_from_db()
    assert path == link_path(delegation)
    assert delegation_for_token(token_of(path)) == delegation


def test_a_working_link_is_printed_unchanged(db):
    meeting = make_meeting()
    delegation = make_delegation(meeting)
    before = link_path(delegation)

    [(_code, _name, path)] = delegation_links(meeting.slug)

    assert path == before


def test_after_a_new_secret_key_the_links_printed_work(settings, db):
    meeting = make_meeting()
    make_delegation(meeting)
    settings.SECRET_KEY = "another-secret-key-of-sufficient-length-0123456789"

    [(_code, _name, path)] = delegation_links(meeting.slug)

    assert delegation_for_token(token_of(path)) is not None


def test_a_name_is_one_cell_whatever_was_typed(db):
    meeting = make_meeting()
    delegation = make_delegation(meeting, kind=DelegationKind.OBSERVER, code="ZZ", name_en="x")
    Delegation.objects.filter(pk=delegation.pk).update(name_en="Holy\tSee")

    [line] = delegation_links(meeting.slug)

    assert line[:2] == ["ZZ", "Delegation of Holy See"]


def test_an_unknown_meeting_is_an_error(db):
    with pytest.raises(CommandError, match="No meeting"):
        call_command("delegation_links", "nope", stdout=io.StringIO())
