"""Publishing the record in a browser: the public reads it without the publisher's account
name and without the panelist who declined; the secretariat's working version keeps her."""

import re

import pytest
from playwright.sync_api import expect

from meetings.roles import CHAIR
from tests.browser.conftest import sign_in
from tests.factories import make_user
from tests.meetings.outputs.test_record import small_meeting

pytestmark = pytest.mark.browser

USERNAME = "pub-account-7731"


def test_the_published_record_names_the_role_and_leaves_out_who_declined(
    live_server, transactional_db, browser, page, page_errors
):
    chair = make_user(CHAIR, username=USERNAME)
    meeting = small_meeting(chair)["meeting"]
    report = f"/meetings/{meeting.slug}/report/"

    staff = page
    sign_in(staff, live_server.url, report, username=USERNAME)
    expect(staff.locator("#attendance")).to_contain_text("Eva Ruiz")  # the working version
    staff.get_by_role("button", name="Publish the record").click()
    expect(staff.locator(".publication-status")).to_contain_text(re.compile(r"by Chair\."))

    visitor = browser.new_context().new_page()
    visitor.goto(f"{live_server.url}{report}")
    expect(visitor.locator(".publication-status")).to_contain_text(re.compile(r"by Chair\."))
    expect(visitor.locator("main")).to_contain_text("Luis Gómez")
    expect(visitor.locator("main")).not_to_contain_text("Eva Ruiz")
    expect(visitor.locator("body")).not_to_contain_text(USERNAME)
    assert page_errors == []
