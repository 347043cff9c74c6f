import re

import pytest
from playwright.sync_api import expect

from meetings.models import QUESTION_MAX_LENGTH, Round
from meetings.services import live_session
from meetings.services.links import link_path
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
    live_session.perform(meeting, "start", by=None)
    live_session.set_message(meeting, "Please conclude", by=None)
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
    live_session.perform(meeting, "start", by=None)
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


def test_the_overlay_shows_the_chairs_message_in_a_small_bar_above_the_lower_third(
    session, page, page_errors
):
    """The webcast's viewers see what the room sees: the chair's message, as a
    small bar over the lower third, and nothing else painted above it."""
    server, meeting, *_ = session
    live_session.perform(meeting, "start", by=None)
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{server.url}/meetings/{meeting.slug}/display/?overlay=1")
    expect(page.locator("main.display")).to_have_attribute("data-state", "running")
    message = page.locator(".display-message")
    expect(message).to_be_hidden()  # no message, no bar

    live_session.set_message(meeting, "Please conclude", by=None)
    expect(message).to_be_visible()
    expect(message).to_have_text("Please conclude")
    bar = message.bounding_box()
    third = page.locator(".display-speaker").bounding_box()
    assert bar["height"] <= 1080 * 0.08  # a small bar, not the projector's banner
    assert bar["y"] + bar["height"] <= third["y"]  # above the lower third, not over it
    assert bar["y"] >= 1080 / 2  # in the lower part of the picture
    colour = message.evaluate("(element) => getComputedStyle(element).backgroundColor")
    assert colour != "rgba(0, 0, 0, 0)"
    backgrounds = page.evaluate(
        """[document.documentElement, document.body, document.querySelector("main.display")]
        .map((element) => getComputedStyle(element).backgroundColor)"""
    )
    assert backgrounds == ["rgba(0, 0, 0, 0)"] * 3

    live_session.set_message(meeting, "", by=None)  # cleared: the bar goes
    expect(message).to_be_hidden()
    assert page_errors == []


def test_the_speaker_view_shows_a_panelist_their_own_countdown(session, page, page_errors):
    server, meeting, _ana, luis = session
    page.goto(f"{server.url}{link_path(luis)}speaker/")
    view = page.locator(".speaker-view")
    expect(view).to_have_attribute("data-you", "waiting")

    live_session.perform(meeting, "start", by=None)  # Ana speaks; Luis is next
    expect(view).to_have_attribute("data-you", "next")
    expect(page.get_by_text("You speak next.")).to_be_visible()

    live_session.perform(meeting, "next", by=None)
    live_session.perform(meeting, "start", by=None)
    live_session.set_message(meeting, "Please conclude", by=None)
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

    live_session.perform(meeting, "start", by=None)  # Ana speaks; Luis is next
    live_session.set_message(meeting, "Please conclude", by=None)
    expect(page.locator(".speaker-view")).to_have_attribute("data-you", "speaking")
    expect(page.locator(".speaker-message")).to_be_visible()
    expect(page.locator(".speaker-message")).to_contain_text("Please conclude")
    expect(waiting.locator(".speaker-view")).to_have_attribute("data-you", "next")
    expect(waiting.locator("[data-live-text=message]")).to_have_text("Please conclude")
    expect(waiting.locator(".speaker-message")).to_be_hidden()

    live_session.perform(meeting, "next", by=None)  # Luis has the floor: the message is his now
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
        live_session.perform(meeting, action, by=None)
    expect(page.locator(".display-coming-round")).to_have_text("Coming up: round 2")
    expect(page.locator(".display-coming-speaker")).to_have_text("First speaker: Ana Pérez (RCM)")
    expect(page.locator(".display-question")).to_have_text("Question 2?")
    expect(page.get_by_text("The session will begin shortly")).to_be_hidden()
    expect(page.locator(".display-next")).to_be_hidden()  # the first speaker is said above

    live_session.perform(
        meeting, "start", by=None
    )  # round 2 begins: the speaker, not the announcement
    expect(page.locator(".display-name")).to_have_text("Ana Pérez")
    expect(page.locator(".display-coming")).to_be_hidden()
    assert page_errors == []


def test_the_display_at_the_end_thanks_the_room_without_a_clock(session, page, page_errors):
    server, meeting, ana, _ = session
    for action in ["start", "next", "start", "next"] * 2:
        live_session.perform(meeting, action, by=None)
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


def longest_question() -> str:
    """A question of the longest length allowed, in long French words."""
    words = re.split(
        r"\s+",
        "Quels sont les principaux défis et les bonnes pratiques que le mécanisme ou le "
        "processus que vous représentez a élaborés pour répondre aux migrations et/ou aux "
        "déplacements forcés, notamment en matière de régularisation, d'intégration "
        "socio-économique, de protection internationale et de coordination "
        "interinstitutionnelle entre les pays d'origine, de transit, de destination et de retour",
    )
    text = ""
    while len(text) < QUESTION_MAX_LENGTH:
        text += (" " if text else "") + words[len(text.split()) % len(words)]
    return text[: QUESTION_MAX_LENGTH - 1] + "?"


def question_layout(page) -> dict:
    return page.evaluate(
        """() => { const question = document.querySelector(".display-question");
        const style = getComputedStyle(question);
        const box = question.getBoundingClientRect();
        const footer = document.querySelector(".display-footer").getBoundingClientRect();
        return { text: question.textContent, fontSize: parseFloat(style.fontSize),
          scrollHeight: question.scrollHeight, clientHeight: question.clientHeight,
          scrollWidth: question.scrollWidth, clientWidth: question.clientWidth,
          textOverflow: style.textOverflow, lineClamp: style.webkitLineClamp,
          top: box.top, bottom: box.bottom, left: box.left, right: box.right,
          footerTop: footer.top, page: [document.documentElement.scrollWidth,
          document.documentElement.scrollHeight] }; }"""
    )


def assert_read_whole(page, question: str, width: int, height: int) -> dict:
    """The whole question shows: nothing cut, no ellipsis, on the screen, above the footer."""
    layout = question_layout(page)
    assert layout["text"] == question
    assert layout["scrollHeight"] <= layout["clientHeight"], layout
    assert layout["scrollWidth"] <= layout["clientWidth"], layout
    assert layout["textOverflow"] != "ellipsis"
    assert layout["lineClamp"] in ("none", "")
    assert layout["top"] >= 0, layout
    assert layout["bottom"] <= layout["footerTop"] <= height, layout
    assert layout["left"] >= 0, layout
    assert layout["right"] <= width, layout
    assert layout["page"] == [width, height]  # the display still does not scroll
    assert layout["fontSize"] >= height / 60, layout  # readable: 12 px at 720, 18 at 1080
    return layout


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1280, 720)])
def test_the_longest_question_is_shown_whole_at_projector_sizes(
    session, page, page_errors, width, height
):
    server, meeting, *_ = session
    question = longest_question()
    assert len(question) == QUESTION_MAX_LENGTH
    Round.objects.filter(meeting=meeting, number=1).update(question_en=question)
    live_session.perform(meeting, "start", by=None)
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{server.url}/meetings/{meeting.slug}/display/")
    expect(page.locator(".display-question")).to_have_text(question)
    assert_read_whole(page, question, width, height)
    live_session.set_message(
        meeting, "Please conclude", by=None
    )  # every line of the display is used
    expect(page.locator(".display-message")).to_have_text("Please conclude")
    page.wait_for_timeout(300)
    layout = assert_read_whole(page, question, width, height)
    print(f"{width}x{height}: the longest question at {layout['fontSize']:.1f} px")
    assert page.get_by_role("timer").bounding_box()["height"] >= height * 0.2

    # The other projector size, on the same page: fitted again on resize.
    other = (1280, 720) if width == 1920 else (1920, 1080)
    page.set_viewport_size({"width": other[0], "height": other[1]})
    page.wait_for_timeout(300)
    assert_read_whole(page, question, *other)
    assert page_errors == []


def test_a_short_question_after_a_long_one_gets_the_full_size_back(session, page, page_errors):
    server, meeting, *_ = session
    question = longest_question()
    Round.objects.filter(meeting=meeting, number=1).update(question_en=question)
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{server.url}/meetings/{meeting.slug}/display/")
    expect(page.locator(".display-question")).to_have_text(question)
    shrunk = assert_read_whole(page, question, 1280, 720)["fontSize"]

    round_ = Round.objects.get(meeting=meeting, number=1)
    round_.question_en = "Why?"
    round_.save()  # raises the live version: the display takes the new question
    expect(page.locator(".display-question")).to_have_text("Why?")
    full = min(0.03 * 720, 0.019 * 1280)  # the stylesheet's min(3vh, 1.9vw)
    expect(page.locator(".display-question")).to_have_css("font-size", f"{full:g}px")
    assert shrunk < full
    assert page_errors == []
