"""Invitations, reminders and updated slots to panelists, in their language, with an ICS file.

Each goes through the outbox (meetings.services.outbox): the page that asks answers at once,
the worker sends, retries a failure and shows it. The same email is asked for once: a second
one within `RESEND_WINDOW` (a double click, two tabs, "Invite everyone" pressed twice) is
refused.
"""

import datetime as dt
import hashlib
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from config.common.conflicts import lock_parents
from config.common.formatting import plain
from meetings.models import Email, EmailKind, EmailStatus, Panelist
from meetings.outputs.calendar import meeting_calendar
from meetings.outputs.run_of_show import run_of_show
from meetings.services import outbox
from meetings.services.links import ensure_link, link_token, site_url
from meetings.services.outbox import by_language, language_name
from meetings.services.slots import outdated_slots, slot_of

logger = logging.getLogger(__name__)

RESEND_WINDOW = dt.timedelta(minutes=10)


class AlreadySent(ValidationError):
    """The same email went to the same panelist a moment ago."""


@dataclass(frozen=True)
class ComposedEmail:
    to: str
    language: str
    subject: str
    text: str
    html: str
    calendar: bytes
    slot: dict  # what it states of the panelist's slot (meetings.services.slots.slot_of)


def compose(panelist: Panelist, kind: EmailKind, *, language: str | None = None) -> ComposedEmail:
    """The email as the panelist will read it, in their preferred language (or in `language`,
    for the secretariat to read another version; `send` always writes in theirs).

    Composing changes nothing: a panelist without a working link (revoked, say) is shown
    where it will go; `send` issues the link, logged with who sent the email. Its links are
    built from the site's address (`site_url`), never from a request's Host.
    """
    meeting = panelist.meeting
    token = link_token(panelist)
    language = language or panelist.email_language
    with translation.override(language):
        run = run_of_show(meeting)
        turns = run.turns_of(panelist)
        context = {
            "panelist": panelist,
            "meeting": meeting,
            "kind": kind,
            "language": language,
            "turns": turns,
            "programme": run.agenda,
            "planned_end": run.planned_end,
            "link": site_url(reverse("portal:respond", args=[token]))
            if token
            else _("[a new personal link, issued when this email is sent]"),
            "meeting_url": site_url(meeting.get_absolute_url()),
        }
        # A plain str, never a SafeString: the previews escape what they show (see `plain`).
        subject = plain(" ".join(render_to_string("meetings/email/subject.txt", context).split()))
        slot_text = "; ".join(
            _("Round %(number)s: you speak in position %(position)s, planned at %(time)s")
            % {
                "number": turn.round_number,
                "position": turn.position,
                "time": turn.starts_at.strftime("%H:%M"),
            }
            for turn in turns
        )
        return ComposedEmail(
            to=panelist.email,
            language=language,
            subject=subject,
            text=plain(render_to_string("meetings/email/invitation.txt", context)),
            html=plain(render_to_string("meetings/email/invitation.html", context)),
            calendar=meeting_calendar(
                meeting,
                url=context["meeting_url"],
                panelist=panelist,
                slot_text=slot_text,
                run=run,
            ),
            slot=slot_of(meeting, run, panelist),
        )


def reading_language(panelist: Panelist, asked: str) -> str:
    """The language a preview is shown in: the one asked for when it is one of ours, else the
    panelist's."""
    return asked if asked in dict(settings.LANGUAGES) else panelist.email_language


def languages(panelist: Panelist) -> list[tuple[str, str, bool]]:
    """Each language an email can be read in: code, name, and whether it is the panelist's."""
    return [
        (code, language_name(code), code == panelist.email_language)
        for code, _name in settings.LANGUAGES
    ]


@dataclass(frozen=True)
class LanguageVersion:
    """One language the emails go out in: who will read it, and the email to the first of them
    (the others differ only by name, link and slot)."""

    language: str
    name: str
    panelists: tuple[Panelist, ...]
    example: ComposedEmail

    @property
    def names(self) -> str:
        return ", ".join(panelist.display_name for panelist in self.panelists)


def versions(panelists: list[Panelist], kind: EmailKind) -> list[LanguageVersion]:
    """One example email per language that will actually be sent, in the order of
    `settings.LANGUAGES`, so that the secretariat reads each version before sending."""
    return [
        LanguageVersion(code, language_name(code), tuple(group), compose(group[0], kind))
        for code, group in by_language(panelists, lambda panelist: panelist.email_language)
    ]


def send(panelist: Panelist, kind: EmailKind, *, by, run=None, batch=None) -> Email:
    """Write the email to the outbox; the worker composes and sends it (meetings.services.
    outbox). The row is the claim: it is written under the panelist's row lock, after checking
    that the same email (same kind, stating the same slot) was not asked for in the last
    `RESEND_WINDOW` (failed and cancelled ones aside), so that of two requests at once one
    queues it and the other is refused with `AlreadySent`. `run`, the run of show, is
    computed once by a caller that sends many."""
    if not panelist.email:
        raise ValidationError(_("This panelist has no email address yet."))
    with transaction.atomic():
        lock_parents(panelist)  # the meeting first, the order every save keeps
        panelist = (
            Panelist.objects.select_for_update(no_key=True, of=("self",))
            .select_related("meeting", "mechanism")
            .get(pk=panelist.pk)
        )
        ensure_link(panelist, by=by)
        meeting = panelist.meeting
        with translation.override(panelist.email_language):
            slot = slot_of(meeting, run or run_of_show(meeting), panelist)
        if asked_for_recently(panelist, kind, slot):
            raise AlreadySent(
                _("The same email was sent to %(to)s a few minutes ago; it is not sent twice.")
                % {"to": panelist.email},
                code="already_sent",
            )
        email = outbox.queue(
            kind,
            to=panelist.email,
            language=panelist.email_language,
            meeting=meeting,
            panelist=panelist,
            by=by,
            batch=batch,
        )
        email.slot = slot
        email.save(update_fields=["slot"])
    return email


def asked_for_recently(panelist: Panelist, kind: EmailKind, slot) -> bool:
    """The same email was asked for within `RESEND_WINDOW`: one still waiting for the worker
    (which will write it as things are when it goes out), or one sent with the same text
    (composed again to compare: a changed venue, say, is news worth sending)."""
    recent = list(
        Email.objects.filter(
            panelist=panelist,
            kind=kind,
            slot=slot,
            created_at__gte=timezone.now() - RESEND_WINDOW,
        ).exclude(status__in=(EmailStatus.FAILED, EmailStatus.CANCELLED))
    )
    if any(email.status != EmailStatus.SENT for email in recent):
        return True
    if not recent:
        return False
    digest = email_digest(kind, compose(panelist, kind))
    return any(email.digest == digest for email in recent)


def composed_for(email: Email) -> outbox.Composed:
    """The worker's part: the email as it goes out, with the panelist's link (issued again if
    it was revoked since) and their slot as it is now."""
    panelist = email.panelist
    ensure_link(panelist, by=email.created_by)
    composed = compose(panelist, EmailKind(email.kind))
    email.slot = composed.slot
    email.digest = email_digest(EmailKind(email.kind), composed)
    return outbox.Composed(composed.subject, composed.text, composed.html, composed.calendar)


def mark_invited(email: Email) -> None:
    """An invitation sent makes its panelist invited, and owed the reminders of the rule."""
    from meetings.services import reminders  # it reads the panel this module invites

    panelist = email.panelist
    if email.kind == EmailKind.INVITATION and panelist.invited_at is None:
        panelist.invited_at = email.sent_at
        panelist.save(update_fields=["invited_at", "updated_at"])
        reminders.sync(panelist.meeting)


for _kind in (EmailKind.INVITATION, EmailKind.REMINDER, EmailKind.UPDATE):
    outbox.register(_kind, composed_for, sent=mark_invited)


class Sending(NamedTuple):
    """What asking for one email to each of several panelists did."""

    emails: list[Email]  # each email queued (the outbox shows how far they have gone)
    repeated: int  # how many `send` refused as asked for a moment ago
    batch: uuid.UUID

    @property
    def queued(self) -> int:
        return len(self.emails)


def send_each(panelists: Iterable[Panelist], kind: EmailKind, *, by) -> Sending:
    """The same kind of email to each of these panelists (see `send`), one batch whose
    progress the page shows; one refused as repeated ("Invite everyone" pressed twice, or in
    two tabs) is counted, not queued."""
    panelists = list(panelists)
    batch, emails, repeated = uuid.uuid4(), [], 0
    run = run_of_show(panelists[0].meeting) if panelists else None
    for panelist in panelists:
        try:
            emails.append(send(panelist, kind, by=by, run=run, batch=batch))
        except AlreadySent:
            repeated += 1
    return Sending(emails, repeated, batch)


def send_updated_slots(meeting, *, by) -> Sending:
    """Send their new slot, with the calendar file, to every panelist whose slot changed since
    their latest email (meetings.services.slots.outdated_slots)."""
    outdated = [slot.panelist for slot in outdated_slots(meeting)]
    return send_each(outdated, EmailKind.UPDATE, by=by)


def not_sent_again(count: int) -> str:
    """What a page says of the emails `send` refused as repeated."""
    return _("Not sent again (the same email went out a few minutes ago): %(count)d.") % {
        "count": count
    }


def email_digest(kind: EmailKind, composed: ComposedEmail) -> str:
    content = "\0".join([str(kind), composed.to, composed.subject, composed.text])
    return hashlib.sha256(content.encode()).hexdigest()
