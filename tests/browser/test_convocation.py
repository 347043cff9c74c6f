"""The convocation in a real browser: a delegation opens its floor link on a phone before the
meeting, confirms that it attends with two representatives (a row added, the head marked), and
the secretariat's list of participants shows them."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from meetings.models import ConfirmedAttendance, Email, EmailKind, Meeting, MeetingStatus
from meetings.roles import SECRETARIAT
from meetings.services import convocation
from meetings.services.links import link_path
from tests.browser.conftest import PASSWORD, sign_in
from tests.browser.test_accessibility import assert_clean, audit, violations
from tests.factories import make_user

pytestmark = pytest.mark.browser
SLUG = "migration-governance-2022"


@pytest.fixture
def upcoming(directory_site):
    """The seeded meeting moved a year ahead: delegations may still answer."""
    next_year = dt.date.today().year + 1
    Meeting.objects.filter(slug=SLUG).update(
        date=dt.date(next_year, 5, 17), status=MeetingStatus.SCHEDULED
    )
    make_user(SECRETARIAT, username="secretary", password=PASSWORD)
    return directory_site, Meeting.objects.get(slug=SLUG)


def test_a_delegation_confirms_on_a_phone_and_the_list_of_participants_shows_it(
    upcoming, page, page_errors
):
    server, meeting = upcoming
    mexico = meeting.delegations.get(code="MX")
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{server.url}{link_path(mexico)}")

    section = page.locator("#confirmation")
    expect(section.get_by_role("heading", name="Your delegation at the meeting")).to_be_visible()
    section.get_by_label("In the room").check()
    section.locator("input[name='rep-0-name']").fill("Ana Ruiz")
    section.locator("input[name='rep-0-title']").fill("Permanent Representative")
    section.get_by_role("button", name="Add a representative").click()
    second = section.locator("input[name='rep-1-name']")
    expect(second).to_be_visible()
    expect(section.locator("input[name='rep-0-name']")).to_have_value("Ana Ruiz")  # kept
    second.fill("Luis Soto")
    section.locator("input[name='rep-1-title']").fill("Alternate Representative")
    section.locator("input[name='rep-1-email']").fill("luis.soto@example.org")
    section.locator("#confirm-head-0").check()
    section.get_by_role("button", name="Save the answer").click()

    expect(page.locator("#confirmation .alert-success")).to_have_text(
        "Thank you: your answer is saved."
    )
    # Nothing wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    mexico.refresh_from_db()
    assert mexico.confirmed_attendance == ConfirmedAttendance.IN_ROOM
    assert list(mexico.representatives.values_list("name", "is_head")) == [
        ("Ana Ruiz", True),
        ("Luis Soto", False),
    ]

    # The secretariat reads it in the list of participants, linked from the Delegations page.
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, server.url, f"/meetings/{SLUG}/delegations/")
    page.get_by_role("link", name="List of participants").click()
    row = page.locator(f"#participant-{mexico.pk}")
    expect(row).to_contain_text("In the room")
    expect(row).to_contain_text("Ana Ruiz, Permanent Representative")
    expect(row).to_contain_text("Head of delegation")
    expect(row).to_contain_text("Luis Soto, Alternate Representative")
    assert page_errors == []


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_confirmation_and_the_list_of_participants_have_no_wcag_violation(
    upcoming, audit_page, language
):
    server, meeting = upcoming
    mexico = meeting.delegations.get(code="MX")
    convocation.confirm(
        mexico,
        "online",
        [{"name": "Ana Ruiz", "title": "Ambassador", "email": "", "is_head": True}],
        dt.datetime.now(dt.UTC),
    )
    page = audit_page
    page.context.add_cookies([{"name": "django_language", "value": language, "url": server.url}])
    found = {}
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        found[f"floor page at {width}"] = audit(page, f"{server.url}{link_path(mexico)}")
    # A refused answer: the errors beside the fields.
    page.locator("input[name='rep-0-email']").fill("not an address")
    page.locator("#confirm-button").click()
    expect(page.locator("#confirmation .invalid-feedback")).to_be_visible()
    found["refused answer"] = violations(page)
    sign_in(page, server.url, f"/meetings/{SLUG}/participants/")
    found["list of participants"] = violations(page)
    found["convocation preview"] = audit(page, f"{server.url}/meetings/{SLUG}/delegations/convene/")
    assert_clean(found)


def test_the_secretariat_reads_the_convocation_and_sends_it(upcoming, page, page_errors):
    server, meeting = upcoming
    mexico = meeting.delegations.get(code="MX")
    mexico.state.addresses = "mission.mx@example.org"
    mexico.state.save()
    sign_in(page, server.url, f"/meetings/{SLUG}/delegations/")

    page.get_by_role("link", name="Send the convocation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Send the convocation")
    expect(page.locator(".convene-recipients")).to_contain_text("mission.mx@example.org")
    preview = page.locator("#version-es pre.email-preview")  # Mexico reads Spanish
    expect(preview).to_contain_text(link_path(mexico))
    page.get_by_role("button", name="Send the convocation to 1 delegation").click()

    expect(page.locator(".messages")).to_contain_text("The convocation is queued: 1 email.")
    expect(page.locator(".sending-progress")).to_be_visible()
    [email] = Email.objects.filter(kind=EmailKind.CONVOCATION)
    assert (email.to, email.language) == ("mission.mx@example.org", "es")
    assert page_errors == []
