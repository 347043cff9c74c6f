"""The reminders in the outbox follow the plan: queued for their time, cancelled when no
longer owed, never twice; and composed, when sent, in the panelist's language, or not at all
when no longer needed."""

import datetime as dt
import zoneinfo

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.utils import timezone

from meetings.models import Email, EmailStatus, Meeting, MeetingStatus, PanelistStatus
from meetings.roles import SECRETARIAT
from meetings.services import reminders
from meetings.services.answers import save_draft, submit_answer
from meetings.services.links import link_token
from meetings.services.panel import remove_panelist, respond_to_invitation, update_panelist
from meetings.services.reminders import ANSWERS, CONFIRMATION, compose, sync
from tests import factories
from tests.factories import make_meeting, make_user, meeting_form, saved_rounds
from tests.worker import settle

pytestmark = pytest.mark.django_db


def make_panelist(meeting, **fields):
    """A panelist already invited: only they are owed reminders."""
    fields.setdefault("invited_at", dt.datetime(2030, 1, 2, 15, 0, tzinfo=dt.UTC))
    return factories.make_panelist(meeting, **fields)


NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
CONFIRM_BY = dt.datetime(2030, 5, 1, 17, 0, tzinfo=NEW_YORK)
ANSWER_BY = dt.datetime(2030, 5, 10, 12, 0, tzinfo=NEW_YORK)
WAITING = (EmailStatus.SCHEDULED, EmailStatus.QUEUED)


@pytest.fixture
def meeting():
    meeting = make_meeting(confirmation_deadline=CONFIRM_BY, reminder_days="7,2")
    meeting.rounds.filter(number=1).update(answers_deadline=ANSWER_BY)
    return meeting


def waiting(meeting) -> list[tuple]:
    rows = Email.objects.filter(meeting=meeting, kind__in=reminders.KINDS, status__in=WAITING)
    return sorted(
        (row.kind, row.panelist_id, row.send_after.astimezone(NEW_YORK).strftime("%d/%m %H:%M"))
        for row in rows
    )


def cancelled(meeting) -> int:
    return Email.objects.filter(
        meeting=meeting, kind__in=reminders.KINDS, status=EmailStatus.CANCELLED
    ).count()


def test_adding_a_panelist_queues_their_reminders_for_their_time(meeting):
    panelist = make_panelist(meeting, email="ana@example.org", preferred_language="es")
    assert waiting(meeting) == [
        (ANSWERS, panelist.pk, "03/05 12:00"),
        (ANSWERS, panelist.pk, "08/05 12:00"),
        (CONFIRMATION, panelist.pk, "24/04 17:00"),
        (CONFIRMATION, panelist.pk, "29/04 17:00"),
    ]
    email = Email.objects.filter(kind=CONFIRMATION).earliest("send_after")
    assert (email.to, email.language, email.panelist, email.meeting) == (
        "ana@example.org",
        "es",
        panelist,
        meeting,
    )
    assert email.key == reminders.reminder_key(CONFIRMATION, panelist.pk, None, CONFIRM_BY, 7)


def test_syncing_again_queues_nothing_twice(meeting):
    make_panelist(meeting)
    before = Email.objects.count()
    assert sync(meeting) == reminders.Synced(queued=0, cancelled=0)
    assert sync(meeting) == reminders.Synced(queued=0, cancelled=0)
    assert Email.objects.count() == before


def test_submitting_an_answer_cancels_its_reminders_and_no_other(meeting):
    panelist = make_panelist(meeting)
    save_draft(panelist, meeting.rounds.get(number=1), "A draft reminds still")
    assert len(waiting(meeting)) == 4
    submit_answer(panelist, meeting.rounds.get(number=1), "Our answer.")
    assert [kind for kind, _id, _at in waiting(meeting)] == [CONFIRMATION, CONFIRMATION]
    assert cancelled(meeting) == 2


def test_confirming_or_declining_cancels_the_reminders_to_confirm(meeting):
    ana, luis = make_panelist(meeting), make_panelist(meeting)
    respond_to_invitation(ana, PanelistStatus.CONFIRMED)
    assert {(kind, pk) for kind, pk, _at in waiting(meeting) if pk == ana.pk} == {(ANSWERS, ana.pk)}
    respond_to_invitation(luis, PanelistStatus.DECLINED)
    assert not [row for row in waiting(meeting) if row[1] == luis.pk]  # nothing at all


def test_moving_the_deadline_in_the_meeting_form_plans_again(client, meeting):
    # The meeting as the form saves it, with the deadline moved a day later.
    client.force_login(make_user(SECRETARIAT))
    panelist = make_panelist(meeting, status=PanelistStatus.CONFIRMED)
    page = BeautifulSoup(client.get(f"/meetings/{meeting.slug}/edit/").content, "html.parser")
    data = meeting_form(
        slug=meeting.slug,
        date="2030-05-17",
        loaded_version=page.find("input", {"name": "loaded_version"})["value"],
        **{"rounds-0-answers_deadline": "2030-05-11T12:00"},
        **saved_rounds(meeting),
    )
    response = client.post(f"/meetings/{meeting.slug}/edit/", data)
    assert response.status_code == 302
    assert waiting(meeting) == [
        (ANSWERS, panelist.pk, "04/05 12:00"),
        (ANSWERS, panelist.pk, "09/05 12:00"),
    ]
    assert cancelled(meeting) == 2  # those of the deadline before


def test_concluding_the_meeting_cancels_every_reminder(meeting):
    make_panelist(meeting)
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CONCLUDED)
    assert sync(meeting) == reminders.Synced(queued=0, cancelled=4)
    assert waiting(meeting) == []


def test_a_reminder_at_its_very_time_is_left_for_the_worker(meeting):
    make_panelist(meeting)
    moment = dt.datetime(2030, 4, 24, 17, 0, 30, tzinfo=NEW_YORK)  # the first is due
    assert sync(meeting, now=moment) == reminders.Synced(queued=0, cancelled=0)
    assert len(waiting(meeting)) == 4


def test_a_removed_panelist_is_no_longer_reminded(meeting):
    panelist = make_panelist(meeting)
    remove_panelist(panelist, by=None)
    assert waiting(meeting) == []


def test_a_reply_undone_brings_its_reminders_back(meeting):
    panelist = make_panelist(meeting)
    update_panelist(panelist, by=None, status=PanelistStatus.CONFIRMED)
    assert cancelled(meeting) == 2
    update_panelist(panelist, by=None, status=PanelistStatus.INVITED)
    assert len(waiting(meeting)) == 4
    assert cancelled(meeting) == 0  # the same rows, queued again


def test_a_new_address_is_where_the_waiting_reminders_go(meeting):
    panelist = make_panelist(meeting, email="old@example.org")
    update_panelist(panelist, by=None, email="new@example.org", preferred_language="fr")
    rows = Email.objects.filter(meeting=meeting, status__in=WAITING)
    assert {(row.to, row.language) for row in rows} == {("new@example.org", "fr")}


def test_removing_the_address_cancels_them(meeting):
    panelist = make_panelist(meeting)
    update_panelist(panelist, by=None, email="")
    assert waiting(meeting) == []


# Composing ----------------------------------------------------------------------------------


def reminder_of(panelist, kind):
    return Email.objects.filter(panelist=panelist, kind=kind, status__in=WAITING).earliest(
        "send_after"
    )


def test_the_reminder_to_confirm_is_composed_in_the_panelists_language(meeting):
    panelist = make_panelist(meeting, name="Ana Pérez", honorific="ms", preferred_language="es")
    composed = compose(reminder_of(panelist, CONFIRMATION))
    assert "1 de mayo de 2030" in composed.subject
    assert "1 de mayo de 2030" in composed.text
    assert "17:00 (America/New_York)" in composed.text
    assert composed.text.startswith("Estimada Sra. Ana Pérez:")
    assert f"/respond/{link_token(panelist)}/" in composed.text
    assert 'href="http' in composed.html


def test_the_reminder_of_an_answer_names_its_round_and_question(meeting):
    panelist = make_panelist(meeting, status=PanelistStatus.CONFIRMED)
    composed = compose(reminder_of(panelist, ANSWERS))
    assert "round 1" in composed.subject
    assert "Question 1?" in composed.text
    assert "Friday, May 10, 2030, 12:00 (America/New_York)" in composed.text


def test_what_the_secretariat_typed_is_text_in_the_reminder(meeting):
    panelist = make_panelist(meeting)
    hostile = '<img src=x onerror="alert(1)">'
    Meeting.objects.filter(pk=meeting.pk).update(title_en=hostile)
    type(panelist).objects.filter(pk=panelist.pk).update(name=hostile)
    meeting.rounds.filter(number=1).update(question_en=hostile)
    for kind in (CONFIRMATION, ANSWERS):
        composed = compose(reminder_of(panelist, kind))
        assert "<img" not in composed.html
        assert "&lt;img src=x" in composed.html
        assert hostile in composed.text  # the plain text is the text as typed
        assert hostile in composed.subject


def test_a_reminder_no_longer_needed_is_composed_as_none(meeting):
    panelist = make_panelist(meeting)
    email = reminder_of(panelist, CONFIRMATION)
    # Confirmed behind the outbox's back (no sync): the check at send time still sees it.
    type(panelist).objects.filter(pk=panelist.pk).update(status=PanelistStatus.CONFIRMED)
    assert compose(email) is None


def test_a_reminder_of_a_moved_deadline_is_composed_as_none(meeting):
    panelist = make_panelist(meeting)
    email = reminder_of(panelist, CONFIRMATION)
    Meeting.objects.filter(pk=meeting.pk).update(
        confirmation_deadline=CONFIRM_BY + dt.timedelta(hours=1)
    )
    assert compose(email) is None


def test_a_reminder_after_its_deadline_is_composed_as_none(meeting, monkeypatch):
    panelist = make_panelist(meeting)
    email = reminder_of(panelist, CONFIRMATION)
    monkeypatch.setattr(timezone, "now", lambda: CONFIRM_BY + dt.timedelta(minutes=1))
    assert compose(email) is None


# Sent by the worker --------------------------------------------------------------------------


def test_the_worker_sends_each_reminder_at_its_time(meeting):
    ana = make_panelist(meeting, name="Ana Pérez", email="ana@example.org")
    luis = make_panelist(meeting, name="Luis Gómez", email="luis@example.org")
    submit_answer(luis, meeting.rounds.get(number=1), "Our answer.")
    respond_to_invitation(luis, PanelistStatus.CONFIRMED)
    settle()
    assert sorted((message.to[0], message.subject.split(" by ")[0]) for message in mail.outbox) == [
        ("ana@example.org", "Reminder: please confirm your participation"),
        ("ana@example.org", "Reminder: please confirm your participation"),
        ("ana@example.org", "Reminder: written answer for round 1 due"),
        ("ana@example.org", "Reminder: written answer for round 1 due"),
    ]
    sent = Email.objects.filter(panelist=ana, status=EmailStatus.SENT)
    assert sent.count() == 4
    assert all(email.subject and email.text for email in sent)  # kept as sent


def test_the_worker_cancels_a_reminder_no_longer_needed_when_due(meeting):
    panelist = make_panelist(meeting)
    # Confirmed without the reminders being told (a script): checked when each is due.
    type(panelist).objects.filter(pk=panelist.pk).update(status=PanelistStatus.CONFIRMED)
    settle()
    assert [m.subject.split(" by ")[0] for m in mail.outbox] == [
        "Reminder: written answer for round 1 due",
        "Reminder: written answer for round 1 due",
    ]
    assert cancelled(meeting) == 2


# The secretariat's panel page --------------------------------------------------------------


def test_the_panel_page_shows_the_deadlines_and_the_reminders_scheduled(client, meeting):
    client.force_login(make_user(SECRETARIAT))
    make_panelist(meeting)
    page = BeautifulSoup(client.get(f"/meetings/{meeting.slug}/panel/").content, "html.parser")
    line = " ".join(page.select_one("#deadlines").get_text(" ").split())
    assert "Confirm by Wednesday, May 1, 2030, 17:00 (America/New_York)" in line
    assert "Round 1 answers by Friday, May 10, 2030, 12:00 (America/New_York)" in line
    assert "Reminders, days before each deadline: 7,2. 4 scheduled." in line


def test_a_panelist_not_yet_invited_is_reminded_of_nothing_until_their_invitation_goes():
    from meetings.models import EmailKind
    from meetings.services import invitations
    from tests.worker import run_worker

    meeting = make_meeting(confirmation_deadline=CONFIRM_BY, reminder_days="7,2")
    ana = factories.make_panelist(meeting, email="ana@example.org")
    assert waiting(meeting) == []

    invitations.send(ana, EmailKind.INVITATION, by=None)
    assert waiting(meeting) == []  # queued, not received yet
    run_worker()

    assert [row[0] for row in waiting(meeting)] == [CONFIRMATION, CONFIRMATION]
