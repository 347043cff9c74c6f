"""The admin shows a text's four languages as tabs, under the site's content security policy."""

import pytest
from playwright.sync_api import expect

from meetings.models import Meeting
from tests.browser.conftest import sign_in
from tests.factories import make_user

pytestmark = pytest.mark.browser


def test_a_mechanisms_languages_are_tabs_and_each_tab_shows_its_column(
    directory_site, page, page_errors
):
    make_user(username="staffer", is_staff=True, is_superuser=True)
    sign_in(page, directory_site.url, "/admin/mechanisms/mechanism/", username="staffer")
    page.get_by_role("link", name="CSM", exact=True).click()
    page.wait_for_load_state("load")

    name_tabs = page.locator(".ui-tabs").filter(has=page.locator("#id_name_en"))
    expect(name_tabs.get_by_role("tab")).to_have_text(["en", "es", "fr", "pt"])
    expect(page.locator("#id_name_en")).to_be_visible()
    expect(page.locator("#id_name_es")).to_be_hidden()
    name_tabs.get_by_role("tab", name="es").click()
    expect(page.locator("#id_name_es")).to_be_visible()
    expect(page.locator("#id_name_es")).to_have_value("Conferencia Suramericana sobre Migraciones")
    expect(page.locator("#id_name_en")).to_be_hidden()

    name_tabs.get_by_role("tab", name="es").press("ArrowRight")  # the keyboard, as a tablist
    expect(page.locator("#id_name_fr")).to_be_visible()
    page.get_by_label("Language").select_option("pt")  # every text at once
    expect(page.locator("#id_name_pt")).to_be_visible()
    expect(page.locator("#id_description_pt")).to_be_visible()
    assert page_errors == []


def test_a_meetings_texts_and_its_rounds_questions_are_tabs(directory_site, page, page_errors):
    meeting = Meeting.objects.get(slug="migration-governance-2022")
    make_user(username="staffer", is_staff=True, is_superuser=True)
    sign_in(page, directory_site.url, "/admin/", username="staffer")
    page.goto(f"{directory_site.url}/admin/meetings/meeting/{meeting.pk}/change/")
    page.wait_for_load_state("load")

    for column in ("title_en", "venue_en", "chair_en", "rounds-0-question_en"):
        tabs = page.locator(".ui-tabs").filter(has=page.locator(f"#id_{column}"))
        expect(tabs.get_by_role("tab")).to_have_text(["en", "es", "fr", "pt"])
    question = page.locator(".ui-tabs").filter(has=page.locator("#id_rounds-0-question_en"))
    question.get_by_role("tab", name="fr").click()
    expect(page.locator("#id_rounds-0-question_fr")).to_be_visible()
    expect(page.locator("#id_rounds-0-question_en")).to_be_hidden()
    assert page_errors == []
