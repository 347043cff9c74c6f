"""WCAG 2.2 A and AA, measured in Chromium with axe-core, on every page in English and Spanish;
and what axe cannot see: announcements, text for the colours, keyboard, zoom and narrow screens.
"""

import datetime as dt
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from django.template.loader import render_to_string
from django.utils import timezone, translation
from playwright.sync_api import expect

from config.common.throttle import TOKEN_MISSES
from meetings.models import Meeting, MeetingStatus, Panelist, PanelistStatus
from meetings.roles import SECRETARIAT
from meetings.services import live_session
from meetings.services.answers import save_draft
from meetings.services.links import link_path
from meetings.services.publication import publish
from tests.browser.conftest import PASSWORD, sign_in
from tests.factories import (
    close_every_item,
    make_meeting,
    make_panelist,
    make_user,
    past_the_opening,
)

pytestmark = pytest.mark.browser
SLUG = "migration-governance-2022"
WCAG = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}
axe = Axe()


def violations(page) -> list[tuple[str, str, str]]:
    """(rule, first element, why) for each WCAG A/AA violation axe-core finds on the page."""
    found = axe.run(page, options=WCAG).response["violations"]
    return [
        (rule["id"], str(rule["nodes"][0]["target"]), rule["nodes"][0]["failureSummary"])
        for rule in found
    ]


def assert_clean(found: dict) -> None:
    """No page has a violation; the message lists each one with axe-core's explanation."""
    bad = {name: rules for name, rules in found.items() if rules}
    report = "\n".join(
        f"{name}: {rule} at {target}\n    {why}"
        for name, rules in bad.items()
        for rule, target, why in rules
    )
    assert bad == {}, report


def settle(page) -> None:
    """Loaded, and a live screen has had its first answer from live.json (it polls for ever, so
    the network is never idle)."""
    page.wait_for_load_state("load")
    if page.locator("[data-live-url]").count():
        page.wait_for_selector("[data-live-url][data-version]", state="attached")


def audit(page, url: str) -> list[tuple[str, str, str]]:
    page.goto(url)
    settle(page)
    return violations(page)


@pytest.fixture
def full_site(directory_site):
    meeting = Meeting.objects.get(slug=SLUG)
    make_user(SECRETARIAT, username="secretary", password=PASSWORD)
    past_the_opening(meeting)
    live_session.perform(meeting, "start", by=None)
    live_session.perform(meeting, "next", by=None)  # a speaker has the floor, a turn has a time
    publish(meeting, by=None)
    return directory_site, meeting


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_page_has_no_wcag_violation(full_site, audit_page, language):
    server, meeting = full_site
    panelist = meeting.panelists.first()
    audit_page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": server.url}]
    )
    public = [
        "/",
        "/mechanisms/",
        "/mechanisms/cam/",
        "/mechanisms/overlap/",
        f"/meetings/{SLUG}/",
        f"/meetings/{SLUG}/display/",
        f"/meetings/{SLUG}/display/?overlay=1",
        f"/meetings/{SLUG}/report/",
        link_path(panelist),
        f"{link_path(panelist)}speaker/",
        "/accounts/login/",
        "/accounts/password/reset/",
        "/accounts/password/reset/sent/",
        "/accounts/password/reset/MQ/a-link-that-does-not-work/",
    ]
    staff = [
        "/accounts/password/change/",
        "/meetings/",
        "/meetings/new/",
        f"/meetings/{SLUG}/edit/",
        f"/meetings/{SLUG}/panel/",
        f"/meetings/{SLUG}/order/",
        f"/meetings/{SLUG}/console/",
        f"/meetings/{SLUG}/report/",
    ]
    found = {}
    for path in public:
        found[path] = audit(audit_page, server.url + path)
    sign_in(audit_page, server.url, "/meetings/")
    for path in staff:
        found[f"{path} (staff)"] = audit(audit_page, server.url + path)
    assert_clean(found)


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_state_error_and_admin_page_has_no_wcag_violation(full_site, audit_page, language):
    """The pages of the less common moments: errors, refusals, empty and ended states, the admin."""
    server, meeting = full_site
    page, url = audit_page, server.url
    page.context.add_cookies([{"name": "django_language", "value": language, "url": url}])
    quiet = make_meeting(slug="a-quiet-meeting")  # public, never started, no record published
    panelist = meeting.panelists.first()
    named = meeting.panelists.last()
    Panelist.objects.filter(pk=named.pk).update(name="Ana Pérez", email="ana@example.org")
    turn = meeting.turns.exclude(started_at=None).first()
    found = {}

    found["404"] = audit(page, f"{url}/meetings/no-such-meeting/")
    found["record not published"] = audit(page, f"{url}/meetings/{quiet.slug}/report/")
    found["display idle"] = audit(page, f"{url}/meetings/{quiet.slug}/display/")

    page.goto(f"{url}/accounts/login/")  # a failed sign-in
    page.locator("#id_username").fill("secretary")
    page.locator("#id_password").fill("not-the-password")
    page.locator("main button[type=submit]").click()
    settle(page)
    found["failed sign-in"] = violations(page)

    page.goto(url + link_path(panelist))  # an answer over the 20,000-character limit
    page.locator("#round-1 textarea").fill("x" * 20_001)
    page.locator("#round-1 button[value=draft]").click()
    settle(page)
    found["portal answer too long"] = violations(page)

    page.goto(url + link_path(panelist))  # saved on another device meanwhile: both texts shown
    save_draft(panelist, meeting.rounds.get(number=1), "Saved on another device.")
    page.locator("#round-1 textarea").fill("Typed here.")
    page.locator("#round-1 button[value=draft]").click()
    settle(page)
    assert page.locator("#round-1-conflict .answer-theirs").count() == 1
    found["portal answer conflict"] = violations(page)

    Panelist.objects.filter(pk=panelist.pk).update(status=PanelistStatus.DECLINED)
    found["portal declined"] = audit(page, url + link_path(panelist))
    waiting = make_panelist(quiet, name="Rosa Díaz")  # never given the floor: may decline
    found["portal decline confirmation"] = audit(page, f"{url}{link_path(waiting)}decline/")

    User.objects.filter(username="secretary").update(is_staff=True, is_superuser=True)
    sign_in(page, url, "/meetings/")
    staff = {
        "panelist add": f"/meetings/{SLUG}/panel/add/",
        "panelist edit": f"/meetings/{SLUG}/panel/{named.pk}/edit/",
        "substitute form": f"/meetings/{SLUG}/panel/{panelist.pk}/substitute/",
        "email preview": f"/meetings/{SLUG}/panel/{named.pk}/email/invitation/",
        "invite-all preview": f"/meetings/{SLUG}/panel/invite/",
        "report history": f"/meetings/{SLUG}/report/turns/{turn.pk}/history/",
        "answer history": f"/meetings/{SLUG}/report/turns/{turn.pk}/history/?field=answer",
        "summary edit": f"/meetings/{SLUG}/report/turns/{turn.pk}/summary/",
        "admin index": "/admin/",
        "admin changelist": "/admin/meetings/panelist/?q=a&status__exact=invited",
        "admin change form": f"/admin/meetings/meeting/{meeting.pk}/change/",
    }
    for name, path in staff.items():
        found[name] = audit(page, url + path)

    page.goto(f"{url}/meetings/{SLUG}/edit/")  # the meeting form with an error
    page.locator("#id_title_en").fill("")
    page.locator("main form button[type=submit]").first.click()
    settle(page)
    found["meeting form error"] = violations(page)

    page.context.clear_cookies()  # a signed-in account without the right: 403
    page.context.add_cookies([{"name": "django_language", "value": language, "url": url}])
    make_user(username="visitor", password=PASSWORD)
    sign_in(page, url, "/", username="visitor")
    found["403"] = audit(page, f"{url}/meetings/")

    close_every_item(meeting)
    found["display finished"] = audit(page, f"{url}/meetings/{SLUG}/display/")
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CONCLUDED)
    found["portal concluded"] = audit(page, url + link_path(panelist))

    for _ in range(TOKEN_MISSES.limit):
        TOKEN_MISSES.record_failure("127.0.0.1")
    found["429"] = audit(page, f"{url}/respond/no-such-token/")
    assert page.locator("h1").count() == 1

    assert_clean(found)


def serving(html: str):
    """A route handler that answers with this page."""

    def fulfil(route):
        route.fulfill(body=html, status=200, content_type="text/html; charset=utf-8")

    return fulfil


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_server_error_pages_have_no_wcag_violation(directory_site, audit_page, language):
    """The 500 and 503 pages cannot be reached on purpose, so they are rendered as the server
    renders them and served at an address of the live server (its static files load)."""
    found = {}
    for template in ("500.html", "503.html"):
        with translation.override(language):
            html = render_to_string(template)
        address = f"{directory_site.url}/error-page-{template}"
        audit_page.route(address, serving(html))
        found[template] = audit(audit_page, address)
        assert audit_page.locator("html").get_attribute("lang") == language
    assert_clean(found)


@pytest.mark.parametrize(
    ("seconds_gone", "pause"), [(0, False), (380, False), (430, False), (100, True)]
)  # normal, warning, overtime, paused
def test_the_display_and_console_keep_aa_contrast_in_every_state(
    full_site, audit_page, seconds_gone, pause
):
    server, meeting = full_site
    live_session.perform(
        meeting, "start", by=None, now=timezone.now() - dt.timedelta(seconds=seconds_gone)
    )
    if pause:
        live_session.perform(meeting, "pause", by=None)
    state = "paused" if pause else "running"
    audit_page.goto(f"{server.url}/meetings/{SLUG}/display/")
    expect(audit_page.locator("main.display")).to_have_attribute("data-state", state)
    assert violations(audit_page) == []
    sign_in(audit_page, server.url, f"/meetings/{SLUG}/console/")
    expect(audit_page.locator(".console")).to_have_attribute("data-state", state)
    assert violations(audit_page) == []


def test_the_countdown_speaks_at_the_moments_that_matter(full_site, page):
    server, meeting = full_site
    page.goto(f"{server.url}/meetings/{SLUG}/display/")
    announcer = page.locator("[data-live-announce]")
    phase = page.locator("[data-live-phase-text]")
    expect(page.locator("main.display")).to_have_attribute("data-state", "ready")

    # Five seconds before the last minute: a display that learns of the start late (a loaded
    # machine) still hears who has the floor first.
    live_session.perform(meeting, "start", by=None, now=timezone.now() - dt.timedelta(seconds=355))
    expect(announcer).to_have_text("To be confirmed has the floor.")
    expect(phase).to_have_text("Less than 1:00 left", timeout=9000)
    expect(announcer).to_have_text("Less than 1:00 left")

    live_session.perform(meeting, "add_minute", by=None)
    live_session.perform(meeting, "pause", by=None)
    expect(announcer).to_have_text("Paused")
    expect(phase).to_have_text("Paused")


def test_overtime_is_said_in_words_not_only_in_red(full_site, page):
    server, meeting = full_site
    live_session.perform(meeting, "start", by=None, now=timezone.now() - dt.timedelta(seconds=425))
    page.goto(f"{server.url}/meetings/{SLUG}/display/")
    expect(page.locator("[data-live-phase-text]")).to_have_text(re.compile(r"^Overtime \+0:0\d$"))


def test_the_console_works_with_the_keyboard_and_notes_never_trigger_shortcuts(full_site, page):
    server, meeting = full_site
    sign_in(page, server.url, f"/meetings/{SLUG}/console/")
    version = Meeting.objects.get(pk=meeting.pk).live_version
    notes = page.get_by_role("textbox", name="Notes")
    notes.click()
    page.keyboard.type("n s k p m")
    page.wait_for_timeout(800)
    assert Meeting.objects.get(pk=meeting.pk).live_version == version  # nothing fired

    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("s")
    expect(page.locator("#console-panels .current-speaker")).to_contain_text("Speaking")

    start = page.get_by_role("button", name="Start", exact=True)
    page.get_by_role("link", name="Skip to main content").focus()
    for _ in range(40):  # Tab reaches the controls and moves on: no trap
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.shortcut === 'p'"):
            break
    assert page.evaluate("document.activeElement.dataset.shortcut") == "p"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # focus is visible
    assert start.is_disabled()


def test_the_display_reads_at_200_percent_zoom(full_site, page):
    server, _ = full_site
    page.set_viewport_size({"width": 960, "height": 540})  # 1920×1080 at 200 %
    page.goto(f"{server.url}/meetings/{SLUG}/display/")
    expect(page.locator("main.display")).to_have_attribute("data-state", "ready")
    assert page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    ) == [960, 540]


def test_a_failed_sign_in_is_announced_and_tied_to_both_fields(full_site, page):
    server, _ = full_site
    page.goto(f"{server.url}/accounts/login/")
    page.locator("#id_username").fill("secretary")
    page.locator("#id_password").fill("not-the-password")
    page.locator("main button[type=submit]").click()
    expect(page.get_by_role("alert")).to_contain_text("Please enter a correct username")
    for field in (page.locator("#id_username"), page.locator("#id_password")):
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_attribute("aria-describedby", "sign-in-error")
        expect(field).to_have_accessible_description(re.compile("Please enter a correct username"))

    page.locator("#id_password").fill("")  # a field's own error is described by its message
    page.locator("main button[type=submit]").click()
    expect(page.locator("#id_password")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_password")).to_have_accessible_description("This field is required.")
    expect(page.locator("#id_username")).not_to_have_attribute("aria-invalid", "true")


def test_the_meeting_form_announces_its_errors_and_ties_them_to_the_fields(full_site, page):
    server, _ = full_site
    sign_in(page, server.url, f"/meetings/{SLUG}/edit/")
    page.locator("#id_title_en").fill("")
    page.locator("main form button[type=submit]").first.click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("The meeting is not saved yet.")
    expect(summary.locator("li", has=page.locator("a[href='#id_title_en']"))).to_have_text(
        "Title (English): This field is required."
    )
    title = page.locator("#id_title_en")
    expect(title).to_have_attribute("aria-invalid", "true")
    expect(title).to_have_accessible_description(re.compile("This field is required."))
    summary.locator("a[href='#id_title_en']").click()
    expect(title).to_be_focused()


def test_an_answer_over_the_limit_is_refused_in_words_tied_to_the_field(full_site, page):
    server, meeting = full_site
    page.goto(server.url + link_path(meeting.panelists.first()))
    page.locator("#round-1 textarea").fill("x" * 20_001)
    page.locator("#round-1 button[value=draft]").click()
    answer = page.locator("#round-1 textarea")
    expect(answer).to_have_attribute("aria-invalid", "true")
    expect(answer).to_have_accessible_description(re.compile("20,000"))
    expect(answer).to_have_value("x" * 20_001)  # nothing lost


RECORD_ANNOUNCEMENTS = """
window.announced = [];
document.addEventListener("DOMContentLoaded", () => {
  const region = document.querySelector("[data-live-announce]");
  if (!region) return;
  new MutationObserver(() => window.announced.push(region.textContent)).observe(
    region, {childList: true, characterData: true, subtree: true});
});
"""


def test_the_timer_says_every_colour_in_words_and_announces_overtime_once(full_site, page):
    """The clock's description says what the colour says ("Less than 1:00 left", "Overtime
    +0:03"), read when the user reaches it; the polite live region speaks once as time runs out,
    not at every second of the overtime."""
    server, meeting = full_site
    live_session.perform(meeting, "start", by=None, now=timezone.now() - dt.timedelta(seconds=415))
    page.add_init_script(RECORD_ANNOUNCEMENTS)
    page.goto(f"{server.url}/meetings/{SLUG}/display/")
    clock = page.get_by_role("timer", name="Time remaining")
    expect(clock).to_have_accessible_description("Less than 1:00 left")
    expect(clock).to_have_accessible_description(re.compile(r"^Overtime \+0:0[3-9]$"), timeout=9000)
    snapshot = page.locator("main.display").aria_snapshot()
    assert re.search(r"Overtime \+0:0\d", snapshot), snapshot  # in the accessibility tree
    assert page.evaluate("window.announced") == ["Time is up."]


def test_pause_resume_and_the_end_of_the_session_are_announced(full_site, page):
    server, meeting = full_site
    live_session.perform(meeting, "start", by=None, now=timezone.now() - dt.timedelta(seconds=10))
    page.add_init_script(RECORD_ANNOUNCEMENTS)
    page.goto(f"{server.url}/meetings/{SLUG}/display/")
    announcer = page.locator("[data-live-announce]")
    expect(page.locator("main.display")).to_have_attribute("data-state", "running")
    expect(announcer).to_have_attribute("aria-live", "polite")
    live_session.perform(meeting, "pause", by=None)
    expect(announcer).to_have_text("Paused")
    live_session.perform(meeting, "resume", by=None)
    expect(announcer).to_have_text("The clock runs again.")
    close_every_item(meeting)
    expect(announcer).to_have_text("The session has ended.")
    said = page.evaluate("window.announced")
    assert said[:2] == ["Paused", "The clock runs again."], said
    assert said[-1] == "The session has ended.", said


ANIMATIONS = """() => [...document.querySelectorAll("*")]
  .map((element) => getComputedStyle(element))
  .filter((style) => style.animationName !== "none")
  .map((style) => [style.animationName, parseFloat(style.animationDuration)])"""


def test_no_flash_is_faster_than_three_a_second_and_reduced_motion_stops_it(full_site, page):
    server, meeting = full_site
    live_session.perform(meeting, "start", by=None, now=timezone.now() - dt.timedelta(seconds=430))
    page.goto(f"{server.url}/meetings/{SLUG}/display/?flash=1")
    display = page.locator("main.display")
    expect(display).to_have_attribute("data-phase", "overtime")
    animations = page.evaluate(ANIMATIONS)
    assert ["overtime-flash", 1.0] in animations
    # One flash (dark, then back) per cycle: at most three a second means cycles of 1/3 s or more.
    assert all(seconds >= 1 / 3 for _, seconds in animations), animations

    page.emulate_media(reduced_motion="reduce")
    assert page.evaluate(ANIMATIONS) == []
    expect(display).to_have_css("animation-name", "none")
    expect(display).to_have_css("background-color", "rgb(58, 13, 13)")  # a steady overtime red


def test_the_console_has_no_keyboard_trap_and_a_sensible_focus_order(full_site, page):
    server, _ = full_site
    sign_in(page, server.url, f"/meetings/{SLUG}/console/")
    shortcuts = {
        "Start": "S",
        "Pause": "P",
        "Resume": "R",
        "Add minute": "M",
        "Next speaker": "N",
        "Skip": "K",
    }
    for name, key in shortcuts.items():
        button = page.get_by_role("button", name=name, exact=True)
        expect(button).to_have_attribute("aria-keyshortcuts", key)
    assert page.locator("[tabindex]:not([tabindex='0']):not([tabindex='-1'])").count() == 0

    page.evaluate(
        "window.visited = []; document.addEventListener('focusin',"
        " (event) => window.visited.push(event.target))"
    )
    skip = page.get_by_role("link", name="Skip to main content")
    skip.focus()
    for _ in range(150):  # Tab through the whole page, and past its end back to the start
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('skip-link')"):
            break
    else:
        pytest.fail("Tab never came back to the start of the page: a keyboard trap")
    order = page.evaluate(
        """() => window.visited.slice(0, -1).map((element) =>
             element.getAttribute("aria-label") || element.dataset.shortcut
             || element.name || element.textContent.trim().slice(0, 30))"""
    )
    follows = page.evaluate(
        """() => window.visited.slice(0, -1).every((element, i, all) => i === 0
             || (all[i - 1].compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING))"""
    )
    assert follows, order  # focus moves down the page, never back up
    for expected in ("s", "n", "k", "notes"):  # the enabled controls (a turn is ready), the notes
        assert expected in order, order
    assert order.index("s") < order.index("n") < order.index("notes")


@pytest.mark.parametrize("where", ["portal", "speaker view", "public meeting page"])
def test_pages_read_at_320_pixels_without_horizontal_scroll(full_site, page, where):
    server, meeting = full_site
    portal = link_path(meeting.panelists.first())
    path = {
        "portal": portal,
        "speaker view": f"{portal}speaker/",
        "public meeting page": f"/meetings/{SLUG}/",
    }[where]
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(server.url + path)
    settle(page)
    wider = page.evaluate(
        """() => [...document.querySelectorAll("main *")]
             .filter((element) => element.getBoundingClientRect().right > 320)
             .map((element) => element.outerHTML.slice(0, 120))"""
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, wider


def test_the_answer_counter_speaks_politely_only_near_and_over_the_limit(full_site, page):
    server, meeting = full_site
    page.goto(server.url + link_path(meeting.panelists.first()))
    answer = page.locator("#round-1 textarea")
    counter = page.locator("#round-1-counter")
    announcer = page.locator("#round-1 [data-counter-announce]")
    expect(announcer).to_have_attribute("aria-live", "polite")
    expect(answer).to_have_accessible_description(re.compile("^0 of 20,000 characters"))

    answer.fill("x" * 100)
    expect(counter).to_have_text("100 of 20,000 characters")
    expect(announcer).to_have_text("")  # the counter is read on demand, not at each keystroke
    answer.fill("x" * 18_000)
    expect(announcer).to_have_text("18,000 of 20,000 characters Close to the limit.")
    answer.press("End")
    page.keyboard.type("yy")  # still close to the limit: nothing new is said
    expect(counter).to_have_text("18,002 of 20,000 characters")
    expect(announcer).to_have_text("18,000 of 20,000 characters Close to the limit.")
    answer.fill("x" * 20_001)
    expect(announcer).to_have_text(
        "20,001 of 20,000 characters Too long: shorten your answer before saving."
    )
