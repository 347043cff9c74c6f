"""The history of a summary in a browser: two versions compared, the words that changed
marked, the page clean for axe-core; and two texts of the maximum length compared (75,000
lines; the server's CPU is measured in tests/meetings/test_record_views.py; SECURITY.md,
finding 3)."""

import pytest
from playwright.sync_api import expect

from meetings.models import NOTES_MAX_LENGTH, Turn
from meetings.roles import SECRETARIAT
from meetings.services.revisions import save_text
from tests.browser.conftest import PASSWORD, sign_in
from tests.browser.test_accessibility import violations
from tests.factories import make_user
from tests.meetings.outputs.test_record import small_meeting, turn_of

pytestmark = pytest.mark.browser


@pytest.fixture
def history(live_server, transactional_db):
    clerk = make_user(SECRETARIAT, username="secretary", password=PASSWORD)
    turn = turn_of(small_meeting(clerk)["ana"], 1)
    version = turn.summary_version
    for text in ["The panel met on Monday.\nAll agreed.", "The panel met on Tuesday.\nAll agreed."]:
        save_text(turn, "summary", text, base_version=version, by=clerk)
        version += 1
    return f"/meetings/{turn.meeting.slug}/report/turns/{turn.pk}/history/", turn, clerk


def test_comparing_two_versions_marks_the_words_that_changed(
    live_server, page, page_errors, history
):
    path, _, _ = history
    sign_in(page, live_server.url, path)
    page.get_by_role("button", name="Compare").click()  # the newest two, chosen already
    expect(page.get_by_role("heading", name="Changes from")).to_be_visible()
    lines = page.locator(".diff p")
    expect(lines).to_have_count(3)
    expect(lines.nth(0)).to_have_class("diff-removed mb-0")
    expect(lines.nth(0).locator("del")).to_have_text("Monday")
    expect(lines.nth(1).locator("ins")).to_have_text("Tuesday")
    expect(lines.nth(2)).to_contain_text("All agreed.")
    assert page_errors == []


def test_the_comparison_page_is_clean_for_axe(live_server, browser, history):
    path, _, _ = history
    context = browser.new_context(bypass_csp=True)  # axe-core is injected as a script
    page = context.new_page()
    sign_in(page, live_server.url, path)
    page.get_by_role("button", name="Compare").click()
    expect(page.locator(".diff del")).to_have_text("Monday")
    assert violations(page) == []
    context.close()


def test_two_texts_of_the_maximum_length_are_compared_in_the_browser(live_server, page, history):
    path, turn, clerk = history
    version = Turn.objects.get(pk=turn.pk).summary_version
    for text in ["\n" * NOTES_MAX_LENGTH, "x\n" * (NOTES_MAX_LENGTH // 2)]:
        save_text(turn, "summary", text, base_version=version, by=clerk)
        version += 1
    sign_in(page, live_server.url, path)
    page.get_by_role("button", name="Compare").click()
    expect(page.locator(".diff p.diff-removed")).to_have_count(NOTES_MAX_LENGTH, timeout=30_000)
    expect(page.locator(".diff p.diff-added")).to_have_count(NOTES_MAX_LENGTH // 2)
