"""The outbox: emails written first, sent by the worker once, retried, cancelled, resent."""

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.utils import timezone

from meetings.models import Email, EmailKind, EmailStatus
from meetings.services import invitations, outbox
from tests.benchmark.outbox import finish, worker_processes
from tests.factories import LOCMEM_MAILERS, UNREACHABLE_MAILERS, make_meeting, make_panelist
from tests.meetings.test_processes import database_url
from tests.worker import run_worker, settle

pytestmark = pytest.mark.django_db

READY = outbox.Composed("Reset your password", "Hello,\nyour link.", "<p>Hello</p>")


def queued(**fields) -> Email:
    return outbox.queue(
        EmailKind.PASSWORD_RESET,
        to=fields.pop("to", "ana@example.org"),
        language="en",
        composed=fields.pop("composed", READY),
        **fields,
    )


def test_an_email_waits_in_the_outbox_until_the_worker_sends_it():
    email = queued()
    assert (email.status, mail.outbox) == (EmailStatus.QUEUED, [])

    assert run_worker() == 1

    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and email.sent_at is not None
    [message] = mail.outbox
    assert (message.to, message.subject, message.body) == (
        ["ana@example.org"],
        "Reset your password",
        "Hello,\nyour link.",
    )
    assert message.alternatives[0] == ("<p>Hello</p>", "text/html")


def test_a_request_that_rolls_back_leaves_no_email_and_no_task():
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    with pytest.raises(RuntimeError), transaction.atomic():
        queued()
        raise RuntimeError("the request failed after asking for the email")
    assert not Email.objects.exists() and not DBTaskResult.objects.exists()


def test_a_task_run_twice_sends_its_email_once():
    email = queued()
    outbox.send_email.enqueue(email.pk)  # a retried task, or two workers given the same email

    assert run_worker() == 2

    assert len(mail.outbox) == 1
    assert outbox.deliver(email.pk) == "not waiting"


def test_the_same_key_queued_twice_is_one_email():
    first = queued(key="reminder:7:2031-03-03")
    second = queued(key="reminder:7:2031-03-03")
    assert first.pk == second.pk
    run_worker()
    assert len(mail.outbox) == 1


def test_a_scheduled_email_goes_out_at_its_time_not_before():
    at = timezone.now() + dt.timedelta(days=2)
    email = queued(send_after=at)
    assert email.status == EmailStatus.SCHEDULED
    run_worker()
    assert mail.outbox == []
    with time_machine.travel(at - dt.timedelta(minutes=1), tick=False):
        run_worker()
        assert mail.outbox == []
    with time_machine.travel(at, tick=False):
        run_worker()
    assert len(mail.outbox) == 1


def test_a_cancelled_email_is_not_sent_and_a_sent_one_stays_sent():
    sent, waiting = queued(to="sent@example.org"), None
    run_worker()
    waiting = queued(to="waiting@example.org", send_after=timezone.now() + dt.timedelta(days=1))

    assert outbox.cancel(Email.objects.all(), "The panelist confirmed.") == 1

    settle()
    assert [message.to for message in mail.outbox] == [["sent@example.org"]]
    waiting.refresh_from_db()
    sent.refresh_from_db()
    assert (waiting.status, waiting.error) == (EmailStatus.CANCELLED, "The panelist confirmed.")
    assert sent.status == EmailStatus.SENT


def test_a_failure_is_tried_again_after_1_5_and_30_minutes_then_shown(settings):
    settings.MAILERS = UNREACHABLE_MAILERS
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        email = queued()
        tried_at = []
        for _attempt in range(outbox.ATTEMPTS):
            run_worker()
            email.refresh_from_db()
            tried_at.append(timezone.now() - start)
            if email.status == EmailStatus.FAILED:
                break
            assert email.status == EmailStatus.QUEUED and "Connection refused" in email.error
            clock.move_to(email.send_after)
    assert tried_at == [
        dt.timedelta(0),
        *[sum(outbox.RETRY_AFTER[:n], dt.timedelta()) for n in (1, 2, 3)],
    ]
    assert (email.status, email.attempts) == (EmailStatus.FAILED, 4)
    assert "Connection refused" in email.error


def test_a_failed_email_sent_again_goes_out_as_it_was_written(settings):
    settings.MAILERS = UNREACHABLE_MAILERS
    failed = queued()
    settle()
    settings.MAILERS = LOCMEM_MAILERS

    again = outbox.resend(failed, by=None)
    run_worker()

    again.refresh_from_db()
    assert again.pk != failed.pk and again.status == EmailStatus.SENT
    assert (again.subject, again.text) == (failed.subject, failed.text)
    assert len(mail.outbox) == 1


def test_an_email_no_longer_needed_when_due_is_cancelled_by_its_composer():
    # A kind written when asked has no composer: this test gives it one that finds the email
    # no longer needed (a reminder to someone who has answered since).
    outbox.register(EmailKind.PASSWORD_RESET, lambda email: None)
    try:
        email = outbox.queue(EmailKind.PASSWORD_RESET, to="ana@example.org", language="es")
        run_worker()
    finally:
        outbox.COURIERS.pop(str(EmailKind.PASSWORD_RESET))
    email.refresh_from_db()
    assert email.status == EmailStatus.CANCELLED and mail.outbox == []


def test_the_progress_of_a_batch_counts_what_went_and_what_waits():
    meeting = make_meeting()
    panelists = [make_panelist(meeting, email=f"p{n}@example.org") for n in range(3)]
    sending = invitations.send_each(panelists, EmailKind.INVITATION, by=None)

    assert outbox.progress(sending.batch) == outbox.Progress(3, 0, 0, 0)
    assert outbox.progress(sending.batch).percent == 0
    run_worker()
    assert outbox.progress(sending.batch) == outbox.Progress(3, 3, 0, 0)
    assert outbox.progress(sending.batch).done


@pytest.mark.django_db(transaction=True)
def test_two_worker_processes_send_each_of_many_invitations_once(tmp_path: Path):
    if connection.vendor != "postgresql":
        pytest.skip("worker processes share the test's database on PostgreSQL (CI's run)")
    meeting = make_meeting(slug="many-invitations")
    panelists = [make_panelist(meeting, email=f"panelist{n}@example.org") for n in range(40)]
    invitations.send_each(panelists, EmailKind.INVITATION, by=None)
    for panelist in panelists[:10]:  # each of these asked for twice by a stale task
        outbox.send_email.enqueue(panelist.emails.get().pk)

    environment = {
        "DATABASE_URL": database_url(),
        "EMAIL_URL": f"file:{tmp_path}",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }
    finish(worker_processes(environment, 2), timeout=300)

    assert Email.objects.filter(status=EmailStatus.SENT).count() == 40
    assert len(list(tmp_path.iterdir())) == 40  # one message file per email
    assert meeting.panelists.filter(invited_at__isnull=True).count() == 0


def test_a_composer_that_fails_is_tried_again_like_a_failed_send():
    def broken(email):
        raise RuntimeError("the template is broken")

    outbox.register(EmailKind.PASSWORD_RESET, broken)
    try:
        email = outbox.queue(EmailKind.PASSWORD_RESET, to="ana@example.org", language="es")
        run_worker()
    finally:
        outbox.COURIERS.pop(str(EmailKind.PASSWORD_RESET))
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.QUEUED, 1)
    assert email.error == "RuntimeError: the template is broken"
    assert mail.outbox == []
