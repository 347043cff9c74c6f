"""The AV desk's HTTP API (a device with a token drives the clock) and the secretariat's page
of tokens, through the Django test client."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from config.common import throttle
from meetings.models import ApiToken, MeetingLog
from meetings.roles import SECRETARIAT
from meetings.services import api_tokens
from tests.factories import before_the_session, make_meeting, make_panelist, make_user

# Transactions commit as in production: the live feed forgets its cached state on commit.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fresh_counts():
    throttle.API_TOKEN_MISSES.forget("127.0.0.1")
    yield
    throttle.API_TOKEN_MISSES.forget("127.0.0.1")


@pytest.fixture
def meeting():
    """Two rounds; Ana Pérez speaks first, Luis Gómez second."""
    meeting = make_meeting(slug="desk-meeting")
    make_panelist(meeting, name="Ana Pérez")
    make_panelist(meeting, name="Luis Gómez")
    return before_the_session(meeting)


@pytest.fixture
def token(meeting) -> str:
    return api_tokens.create_token(meeting, "Stream Deck, AV desk", by=None)[1]


def post(token: str, action: str, slug: str = "desk-meeting", **body):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return Client().post(f"/api/meetings/{slug}/actions/{action}/", body, headers=headers)


def displayed() -> dict:
    """live.json as the displays read it."""
    return Client().get("/meetings/desk-meeting/live.json").json()


def test_start_pause_resume_add_a_minute_next_and_skip_move_what_the_displays_show(token):
    started = post(token, "start")
    assert started.status_code == 200
    assert started.json()["state"] == "running"
    assert displayed()["speaker"]["name"] == "Ana Pérez"
    assert displayed()["version"] == started.json()["version"]

    assert post(token, "pause").json()["state"] == "paused"
    assert displayed()["state"] == "paused"
    assert post(token, "resume").json()["state"] == "running"
    allotted = displayed()["allotted_seconds"]
    assert post(token, "add_minute").status_code == 200
    assert displayed()["allotted_seconds"] == allotted + 60

    assert post(token, "next").status_code == 200
    assert displayed()["speaker"]["name"] == "Luis Gómez"
    assert post(token, "skip").status_code == 200
    assert (displayed()["speaker"] or {}).get("name") != "Luis Gómez"


@pytest.mark.parametrize("content_type", ["text/plain", "application/json"])
def test_an_empty_post_of_any_type_is_a_press(token, content_type):
    """What a control surface sends for a button: no body, whatever type it names."""
    response = Client().post(
        "/api/meetings/desk-meeting/actions/start/",
        "",
        content_type=content_type,
        headers={"Authorization": f"Bearer {token}"},
    )

    assert response.status_code == 200
    assert displayed()["state"] == "running"


def test_a_message_is_shown_and_cleared(token):
    shown = post(token, "message", text="One minute left")
    assert shown.status_code == 200
    assert displayed()["message"] == "One minute left"

    post(token, "message", text="")
    assert displayed()["message"] is None


def test_a_retried_request_with_the_same_version_applies_once(token):
    version = displayed()["version"]
    first = post(token, "start", version=version)
    assert post(token, "next", version=first.json()["version"]).status_code == 200

    retried = post(token, "next", version=first.json()["version"])

    assert retried.status_code == 409
    assert retried.json()["error"] == "stale_version"
    assert retried.json()["state"]["speaker"]["name"] == "Luis Gómez"
    assert MeetingLog.objects.filter(action="clock.next").count() == 1


def test_each_action_is_logged_with_the_tokens_name(token):
    post(token, "start")
    post(token, "message", text="Hello")

    assert MeetingLog.objects.get(action="clock.start").detail["via"] == "Stream Deck, AV desk"
    assert MeetingLog.objects.get(action="clock.message").detail["via"] == "Stream Deck, AV desk"
    assert ApiToken.objects.get().last_used_at is not None


def test_the_state_is_live_json(token):
    response = Client().get(
        "/api/meetings/desk-meeting/state/", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200
    assert response.json()["version"] == displayed()["version"]
    assert response["ETag"]


@pytest.mark.parametrize("sent", ["", "x" * 43, "not a token"])
def test_no_token_or_a_bad_one_is_401(token, sent):
    response = post(sent, "start")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert displayed()["state"] != "running"


def test_a_revoked_token_is_401(meeting, token):
    api_tokens.revoke_token(ApiToken.objects.get(), by=None)
    assert post(token, "start").status_code == 401


def test_another_meetings_token_is_403(token):
    other = make_meeting(slug="other-meeting")
    other_token = api_tokens.create_token(other, "Laptop", by=None)[1]

    assert post(other_token, "start").status_code == 403
    assert post(token, "start", slug="other-meeting").status_code == 403
    assert displayed()["state"] != "running"


@pytest.mark.parametrize(
    ("action", "body"),
    [("explode", {}), ("give_floor", {}), ("start", {"version": "soon"})],
)
def test_an_unknown_action_or_a_bad_body_is_400(token, action, body):
    response = post(token, action, **body)
    assert response.status_code == 400
    assert displayed()["state"] != "running"


def test_an_action_not_possible_now_is_409_with_the_state(token):
    response = post(token, "pause")
    assert response.status_code == 409
    assert response.json()["error"] == "not_allowed"
    assert "version" in response.json()["state"]


def test_get_on_an_action_is_405(token):
    response = Client().get(
        "/api/meetings/desk-meeting/actions/start/", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 405


def test_too_many_bad_tokens_are_throttled(token, settings):
    for _ in range(throttle.API_TOKEN_MISSES.limit):
        post("x" * 43, "start")

    response = post(token, "start")

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


# The secretariat's page ------------------------------------------------------------------------


def test_the_secretariat_creates_a_token_sees_it_once_and_revokes_it(meeting):
    client = Client()
    client.force_login(make_user(SECRETARIAT))

    created = client.post("/meetings/desk-meeting/api/tokens/add/", {"name": "Stream Deck"})

    page = BeautifulSoup(created.content, "html.parser")
    token = page.select_one("#new-token").get_text()
    assert api_tokens.meeting_for_token(token) == meeting
    assert f"Bearer {token}" in page.select_one(".new-token pre").get_text()
    again = client.get("/meetings/desk-meeting/api/")
    assert token not in again.content.decode()
    assert "Stream Deck" in again.content.decode()

    row = ApiToken.objects.get()
    revoked = client.post(
        "/meetings/desk-meeting/api/tokens/revoke/", {"token": row.pk}, follow=True
    )
    assert "is revoked" in revoked.content.decode()
    assert api_tokens.meeting_for_token(token) is None


def test_a_token_without_a_name_is_not_created(meeting):
    client = Client()
    client.force_login(make_user(SECRETARIAT))

    response = client.post("/meetings/desk-meeting/api/tokens/add/", {"name": "  "})

    assert response.status_code == 200
    assert "new-token" not in response.content.decode()
    assert not ApiToken.objects.exists()
