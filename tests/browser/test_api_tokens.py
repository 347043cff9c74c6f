"""The AV desk's token: created on the secretariat's page, shown once, and a POST with it
moves the console open in the browser (the console follows live.json on its own)."""

import pytest
from playwright.sync_api import expect

from meetings.roles import SECRETARIAT
from tests.browser.conftest import PASSWORD, sign_in
from tests.factories import before_the_session, make_meeting, make_panelist, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def desk_site(live_server, transactional_db):
    make_user(SECRETARIAT, username="secretary", password=PASSWORD)
    meeting = make_meeting(slug="desk-session")
    make_panelist(meeting, name="Ana Pérez")
    make_panelist(meeting, name="Luis Gómez")
    return live_server, before_the_session(meeting)


def press(device, server, token: str, action: str) -> int:
    """One Stream Deck button: a real HTTP POST to the live server, from a client of its own
    (no cookie of the signed-in browser)."""
    response = device.request.post(
        f"{server.url}/api/meetings/desk-session/actions/{action}/",
        headers={"Authorization": f"Bearer {token}"},
    )
    return response.status


def test_a_token_made_on_the_page_drives_the_console(desk_site, page, page_errors, browser):
    server, meeting = desk_site
    sign_in(page, server.url, f"/meetings/{meeting.slug}/api/")

    page.locator("#id_name").fill("Stream Deck, AV desk")
    page.get_by_role("button", name="Create the token").click()
    token = page.locator("#new-token").text_content().strip()
    assert len(token) == 43
    expect(page.locator(".curl-examples")).to_contain_text(f"Bearer {token}")
    page.goto(f"{server.url}/meetings/{meeting.slug}/api/")
    expect(page.locator(".api-token")).to_contain_text("Stream Deck, AV desk")
    expect(page.locator("#new-token")).to_have_count(0)
    assert token not in page.content()

    device = browser.new_context()
    page.goto(f"{server.url}/meetings/{meeting.slug}/console/")
    panels = page.locator("#console-panels")
    expect(panels).to_have_attribute("data-version", "0")
    assert press(device, server, token, "start") == 200

    expect(panels).to_have_attribute("data-version", "1", timeout=5000)
    expect(page.locator(".current-speaker")).to_contain_text("Ana Pérez")
    assert press(device, server, token, "next") == 200
    expect(page.locator(".current-speaker")).to_contain_text("Luis Gómez", timeout=5000)
    assert page_errors == []
    device.close()
