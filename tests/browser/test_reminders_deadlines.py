"""The deadlines set in the secretariat's meeting form, shown on the panel page with the
reminders they schedule, and on the panelist's page, in the meeting's time zone."""

import datetime as dt
import zoneinfo

import pytest
from playwright.sync_api import expect

from meetings.models import Meeting, MeetingFormat
from meetings.roles import SECRETARIAT
from meetings.services.links import link_path
from tests import factories
from tests.browser.conftest import PASSWORD, sign_in
from tests.factories import make_meeting, make_user

pytestmark = pytest.mark.browser


def make_panelist(meeting, **fields):
    """A panelist already invited: only they are owed reminders."""
    fields.setdefault("invited_at", dt.datetime(2030, 1, 2, 15, 0, tzinfo=dt.UTC))
    return factories.make_panelist(meeting, **fields)


def test_the_secretariat_sets_deadlines_and_the_panelist_reads_them(
    live_server, transactional_db, page, page_errors, browser
):
    meeting = make_meeting(
        title_en="Labour migration", time_zone="Asia/Tokyo", format=MeetingFormat.IN_PERSON
    )
    panelist = make_panelist(meeting, name="Ana Pérez")
    make_user(SECRETARIAT, username="secretary", password=PASSWORD)
    sign_in(page, live_server.url, f"/meetings/{meeting.slug}/edit/")

    expect(page.locator("#id_confirmation_deadline_helptext")).to_contain_text("Asia/Tokyo")
    page.locator("#id_confirmation_deadline").fill("2030-05-01T17:00")
    page.locator("#id_reminder_days").fill("10, 3")
    page.locator("#id_rounds-0-answers_deadline").fill("2030-05-10T09:30")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator(".messages")).to_contain_text("The meeting is saved.")
    # The panel page, where the form leads, says them and what the rule has scheduled.
    deadlines = page.locator("#deadlines")
    expect(deadlines).to_contain_text("Confirm by Wednesday, May 1, 2030, 17:00 (Asia/Tokyo)")
    expect(deadlines).to_contain_text("Round 1 answers by Friday, May 10, 2030, 09:30")
    expect(deadlines).to_contain_text("Reminders, days before each deadline: 10,3. 4 scheduled.")

    saved = Meeting.objects.get(pk=meeting.pk)
    tokyo = zoneinfo.ZoneInfo("Asia/Tokyo")
    assert saved.confirmation_deadline == dt.datetime(2030, 5, 1, 17, 0, tzinfo=tokyo)
    assert saved.reminder_days == "10,3"
    assert saved.rounds.get(number=1).answers_deadline == dt.datetime(
        2030, 5, 10, 9, 30, tzinfo=tokyo
    )

    portal = browser.new_page()
    portal.goto(live_server.url + link_path(panelist))
    expect(portal.locator("#confirmation-deadline")).to_contain_text(
        "Please confirm your participation by Wednesday, May 1, 2030, 17:00"
    )
    expect(portal.locator("#confirmation-deadline")).to_contain_text("(Asia/Tokyo)")
    expect(portal.locator("#round-1-deadline")).to_contain_text(
        "Written answer due by Friday, May 10, 2030, 09:30"
    )
    expect(portal.locator("#round-2-deadline")).to_have_count(0)
    expect(portal.locator(".deadline-passed")).to_have_count(0)
    portal.close()
    assert page_errors == []
