"""A delegation answers the convocation on its floor page (attendance and representatives),
and the secretariat reads the list of participants."""

import pytest
from bs4 import BeautifulSoup

from meetings.models import (
    ConfirmedAttendance,
    DelegationKind,
    Email,
    EmailKind,
    MeetingStatus,
)
from meetings.roles import SECRETARIAT
from meetings.services import convocation
from meetings.services.links import link_path
from tests.factories import (
    make_delegation,
    make_meeting,
    make_panelist,
    make_state,
    make_user,
    whole_agenda,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    meeting = make_meeting(title_en="Migration governance")  # in 2030: not started
    whole_agenda(meeting)
    return meeting


@pytest.fixture
def mexico(meeting):
    return make_delegation(meeting, make_state(name_en="Mexico", name_es="México"))


def confirm_url(delegation) -> str:
    return f"{link_path(delegation)}confirm/"


def posted(action="save", attendance="in_room", rows=(), head=0) -> dict:
    data = {
        "action": action,
        "rep-TOTAL_FORMS": str(len(rows)),
        "rep-INITIAL_FORMS": str(len(rows)),
        "rep-MIN_NUM_FORMS": "0",
        "rep-MAX_NUM_FORMS": "20",
    }
    if attendance:
        data["attendance"] = attendance
    if head is not None:
        data["head"] = str(head)
    for index, (name, title, email) in enumerate(rows):
        data |= {
            f"rep-{index}-name": name,
            f"rep-{index}-title": title,
            f"rep-{index}-email": email,
        }
    return data


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def test_the_floor_page_offers_the_confirmation_before_the_meeting(client, mexico):
    page = soup_of(client.get(link_path(mexico)))

    section = page.select_one("#confirmation")
    assert section is not None
    assert [r["value"] for r in section.select("input[name=attendance]")] == [
        "in_room",
        "online",
        "not_attending",
    ]
    assert len(section.select("li.representative")) == 1  # one empty row to start with


@pytest.mark.parametrize("status", [MeetingStatus.IN_PROGRESS, MeetingStatus.CONCLUDED])
def test_the_floor_page_offers_no_confirmation_once_the_meeting_started(
    client, meeting, mexico, status
):
    meeting.status = status
    meeting.save()

    assert soup_of(client.get(link_path(mexico))).select_one("#confirmation") is None
    response = client.post(confirm_url(mexico), posted(rows=[("Ana", "", "")]))
    assert response.status_code == 302
    mexico.refresh_from_db()
    assert not mexico.has_confirmed


def test_a_delegation_confirms_with_two_representatives(client, mexico):
    rows = [("Ana Ruiz", "Ambassador", "ana@example.org"), ("Luis Soto", "Adviser", "")]
    response = client.post(confirm_url(mexico), posted(rows=rows, head=0))

    assert response.status_code == 302
    assert response["Location"].endswith("#confirmation")
    mexico.refresh_from_db()
    assert mexico.confirmed_attendance == ConfirmedAttendance.IN_ROOM
    assert list(mexico.representatives.values_list("name", "title", "email", "is_head")) == [
        ("Ana Ruiz", "Ambassador", "ana@example.org", True),
        ("Luis Soto", "Adviser", "", False),
    ]
    page = soup_of(client.get(link_path(mexico)))
    assert [i["value"] for i in page.select("#confirmation input[name$=-name]")] == [
        "Ana Ruiz",
        "Luis Soto",
    ]
    assert page.select_one("#confirm-head-0").has_attr("checked")
    assert page.select_one("#confirm-attendance-in_room").has_attr("checked")


def test_with_htmx_the_section_comes_back_saved(client, mexico):
    response = client.post(
        confirm_url(mexico),
        posted(attendance="online", rows=[("Ana Ruiz", "", "")]),
        headers={"HX-Request": "true"},
    )

    section = soup_of(response)
    assert section.select_one("section#confirmation")
    assert section.select_one(".alert-success")
    mexico.refresh_from_db()
    assert mexico.confirmed_attendance == "online"


def test_adding_and_removing_rows_saves_nothing_and_keeps_what_was_typed(client, mexico):
    rows = [("Ana Ruiz", "Ambassador", ""), ("Luis Soto", "", "")]
    added = soup_of(client.post(confirm_url(mexico), posted(action="add", rows=rows, head=1)))

    names = [i.get("value", "") for i in added.select("#confirmation input[name$=-name]")]
    assert names == ["Ana Ruiz", "Luis Soto", ""]
    assert added.select_one("#confirm-head-1").has_attr("checked")

    removed = soup_of(
        client.post(confirm_url(mexico), posted(action="remove-0", rows=rows, head=1))
    )
    names = [i.get("value", "") for i in removed.select("#confirmation input[name$=-name]")]
    assert names == ["Luis Soto"]
    assert removed.select_one("#confirm-head-0").has_attr("checked")  # the head moved up
    mexico.refresh_from_db()
    assert not mexico.has_confirmed and not mexico.representatives.exists()


def test_an_answer_without_attendance_or_with_a_bad_email_is_shown_again(client, mexico):
    page = soup_of(client.post(confirm_url(mexico), posted(attendance="", rows=[("Ana", "", "")])))
    assert "Choose whether your delegation attends." in page.select_one("#confirmation").text

    page = soup_of(client.post(confirm_url(mexico), posted(rows=[("Ana", "", "not-an-email")])))
    assert page.select_one("#confirmation .invalid-feedback")
    assert page.select_one("#confirmation input[name=rep-0-email]")["value"] == "not-an-email"
    mexico.refresh_from_db()
    assert not mexico.has_confirmed


def test_a_request_our_page_never_sends_is_refused(client, mexico):
    data = posted(rows=[("Ana", "", "")])
    data["action"] = "drop-tables"
    assert client.post(confirm_url(mexico), data).status_code == 400
    del data["rep-TOTAL_FORMS"]
    data["action"] = "save"
    assert client.post(confirm_url(mexico), data).status_code == 400


# The list of participants ---------------------------------------------------------------------


@pytest.fixture
def secretary(client):
    client.force_login(make_user(SECRETARIAT))
    return client


def test_the_list_of_participants_shows_each_answer_by_group(secretary, meeting, mexico):
    make_delegation(meeting, kind=DelegationKind.ORGANISATION, code="IOM", name_en="IOM")
    make_panelist(meeting, name="Dr. Panelist")
    convocation.confirm(
        mexico,
        "in_room",
        [{"name": "Ana Ruiz", "title": "Ambassador", "email": "", "is_head": True}],
        meeting.starts_at.replace(year=2029),
    )

    response = secretary.get(f"/meetings/{meeting.slug}/participants/")

    assert response.status_code == 200
    page = soup_of(response)
    headings = [h.get_text(strip=True) for h in page.select("h2")]
    assert headings[:2] == ["Member states", "Invited organisations"]
    assert "Panelists" in headings
    text = page.get_text(" ", strip=True)
    assert "Ana Ruiz" in text and "Ambassador" in text and "Head of delegation" in text
    assert "In the room" in text and "No answer" in text
    assert "Dr. Panelist" in text
    delegations = secretary.get(f"/meetings/{meeting.slug}/delegations/")
    assert f"/meetings/{meeting.slug}/participants/" in delegations.content.decode()
    row = soup_of(delegations).select_one(f"#delegation-{mexico.pk} .delegation-answer")
    assert row.get_text(strip=True) == "Its answer: In the room"


def test_the_list_of_participants_downloads_as_csv(secretary, meeting, mexico):
    convocation.confirm(
        mexico,
        "online",
        [{"name": "=Ana", "title": "", "email": "", "is_head": False}],
        meeting.starts_at.replace(year=2029),
    )

    response = secretary.get(f"/meetings/{meeting.slug}/participants.csv")

    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    assert "Delegation of Mexico,Online,'=Ana" in body


def test_the_list_of_participants_is_for_the_secretariat(client, meeting):
    response = client.get(f"/meetings/{meeting.slug}/participants/")
    assert response.status_code in (302, 403)


def test_the_convocation_is_previewed_in_each_language_before_it_is_sent(
    secretary, meeting, mexico
):
    mexico.state.addresses = "mission@example.org"
    mexico.state.language = "es"
    mexico.state.save()
    observer = make_delegation(
        meeting,
        kind=DelegationKind.OBSERVER,
        code="ES",
        name_en="Spain",
        addresses="es@example.org",
    )
    make_delegation(meeting, kind=DelegationKind.OBSERVER, code="FR", name_en="France")

    page = soup_of(secretary.get(f"/meetings/{meeting.slug}/delegations/convene/"))

    recipients = page.select_one(".convene-recipients").get_text(" ", strip=True)
    assert "mission@example.org" in recipients and "es@example.org" in recipients
    assert "France" in page.select_one(".alert-warning").get_text()  # no address: left out
    versions = [pane["id"] for pane in page.select(".email-versions section")]
    assert versions == ["version-en", "version-es"]
    english = page.select_one("#version-en pre.email-preview").get_text()
    assert link_path(observer) in english
    assert "Migration governance" in english


def test_sending_the_convocation_queues_it_and_follows_it_on_the_delegations_page(
    secretary, meeting, mexico
):
    mexico.state.addresses = "mission@example.org\nsecond@example.org"
    mexico.state.save()
    url = f"/meetings/{meeting.slug}/delegations/convene/"
    assert soup_of(secretary.get(url)).select_one("form button[type=submit]")

    response = secretary.post(url, follow=True)

    assert Email.objects.filter(kind=EmailKind.CONVOCATION, delegation=mexico).count() == 2
    page = soup_of(response)
    assert "The convocation is queued: 2 emails." in page.select_one(".messages").get_text()
    progress = page.select_one(".sending-progress")
    assert progress is not None
    assert "/outbox/?batch=" in progress.select_one("a")["href"]

    again = soup_of(secretary.post(url, follow=True))
    assert "already been sent" in again.select_one(".messages").get_text()
    assert Email.objects.filter(kind=EmailKind.CONVOCATION).count() == 2


def test_an_answer_sent_with_htmx_after_the_start_reloads_the_whole_page(client, meeting, mexico):
    meeting.status = MeetingStatus.IN_PROGRESS
    meeting.save()

    response = client.post(
        confirm_url(mexico), posted(rows=[("Ana", "", "")]), headers={"HX-Request": "true"}
    )

    assert response["HX-Redirect"] == link_path(mexico)
