"""The roll call in a real browser: three delegations marked present (one online) in place,
still so after a reload; an observer added; the page passes axe in English and Spanish."""

import pytest
from playwright.sync_api import expect

from meetings.models import Attendance, Delegation
from meetings.roles import SECRETARIAT
from tests.browser.conftest import PASSWORD, sign_in
from tests.browser.test_accessibility import assert_clean, audit, violations
from tests.factories import make_user

pytestmark = pytest.mark.browser

SLUG = "migration-governance-2022"
PATH = f"/meetings/{SLUG}/delegations/"


@pytest.fixture
def delegations_site(directory_site):
    make_user(SECRETARIAT, username="secretary", password=PASSWORD)
    return directory_site


def attendance(page, name: str):
    return page.get_by_role("group", name=f"Attendance of {name}")


def test_three_delegations_are_marked_present_one_online(delegations_site, page, page_errors):
    sign_in(page, delegations_site.url, PATH)
    page.evaluate("window.stayedOnPage = true")  # gone if the page reloads
    total = Delegation.objects.filter(meeting__slug=SLUG).count()
    expect(page.locator("#roll-call-count")).to_have_text(f"0 of {total} present (0 online)")

    marks = [
        ("Delegation of Mexico", "In the room"),
        ("Delegation of Canada", "In the room"),
        ("Delegation of Brazil", "Online"),
    ]
    for name, choice in marks:
        attendance(page, name).get_by_role("button", name=choice).click()
        expect(attendance(page, name).get_by_role("button", name=choice)).to_have_attribute(
            "aria-pressed", "true"
        )
    expect(page.locator("#roll-call-count")).to_have_text(f"3 of {total} present (1 online)")
    assert page.evaluate("window.stayedOnPage") is True  # saved in place, no reload

    page.reload()
    for name, choice in marks:
        expect(attendance(page, name).get_by_role("button", name=choice)).to_have_attribute(
            "aria-pressed", "true"
        )
        expect(attendance(page, name).get_by_role("button", name="Not present")).to_have_attribute(
            "aria-pressed", "false"
        )
    expect(page.locator("#roll-call-count")).to_have_text(f"3 of {total} present (1 online)")
    by_code = dict(
        Delegation.objects.filter(meeting__slug=SLUG, code__in=["MX", "CA", "BR"]).values_list(
            "code", "attendance"
        )
    )
    assert by_code == {"MX": Attendance.IN_ROOM, "CA": Attendance.IN_ROOM, "BR": Attendance.ONLINE}
    assert page_errors == []


def test_an_observer_is_added_with_its_floor_link(delegations_site, page, page_errors):
    sign_in(page, delegations_site.url, PATH)
    form = page.locator("#add-delegation")
    form.get_by_label("Kind").select_option(label="Permanent observer")
    form.get_by_label("Code").fill("es")
    form.get_by_label("Name (English)").fill("Spain")
    form.get_by_label("Name (Spanish)").fill("España")
    form.get_by_role("button", name="Add the delegation").click()

    row = page.locator(".delegation", has_text="Delegation of Spain")
    expect(row).to_contain_text("ES")
    expect(row.locator("code")).to_contain_text("/floor/")
    assert page_errors == []


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_delegations_page_has_no_wcag_violation(delegations_site, audit_page, language):
    audit_page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": delegations_site.url}]
    )
    sign_in(audit_page, delegations_site.url, PATH)
    found = {PATH: audit(audit_page, delegations_site.url + PATH)}
    audit_page.locator(".attendance button").nth(1).click()  # a row swapped in place
    audit_page.wait_for_selector(".attendance button[aria-pressed=true]:nth-child(3)")
    found[f"{PATH} (after a mark)"] = violations(audit_page)
    assert_clean(found)


def test_the_roll_call_works_without_javascript(delegations_site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, delegations_site.url, PATH)
    attendance(page, "Delegation of Mexico").get_by_role("button", name="Online").click()
    page.wait_for_load_state("load")
    expect(
        attendance(page, "Delegation of Mexico").get_by_role("button", name="Online")
    ).to_have_attribute("aria-pressed", "true")
    assert Delegation.objects.get(meeting__slug=SLUG, code="MX").attendance == Attendance.ONLINE
    context.close()
