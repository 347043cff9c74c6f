"""live.json, the projector display and the console, through the Django test client.

The contract in the README ("Live feed", "The speaking clock and how screens stay in step") is
the reference: the shape and headers of the feed, its ETag, and a clock that lives in the
database, not in a process.
"""

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format

from meetings.live.state import live_state
from meetings.models import (
    Meeting,
    MeetingLog,
    MeetingStatus,
    Panelist,
    PanelistStatus,
    TextRevision,
    Turn,
    TurnStatus,
)
from meetings.roles import SECRETARIAT
from meetings.services import live_session
from meetings.services.links import link_path
from meetings.services.panel import name_substitute, respond_to_invitation, update_panelist
from tests.factories import (
    before_the_session,
    make_mechanism,
    make_meeting,
    make_panelist,
    make_user,
)

# Transactions commit as in production: the live feed forgets its cached state on commit.
pytestmark = pytest.mark.django_db(transaction=True)

# The keys every live.json has: screens of other makers read them (README, "Live feed").
CONTRACT_KEYS = {
    "meeting",
    "version",
    "server_time",
    "state",
    "round",
    "speaker",
    "allotted_seconds",
    "remaining_seconds",
    "next_speaker",
}
SERVER_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
T0 = dt.datetime(2030, 5, 17, 14, 0, tzinfo=dt.UTC)  # 10:00 in New York, the meeting's start


def seconds(n: float) -> dt.timedelta:
    return dt.timedelta(seconds=n)


@pytest.fixture
def meeting():
    """Two rounds of 7 minutes; Ana Pérez (RCM) speaks first, Luis Gómez (CSM) second."""
    meeting = make_meeting(slug="live-meeting")
    rcm = make_mechanism(
        slug="rcm", acronym_en="RCM", acronym_es="CRM", name_en="Regional Conference on Migration"
    )
    csm = make_mechanism(
        slug="csm", acronym_en="CSM", name_en="South American Conference on Migration"
    )
    make_panelist(meeting, rcm, name="Ana Pérez")
    make_panelist(meeting, csm, name="Luis Gómez")
    return before_the_session(meeting)


@pytest.fixture
def secretary(client):
    user = make_user(SECRETARIAT)
    client.force_login(user)
    return user


def get_live(client, meeting, **headers):
    return client.get(f"/meetings/{meeting.slug}/live.json", headers=headers)


def live_body(client, meeting) -> dict:
    response = get_live(client, meeting)
    assert response.status_code == 200
    return response.json()


def act(meeting, action, now, **arguments):
    return live_session.perform(meeting, action, by=None, now=now, **arguments)


def first_turn(meeting) -> Turn:
    return Turn.objects.get(meeting=meeting, round__number=1, position=1)


def assert_speaker(value, name, acronym, mechanism):
    assert isinstance(value, dict)
    assert value["name"] == name
    assert value["acronym"] == acronym
    assert value["mechanism"] == mechanism


def assert_spec_types(body: dict):
    assert set(body) >= CONTRACT_KEYS
    assert isinstance(body["meeting"], str)
    assert type(body["version"]) is int
    assert SERVER_TIME.match(body["server_time"]), body["server_time"]
    assert body["state"] in {"idle", "ready", "running", "paused", "finished"}
    assert body["round"] is None or (
        type(body["round"]["number"]) is int
        and isinstance(body["round"]["question"], str)
        and type(body["round"]["speaking_seconds"]) is int
    )
    assert type(body["allotted_seconds"]) is int
    assert isinstance(body["remaining_seconds"], int | float)
    for key in ("speaker", "next_speaker"):
        assert body[key] is None or {"name", "mechanism", "acronym"} <= set(body[key])


# live.json: the shape in every state ------------------------------------------------------------


def test_live_json_before_the_start_is_idle_with_round_one_and_the_first_speaker(client, meeting):
    body = live_body(client, meeting)
    assert_spec_types(body)
    assert body["meeting"] == "live-meeting"
    assert body["version"] == 0
    assert body["state"] == "idle"
    assert body["speaker"] is None
    assert body["round"] == {"number": 1, "question": "Question 1?", "speaking_seconds": 420}
    assert body["allotted_seconds"] == 420
    assert body["remaining_seconds"] == 420
    assert_speaker(body["next_speaker"], "Ana Pérez", "RCM", "Regional Conference on Migration")


def test_live_json_while_running_counts_down_from_the_start(client, meeting):
    act(meeting, "start", timezone.now() - seconds(100))
    body = live_body(client, meeting)
    assert_spec_types(body)
    assert body["version"] == 1
    assert body["state"] == "running"
    assert body["round"]["number"] == 1
    assert_speaker(body["speaker"], "Ana Pérez", "RCM", "Regional Conference on Migration")
    assert_speaker(
        body["next_speaker"], "Luis Gómez", "CSM", "South American Conference on Migration"
    )
    assert body["allotted_seconds"] == 420
    assert 318.0 <= body["remaining_seconds"] <= 320.0
    sent = dt.datetime.fromisoformat(body["server_time"])
    assert abs((sent - timezone.now()).total_seconds()) < 2


def test_live_json_while_paused_keeps_the_remaining_time_exactly(client, meeting):
    act(meeting, "start", T0)
    act(meeting, "pause", T0 + seconds(100.5))
    body = live_body(client, meeting)
    assert_spec_types(body)
    assert body["version"] == 2
    assert body["state"] == "paused"
    assert_speaker(body["speaker"], "Ana Pérez", "RCM", "Regional Conference on Migration")
    assert body["remaining_seconds"] == 319.5


def test_live_json_when_every_turn_is_given_is_finished(client, meeting):
    for action, at in [("start", 0), ("next", 60), ("start", 70), ("next", 130)] * 2:
        act(meeting, action, T0 + seconds(at))
    body = live_body(client, meeting)
    assert_spec_types(body)
    assert body["version"] == 8
    assert body["state"] == "finished"
    assert body["round"] is None
    assert body["speaker"] is None
    assert body["next_speaker"] is None


def test_live_json_between_rounds_says_which_round_comes_its_question_and_first_speaker(
    client, meeting
):
    assert live_body(client, meeting)["between_rounds"] is None  # before the first speaker
    for action, at in [("start", 0), ("next", 60), ("start", 70)]:
        act(meeting, action, T0 + seconds(at))
    assert live_body(client, meeting)["between_rounds"] is None  # a turn is on
    act(meeting, "next", T0 + seconds(130))
    body = live_body(client, meeting)
    assert body["state"] == "idle"
    assert body["between_rounds"] == {"round": 2}
    assert body["round"] == {"number": 2, "question": "Question 2?", "speaking_seconds": 420}
    assert_speaker(body["next_speaker"], "Ana Pérez", "RCM", "Regional Conference on Migration")
    for action, at in [("start", 140), ("next", 200), ("start", 210), ("next", 270)]:
        act(meeting, action, T0 + seconds(at))
    assert live_body(client, meeting)["between_rounds"] is None  # finished


def test_the_readme_names_every_key_of_live_json(client, meeting):
    """Screens of other makers read live.json: each key the feed gives is documented."""
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    act(meeting, "start", T0)
    keys = set(live_body(client, meeting))
    missing = [key for key in sorted(keys | CONTRACT_KEYS) if f"`{key}`" not in readme]
    assert missing == []


def test_live_json_counts_overtime_as_negative_remaining_seconds(client, meeting):
    act(meeting, "start", timezone.now() - seconds(500))
    body = live_body(client, meeting)
    assert body["state"] == "running"
    assert -82.0 <= body["remaining_seconds"] <= -80.0


def test_live_json_gives_an_added_minute_to_the_current_turn_only(client, meeting):
    act(meeting, "start", T0)
    act(meeting, "add_minute", T0 + seconds(10))
    act(meeting, "pause", T0 + seconds(30))
    body = live_body(client, meeting)
    assert body["allotted_seconds"] == 480
    assert body["remaining_seconds"] == 450
    act(meeting, "next", T0 + seconds(40))
    body = live_body(client, meeting)
    assert body["state"] == "ready"
    assert body["speaker"]["name"] == "Luis Gómez"
    assert body["allotted_seconds"] == 420
    assert body["remaining_seconds"] == 420


# live.json: headers, ETag, language, access -----------------------------------------------------


def test_live_json_is_utf8_json_not_cached_blindly_and_names_are_not_escaped(client, meeting):
    response = get_live(client, meeting)
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-cache"
    assert "Ana Pérez".encode() in response.content
    assert b"\\u00e9" not in response.content
    assert json.loads(response.content.decode("utf-8"))["next_speaker"]["name"] == "Ana Pérez"


def test_live_json_etag_changes_exactly_when_the_version_changes(client, meeting):
    first, second = get_live(client, meeting), get_live(client, meeting)
    assert first["ETag"] == second["ETag"]
    assert first["ETag"].startswith('"') and first["ETag"].endswith('"')
    act(meeting, "start", timezone.now())
    after = get_live(client, meeting)
    assert after["ETag"] != first["ETag"]
    assert after.json()["version"] == first.json()["version"] + 1
    assert get_live(client, meeting)["ETag"] == after["ETag"]


def test_live_json_answers_304_to_the_current_etag_and_200_to_an_old_one(client, meeting):
    old = get_live(client, meeting)["ETag"]
    same = get_live(client, meeting, if_none_match=old)
    assert same.status_code == 304
    assert same.content == b""
    assert same["ETag"] == old

    act(meeting, "start", timezone.now())
    changed = get_live(client, meeting, if_none_match=old)
    assert changed.status_code == 200
    assert changed.json()["state"] == "running"
    assert changed["ETag"] != old


def test_live_json_in_spanish_gives_the_spanish_question_and_its_own_etag(client, meeting):
    english = get_live(client, meeting)
    spanish = client.get(f"/meetings/{meeting.slug}/live.json?lang=es")
    assert english.json()["round"]["question"] == "Question 1?"
    assert spanish.json()["round"]["question"] == "¿Pregunta 1?"
    assert "¿Pregunta 1?".encode() in spanish.content
    assert spanish.json()["next_speaker"]["acronym"] == "CRM"
    assert spanish["ETag"] != english["ETag"]
    # The English ETag does not stand for the Spanish body.
    again = client.get(
        f"/meetings/{meeting.slug}/live.json?lang=es",
        headers={"if-none-match": english["ETag"]},
    )
    assert again.status_code == 200


def test_live_json_of_a_draft_meeting_is_not_found_for_the_public(client):
    draft = make_meeting(status=MeetingStatus.DRAFT)
    make_panelist(draft)
    assert get_live(client, draft).status_code == 404
    assert client.get(f"/meetings/{draft.slug}/display/").status_code == 404


def test_live_json_of_an_unknown_meeting_is_not_found(client):
    assert client.get("/meetings/no-such-meeting/live.json").status_code == 404


def test_a_message_to_the_speaker_raises_the_version_and_reaches_live_json(
    client, meeting, secretary
):
    old = get_live(client, meeting)["ETag"]
    response = client.post(
        f"/meetings/{meeting.slug}/console/message/", {"message": "  Please conclude  "}
    )
    assert response.status_code == 200
    assert "Please conclude" in response.content.decode()
    fresh = get_live(client, meeting, if_none_match=old)
    assert fresh.status_code == 200
    assert fresh.json()["message"] == "Please conclude"
    assert fresh.json()["version"] == 1

    client.post(f"/meetings/{meeting.slug}/console/message/", {"message": ""})
    assert live_body(client, meeting)["message"] is None


def test_a_quick_message_reaches_each_screen_in_its_language(client, meeting, secretary):
    """'Please conclude' reaches Spanish and French screens in their language, not English."""
    url = f"/meetings/{meeting.slug}/console/message/"
    response = client.post(url, {"quick": "conclude", "message": ""})
    assert response.status_code == 200
    spanish = client.get(f"/meetings/{meeting.slug}/live.json?lang=es").json()
    french = client.get(f"/meetings/{meeting.slug}/live.json?lang=fr").json()
    portuguese = client.get(f"/meetings/{meeting.slug}/live.json?lang=pt").json()
    english = client.get(f"/meetings/{meeting.slug}/live.json?lang=en").json()
    assert spanish["message"] == "Por favor, concluya"
    assert french["message"] == "Veuillez conclure"
    assert portuguese["message"] == "Por favor, conclua"
    assert english["message"] == "Please conclude"
    assert {body["message_key"] for body in (spanish, french, portuguese, english)} == {"conclude"}


def test_a_typed_message_reaches_every_screen_as_typed(client, meeting, secretary):
    url = f"/meetings/{meeting.slug}/console/message/"
    client.post(url, {"message": "Please conclude, Ambassador"})
    for language in ("es", "fr"):
        body = client.get(f"/meetings/{meeting.slug}/live.json?lang={language}").json()
        assert (body["message"], body["message_key"]) == ("Please conclude, Ambassador", None)


def test_the_console_offers_each_quick_message_and_shows_it_in_its_own_language(
    client, meeting, secretary
):
    page = BeautifulSoup(client.get(f"/meetings/{meeting.slug}/console/").content, "html.parser")
    quick = [(button["value"], button.get_text()) for button in page.select("button[name=quick]")]
    assert quick == [
        ("conclude", "Please conclude"),
        ("one_minute", "One minute left"),
        ("time_up", "Your time is up"),
    ]
    url = f"/meetings/{meeting.slug}/console/message/"
    client.post(url, {"message": "", "quick": "conclude"})
    page = client.get(f"/meetings/{meeting.slug}/console/", headers={"Accept-Language": "fr"})
    shown = BeautifulSoup(page.content, "html.parser").select_one("[data-hx-disable] strong")
    assert shown.get_text() == "Veuillez conclure"


def test_an_unknown_quick_message_is_refused_with_a_message(client, meeting, secretary):
    url = f"/meetings/{meeting.slug}/console/message/"
    response = client.post(url, {"message": "", "quick": "shout"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "This quick message does not exist." in response.content.decode()
    assert live_body(client, meeting)["message"] is None


def test_the_speaker_view_reads_live_json_in_the_panelists_language(client, meeting):
    panelist = Panelist.objects.get(name="Luis Gómez")
    panelist.preferred_language = "fr"
    panelist.save()
    page = BeautifulSoup(client.get(f"{link_path(panelist)}speaker/").content, "html.parser")
    assert page.select_one(".speaker-view")["data-live-url"].endswith("/live.json?lang=fr")


def test_the_message_field_says_its_limit_and_a_longer_message_is_refused_with_a_reason(
    client, meeting, secretary
):
    page = BeautifulSoup(client.get(f"/meetings/{meeting.slug}/console/").content, "html.parser")
    field = page.select_one("#speaker-message")
    assert field["maxlength"] == "200"
    hint = page.select_one(f"#{field['aria-describedby']}").get_text()
    assert "up to 200 characters" in hint

    too_long = "Please conclude, " * 12  # 204 characters
    url = f"/meetings/{meeting.slug}/console/message/"
    response = client.post(url, {"message": too_long}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert "at most 200 characters; this one has 203" in page.select_one(".messages").get_text()
    assert page.select_one("#speaker-message")["value"] == too_long  # kept, to be shortened
    assert live_body(client, meeting)["message"] is None  # nothing was cut and shown


def test_reordering_on_the_speaking_order_page_reaches_the_screens(client, meeting, secretary):
    make_panelist(meeting, make_mechanism(acronym_en="MIRPS"), name="María Ruiz")
    act(meeting, "start", timezone.now())
    seen = get_live(client, meeting)
    assert seen.json()["next_speaker"]["name"] == "Luis Gómez"
    maria = meeting.panelists.get(name="María Ruiz")
    moved = client.post(
        f"/meetings/{meeting.slug}/order/1/move/", {"panelist": maria.pk, "offset": "-1"}
    )
    assert moved.status_code == 302
    assert live_state(meeting)["next_speaker"]["name"] == "María Ruiz"
    polled = get_live(client, meeting, if_none_match=seen["ETag"])
    assert polled.status_code == 200


def test_renaming_the_current_speaker_reaches_the_screens(client, meeting, secretary):
    act(meeting, "start", timezone.now())
    seen = get_live(client, meeting)
    ana = meeting.panelists.get(name="Ana Pérez")
    update_panelist(ana, by=secretary, honorific="amb_f")
    assert live_state(meeting)["speaker"]["name"] == "Amb. Ana Pérez"
    polled = get_live(client, meeting, if_none_match=seen["ETag"])
    assert polled.status_code == 200


# The projector display -------------------------------------------------------------------------


def test_display_renders_for_the_public_and_reads_live_json(client, meeting):
    response = client.get(f"/meetings/{meeting.slug}/display/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    root = soup.select_one("main.display")
    assert root["data-live-url"] == f"/meetings/{meeting.slug}/live.json?lang=en"
    assert root["data-state"] == "idle"
    assert root.select_one("[data-live-clock]").get_text(strip=True) == "7:00"
    assert "overlay" not in soup.html["class"]


def test_display_has_no_inline_script_and_every_script_carries_the_nonce(client, meeting):
    response = client.get(f"/meetings/{meeting.slug}/display/")
    soup = BeautifulSoup(response.content, "html.parser")
    scripts = soup.find_all("script")
    assert scripts
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    for script in scripts:
        assert script.get("src", "").startswith("/static/")
        assert script.get_text(strip=True) == ""
        assert script.get("nonce")
        assert f"'nonce-{script['nonce']}'" in policy
    assert not soup.find(attrs={"onclick": True})


def test_display_overlay_adds_the_overlay_class_and_lang_chooses_the_language(client, meeting):
    soup = BeautifulSoup(
        client.get(f"/meetings/{meeting.slug}/display/?overlay=1&lang=es").content, "html.parser"
    )
    assert "overlay" in soup.html["class"]
    assert soup.html["lang"] == "es"
    assert soup.select_one("main.display")["data-live-url"].endswith("/live.json?lang=es")


# The console -----------------------------------------------------------------------------------


def console_post(client, meeting, action, version=None, **fields):
    data = {"action": action, **fields}
    if version is not None:
        data["version"] = version
    return client.post(f"/meetings/{meeting.slug}/console/action/", data)


def live_version(meeting) -> int:
    return Meeting.objects.get(pk=meeting.pk).live_version


def test_console_sends_the_public_to_sign_in(client, meeting):
    response = client.get(f"/meetings/{meeting.slug}/console/")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/meetings/{meeting.slug}/console/"
    action = console_post(client, meeting, "start", 0)
    assert action.status_code == 302
    assert live_version(meeting) == 0


def test_console_refuses_a_signed_in_user_without_the_role(client, meeting):
    client.force_login(make_user())
    assert client.get(f"/meetings/{meeting.slug}/console/").status_code == 403
    assert console_post(client, meeting, "start", 0).status_code == 403
    assert live_version(meeting) == 0


def test_console_shows_the_six_controls_to_the_secretariat(client, meeting, secretary):
    response = client.get(f"/meetings/{meeting.slug}/console/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    buttons = soup.select(".console-controls button[name=action]")
    names = ["".join(button.find_all(string=True, recursive=False)).strip() for button in buttons]
    assert names == ["Start", "Pause", "Resume", "Add minute", "Next speaker", "Skip"]
    enabled = [button["value"] for button in buttons if not button.has_attr("disabled")]
    assert enabled == ["start", "next"]
    assert soup.select_one("#console-panels")["data-version"] == "0"
    assert "Start gives the floor to Ana Pérez (RCM), round 1." in soup.get_text()


def test_the_console_and_live_json_never_name_who_declined(client, meeting, secretary):
    ana = meeting.panelists.get(name="Ana Pérez")
    respond_to_invitation(ana, PanelistStatus.DECLINED)
    soup = BeautifulSoup(client.get(f"/meetings/{meeting.slug}/console/").content, "html.parser")
    assert "Start gives the floor to Luis Gómez (CSM), round 1." in soup.get_text()
    assert "Ana Pérez" not in soup.select_one("#console-panels").get_text()
    assert live_body(client, meeting)["next_speaker"]["name"] == "Luis Gómez"
    name_substitute(ana, by=secretary, name="Eva Ruiz")
    soup = BeautifulSoup(client.get(f"/meetings/{meeting.slug}/console/").content, "html.parser")
    assert "Start gives the floor to Eva Ruiz (RCM), round 1." in soup.get_text()
    assert "Ana Pérez" not in soup.select_one("#console-panels").get_text()
    assert live_body(client, meeting)["next_speaker"]["name"] == "Eva Ruiz"


def test_console_start_with_the_current_version_starts_the_first_speaker(
    client, meeting, secretary
):
    response = console_post(client, meeting, "start", 0)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    panels = soup.select_one("#console-panels")
    assert panels["data-version"] == "1"
    assert "Speaking" in panels.select_one(".current-speaker").get_text()
    assert "Ana Pérez" in panels.select_one(".current-speaker").get_text()
    assert first_turn(meeting).status == TurnStatus.RUNNING
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.IN_PROGRESS


def test_a_second_console_with_the_old_version_changes_nothing(client, meeting, secretary):
    assert console_post(client, meeting, "start", 0).status_code == 200
    response = console_post(client, meeting, "start", 0)
    assert response.status_code == 200
    assert "Another console acted first" in response.content.decode()
    assert Turn.objects.filter(meeting=meeting, status=TurnStatus.RUNNING).count() == 1
    assert Turn.objects.filter(meeting=meeting, status=TurnStatus.PENDING).count() == 3
    assert live_version(meeting) == 1


def test_two_consoles_pressing_next_at_once_move_on_by_one_speaker(client, meeting, secretary):
    console_post(client, meeting, "start", 0)
    console_post(client, meeting, "next", 1)
    console_post(client, meeting, "next", 1)
    assert live_version(meeting) == 2
    assert live_body(client, meeting)["speaker"]["name"] == "Luis Gómez"


def test_console_refuses_pause_with_nothing_running(client, meeting, secretary):
    response = console_post(client, meeting, "pause", 0)
    assert response.status_code == 200
    assert "That is not possible right now." in response.content.decode()
    assert live_version(meeting) == 0


@pytest.mark.parametrize(
    "data",
    [
        {"action": "give_floor", "version": "0", "turn": "999999"},
        {"action": "skip", "version": "0", "turn": "999999"},
        {"action": "reopen_round", "version": "0", "round": "1"},
    ],
)
def test_console_bad_input_is_refused_with_a_message_not_an_error(client, meeting, secretary, data):
    response = client.post(f"/meetings/{meeting.slug}/console/action/", data)
    assert response.status_code == 200
    assert "That is not possible right now." in response.content.decode()
    assert live_version(meeting) == 0


# The notes pad ---------------------------------------------------------------------------------


def post_notes(client, meeting, turn, text, version):
    return client.post(
        f"/meetings/{meeting.slug}/console/notes/",
        {"turn": turn.pk, "notes_version": version, "notes": text},
    )


def test_notes_are_saved_for_the_turn(client, meeting, secretary):
    turn = first_turn(meeting)
    response = post_notes(client, meeting, turn, "A", 0)
    assert response.status_code == 200
    assert "Saved at" in response.content.decode()
    turn.refresh_from_db()
    assert turn.notes == "A"
    assert turn.notes_version == 1
    assert list(turn.revisions.values_list("text", "conflicted")) == [("A", False)]


def test_notes_saved_on_an_old_version_are_kept_aside_as_a_conflict(client, meeting, secretary):
    turn = first_turn(meeting)
    post_notes(client, meeting, turn, "Theirs: the RCM coordinates with the CSM.", 0)
    response = post_notes(client, meeting, turn, "Mine: the RCM works with MIRPS.", 0)
    assert response.status_code == 200
    text = response.content.decode()
    assert "while you were typing" in text
    assert "Theirs: the RCM coordinates with the CSM." in text
    turn.refresh_from_db()
    assert turn.notes == "Theirs: the RCM coordinates with the CSM."
    assert turn.notes_version == 1
    kept = TextRevision.objects.get(turn=turn, conflicted=True)
    assert kept.text == "Mine: the RCM works with MIRPS."
    assert kept.saved_by == secretary
    # The next save on top of the version the conflict reported goes through.
    assert 'id="notes-version" value="1"' in text


def test_notes_over_fifty_thousand_characters_are_refused_and_nothing_is_saved(
    client, meeting, secretary
):
    turn = first_turn(meeting)
    response = post_notes(client, meeting, turn, "x" * 50_001, 0)
    assert response.status_code == 200
    assert (
        "Notes hold at most 50,000 characters; these have 50,001. Nothing was saved."
        in response.content.decode()
    )
    turn.refresh_from_db()
    assert turn.notes == ""
    assert turn.notes_version == 0
    assert not TextRevision.objects.filter(turn=turn).exists()


def test_notes_of_exactly_fifty_thousand_characters_are_saved(client, meeting, secretary):
    turn = first_turn(meeting)
    assert post_notes(client, meeting, turn, "x" * 50_000, 0).status_code == 200
    turn.refresh_from_db()
    assert len(turn.notes) == 50_000


def test_notes_of_a_turn_of_another_meeting_are_not_found(client, meeting, secretary):
    other = make_meeting()
    make_panelist(other)
    turn = first_turn(other)
    assert post_notes(client, meeting, turn, "A", 0).status_code == 404
    assert client.get(f"/meetings/{meeting.slug}/console/notes/?turn=abc").status_code == 404
    turn.refresh_from_db()
    assert turn.notes == ""


# The server is the only clock -------------------------------------------------------------------


def test_a_restart_of_the_server_mid_turn_changes_nothing(meeting):
    act(meeting, "start", T0)
    reloaded = Meeting.objects.get(pk=meeting.pk)
    state = live_state(reloaded, now=T0 + seconds(100))
    assert state["state"] == "running"
    assert state["remaining_seconds"] == 320.0
    assert state["server_time"] == "2030-05-17T14:01:40.000Z"

    act(Meeting.objects.get(pk=meeting.pk), "pause", T0 + seconds(100))
    state = live_state(Meeting.objects.get(pk=meeting.pk), now=T0 + seconds(1000))
    assert state["state"] == "paused"
    assert state["remaining_seconds"] == 320.0


def test_pause_and_resume_keep_the_time_spent_before(meeting):
    act(meeting, "start", T0)
    act(meeting, "pause", T0 + seconds(100))
    act(meeting, "resume", T0 + seconds(400))
    state = live_state(Meeting.objects.get(pk=meeting.pk), now=T0 + seconds(450))
    assert state["state"] == "running"
    assert state["remaining_seconds"] == 270.0


def test_console_forecast_says_the_pace_it_is_based_on(client, meeting, secretary):
    def pace_text():
        page = BeautifulSoup(
            client.get(f"/meetings/{meeting.slug}/console/").content, "html.parser"
        )
        return page.select_one(".forecast-pace").get_text(strip=True)

    assert pace_text() == (
        "No speaker has finished yet: everyone is assumed to use exactly their time."
    )
    now = timezone.now()
    act(meeting, "start", now - seconds(500))
    act(meeting, "next", now - seconds(20))  # 480 seconds for a 420-second turn
    assert pace_text() == "So far speakers take 1:00 longer than their time, on average."


def test_a_forecast_on_another_day_than_scheduled_gives_its_date_and_time_zone(
    client, meeting, secretary
):
    now = timezone.now()
    act(meeting, "start", now)
    meeting = Meeting.objects.get(pk=meeting.pk)
    page = BeautifulSoup(client.get(f"/meetings/{meeting.slug}/console/").content, "html.parser")
    text = " ".join(page.select_one(".forecast").get_text().split())
    today = now.astimezone(meeting.zone).date()
    assert today != meeting.date  # the rehearsal runs before the meeting's day
    days = (today, today + dt.timedelta(days=1))  # the forecast may pass midnight
    assert any(
        text.startswith(f"At this pace the session ends on {date_format(day, 'DATE_FORMAT')} at ")
        for day in days
    )
    assert f"({meeting.time_zone})" in text


def test_the_last_speaker_of_round_one_is_followed_by_the_first_of_round_two_everywhere(
    client, meeting, secretary
):
    now = timezone.now()
    for action in ("start", "next", "start"):  # Luis Gómez, the last of round 1, speaks
        act(meeting, action, now)
    body = live_body(client, meeting)
    assert (body["round"]["number"], body["speaker"]["name"]) == (1, "Luis Gómez")
    assert body["next_speaker"]["name"] == "Ana Pérez"  # who Next speaker, then Start, reach
    console = BeautifulSoup(client.get(f"/meetings/{meeting.slug}/console/").content, "html.parser")
    assert console.select_one(".console-next").get_text(strip=True) == (
        "Next: Ana Pérez (RCM), round 2."
    )

    act(meeting, "next", now)
    act(meeting, "start", now)
    body = live_body(client, meeting)
    assert (body["round"]["number"], body["speaker"]["name"]) == (2, "Ana Pérez")


def test_the_console_gives_the_floor_back_to_a_speaker_finished_too_early(
    client, meeting, secretary
):
    start = timezone.now() - seconds(200)
    act(meeting, "start", start)
    act(meeting, "next", start + seconds(100))
    ana = first_turn(meeting)
    soup = BeautifulSoup(client.get(f"/meetings/{meeting.slug}/console/").content, "html.parser")
    [button] = [
        button
        for button in soup.select("button[value=give_floor]")
        if "Give the floor back" in button.get_text()
    ]
    assert "Ana Pérez" in button.get_text()
    assert console_post(
        client, meeting, "give_floor", live_version(meeting), turn=str(ana.pk)
    ).status_code in (200, 302)
    ana.refresh_from_db()
    assert (ana.status, ana.spent_seconds) == (TurnStatus.READY, 100)  # her time kept


def test_a_round_where_everybody_spoke_offers_no_reopening(client, meeting, secretary):
    now = timezone.now() - seconds(100)
    for offset in (0, 10):
        act(meeting, "start", now + seconds(offset))
        act(meeting, "next", now + seconds(offset + 5))
    soup = BeautifulSoup(client.get(f"/meetings/{meeting.slug}/console/").content, "html.parser")
    assert not soup.select("button[value=reopen_round]")
    # only the speaker who finished last is offered the floor back
    offered = [
        button.get_text(" ", strip=True)
        for button in soup.select("button[value=give_floor]")
        if "Give the floor back" in button.get_text()
    ]
    assert offered == ["Give the floor back Luis Gómez"]


def test_the_console_says_speakers_keep_to_their_time_when_they_do(client, meeting, secretary):
    start = timezone.now() - seconds(1000)
    act(meeting, "start", start)
    act(meeting, "next", start + seconds(420.2))  # 0.2 s over: no "0:00 longer"
    text = BeautifulSoup(
        client.get(f"/meetings/{meeting.slug}/console/").content, "html.parser"
    ).get_text(" ", strip=True)
    assert "So far speakers keep to their time, on average." in text
    assert "0:00" not in text.split("So far")[1][:80]


# Concluding the meeting -----------------------------------------------------------------------


def every_turn_given(meeting) -> None:
    act(meeting, "start", T0)
    act(meeting, "finish_round", T0 + seconds(60), round_number=1)
    act(meeting, "start", T0 + seconds(70))
    act(meeting, "finish_round", T0 + seconds(130), round_number=2)


def test_the_console_offers_to_conclude_only_once_the_last_turn_is_over(client, meeting, secretary):
    act(meeting, "start", T0)
    act(meeting, "finish_round", T0 + seconds(60), round_number=1)
    page = BeautifulSoup(client.get(f"/meetings/{meeting.slug}/console/").content, "html.parser")
    assert page.select("button[name=action][value=conclude]") == []  # round 2 is still to come

    act(meeting, "start", T0 + seconds(70))
    act(meeting, "finish_round", T0 + seconds(130), round_number=2)
    page = BeautifulSoup(client.get(f"/meetings/{meeting.slug}/console/").content, "html.parser")
    (button,) = page.select("button[name=action][value=conclude]")
    assert button.get_text() == "Conclude the meeting"
    form = button.find_parent("form")
    assert form["data-hx-confirm"].startswith("Conclude the meeting?")  # a confirm step
    assert form.select_one("input[name=version]")["value"] == str(live_version(meeting))


def test_concluding_from_the_console_says_who_and_stops_the_console(client, meeting, secretary):
    secretary.first_name, secretary.last_name = "Rosa", "Díaz"
    secretary.save()
    every_turn_given(meeting)
    version = live_version(meeting)
    response = console_post(client, meeting, "conclude", version)
    assert response.status_code == 200
    panels = BeautifulSoup(response.content, "html.parser").select_one("#console-panels")
    assert panels["data-version"] == str(version + 1)
    text = " ".join(panels.get_text().split())
    assert "The meeting is concluded. Concluded" in text
    assert re.search(r"Concluded at \d\d:\d\d by Rosa Díaz\.", text)
    assert panels.select("button[name=action][value=conclude]") == []
    assert panels.select("button[value=reopen_round]") == []
    assert panels.select(".console-controls") == []  # nothing left to do on the clock
    assert panels.select("#forecast-heading, #speaker-message") == []
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.CONCLUDED
    assert live_body(client, meeting)["state"] == "finished"


def test_a_second_console_concluding_with_the_old_version_changes_nothing(
    client, meeting, secretary
):
    every_turn_given(meeting)
    version = live_version(meeting)
    console_post(client, meeting, "conclude", version)
    response = console_post(client, meeting, "conclude", version)
    assert "Another console acted first" in response.content.decode()
    assert live_version(meeting) == version + 1
    assert MeetingLog.objects.filter(action="clock.conclude").count() == 1


def test_concluding_before_the_last_turn_is_refused_with_a_message(client, meeting, secretary):
    act(meeting, "start", T0)
    response = console_post(client, meeting, "conclude", live_version(meeting))
    assert "That is not possible right now." in response.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.IN_PROGRESS


def test_the_home_page_the_management_list_and_the_portal_agree_the_meeting_is_concluded(
    client, meeting, secretary
):
    every_turn_given(meeting)
    console_post(client, meeting, "conclude", live_version(meeting))
    # Scheduled for 2030: concluded, it has taken place all the same.
    home = BeautifulSoup(client.get("/").content, "html.parser")
    recent = home.select_one("[aria-labelledby=recent-heading]")
    assert meeting.title in recent.get_text()
    assert meeting.title not in home.select_one("[aria-labelledby=upcoming-heading]").get_text()
    item = recent.find("a", string=meeting.title).find_parent("li")
    assert item.select_one(".badge.status-concluded").get_text() == "Concluded"

    listing = BeautifulSoup(client.get("/meetings/").content, "html.parser")
    row = listing.find("a", string=meeting.title).find_parent("tr")
    assert row.select_one(".badge.status-concluded").get_text() == "Concluded"

    panelist = Panelist.objects.get(name="Ana Pérez")
    client.logout()
    portal = BeautifulSoup(client.get(link_path(panelist)).content, "html.parser")
    status = portal.select_one("main header .badge.status-concluded")
    assert status.get_text() == "Concluded"
    assert "answers can no longer change" in status.parent.get_text()
