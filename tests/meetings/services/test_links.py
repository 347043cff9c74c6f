import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from meetings.models import MeetingLog, Panelist
from meetings.services.links import (
    compute_token,
    issue_link,
    link_path,
    link_token,
    panelist_for_token,
    revoke_link,
    token_digest,
)
from tests.factories import make_meeting, make_panelist

pytestmark = pytest.mark.django_db


def test_a_new_panelist_gets_an_unguessable_link():
    panelist = make_panelist(make_meeting())
    token = link_token(panelist)
    assert len(token) == 43  # 256 bits, base64url
    assert link_path(panelist) == f"/respond/{token}/"
    assert panelist_for_token(token) == panelist


def test_the_database_keeps_no_working_token():
    panelist = make_panelist(make_meeting())
    token = link_token(panelist)
    stored = Panelist.objects.filter(pk=panelist.pk).values().get()
    assert token not in str(stored)
    assert stored["link_digest"] == token_digest(token)


def test_a_token_depends_on_the_secret_key(settings):
    panelist = make_panelist(make_meeting())
    token = link_token(panelist)
    settings.SECRET_KEY = "another-secret-key-of-sufficient-length-0123456789"
    assert compute_token(panelist.pk, panelist.link_salt) != token


def test_after_a_new_secret_key_no_broken_link_is_shown(settings):
    panelist = make_panelist(make_meeting())
    settings.SECRET_KEY = "another-secret-key-of-sufficient-length-0123456789"
    assert link_token(panelist) is None  # the computed token would open nothing
    assert link_path(panelist) is None


def test_after_a_new_secret_key_panelist_links_issues_working_ones(settings, seeded):
    settings.SECRET_KEY = "another-secret-key-of-sufficient-length-0123456789"
    out = io.StringIO()
    call_command("panelist_links", "migration-governance-2022", stdout=out)
    for line in out.getvalue().splitlines():
        token = line.split("\t")[2].removeprefix("/respond/").removesuffix("/")
        assert panelist_for_token(token) is not None


def test_revoking_a_link_makes_it_unknown():
    panelist = make_panelist(make_meeting())
    token = link_token(panelist)
    revoke_link(panelist, by=None)
    assert panelist_for_token(token) is None
    assert link_path(panelist) is None
    assert MeetingLog.objects.filter(action="link.revoked", panelist=panelist).exists()


def test_reissuing_a_link_retires_the_old_one():
    panelist = make_panelist(make_meeting())
    old = link_token(panelist)
    new = issue_link(panelist)
    assert new != old
    assert panelist_for_token(old) is None
    assert panelist_for_token(new) == panelist


@pytest.mark.parametrize("token", ["", "short", "x" * 43, "../../etc/passwd" + "a" * 27])
def test_malformed_or_unknown_tokens_find_nobody(token):
    make_panelist(make_meeting())
    assert panelist_for_token(token) is None


def test_panelist_links_prints_one_tab_separated_line_per_panelist(seeded):
    out = io.StringIO()
    call_command("panelist_links", "migration-governance-2022", stdout=out)
    lines = [line.split("\t") for line in out.getvalue().splitlines()]
    assert [line[0] for line in lines] == [
        "RCM", "CSM", "MIRPS", "Quito Process", "R4V", "GCM", "GCR",
    ]  # fmt: skip
    assert all(name == "To be confirmed" for _, name, _ in lines)
    for _, _, path in lines:
        assert panelist_for_token(path.removeprefix("/respond/").removesuffix("/")) is not None


def test_panelist_links_gives_a_link_to_whoever_lost_theirs(seeded):
    panelist = Panelist.objects.first()
    revoke_link(panelist, by=None)
    out = io.StringIO()
    call_command("panelist_links", "migration-governance-2022", stdout=out)
    panelist.refresh_from_db()
    assert link_path(panelist) in out.getvalue()


def test_panelist_links_of_an_unknown_meeting_is_an_error(db):
    with pytest.raises(CommandError, match="No meeting"):
        call_command("panelist_links", "nope", stdout=io.StringIO())
