"""Automatic reminders before a meeting's deadlines, to the panelists who still owe something.

A meeting may have a deadline to confirm participation and, per round, one for the written
answer; its rule (Meeting.reminder_days, "7,2") says how many days before each deadline a
reminder goes out, at the deadline's time of day in the meeting's time zone. `plan` says
which reminders are due from now on, reading only; `sync` brings the outbox in line with it
whenever something it depends on changes (a deadline, the rule, a reply, an answer, the
panel), and the composers registered here check again, when the reminder is sent, that it
is still needed.
"""

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from meetings.models import AnswerStatus, Meeting, MeetingStatus, Panelist, PanelistStatus, Round

CONFIRMATION = "confirmation_reminder"
ANSWERS = "answers_reminder"
KINDS = (CONFIRMATION, ANSWERS)

# A meeting in these states sends no reminder: a draft is not announced yet, and a concluded
# (or cancelled) one asks nothing more of its panelists.
REMINDED_STATUSES = frozenset({MeetingStatus.SCHEDULED, MeetingStatus.IN_PROGRESS})


@dataclass(frozen=True)
class PlannedReminder:
    panelist_id: int
    kind: Literal["confirmation_reminder", "answers_reminder"]
    round_number: int | None  # the round whose answer is due (None: the confirmation)
    deadline: dt.datetime
    send_at: dt.datetime
    key: str  # the same reminder planned again has the same key (the outbox's idempotency)


@dataclass(frozen=True)
class Deadline:
    """A deadline as the pages show it: to confirm (round_number None) or a round's answer."""

    round_number: int | None
    at: dt.datetime
    passed: bool


def deadline(at: dt.datetime | None, now: dt.datetime, round_number: int | None = None):
    """The deadline at `at` (None when there is none), and whether it has passed."""
    return None if at is None else Deadline(round_number, at, at < now)


def deadlines(
    meeting: Meeting, now: dt.datetime, rounds: Iterable[Round] | None = None
) -> list[Deadline]:
    """The meeting's deadlines, the confirmation's first, then each round's in its order."""
    found = [deadline(meeting.confirmation_deadline, now)]
    found.extend(
        deadline(round_.answers_deadline, now, round_.number)
        for round_ in (meeting.rounds.all() if rounds is None else rounds)
    )
    return [item for item in found if item is not None]


def reminder_key(
    kind: str, panelist_id: int, round_number: int | None, deadline: dt.datetime, days: int
) -> str:
    # The deadline in UTC: the same instant gives the same key, whatever zone it was read in.
    moment = deadline.astimezone(dt.UTC).isoformat()
    return f"{kind}:{panelist_id}:{round_number or '-'}:{moment}:{days}d"


def send_time(deadline: dt.datetime, days: int, zone) -> dt.datetime:
    """`days` calendar days before the deadline, at its time of day in the meeting's zone
    (a reminder a week before a 17:00 deadline goes out at 17:00, across a change of
    summer time too)."""
    local = deadline.astimezone(zone).replace(tzinfo=None) - dt.timedelta(days=days)
    return local.replace(tzinfo=zone)


def is_reminded(panelist: Panelist) -> bool:
    """Whether the panelist may be reminded at all: they have an address and take part."""
    return bool(panelist.email) and panelist.status != PanelistStatus.DECLINED


def submitted_rounds(panelist: Panelist) -> set[int]:
    """The ids of the rounds the panelist has submitted an answer to (their answers read
    once; prefetched by `sync`)."""
    return {
        answer.round_id
        for answer in panelist.answers.all()
        if answer.status == AnswerStatus.SUBMITTED
    }


def owed(
    meeting: Meeting, panelists: Iterable[Panelist], rounds: list[Round] | None = None
) -> Iterator[PlannedReminder]:
    """Every reminder the rule asks for, past ones included: what the panelists still owe."""
    if meeting.status not in REMINDED_STATUSES or not meeting.reminder_rule:
        return
    zone = meeting.zone
    rule = meeting.reminder_rule
    rounds = [r for r in (meeting.rounds.all() if rounds is None else rounds) if r.answers_deadline]
    for panelist in panelists:
        if not is_reminded(panelist):
            continue
        due: list[tuple[str, int | None, dt.datetime]] = []
        if meeting.confirmation_deadline and panelist.status == PanelistStatus.INVITED:
            due.append((CONFIRMATION, None, meeting.confirmation_deadline))
        if rounds:
            submitted = submitted_rounds(panelist)
            due.extend(
                (ANSWERS, round_.number, round_.answers_deadline)
                for round_ in rounds
                if round_.pk not in submitted
            )
        for kind, number, deadline in due:
            for days in rule:
                yield PlannedReminder(
                    panelist_id=panelist.pk,
                    kind=kind,
                    round_number=number,
                    deadline=deadline,
                    send_at=send_time(deadline, days, zone),
                    key=reminder_key(kind, panelist.pk, number, deadline, days),
                )


def plan(
    meeting: Meeting,
    panelists: Iterable[Panelist],
    now: dt.datetime,
    *,
    rounds: list[Round] | None = None,
) -> list[PlannedReminder]:
    """The reminders still to send from `now`, in the order they go out.

    A panelist who has not answered the invitation is reminded before the deadline to
    confirm; one who has not submitted a round's answer, before that round's deadline; each
    on every day of the meeting's rule. Who declined, who has no address, and every panelist
    of a meeting not scheduled or under way, get none; a reminder whose time has passed is
    not planned. Reads the meeting's rounds (or `rounds`) and each panelist's answers; writes
    nothing."""
    reminders = [
        reminder for reminder in owed(meeting, panelists, rounds) if reminder.send_at >= now
    ]
    return sorted(reminders, key=lambda r: (r.send_at, r.panelist_id, r.kind, r.round_number or 0))
