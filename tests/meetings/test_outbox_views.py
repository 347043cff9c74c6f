"""The Outbox page: every email, filtered, opened as sent, sent again; a batch's progress."""

import pytest
from bs4 import BeautifulSoup
from django.core import mail

from meetings.models import Email, EmailKind, EmailStatus
from meetings.roles import SECRETARIAT
from meetings.services import invitations, outbox
from tests.factories import (
    LOCMEM_MAILERS,
    UNREACHABLE_MAILERS,
    make_meeting,
    make_panelist,
    make_user,
)
from tests.worker import run_worker, settle

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat(client):
    client.force_login(make_user(SECRETARIAT))
    return client


@pytest.fixture
def meeting():
    return make_meeting(title_en="Labour migration", slug="labour")


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def rows(response) -> list[str]:
    return [
        " ".join(row.get_text(" ", strip=True).split())
        for row in soup_of(response).select("table.outbox tbody tr")
    ]


def test_the_outbox_lists_each_email_with_its_kind_language_meeting_and_status(
    secretariat, meeting
):
    ana = make_panelist(meeting, name="Ana", email="ana@example.org", preferred_language="es")
    invitations.send(ana, EmailKind.INVITATION, by=None)
    run_worker()

    [row] = rows(secretariat.get("/outbox/"))

    assert "ana@example.org Invitation es Labour migration Sent" in row


def test_the_outbox_filters_by_meeting_kind_status_and_recipient(secretariat, meeting):
    other = make_meeting(slug="other")
    ana = make_panelist(meeting, email="ana@example.org")
    luis = make_panelist(other, email="luis@example.org")
    invitations.send(ana, EmailKind.INVITATION, by=None)
    invitations.send(luis, EmailKind.REMINDER, by=None)
    run_worker()

    def shown(query: str) -> list[str]:
        found = rows(secretariat.get(f"/outbox/?{query}"))
        return [row.split()[5] for row in found if row != "No email here."]

    assert len(rows(secretariat.get("/outbox/"))) == 2
    assert shown("meeting=labour") == ["ana@example.org"]
    assert shown("kind=reminder") == ["luis@example.org"]
    assert shown("to=LUIS") == ["luis@example.org"]
    assert shown("status=failed") == []
    assert "No email here." in soup_of(secretariat.get("/outbox/?status=failed")).get_text()
    # A filter our page never offers shows nothing rather than everything.
    assert rows(secretariat.get("/outbox/?kind=spam")) == ["No email here."]


def test_an_email_opens_as_it_was_sent(secretariat, meeting):
    ana = make_panelist(meeting, name="Ana Pérez", email="ana@example.org")
    email = invitations.send(ana, EmailKind.INVITATION, by=None)
    waiting = soup_of(secretariat.get(f"/outbox/{email.pk}/")).get_text()
    assert "It is written when it goes out" in waiting

    run_worker()

    page = soup_of(secretariat.get(f"/outbox/{email.pk}/"))
    assert page.h1.get_text(strip=True).startswith("Invitation: Labour migration")
    assert page.select_one("pre.email-preview").get_text() == mail.outbox[0].body
    assert "meeting.ics" in page.get_text()


def test_a_failed_email_shows_its_error_and_is_sent_again(secretariat, meeting, settings):
    ana = make_panelist(meeting, email="ana@example.org")
    settings.MAILERS = UNREACHABLE_MAILERS
    email = invitations.send(ana, EmailKind.INVITATION, by=None)
    settle()
    page = soup_of(secretariat.get(f"/outbox/{email.pk}/"))
    assert "Failed" in page.select_one(".email-status").get_text()
    assert "Connection refused" in page.select_one(".email-error").get_text()
    assert "after 4 attempts" in page.get_text()

    settings.MAILERS = LOCMEM_MAILERS
    response = secretariat.post(f"/outbox/{email.pk}/resend/")

    again = Email.objects.exclude(pk=email.pk).get()
    assert response["Location"] == f"/outbox/{again.pk}/"
    run_worker()
    again.refresh_from_db()
    assert again.status == EmailStatus.SENT and again.to == "ana@example.org"


def test_a_password_reset_is_not_shown_nor_sent_again_by_staff(secretariat):
    email = outbox.queue(
        EmailKind.PASSWORD_RESET,
        to="ana@example.org",
        language="en",
        composed=outbox.Composed("Reset your password", "https://secret-link/"),
    )
    run_worker()
    page = soup_of(secretariat.get(f"/outbox/{email.pk}/"))
    assert "secret-link" not in page.get_text()
    assert "it is not shown here" in page.get_text()
    assert not page.select("form[action$='/resend/']")
    secretariat.post(f"/outbox/{email.pk}/resend/")
    assert Email.objects.count() == 1


def test_the_progress_of_a_batch_polls_until_done_then_refreshes_the_page(secretariat, meeting):
    panelists = [make_panelist(meeting, email=f"p{n}@example.org") for n in range(2)]
    sending = invitations.send_each(panelists, EmailKind.INVITATION, by=None)
    url = f"/outbox/sending/{sending.batch}/"

    waiting = secretariat.get(url, headers={"HX-Request": "true"})
    section = soup_of(waiting).select_one(".sending-progress")
    assert section["data-hx-trigger"] == "every 2s"
    assert "0 of 2 sent · 2 waiting · 0 failed" in section.get_text(" ", strip=True)
    assert "HX-Refresh" not in waiting

    run_worker()
    done = secretariat.get(url, headers={"HX-Request": "true"})
    section = soup_of(done).select_one(".sending-progress")
    assert not section.has_attr("data-hx-trigger")
    assert "2 of 2 sent · 0 waiting" in section.get_text(" ", strip=True)
    assert done["HX-Refresh"] == "true"  # the panel's cards say who is invited now


def test_the_outbox_is_for_those_who_manage_meetings(client):
    client.force_login(make_user())
    assert client.get("/outbox/").status_code == 403
