"""A delegation follows the dialogue on a phone: asks for the floor, sees its place, withdraws,
raises a point of order, and gets its own countdown when the chair gives it the floor."""

import re

import pytest
from playwright.sync_api import expect

from meetings.models import Intervention, Meeting, TurnStatus
from meetings.services import floor, live_session
from meetings.services.links import link_path
from tests.browser.test_accessibility import assert_clean, settle, violations

pytestmark = pytest.mark.browser
SLUG = "migration-governance-2022"


@pytest.fixture
def seeded_meeting(directory_site):
    return directory_site, Meeting.objects.get(slug=SLUG)


def to_the_dialogue(meeting):
    """Opening remarks and both rounds closed: the dialogue is under way."""
    for _ in range(3):
        live_session.perform(meeting, "next_item", by=None)


def waiting(delegation, *, point_of_order: bool) -> Intervention:
    return Intervention.objects.get(
        delegation=delegation, status=TurnStatus.PENDING, point_of_order=point_of_order
    )


def test_a_delegation_asks_for_the_floor_and_speaks_on_a_phone(seeded_meeting, page, page_errors):
    server, meeting = seeded_meeting
    mexico = meeting.delegations.get(code="MX")
    canada = meeting.delegations.get(code="CA")
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{server.url}{link_path(mexico)}")
    root = page.locator(".floor-page")
    place = page.locator("[data-floor-place]")
    expect(page.get_by_role("heading", level=1)).to_have_text(meeting.title)
    expect(page.locator("[data-floor-hint]")).to_be_visible()  # the opening remarks first

    # The chair moves on to the dialogue: the page follows by itself.
    to_the_dialogue(meeting)
    expect(page.locator("[data-live-text='item.title']")).to_have_text("Dialogue with delegations")
    expect(page.locator("[data-floor-hint]")).to_be_hidden()

    floor.request_floor(canada)
    page.get_by_role("button", name="Request the floor", exact=True).click()
    expect(place).to_have_text("Your place in the queue: 2 of 2.")
    expect(page.get_by_role("button", name="Request the floor", exact=True)).to_have_count(0)

    # Canada withdraws on its own page: Mexico's place moves up, live.
    floor.withdraw_request(canada)
    expect(place).to_have_text("You are first in the queue.")

    page.get_by_role("button", name="Withdraw request", exact=True).click()
    expect(place).to_have_text("You have not asked for the floor.")
    assert not Intervention.objects.filter(delegation=mexico, status=TurnStatus.PENDING)

    page.get_by_role("button", name="Request the floor", exact=True).click()
    expect(place).to_have_text("You are first in the queue.")
    request = waiting(mexico, point_of_order=False)

    page.get_by_role("button", name="Point of order", exact=True).click()
    expect(page.get_by_role("button", name="Withdraw point of order")).to_be_visible()
    assert waiting(mexico, point_of_order=True)

    # The chair gives Mexico the floor for its request: its own countdown, large.
    live_session.perform(meeting, "give_floor", turn_id=request.clock_id, by=None)
    live_session.perform(meeting, "start", by=None)
    expect(root).to_have_attribute("data-you", "speaking")
    expect(page.get_by_text("You have the floor.")).to_be_visible()
    clock = page.get_by_role("timer")
    expect(clock).to_have_text(re.compile(r"^[23]:[0-5]\d$"))
    # The request given the floor leaves the controls: it may ask again; the point of order waits.
    expect(page.get_by_role("button", name="Request the floor", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Withdraw point of order")).to_be_visible()

    box = clock.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 320
    assert box["height"] >= 60  # the big countdown, not the line of the waiting page
    assert page.evaluate("document.documentElement.scrollWidth") <= 320  # nothing runs off
    assert page_errors == []


def test_a_double_click_asks_once(seeded_meeting, page, page_errors):
    server, meeting = seeded_meeting
    mexico = meeting.delegations.get(code="MX")
    to_the_dialogue(meeting)
    page.goto(f"{server.url}{link_path(mexico)}")

    page.get_by_role("button", name="Request the floor", exact=True).dblclick()

    expect(page.locator("[data-floor-place]")).to_have_text("You are first in the queue.")
    # The keyboard stays where it was: on the button, now Withdraw request.
    expect(page.get_by_role("button", name="Withdraw request", exact=True)).to_be_focused()
    assert Intervention.objects.filter(delegation=mexico, status=TurnStatus.PENDING).count() == 1
    assert page_errors == []


def test_the_floor_page_works_without_javascript(seeded_meeting, browser):
    server, meeting = seeded_meeting
    mexico = meeting.delegations.get(code="MX")
    to_the_dialogue(meeting)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server.url}{link_path(mexico)}")

    page.get_by_role("button", name="Request the floor", exact=True).click()

    expect(page.locator(".messages")).to_have_text("Your request for the floor is in the queue.")
    expect(page.locator("[data-floor-place]")).to_have_text("You are first in the queue.")
    page.get_by_role("button", name="Withdraw request", exact=True).click()
    expect(page.locator(".messages")).to_have_text("Your request for the floor is withdrawn.")
    context.close()


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_floor_page_has_no_wcag_violation(seeded_meeting, browser, language):
    server, meeting = seeded_meeting
    mexico = meeting.delegations.get(code="MX")
    to_the_dialogue(meeting)
    floor.request_floor(meeting.delegations.get(code="CA"))
    floor.request_floor(mexico)
    context = browser.new_context(bypass_csp=True)  # axe-core is injected as a script
    context.add_cookies([{"name": "django_language", "value": language, "url": server.url}])
    page = context.new_page()
    found = {}
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{server.url}{link_path(mexico)}")
        settle(page)
        found[f"waiting at {width}"] = violations(page)
    request = Intervention.objects.get(delegation=mexico, status=TurnStatus.PENDING)
    live_session.perform(meeting, "give_floor", turn_id=request.clock_id, by=None)
    live_session.perform(meeting, "start", by=None)
    page.goto(f"{server.url}{link_path(mexico)}")
    settle(page)
    expect(page.locator(".floor-page")).to_have_attribute("data-you", "speaking")
    found["speaking"] = violations(page)
    context.close()
    assert_clean(found)


def test_two_devices_of_one_delegation_keep_in_step(seeded_meeting, browser):
    """A request made on one device shows on the other (its controls asked for again once the
    queue holds it), and withdrawn there, shows withdrawn on the first."""
    server, meeting = seeded_meeting
    mexico = meeting.delegations.get(code="MX")
    to_the_dialogue(meeting)
    phone, laptop = (browser.new_context().new_page() for _ in range(2))
    for device in (phone, laptop):
        device.goto(f"{server.url}{link_path(mexico)}")

    phone.get_by_role("button", name="Request the floor", exact=True).click()
    expect(laptop.get_by_role("button", name="Withdraw request", exact=True)).to_be_visible()
    expect(laptop.locator("[data-floor-place]")).to_have_text("You are first in the queue.")

    laptop.get_by_role("button", name="Withdraw request", exact=True).click()
    expect(phone.get_by_role("button", name="Request the floor", exact=True)).to_be_visible()
    expect(phone.locator("[data-floor-place]")).to_have_text("You have not asked for the floor.")
    assert not Intervention.objects.filter(delegation=mexico, status=TurnStatus.PENDING)
    for device in (phone, laptop):
        device.context.close()
