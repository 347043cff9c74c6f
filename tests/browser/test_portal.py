import re

import pytest
from playwright.sync_api import expect

from meetings.models import AnswerStatus, PanelistStatus
from meetings.services.links import link_path
from tests.factories import make_meeting, make_panelist

pytestmark = pytest.mark.browser


def test_a_panelist_confirms_and_answers_on_a_phone(
    live_server, transactional_db, page, page_errors
):
    meeting = make_meeting(title_en="Migration governance in the Americas")
    panelist = make_panelist(meeting, name="Ana Pérez")
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(f"{live_server.url}{link_path(panelist)}")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Migration governance in the Americas"
    )
    page.get_by_role("button", name="Confirm participation").click()
    expect(page.locator(".messages")).to_have_text("Thank you: your participation is confirmed.")
    expect(page.get_by_role("button", name="Confirm participation")).to_have_attribute(
        "aria-pressed", "true"
    )

    round_one = page.locator("#round-1")
    answer = "Regional processes complement the global compacts."
    page.get_by_label("Question 1?").fill(answer)
    expect(round_one.locator(".answer-status")).to_contain_text("Last saved", timeout=10_000)

    page.reload()
    expect(page.get_by_label("Question 1?")).to_have_value(answer)

    round_one.get_by_role("button", name="Submit answer").click()
    expect(page).to_have_url(re.compile(r"#round-1$"))
    expect(round_one.locator(".answer-status")).to_contain_text("Submitted")
    expect(page.locator(".messages")).to_have_text("Your answer to round 1 is submitted.")
    panelist.refresh_from_db()
    assert panelist.status == PanelistStatus.CONFIRMED
    assert list(panelist.answers.values_list("status", "submitted_text")) == [
        (AnswerStatus.SUBMITTED, answer)
    ]
    assert page_errors == []


def test_each_control_of_spec_is_found_by_its_name_alone(
    live_server, transactional_db, page, page_errors
):
    """The portal's names, which other tools look up: one Confirm participation and one
    Decline; per round, a textarea named by its question with its own Save draft and Submit
    answer."""
    meeting = make_meeting()
    panelist = make_panelist(meeting, name="Ana Pérez")
    page.goto(f"{live_server.url}{link_path(panelist)}")
    for name in ["Confirm participation", "Decline"]:
        expect(page.get_by_role("button", name=name)).to_have_count(1)
    for number in (1, 2):
        expect(page.get_by_role("textbox", name=f"Question {number}?")).to_have_count(1)
        round_ = page.locator(f"#round-{number}")
        for name in ["Save draft", "Submit answer"]:
            expect(round_.get_by_role("button", name=name)).to_have_count(1)
    assert page_errors == []


def test_an_answer_written_in_two_tabs_loses_neither_text(live_server, transactional_db, browser):
    """Tab A and tab B open the same answer; A saves, then B: B is told, sees both texts and
    keeps what it typed; saving again keeps B's, and A's stays in the answer's history."""
    meeting = make_meeting()
    panelist = make_panelist(meeting, name="Ana Pérez")
    url = f"{live_server.url}{link_path(panelist)}"
    tabs, errors = [], []
    for _tab in ("A", "B"):
        tab = browser.new_context().new_page()
        tab.on("console", lambda m: m.type == "error" and errors.append(m.text))
        tab.on("pageerror", lambda error: errors.append(str(error)))
        tab.goto(url)
        tabs.append(tab)
    tab_a, tab_b = tabs

    tab_a.get_by_label("Question 1?").fill("Tab A's answer.")
    expect(tab_a.locator("#round-1 .answer-status")).to_contain_text("Last saved", timeout=15_000)
    tab_b.get_by_label("Question 1?").fill("Tab B's answer.")

    conflict = tab_b.locator("#round-1-conflict")
    expect(conflict.get_by_role("alert")).to_contain_text("another tab", timeout=15_000)
    expect(conflict.locator(".answer-theirs")).to_have_text("Tab A's answer.")
    expect(tab_b.locator("#round-1 .answer-status")).to_contain_text("Not saved")
    expect(tab_b.get_by_label("Question 1?")).to_have_value("Tab B's answer.")  # kept
    answer = panelist.answers.get(round__number=1)
    assert answer.draft_text == "Tab A's answer."

    tab_b.locator("#round-1").get_by_role("button", name="Save draft").click()
    expect(tab_b.locator(".messages")).to_have_text("Your draft for round 1 is saved.")
    answer.refresh_from_db()
    assert answer.draft_text == "Tab B's answer."
    assert [(r.text, r.conflicted) for r in answer.revisions.order_by("pk")] == [
        ("Tab A's answer.", False),
        ("Tab B's answer.", True),
        ("Tab B's answer.", False),
    ]
    # The browser reports the refused autosave's status; nothing else went wrong.
    assert [error for error in errors if "409" not in error] == []


def test_a_request_refused_as_malformed_says_why_on_the_page(live_server, transactional_db, page):
    """An autosave that lacks a field (here the version, removed from the page) is refused
    with 400; htmx shows the server's message in #request-error instead of doing nothing."""
    panelist = make_panelist(make_meeting(), name="Ana Pérez")
    page.goto(f"{live_server.url}{link_path(panelist)}")
    page.evaluate("document.getElementById('round-1-version').remove()")

    page.get_by_label("Question 1?").fill("Typed, never saved.")

    alert = page.locator("#request-error").get_by_role("alert")
    expect(alert).to_contain_text("nothing was changed", timeout=15_000)
    assert not panelist.answers.exists()
