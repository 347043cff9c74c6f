import datetime as dt

import pytest
from icalendar import Calendar

from tests.factories import make_meeting

pytestmark = pytest.mark.django_db


def test_calendar_ics_is_a_valid_event_at_the_right_instant(client, settings):
    settings.SITE_URL = "https://cam.example.org"
    meeting = make_meeting(
        date=dt.date(2022, 5, 17), venue_en="OAS headquarters, Washington, D.C.", title_en="A, B; C"
    )
    response = client.get(f"/meetings/{meeting.slug}/calendar.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert f'filename="{meeting.slug}.ics"' in response["Content-Disposition"]
    calendar = Calendar.from_ical(response.content)
    [event] = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == dt.datetime(2022, 5, 17, 14, 0, tzinfo=dt.UTC)
    assert event.decoded("DTEND") == dt.datetime(2022, 5, 17, 17, 0, tzinfo=dt.UTC)
    assert str(event["SUMMARY"]) == "A, B; C"
    assert str(event["LOCATION"]) == "OAS headquarters, Washington, D.C."
    assert str(event["UID"]) == f"meeting-{meeting.slug}@cam-meetings"
    assert "Question 1?" in str(event["DESCRIPTION"])
    assert str(event["URL"]) == f"https://cam.example.org/meetings/{meeting.slug}/"


def test_calendar_lines_are_folded_at_75_octets(client):
    meeting = make_meeting(title_en="Migration governance " * 10)
    body = client.get(f"/meetings/{meeting.slug}/calendar.ics").content
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))


def event_of(client, meeting) -> dict:
    [event] = Calendar.from_ical(client.get(f"/meetings/{meeting.slug}/calendar.ics").content).walk(
        "VEVENT"
    )
    return event


def test_calendar_names_the_secretariat_as_organizer(client, settings):
    settings.DEFAULT_FROM_EMAIL = "CAM Technical Secretariat <cam@oas.example>"
    event = event_of(client, make_meeting())
    assert str(event["ORGANIZER"]) == "mailto:cam@oas.example"
    assert event["ORGANIZER"].params["CN"] == "CAM Technical Secretariat"


def test_calendar_sequence_rises_when_the_meeting_moves_and_only_then(client):
    meeting = make_meeting()
    uid = str(event_of(client, meeting)["UID"])
    assert event_of(client, meeting)["SEQUENCE"] == 0

    meeting.title_en = "A new title"  # not a move: calendars need not replace the event
    meeting.save()
    assert event_of(client, meeting)["SEQUENCE"] == 0

    meeting.start_time = dt.time(11, 0)
    meeting.save()
    assert event_of(client, meeting)["SEQUENCE"] == 1
    meeting.venue_en = "Simón Bolívar Room"
    meeting.save()
    meeting.date += dt.timedelta(days=1)
    meeting.save()
    event = event_of(client, meeting)
    assert event["SEQUENCE"] == 3
    assert str(event["UID"]) == uid  # the same event, replaced


def test_a_console_action_does_not_raise_the_calendar_sequence(client):
    meeting = make_meeting()
    meeting.start_time = dt.time(11, 0)
    meeting.save()
    meeting.raise_live_version()  # as the console does
    assert event_of(client, meeting)["SEQUENCE"] == 1


def test_the_calendar_describes_the_agenda_item_by_item(client):
    from tests.factories import make_panelist, whole_agenda

    meeting = make_meeting(opening_minutes=0, closing_minutes=0)
    make_panelist(meeting)
    _opening, dialogue, _closing = whole_agenda(meeting)
    dialogue.planned_minutes = 30
    dialogue.save()
    [event] = Calendar.from_ical(client.get(f"/meetings/{meeting.slug}/calendar.ics").content).walk(
        "VEVENT"
    )
    lines = str(event["DESCRIPTION"]).splitlines()
    assert lines[:7] == [
        "Agenda (times in America/New_York):",
        "10:00 Opening remarks",
        "10:05 Round 1. Question 1?",
        "10:12 Round 2. Question 2?",
        "10:19 Dialogue with delegations (3 minutes per intervention)",
        "10:49 Closing remarks",
        "10:54 End",
    ]
