"""The AV desk's webhook: added on the secretariat's page (its secret shown once), a test
event sent from there, and the Start pressed on the console reach a real local receiver;
the page lists each delivery with its status, and follows one on its way."""

import pytest
from playwright.sync_api import expect

from meetings.roles import SECRETARIAT
from meetings.services import webhooks
from tests.browser.conftest import PASSWORD, sign_in
from tests.browser.test_accessibility import violations
from tests.factories import before_the_session, make_meeting, make_panelist, make_user
from tests.webhook_receiver import serving
from tests.worker import run_worker

pytestmark = pytest.mark.browser


@pytest.fixture
def receiver():
    yield from serving()


@pytest.fixture
def desk_site(live_server, transactional_db):
    make_user(SECRETARIAT, username="secretary", password=PASSWORD)
    meeting = make_meeting(slug="camera-session")
    make_panelist(meeting, name="Ana Pérez")
    return live_server, before_the_session(meeting)


def test_a_webhook_added_on_the_page_is_sent_a_test_and_each_turn(
    desk_site, receiver, page, page_errors
):
    server, meeting = desk_site
    sign_in(page, server.url, f"/meetings/{meeting.slug}/api/")
    expect(page.locator(".webhooks")).to_contain_text("No webhook yet")

    page.locator("#id_url").fill(receiver.url)
    page.get_by_role("button", name="Add the webhook").click()
    secret = page.locator("#new-webhook-secret").text_content().strip()
    assert secret.startswith("whsec_")
    expect(page.locator(".webhook")).to_contain_text(receiver.url)
    expect(page.locator(".webhook")).to_contain_text("Nothing sent yet")

    page.get_by_role("button", name="Send a test event").click()
    expect(page.locator(".alert-success")).to_contain_text("A test event is on its way")
    assert secret not in page.content()
    delivery = page.locator(".webhook-delivery").first
    expect(delivery).to_have_attribute("data-status", "queued")
    assert run_worker() == 1
    # the page follows the delivery on its way, without a reload
    expect(delivery).to_have_attribute("data-status", "delivered", timeout=5000)
    expect(delivery).to_contain_text("200")

    page.goto(f"{server.url}/meetings/{meeting.slug}/console/")
    page.get_by_role("button", name="Start", exact=True).click()
    expect(page.locator("#console-panels")).to_have_attribute("data-version", "1")
    assert run_worker() == 1
    page.goto(f"{server.url}/meetings/{meeting.slug}/api/")
    expect(page.locator(".webhook-delivery").first).to_contain_text("turn.started")
    expect(page.locator(".webhook-delivery").first).to_have_attribute("data-status", "delivered")

    assert [message.headers["X-Webhook-Event"] for message in receiver.received] == [
        "test",
        "turn.started",
    ]
    assert all(webhooks.verify(secret, m.headers, m.body) for m in receiver.received)
    assert violations(page) == []  # the page with its deliveries, as axe-core reads it
    assert page_errors == []
