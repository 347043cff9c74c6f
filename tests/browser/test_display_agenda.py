"""The projector display, the webcast overlay and a panelist's speaker view through a whole
agenda: the Chair's opening remarks, a round, the dialogue with delegations asking for the floor
(a point of order among them), a break and the end; in the screen's language."""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from meetings.models import Attendance
from meetings.services import floor, live_session
from meetings.services.links import link_path
from tests.browser.test_accessibility import violations
from tests.factories import (
    agenda_with_a_break,
    make_mechanism,
    make_meeting,
    make_panelist,
    state_delegation,
)

pytestmark = pytest.mark.browser

STATES = {"MX": ("Mexico", "México"), "CA": ("Canada", "Canadá"), "BR": ("Brazil", "Brasil")}
TITLES = {
    "en": ("Opening remarks", "Round 1", "Dialogue with delegations", "Coffee break"),
    "es": ("Palabras de apertura", "Ronda 1", "Diálogo con las delegaciones", "Pausa para el café"),
}
CHAIR = {"en": "Chair of the CAM", "es": "Presidencia de la CAM"}


@pytest.fixture
def agenda(live_server, transactional_db):
    meeting = make_meeting(rounds=1, slug="agenda-display")
    ana = make_panelist(
        meeting, make_mechanism(acronym_en="RCM", acronym_es="CRM"), name="Ana Pérez"
    )
    agenda_with_a_break(meeting)
    for code, (english, spanish) in STATES.items():
        state_delegation(meeting, code, english, spanish)
    return live_server, meeting, ana


def said(language: str, text: str, **fields) -> str:
    """A sentence of the screens in `language`, its {fields} filled."""
    with translation.override(language):
        sentence = gettext(text)
    for name, value in fields.items():
        sentence = sentence.replace("{" + name + "}", str(value))
    return sentence


def delegation_of(language: str, code: str) -> str:
    party = STATES[code][0 if language == "en" else 1]
    with translation.override(language):
        return gettext("Delegation of %(party)s") % {"party": party}


def act(meeting, action):
    live_session.perform(meeting, action, by=None)


def ask(meeting, code, *, point_of_order=False):
    floor.request_floor(meeting.delegations.get(code=code), point_of_order=point_of_order)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_display_follows_the_whole_agenda(agenda, page, page_errors, language):
    server, meeting, _ana = agenda
    opening, round_one, dialogue, coffee = TITLES[language]
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{server.url}/meetings/{meeting.slug}/display/?lang={language}")
    root = page.locator("main.display")
    item, name = page.locator(".display-item"), page.locator(".display-name")
    timer = page.get_by_role("timer")

    # Before the session: the first item, the Chair to speak first.
    expect(root).to_have_attribute("data-version", re.compile(r"\d+"))
    expect(item).to_have_text(opening)
    expect(page.locator(".display-idle")).to_be_visible()
    expect(page.locator(".display-next")).to_contain_text(CHAIR[language])

    act(meeting, "start")  # the opening remarks
    expect(name).to_have_text(CHAIR[language])
    expect(item).to_have_text(opening)
    expect(page.locator(".display-mechanism")).to_have_text("")
    expect(page.locator(".display-point-of-order")).to_be_hidden()
    expect(page.locator(".display-next")).to_contain_text("Ana Pérez")

    act(meeting, "next")  # the remarks are over: the round comes
    expect(page.locator(".display-coming-round")).to_have_text(
        said(language, "Coming up: round {round}", round=1)
    )
    expect(page.locator(".display-coming-item")).to_be_hidden()
    acronym = "RCM" if language == "en" else "CRM"
    expect(page.locator(".display-coming-speaker")).to_have_text(
        said(language, "First speaker: {name} ({acronym})", name="Ana Pérez", acronym=acronym)
    )
    expect(item).to_have_text(round_one)
    expect(page.locator(".display-question")).to_have_text(
        "Question 1?" if language == "en" else "¿Pregunta 1?"
    )

    act(meeting, "start")
    expect(name).to_have_text("Ana Pérez")
    expect(page.locator(".display-acronym")).to_have_text(acronym)
    act(meeting, "next")  # the round is over: the dialogue comes
    coming = page.locator(".display-coming-item")
    expect(coming).to_have_text(said(language, "Coming up: {title}", title=dialogue))
    expect(page.locator(".display-coming-round")).to_have_text("")
    expect(item).to_have_text(dialogue)
    expect(page.locator(".display-floor-open")).to_be_visible()
    expect(page.locator(".display-queue")).to_be_hidden()

    for code in ("MX", "CA", "BR"):
        ask(meeting, code)
    expect(page.locator(".display-coming-speaker")).to_have_text(
        said(
            language, "First speaker: {name} ({acronym})", name=delegation_of(language, "MX")
        ).replace(" ({acronym})", "")  # a delegation has no acronym: no empty brackets
    )
    expect(page.locator(".display-queue")).to_have_text(
        said(language, "{count} requests for the floor", count=3)
    )

    act(meeting, "start")  # Mexico speaks, Canada and Brazil wait
    expect(name).to_have_text(delegation_of(language, "MX"))
    expect(page.locator(".display-acronym")).to_have_text("")
    expect(page.locator(".display-coming")).to_be_hidden()
    expect(page.locator(".display-next")).to_have_text(
        f"{said(language, 'Next:')} {delegation_of(language, 'CA')}", use_inner_text=True
    )
    expect(page.locator(".display-queue")).to_have_text(
        said(language, "{count} requests for the floor", count=2)
    )
    expect(timer).to_be_visible()
    assert violations(page) == []

    ask(meeting, "BR", point_of_order=True)  # ahead of Canada
    expect(page.locator(".display-next")).to_contain_text(delegation_of(language, "BR"))
    expect(page.locator(".display-next-point-of-order")).to_be_visible()
    expect(page.locator(".display-next-point-of-order")).to_contain_text(
        said(language, "Point of order")
    )
    expect(page.locator(".display-queue")).to_have_text(
        said(language, "{count} requests for the floor", count=3)
    )
    act(meeting, "next")  # Brazil's point of order
    expect(name).to_have_text(delegation_of(language, "BR"))
    expect(page.locator(".display-point-of-order")).to_be_visible()
    expect(page.locator(".display-point-of-order")).to_have_text(said(language, "Point of order"))
    live_session.set_message(meeting, "Please conclude", by=None)
    expect(page.locator(".display-message")).to_have_text("Please conclude")
    # The item, the speaker, their flag, a message, the next speaker and the queue: all on a
    # 1280×720 screen, nothing scrolled out of sight.
    sizes = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    assert sizes == [1280, 720]
    live_session.set_message(meeting, "", by=None)
    expect(page.locator(".display-next")).to_contain_text(delegation_of(language, "CA"))
    act(meeting, "next")  # Canada: no point of order
    expect(name).to_have_text(delegation_of(language, "CA"))
    expect(page.locator(".display-point-of-order")).to_be_hidden()
    expect(page.locator(".display-queue")).to_have_text(
        said(language, "{count} request for the floor", count=1)
    )

    act(meeting, "next_item")  # the dialogue ends: the break
    expect(page.locator(".display-break")).to_have_text(coffee)
    expect(page.locator(".display-break")).to_be_visible()
    expect(name).to_be_hidden()
    expect(timer).to_be_hidden()
    expect(page.locator(".display-coming")).to_be_hidden()
    expect(page.locator(".display-idle")).to_be_hidden()
    expect(page.locator(".display-queue")).to_be_hidden()
    assert violations(page) == []

    act(meeting, "next_item")  # the break ends, and the meeting with it
    expect(root).to_have_attribute("data-state", "finished")
    expect(page.locator(".display-finished")).to_be_visible()
    expect(page.locator(".display-break")).to_be_hidden()
    assert page_errors == []


def test_the_overlay_shows_the_item_the_speaker_and_a_break(agenda, page, page_errors):
    server, meeting, _ana = agenda
    act(meeting, "next_item")  # the opening remarks
    act(meeting, "next_item")  # round 1
    meeting.delegations.filter(code="MX").update(attendance=Attendance.ONLINE)
    ask(meeting, "MX", point_of_order=True)
    act(meeting, "start")
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{server.url}/meetings/{meeting.slug}/display/?overlay=1")
    expect(page.locator(".display-item")).to_have_text("Dialogue with delegations")
    expect(page.locator(".display-name")).to_have_text("Delegation of Mexico")
    expect(page.locator(".display-point-of-order")).to_be_visible()
    expect(page.locator(".display-online")).to_be_visible()  # the technician unmutes them
    expect(page.get_by_role("timer")).to_have_text("3:00")  # ready: three minutes each
    expect(page.locator(".display-footer")).to_be_hidden()

    act(meeting, "next_item")  # the break
    expect(page.locator(".display-break")).to_have_text("Coffee break")
    expect(page.locator(".display-break")).to_be_visible()
    expect(page.get_by_role("timer")).to_be_hidden()
    backgrounds = page.evaluate(
        """[document.documentElement, document.body, document.querySelector("main.display")]
        .map((element) => getComputedStyle(element).backgroundColor)"""
    )
    assert backgrounds == ["rgba(0, 0, 0, 0)"] * 3
    assert page_errors == []


def test_a_panelists_speaker_view_names_a_delegation_with_the_floor(agenda, page, page_errors):
    server, meeting, ana = agenda
    page.goto(f"{server.url}{link_path(ana)}speaker/")
    view = page.locator(".speaker-view")
    act(meeting, "start")  # the Chair; Ana speaks next
    expect(view).to_have_attribute("data-you", "next")
    expect(view).to_contain_text("Now speaking: Chair of the CAM")
    act(meeting, "next")
    act(meeting, "start")
    expect(view).to_have_attribute("data-you", "speaking")
    act(meeting, "next")  # the dialogue
    ask(meeting, "MX")
    act(meeting, "start")
    expect(view).to_have_attribute("data-you", "waiting")
    now_speaking = page.get_by_text("Now speaking:")
    expect(now_speaking).to_have_text("Now speaking: Delegation of Mexico", use_inner_text=True)
    expect(view).to_contain_text("Dialogue with delegations")
    assert page_errors == []
