"""The weeks before the meeting, on a fake clock, with the worker sending what is due.

Five weeks out the secretariat convenes the delegations and invites the panel (clicked twice);
the rule reminds at 7 and 2 days before each deadline. Ana confirms and submits her answer at
once; Luis does neither, and is reminded at each date, until the mail server fails the last
reminder, which is tried again and then shown as failed. What each person receives is read as
they would: the emails' recipients, subjects and texts.
"""

import datetime as dt
import re
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.test import Client

from meetings.models import Email, EmailKind, EmailStatus
from meetings.roles import SECRETARIAT
from meetings.services.answers import submit_answer
from meetings.services.links import link_path
from tests.factories import (
    LOCMEM_MAILERS,
    UNREACHABLE_MAILERS,
    make_meeting,
    make_panelist,
    make_user,
    state_delegation,
)
from tests.worker import run_worker, settle

pytestmark = pytest.mark.django_db

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
START = dt.datetime(2031, 2, 3, 9, 0, tzinfo=NEW_YORK)  # five weeks before the meeting
CONFIRM_BY = dt.datetime(2031, 2, 24, 17, 0, tzinfo=NEW_YORK)
ANSWER_BY = dt.datetime(2031, 3, 3, 17, 0, tzinfo=NEW_YORK)


def received() -> list[tuple[str, str]]:
    """Who received what since the last look, in order."""
    seen = [(message.to[0], message.subject.split(":")[0]) for message in mail.outbox]
    mail.outbox.clear()
    return seen


def test_the_weeks_before_the_meeting_run_themselves(settings):
    with time_machine.travel(START, tick=False) as clock:
        meeting = make_meeting(
            slug="labour-2031",
            title_en="Labour migration",
            date=dt.date(2031, 3, 10),
            confirmation_deadline=CONFIRM_BY,
            reminder_days="7,2",
            virtual_link="https://meet.example.org/labour-2031",
        )
        meeting.rounds.filter(number=1).update(answers_deadline=ANSWER_BY)
        ana = make_panelist(meeting, name="Ana Pérez", email="ana@example.org")
        make_panelist(meeting, name="Luis Gómez", email="luis@example.org")
        mexico = state_delegation(meeting, "MX", "Mexico", "México")
        mexico.addresses = "onu.mexico@example.org"
        mexico.language = "es"
        mexico.save()
        clerk = make_user(SECRETARIAT)
        secretariat = Client()
        secretariat.force_login(clerk)

        # Convocation and invitations, each click answered at once; the second click of
        # each queues nothing more.
        for _click in range(2):
            secretariat.post(f"/meetings/{meeting.slug}/delegations/convene/")
            secretariat.post(f"/meetings/{meeting.slug}/panel/invite/")
        assert mail.outbox == []
        run_worker()
        assert sorted(received()) == [
            ("ana@example.org", "Invitation"),
            ("luis@example.org", "Invitation"),
            ("onu.mexico@example.org", "Convocatoria"),
        ]

        # Ana confirms and submits her answer; Luis does neither. Her reminders are cancelled.
        Client().post(link_path(ana) + "participation/", {"participation": "confirmed"})
        submit_answer(ana, meeting.rounds.get(number=1), "What works: regular pathways.")
        scheduled = Email.objects.filter(status=EmailStatus.SCHEDULED).order_by("send_after")
        assert [(email.to, email.kind, email.send_after) for email in scheduled] == [
            ("luis@example.org", EmailKind.CONFIRMATION_REMINDER, CONFIRM_BY - dt.timedelta(7)),
            ("luis@example.org", EmailKind.CONFIRMATION_REMINDER, CONFIRM_BY - dt.timedelta(2)),
            ("luis@example.org", EmailKind.ANSWERS_REMINDER, ANSWER_BY - dt.timedelta(7)),
            ("luis@example.org", EmailKind.ANSWERS_REMINDER, ANSWER_BY - dt.timedelta(2)),
        ]
        assert Email.objects.filter(to="ana@example.org", status=EmailStatus.CANCELLED).exists()

        # Nothing is due until the first reminder's time; then Luis is reminded, in time.
        clock.move_to(CONFIRM_BY - dt.timedelta(days=7, minutes=1))
        run_worker()
        assert received() == []
        clock.move_to(CONFIRM_BY - dt.timedelta(days=7))
        run_worker()
        [reminder] = mail.outbox
        assert reminder.to == ["luis@example.org"]
        assert "24" in reminder.body and "17:00" in reminder.body  # the deadline, New York time
        assert re.search(r"/respond/[\w-]+/", reminder.body)  # his own link
        received()

        clock.move_to(CONFIRM_BY - dt.timedelta(days=2))
        run_worker()
        assert [to for to, _subject in received()] == ["luis@example.org"]
        clock.move_to(ANSWER_BY - dt.timedelta(days=7))
        run_worker()
        assert [to for to, _subject in received()] == ["luis@example.org"]

        # The mail server fails the last reminder: it is tried again, then shown as failed.
        settings.MAILERS = UNREACHABLE_MAILERS
        clock.move_to(ANSWER_BY - dt.timedelta(days=2))
        settle()
        last = Email.objects.get(to="luis@example.org", send_after__gte=ANSWER_BY - dt.timedelta(2))
        assert (last.status, last.attempts) == (EmailStatus.FAILED, 4)
        secretariat.force_login(clerk)  # a new day's session, four weeks later
        page = secretariat.get(f"/outbox/?meeting={meeting.slug}&status=failed").content.decode()
        assert "luis@example.org" in page
        settings.MAILERS = LOCMEM_MAILERS

    # Each email went once: five sent to Luis and the panel, the convocation, none twice.
    sent = Email.objects.filter(status=EmailStatus.SENT)
    assert sent.count() == 6
    assert sent.values("key").distinct().count() == 6
