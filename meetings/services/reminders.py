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

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from config.common.formatting import plain
from meetings.models import (
    AnswerStatus,
    Email,
    EmailStatus,
    Meeting,
    MeetingStatus,
    Panelist,
    PanelistStatus,
    Round,
)
from meetings.models.email import WAITING
from meetings.services import outbox
from meetings.services.audit import log_action
from meetings.services.links import ensure_link, site_url

# The outbox's kinds (EmailKind.CONFIRMATION_REMINDER, .ANSWERS_REMINDER), as plain text.
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


def deadline(
    at: dt.datetime | None, now: dt.datetime, round_number: int | None = None
) -> Deadline | None:
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
    """Whether the panelist may be reminded at all: they have an address, were invited (a
    reminder of an invitation never received would puzzle), and take part."""
    return (
        bool(panelist.email)
        and panelist.invited_at is not None
        and panelist.status != PanelistStatus.DECLINED
    )


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
        for kind, number, due_at in due:
            for days in rule:
                yield PlannedReminder(
                    panelist_id=panelist.pk,
                    kind=kind,
                    round_number=number,
                    deadline=due_at,
                    send_at=send_time(due_at, days, zone),
                    key=reminder_key(kind, panelist.pk, number, due_at, days),
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


# Syncing with the outbox ---------------------------------------------------------------------


def scheduled_reminders(meeting: Meeting):
    """The meeting's reminders waiting in the outbox (not yet being sent)."""
    return Email.objects.filter(meeting=meeting, kind__in=KINDS, status__in=WAITING)


@dataclass(frozen=True)
class Synced:
    queued: int
    cancelled: int


def sync(meeting: Meeting, *, by=None, now: dt.datetime | None = None) -> Synced:
    """Bring the meeting's reminders in the outbox in line with the plan: those no longer
    owed (a reply, an answer submitted, a deadline moved or removed, a panelist gone) are
    cancelled, those newly planned queued for their time. A reminder already queued and
    still owed stays, even at its very time (the worker may be about to send it); one planned
    again is not queued twice (its key), and one cancelled that is owed again (a reply
    undone) is queued again."""
    now = now or timezone.now()
    with transaction.atomic():
        # Two syncs of a meeting one after the other, never interleaved.
        meeting = Meeting.objects.select_for_update(no_key=True).get(pk=meeting.pk)
        rounds = list(meeting.rounds.all())
        panelists = list(meeting.panelists.prefetch_related("answers"))
        by_id = {panelist.pk: panelist for panelist in panelists}
        still_owed = {reminder.key for reminder in owed(meeting, panelists, rounds)}
        waiting = scheduled_reminders(meeting)
        stale = waiting.exclude(key__in=still_owed)
        cancelled = outbox.cancel(stale, "No longer needed.", by=by) if stale.exists() else 0
        readdressed(waiting.filter(key__in=still_owed), by_id)
        planned = plan(meeting, panelists, now, rounds=rounds)
        existing = Email.objects.in_bulk([r.key for r in planned], field_name="key")
        queued = 0
        for reminder in planned:
            panelist = by_id[reminder.panelist_id]
            email = existing.get(reminder.key)
            if email is None:
                outbox.queue(
                    reminder.kind,
                    to=panelist.email,
                    language=panelist.email_language,
                    meeting=meeting,
                    panelist=panelist,
                    by=by,
                    send_after=reminder.send_at,
                    key=reminder.key,
                )
            elif email.status == EmailStatus.CANCELLED:
                outbox.requeue(
                    email,
                    to=panelist.email,
                    language=panelist.email_language,
                    send_after=reminder.send_at,
                )
            else:
                continue
            queued += 1
        if queued or cancelled:
            log_action(meeting, "reminders.synced", actor=by, queued=queued, cancelled=cancelled)
    return Synced(queued, cancelled)


def readdressed(waiting, panelists: dict[int, Panelist]) -> None:
    """A panelist's address or language changed: their waiting reminders follow it (the
    same reminder, so the same key; never sent to an address the secretariat replaced)."""
    for email in waiting.only("pk", "panelist_id", "to", "language"):
        panelist = panelists.get(email.panelist_id)
        if panelist and (email.to, email.language) != (panelist.email, panelist.email_language):
            Email.objects.filter(pk=email.pk, status__in=WAITING).update(
                to=panelist.email, language=panelist.email_language
            )


# Composing, when the reminder is sent --------------------------------------------------------


@dataclass(frozen=True)
class KeyParts:
    kind: str
    panelist_id: int
    round_number: int | None
    deadline: dt.datetime
    days: int


def parse_key(key: str) -> KeyParts | None:
    """What reminder_key wrote (None for anything else)."""
    try:
        kind, panelist_id, number, rest = key.split(":", 3)
        moment, days = rest.rsplit(":", 1)
        return KeyParts(
            kind,
            int(panelist_id),
            None if number == "-" else int(number),
            dt.datetime.fromisoformat(moment),
            int(days.removesuffix("d")),
        )
    except ValueError:
        return None


def still_due(email: Email, now: dt.datetime) -> tuple[Panelist, Round | None, dt.datetime] | None:
    """The panelist, round and deadline this reminder is about, when it is still needed now:
    the meeting neither concluded nor moved back to draft, the panelist still on the panel,
    at the same address, not declined, and still owing what the reminder asks before the
    deadline it names (the same one: a moved deadline has reminders of its own)."""
    parts = parse_key(email.key or "")
    panelist = (
        Panelist.objects.select_related("meeting", "mechanism").filter(pk=email.panelist_id).first()
    )
    if parts is None or panelist is None or parts.kind != email.kind:
        return None
    meeting = panelist.meeting
    if meeting.status not in REMINDED_STATUSES or not is_reminded(panelist):
        return None
    if panelist.email != email.to or parts.deadline <= now:
        return None
    if parts.kind == CONFIRMATION:
        if (
            panelist.status != PanelistStatus.INVITED
            or meeting.confirmation_deadline != parts.deadline
        ):
            return None
        return panelist, None, parts.deadline
    round_ = meeting.rounds.filter(number=parts.round_number).first()
    if round_ is None or round_.answers_deadline != parts.deadline:
        return None
    if round_.pk in submitted_rounds(panelist):
        return None
    return panelist, round_, parts.deadline


TEMPLATES = {CONFIRMATION: "reminder_confirmation", ANSWERS: "reminder_answers"}


def compose(email: Email) -> "outbox.Composed | None":
    """The reminder as the panelist reads it, in their language, composed when it is sent;
    None (the outbox cancels it) when it is no longer needed."""
    due = still_due(email, timezone.now())
    if due is None:
        return None
    panelist, round_, due_at = due
    token = ensure_link(panelist)  # revoked meanwhile: a new link, logged, as a send does
    meeting = panelist.meeting
    language = panelist.email_language
    with translation.override(language):
        context = {
            "panelist": panelist,
            "meeting": meeting,
            "round": round_,
            "deadline": due_at,
            "kind": email.kind,
            "language": language,
            "link": site_url(reverse("portal:respond", args=[token])),
        }
        name = TEMPLATES[email.kind]
        # Plain str, never SafeString (see `plain`).
        subject = " ".join(render_to_string("meetings/email/reminder_subject.txt", context).split())
        return outbox.Composed(
            subject=plain(subject),
            text=plain(render_to_string(f"meetings/email/{name}.txt", context)),
            html=plain(render_to_string(f"meetings/email/{name}.html", context)),
        )


for _kind in KINDS:
    outbox.register(_kind, compose)
