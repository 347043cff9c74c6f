"""The console drives the projector display in another browser, through live.json.

The console runs in the `page` of a signed-in secretary; the display is a second page with a
context of its own (another machine, as far as the server can tell), opened anonymously.
"""

import datetime as dt
import random
import re
import statistics
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.live.state import live_state
from meetings.models import Meeting, Round
from meetings.roles import SECRETARIAT
from meetings.services import live_session
from meetings.services.links import link_path
from tests.browser.conftest import PASSWORD, sign_in
from tests.factories import (
    before_the_session,
    make_mechanism,
    make_meeting,
    make_panelist,
    make_user,
)

pytestmark = pytest.mark.browser
SPEAKERS = [
    ("rcm", "RCM", "Ana Pérez"),
    ("csm", "CSM", "Luis Gómez"),
    ("mirps", "MIRPS", "María Ruiz"),
    ("quito", "QP", "Pedro Silva"),
]
GREEN, AMBER, RED = "rgb(61, 220, 132)", "rgb(255, 176, 32)", "rgb(255, 92, 92)"


@pytest.fixture
def live_site(live_server, transactional_db):
    make_user(SECRETARIAT, username="secretary", password=PASSWORD)
    meeting = make_meeting(slug="live-session")
    for slug, acronym, name in SPEAKERS:
        make_panelist(meeting, make_mechanism(slug=slug, acronym_en=acronym), name=name)
    return live_server, before_the_session(meeting)


@pytest.fixture
def display_page(browser):
    """A second browser (its own context) with its console errors collected."""
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page, errors
    page.context.close()


def open_display(display, server, meeting):
    display.goto(f"{server.url}/meetings/{meeting.slug}/display/")
    root = display.locator("main.display")
    expect(root).to_have_attribute("data-connection", "online")
    return root, root.locator("[data-live-clock]")


def clock_seconds(text: str) -> int:
    """6:59 -> 419, +0:42 -> -42."""
    match = re.fullmatch(r"(\+?)(\d+):(\d\d)", text.strip())
    assert match, text
    value = int(match[2]) * 60 + int(match[3])
    return -value if match[1] else value


def press(page, name: str) -> None:
    """Click a console button and wait until the console shows the state it made."""
    panels = page.locator("#console-panels")
    version = int(panels.get_attribute("data-version"))
    page.get_by_role("button", name=name, exact=True).click()
    expect(panels).to_have_attribute("data-version", str(version + 1))


def expect_ticking(clock, timeout=2000) -> None:
    shown = clock.text_content()
    expect(clock).not_to_have_text(shown, timeout=timeout)


def test_the_console_drives_the_display(live_site, page, page_errors, display_page):
    server, meeting = live_site
    display, display_errors = display_page
    sign_in(page, server.url, f"/meetings/{meeting.slug}/console/")
    expect(page.get_by_role("button", name="Start", exact=True)).to_be_enabled()
    root, clock = open_display(display, server, meeting)
    expect(root).to_have_attribute("data-state", "idle")
    expect(root.locator(".display-next")).to_contain_text("Ana Pérez")

    # Start: the display follows within a second, then counts down on its own.
    clicked = time.perf_counter()
    page.get_by_role("button", name="Start", exact=True).click()
    expect(root).to_have_attribute("data-state", "running", timeout=1000)
    assert time.perf_counter() - clicked < 1.0
    expect(root.locator(".display-name")).to_have_text("Ana Pérez")
    expect(root.locator(".display-acronym")).to_have_text("RCM")
    expect(root.locator(".display-next")).to_contain_text("Luis Gómez")
    expect(root).to_have_attribute("data-phase", "normal")
    expect(clock).to_have_css("color", GREEN)
    expect(page.locator("#console-panels")).to_have_attribute("data-version", "1")
    first = clock.text_content()
    expect(clock).not_to_have_text(first, timeout=2000)
    assert clock_seconds(clock.text_content()) < clock_seconds(first)

    # Pause: the clock stands still.
    press(page, "Pause")
    expect(root).to_have_attribute("data-state", "paused", timeout=1000)
    frozen = clock.text_content()
    display.wait_for_timeout(2000)
    expect(clock).to_have_text(frozen)
    expect(root.locator(".live-phase-text")).to_have_text("Paused")

    # Resume: counting again, from where it stood.
    press(page, "Resume")
    expect(root).to_have_attribute("data-state", "running", timeout=1000)
    expect_ticking(clock)
    assert clock_seconds(frozen) - clock_seconds(clock.text_content()) <= 2

    # Add minute: the display jumps up by a minute.
    version = root.get_attribute("data-version")
    before = clock_seconds(clock.text_content())
    press(page, "Add minute")
    expect(root).not_to_have_attribute("data-version", version, timeout=1000)
    jump = clock_seconds(clock.text_content()) - before
    assert 55 <= jump <= 60, jump

    # Next speaker: the next one has the floor, clock not started.
    press(page, "Next speaker")
    expect(root).to_have_attribute("data-state", "ready", timeout=1000)
    expect(root.locator(".display-name")).to_have_text("Luis Gómez")
    expect(clock).to_have_text("7:00")

    # Start then Skip: the following speaker is current.
    clicked = time.perf_counter()
    press(page, "Start")
    expect(root).to_have_attribute("data-state", "running", timeout=1000)
    assert time.perf_counter() - clicked < 1.0
    press(page, "Skip")
    expect(root.locator(".display-name")).to_have_text("María Ruiz", timeout=1000)
    expect(root).to_have_attribute("data-state", "ready")

    # The keyboard: N outside any field moves on.
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.keyboard.press("n")
    expect(root.locator(".display-name")).to_have_text("Pedro Silva", timeout=1000)
    expect(page.locator("#console-panels")).to_have_attribute("data-version", "8")

    # The notes pad follows the speaker, saves as one types and survives a reload.
    expect(page.locator("#notes-heading")).to_have_text("Notes: Pedro Silva (QP), round 1")
    notes = page.get_by_role("textbox", name="Notes")
    notes.fill("Quito Process: coordination with R4V on documentation — «sí».")
    expect(page.locator("#notes-status")).to_contain_text("Saved at", timeout=4000)
    page.reload()
    expect(page.get_by_role("textbox", name="Notes")).to_have_value(
        "Quito Process: coordination with R4V on documentation — «sí»."
    )

    assert page_errors == []
    assert display_errors == []


def test_each_control_of_spec_is_found_by_its_name_alone(live_site, page, page_errors):
    """The accessible names are a contract for other tools: a plain lookup by role and name
    (Playwright matches any name containing it) must find exactly one control, also while
    speakers wait in the list with buttons of their own."""
    server, meeting = live_site
    live_session.perform(meeting, "start", by=None)
    sign_in(page, server.url, f"/meetings/{meeting.slug}/console/")
    for name in ["Start", "Pause", "Resume", "Add minute", "Next speaker", "Skip", "Save notes"]:
        expect(page.get_by_role("button", name=name)).to_have_count(1)
    expect(page.get_by_role("textbox", name="Notes")).to_have_count(1)
    assert page_errors == []


def test_warning_and_overtime_change_the_display_colours(live_site, display_page):
    server, _ = live_site
    meeting = make_meeting(rounds=1, slug="short-turns", speaking_seconds=30, warning_seconds=20)
    Round.objects.filter(meeting=meeting).update(speaking_seconds=30)
    make_panelist(meeting, name="Ana Pérez")
    display, display_errors = display_page
    root, clock = open_display(display, server, meeting)
    expect(root).to_have_attribute("data-state", "idle")
    expect(clock).to_have_text("0:30")

    # Start, as if pressed 26 seconds ago: 4 seconds left, inside the 20-second warning.
    live_session.perform(meeting, "start", by=None, now=timezone.now() - dt.timedelta(seconds=26))
    expect(root).to_have_attribute("data-state", "running", timeout=1000)
    expect(root).to_have_attribute("data-phase", "warning")
    expect(clock).to_have_css("color", AMBER)
    assert 0 < clock_seconds(clock.text_content()) <= 4

    expect(root).to_have_attribute("data-phase", "overtime", timeout=6000)
    expect(clock).to_have_text(re.compile(r"^\+0:0\d$"))
    expect(clock).to_have_css("color", RED)
    # Overtime counts up; nothing cuts the speaker off.
    expect(clock).to_have_text(re.compile(r"^\+0:0[1-9]$"), timeout=2000)
    expect(root).to_have_attribute("data-state", "running")
    assert display_errors == []


def test_a_dropped_connection_keeps_the_display_counting(live_site, display_page):
    server, meeting = live_site
    live_session.perform(meeting, "start", by=None)
    display, display_errors = display_page
    root, clock = open_display(display, server, meeting)
    expect(root).to_have_attribute("data-state", "running")

    display.context.set_offline(True)
    expect(root).to_have_attribute("data-connection", "offline", timeout=1500)
    expect(root.locator(".display-offline")).to_be_visible()
    expect_ticking(clock)
    expect_ticking(clock)
    # Meanwhile the console pauses: the display learns it when the connection returns.
    live_session.perform(meeting, "pause", by=None)
    expect(root).to_have_attribute("data-state", "running")

    back = time.perf_counter()
    display.context.set_offline(False)
    expect(root).to_have_attribute("data-connection", "online", timeout=1500)
    expect(root).to_have_attribute("data-state", "paused", timeout=1500)
    assert time.perf_counter() - back < 1.5
    expect(root.locator(".display-offline")).to_be_hidden()
    paused = live_state(Meeting.objects.get(pk=meeting.pk))["remaining_seconds"]
    assert clock_seconds(clock.text_content()) == -(-paused // 1)
    # Only the failed polls of the offline spell are reported.
    assert [error for error in display_errors if "ERR_INTERNET_DISCONNECTED" not in error] == []


def test_start_reaches_the_display_within_a_second_every_time(
    live_site, page, page_errors, display_page
):
    """Latency from the click on Start to the display's data-state="running", five times."""
    server, meeting = live_site
    display, display_errors = display_page
    sign_in(page, server.url, f"/meetings/{meeting.slug}/console/")
    expect(page.get_by_role("button", name="Start", exact=True)).to_be_enabled()
    root, _ = open_display(display, server, meeting)
    # Both pages timestamp on the same clock (performance.timeOrigin + performance.now()).
    page.evaluate(
        """() => { window.startClicks = [];
        document.addEventListener("click", (event) => {
          if (event.target.closest('button[value="start"]'))
            window.startClicks.push(performance.timeOrigin + performance.now());
        }, true); }"""
    )
    display.evaluate(
        """() => { window.runningSeen = []; const root = document.querySelector("main.display");
        let last = root.dataset.state;
        new MutationObserver(() => {
          if (root.dataset.state === "running" && last !== "running")
            window.runningSeen.push(performance.timeOrigin + performance.now());
          last = root.dataset.state;
        }).observe(root, { attributes: true, attributeFilter: ["data-state"] }); }"""
    )
    measured = []
    for _ in range(5):
        # At a random moment of the display's 500 ms polling cycle, not in step with it.
        page.wait_for_timeout(random.uniform(0, 500))
        clicked = time.perf_counter()
        press(page, "Start")
        expect(root).to_have_attribute("data-state", "running", timeout=1000)
        measured.append(time.perf_counter() - clicked)
        press(page, "Next speaker")
        expect(root).not_to_have_attribute("data-state", "running", timeout=1000)
    clicks = page.evaluate("window.startClicks")
    seen = display.evaluate("window.runningSeen")
    in_browser = [shown - click for click, shown in zip(clicks, seen, strict=True)]
    print(
        "Start -> display running, in the browsers (ms):",
        [round(ms) for ms in in_browser],
        "median",
        round(statistics.median(in_browser)),
        "| from Python (s):",
        [round(s, 3) for s in measured],
    )
    assert all(0 < ms < 1000 for ms in in_browser)
    assert max(measured) < 1.0
    assert page_errors == []
    assert display_errors == []


def test_a_hung_poll_is_abandoned_and_the_display_follows_the_console(live_site, display_page):
    """A half-open connection can hold a request for minutes: the display gives up on it and
    polls again, so it still follows the console within a couple of seconds."""
    server, meeting = live_site
    live_session.perform(meeting, "start", by=None)
    display, display_errors = display_page
    root, clock = open_display(display, server, meeting)
    expect(root).to_have_attribute("data-state", "running")

    held = []  # the one request that never gets an answer; the others go through

    def hold_the_first(route, request):
        if held:
            route.continue_()
        else:
            held.append(route)

    display.route("**/live.json*", hold_the_first)
    while not held:
        display.wait_for_timeout(50)

    acted = time.perf_counter()
    live_session.perform(meeting, "pause", by=None)
    expect(root).to_have_attribute("data-state", "paused", timeout=2500)
    assert time.perf_counter() - acted < 2.5
    expect(root).to_have_attribute("data-connection", "online")
    paused = live_state(Meeting.objects.get(pk=meeting.pk))["remaining_seconds"]
    assert clock_seconds(clock.text_content()) == -(-paused // 1)
    display.unroute_all(behavior="ignoreErrors")
    assert display_errors == []


# A link where every answer takes 1.3 s: longer than a screen first waits for one.
SLOW_LINK = """{
  const fetchNow = window.fetch.bind(window);
  window.fetch = (url, options) =>
    new Promise((resolve) => setTimeout(resolve, 1300)).then(() => fetchNow(url, options));
}"""


def test_on_a_link_slower_than_the_first_timeout_the_display_still_gets_the_state(
    live_site, display_page
):
    """A poll abandoned for taking too long makes the next one more patient (1 s, then 2 s...),
    so a slow link still brings the state instead of abandoning every poll."""
    server, meeting = live_site
    live_session.perform(meeting, "start", by=None)
    display, display_errors = display_page
    display.add_init_script(SLOW_LINK)
    display.goto(f"{server.url}/meetings/{meeting.slug}/display/")
    root = display.locator("main.display")
    expect(root).to_have_attribute("data-state", "running", timeout=6000)
    expect(root).to_have_attribute("data-connection", "online", timeout=6000)
    assert display_errors == []


def test_screens_place_the_server_time_on_their_clock_by_the_tightest_round_trip(
    live_site, display_page
):
    """Each answer bounds the server's clock between the request and its answer; the screen
    keeps the intersection, so one slow answer does not shift the countdown, and starts
    again when the bounds no longer meet (a clock was set)."""
    server, meeting = live_site
    display, _ = display_page
    open_display(display, server, meeting)
    estimates = display.evaluate(
        """() => { const offset = new window.LiveClock.ClockOffset();
        const seen = [];
        offset.add(10000, 100, 140); seen.push(offset.ms);   // within [9860, 9900]
        offset.add(10500, 590, 2590); seen.push(offset.ms);  // slow: [7910, 9910]
        offset.add(11000, 1085, 1105); seen.push(offset.ms); // tight: [9895, 9915]
        offset.add(99000, 3000, 3020); seen.push(offset.ms); // the clocks were set
        return seen; }"""
    )
    assert estimates == [9880, 9880, 9897.5, 95990]


def test_save_notes_keeps_the_notes_through_a_reload(live_site, page, page_errors):
    server, meeting = live_site
    live_session.perform(meeting, "start", by=None)
    sign_in(page, server.url, f"/meetings/{meeting.slug}/console/")
    notes = page.get_by_role("textbox", name="Notes")
    expect(notes).to_have_value("")
    expect(page.locator("#notes-status")).to_contain_text("Not saved yet.")
    # Typed without the input events that save as one types: only the button saves it.
    notes.evaluate("(pad, text) => { pad.value = text; }", "RCM: regular pathways — «sí».")
    page.get_by_role("button", name="Save notes", exact=True).click()
    expect(page.locator("#notes-status")).to_contain_text("Saved at")
    expect(page.locator("#notes-status")).to_contain_text("by secretary")

    page.reload()
    expect(page.get_by_role("textbox", name="Notes")).to_have_value("RCM: regular pathways — «sí».")
    assert page_errors == []


def expect_agreeing(console_clock, display_clock, tolerance=1) -> None:
    """The two clocks show the same time within a second (read one after the other, so a
    tick may fall between the two readings: a few tries before concluding)."""
    for _ in range(10):
        shown = console_clock.text_content(), display_clock.text_content()
        if abs(clock_seconds(shown[0]) - clock_seconds(shown[1])) <= tolerance:
            return
        time.sleep(0.2)
    raise AssertionError(f"console {shown[0]} but display {shown[1]}")


def test_the_consoles_own_clock_counts_after_every_action_from_any_console(
    live_site, page, page_errors, display_page
):
    """Every action replaces the console's panels, its clock and its phase line with them:
    the console keeps counting with the display, whichever console acted."""
    server, _ = live_site
    meeting = make_meeting(rounds=1, slug="short-turns", speaking_seconds=30, warning_seconds=20)
    Round.objects.filter(meeting=meeting).update(speaking_seconds=30)
    make_panelist(meeting, name="Ana Pérez")
    make_panelist(meeting, name="Luis Gómez")
    meeting = before_the_session(meeting)
    display, display_errors = display_page
    _, display_clock = open_display(display, server, meeting)
    sign_in(page, server.url, f"/meetings/{meeting.slug}/console/")
    other = page.context.new_page()  # a second console, the same secretary in another tab
    other.goto(f"{server.url}/meetings/{meeting.slug}/console/")
    clock = page.locator(".console [data-live-clock]")
    phase = page.locator("#console-panels .live-phase-text")
    expect(clock).to_have_text("0:30")

    # Start, then two and a half seconds: the console has counted down with the display.
    press(page, "Start")
    page.wait_for_timeout(2500)
    assert clock_seconds(clock.text_content()) <= 28
    expect_agreeing(clock, display_clock)

    # Pause: it stands still, and says so.
    press(page, "Pause")
    expect(phase).to_have_text("Paused")
    frozen = clock.text_content()
    page.wait_for_timeout(1500)
    expect(clock).to_have_text(frozen)
    expect_agreeing(clock, display_clock)

    # Resume: counting again.
    press(page, "Resume")
    expect_ticking(clock)
    expect_agreeing(clock, display_clock)
    expect(phase).to_have_text("")

    # The second console pauses and resumes: the first one follows, through the warning
    # into overtime, phase line and all.
    version = int(page.locator("#console-panels").get_attribute("data-version"))
    expect(other.locator("#console-panels")).to_have_attribute("data-version", str(version))
    press(other, "Pause")
    expect(page.locator("#console-panels")).to_have_attribute("data-version", str(version + 1))
    expect(phase).to_have_text("Paused")
    expect_agreeing(clock, display_clock, tolerance=0)
    press(other, "Resume")
    expect(page.locator("#console-panels")).to_have_attribute("data-version", str(version + 2))
    expect_ticking(clock)
    expect_agreeing(clock, display_clock)
    expect(phase).to_have_text("Less than 0:20 left", timeout=15000)
    expect(page.locator(".console")).to_have_attribute("data-phase", "warning")
    expect_agreeing(clock, display_clock)
    expect(clock).to_have_text(re.compile(r"^\+0:0[1-9]$"), timeout=25000)
    expect(phase).to_have_text(re.compile(r"^Overtime \+0:\d\d$"))
    expect(page.locator(".console")).to_have_attribute("data-phase", "overtime")
    expect_agreeing(clock, display_clock)

    # Paused in overtime from the second console: the first shows the time over, stopped.
    press(other, "Pause")
    expect(page.locator("#console-panels")).to_have_attribute("data-version", str(version + 3))
    expect(phase).to_have_text("Paused")
    frozen = clock.text_content()
    assert frozen.startswith("+")
    page.wait_for_timeout(1500)
    expect(clock).to_have_text(frozen)
    expect_agreeing(clock, display_clock, tolerance=0)
    press(other, "Resume")
    expect(phase).to_have_text(re.compile(r"^Overtime \+0:\d\d$"))

    # Add minute on the first console: out of overtime, a minute more than was used.
    expect(page.locator("#console-panels")).to_have_attribute("data-version", str(version + 4))
    press(page, "Add minute")
    assert 30 <= clock_seconds(clock.text_content()) <= 60
    expect_agreeing(clock, display_clock)
    expect(phase).to_have_text("")
    expect(page.locator(".console")).to_have_attribute("data-phase", "normal")

    # The second console moves on: the first shows the next speaker's full time.
    expect(other.locator("#console-panels")).to_have_attribute("data-version", str(version + 5))
    press(other, "Next speaker")
    expect(page.locator("#console-panels .current-speaker")).to_contain_text("Luis Gómez")
    expect(clock).to_have_text("0:30")
    expect(display_clock).to_have_text("0:30")
    other.close()
    assert page_errors == []
    assert display_errors == []


def test_the_message_to_the_speaker_says_its_limit_and_the_field_keeps_to_it(
    live_site, page, page_errors
):
    server, meeting = live_site
    sign_in(page, server.url, f"/meetings/{meeting.slug}/console/")
    field = page.get_by_label("Message", exact=True)
    hint = page.locator(f"#{field.get_attribute('aria-describedby')}")
    expect(hint).to_have_text("One line, up to 200 characters.")
    field.press_sequentially("Please conclude. " * 13)  # 221 characters typed
    assert len(field.input_value()) == 200
    page.get_by_role("button", name="Show on the displays").click()
    expect(page.get_by_text("Shown now:")).to_be_visible()
    assert len(Meeting.objects.get(pk=meeting.pk).message) == 200
    assert page_errors == []


def test_a_quick_message_from_the_console_is_said_in_each_screens_language(
    live_site, page, page_errors, display_page
):
    """'Please conclude' reaches Spanish and French screens in their language (it once came in
    English). The display
    asks for Spanish (?lang=es), the speaker's own view follows her language (French); a message
    typed by the chair stays as typed on both."""
    server, meeting = live_site
    ana = meeting.panelists.get(name="Ana Pérez")
    ana.preferred_language = "fr"
    ana.save()
    live_session.perform(meeting, "start", by=None)  # Ana has the floor
    display, display_errors = display_page
    display.goto(f"{server.url}/meetings/{meeting.slug}/display/?lang=es")
    expect(display.locator("main.display")).to_have_attribute("data-state", "running")
    speaker = display.context.browser.new_page()  # the panelist's own device
    speaker.goto(f"{server.url}{link_path(ana)}speaker/")
    expect(speaker.locator(".speaker-view")).to_have_attribute("data-you", "speaking")

    sign_in(page, server.url, f"/meetings/{meeting.slug}/console/")
    press(page, "Please conclude")
    expect(display.locator(".display-message")).to_have_text("Por favor, concluya")
    expect(speaker.locator(".speaker-message")).to_contain_text("Veuillez conclure")
    expect(page.locator("#message-heading ~ p strong")).to_have_text("Please conclude")

    page.get_by_role("textbox", name="Message").fill("Please conclude, Ambassador")
    press(page, "Show on the displays")
    expect(display.locator(".display-message")).to_have_text("Please conclude, Ambassador")
    expect(speaker.locator(".speaker-message")).to_contain_text("Please conclude, Ambassador")
    speaker.context.close()
    assert page_errors == []
    assert display_errors == []


def test_the_chair_concludes_the_meeting_after_the_last_turn(
    live_site, page, page_errors, display_page
):
    """The meeting concludes (it once never did). Once the last turn is over the console offers
    it, asks for confirmation, and then the display, the home page and the console agree."""
    server, _ = live_site
    meeting = make_meeting(rounds=1, slug="one-turn", title_en="A meeting of one turn")
    make_panelist(meeting, name="Ana Pérez")
    before_the_session(meeting)
    display, display_errors = display_page
    root, _clock = open_display(display, server, meeting)
    sign_in(page, server.url, f"/meetings/{meeting.slug}/console/")
    conclude = page.get_by_role("button", name="Conclude the meeting")
    expect(conclude).to_have_count(0)  # not before the last turn is over

    press(page, "Start")
    press(page, "Next speaker")  # the last turn ends
    expect(root).to_have_attribute("data-state", "finished")
    expect(conclude).to_be_visible()

    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    conclude.click()  # a second thought: nothing happens
    expect(conclude).to_be_visible()
    assert asked and asked[0].startswith("Conclude the meeting?")
    assert Meeting.objects.get(pk=meeting.pk).status == "in_progress"

    page.once("dialog", lambda dialog: dialog.accept())
    conclude.click()
    expect(page.get_by_text("The meeting is concluded.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Concluded at \d\d:\d\d by secretary\."))).to_be_visible()
    expect(conclude).to_have_count(0)
    expect(page.get_by_role("button", name="Start", exact=True)).to_have_count(0)
    expect(display.get_by_text("The session has ended. Thank you.")).to_be_visible()
    assert Meeting.objects.get(pk=meeting.pk).status == "concluded"

    page.goto(f"{server.url}/")
    recent = page.locator("section[aria-labelledby=recent-heading]")
    entry = recent.get_by_role("listitem").filter(has_text="A meeting of one turn")
    expect(entry.locator(".badge")).to_have_text("Concluded")
    assert page_errors == []
    assert display_errors == []
