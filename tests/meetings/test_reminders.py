"""Planning the reminders before a meeting's deadlines: who is reminded of what, and when.

The meeting is held on 17 May 2030 in New York; the deadline to confirm is 1 May at 17:00
there, round 1's answers are due on 10 May at 12:00 and round 2 has no deadline. "Now" is
fixed by each test."""

import datetime as dt
import zoneinfo

import pytest

from meetings.models import AnswerStatus, Meeting, MeetingStatus, PanelistStatus
from meetings.services.answers import save_draft, submit_answer
from meetings.services.reminders import (
    ANSWERS,
    CONFIRMATION,
    PlannedReminder,
    plan,
    reminder_key,
)
from tests import factories
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db


def make_panelist(meeting, **fields):
    """A panelist already invited: only they are owed reminders."""
    fields.setdefault("invited_at", dt.datetime(2030, 1, 2, 15, 0, tzinfo=dt.UTC))
    return factories.make_panelist(meeting, **fields)


NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
CONFIRM_BY = dt.datetime(2030, 5, 1, 17, 0, tzinfo=NEW_YORK)
ANSWER_BY = dt.datetime(2030, 5, 10, 12, 0, tzinfo=NEW_YORK)
EARLY = dt.datetime(2030, 4, 1, 9, 0, tzinfo=NEW_YORK)


def at(day: int, hour: int, month: int = 4) -> dt.datetime:
    return dt.datetime(2030, month, day, hour, 0, tzinfo=NEW_YORK)


@pytest.fixture
def meeting():
    meeting = make_meeting(confirmation_deadline=CONFIRM_BY, reminder_days="7,2")
    meeting.rounds.filter(number=1).update(answers_deadline=ANSWER_BY)
    return meeting


def planned(meeting, now=EARLY) -> list[PlannedReminder]:
    meeting = Meeting.objects.get(pk=meeting.pk)
    return plan(meeting, meeting.panelists.prefetch_related("answers"), now)


def summary(reminders) -> list[tuple]:
    return [
        (r.kind, r.round_number, r.send_at.astimezone(NEW_YORK).strftime("%d/%m %H:%M"))
        for r in reminders
    ]


def test_an_invited_panelist_is_reminded_to_confirm_and_to_answer_on_each_day_of_the_rule(
    meeting,
):
    make_panelist(meeting)
    assert summary(planned(meeting)) == [
        (CONFIRMATION, None, "24/04 17:00"),
        (CONFIRMATION, None, "29/04 17:00"),
        (ANSWERS, 1, "03/05 12:00"),
        (ANSWERS, 1, "08/05 12:00"),
    ]


def test_each_reminder_names_its_panelist_deadline_and_a_key_made_of_them(meeting):
    panelist = make_panelist(meeting)
    first = planned(meeting)[0]
    assert first == PlannedReminder(
        panelist_id=panelist.pk,
        kind=CONFIRMATION,
        round_number=None,
        deadline=CONFIRM_BY,
        send_at=at(24, 17),
        key=f"confirmation_reminder:{panelist.pk}:-:2030-05-01T21:00:00+00:00:7d",
    )
    answers = planned(meeting)[2]
    assert answers.key == f"answers_reminder:{panelist.pk}:1:2030-05-10T16:00:00+00:00:7d"


def test_planning_again_gives_the_same_reminders_with_the_same_keys(meeting):
    make_panelist(meeting)
    make_panelist(meeting)
    first, again = planned(meeting), planned(meeting)
    assert first == again
    assert len({r.key for r in first}) == len(first) == 8


def test_the_key_reads_the_deadline_in_utc_whatever_its_zone():
    in_paris = CONFIRM_BY.astimezone(zoneinfo.ZoneInfo("Europe/Paris"))
    assert reminder_key(CONFIRMATION, 4, None, in_paris, 2) == reminder_key(
        CONFIRMATION, 4, None, CONFIRM_BY, 2
    )


def test_a_moved_deadline_gives_new_keys(meeting):
    make_panelist(meeting)
    before = {r.key for r in planned(meeting)}
    Meeting.objects.filter(pk=meeting.pk).update(
        confirmation_deadline=CONFIRM_BY + dt.timedelta(days=1)
    )
    after = {r.key for r in planned(meeting)}
    assert len(before - after) == 2  # the two confirmation reminders; the answers' stay
    assert summary(planned(meeting))[:2] == [
        (CONFIRMATION, None, "25/04 17:00"),
        (CONFIRMATION, None, "30/04 17:00"),
    ]


def test_who_confirmed_is_reminded_only_of_the_answers(meeting):
    make_panelist(meeting, status=PanelistStatus.CONFIRMED)
    assert [r.kind for r in planned(meeting)] == [ANSWERS, ANSWERS]


def test_who_submitted_a_rounds_answer_is_not_reminded_of_it_a_draft_is(meeting):
    submitted = make_panelist(meeting, status=PanelistStatus.CONFIRMED)
    drafting = make_panelist(meeting, status=PanelistStatus.CONFIRMED)
    round_1 = meeting.rounds.get(number=1)
    submit_answer(submitted, round_1, "Our answer.")
    save_draft(drafting, round_1, "Half an answer")
    assert {r.panelist_id for r in planned(meeting)} == {drafting.pk}
    assert submitted.answers.get().status == AnswerStatus.SUBMITTED


def test_who_declined_or_has_no_email_is_never_reminded(meeting):
    make_panelist(meeting, status=PanelistStatus.DECLINED)
    make_panelist(meeting, email="")
    assert planned(meeting) == []


def test_a_reminder_whose_time_has_passed_is_dropped(meeting):
    make_panelist(meeting)
    # After the first confirmation reminder's time, before the second's.
    assert summary(planned(meeting, now=at(26, 8))) == [
        (CONFIRMATION, None, "29/04 17:00"),
        (ANSWERS, 1, "03/05 12:00"),
        (ANSWERS, 1, "08/05 12:00"),
    ]
    # At the very instant it is due, it is still planned.
    assert planned(meeting, now=at(29, 17))[0].send_at == at(29, 17)
    # Once every deadline has passed, nothing is left.
    assert planned(meeting, now=at(11, 0, month=5)) == []


@pytest.mark.parametrize("status", [MeetingStatus.CONCLUDED, MeetingStatus.DRAFT])
def test_a_meeting_not_scheduled_nor_under_way_sends_no_reminder(meeting, status):
    make_panelist(meeting)
    Meeting.objects.filter(pk=meeting.pk).update(status=status)
    assert planned(meeting) == []


def test_a_meeting_under_way_still_reminds(meeting):
    make_panelist(meeting)
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.IN_PROGRESS)
    assert len(planned(meeting)) == 4


def test_an_empty_rule_sends_no_reminder(meeting):
    make_panelist(meeting)
    Meeting.objects.filter(pk=meeting.pk).update(reminder_days="")
    assert planned(meeting) == []


def test_without_deadlines_there_is_nothing_to_remind_of():
    meeting = make_meeting()
    make_panelist(meeting)
    assert planned(meeting) == []


def test_the_rule_decides_the_days(meeting):
    make_panelist(meeting, status=PanelistStatus.CONFIRMED)
    Meeting.objects.filter(pk=meeting.pk).update(reminder_days="14,3,1")
    assert summary(planned(meeting)) == [
        (ANSWERS, 1, "26/04 12:00"),
        (ANSWERS, 1, "07/05 12:00"),
        (ANSWERS, 1, "09/05 12:00"),
    ]


def test_each_round_with_a_deadline_is_reminded_of_on_its_own(meeting):
    make_panelist(meeting, status=PanelistStatus.CONFIRMED)
    meeting.rounds.filter(number=2).update(answers_deadline=at(12, 9, month=5))
    assert summary(planned(meeting)) == [
        (ANSWERS, 1, "03/05 12:00"),
        (ANSWERS, 2, "05/05 09:00"),
        (ANSWERS, 1, "08/05 12:00"),
        (ANSWERS, 2, "10/05 09:00"),
    ]


def test_a_reminder_keeps_the_deadlines_time_of_day_across_a_change_of_summer_time():
    # New York moves its clocks on 10 March 2030: a week before 17:00 on the 15th (EDT) is
    # 17:00 on the 8th (EST), 22:00 UTC rather than the deadline's 21:00.
    deadline = dt.datetime(2030, 3, 15, 17, 0, tzinfo=NEW_YORK)
    meeting = make_meeting(confirmation_deadline=deadline, reminder_days="7")
    make_panelist(meeting)
    (reminder,) = planned(meeting, now=dt.datetime(2030, 3, 1, tzinfo=dt.UTC))
    assert reminder.send_at.astimezone(dt.UTC) == dt.datetime(2030, 3, 8, 22, 0, tzinfo=dt.UTC)
    assert reminder.send_at.astimezone(NEW_YORK).hour == 17


def test_the_time_of_day_is_the_meetings_not_the_servers():
    tokyo = zoneinfo.ZoneInfo("Asia/Tokyo")
    deadline = dt.datetime(2030, 5, 1, 9, 0, tzinfo=tokyo)
    meeting = make_meeting(
        time_zone="Asia/Tokyo", confirmation_deadline=deadline, reminder_days="2"
    )
    make_panelist(meeting)
    (reminder,) = planned(meeting)
    assert reminder.send_at.astimezone(tokyo) == dt.datetime(2030, 4, 29, 9, 0, tzinfo=tokyo)


def test_planning_writes_nothing(meeting, django_assert_max_num_queries):
    make_panelist(meeting)
    fresh = Meeting.objects.get(pk=meeting.pk)
    panelists = list(fresh.panelists.prefetch_related("answers"))
    with django_assert_max_num_queries(1) as queries:  # the rounds, read once
        plan(fresh, panelists, EARLY)
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in queries.captured_queries)
