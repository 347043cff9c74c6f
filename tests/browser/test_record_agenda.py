"""The record of a meeting run through its whole agenda, in a browser: the secretariat's working
version and the published one read in Spanish give every item in order, the dialogue's
interventions and the delegations' attendance; an intervention's summary is written from it;
axe finds no WCAG violation on these pages."""

import pytest
from playwright.sync_api import expect

from meetings.roles import SECRETARIAT
from meetings.services.publication import publish
from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import settle, violations
from tests.factories import make_user
from tests.meetings.outputs.whole_meeting import whole_meeting

pytestmark = pytest.mark.browser

USERNAME = "record-clerk"


@pytest.fixture
def whole_site(live_server, transactional_db):
    """The meeting of tests/meetings/outputs/whole_meeting.py (run with live_session.perform and
    floor.request_floor), and a secretary."""
    make_user(SECRETARIAT, username=USERNAME)
    return live_server, whole_meeting(slug="whole-browser")


def headings_of(page, selector: str) -> list[str]:
    return [text.strip() for text in page.locator(selector).all_inner_texts()]


def test_the_record_gives_every_item_the_dialogue_and_the_attendance(whole_site, page, page_errors):
    server, whole = whole_site
    report = f"/meetings/{whole['meeting'].slug}/report/"
    sign_in(page, server.url, report, username=USERNAME)

    assert headings_of(page, "section.record-round > h2") == [
        "Opening remarks",
        "Round 1",
        "Dialogue with delegations",
        "Break",
        "Closing remarks",
    ]
    page.locator(".record-toc").get_by_role("link", name="Dialogue with delegations").click()
    dialogue = page.locator("#item-3")
    expect(dialogue).to_be_in_viewport()
    assert headings_of(page, "#item-3 article h3") == [
        "Delegation of Mexico",
        "International Organization for Migration",
    ]
    expect(dialogue).to_contain_text("Planned time: 20:00 · Actual time: 8:10")
    expect(dialogue).to_contain_text("Mexico asked about returns.")
    expect(dialogue).to_contain_text("Internal: Mexico spoke fast.")  # the working version
    expect(page.locator("#round-1 .record-intervention")).to_contain_text(
        "Delegation of Spain (point of order)"
    )
    delegations = page.get_by_role("table", name="Delegations")
    expect(delegations.locator("tbody tr")).to_have_count(3)
    expect(delegations.get_by_role("row", name="Delegation of Spain")).to_contain_text("Online")
    expect(delegations).not_to_contain_text("Canada")  # not present and silent
    expect(page.locator("table.timing-items tbody tr")).to_have_count(5)
    assert page_errors == []


def test_the_published_record_of_the_whole_agenda_reads_in_spanish(
    whole_site, browser, page_errors
):
    server, whole = whole_site
    publish(whole["meeting"], by=None)
    visitor = browser.new_context(locale="es-ES").new_page()
    visitor.context.add_cookies([{"name": "django_language", "value": "es", "url": server.url}])
    visitor.goto(f"{server.url}/meetings/{whole['meeting'].slug}/report/")

    expect(visitor.locator("html")).to_have_attribute("lang", "es")
    assert headings_of(visitor, "section.record-round > h2") == [
        "Palabras de apertura",
        "Ronda 1",
        "Diálogo con las delegaciones",
        "Pausa",
        "Palabras de clausura",
    ]
    expect(visitor.locator("#item-1")).to_contain_text("Presidencia de la CAM, Ana Pérez")
    dialogue = visitor.locator("#item-3")
    expect(dialogue.locator("article h3").nth(1)).to_have_text(
        "Organización Internacional para las Migraciones"
    )
    expect(dialogue).to_contain_text("Mexico asked about returns.")  # as typed
    expect(dialogue).not_to_contain_text("Mexico spoke fast")  # the notes stay internal
    expect(visitor.locator("#attendance")).to_contain_text("España")
    expect(visitor.locator("#attendance")).to_contain_text("México")
    assert page_errors == []


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_record_of_the_whole_agenda_has_no_wcag_violation(whole_site, audit_page, language):
    server, whole = whole_site
    report = f"/meetings/{whole['meeting'].slug}/report/"
    audit_page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": server.url}]
    )
    publish(whole["meeting"], by=None)
    audit_page.goto(server.url + report)
    settle(audit_page)
    found = {"public": violations(audit_page)}
    sign_in(audit_page, server.url, report, username=USERNAME)
    found["staff"] = violations(audit_page)
    audit_page.locator("#item-3 .record-intervention").first.get_by_role("link").click()
    audit_page.wait_for_url("**/summary/")
    found["summary"] = violations(audit_page)
    assert found == {"public": [], "staff": [], "summary": []}


def test_an_interventions_summary_is_written_from_the_record(whole_site, page, page_errors):
    server, whole = whole_site
    report = f"/meetings/{whole['meeting'].slug}/report/"
    sign_in(page, server.url, report, username=USERNAME)
    iom = page.locator("#item-3 .record-intervention").nth(1)
    iom.get_by_role(
        "link", name="Edit the summary International Organization for Migration"
    ).click()
    page.get_by_label("Summary").fill("The IOM offered its help with returns.")
    page.get_by_role("button", name="Save the summary").click()
    page.wait_for_url(f"**{report}#intervention-*")
    expect(page.locator("#item-3 .record-intervention").nth(1)).to_contain_text(
        "The IOM offered its help with returns."
    )
    assert page_errors == []
