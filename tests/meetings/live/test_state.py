"""What every screen is told of the whole agenda (meetings.live.state): the item under way, the
speaker of any kind, the requests for the floor waiting, the item that comes; each text in the
screen's language."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from meetings.live.state import live_snapshot, live_state
from meetings.models import Attendance, Meeting, MeetingStatus, Panelist
from meetings.services import floor, live_session
from tests.factories import (
    agenda_with_a_break,
    before_the_session,
    make_mechanism,
    make_meeting,
    make_panelist,
    state_delegation,
)

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2030, 5, 17, 14, 0, tzinfo=dt.UTC)


@pytest.fixture
def meeting():
    """Opening remarks by the Chair, round 1 with Ana Pérez (RCM), the dialogue, a break."""
    meeting = make_meeting(rounds=1, slug="agenda-meeting")
    make_panelist(meeting, make_mechanism(acronym_en="RCM", acronym_es="CRM"), name="Ana Pérez")
    agenda_with_a_break(meeting)
    for code, name_en, name_es in [
        ("MX", "Mexico", "México"),
        ("CA", "Canada", "Canadá"),
        ("BR", "Brazil", "Brasil"),
    ]:
        state_delegation(meeting, code, name_en, name_es)
    return before_the_session(meeting)


def act(meeting, action, seconds=0.0, **arguments):
    at = T0 + dt.timedelta(seconds=seconds)
    return live_session.perform(meeting, action, by=None, now=at, **arguments)


def state(meeting, language="en") -> dict:
    with translation.override(language):
        return live_state(Meeting.objects.get(pk=meeting.pk), now=T0)


def ask(meeting, code, *, point_of_order=False):
    delegation = meeting.delegations.get(code=code)
    return floor.request_floor(delegation, point_of_order=point_of_order)


def to_the_dialogue(meeting):
    act(meeting, "next_item")  # the opening remarks
    act(meeting, "next_item")  # round 1


def test_before_the_session_the_first_item_and_its_speaker_are_said_in_each_language(meeting):
    english, spanish = state(meeting), state(meeting, "es")
    assert english["item"] == {"number": 1, "kind": "remarks", "title": "Opening remarks"}
    assert spanish["item"] == {"number": 1, "kind": "remarks", "title": "Palabras de apertura"}
    assert english["next_speaker"]["name"] == "Chair of the CAM"
    assert spanish["next_speaker"]["name"] == "Presidencia de la CAM"
    assert english["next_speaker"] | {"turn": None} == {
        "name": "Chair of the CAM",
        "mechanism": None,
        "acronym": None,
        "id": None,
        "delegation": None,
        "point_of_order": False,
        "online": False,
        "turn": None,
    }
    assert (english["queue"], english["queue_order"]) == (0, [])
    assert english["between_items"] is None  # nothing has begun
    assert english["list_of_speakers_open"] is None
    assert english["round"] is None


def test_a_remarks_speaker_has_the_floor_then_the_round_comes(meeting):
    act(meeting, "start")
    english = state(meeting)
    assert english["speaker"]["name"] == "Chair of the CAM"
    assert english["allotted_seconds"] == 300
    assert english["next_speaker"]["name"] == "Ana Pérez"  # the round that follows
    act(meeting, "next", 200)
    english, spanish = state(meeting), state(meeting, "es")
    assert english["item"] == {"number": 2, "kind": "round", "title": "Round 1"}
    assert spanish["item"]["title"] == "Ronda 1"
    assert english["between_items"] == {"item": 2, "title": "Round 1"}
    assert english["between_rounds"] == {"round": 1}
    assert spanish["between_items"] == {"item": 2, "title": "Ronda 1"}
    assert english["round"]["question"] == "Question 1?"


def test_a_panelist_speaker_says_where_they_follow_the_meeting(meeting):
    act(meeting, "next_item")
    Panelist.objects.filter(meeting=meeting).update(attendance=Attendance.ONLINE)
    act(meeting, "start")
    speaker = state(meeting)["speaker"]
    assert speaker["name"] == "Ana Pérez"
    assert (speaker["acronym"], speaker["delegation"], speaker["online"]) == ("RCM", None, True)
    assert state(meeting, "es")["speaker"]["acronym"] == "CRM"
    assert state(meeting)["between_items"] is None  # a turn is on


def test_the_dialogue_gives_its_queue_in_the_order_the_floor_is_given(meeting):
    to_the_dialogue(meeting)
    english = state(meeting)
    assert english["item"] == {
        "number": 3,
        "kind": "dialogue",
        "title": "Dialogue with delegations",
    }
    assert english["between_items"] == {"item": 3, "title": "Dialogue with delegations"}
    assert english["between_rounds"] is None
    assert english["list_of_speakers_open"] is True
    assert (english["queue"], english["queue_order"], english["next_speaker"]) == (0, [], None)

    ask(meeting, "MX")
    ask(meeting, "CA")
    english, spanish = state(meeting), state(meeting, "es")
    assert (english["queue"], english["queue_order"]) == (2, ["MX", "CA"])
    assert english["next_speaker"]["name"] == "Delegation of Mexico"
    assert english["next_speaker"]["delegation"] == "MX"
    assert (english["next_speaker"]["mechanism"], english["next_speaker"]["acronym"]) == (
        None,
        None,
    )
    assert "México" in spanish["next_speaker"]["name"]
    assert spanish["item"]["title"] == "Diálogo con las delegaciones"
    assert spanish["queue_order"] == ["MX", "CA"]

    ask(meeting, "BR", point_of_order=True)  # ahead of every request
    assert state(meeting)["queue_order"] == ["BR", "MX", "CA"]
    act(meeting, "start")
    english = state(meeting)
    assert english["speaker"]["delegation"] == "BR"
    assert english["speaker"]["point_of_order"] is True
    assert english["next_speaker"]["delegation"] == "MX"
    assert (english["queue"], english["queue_order"]) == (2, ["MX", "CA"])
    assert english["between_items"] is None
    assert english["allotted_seconds"] == 180


def test_a_delegation_online_is_said_online(meeting):
    meeting.delegations.filter(code="MX").update(attendance=Attendance.ONLINE)
    to_the_dialogue(meeting)
    ask(meeting, "MX")
    ask(meeting, "CA")
    act(meeting, "start")
    english = state(meeting)
    assert (english["speaker"]["delegation"], english["speaker"]["online"]) == ("MX", True)
    assert (english["next_speaker"]["delegation"], english["next_speaker"]["online"]) == (
        "CA",
        False,
    )


def test_a_new_speaker_has_a_new_turn_whatever_their_kind(meeting):
    act(meeting, "start")
    chair = state(meeting)["speaker"]["turn"]
    to_the_dialogue(meeting)
    ask(meeting, "MX")
    act(meeting, "start")
    mexico = state(meeting)["speaker"]["turn"]
    assert chair != mexico
    assert isinstance(mexico, str)


def test_the_dialogue_says_when_its_list_of_speakers_is_closed(meeting):
    to_the_dialogue(meeting)
    dialogue = meeting.agenda.get(position=3)
    floor.set_list_of_speakers(meeting, dialogue, open_=False, by=None)
    assert state(meeting)["list_of_speakers_open"] is False
    floor.set_list_of_speakers(meeting, dialogue, open_=True, by=None)
    assert state(meeting)["list_of_speakers_open"] is True


def test_a_point_of_order_in_a_round_waits_ahead_and_keeps_the_question(meeting):
    act(meeting, "next_item")
    act(meeting, "start")
    ask(meeting, "CA", point_of_order=True)
    english = state(meeting)
    assert english["item"]["kind"] == "round"
    assert (english["queue"], english["queue_order"]) == (1, ["CA"])
    assert english["next_speaker"]["delegation"] == "CA"
    assert english["next_speaker"]["point_of_order"] is True
    act(meeting, "next", 30)
    english = state(meeting)
    assert english["speaker"]["name"] == "Delegation of Canada"
    assert english["round"]["question"] == "Question 1?"
    assert english["list_of_speakers_open"] is None


def test_a_dialogue_nobody_has_asked_to_speak_in_shows_its_time_per_speaker(meeting):
    to_the_dialogue(meeting)
    shown = state(meeting)
    assert (shown["speaker"], shown["next_speaker"]) == (None, None)
    assert (shown["allotted_seconds"], shown["remaining_seconds"]) == (180, 180)
    ask(meeting, "MX")
    act(meeting, "start")
    act(meeting, "next", 100)  # Mexico has spoken: nobody waits
    assert (state(meeting)["allotted_seconds"], state(meeting)["remaining_seconds"]) == (180, 180)


def test_a_break_has_its_title_and_no_speaker_then_the_end(meeting):
    to_the_dialogue(meeting)
    ask(meeting, "MX")
    act(meeting, "start")
    act(meeting, "next_item", 60)  # the dialogue ends
    english, spanish = state(meeting), state(meeting, "es")
    assert english["item"] == {"number": 4, "kind": "other", "title": "Coffee break"}
    assert spanish["item"]["title"] == "Pausa para el café"
    assert english["between_items"] == {"item": 4, "title": "Coffee break"}
    assert (english["speaker"], english["next_speaker"]) == (None, None)
    assert (english["queue"], english["queue_order"]) == (0, [])
    assert english["state"] == "idle"
    assert english["allotted_seconds"] == 0  # a break has no clock
    act(meeting, "next_item", 900)
    english = state(meeting)
    assert english["state"] == "finished"
    assert (english["item"], english["between_items"], english["between_rounds"]) == (
        None,
        None,
        None,
    )


def test_a_meeting_concluded_by_hand_shows_no_item_and_no_queue(meeting):
    to_the_dialogue(meeting)
    ask(meeting, "MX")
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CONCLUDED)
    english = state(meeting)
    assert english["state"] == "finished"
    assert (english["item"], english["queue"], english["queue_order"]) == (None, 0, [])
    assert english["list_of_speakers_open"] is None


def snapshot_queries(meeting) -> int:
    fresh = Meeting.objects.get(pk=meeting.pk)
    with CaptureQueriesContext(connection) as queries:
        live_snapshot(fresh)
    return len(queries)


def test_the_state_costs_the_same_queries_for_two_and_twelve_requests(meeting):
    to_the_dialogue(meeting)
    ask(meeting, "MX")
    ask(meeting, "CA")
    act(meeting, "start")
    with_two = snapshot_queries(meeting)
    for number in range(10):
        code = f"Z{number}"
        state_delegation(meeting, code, f"State {code}")
        ask(meeting, code)
    Meeting.objects.filter(pk=meeting.pk).update(live_version=99)
    assert state(meeting)["queue"] == 11
    assert snapshot_queries(meeting) == with_two
