import pytest
from playwright.sync_api import expect

from meetings import live
from meetings.links import link_path
from tests.factories import make_mechanism, make_meeting, make_panelist

pytestmark = pytest.mark.browser


@pytest.fixture
def session(live_server, transactional_db):
    meeting = make_meeting(slug="display-meeting", title_en="A long title " * 12)
    ana = make_panelist(meeting, make_mechanism(acronym_en="RCM"), name="Ana Pérez")
    luis = make_panelist(meeting, make_mechanism(acronym_en="CSM"), name="Luis Gómez")
    return live_server, meeting, ana, luis


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1280, 720)])
def test_the_display_fills_the_screen_without_scrolling(session, page, page_errors, width, height):
    server, meeting, *_ = session
    live.perform(meeting, "start", by=None)
    live.set_message(meeting, "Please conclude", by=None)
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{server.url}/meetings/{meeting.slug}/display/")
    expect(page.locator("main.display")).to_have_attribute("data-state", "running")
    expect(page.locator(".display-message")).to_have_text("Please conclude")
    sizes = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    assert sizes == [width, height]
    clock = page.locator("[data-live-clock]").bounding_box()
    assert clock["height"] >= height * 0.2  # digits a quarter of the screen high, or near
    assert page_errors == []


def test_the_overlay_is_transparent_around_the_speaker_and_the_clock(session, page, page_errors):
    """The webcast's browser source keys on transparency: nothing but the lower third paints."""
    server, meeting, *_ = session
    live.perform(meeting, "start", by=None)
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{server.url}/meetings/{meeting.slug}/display/?overlay=1")
    expect(page.locator("main.display")).to_have_attribute("data-state", "running")
    backgrounds = page.evaluate(
        """[document.documentElement, document.body, document.querySelector("main.display")]
        .map((element) => getComputedStyle(element).backgroundColor)"""
    )
    assert backgrounds == ["rgba(0, 0, 0, 0)"] * 3
    expect(page.locator(".display-name")).to_have_text("Ana Pérez")
    expect(page.locator(".display-question")).to_be_hidden()
    assert page_errors == []


def test_the_speaker_view_shows_a_panelist_their_own_countdown(session, page, page_errors):
    server, meeting, _ana, luis = session
    page.goto(f"{server.url}{link_path(luis)}speaker/")
    view = page.locator(".speaker-view")
    expect(view).to_have_attribute("data-you", "waiting")

    live.perform(meeting, "start", by=None)  # Ana speaks; Luis is next
    expect(view).to_have_attribute("data-you", "next")
    expect(page.get_by_text("You speak next.")).to_be_visible()

    live.perform(meeting, "next", by=None)
    live.perform(meeting, "start", by=None)
    live.set_message(meeting, "Please conclude", by=None)
    expect(view).to_have_attribute("data-you", "speaking")
    expect(page.get_by_text("You have the floor.")).to_be_visible()
    expect(page.get_by_role("timer")).to_have_text("6:59", timeout=3000)
    expect(page.locator(".speaker-message")).to_contain_text("Please conclude")
    assert page_errors == []


def test_the_chairs_message_shows_only_to_the_panelist_who_has_the_floor(
    session, page, page_errors
):
    server, meeting, ana, luis = session
    waiting = page.context.new_page()
    waiting.goto(f"{server.url}{link_path(luis)}speaker/")
    page.goto(f"{server.url}{link_path(ana)}speaker/")

    live.perform(meeting, "start", by=None)  # Ana speaks; Luis is next
    live.set_message(meeting, "Please conclude", by=None)
    expect(page.locator(".speaker-view")).to_have_attribute("data-you", "speaking")
    expect(page.locator(".speaker-message")).to_be_visible()
    expect(page.locator(".speaker-message")).to_contain_text("Please conclude")
    expect(waiting.locator(".speaker-view")).to_have_attribute("data-you", "next")
    expect(waiting.locator("[data-live-text=message]")).to_have_text("Please conclude")
    expect(waiting.locator(".speaker-message")).to_be_hidden()

    live.perform(meeting, "next", by=None)  # Luis has the floor: the message is his now
    expect(waiting.locator(".speaker-view")).to_have_attribute("data-you", "speaking")
    expect(waiting.locator(".speaker-message")).to_be_visible()
    expect(page.locator(".speaker-view")).to_have_attribute("data-you", "next")  # round 2
    expect(page.locator(".speaker-message")).to_be_hidden()
    assert page_errors == []


def test_between_rounds_the_display_announces_the_round_that_comes(session, page, page_errors):
    server, meeting, *_ = session
    page.goto(f"{server.url}/meetings/{meeting.slug}/display/")
    root = page.locator("main.display")
    expect(root).to_have_attribute("data-state", "idle")
    expect(page.get_by_text("The session will begin shortly")).to_be_visible()
    expect(page.locator(".display-coming")).to_be_hidden()

    for action in ["start", "next", "start", "next"]:  # Ana, then Luis: round 1 is over
        live.perform(meeting, action, by=None)
    expect(page.locator(".display-coming-round")).to_have_text("Coming up: round 2")
    expect(page.locator(".display-coming-speaker")).to_have_text("First speaker: Ana Pérez (RCM)")
    expect(page.locator(".display-question")).to_have_text("Question 2?")
    expect(page.get_by_text("The session will begin shortly")).to_be_hidden()
    expect(page.locator(".display-next")).to_be_hidden()  # the first speaker is said above

    live.perform(meeting, "start", by=None)  # round 2 begins: the speaker, not the announcement
    expect(page.locator(".display-name")).to_have_text("Ana Pérez")
    expect(page.locator(".display-coming")).to_be_hidden()
    assert page_errors == []


def test_the_display_at_the_end_thanks_the_room_without_a_clock(session, page, page_errors):
    server, meeting, ana, _ = session
    for action in ["start", "next", "start", "next"] * 2:
        live.perform(meeting, action, by=None)
    page.goto(f"{server.url}/meetings/{meeting.slug}/display/?lang=es")
    expect(page.locator("main.display")).to_have_attribute("data-state", "finished")
    expect(page.locator(".display-finished")).to_be_visible()
    expect(page.get_by_role("timer")).to_be_hidden()
    expect(page.locator(".display-coming")).to_be_hidden()
    expect(page.locator(".display-idle")).to_be_hidden()
    speaker_view = page.context.new_page()  # the panelist's own countdown ends the same way
    speaker_view.goto(f"{server.url}{link_path(ana)}speaker/")
    expect(speaker_view.locator(".speaker-view")).to_have_attribute("data-state", "finished")
    expect(speaker_view.get_by_role("timer")).to_be_hidden()
    assert page_errors == []
