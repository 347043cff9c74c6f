"""The rehearsal as a test: the seeded meeting of 17 May 2022, run end to end in
Chromium against the live server, as the secretariat, the panelists, the chair and a projector
do it.

The secretariat names the panel of seven seats; invitations go out; one panelist declines in the
portal (asked to confirm, with a reason) and the secretariat names a substitute for the seat;
two panelists answer in Spanish and French through their own links. The chair then runs both
rounds from the console (Start, Pause, Resume, Add minute, Next speaker, Skip, Give the floor
back, Reopen round, a turn in overtime) while a projector display and a speaker view are open in
browsers of their own. At every step the console's clock, the display's and the speaker view's
agree within a second (with live.json's), and no screen names the panelist who declined. Then
the summaries are written, the record is published, and every download is parsed back.

What this guards: the console's clock once froze after any action, and a panelist who declined
stayed in the live order, on every screen and in the record.
"""

import csv
import datetime as dt
import io
import json
import math
import re
import time
import zipfile
from zoneinfo import ZoneInfo

import docx
import icalendar
import pytest
from django.core import mail
from django.core.management import call_command
from markdown_it import MarkdownIt
from playwright.sync_api import expect

from meetings.models import Meeting, MeetingStatus, PanelistStatus
from meetings.roles import CHAIR, SECRETARIAT
from tests.browser.conftest import PASSWORD, sign_in
from tests.browser.test_console import clock_seconds
from tests.factories import LOCMEM_MAILERS, make_user, past_the_opening
from tests.worker import run_worker

pytestmark = pytest.mark.browser

SLUG = "migration-governance-2022"
# The seven seats of the seed file, named by the secretariat: name, email, language.
PANEL = {
    "rcm": ("Ana Pérez", "ana.perez@example.org", "es"),
    "csm": ("Luis Gómez", "luis.gomez@example.org", "en"),
    "mirps": ("María Ruiz", "maria.ruiz@example.org", "es"),
    "quito-process": ("Pedro Silva", "pedro.silva@example.org", "pt"),
    "r4v": ("John Smith", "john.smith@example.org", "en"),
    "gcm": ("Sophie Martin", "sophie.martin@example.org", "fr"),
    "gcr": ("David Brown", "david.brown@example.org", "en"),
}
DECLINER = "Luis Gómez"  # CSM, second in each round
SUBSTITUTE = ("Claire Dubois", "claire.dubois@example.org", "fr")
ROUND_ONE = ["Ana Pérez", "Claire Dubois", "María Ruiz", "Pedro Silva", "John Smith"]
ROUND_ONE += ["Sophie Martin", "David Brown"]
ANSWER_ES = (
    "Los procesos regionales complementan los pactos mundiales: regularización e integración."
)
ANSWER_FR = "La coordination entre les mécanismes régionaux renforce la protection internationale."
SUMMARY_CLAIRE = "Claire Dubois described the CSM's work on regular pathways and coordination."
SUMMARY_ANA = "Ana Pérez presented the RCM's good practices on regularisation."
LINK = re.compile(r"/respond/[A-Za-z0-9_-]{43}/")
WAIT = 15_000  # ms: a loaded two-core machine runs eight browsers at once


@pytest.fixture
def rehearsal(live_server, transactional_db, settings):
    settings.MAILERS = LOCMEM_MAILERS
    call_command("load_seeds", stdout=io.StringIO())
    make_user(SECRETARIAT, username="secretary", password=PASSWORD)
    make_user(CHAIR, username="chair", password=PASSWORD, first_name="Chair", last_name="CAM")
    return live_server


def shown(remaining: float) -> int:
    """live.json's remaining_seconds as the screens round it (live-clock.js formatClock),
    in clock_seconds' terms: 6:59 -> 419, +0:42 -> -42."""
    if remaining >= 0:
        return math.ceil(remaining - 1e-6)
    return -math.floor(-remaining)


def watched(context, errors: list[str]):
    """A new page of the context whose console errors are collected."""
    page = context.new_page()
    page.set_default_timeout(WAIT)
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page


class Room:
    """The three screens of the room, compared at every step."""

    def __init__(self, server, console, display, speaker):
        self.server = server
        self.console = console
        self.display = display
        self.speaker = speaker
        self.panels = console.locator("#console-panels")
        self.roots = {
            "console": console.locator("div.console"),
            "display": display.locator("main.display"),
            "speaker view": speaker.locator("div.speaker-view"),
        }
        self.clocks = {name: root.locator("[data-live-clock]") for name, root in self.roots.items()}
        self.steps = 0

    def live_json(self) -> tuple[str, dict]:
        response = self.display.request.get(f"{self.server.url}/meetings/{SLUG}/live.json")
        assert response.ok
        return response.text(), response.json()

    def press(self, name: str, *, scope=None) -> None:
        """Click a console button and wait until the console shows the state it made."""
        version = int(self.panels.get_attribute("data-version"))
        (scope or self.console).get_by_role("button", name=name, exact=True).click()
        expect(self.panels).to_have_attribute("data-version", str(version + 1), timeout=WAIT)

    def readings(self) -> dict[str, int]:
        values = {name: clock_seconds(clock.text_content()) for name, clock in self.clocks.items()}
        _text, state = self.live_json()
        values["live.json"] = shown(state["remaining_seconds"])
        return values

    def check(self, step: str, *, state: str, tolerance: int = 1) -> dict[str, int]:
        """Every screen has the console's live version and state; the clocks agree within
        `tolerance` seconds; nothing names the panelist who declined."""
        self.steps += 1
        version = self.panels.get_attribute("data-version")
        for root in self.roots.values():
            expect(root).to_have_attribute("data-version", version, timeout=WAIT)
            expect(root).to_have_attribute("data-state", state, timeout=WAIT)
        # The four are read one after the other: a second may turn between two readings, and
        # a loaded machine may hold one back; a few readings before concluding.
        deadline = time.monotonic() + 5
        while True:
            values = self.readings()
            if max(values.values()) - min(values.values()) <= tolerance:
                break
            if time.monotonic() > deadline:
                raise AssertionError(f"{step}: the clocks disagree: {values}")
            time.sleep(0.2)
        text, state_json = self.live_json()
        seen = {
            "console": self.console.locator("body").inner_text(),
            "display": self.roots["display"].inner_text(),
            "speaker view": self.roots["speaker view"].inner_text(),
            "live.json": json.dumps(state_json, ensure_ascii=False) + text,
        }
        for screen, content in seen.items():
            assert DECLINER not in content, f"{step}: the {screen} names {DECLINER}"
        return values

    def ticking(self, step: str) -> None:
        """The console's own clock counts (it once froze after an action)."""
        clock = self.clocks["console"]
        before = clock.text_content()
        expect(clock, f"{step}: the console's clock stands").not_to_have_text(before, timeout=WAIT)

    def current(self, name: str) -> None:
        expect(self.panels.locator(".current-speaker")).to_contain_text(name, timeout=WAIT)
        expect(self.roots["display"].locator(".display-name")).to_have_text(name, timeout=WAIT)


def test_the_rehearsal_of_the_seeded_meeting_from_the_panel_to_the_published_record(
    rehearsal, browser, page, page_errors
):
    server = rehearsal
    started = time.perf_counter()
    errors: list[str] = []
    page.set_default_timeout(WAIT)

    # 1. The secretariat prepares the rehearsal: a 15-second warning, and 30-second turns in
    #    round 2 so that a turn runs into overtime without waiting seven minutes; the
    #    hybrid meeting's join link, which the form asks for.
    sign_in(page, server.url, f"/meetings/{SLUG}/edit/")
    page.locator("#id_virtual_link").fill("https://meet.example.org/cam-rehearsal")
    page.locator("#id_warning_seconds").fill("15")
    page.locator("#id_rounds-1-speaking_seconds").fill("30")
    page.locator("main").get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(f"**/meetings/{SLUG}/panel/")

    # 2. It names the seven seats of the seed file, in place.
    for slug, (name, email, language) in PANEL.items():
        group = page.locator(f'section.mechanism-group[aria-labelledby="group-{slug}"]')
        group.get_by_role("button", name="Edit To be confirmed").click()
        form = group.get_by_role("form", name="Edit To be confirmed")
        form.get_by_label("Name", exact=True).fill(name)
        form.get_by_label("Email").fill(email)
        form.get_by_label("Preferred language").select_option(language)
        form.get_by_role("button", name="Save", exact=True).click()
        expect(group.locator(".panelist-card h3")).to_have_text(name)
    expect(page.locator("#run-of-show")).to_contain_text(DECLINER)
    expect(page.locator("#run-of-show")).not_to_contain_text("To be confirmed")

    # 3. Invitations, each in the panelist's language with their own link.
    page.get_by_role("link", name="Invite everyone not yet invited").click()
    page.get_by_role("button", name="Send 7 invitations").click()
    page.wait_for_url(re.compile(rf"/meetings/{SLUG}/panel/\?sending="))
    progress = page.locator(".sending-progress")
    expect(progress).to_contain_text("0 of 7 sent · 7 waiting")
    run_worker()  # the worker sends them; the page follows on its own
    expect(progress).to_contain_text("7 of 7 sent · 0 waiting · 0 failed")
    expect(progress.get_by_role("heading")).to_have_text("Emails sent")
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        email for _name, email, _language in PANEL.values()
    )
    links = {message.to[0]: LINK.search(message.body)[0] for message in mail.outbox}
    assert len(set(links.values())) == 7

    # 4. Luis Gómez declines in the portal: one click only asks; he confirms with a reason.
    luis = watched(browser.new_context(), errors)
    luis.goto(server.url + links[PANEL["csm"][1]])
    luis.get_by_role("button", name="Decline").click()
    expect(luis.get_by_role("heading", name="Decline to take part")).to_be_visible()
    assert Meeting.objects.get(slug=SLUG).panelists.get(name=DECLINER).status == "invited"
    luis.get_by_label("Reason (optional)").fill("I chair another meeting that day.")
    luis.get_by_role("button", name="Yes, decline").click()
    expect(luis.get_by_role("button", name="Decline")).to_have_attribute("aria-pressed", "true")
    assert (
        Meeting.objects.get(slug=SLUG).panelists.get(name=DECLINER).status
        == PanelistStatus.DECLINED
    )

    # 5. The secretariat names a substitute for the seat; she is invited at once.
    page.reload()
    card = page.locator(".panelist-card", has_text=DECLINER)
    expect(card).to_contain_text("I chair another meeting that day.")
    card.get_by_role("link", name=f"Name a substitute for {DECLINER}").click()
    substitute_name, substitute_email, substitute_language = SUBSTITUTE
    form = page.locator("form.substitute-form")
    form.get_by_label("Name").fill(substitute_name)
    form.get_by_label("Email").fill(substitute_email)
    form.get_by_label("Preferred language").select_option(substitute_language)
    page.get_by_role("button", name="Name the substitute").click()
    expect(page.locator(".messages")).to_contain_text(
        f"{substitute_name} takes the places of {DECLINER} in every round."
    )
    run_worker()
    assert [message.to for message in mail.outbox[7:]] == [[substitute_email]]
    run_worker()
    links[substitute_email] = LINK.search(mail.outbox[7].body)[0]
    expect(page.locator("#run-of-show")).to_contain_text(substitute_name)
    expect(page.locator("#run-of-show")).not_to_contain_text(DECLINER)

    # 6. Two panelists answer through their links, in Spanish and in French (their pages
    #    speak their language, so the test finds the fields by place, not by word).
    for email, answer, language in [
        (PANEL["rcm"][1], ANSWER_ES, "es"),
        (substitute_email, ANSWER_FR, "fr"),
    ]:
        panelist = watched(browser.new_context(), errors)
        panelist.goto(server.url + links[email])
        expect(panelist.locator("html")).to_have_attribute("lang", language)
        panelist.locator("button[name=participation][value=confirmed]").click()
        expect(panelist.locator("button[name=participation][value=confirmed]")).to_have_attribute(
            "aria-pressed", "true"
        )
        round_one = panelist.locator("#round-1")
        round_one.locator("textarea").fill(answer)
        round_one.locator("button[name=action][value=submit]").click()
        expect(panelist.locator("#round-1 .answer-status .status-submitted")).to_be_visible()
        panelist.context.close()

    # 7. The room: the chair's console, the projector and Claire's speaker view, each in a
    #    browser of its own (the Chair's opening remarks given: round 1 comes).
    past_the_opening(Meeting.objects.get(slug=SLUG))
    console = watched(browser.new_context(), errors)
    sign_in(console, server.url, f"/meetings/{SLUG}/console/", username="chair")
    console.on("dialog", lambda dialog: dialog.accept())  # the console's confirmations
    display = watched(browser.new_context(viewport={"width": 1280, "height": 720}), errors)
    display.goto(f"{server.url}/meetings/{SLUG}/display/")
    speaker = watched(browser.new_context(), errors)
    speaker.goto(f"{server.url}{links[substitute_email]}speaker/")
    room = Room(server, console, display, speaker)
    expect(room.roots["display"]).to_have_attribute("data-connection", "online")
    expect(room.panels).to_contain_text("Start gives the floor to Ana Pérez (RCM), round 1.")
    expect(room.roots["display"].locator(".display-next")).to_contain_text("Ana Pérez")
    assert room.check("before the session", state="idle", tolerance=0)["console"] == 420

    # Round 1, seven minutes a turn. Start, Pause, Resume, Add minute.
    room.press("Start")
    room.current("Ana Pérez")
    room.ticking("Start")
    room.check("Start", state="running")
    expect(room.roots["display"].locator(".display-next")).to_contain_text(substitute_name)
    expect(room.roots["speaker view"]).to_have_attribute("data-you", "next")

    room.press("Pause")
    paused = room.check("Pause", state="paused", tolerance=0)
    expect(console.locator("#console-panels .live-phase-text")).to_have_text("Paused")
    console.wait_for_timeout(1500)
    assert room.check("paused a while", state="paused", tolerance=0) == paused

    room.press("Resume")
    room.ticking("Resume")
    room.check("Resume", state="running")

    before, read = room.readings()["console"], time.monotonic()
    room.press("Add minute")
    room.ticking("Add minute")
    after = room.check("Add minute", state="running")["console"]
    elapsed = time.monotonic() - read
    assert 60 - elapsed - 1 <= after - before <= 60, (before, after, elapsed)

    # Next speaker: the substitute, in the seat of who declined.
    room.press("Next speaker")
    room.current(substitute_name)
    expect(room.roots["speaker view"]).to_have_attribute("data-you", "speaking")
    assert room.check("Next speaker", state="ready", tolerance=0)["console"] == 420
    room.press("Start")
    room.ticking("Start (substitute)")
    room.check("Start (substitute)", state="running")
    console.wait_for_timeout(2000)  # she speaks a little

    # Skip her (she had started: her turn ends), then skip María Ruiz before she starts.
    room.press("Skip")
    room.current("María Ruiz")
    room.check("Skip", state="ready", tolerance=0)
    room.press("Skip")
    room.current("Pedro Silva")
    room.check("Skip before the start", state="ready", tolerance=0)

    # Give the floor back to the substitute: her clock counts on from the time she used.
    room.press(f"Give the floor back {substitute_name}")
    room.current(substitute_name)
    back = room.check("Give the floor back", state="ready", tolerance=0)["console"]
    assert 300 < back <= 418, back  # 7:00 less the two seconds or more she spoke
    room.press("Start")
    room.ticking("Start after the floor was given back")
    room.check("Start after the floor was given back", state="running")

    # The others in turn: Pedro Silva, John Smith, Sophie Martin, David Brown.
    room.press("Next speaker")
    for name in ROUND_ONE[3:]:
        room.current(name)
        room.check(f"Next speaker: {name}", state="ready", tolerance=0)
        room.press("Start")
        room.ticking(f"Start: {name}")
        room.check(f"Start: {name}", state="running")
        room.press("Next speaker")

    # Round 1 is over with María Ruiz skipped: the display announces round 2.
    display_root = room.roots["display"]
    expect(display_root.locator(".display-coming-round")).to_have_text("Coming up: round 2")
    room.check("between the rounds", state="idle", tolerance=0)
    round_one = console.locator(".console-round").first
    expect(round_one).to_contain_text("Over")

    # Reopen round 1: María Ruiz is given her turn back.
    room.press("Reopen round", scope=round_one)
    expect(room.panels).to_contain_text("Start gives the floor to María Ruiz (MIRPS), round 1.")
    expect(display_root.locator(".display-coming-round")).to_have_text("Coming up: round 1")
    room.check("Reopen round", state="idle", tolerance=0)
    room.press("Start")
    room.current("María Ruiz")
    room.ticking("Start: María Ruiz")
    room.check("Start: María Ruiz", state="running")
    room.press("Next speaker")
    expect(display_root.locator(".display-coming-round")).to_have_text("Coming up: round 2")
    assert room.check("round 1 over again", state="idle", tolerance=0)["console"] == 30

    # Round 2, thirty seconds a turn: the first speaker runs into overtime.
    room.press("Start")
    first = console.locator("#console-panels .current-speaker .h3").inner_text()
    room.ticking("Start of round 2")
    room.check("Start of round 2", state="running")
    expect(room.clocks["console"]).to_have_text(re.compile(r"^\+0:0[2-9]$"), timeout=60_000)
    expect(console.locator("#console-panels .live-phase-text")).to_have_text(
        re.compile(r"^Overtime \+0:\d\d$")
    )
    for root in room.roots.values():
        expect(root).to_have_attribute("data-phase", "overtime")
    assert room.check("overtime", state="running")["console"] < 0
    room.press("Pause")
    assert room.check("paused in overtime", state="paused", tolerance=0)["console"] < 0
    room.press("Resume")
    room.ticking("resumed in overtime")
    room.check("resumed in overtime", state="running")
    room.press("Next speaker")

    # The rest of round 2.
    spoken = [first]
    for _turn in range(6):
        name = console.locator("#console-panels .current-speaker .h3").inner_text()
        spoken.append(name)
        room.check(f"round 2: {name}", state="ready", tolerance=0)
        room.press("Start")
        room.ticking(f"round 2, Start: {name}")
        room.check(f"round 2, Start: {name}", state="running")
        room.press("Next speaker")
    assert sorted(spoken) == sorted(ROUND_ONE)
    # Nobody asks for the floor in the dialogue: Next item, then the Chair's closing remarks.
    room.press("Next item")
    room.press("Start")
    room.current("Chair of the Committee on Migration Issues (CAM)")
    room.press("Next speaker")
    for root in room.roots.values():
        expect(root).to_have_attribute("data-state", "finished")
    expect(display_root.locator(".display-finished")).to_be_visible()
    text, _state = room.live_json()
    assert DECLINER not in text + console.locator("body").inner_text()

    # The last turn is over: the chair concludes the meeting (asked to confirm).
    room.press("Conclude the meeting")
    expect(room.panels).to_contain_text("The meeting is concluded.")
    for root in room.roots.values():
        expect(root).to_have_attribute("data-state", "finished")
    assert Meeting.objects.get(slug=SLUG).status == MeetingStatus.CONCLUDED
    session_steps = room.steps
    for screen in (display, speaker):
        screen.context.close()

    # 8. The summaries, on the record's working version.
    page.goto(f"{server.url}/meetings/{SLUG}/report/")
    for label, summary, name in [
        ("CSM, round 1", SUMMARY_CLAIRE, substitute_name),
        ("RCM, round 1", SUMMARY_ANA, "Ana Pérez"),
    ]:
        page.get_by_role("link", name=f"Edit the summary and coordination {label}").click()
        page.locator("#summary").fill(summary)
        page.locator("main form").get_by_role("button", name="Save", exact=True).click()
        expect(page.locator(".messages")).to_contain_text(f"The summary of {name} is saved.")
    expect(page.locator("#attendance")).to_contain_text(DECLINER)  # internally, as declined

    # 9. Publication; a visitor reads the record and downloads every output.
    page.get_by_role("button", name="Publish the record").click()
    expect(page.locator(".publication-status")).to_contain_text("Published")
    visitor = watched(browser.new_context(), errors)
    visitor.goto(f"{server.url}/meetings/{SLUG}/report/")
    record = visitor.locator("article.record")
    expect(record).to_contain_text(SUMMARY_CLAIRE)
    expect(record).to_contain_text(ANSWER_FR)
    expect(record).to_contain_text(ANSWER_ES)
    spoke = record.locator("#attendance tbody tr", has_text=substitute_name).locator("td")
    expect(spoke.nth(3)).to_have_text("yes")
    assert DECLINER not in visitor.locator("body").inner_text()

    downloads = {}
    for label in ["DOCX", "Markdown", "CSV", "JSON"]:
        href = visitor.get_by_role("link", name=label, exact=True).get_attribute("href")
        response = visitor.request.get(f"{server.url}/meetings/{SLUG}/report/{href}")
        assert response.ok, (label, response.status)
        downloads[label] = response.body()
    visitor.goto(f"{server.url}/meetings/{SLUG}/")
    calendar_href = visitor.locator('a[href$="calendar.ics"]').first.get_attribute("href")
    response = visitor.request.get(server.url + calendar_href)
    assert response.ok
    downloads["ICS"] = response.body()

    check_docx(downloads["DOCX"], substitute_name)
    check_markdown(downloads["Markdown"].decode(), substitute_name)
    check_csv(downloads["CSV"].decode("utf-8-sig"), substitute_name, first)
    check_json(downloads["JSON"].decode(), substitute_name)
    check_ics(downloads["ICS"])

    print(
        f"rehearsal: {session_steps} steps of the session compared, "
        f"{time.perf_counter() - started:.0f} s in all"
    )
    assert errors == []
    assert page_errors == []


def check_docx(body: bytes, substitute: str) -> None:
    assert zipfile.is_zipfile(io.BytesIO(body))
    document = docx.Document(io.BytesIO(body))
    texts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        texts += [cell.text for row in table.rows for cell in row.cells]
    text = "\n".join(texts)
    assert substitute in text
    assert SUMMARY_CLAIRE in text
    assert ANSWER_ES in text and ANSWER_FR in text
    assert DECLINER not in text
    assert "Migration governance" in document.core_properties.title


def check_markdown(text: str, substitute: str) -> None:
    tokens = MarkdownIt("commonmark").parse(text)
    headings = [
        tokens[index + 1].content
        for index, token in enumerate(tokens)
        if token.type == "heading_open"
    ]
    assert any(substitute in heading for heading in headings), headings
    inline = "\n".join(token.content for token in tokens if token.type == "inline")
    assert SUMMARY_CLAIRE in inline
    assert ANSWER_FR in inline
    assert DECLINER not in text


def check_csv(text: str, substitute: str, overtime_speaker: str) -> None:
    every_row = list(csv.DictReader(io.StringIO(text)))
    assert "Notes (internal)" not in every_row[0]  # the public record
    rows = [row for row in every_row if row["Round"]]  # the interventions' rows follow
    assert len(rows) == 14  # seven seats, two rounds: the decliner has no row
    remarks = [row["Panelist"] for row in every_row if not row["Round"]]
    assert remarks == ["Chair of the Committee on Migration Issues (CAM)"] * 2  # opening, closing
    seat = [row for row in rows if row["Acronym"] == "CSM"]
    assert [(row["Round"], row["Panelist"]) for row in seat] == [
        ("1", substitute),
        ("2", substitute),
    ]
    assert seat[0]["Summary"] == SUMMARY_CLAIRE
    assert seat[0]["Written answer"] == ANSWER_FR
    assert int(seat[0]["Used (s)"]) >= 2  # she spoke, and again after the floor came back
    assert all(row["Started"] for row in rows)  # everyone spoke, María Ruiz after the reopening
    late = [row for row in rows if row["Round"] == "2" and row["Panelist"] == overtime_speaker]
    assert int(late[0]["Overtime (s)"]) >= 2
    assert not any(DECLINER in " ".join(row.values()) for row in every_row)


def check_json(text: str, substitute: str) -> None:
    record = json.loads(text)
    assert DECLINER not in text
    assert record["internal"] is False
    panel = {person["name"]: person for person in record["panel"]}
    assert panel[substitute]["spoke"] is True
    assert panel[substitute]["status"] == PanelistStatus.CONFIRMED
    assert all(person["status"] != PanelistStatus.DECLINED for person in panel.values())
    for round_ in record["rounds"]:
        seat = [entry for entry in round_["entries"] if entry["mechanism"] == "csm"]
        assert [entry["panelist"] for entry in seat] == [panel[substitute]["id"]]
    entry = record["rounds"][0]["entries"][1]
    assert (entry["mechanism"], entry["summary"], entry["answer"]) == (
        "csm",
        SUMMARY_CLAIRE,
        ANSWER_FR,
    )


def check_ics(body: bytes) -> None:
    calendar = icalendar.Calendar.from_ical(body)
    events = [component for component in calendar.walk("VEVENT")]
    assert len(events) == 1
    event = events[0]
    assert str(event["SUMMARY"]).startswith("Migration governance")
    new_york = ZoneInfo("America/New_York")
    assert event.decoded("DTSTART").astimezone(new_york) == dt.datetime(
        2022, 5, 17, 10, tzinfo=new_york
    )
    assert event.decoded("DTEND").astimezone(new_york) == dt.datetime(
        2022, 5, 17, 13, tzinfo=new_york
    )
    assert str(event["UID"]).strip()
