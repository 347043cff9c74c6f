"""Every live screen (display, speaker view, floor page, console) on server-sent events, and on
polling live.json where there is no stream: streams disabled, refused (the WSGI server and a
draft's stream answer 404) or dropped for a while.

The streams are served by `asgi_live_server` (uvicorn on config.asgi, as in production); the
WSGI `live_server` stands for a deployment without the events server. Each screen is a browser
context of its own (another machine), whose live.json requests are counted.
"""

from dataclasses import dataclass, field

import pytest
from playwright.sync_api import expect

from meetings.models import MeetingStatus
from meetings.roles import SECRETARIAT
from meetings.services import live_session
from meetings.services.links import link_path
from tests.browser.conftest import PASSWORD, sign_in
from tests.factories import (
    before_the_session,
    make_delegation,
    make_mechanism,
    make_meeting,
    make_panelist,
    make_user,
)

pytestmark = pytest.mark.browser


@dataclass
class Screen:
    page: object
    root: object
    polls: list[str] = field(default_factory=list)  # live.json requests, in order
    streams: list[str] = field(default_factory=list)  # requests for the events stream
    errors: list[str] = field(default_factory=list)


def watch(page, root_selector: str) -> Screen:
    """The page's live.json and stream requests counted, its errors collected. A refused or
    dropped stream is reported by Chromium on the console: that is expected, not an error."""
    screen = Screen(page, page.locator(root_selector))

    def on_request(request):
        if "/live.json" in request.url:
            screen.polls.append(request.url)
        elif "/events/" in request.url:
            screen.streams.append(request.url)

    def on_console(message):
        about_the_stream = (
            "/events/" in message.location.get("url", "") or "EventSource" in message.text
        )
        if message.type == "error" and not about_the_stream:
            screen.errors.append(message.text)

    page.on("request", on_request)
    page.on("console", on_console)
    page.on("pageerror", lambda error: screen.errors.append(str(error)))
    return screen


@pytest.fixture
def site(transactional_db):
    make_user(SECRETARIAT, username="secretary", password=PASSWORD)
    meeting = make_meeting(slug="streamed")
    ana = make_panelist(meeting, make_mechanism(slug="rcm", acronym_en="RCM"), name="Ana Pérez")
    make_panelist(meeting, make_mechanism(slug="csm", acronym_en="CSM"), name="Luis Gómez")
    delegation = make_delegation(meeting)
    return before_the_session(meeting), ana, delegation


@pytest.fixture
def contexts(browser):
    opened = []

    def new_page():
        context = browser.new_context()
        opened.append(context)
        return context.new_page()

    yield new_page
    for context in opened:
        context.close()


def open_screens(new_page, base_url: str, site) -> dict[str, Screen]:
    """The display, Ana's speaker view and the delegation's floor page, each on a machine of
    its own, and the console, signed in."""
    meeting, ana, delegation = site
    screens = {
        "display": watch(new_page(), "main.display"),
        "speaker": watch(new_page(), ".speaker-view"),
        "floor": watch(new_page(), ".floor-page"),
        "console": watch(new_page(), ".console"),
    }
    screens["display"].page.goto(f"{base_url}/meetings/{meeting.slug}/display/")
    screens["speaker"].page.goto(f"{base_url}{link_path(ana)}speaker/")
    screens["floor"].page.goto(f"{base_url}{link_path(delegation)}")
    sign_in(screens["console"].page, base_url, f"/meetings/{meeting.slug}/console/")
    return screens


def press(console: Screen, name: str) -> None:
    console.page.get_by_role("button", name=name, exact=True).click()


def expect_following(screens: dict[str, Screen]) -> None:
    """Start, then Pause, on the console: every screen shows each."""
    press(screens["console"], "Start")
    for screen in screens.values():
        expect(screen.root).to_have_attribute("data-state", "running")
    expect(screens["speaker"].root).to_have_attribute("data-you", "speaking")
    press(screens["console"], "Pause")
    for screen in screens.values():
        expect(screen.root).to_have_attribute("data-state", "paused")


def test_every_screen_runs_on_its_stream_and_follows_the_console(
    asgi_live_server, site, contexts, settings
):
    settings.LIVE_EVENTS = True
    screens = open_screens(contexts, asgi_live_server.url, site)
    for screen in screens.values():
        expect(screen.root).to_have_attribute("data-transport", "stream")
        expect(screen.root).to_have_attribute("data-connection", "online")
        assert len(screen.streams) == 1

    expect_following(screens)
    screens["display"].page.wait_for_timeout(1500)  # a poll would have come by now
    for name in ["display", "speaker", "floor"]:
        assert screens[name].polls == [], name
    # The console's own action is shown before the stream brings it: its grace for the
    # stream (a second) usually spares even it a poll, but a busy machine may need one.
    assert len(screens["console"].polls) <= 2
    for name, screen in screens.items():
        assert screen.errors == [], name


def test_with_streams_disabled_every_screen_polls(asgi_live_server, site, contexts, settings):
    settings.LIVE_EVENTS = False
    screens = open_screens(contexts, asgi_live_server.url, site)
    for name, screen in screens.items():
        expect(screen.root).to_have_attribute("data-connection", "online")
        assert screen.root.get_attribute("data-events-url") is None, name
        expect(screen.root).to_have_attribute("data-transport", "poll")

    expect_following(screens)
    for name, screen in screens.items():
        assert screen.streams == [], name
        assert len(screen.polls) >= 2, name
        assert screen.errors == [], name


def test_where_the_server_refuses_streams_every_screen_falls_back_to_polling(
    live_server, site, contexts, settings
):
    """Under WSGI (gunicorn, runserver) the events path answers 404: each screen asks once,
    then polls live.json and still follows the console."""
    settings.LIVE_EVENTS = True
    screens = open_screens(contexts, live_server.url, site)
    for name, screen in screens.items():
        assert screen.root.get_attribute("data-events-url"), name
        expect(screen.root).to_have_attribute("data-transport", "poll")
        expect(screen.root).to_have_attribute("data-connection", "online")

    expect_following(screens)
    for name, screen in screens.items():
        assert len(screen.streams) == 1, name  # refused for good: not asked again at once
        assert len(screen.polls) >= 2, name
        assert screen.errors == [], name


def test_a_drafts_console_polls_since_its_meeting_has_no_public_stream(
    asgi_live_server, site, contexts, settings
):
    settings.LIVE_EVENTS = True
    meeting, *_ = site
    meeting.status = MeetingStatus.DRAFT
    meeting.save(update_fields=["status"])
    console = watch(contexts(), ".console")
    sign_in(console.page, asgi_live_server.url, f"/meetings/{meeting.slug}/console/")
    expect(console.root).to_have_attribute("data-transport", "poll")
    press(console, "Start")
    expect(console.root).to_have_attribute("data-state", "running")
    live_session.perform(meeting, "pause", by=None)  # another console
    expect(console.root).to_have_attribute("data-state", "paused")
    assert len(console.streams) == 1
    assert console.polls
    assert console.errors == []


RECORD_CLOCK = """(root) => {
  window.clockSamples = [];
  window.setInterval(() => {
    window.clockSamples.push([performance.now(), root.liveFeed.remaining()]);
  }, 50);
}"""

# The clock's remaining time plus the time elapsed (ms): constant while it runs, whatever the
# transport, but for the estimates' errors.
CLOCK_SAMPLES = """() => window.clockSamples.map(
  ([now, remaining]) => Math.round(remaining * 1000 + now)
).filter((sum, index, sums) => index === 0 || sum !== sums[index - 1])"""


def test_a_dropped_stream_is_replaced_by_polls_until_it_is_back(
    asgi_live_server, site, contexts, settings
):
    """The events server restarts while its streams cannot come back at once (a proxy, a
    network): the screen polls meanwhile, follows the meeting, and is back on the stream when
    it can be; its clock never jumps."""
    settings.LIVE_EVENTS = True
    meeting, *_ = site
    live_session.perform(meeting, "start", by=None)
    display = watch(contexts(), "main.display")
    display.page.goto(f"{asgi_live_server.url}/meetings/{meeting.slug}/display/")
    expect(display.root).to_have_attribute("data-transport", "stream")
    expect(display.root).to_have_attribute("data-state", "running")
    display.root.evaluate(RECORD_CLOCK)
    offset = display.root.evaluate("(root) => root.liveFeed.offset")

    display.page.route("**/events/**", lambda route: route.abort())
    asgi_live_server.stop()  # every stream is cut
    asgi_live_server.start()
    expect(display.root).to_have_attribute("data-transport", "poll")
    live_session.set_message(meeting, "Please conclude", by=None)
    expect(display.page.locator(".display-message")).to_have_text("Please conclude")
    assert display.polls  # the message came by a poll

    display.page.unroute("**/events/**")
    expect(display.root).to_have_attribute("data-transport", "stream", timeout=5000)
    display.page.wait_for_timeout(600)  # a poll on its way when the stream opened is back
    polled = len(display.polls)
    live_session.set_message(meeting, "Time is up", by=None)
    expect(display.page.locator(".display-message")).to_have_text("Time is up")
    display.page.wait_for_timeout(1000)
    assert len(display.polls) == polled  # on the stream again: no more polls
    # The clock moved only as far as the estimate of the offset may within its first
    # bounds, as they narrowed (wide if the first event was slow to come), and by the
    # rounding of remaining_seconds to a tenth: it never jumped.
    samples = display.page.evaluate(CLOCK_SAMPLES)
    allowed = offset["high"] - offset["low"] + 120
    assert max(samples) - min(samples) < allowed, (offset, samples)
    expect(display.root).to_have_attribute("data-state", "running")
    # A poll sent in the instant the server was down is refused: that is the restart.
    assert [error for error in display.errors if "ERR_CONNECTION_REFUSED" not in error] == []


def test_a_streams_later_events_bound_the_clock_offset_from_below_only(live_server, page):
    """The first event of a connection bounds the server's clock on both sides, as a poll's
    answer does; later events were stamped when their change was built, some time before they
    arrived, so they only raise the lower bound, and one above the upper bound means the
    server's clock was set forward."""
    meeting = make_meeting(slug="offsets")
    page.goto(f"{live_server.url}/meetings/{meeting.slug}/display/")
    estimates = page.evaluate(
        """() => { const offset = new window.LiveClock.ClockOffset();
        const seen = [];
        offset.add(10000, 100, 140); seen.push(offset.ms);      // within [9860, 9900]
        offset.addLowerBound(10500, 630); seen.push(offset.ms); // at least 9870
        offset.addLowerBound(11000, 1400); seen.push(offset.ms); // a late event: 9600, nothing
        offset.addLowerBound(12000, 2000); seen.push(offset.ms); // 10000: the clock was set
        offset.add(13000, 2990, 3010); seen.push(offset.ms);     // [9990, 10010] agrees
        const fresh = new window.LiveClock.ClockOffset();
        fresh.addLowerBound(5000, 1000); seen.push(fresh.ms);    // all there is: 4000
        return seen; }"""
    )
    assert estimates == [9880, 9885, 9885, 10000, 10000, 4000]


def test_a_quiet_stream_is_checked_by_one_poll_every_half_minute(
    asgi_live_server, site, contexts, settings
):
    """Heartbeats are comments a page never sees: a stream dead without either end knowing
    would go unnoticed. After half a minute without an event, one poll checks it."""
    settings.LIVE_EVENTS = True
    meeting, *_ = site
    display = watch(contexts(), "main.display")
    display.page.clock.install()
    display.page.goto(f"{asgi_live_server.url}/meetings/{meeting.slug}/display/")
    expect(display.root).to_have_attribute("data-transport", "stream")
    display.page.clock.fast_forward(20_000)
    display.page.wait_for_timeout(300)
    assert display.polls == []
    display.page.clock.fast_forward(15_000)
    expect(display.root).to_have_attribute("data-transport", "stream")
    display.page.wait_for_timeout(300)
    assert len(display.polls) == 1
    assert display.errors == []


def test_a_stream_that_missed_a_change_is_opened_again(
    asgi_live_server, site, contexts, settings, monkeypatch
):
    """A stream open but silent while the meeting changes (its connection dead somewhere
    between the two ends): the half-minute's poll finds the change, shows it, and a new
    stream is opened, which carries on."""
    from meetings.live import events

    settings.LIVE_EVENTS = True
    meeting, *_ = site
    display = watch(contexts(), "main.display")
    display.page.clock.install()
    display.page.goto(f"{asgi_live_server.url}/meetings/{meeting.slug}/display/")
    expect(display.root).to_have_attribute("data-transport", "stream")
    with monkeypatch.context() as cut:
        cut.setattr(events.Screen, "offer", lambda screen, version, event: None)
        live_session.perform(meeting, "start", by=None)
        display.page.wait_for_timeout(1000)
        expect(display.root).to_have_attribute("data-state", "idle")  # missed
        display.page.clock.fast_forward(35_000)
        expect(display.root).to_have_attribute("data-state", "running")
    assert len(display.polls) >= 1
    expect(display.root).to_have_attribute("data-transport", "stream")
    assert len(display.streams) == 2
    polled = len(display.polls)
    live_session.perform(meeting, "pause", by=None)
    expect(display.root).to_have_attribute("data-state", "paused")
    assert len(display.polls) == polled
    assert display.errors == []
