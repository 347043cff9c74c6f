"""The seeded meeting's agenda on its public page, and the join link of a hybrid meeting:
asked for by the meeting form, given on the panelist's portal, never on the public page."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from meetings.models import Meeting
from meetings.roles import SECRETARIAT
from meetings.services.links import link_path
from tests.browser.conftest import PASSWORD, sign_in
from tests.browser.test_accessibility import WCAG
from tests.factories import make_user

pytestmark = pytest.mark.browser
SLUG = "migration-governance-2022"
LINK = "https://meet.example.org/cam-2022"


def test_the_public_page_lists_the_whole_agenda_with_its_times(directory_site, page, page_errors):
    page.goto(f"{directory_site.url}/meetings/{SLUG}/")
    agenda = page.locator("#run-of-show")
    expect(agenda.get_by_role("heading", name="Agenda")).to_be_visible()
    items = agenda.locator("tr.agenda-item")
    expect(items).to_have_count(5)
    expected = [
        r"^10:00\s*Opening remarks\s*5 minutes$",
        r"^10:05\s*Round 1: Challenges and good practices",
        r"^10:57\s*Round 2: Opportunities for coordination and cooperation",
        r"^11:49\s*Dialogue with delegations \(3 minutes per intervention\)\s*30 minutes$",
        r"^12:19\s*Closing remarks\s*5 minutes$",
    ]
    for row, pattern in zip(items.all(), expected, strict=True):
        expect(row).to_have_text(re.compile(pattern))
    expect(agenda).to_contain_text(re.compile(r"12:24\s*End \(scheduled end 13:00\)"))
    expect(agenda).to_contain_text("Chair of the Committee on Migration Issues (CAM)")
    assert page_errors == []


def test_the_meeting_form_asks_for_the_join_link_which_the_portal_then_gives(
    directory_site, page, page_errors, browser
):
    make_user(SECRETARIAT, username="secretary", password=PASSWORD)
    url = directory_site.url
    sign_in(page, url, f"/meetings/{SLUG}/edit/")
    # The seeded meeting is hybrid: saved without its join link, it is refused with a message.
    page.locator("main form button[type=submit]").first.click()
    summary = page.locator("#form-errors")
    expect(summary).to_contain_text("needs the link to join it online")
    summary.get_by_role("link", name="Virtual meeting link").click()
    link_field = page.locator("#id_virtual_link")
    expect(link_field).to_be_focused()
    expect(link_field).to_have_attribute("aria-invalid", "true")
    link_field.fill(LINK)
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("#form-errors")).to_have_count(0)
    assert Meeting.objects.get(slug=SLUG).virtual_link == LINK

    # The public never sees it; the panelist's portal gives it, and says so for one online.
    public = browser.new_page()
    public.goto(f"{url}/meetings/{SLUG}/")
    expect(public.get_by_text("receive the link to join online")).to_be_visible()
    expect(public.locator(f'a[href="{LINK}"]')).to_have_count(0)
    panelist = Meeting.objects.get(slug=SLUG).panelists.first()
    panelist.attendance = "online"
    panelist.save()
    public.goto(url + link_path(panelist))
    join = public.locator(".join-link")
    expect(join).to_contain_text("You take part online.")
    expect(join.get_by_role("link", name="Join online")).to_have_attribute("href", LINK)
    public.close()
    assert page_errors == []


def test_the_agenda_and_the_join_link_pass_the_accessibility_audit(directory_site, browser):
    meeting = Meeting.objects.get(slug=SLUG)
    Meeting.objects.filter(pk=meeting.pk).update(virtual_link=LINK)
    panelist = meeting.panelists.first()
    panelist.attendance = "online"
    panelist.save()
    context = browser.new_context(bypass_csp=True)  # axe-core is injected as a script
    page = context.new_page()
    found = {}
    for path in (f"/meetings/{SLUG}/", link_path(panelist)):
        page.goto(directory_site.url + path)
        page.wait_for_load_state("load")
        found[path] = Axe().run(page, options=WCAG).response["violations"]
    context.close()
    assert {path: [rule["id"] for rule in rules] for path, rules in found.items()} == {
        f"/meetings/{SLUG}/": [],
        link_path(panelist): [],
    }
