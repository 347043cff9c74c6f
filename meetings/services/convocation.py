"""The convocation of the delegations: the email that convenes each one, in its language, and
its answer from its floor link (whether it attends, in the room or online, and who represents
it), which the list of participants reads.

A delegation answers as often as it likes until the meeting starts: each answer replaces the
last one whole (its representatives too), under the meeting's lock, and is logged.
"""

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from config.common.formatting import plain
from meetings.models import (
    ConfirmedAttendance,
    Delegation,
    DelegationKind,
    Email,
    EmailKind,
    Meeting,
    MeetingStatus,
    Representative,
)
from meetings.outputs.calendar import meeting_calendar
from meetings.outputs.run_of_show import run_of_show
from meetings.services import outbox
from meetings.services.audit import log_action
from meetings.services.links import ensure_link, link_token, site_url
from meetings.services.outbox import by_language, language_name

# More than a delegation ever sends: the form offers rows up to this many.
MAX_REPRESENTATIVES = 20
REPRESENTATIVE_FIELDS = ("name", "title", "email", "is_head")


def locked(meeting_id: int) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting_id)


def open_for_answers(meeting: Meeting, now: dt.datetime) -> bool:
    """Whether delegations may still confirm: until the meeting starts (by the clock or by the
    console, whichever comes first)."""
    if meeting.status in (MeetingStatus.IN_PROGRESS, MeetingStatus.CONCLUDED):
        return False
    return now < meeting.starts_at


def cleaned_representatives(
    attendance: str, representatives: Iterable[Mapping[str, object]]
) -> list[dict]:
    """The rows as they will be saved: empty rows left out, names and titles trimmed, one head
    of delegation (the first row when none is marked). A delegation that will not attend names
    nobody. Raises ValidationError for two heads or too many rows."""
    rows = []
    for row in representatives:
        unknown = set(row) - set(REPRESENTATIVE_FIELDS)
        if unknown:
            raise ValueError(sorted(unknown))
        name = str(row.get("name") or "").strip()
        title = str(row.get("title") or "").strip()
        email = str(row.get("email") or "").strip()
        if not (name or title or email):
            continue
        if not name:
            raise ValidationError(_("Give the name of each representative."))
        rows.append(
            {"name": name, "title": title, "email": email, "is_head": bool(row.get("is_head"))}
        )
    if attendance == ConfirmedAttendance.NOT_ATTENDING:
        return []
    if len(rows) > MAX_REPRESENTATIVES:
        raise ValidationError(
            _("Name at most %(count)d representatives.") % {"count": MAX_REPRESENTATIVES}
        )
    heads = sum(row["is_head"] for row in rows)
    if heads > 1:
        raise ValidationError(_("Mark one head of delegation only."))
    if rows and heads == 0:
        rows[0]["is_head"] = True
    return rows


@transaction.atomic
def confirm(
    delegation: Delegation,
    attendance: str,
    representatives: Iterable[Mapping[str, object]],
    now: dt.datetime,
) -> Delegation:
    """The delegation's answer to the convocation: whether it attends (in the room, online, or
    not), and its representatives in order, replacing what it answered before. Refused with
    ValidationError once the meeting has started, or for rows that do not validate."""
    if attendance not in ConfirmedAttendance.values:
        raise ValidationError(_("Choose whether your delegation attends."))
    meeting = locked(delegation.meeting_id)
    if not open_for_answers(meeting, now):
        raise ValidationError(
            _("The meeting has started: please tell the secretariat of any change.")
        )
    delegation = Delegation.objects.select_related("state").get(pk=delegation.pk)
    rows = cleaned_representatives(attendance, representatives)
    people = [
        Representative(delegation=delegation, position=position, **row)
        for position, row in enumerate(rows, start=1)
    ]
    for person in people:
        person.full_clean(exclude=["delegation"])
    delegation.representatives.all().delete()
    Representative.objects.bulk_create(people)
    delegation.confirmed_attendance = attendance
    delegation.confirmed_at = now
    delegation.save(update_fields=["confirmed_attendance", "confirmed_at", "updated_at"])
    log_action(
        meeting,
        "delegation.confirmed",
        delegation=delegation.code,
        attendance=attendance,
        representatives=len(people),
    )
    return delegation


# The list of participants --------------------------------------------------------------------


@dataclass(frozen=True)
class Participants:
    """The delegations by kind (member states, observers, organisations), each with its
    answer and representatives loaded."""

    groups: list[tuple[str, list[Delegation]]]

    @property
    def delegations(self) -> list[Delegation]:
        return [delegation for _label, rows in self.groups for delegation in rows]

    def count(self, attendance: str) -> int:
        return sum(row.confirmed_attendance == attendance for row in self.delegations)

    @property
    def unanswered(self) -> int:
        return sum(not row.has_confirmed for row in self.delegations)


def group_labels() -> dict[str, str]:
    return {
        DelegationKind.MEMBER_STATE: _("Member states"),
        DelegationKind.OBSERVER: _("Permanent observers"),
        DelegationKind.ORGANISATION: _("Invited organisations"),
    }


def participants(meeting: Meeting) -> Participants:
    rows = list(
        meeting.delegations.select_related("state")
        .prefetch_related("representatives")
        .order_by("kind", "code")
    )
    # A state by its name in the reader's language; the others by the name they were given.
    rows.sort(key=lambda delegation: str(delegation.party).casefold())
    groups = [
        (label, [row for row in rows if row.kind == kind]) for kind, label in group_labels().items()
    ]
    return Participants([(label, members) for label, members in groups if members])


def participant_rows(meeting: Meeting) -> list[list[str]]:
    """The list of participants as a spreadsheet: one row per representative (a delegation
    that named nobody has one row of its own)."""
    rows = [
        [
            _("Kind"),
            _("Code"),
            _("Delegation"),
            _("Attendance"),
            _("Representative"),
            _("Title or role"),
            _("Email"),
            _("Head of delegation"),
        ]
    ]
    for delegation in participants(meeting).delegations:
        answer = (
            delegation.get_confirmed_attendance_display()
            if delegation.has_confirmed
            else _("No answer")
        )
        first = [
            delegation.get_kind_display(),
            delegation.code,
            str(delegation.display_name),
            answer,
        ]
        people = list(delegation.representatives.all())
        if not people:
            rows.append([*first, "", "", "", ""])
        for person in people:
            rows.append(
                [
                    *first,
                    person.name,
                    person.title,
                    person.email,
                    _("Yes") if person.is_head else "",
                ]
            )
    return rows


# The convocation email -------------------------------------------------------------------------


@dataclass(frozen=True)
class Convocation:
    """One delegation's convocation as composed (the outbox's Composed has the same parts)."""

    subject: str
    text: str
    html: str
    calendar: bytes


def floor_link(delegation: Delegation) -> str:
    token = link_token(delegation)
    if token is None:
        return _("[a new floor link, issued when this email is sent]")
    return site_url(reverse("floor:page", args=[token]))


def compose(delegation: Delegation, language: str | None = None) -> Convocation:
    """The convocation as the delegation will read it, in its language (or in `language`, for
    the secretariat to read another version). Composing changes nothing: a delegation without
    a working floor link is shown where it will go; sending issues it."""
    meeting = delegation.meeting
    language = language or delegation.email_language
    with translation.override(language):
        run = run_of_show(meeting)
        meeting_url = site_url(meeting.get_absolute_url())
        context = {
            "delegation": delegation,
            "meeting": meeting,
            "language": language,
            "programme": run.agenda,
            "planned_end": run.planned_end,
            "link": floor_link(delegation),
            "meeting_url": meeting_url,
        }
        subject = plain(
            " ".join(render_to_string("meetings/email/convocation_subject.txt", context).split())
        )
        return Convocation(
            subject=subject,
            text=plain(render_to_string("meetings/email/convocation.txt", context)),
            html=plain(render_to_string("meetings/email/convocation.html", context)),
            calendar=meeting_calendar(meeting, url=meeting_url, run=run, personal=True),
        )


@dataclass(frozen=True)
class LanguageVersion:
    """One language the convocation goes out in: the delegations that read it, and the email
    to the first of them (the others differ only by their name and floor link)."""

    language: str
    name: str
    delegations: tuple[Delegation, ...]
    example: Convocation

    @property
    def names(self) -> str:
        return ", ".join(str(delegation.display_name) for delegation in self.delegations)


def versions(delegations: list[Delegation]) -> list[LanguageVersion]:
    """One example convocation per language that will be sent, in the order of LANGUAGES, so
    that the secretariat reads each version before sending."""
    return [
        LanguageVersion(code, language_name(code), tuple(group), compose(group[0]))
        for code, group in by_language(delegations, lambda delegation: delegation.email_language)
    ]


# Sending -----------------------------------------------------------------------------------------


def convocation_key(meeting: Meeting, delegation: Delegation, address: str) -> str:
    """One convocation per delegation, address and place in time of the meeting: queued twice
    (a double click, two tabs), it is the same email; once the meeting moves
    (calendar_sequence), a new one may go."""
    return f"convocation:{delegation.pk}:{address.casefold()}:{meeting.calendar_sequence}"


@transaction.atomic
def convene(
    meeting: Meeting, delegations: Iterable[Delegation], *, by, batch: uuid.UUID | None = None
) -> int:
    """Queue the convocation to every address of each delegation, in its language, its floor
    link issued where it has none (logged); the emails are composed when they go out. Returns
    how many were queued now: one queued before under the same key is not queued again.
    `batch` names this click's emails, for the outbox's progress."""
    meeting = locked(meeting.pk)
    batch = batch or uuid.uuid4()
    queued = 0
    for delegation in delegations:
        addresses = delegation.email_addresses
        if not addresses:
            continue
        ensure_link(delegation, by=by)
        for address in addresses:
            email = outbox.queue(
                EmailKind.CONVOCATION,
                to=address,
                language=delegation.email_language,
                meeting=meeting,
                delegation=delegation,
                by=by,
                key=convocation_key(meeting, delegation, address),
                batch=batch,
            )
            queued += email.batch == batch
    log_action(meeting, "convocation.queued", actor=by, emails=queued)
    return queued


def composed_for(email: Email) -> outbox.Composed | None:
    """The convocation as the worker sends it, composed as the meeting is then; None (the
    email is cancelled) when its delegation is gone, the address is no longer one of its own,
    or the meeting is over."""
    delegation = email.delegation
    if delegation is None or email.meeting is None or email.meeting.is_concluded:
        return None
    if email.to.casefold() not in {address.casefold() for address in delegation.email_addresses}:
        return None
    ensure_link(delegation, by=email.created_by)
    composed = compose(delegation, email.language)
    return outbox.Composed(
        subject=composed.subject,
        text=composed.text,
        html=composed.html,
        calendar=composed.calendar,
    )


outbox.register(EmailKind.CONVOCATION, composed_for)
