import datetime as dt

import pytest
from bs4 import BeautifulSoup

from meetings.models import MeetingStatus, PanelistStatus
from tests.factories import make_meeting, make_panelist

pytestmark = pytest.mark.django_db


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_home_lists_upcoming_and_recent_meetings_but_not_drafts(client):
    make_meeting(title_en="Past meeting", date=dt.date(2022, 5, 17))
    make_meeting(title_en="Next meeting", date=dt.date(2031, 1, 20))
    make_meeting(title_en="Secret draft", status=MeetingStatus.DRAFT)
    soup = soup_of(client.get("/"))
    upcoming = soup.find(id="upcoming-heading").find_parent("section").get_text()
    recent = soup.find(id="recent-heading").find_parent("section").get_text()
    assert "Next meeting" in upcoming and "Past meeting" not in upcoming
    assert "Past meeting" in recent
    assert "Secret draft" not in soup.get_text()


def test_meeting_page_shows_time_zone_questions_panel_and_run_of_show(client):
    meeting = make_meeting(date=dt.date(2022, 5, 17))
    make_panelist(meeting, name="Ana Pérez", position="Director", organisation="RCM")
    soup = soup_of(client.get(f"/meetings/{meeting.slug}/"))
    text = soup.get_text(" ", strip=True)
    assert "10:00–13:00" in text and "America/New_York" in text
    assert "Question 1?" in text and "Question 2?" in text
    assert "Ana Pérez" in text and "Director, RCM" in text
    assert soup.select_one("#run-of-show")
    assert soup.find("a", href=f"/meetings/{meeting.slug}/calendar.ics")


def test_the_meeting_page_kept_rendered_shows_each_change_at_once(client):
    """The page's body is kept for each live version: a change to what it shows is seen on
    the next request, in every language."""
    meeting = make_meeting()
    ana = make_panelist(meeting, name="Ana Pérez", position="Director", organisation="RCM")
    page = f"/meetings/{meeting.slug}/"
    assert "Director, RCM" in soup_of(client.get(page)).get_text(" ", strip=True)
    ana.position = "Chair"
    ana.save()
    assert "Chair, RCM" in soup_of(client.get(page)).get_text(" ", strip=True)
    meeting.refresh_from_db()
    meeting.concept_note = "A note on the dialogue."
    meeting.save()
    assert "A note on the dialogue." in soup_of(client.get(page)).get_text(" ", strip=True)
    spanish = soup_of(client.get(page, HTTP_ACCEPT_LANGUAGE="es"))
    assert "Chair, RCM" in spanish.get_text(" ", strip=True)


def test_the_public_panel_leaves_out_who_declined(client):
    meeting = make_meeting()
    make_panelist(meeting, name="Ana Pérez", status=PanelistStatus.CONFIRMED)
    make_panelist(meeting, name="Luis Gómez", status=PanelistStatus.DECLINED)
    panel = soup_of(client.get(f"/meetings/{meeting.slug}/")).find(id="panel-heading")
    text = panel.find_parent("section").get_text(" ", strip=True)
    assert "Ana Pérez" in text and "Luis Gómez" not in text


def test_meeting_page_warns_when_the_panel_does_not_fit(client):
    meeting = make_meeting(end_time=dt.time(10, 30))
    make_panelist(meeting)
    alert = soup_of(client.get(f"/meetings/{meeting.slug}/")).select_one("#run-of-show .alert")
    assert "does not fit" in alert.get_text()


def test_meeting_page_queries_stay_constant_as_the_panel_grows(
    client, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    meeting = make_meeting()
    make_panelist(meeting)
    with CaptureQueriesContext(connection) as small:
        client.get(f"/meetings/{meeting.slug}/")
    for _ in range(8):
        make_panelist(meeting)
    with CaptureQueriesContext(connection) as large:
        client.get(f"/meetings/{meeting.slug}/")
    assert len(large) == len(small)


def test_user_text_on_the_meeting_page_is_escaped(client):
    meeting = make_meeting(title_en="<b>Bold</b>", concept_note_en="<script>x()</script>")
    make_panelist(meeting, name="<img src=x>")
    body = client.get(f"/meetings/{meeting.slug}/").content.decode()
    assert "<b>Bold</b>" not in body
    assert "<script>x()" not in body
    assert "<img src=x>" not in body


def agenda_meeting():
    from tests.factories import whole_agenda

    meeting = make_meeting(opening_minutes=0, closing_minutes=0, changeover_seconds=30)
    make_panelist(meeting, name="Ana Pérez")
    _opening, dialogue, _closing = whole_agenda(meeting)
    dialogue.planned_minutes = 30
    dialogue.save()
    return meeting


def test_the_public_agenda_lists_every_item_in_order_with_its_planned_time(client):
    meeting = agenda_meeting()
    soup = soup_of(client.get(f"/meetings/{meeting.slug}/"))
    agenda = soup.select_one("#run-of-show")
    assert agenda.find("h2").get_text() == "Agenda"
    rows = [
        [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
        for row in agenda.select("tr.agenda-item")
    ]
    assert rows == [
        ["10:00", "Opening remarks", "5 minutes"],
        ["10:05", "Round 1", "7 minutes"],
        ["10:12", "Round 2", "7 minutes"],
        ["10:19", "Dialogue with delegations (3 minutes per intervention)", "30 minutes"],
        ["10:49", "Closing remarks", "5 minutes"],
    ]
    text = agenda.get_text(" ", strip=True)
    assert "Chair of the CAM" in text and "Ana Pérez" in text
    assert "10:54 End" in text
