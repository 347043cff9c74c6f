import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_search_as_you_type_narrows_the_directory(directory_site, page, page_errors):
    page.goto(f"{directory_site.url}/mechanisms/")
    cards = page.locator(".mechanism-card")
    expect(cards).to_have_count(9)

    page.get_by_label("Search").fill("refugee")

    expect(page.get_by_role("status")).to_have_text(re.compile(r"^\d mechanisms$"))
    expect(cards.filter(has_text="GCR")).to_have_count(1)
    expect(cards.filter(has_text="RCM")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/mechanisms/\?q=refugee"))
    assert page_errors == []


def test_filters_apply_without_a_reload(directory_site, page, page_errors):
    page.goto(f"{directory_site.url}/mechanisms/")
    page.evaluate("window.stayedOnPage = true")

    page.get_by_label("Status").select_option("not_in_operation")

    expect(page.locator(".mechanism-card")).to_have_count(1)
    expect(page.locator(".mechanism-card")).to_contain_text("CMC")
    assert page.evaluate("window.stayedOnPage") is True
    assert page_errors == []


def test_switching_to_spanish_translates_the_interface_and_the_content(
    directory_site, page, page_errors
):
    page.goto(f"{directory_site.url}/mechanisms/")

    page.get_by_role("button", name="Español").click()

    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Mecanismos y procesos migratorios de las Américas"
    )
    expect(page.locator(".mechanism-card").first).to_contain_text("CRM")
    expect(page.get_by_role("link", name="Mecanismos", exact=True)).to_be_visible()

    page.goto(f"{directory_site.url}/mechanisms/overlap/")  # the choice is remembered
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Membership overlap")
    assert page_errors == []


def test_the_skip_link_moves_focus_to_the_main_content(directory_site, page):
    page.goto(f"{directory_site.url}/mechanisms/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
