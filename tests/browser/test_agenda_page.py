"""The secretariat builds the agenda in a real browser: a break added in four languages and
moved before the closing remarks, kept after a reload; the page passes axe in English and
Spanish."""

import pytest
from playwright.sync_api import expect

from meetings.roles import SECRETARIAT
from tests.browser.conftest import PASSWORD, sign_in
from tests.browser.test_accessibility import assert_clean, audit, violations
from tests.factories import make_user

pytestmark = pytest.mark.browser

SLUG = "migration-governance-2022"
PATH = f"/meetings/{SLUG}/agenda/"


@pytest.fixture
def agenda_site(directory_site):
    make_user(SECRETARIAT, username="secretary", password=PASSWORD)
    return directory_site


def headings(page) -> list[str]:
    return page.locator(".agenda-items .item-heading").all_inner_texts()


def test_a_break_is_added_and_moved_before_the_closing_remarks(agenda_site, page, page_errors):
    sign_in(page, agenda_site.url, PATH)
    before = headings(page)
    assert before[0] == "Opening remarks" and before[-1] == "Closing remarks"

    add = page.locator("#add-item")
    add.get_by_label("Kind").select_option(label="Other (no speakers)")
    add.get_by_label("Title (English)").fill("Coffee break")
    add.get_by_label("Title (Spanish)").fill("Pausa para el café")
    add.get_by_label("Title (French)").fill("Pause café")
    add.get_by_label("Title (Portuguese)").fill("Intervalo para café")
    add.get_by_label("Planned time (minutes)").fill("15")
    add.get_by_role("button", name="Add the item").click()

    expect(page.get_by_role("status").filter(has_text="The item is added")).to_be_visible()
    assert headings(page) == [*before, "Coffee break"]

    page.get_by_role("button", name="Up Coffee break").click()
    expect(page.get_by_text("Moved to position 5.")).to_be_visible()
    assert headings(page) == [*before[:-1], "Coffee break", "Closing remarks"]

    page.reload()
    assert headings(page) == [*before[:-1], "Coffee break", "Closing remarks"]
    item = page.locator(".agenda-items > li", has_text="Coffee break")
    expect(item).to_contain_text("15 minutes planned")
    assert page_errors == []


def test_a_remarks_item_gets_a_speaker_online(agenda_site, page, page_errors):
    sign_in(page, agenda_site.url, PATH)
    opening = page.locator(".agenda-items > li", has_text="Opening remarks")
    opening.get_by_text("Add a speaker").click()
    opening.get_by_label("Speaker (English)").last.fill("OAS Secretary for Access to Rights")
    opening.get_by_label("Speaker's name").last.fill("Mauricio Rands")
    opening.get_by_label("Attendance").last.select_option(label="Online")
    opening.get_by_role("button", name="Add the speaker").click()

    opening = page.locator(".agenda-items > li", has_text="Opening remarks")
    speaker = opening.locator("li", has_text="Mauricio Rands")
    expect(speaker).to_contain_text("OAS Secretary for Access to Rights, Mauricio Rands")
    expect(speaker).to_contain_text("Online")
    assert page_errors == []


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_agenda_page_has_no_wcag_violation(agenda_site, audit_page, language):
    audit_page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": agenda_site.url}]
    )
    sign_in(audit_page, agenda_site.url, PATH)
    found = {PATH: audit(audit_page, agenda_site.url + PATH)}
    audit_page.locator(".agenda-items details").first.locator("summary").click()
    found[f"{PATH} (an item's form open)"] = violations(audit_page)
    assert_clean(found)
