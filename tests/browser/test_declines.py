"""A panelist declines, in the portal, with a confirmation and a reason; the secretariat names
a substitute for the seat; the console and the projector never name who declined
(SECURITY.md says how a decline leaves the live order)."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from meetings.models import PanelistStatus, Turn
from meetings.roles import SECRETARIAT
from meetings.services.links import link_path
from meetings.services.panel import respond_to_invitation, set_speaking_order
from tests.browser.conftest import PASSWORD, sign_in
from tests.factories import (
    LOCMEM_MAILERS,
    before_the_session,
    make_mechanism,
    make_meeting,
    make_panelist,
    make_user,
)
from tests.worker import run_worker

pytestmark = pytest.mark.browser


@pytest.fixture
def panel_site(live_server, transactional_db, settings):
    settings.MAILERS = LOCMEM_MAILERS
    make_user(SECRETARIAT, username="secretary", password=PASSWORD)
    meeting = make_meeting(slug="declines")
    luis = make_panelist(meeting, make_mechanism(slug="csm", acronym_en="CSM"), name="Luis Gómez")
    ana = make_panelist(meeting, make_mechanism(slug="rcm", acronym_en="RCM"), name="Ana Pérez")
    rosa = make_panelist(meeting, make_mechanism(slug="gcm", acronym_en="GCM"), name="Rosa Díaz")
    for round_ in meeting.rounds.all():  # Luis opens both rounds
        set_speaking_order(round_, [luis.pk, ana.pk, rosa.pk], by=None)
    return live_server, before_the_session(meeting), luis


def test_the_portal_asks_before_a_decline_and_keeps_the_reason(panel_site, page, page_errors):
    server, _meeting, luis = panel_site
    page.goto(f"{server.url}{link_path(luis)}")

    page.get_by_role("button", name="Decline").click()
    expect(page.get_by_role("heading", name="Decline to take part")).to_be_visible()
    luis.refresh_from_db()
    assert luis.status == PanelistStatus.INVITED  # one click records nothing

    page.get_by_role("link", name="No, go back").click()
    expect(page.get_by_role("button", name="Confirm participation")).to_be_visible()
    page.get_by_role("button", name="Decline").click()
    page.get_by_label("Reason (optional)").fill("I chair another meeting that day.")
    page.get_by_role("button", name="Yes, decline").click()

    expect(page.locator(".messages")).to_have_text(
        "Your answer is recorded: you will not take part."
    )
    expect(page.get_by_role("button", name="Decline")).to_have_attribute("aria-pressed", "true")
    luis.refresh_from_db()
    assert (luis.status, luis.decline_reason) == (
        PanelistStatus.DECLINED,
        "I chair another meeting that day.",
    )
    assert page_errors == []


def test_a_substitute_takes_the_seat_and_no_screen_names_who_declined(
    panel_site, page, page_errors, browser
):
    server, meeting, luis = panel_site
    respond_to_invitation(luis, PanelistStatus.DECLINED, reason="Travelling.")
    sign_in(page, server.url, f"/meetings/{meeting.slug}/panel/")
    card = page.locator(f"#panelist-{luis.pk}")
    expect(card).to_contain_text("Travelling.")
    expect(card.get_by_role("link", name="Invite")).to_have_count(0)

    card.get_by_role("link", name="Name a substitute for Luis Gómez").click()
    page.get_by_label("Name").fill("Eva Ruiz")
    page.get_by_label("Email").fill("eva@example.org")
    page.get_by_role("button", name="Name the substitute").click()
    expect(page.locator(".messages")).to_contain_text(
        "Eva Ruiz takes the places of Luis Gómez in every round."
    )
    eva = meeting.panelists.get(name="Eva Ruiz")
    expect(page.locator(f"#panelist-{eva.pk}")).to_contain_text("Substitute for Luis Gómez")
    run_worker()
    assert [message.to for message in mail.outbox] == [["eva@example.org"]]
    assert list(
        Turn.objects.filter(panelist=eva).order_by("round__number").values_list("position")
    ) == [(1,), (1,)]

    display = browser.new_page()
    display.goto(f"{server.url}/meetings/{meeting.slug}/display/")
    root = display.locator("main.display")
    expect(root).to_have_attribute("data-connection", "online")
    expect(root.locator(".display-next")).to_contain_text("Eva Ruiz")

    page.goto(f"{server.url}/meetings/{meeting.slug}/console/")
    panels = page.locator("#console-panels")
    expect(panels).to_contain_text("Start gives the floor to Eva Ruiz (CSM), round 1.")
    page.get_by_role("button", name="Start", exact=True).click()
    expect(root).to_have_attribute("data-state", "running")
    expect(root.locator(".display-name")).to_have_text("Eva Ruiz")
    expect(root.locator(".display-next")).to_contain_text("Ana Pérez")

    # Leave out asks first: dismissed, nothing happens; accepted, Rosa is left out.
    expect(page.get_by_role("button", name="Pause", exact=True)).to_be_enabled()
    version = panels.get_attribute("data-version")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Leave out Rosa Díaz").first.click()
    page.wait_for_timeout(500)
    expect(panels).to_have_attribute("data-version", version)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Leave out Rosa Díaz").first.click()
    expect(panels).not_to_have_attribute("data-version", version)
    page.get_by_role("button", name="Next speaker", exact=True).click()
    expect(root.locator(".display-name")).to_have_text("Ana Pérez")

    # End round asks first too (htmx reads a confirmation from the element that sends).
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="End round").first.click()
    page.wait_for_timeout(500)
    expect(page.locator(".console-round").first).not_to_contain_text("Over")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="End round").first.click()
    expect(page.locator(".console-round").first).to_contain_text("Over")

    for text in (panels.inner_text(), root.inner_text()):
        assert "Luis Gómez" not in text
    assert page_errors == []
    display.close()
