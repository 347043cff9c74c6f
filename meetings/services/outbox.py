"""The outbox: every email is written here first, then sent by the worker.

`queue` writes the row and, in the same transaction, the worker's task (django.tasks, kept in
the same database): an email asked for is never lost, and a rolled back request sends nothing.
The worker's `deliver` claims the row before it talks to the mail server, so a task run twice
or two workers never send the same email twice. Each kind of email registers how it is
composed (`register`): a reminder is written when it goes out, in its reader's language, and
is cancelled if it is no longer needed by then. A failed send is tried again after a pause
that grows (`RETRY_AFTER`), then shown as failed with its error.
"""

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Count, QuerySet
from django.tasks import task
from django.utils import timezone

from meetings.models import Email, EmailKind, EmailStatus
from meetings.models.email import WAITING
from meetings.services.audit import log_action

logger = logging.getLogger(__name__)

# The pauses before the 2nd, 3rd and 4th attempts; after the 4th, the email is failed.
RETRY_AFTER = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
)
ATTEMPTS = len(RETRY_AFTER) + 1


@dataclass(frozen=True)
class Composed:
    """An email as its reader will read it."""

    subject: str
    text: str
    html: str = ""
    calendar: bytes | None = None


@dataclass(frozen=True)
class Courier:
    compose: Callable[[Email], Composed | None]
    sent: Callable[[Email], None] | None = None


COURIERS: dict[str, Courier] = {}


def register(
    kind: EmailKind,
    compose: Callable[[Email], Composed | None],
    sent: Callable[[Email], None] | None = None,
) -> None:
    """How emails of this kind are written (None: no longer needed, the email is cancelled)
    and what sending one changes (an invitation marks its panelist invited)."""
    COURIERS[str(kind)] = Courier(compose, sent)


def queue(
    kind: EmailKind,
    *,
    to: str,
    language: str,
    meeting=None,
    panelist=None,
    delegation=None,
    by=None,
    send_after: dt.datetime | None = None,
    key: str | None = None,
    batch=None,
    composed: Composed | None = None,
) -> Email:
    """Write an email to the outbox and its task for the worker; a `key` already in the
    outbox gives that email back instead (a rule that plans the same reminder twice)."""
    now = timezone.now()
    with transaction.atomic():
        if key is not None:
            email = Email.objects.filter(key=key).first()
            if email is not None:
                return email
        email = Email(
            kind=kind,
            to=to,
            language=language,
            meeting=meeting,
            panelist=panelist,
            delegation=delegation,
            created_by=by if by is not None and by.is_authenticated else None,
            status=waiting_status(send_after, now),
            send_after=send_after or now,
            batch=batch,
        )
        if key is not None:
            email.key = key
        if composed is not None:
            keep_message(email, composed)
        email.save()
        enqueue(email)
    return email


def waiting_status(send_after: dt.datetime | None, now: dt.datetime) -> EmailStatus:
    return (
        EmailStatus.SCHEDULED if send_after is not None and send_after > now else EmailStatus.QUEUED
    )


def requeue(email: Email, *, to: str, language: str, send_after: dt.datetime) -> None:
    """A cancelled email owed again under its key (a reminder of a reply undone): its row,
    the key's only one, is queued again, at its time, with its attempts counted afresh."""
    email.status = waiting_status(send_after, timezone.now())
    email.send_after = send_after
    email.to, email.language = to, language
    email.error, email.attempts = "", 0
    email.save(update_fields=["status", "send_after", "to", "language", "error", "attempts"])
    enqueue(email)


def enqueue(email: Email) -> None:
    if email.send_after and email.send_after > timezone.now():
        send_email.using(run_after=email.send_after).enqueue(email.pk)
    else:
        send_email.enqueue(email.pk)


def keep_message(email: Email, composed: Composed) -> None:
    email.subject = composed.subject[:300]
    email.text = composed.text
    email.html = composed.html
    email.calendar = composed.calendar.decode() if composed.calendar else ""


def cancel(emails: QuerySet[Email], reason: str, *, by=None) -> int:
    """Stop emails not sent yet (the panelist confirmed, the meeting moved); sent ones stay."""
    with transaction.atomic():
        waiting = list(emails.select_for_update().filter(status__in=WAITING))
        for email in waiting:
            email.status = EmailStatus.CANCELLED
            email.error = reason
            email.save(update_fields=["status", "error"])
    for email in waiting:
        logged(email, "email.cancelled", by=by)
    return len(waiting)


def resend(email: Email, *, by) -> Email:
    """The same email again, as a new one in the outbox: composed afresh when it was composed
    when sent (the link, the slot or the deadline may have changed), else as it was."""
    courier = COURIERS.get(email.kind)
    kept = None if courier else Composed(email.subject, email.text, email.html)
    return queue(
        EmailKind(email.kind),
        to=email.to,
        language=email.language,
        meeting=email.meeting,
        panelist=email.panelist,
        delegation=email.delegation,
        by=by,
        composed=kept,
    )


@task
def send_email(email_id: int) -> str:
    """The worker's task (`manage.py db_worker` runs it): send one email of the outbox."""
    return deliver(email_id)


def deliver(email_id: int, *, now: dt.datetime | None = None) -> str:
    """The worker's part: claim the email, compose it, send it; says what it did."""
    now = now or timezone.now()
    try:
        email, outcome = claimed(email_id, now)
    except Exception as error:  # its composer failed: tried again like a failed send
        email = Email.objects.get(pk=email_id)
        email.attempts += 1
        return failed(email, error, now)
    if outcome:
        return outcome
    try:
        send_message(email)
    except Exception as error:
        return failed(email, error, now)
    email.status = EmailStatus.SENT
    email.error = ""
    email.sent_at = timezone.now()
    email.save(update_fields=["status", "error", "sent_at"])
    courier = COURIERS.get(email.kind)
    if courier is not None and courier.sent is not None:
        courier.sent(email)
    logged(email, "email.sent")
    return "sent"


def claimed(email_id: int, now: dt.datetime) -> tuple[Email | None, str]:
    """The email, locked, written if it was left to be written when it goes out, and marked
    as sending; or why not (an outcome for the worker's log)."""
    with transaction.atomic():
        email = Email.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status not in WAITING:
            return email, "not waiting"  # sent, cancelled or claimed by another worker
        if email.send_after and email.send_after > now:
            return email, "not yet"  # moved later: the task queued with its new time sends it
        courier = COURIERS.get(email.kind)
        if not email.composed:
            composed = courier.compose(email) if courier else None
            if composed is None:
                email.status = EmailStatus.CANCELLED
                email.error = "No longer needed when it was due."
                email.save(update_fields=["status", "error"])
                return email, "cancelled"
            keep_message(email, composed)
        email.status = EmailStatus.SENDING
        email.attempts += 1
        email.save()
    return email, ""


def failed(email: Email, error: Exception, now: dt.datetime) -> str:
    logger.warning("Email %s to %s failed: %s", email.pk, email.to, error)
    email.error = f"{type(error).__name__}: {error}"[:2000]
    if email.attempts < ATTEMPTS:
        email.status = EmailStatus.QUEUED
        email.send_after = now + RETRY_AFTER[email.attempts - 1]
        email.save(update_fields=["status", "error", "send_after", "attempts"])
        enqueue(email)
        return "retrying"
    email.status = EmailStatus.FAILED
    email.save(update_fields=["status", "error", "attempts"])
    logged(email, "email.failed")
    return "failed"


def logged(email: Email, action: str, *, by=None) -> None:
    """In the meeting's log, with who asked for the email; an account's own email (a password
    reset) belongs to no meeting."""
    if email.meeting_id is not None:
        log_action(
            email.meeting,
            action,
            actor=by or email.created_by,
            panelist=email.panelist,
            kind=email.kind,
            to=email.to,
        )


def send_message(email: Email) -> None:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    if email.calendar:
        message.attach("meeting.ics", email.calendar.encode(), "text/calendar; method=PUBLISH")
    message.send()


def language_name(code: str) -> str:
    """The language's name in the reader's language ("Spanish", "espagnol")."""
    return str(dict(settings.LANGUAGES).get(code, code))


def by_language[R](
    recipients: Iterable[R], language_of: Callable[[R], str]
) -> list[tuple[str, list[R]]]:
    """The recipients grouped by the language their emails go out in, in the order of
    `settings.LANGUAGES` (any other last): what a page previews before sending, one email per
    language."""
    groups: dict[str, list[R]] = {}
    for recipient in recipients:
        groups.setdefault(language_of(recipient), []).append(recipient)
    order = [code for code, _name in settings.LANGUAGES]
    return sorted(groups.items(), key=lambda item: order.index(item[0]) if item[0] in order else 99)


@dataclass(frozen=True)
class Progress:
    """How far the emails of one click have gone."""

    total: int
    sent: int
    failed: int
    cancelled: int

    @property
    def waiting(self) -> int:
        return self.total - self.sent - self.failed - self.cancelled

    @property
    def done(self) -> bool:
        return self.waiting == 0

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * (self.total - self.waiting) / self.total)


def progress(batch) -> Progress:
    counts = dict(
        Email.objects.filter(batch=batch)
        .values_list("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    )
    return Progress(
        total=sum(counts.values()),
        sent=counts.get(EmailStatus.SENT, 0),
        failed=counts.get(EmailStatus.FAILED, 0),
        cancelled=counts.get(EmailStatus.CANCELLED, 0),
    )
