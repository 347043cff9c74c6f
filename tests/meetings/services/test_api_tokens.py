"""The AV desk's tokens: only a digest is kept, revoked and other meetings' tokens open nothing."""

import pytest

from meetings.models import ApiToken, MeetingLog
from meetings.services import api_tokens
from tests.factories import make_meeting, make_user

pytestmark = pytest.mark.django_db


def test_a_token_is_given_once_and_only_its_digest_is_stored():
    meeting = make_meeting()
    user = make_user()

    row, token = api_tokens.create_token(meeting, "  Stream Deck, AV desk ", by=user)

    stored = ApiToken.objects.get(pk=row.pk)
    assert len(token) == 43
    assert stored.name == "Stream Deck, AV desk"
    assert stored.digest == api_tokens.token_digest(token) != token
    assert token not in str(list(ApiToken.objects.values()))
    assert token not in str(list(MeetingLog.objects.values()))
    assert api_tokens.meeting_for_token(token) == meeting
    log = MeetingLog.objects.get(action="api_token.created")
    assert (log.actor, log.detail["name"]) == (user, "Stream Deck, AV desk")


def test_a_revoked_token_opens_nothing_and_revoking_twice_logs_once():
    meeting = make_meeting()
    row, token = api_tokens.create_token(meeting, "Stream Deck", by=None)

    api_tokens.revoke_token(row, by=None)
    api_tokens.revoke_token(row, by=None)

    assert api_tokens.meeting_for_token(token) is None
    assert api_tokens.token_for(token) is None
    assert MeetingLog.objects.filter(action="api_token.revoked").count() == 1


def test_a_token_opens_its_own_meeting_only():
    meeting, other = make_meeting(), make_meeting()
    _row, token = api_tokens.create_token(meeting, "Stream Deck", by=None)
    _row, other_token = api_tokens.create_token(other, "Laptop", by=None)

    assert api_tokens.meeting_for_token(token) == meeting
    assert api_tokens.meeting_for_token(other_token) == other


@pytest.mark.parametrize("guess", ["", "x" * 43, "short", "x" * 43 + "y", "a b"])
def test_anything_else_opens_nothing(guess):
    api_tokens.create_token(make_meeting(), "Stream Deck", by=None)

    assert api_tokens.meeting_for_token(guess) is None
