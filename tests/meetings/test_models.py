import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from meetings.domain import clock
from meetings.models import (
    QUESTION_MAX_LENGTH,
    SPEAKING_SECONDS_MAX,
    SPEAKING_SECONDS_MIN,
    TIME_ZONE_AREAS,
    TIME_ZONES,
    Answer,
    AnswerStatus,
    Meeting,
    RevisedText,
    Round,
    Turn,
    TurnStatus,
)
from tests.factories import make_meeting, make_panelist

pytestmark = pytest.mark.django_db


def violates(function) -> bool:
    try:
        with transaction.atomic():
            function()
    except IntegrityError:
        return True
    return False


def test_a_turn_is_stored_with_the_clocks_statuses_each_labelled():
    assert TurnStatus.values == [status.value for status in clock.TurnStatus]
    assert TurnStatus.RUNNING == clock.TurnStatus.RUNNING
    assert (TurnStatus.PENDING.label, TurnStatus.READY.label) == ("Waiting", "Has the floor")


def test_a_meeting_must_end_after_it_starts():
    meeting = make_meeting()
    assert violates(lambda: Meeting.objects.filter(pk=meeting.pk).update(end_time=dt.time(9, 0)))


def test_the_warning_must_come_before_the_speaking_time_ends():
    meeting = make_meeting()
    assert violates(lambda: Meeting.objects.filter(pk=meeting.pk).update(warning_seconds=420))


@pytest.mark.parametrize("model", [Meeting, Round])
@pytest.mark.parametrize("seconds", [SPEAKING_SECONDS_MIN - 1, SPEAKING_SECONDS_MAX + 1])
def test_a_speaking_time_outside_its_bounds_is_refused(model, seconds):
    make_meeting(rounds=1, warning_seconds=0)
    rows = model.objects.all()
    assert violates(lambda: rows.update(speaking_seconds=seconds))
    row = rows.get()
    row.speaking_seconds = seconds
    with pytest.raises(ValidationError) as refused:
        row.full_clean()
    assert "speaking_seconds" in refused.value.message_dict


@pytest.mark.parametrize("seconds", [SPEAKING_SECONDS_MIN, SPEAKING_SECONDS_MAX])
def test_a_speaking_time_at_its_bounds_is_kept(seconds):
    meeting = make_meeting(rounds=1, warning_seconds=0)
    Meeting.objects.filter(pk=meeting.pk).update(speaking_seconds=seconds)
    Round.objects.filter(meeting=meeting).update(speaking_seconds=seconds)
    assert Round.objects.get(meeting=meeting).speaking_seconds == seconds


def test_a_round_number_is_unique_within_its_meeting():
    meeting = make_meeting(rounds=1)
    assert violates(lambda: Round.objects.create(meeting=meeting, number=1, question_en="?"))


def test_a_panelist_speaks_once_per_round():
    panelist = make_panelist(make_meeting())
    round_ = panelist.meeting.rounds.first()
    assert violates(lambda: Turn.objects.create(round=round_, panelist=panelist, position=9))


def test_one_answer_per_panelist_and_round():
    panelist = make_panelist(make_meeting())
    round_ = panelist.meeting.rounds.first()
    Answer.objects.create(panelist=panelist, round=round_)
    assert violates(lambda: Answer.objects.create(panelist=panelist, round=round_))


def test_an_answer_longer_than_the_limit_is_refused_by_the_database():
    panelist = make_panelist(make_meeting())
    round_ = panelist.meeting.rounds.first()
    assert violates(
        lambda: Answer.objects.create(panelist=panelist, round=round_, draft_text="x" * 20_001)
    )


@pytest.mark.parametrize("language", ["en", "es", "fr", "pt"])
def test_a_question_longer_than_the_display_shows_whole_is_refused(language):
    """500 characters in each language: the projector display fits that much whole."""
    meeting = make_meeting(rounds=0)
    round_ = Round(meeting=meeting, number=1, question_en="Why?")
    setattr(round_, f"question_{language}", "x" * QUESTION_MAX_LENGTH)
    round_.full_clean()
    setattr(round_, f"question_{language}", "x" * (QUESTION_MAX_LENGTH + 1))
    with pytest.raises(ValidationError) as refused:
        round_.full_clean()
    assert list(refused.value.message_dict) == [f"question_{language}"]


def test_a_submitted_answer_has_a_submission_time():
    panelist = make_panelist(make_meeting())
    round_ = panelist.meeting.rounds.first()
    assert violates(
        lambda: Answer.objects.create(
            panelist=panelist, round=round_, status=AnswerStatus.SUBMITTED
        )
    )


def test_an_unknown_time_zone_is_refused():
    meeting = make_meeting()
    meeting.time_zone = "Mars/Olympus_Mons"
    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert "time_zone" in error.value.message_dict


@pytest.mark.parametrize(
    "zone",
    ["localtime", "Factory", "US/Eastern", "Etc/GMT+5", "EST", "GMT", "Cuba", "posix/Asia/Tokyo"],
)
def test_a_time_zone_that_is_no_real_region_is_refused(zone):
    meeting = make_meeting()
    meeting.time_zone = zone
    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert "choose a region such as America/New_York" in error.value.message_dict["time_zone"][0]


@pytest.mark.parametrize(
    "zone", ["UTC", "America/New_York", "America/Argentina/Buenos_Aires", "Pacific/Kiritimati"]
)
def test_real_regions_and_utc_are_accepted(zone):
    meeting = make_meeting()
    meeting.time_zone = zone
    meeting.full_clean()


def test_the_list_of_time_zones_is_made_of_areas_and_locations():
    assert "UTC" in TIME_ZONES and "America/New_York" in TIME_ZONES
    assert all(zone == "UTC" or zone.split("/")[0] in TIME_ZONE_AREAS for zone in TIME_ZONES)
    assert len(TIME_ZONES) > 300


def test_new_is_not_a_meeting_slug():
    meeting = make_meeting()
    meeting.slug = "new"
    with pytest.raises(ValidationError) as error:
        meeting.full_clean()
    assert "slug" in error.value.message_dict


def test_starts_at_is_the_local_time_in_the_meetings_zone():
    meeting = make_meeting(date=dt.date(2022, 5, 17), start_time=dt.time(10, 0))
    assert meeting.starts_at.astimezone(dt.UTC) == dt.datetime(2022, 5, 17, 14, 0, tzinfo=dt.UTC)


def test_a_seat_without_a_name_is_to_be_confirmed():
    panelist = make_panelist(make_meeting(), name="", honorific="")
    assert panelist.is_to_be_confirmed
    assert panelist.display_name == "To be confirmed"


def test_a_meeting_and_its_rounds_are_found_by_their_natural_keys():
    meeting = make_meeting(slug="natural")
    round_ = meeting.rounds.get(number=2)
    assert meeting.natural_key() == ("natural",)
    assert round_.natural_key() == ("natural", 2)
    assert Meeting.objects.get_by_natural_key("natural") == meeting
    assert Round.objects.get_by_natural_key("natural", 2) == round_


# A meeting's save ------------------------------------------------------------------------------


def stored(meeting) -> Meeting:
    return Meeting.objects.get(pk=meeting.pk)


def test_a_whole_save_leaves_the_consoles_fields_as_the_console_left_them():
    meeting = make_meeting()
    form_copy = stored(meeting)  # a form opened before the console acted
    console = stored(meeting)
    console.live_version, console.message_key = 7, "conclude"
    console.save(update_fields=["live_version", "message_key"])
    form_copy.title_en = "A new title"
    form_copy.save()
    saved = stored(meeting)
    # the console's message kept, and its version raised (the screens show the new title),
    # not lowered back to the copy's
    assert (saved.title_en, saved.message_key, saved.live_version) == ("A new title", "conclude", 8)


def test_a_save_that_names_its_fields_writes_exactly_those():
    meeting = make_meeting(title_en="Migration governance")
    meeting.title_en, meeting.message = "Not written", "Please conclude"
    meeting.save(update_fields=["message"])
    saved = stored(meeting)
    assert (saved.title_en, saved.message) == ("Migration governance", "Please conclude")


def test_a_whole_save_raises_the_calendar_sequence_when_the_meeting_moves_and_only_then():
    meeting = make_meeting()
    meeting.title_en = "A new title"
    meeting.save()
    assert stored(meeting).calendar_sequence == 0
    meeting.virtual_link = "https://meet.example/cam"
    meeting.save()
    meeting.save()  # saved again unmoved: the same event
    assert stored(meeting).calendar_sequence == 1


def test_a_new_meeting_is_written_whole_at_sequence_zero():
    meeting = make_meeting(rounds=0, live_version=3)
    assert (stored(meeting).live_version, stored(meeting).calendar_sequence) == (3, 0)


# A turn's clock and texts ----------------------------------------------------------------------


T0 = dt.datetime(2030, 5, 17, 14, 0, tzinfo=dt.UTC)


def test_a_turn_reads_its_clock_with_its_rounds_speaking_time_and_the_added_minutes():
    panelist = make_panelist(make_meeting())
    turn = panelist.turns.get(round__number=2)
    turn.added_seconds = 60
    assert turn.to_clock() == clock.Turn(
        id=turn.pk, item=2, position=turn.position, allotted=480.0, added=60.0
    )
    assert turn.allotted_seconds == 480


def test_save_clock_writes_the_clock_and_nothing_else():
    panelist = make_panelist(make_meeting())
    turn = panelist.turns.get(round__number=1)
    before = turn.to_clock()
    after = clock.Session.of([before]).start(T0).add_minute().turn(turn.pk)
    turn.notes = "Not written: the notes have a history of their own"
    turn.save_clock(after, before)
    saved = Turn.objects.get(pk=turn.pk)
    assert (saved.status, saved.added_seconds, saved.running_since, saved.started_at) == (
        TurnStatus.RUNNING,
        60,
        T0,
        T0,
    )
    assert saved.notes == ""
    assert saved.to_clock() == after


def test_replace_text_raises_that_texts_version_and_writes_that_text_only():
    turn = make_panelist(make_meeting()).turns.first()
    turn.summary = "Not written"
    turn.replace_text(RevisedText.NOTES, "Coordination with the CSM")
    saved = Turn.objects.get(pk=turn.pk)
    assert saved.text_and_version(RevisedText.NOTES) == ("Coordination with the CSM", 1)
    assert saved.text_and_version(RevisedText.SUMMARY) == ("", 0)


def test_a_turns_clock_and_texts_keep_their_constraints_names():
    names = {constraint.name for constraint in Turn._meta.constraints}
    assert names == {
        "turn_once_per_round",
        "turn_one_current_per_meeting",
        "turn_status_valid",
        "turn_only_running_has_running_since",
        "turn_spent_not_negative",
        "turn_notes_length",
    }
