import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from meetings.models import EmailKind
from meetings.roles import SECRETARIAT
from meetings.services import invitations
from meetings.services.panel import speaking_order
from tests.browser.conftest import PASSWORD, sign_in
from tests.factories import make_mechanism, make_meeting, make_panelist, make_user
from tests.worker import run_worker

pytestmark = pytest.mark.browser


@pytest.fixture
def panel_site(live_server, transactional_db):
    make_user(SECRETARIAT, username="secretary", password=PASSWORD)
    meeting = make_meeting(slug="labour-migration")
    rcm = make_mechanism(slug="rcm", acronym_en="RCM", name_en="Regional Conference on Migration")
    make_panelist(meeting, rcm, name="Ana Pérez")
    make_panelist(meeting, make_mechanism(slug="csm", acronym_en="CSM"), name="Luis Gómez")
    return live_server, meeting


def test_secretariat_adds_edits_and_removes_panelists_inline(panel_site, page, page_errors):
    server, meeting = panel_site
    sign_in(page, server.url, f"/meetings/{meeting.slug}/panel/")
    page.evaluate("window.stayedOnPage = true")  # gone if the page reloads

    page.get_by_role("button", name="Add a panelist for RCM").click()
    form = page.get_by_role("form", name="New panelist")
    form.get_by_label("Name").fill("María Ruiz")
    form.get_by_label("Email").fill("maria@example.org")
    form.get_by_role("button", name="Save").click()
    expect(page.locator(".panelist-card h3", has_text="María Ruiz")).to_be_visible()

    page.get_by_role("button", name="Edit María Ruiz").click()
    page.get_by_role("form", name="Edit María Ruiz").get_by_label("Email").fill("not an email")
    page.get_by_role("form", name="Edit María Ruiz").get_by_role("button", name="Save").click()
    expect(page.get_by_text("Enter a valid email address.")).to_be_visible()
    edit = page.get_by_role("form", name="Edit María Ruiz")
    edit.get_by_label("Email").fill("maria.ruiz@example.org")
    edit.get_by_label("Status").select_option("confirmed")
    edit.get_by_role("button", name="Save").click()
    card = page.locator(".panelist-card", has_text="María Ruiz")
    expect(card).to_contain_text("maria.ruiz@example.org")
    expect(card).to_contain_text("Confirmed")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Remove Luis Gómez").click()
    expect(page.locator(".panelist-card", has_text="Luis Gómez")).to_have_count(0)
    assert page.evaluate("window.stayedOnPage") is True
    assert meeting.panelists.count() == 2
    assert page_errors == []


def test_the_run_of_show_follows_an_inline_edit_without_a_reload(panel_site, page, page_errors):
    """Renaming a panelist, declining them and adding one change the run of show."""
    server, meeting = panel_site
    sign_in(page, server.url, f"/meetings/{meeting.slug}/panel/")
    page.evaluate("window.stayedOnPage = true")  # gone if the page reloads
    run_of_show = page.locator("#run-of-show")
    expect(run_of_show).to_contain_text("Luis Gómez")

    page.get_by_role("button", name="Edit Luis Gómez").click()
    edit = page.get_by_role("form", name="Edit Luis Gómez")
    edit.get_by_label("Name").fill("Luis Alberto Gómez")
    edit.get_by_role("button", name="Save").click()
    expect(run_of_show).to_contain_text("Luis Alberto Gómez")

    page.get_by_role("button", name="Edit Luis Alberto Gómez").click()
    edit = page.get_by_role("form", name="Edit Luis Alberto Gómez")
    edit.get_by_label("Status").select_option("declined")
    edit.get_by_role("button", name="Save").click()
    expect(run_of_show).not_to_contain_text("Luis Alberto Gómez")

    page.get_by_role("button", name="Add a panelist for RCM").click()
    form = page.get_by_role("form", name="New panelist")
    form.get_by_label("Name").fill("María Ruiz")
    form.get_by_role("button", name="Save").click()
    expect(run_of_show).to_contain_text("María Ruiz")
    assert page.evaluate("window.stayedOnPage") is True
    assert page_errors == []


def test_speaking_order_with_the_keyboard_drag_and_round_two_shortcuts(
    panel_site, page, page_errors
):
    server, meeting = panel_site
    sign_in(page, server.url, f"/meetings/{meeting.slug}/order/")
    round_one = page.locator("#round-1")
    names = round_one.locator("li .flex-grow-1")
    expect(names).to_have_text([re.compile("Ana Pérez"), re.compile("Luis Gómez")])

    round_one.get_by_role("button", name="Down Ana Pérez").focus()
    page.keyboard.press("Enter")
    expect(names).to_have_text([re.compile("Luis Gómez"), re.compile("Ana Pérez")])
    expect(round_one.get_by_role("button", name="Up Ana Pérez")).to_be_focused()
    expect(page.locator("#run-of-show tbody tr").nth(2)).to_contain_text("Luis Gómez")

    page.locator("#round-2").get_by_role("button", name="Reverse of round 1").click()
    expect(page.locator("#round-2 li .flex-grow-1")).to_have_text(
        [re.compile("Ana Pérez"), re.compile("Luis Gómez")]
    )

    # The drop saves in the background; reload only once the server has answered.
    with page.expect_response(lambda response: "/order/1/set/" in response.url) as saved:
        round_one.locator("li", has_text="Ana Pérez").drag_to(
            round_one.locator("li", has_text="Luis Gómez")
        )
    assert saved.value.ok
    expect(names).to_have_text([re.compile("Ana Pérez"), re.compile("Luis Gómez")])
    page.reload()
    expect(page.locator("#round-1 li .flex-grow-1")).to_have_text(
        [re.compile("Ana Pérez"), re.compile("Luis Gómez")]
    )
    order = [turn.panelist.name for turn in speaking_order(meeting.rounds.get(number=1))]
    assert order == ["Ana Pérez", "Luis Gómez"]
    assert page_errors == []


def test_invite_everyone_double_clicked_sends_each_invitation_once(panel_site, page, page_errors):
    server, meeting = panel_site
    meeting.panelists.update(email="panelist@example.org")
    sign_in(page, server.url, f"/meetings/{meeting.slug}/panel/invite/")
    page.get_by_role("button", name="Send 2 invitations").dblclick()
    page.wait_for_url(re.compile(rf"/meetings/{meeting.slug}/panel/\?sending="))
    expect(page.get_by_text("Invitations queued:").first).to_be_visible()
    run_worker()
    expect(page.locator(".sending-progress")).to_contain_text("2 of 2 sent")
    assert len(mail.outbox) == 2
    assert meeting.panelists.filter(invited_at__isnull=True).count() == 0
    assert page_errors == []


def test_the_secretariat_reads_each_languages_email_before_sending(panel_site, page, page_errors):
    """Invite everyone shows one email per language, a tab each; one panelist's
    preview reads the other versions, and the email still goes out in theirs."""
    server, meeting = panel_site
    meeting.panelists.filter(name="Ana Pérez").update(
        email="ana@example.org", preferred_language="es"
    )
    meeting.panelists.filter(name="Luis Gómez").update(
        email="luis@example.org", preferred_language="fr"
    )
    sign_in(page, server.url, f"/meetings/{meeting.slug}/panel/invite/")
    french_tab = page.get_by_role("tab", name="French (1)")
    spanish_tab = page.get_by_role("tab", name="Spanish (1)")
    expect(spanish_tab).to_have_attribute("aria-selected", "true")
    spanish = page.get_by_role("tabpanel", name="Spanish (1)")
    expect(spanish).to_contain_text("Spanish — 1 panelist: Ana Pérez")
    expect(spanish.locator("pre.email-preview")).to_contain_text("Estimado/a Ana Pérez:")
    expect(page.get_by_text("Cher/Chère Luis Gómez,")).to_be_hidden()

    french_tab.click()
    expect(french_tab).to_have_attribute("aria-selected", "true")
    expect(spanish_tab).to_have_attribute("aria-selected", "false")
    french = page.get_by_role("tabpanel", name="French (1)")
    expect(french.locator("pre.email-preview")).to_be_visible()
    expect(french.locator("pre.email-preview")).to_contain_text("Cher/Chère Luis Gómez,")
    expect(french).to_contain_text("meeting.ics")
    expect(spanish).to_be_hidden()
    run_worker()
    assert mail.outbox == []

    ana = meeting.panelists.get(name="Ana Pérez")
    page.goto(f"{server.url}/meetings/{meeting.slug}/panel/{ana.pk}/email/invitation/")
    preview = page.locator("pre.email-preview")
    expect(preview).to_contain_text("Estimado/a Ana Pérez:")
    page.get_by_role("link", name="Portuguese").click()
    expect(preview).to_contain_text("Prezado(a) Ana Pérez,")
    expect(page.get_by_role("status")).to_contain_text("panelist's language: Spanish")
    page.get_by_role("button", name="Send to ana@example.org").click()
    page.wait_for_url(re.compile(rf"/meetings/{meeting.slug}/panel/#panelist-{ana.pk}$"))
    run_worker()
    [message] = mail.outbox
    assert message.subject.startswith("Invitación") and "Estimado/a Ana Pérez:" in message.body


def test_a_new_order_after_the_invitations_offers_to_send_the_updated_slot(
    panel_site, page, page_errors
):
    """Moving a speaker after the invitations went out says who is affected, and
    one click sends them their new slot."""
    server, meeting = panel_site
    meeting.panelists.update(email="panelist@example.org")
    for panelist in meeting.panelists.all():
        invitations.send(panelist, EmailKind.INVITATION, by=None)
    run_worker()
    mail.outbox.clear()
    sign_in(page, server.url, f"/meetings/{meeting.slug}/order/")
    notice = page.locator("#slot-notice")
    expect(notice).to_be_empty()

    page.locator("#round-1").get_by_role("button", name="Down Ana Pérez").click()
    expect(notice).to_contain_text("The slots of 2 panelists changed after their last email")
    expect(notice.get_by_role("link")).to_have_text(["Ana Pérez", "Luis Gómez"])
    expect(notice).to_contain_text("Round 1: position 1 at 10:10, now position 2 at 10:17.")

    notice.get_by_role("button", name="Send the updated slot to 2 panelists").click()
    page.wait_for_url(f"**/meetings/{meeting.slug}/order/")
    expect(page.get_by_text("The updated slot is queued for 2 panelists.")).to_be_visible()
    expect(page.locator("#slot-notice")).to_be_empty()
    run_worker()
    assert sorted(message.subject.split(":")[0] for message in mail.outbox) == [
        "Updated slot",
        "Updated slot",
    ]
    assert page_errors == []
