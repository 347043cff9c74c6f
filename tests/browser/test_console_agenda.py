"""The chair runs the seeded meeting's agenda from the console in a real browser: the opening
remarks, Next item with its confirmation while speakers wait, and the dialogue (requests for
the floor from the delegations' pages, a point of order ahead of them, the floor given by name,
a delegation added by hand, the list of speakers closed); and the same confirmation without
JavaScript."""

import pytest
from playwright.sync_api import expect

from meetings.models import Attendance, Intervention, Meeting, RequestSource, TurnStatus
from meetings.roles import CHAIR
from meetings.services import floor
from tests.browser.conftest import PASSWORD, sign_in
from tests.browser.test_accessibility import violations
from tests.factories import make_user

pytestmark = pytest.mark.browser
SLUG = "migration-governance-2022"
CHAIR_OF_THE_CAM = "Chair of the Committee on Migration Issues (CAM)"


@pytest.fixture
def seeded(directory_site):
    make_user(CHAIR, username="chair", password=PASSWORD)
    return directory_site, Meeting.objects.get(slug=SLUG)


class Console:
    def __init__(self, page):
        self.page = page
        self.panels = page.locator("#console-panels")

    def version(self) -> int:
        return int(self.panels.get_attribute("data-version"))

    def press(self, name: str) -> None:
        """Click a button that acts, and wait until the console shows the state it made."""
        version = self.version()
        self.page.get_by_role("button", name=name, exact=True).click()
        expect(self.panels).to_have_attribute("data-version", str(version + 1))

    def item(self, position: int):
        return self.page.locator(f"#agenda-item-{position}")

    def status(self, position: int):
        return self.item(position).locator(".item-status")

    def current(self):
        return self.panels.locator(".current-speaker .h3")

    def queue(self):
        return self.item(4).locator(".floor-queue > li")

    def next_item_confirmed(self, waiting: str) -> None:
        """Next item asks first (nothing changes), then the confirmation moves on by one item."""
        version = self.version()
        self.page.get_by_role("button", name="Next item", exact=True).click()
        confirmation = self.page.get_by_role("alert").filter(has_text="Next item leaves them out")
        expect(confirmation).to_contain_text(waiting)
        expect(confirmation).to_be_focused()
        assert self.version() == version
        self.press("Leave them out and move on")
        expect(confirmation).to_have_count(0)


def test_the_chair_runs_the_agenda_from_the_opening_to_the_dialogue(seeded, page, page_errors):
    server, meeting = seeded
    console = Console(page)
    sign_in(page, server.url, f"/meetings/{SLUG}/console/", username="chair")
    expect(console.status(1)).to_have_text("Under way")
    expect(console.item(1)).to_have_attribute("aria-current", "step")
    expect(console.panels).to_contain_text(
        f"Start gives the floor to {CHAIR_OF_THE_CAM} (Opening remarks)."
    )

    # Opening remarks: Start, notes on the Chair's words, Next speaker.
    console.press("Start")
    expect(console.current()).to_have_text(CHAIR_OF_THE_CAM)
    expect(page.locator("#notes-heading")).to_have_text(
        f"Notes: {CHAIR_OF_THE_CAM} (Opening remarks)"
    )
    page.get_by_role("textbox", name="Notes").fill("Welcome; the CAM's work plan for 2022.")
    page.get_by_role("button", name="Save notes", exact=True).click()
    expect(page.locator("#notes-status")).to_contain_text("Saved at", timeout=4000)
    chair = Intervention.objects.get(meeting=meeting, item__position=1)
    chair.refresh_from_db()
    assert chair.notes == "Welcome; the CAM's work plan for 2022."
    console.press("Next speaker")
    expect(console.status(1)).to_have_text("Over")
    expect(console.status(2)).to_have_text("Under way")

    # Round 1 with its seven seats waiting: Next item asks; Cancel keeps the round.
    version = console.version()
    page.get_by_role("button", name="Next item", exact=True).click()
    confirmation = page.get_by_role("alert").filter(has_text="Next item leaves them out")
    expect(confirmation).to_contain_text("7 speakers are still waiting in “Round 1:")
    page.get_by_role("link", name="Cancel", exact=True).click()
    expect(confirmation).to_have_count(0)
    expect(console.status(2)).to_have_text("Under way")
    assert console.version() == version

    console.next_item_confirmed("7 speakers are still waiting in “Round 1:")
    expect(console.status(2)).to_have_text("Over")
    console.next_item_confirmed("7 speakers are still waiting in “Round 2:")
    expect(console.status(4)).to_have_text("Under way")
    expect(console.panels).to_contain_text(
        "Dialogue with delegations: nobody is waiting for the floor. Next item moves on."
    )

    # Two delegations ask from their pages; a point of order goes ahead of them, flagged.
    mexico, canada, brazil, chile = (
        meeting.delegations.get(code=code) for code in ("MX", "CA", "BR", "CL")
    )
    canada.attendance = Attendance.ONLINE
    canada.save()
    floor.request_floor(mexico)
    floor.request_floor(canada)
    expect(console.queue()).to_have_count(2)  # the console follows live.json by itself
    floor.request_floor(brazil, point_of_order=True)
    expect(console.queue()).to_have_count(3)
    expect(console.queue().nth(0)).to_contain_text("Delegation of Brazil")
    expect(console.queue().nth(0)).to_contain_text("Point of order")
    expect(console.queue().nth(1)).to_contain_text("Delegation of Mexico")
    expect(console.queue().nth(1)).not_to_contain_text("Point of order")
    expect(console.queue().nth(2)).to_contain_text("Delegation of Canada")
    expect(console.queue().nth(2)).to_contain_text("Online")

    # A flag raised in the room: the chair adds Chile, last.
    page.get_by_label("A flag raised in the room: add a delegation").select_option(
        label="Delegation of Chile"
    )
    console.press("Add to the list")
    expect(console.queue()).to_have_count(4)
    expect(console.queue().nth(3)).to_contain_text("Delegation of Chile")
    expect(console.queue().nth(3)).to_contain_text("Added by the chair")
    assert Intervention.objects.get(delegation=chile).source == RequestSource.CHAIR

    # The floor to Canada by name: it is current, online, and the notes pad follows it.
    console.press("Give the floor to Delegation of Canada")
    expect(console.current()).to_have_text("Delegation of Canada")
    expect(page.locator(".current-speaker .speaker-attendance")).to_have_text("Online")
    expect(page.locator("#notes-heading")).to_have_text(
        "Notes: Delegation of Canada (Dialogue with delegations)"
    )
    expect(console.queue()).to_have_count(3)
    console.press("Start")
    console.press("Next speaker")  # the point of order first
    expect(console.current()).to_have_text("Delegation of Brazil")
    given = console.item(4).locator(".interventions-given > li")
    expect(given.nth(0)).to_contain_text("Delegation of Canada")
    expect(given.nth(0)).to_contain_text("Finished")
    expect(given.nth(0)).to_contain_text(" of 3:00")

    # The list of speakers closed: the floor pages can no longer ask.
    console.press("Close the list of speakers")
    expect(console.item(4)).to_contain_text("The list of speakers is closed")
    expect(page.get_by_role("button", name="Reopen the list of speakers")).to_be_visible()
    with pytest.raises(floor.RequestRefused):
        floor.request_floor(meeting.delegations.get(code="PE"))

    # The console in the dialogue passes axe.
    assert violations(page) == []

    # Next item with Mexico and Chile still waiting: asked, then the closing remarks.
    console.next_item_confirmed("2 speakers are still waiting in “Dialogue with delegations”")
    expect(console.status(4)).to_have_text("Over")
    expect(console.status(5)).to_have_text("Under way")
    assert set(
        Intervention.objects.filter(delegation__in=[mexico, chile]).values_list("status", flat=True)
    ) == {TurnStatus.SKIPPED}
    assert page_errors == []


def test_next_item_is_confirmed_without_javascript(seeded, browser):
    server, meeting = seeded
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server.url}/accounts/login/?next=/meetings/{SLUG}/console/")
    page.locator("#id_username").fill("chair")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"**/meetings/{SLUG}/console/")

    page.get_by_role("button", name="Next item", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text(
        "One speaker is still waiting in “Opening remarks”"
    )
    assert meeting.agenda.get(position=1).closed_at is None
    page.get_by_role("button", name="Leave them out and move on", exact=True).click()
    expect(page.locator("#agenda-item-2 .item-status")).to_have_text("Under way")
    assert meeting.agenda.get(position=1).closed_at is not None
    context.close()
