"""The deadlines on the panelist's page and on the secretariat's panel page."""

import datetime as dt
import zoneinfo

import pytest
from bs4 import BeautifulSoup

from meetings.services.links import link_path
from tests.factories import make_meeting, make_panelist

pytestmark = pytest.mark.django_db

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


@pytest.fixture
def panelist():
    meeting = make_meeting(
        time_zone="Asia/Tokyo",
        # Long past whenever the test runs; the round's is far ahead.
        confirmation_deadline=dt.datetime(2021, 3, 1, 17, 0, tzinfo=TOKYO),
    )
    meeting.rounds.filter(number=1).update(
        answers_deadline=dt.datetime(2030, 5, 10, 9, 30, tzinfo=TOKYO)
    )
    return make_panelist(meeting, name="Ana Pérez")


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def text_of(soup, selector: str) -> str:
    return " ".join(soup.select_one(selector).get_text(" ").split())


def test_the_portal_shows_the_deadlines_in_the_meetings_time_zone(client, panelist):
    soup = soup_of(client.get(link_path(panelist)))
    assert text_of(soup, "#confirmation-deadline") == (
        "Please confirm your participation by Monday, March 1, 2021, 17:00 (Asia/Tokyo) past"
    )
    assert text_of(soup, "#round-1-deadline") == (
        "Written answer due by Friday, May 10, 2030, 09:30 (Asia/Tokyo)"
    )
    assert soup.select_one("#round-1-deadline time")["datetime"] == "2030-05-10T09:30:00+09:00"
    assert soup.select_one("#round-2-deadline") is None  # round 2 has no deadline


def test_a_deadline_not_yet_passed_is_not_marked_past(client, panelist):
    soup = soup_of(client.get(link_path(panelist)))
    assert soup.select_one("#confirmation-deadline .deadline-passed") is not None
    assert soup.select_one("#round-1-deadline .deadline-passed") is None


def test_without_deadlines_the_portal_shows_none(client):
    panelist = make_panelist(make_meeting())
    soup = soup_of(client.get(link_path(panelist)))
    assert soup.select(".deadline") == []


def test_the_portal_speaks_the_panelists_language_for_the_deadline(client, panelist):
    panelist.preferred_language = "es"
    panelist.save()
    soup = soup_of(client.get(link_path(panelist)))
    assert "2030" in text_of(soup, "#round-1-deadline")
    assert "mayo" in text_of(soup, "#round-1-deadline")
