"""The speaker's countdown fills a lectern phone's screen and never runs off it."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.services import live_session
from meetings.services.links import link_path
from tests.factories import before_the_session, make_meeting, make_panelist

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("width", "height"), [(360, 740), (390, 844), (844, 390), (1280, 800)])
def test_the_countdown_fills_the_width_of_a_phone_and_fits(
    live_server, transactional_db, page, width, height
):
    meeting = before_the_session(make_meeting(slug="lectern"))
    ana = make_panelist(meeting, name="Ana Pérez")
    live_session.perform(meeting, "start", by=None, now=timezone.now())
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{live_server.url}{link_path(ana)}speaker/")
    clock = page.locator(".speaker-clock")
    expect(page.locator(".speaker-view")).to_have_attribute("data-you", "speaking")

    box = clock.bounding_box()
    text_width = clock.evaluate(
        "(element) => { const range = document.createRange(); range.selectNodeContents(element);"
        " return range.getBoundingClientRect().width; }"
    )
    assert box["x"] >= 0 and box["x"] + box["width"] <= width  # never off the screen
    if width < 900:  # a phone: the digits take half its width, or its height when held sideways
        assert text_width >= 0.5 * width or box["height"] >= 0.4 * height, (text_width, box)
    assert clock.evaluate("(element) => element.scrollWidth <= element.clientWidth")
