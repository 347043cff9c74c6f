import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.utils import translation

from meetings.domain.clock import NotAllowed
from meetings.live.state import live_state
from meetings.models import (
    Meeting,
    MeetingLog,
    MeetingStatus,
    PanelistStatus,
    RevisedText,
    TextRevision,
    Turn,
    TurnStatus,
)
from meetings.services import live_session
from meetings.services.panel import name_substitute, respond_to_invitation
from meetings.services.revisions import save_text
from tests.factories import before_the_session, make_meeting, make_panelist, make_user

T0 = dt.datetime(2030, 5, 17, 14, 0, tzinfo=dt.UTC)


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


@pytest.fixture
def meeting(db):
    meeting = make_meeting()
    for _ in range(3):
        make_panelist(meeting)
    return before_the_session(meeting)


def act(meeting, action, seconds=0.0, **arguments):
    return live_session.perform(meeting, action, by=None, now=at(seconds), **arguments)


def statuses(meeting, round_number=1) -> list[str]:
    return list(
        Turn.objects.filter(meeting=meeting, round__number=round_number)
        .order_by("position")
        .values_list("status", flat=True)
    )


def test_every_action_raises_the_version_and_is_logged_with_who(meeting):
    chair = make_user()
    live_session.perform(meeting, "start", by=chair, now=at(0))
    live_session.perform(meeting, "pause", by=chair, now=at(5))
    meeting.refresh_from_db()
    assert meeting.live_version == 2
    entries = MeetingLog.objects.filter(action__startswith="clock.").order_by("at")
    assert [(entry.action, entry.actor) for entry in entries] == [
        ("clock.start", chair),
        ("clock.pause", chair),
    ]


def test_the_first_start_puts_the_meeting_in_progress(meeting):
    act(meeting, "start")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.IN_PROGRESS


def test_the_clock_is_stored_as_timestamps_not_counted_down(meeting):
    act(meeting, "start", 0)
    act(meeting, "pause", 100)
    turn = Turn.objects.get(meeting=meeting, status=TurnStatus.PAUSED)
    assert (turn.spent_seconds, turn.running_since, turn.started_at) == (100.0, None, at(0))
    act(meeting, "resume", 500)
    turn.refresh_from_db()
    assert (turn.spent_seconds, turn.running_since) == (100.0, at(500))


def test_an_added_minute_is_stored_on_its_turn(meeting):
    act(meeting, "start")
    act(meeting, "add_minute")
    act(meeting, "next", 10)
    assert list(
        Turn.objects.filter(meeting=meeting, round__number=1)
        .order_by("position")
        .values_list("added_seconds", flat=True)
    ) == [60, 0, 0]


def test_next_speaker_and_the_end_of_a_round(meeting):
    act(meeting, "start", 0)
    act(meeting, "next", 10)
    assert statuses(meeting) == ["finished", "ready", "pending"]
    act(meeting, "skip", 11)
    act(meeting, "next", 12)
    assert statuses(meeting) == ["finished", "skipped", "finished"]
    assert live_state(Meeting.objects.get(pk=meeting.pk), now=at(13))["state"] == "idle"
    act(meeting, "start", 14)
    assert statuses(meeting, 2) == ["running", "pending", "pending"]


def test_a_stale_console_changes_nothing(meeting):
    act(meeting, "start")
    with pytest.raises(live_session.StaleVersion):
        live_session.perform(meeting, "next", by=None, expected_version=0, now=at(1))
    assert statuses(meeting) == ["running", "pending", "pending"]


def test_an_impossible_action_changes_nothing(meeting):
    with pytest.raises(NotAllowed):
        act(meeting, "pause")
    meeting.refresh_from_db()
    assert meeting.live_version == 0


def test_finishing_and_reopening_a_round(meeting):
    act(meeting, "start")
    act(meeting, "finish_round", 5, round_number=1)
    assert statuses(meeting) == ["finished", "skipped", "skipped"]
    act(meeting, "reopen_round", 6, round_number=1)
    assert statuses(meeting) == ["finished", "pending", "pending"]


def test_a_message_reaches_live_state(meeting):
    live_session.set_message(meeting, "  Please conclude  ", by=None)
    state = live_state(Meeting.objects.get(pk=meeting.pk))
    assert (state["message"], state["version"]) == ("Please conclude", 1)


def test_a_message_over_the_limit_is_refused_not_cut(meeting):
    live_session.set_message(meeting, "Please conclude", by=None)
    with pytest.raises(ValidationError, match="at most 200 characters; this one has 201"):
        live_session.set_message(meeting, "x" * 201, by=None)
    with pytest.raises(ValidationError, match="Write this on one line"):
        live_session.set_message(meeting, "Please\nconclude", by=None)
    assert Meeting.objects.get(pk=meeting.pk).message == "Please conclude"
    live_session.set_message(
        meeting, " " + "x" * 200 + " ", by=None
    )  # the limit counts what is shown
    assert Meeting.objects.get(pk=meeting.pk).message == "x" * 200


def test_a_quick_message_is_kept_as_its_key_and_said_in_the_language_of_the_state(meeting):
    chair = make_user()
    live_session.set_quick_message(meeting, "conclude", by=chair)
    saved = Meeting.objects.get(pk=meeting.pk)
    assert (saved.message_key, saved.message, saved.live_version) == ("conclude", "", 1)
    with translation.override("es"):
        spanish = live_state(saved)
    with translation.override("fr"):
        french = live_state(saved)
    assert (spanish["message"], spanish["message_key"]) == ("Por favor, concluya", "conclude")
    assert (french["message"], french["message_key"]) == ("Veuillez conclure", "conclude")
    entry = MeetingLog.objects.get(action="clock.message")
    assert (entry.actor, entry.detail) == (chair, {"message_key": "conclude"})


def test_a_typed_message_replaces_a_quick_one_and_stays_as_typed_in_every_language(meeting):
    live_session.set_quick_message(meeting, "time_up", by=None)
    live_session.set_message(meeting, "Please conclude, Ambassador", by=None)
    saved = Meeting.objects.get(pk=meeting.pk)
    assert (saved.message_key, saved.message) == ("", "Please conclude, Ambassador")
    for language in ("en", "es", "fr", "pt"):
        with translation.override(language):
            state = live_state(saved)
        assert (state["message"], state["message_key"]) == ("Please conclude, Ambassador", None)


def test_clearing_the_message_clears_a_quick_one(meeting):
    live_session.set_quick_message(meeting, "one_minute", by=None)
    live_session.set_message(meeting, "", by=None)
    state = live_state(Meeting.objects.get(pk=meeting.pk))
    assert (state["message"], state["message_key"], state["version"]) == (None, None, 2)


def test_an_unknown_quick_message_is_refused_and_changes_nothing(meeting):
    live_session.set_quick_message(meeting, "conclude", by=None)
    with pytest.raises(ValidationError, match="This quick message does not exist"):
        live_session.set_quick_message(meeting, "<b>louder</b>", by=None)
    saved = Meeting.objects.get(pk=meeting.pk)
    assert (saved.message_key, saved.live_version) == ("conclude", 1)


def test_live_state_during_a_turn(meeting):
    act(meeting, "start", 0)
    act(meeting, "add_minute", 1)
    state = live_state(Meeting.objects.get(pk=meeting.pk), now=at(100))
    first, second = Turn.objects.filter(meeting=meeting, round__number=1).order_by("position")[:2]
    assert state["state"] == "running"
    assert (state["allotted_seconds"], state["remaining_seconds"]) == (480, 380.0)
    assert state["speaker"]["id"] == first.panelist_id
    assert state["next_speaker"]["id"] == second.panelist_id
    assert state["round"] == {"number": 1, "question": "Question 1?", "speaking_seconds": 420}
    assert state["server_time"] == "2030-05-17T14:01:40.000Z"


def test_notes_are_saved_with_a_history(meeting):
    turn = Turn.objects.filter(meeting=meeting).first()
    user = make_user()
    saved = save_notes(turn, "First point.", base_version=0, by=user)
    saved = save_notes(saved.turn, "First point. Second.", base_version=1, by=user)
    assert (saved.turn.notes, saved.turn.notes_version, saved.conflict) == (
        "First point. Second.",
        2,
        None,
    )
    assert TextRevision.objects.filter(turn=turn).count() == 2


def test_two_people_typing_notes_lose_nothing(meeting):
    turn = Turn.objects.filter(meeting=meeting).first()
    ana, luis = make_user(), make_user()
    save_notes(turn, "Ana's notes", base_version=0, by=ana)
    saved = save_notes(turn, "Luis's notes", base_version=0, by=luis)
    turn.refresh_from_db()
    assert turn.notes == "Ana's notes"
    assert saved.conflict.text == "Luis's notes"
    assert saved.conflict.conflicted and saved.conflict.saved_by == luis
    # Luis, told, saves on top of Ana's version: both texts stay in the history.
    save_notes(turn, "Ana's notes\nLuis's notes", base_version=saved.turn.notes_version, by=luis)
    turn.refresh_from_db()
    assert turn.notes == "Ana's notes\nLuis's notes"
    texts = set(TextRevision.objects.filter(turn=turn).values_list("text", flat=True))
    assert texts == {"Ana's notes", "Luis's notes", "Ana's notes\nLuis's notes"}


# Two consoles at once -------------------------------------------------------------------------


def press_at_once(meeting_pk: int, action: str, version: int, consoles: int) -> list[str]:
    """Several consoles press the same button with the same version, in threads."""
    barrier = threading.Barrier(consoles)
    outcomes: list[str] = []

    def console():
        close_old_connections()
        try:
            barrier.wait()
            live_session.perform(
                Meeting.objects.get(pk=meeting_pk), action, by=None, expected_version=version
            )
            outcomes.append("done")
        except Exception as refused:  # every outcome is reported, errors included
            outcomes.append(type(refused).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=console) for _ in range(consoles)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("action", ["next", "start"])
def test_two_consoles_pressing_at_once_cause_one_transition(action):
    meeting = make_meeting()
    for _ in range(3):
        make_panelist(meeting)
    if action == "next":
        live_session.perform(meeting, "start", by=None)
    version = Meeting.objects.get(pk=meeting.pk).live_version

    outcomes = press_at_once(meeting.pk, action, version, consoles=4)

    assert sorted(outcomes) == ["StaleVersion"] * 3 + ["done"]
    assert Meeting.objects.get(pk=meeting.pk).live_version == version + 1
    expected = (
        ["finished", "ready", "pending"] if action == "next" else ["running", "pending", "pending"]
    )
    assert statuses(meeting) == expected


def save_notes(turn, text, *, base_version, by):
    return save_text(turn, RevisedText.NOTES, text, base_version=base_version, by=by)


# Concluding the meeting -----------------------------------------------------------------------


def run_to_the_end(meeting) -> Meeting:
    """Every turn of both rounds given or skipped: the last item has ended."""
    act(meeting, "start", 0)
    act(meeting, "finish_round", 60, round_number=1)
    act(meeting, "start", 70)
    act(meeting, "finish_round", 130, round_number=2)
    return Meeting.objects.get(pk=meeting.pk)


def test_concluding_after_the_last_turn_makes_the_meeting_concluded_logged_with_who(meeting):
    chair = make_user()
    ended = run_to_the_end(meeting)
    live_session.set_quick_message(ended, "conclude", by=chair)
    version = Meeting.objects.get(pk=meeting.pk).live_version
    live_session.conclude(meeting, by=chair, expected_version=version)
    concluded = Meeting.objects.get(pk=meeting.pk)
    assert concluded.status == MeetingStatus.CONCLUDED
    assert concluded.live_version == version + 1
    assert (concluded.message, concluded.message_key) == ("", "")  # nobody left to read it
    entry = MeetingLog.objects.get(action="clock.conclude")
    assert (entry.actor, entry.detail) == (chair, {"version": version + 1})
    state = live_state(concluded)
    assert (state["state"], state["speaker"], state["next_speaker"]) == ("finished", None, None)


def test_concluding_while_speakers_wait_is_refused_and_changes_nothing(meeting):
    act(meeting, "start", 0)
    act(meeting, "finish_round", 60, round_number=1)  # round 2 still to come
    with pytest.raises(NotAllowed):
        live_session.conclude(meeting, by=None)
    saved = Meeting.objects.get(pk=meeting.pk)
    assert (saved.status, saved.live_version) == (MeetingStatus.IN_PROGRESS, 2)
    assert not MeetingLog.objects.filter(action="clock.conclude").exists()


def test_two_consoles_concluding_at_once_conclude_once(meeting):
    version = run_to_the_end(meeting).live_version
    live_session.conclude(meeting, by=None, expected_version=version)
    with pytest.raises(live_session.StaleVersion):  # the second console saw the same version
        live_session.conclude(meeting, by=None, expected_version=version)
    with pytest.raises(NotAllowed):  # and without one: concluded already
        live_session.conclude(meeting, by=None)
    assert MeetingLog.objects.filter(action="clock.conclude").count() == 1
    assert Meeting.objects.get(pk=meeting.pk).live_version == version + 1


def test_a_concluded_meeting_refuses_every_console_action(meeting):
    version = run_to_the_end(meeting).live_version
    live_session.conclude(meeting, by=None)
    with pytest.raises(NotAllowed):
        act(meeting, "reopen_round", 200, round_number=1)  # the skipped speakers of round 1
    with pytest.raises(NotAllowed):
        act(meeting, "start", 200)
    assert Meeting.objects.get(pk=meeting.pk).live_version == version + 1
    assert statuses(meeting) == ["finished", "skipped", "skipped"]


def test_a_meeting_concluded_by_hand_shows_the_end_on_every_screen(meeting):
    act(meeting, "start", 0)
    live_session.set_quick_message(meeting, "conclude", by=None)
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CONCLUDED)
    state = live_state(Meeting.objects.get(pk=meeting.pk))
    assert (state["state"], state["speaker"], state["between_rounds"]) == ("finished", None, None)
    assert (state["message"], state["message_key"]) == (None, None)


# Who declined is out of the live order ----------------------------------------------------------


def names_in_order(meeting) -> list[str]:
    return [
        f"{turn.round.number}:{turn.panelist.name}" for turn in live_session.meeting_turns(meeting)
    ]


@pytest.fixture
def declined(meeting):
    """The first of the three speakers declined after the order was set."""
    first = Turn.objects.get(meeting=meeting, round__number=1, position=1).panelist
    respond_to_invitation(first, PanelistStatus.DECLINED)
    return before_the_session(Meeting.objects.get(pk=meeting.pk)), first


def test_start_gives_the_floor_to_the_first_who_has_not_declined(declined):
    meeting, first = declined
    state = live_state(meeting)
    assert state["next_speaker"]["id"] != first.pk
    act(meeting, "start", 0)
    state = live_state(Meeting.objects.get(pk=meeting.pk))
    assert state["speaker"]["id"] != first.pk
    assert Turn.objects.get(panelist=first, round__number=1).status == TurnStatus.PENDING


def test_next_reopen_and_the_next_round_never_reach_who_declined(declined):
    meeting, first = declined
    act(meeting, "start", 0)
    act(meeting, "next", 10)  # the third speaker has the floor
    act(meeting, "skip", 20)  # round 1 is over
    state = live_state(Meeting.objects.get(pk=meeting.pk))
    assert (state["round"]["number"], state["next_speaker"]["id"]) == (2, state_second(meeting))
    act(meeting, "reopen_round", 30, round_number=1)  # the skipped third, not who declined
    assert Turn.objects.get(panelist=first, round__number=1).status == TurnStatus.PENDING
    reopened = Turn.objects.get(meeting=meeting, round__number=1, position=3)
    assert reopened.status == TurnStatus.PENDING
    act(meeting, "next", 40)
    assert live_state(Meeting.objects.get(pk=meeting.pk))["speaker"]["id"] == (reopened.panelist_id)
    with pytest.raises(NotAllowed):  # their turn is not in the session at all
        act(meeting, "give_floor", 50, turn_id=Turn.objects.get(panelist=first, round__number=1).pk)


def state_second(meeting) -> int:
    return Turn.objects.get(meeting=meeting, round__number=2, position=2).panelist_id


def test_a_substitute_speaks_in_the_places_of_who_declined(declined):
    meeting, first = declined
    substitute = name_substitute(first, by=None, name="Eva Ruiz")
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert (
        live_state(meeting)["next_speaker"].items()
        >= {
            "name": "Eva Ruiz",
            "mechanism": first.mechanism.name,
            "acronym": first.mechanism.acronym,
            "id": substitute.pk,
        }.items()
    )
    act(meeting, "start", 0)
    assert live_state(Meeting.objects.get(pk=meeting.pk))["speaker"]["id"] == substitute.pk
    assert first.name not in " ".join(names_in_order(meeting))
