"""The link to join a virtual or hybrid meeting: required by the meeting form, given to those
taking part (their portal, their invitation) and never shown to the public; where each
panelist attends from, set on the panel's form."""

import pytest
from bs4 import BeautifulSoup
from django.core import mail

from meetings.models import EmailKind, Meeting, MeetingFormat
from meetings.roles import SECRETARIAT
from meetings.services import invitations
from meetings.services.links import link_path
from tests.factories import (
    LOCMEM_MAILERS,
    make_meeting,
    make_panelist,
    make_user,
    meeting_form,
    panelist_form,
)
from tests.worker import run_worker

pytestmark = pytest.mark.django_db

LINK = "https://meet.example.org/cam-2030"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def secretary(client):
    user = make_user(SECRETARIAT)
    client.force_login(user)
    return user


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200, response.content[:500]
    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.parametrize("meeting_format", [MeetingFormat.VIRTUAL, MeetingFormat.HYBRID])
def test_a_virtual_or_hybrid_meeting_is_refused_without_its_join_link(
    client, secretary, meeting_format
):
    soup = soup_of(
        client.post("/meetings/new/", meeting_form(format=meeting_format, virtual_link=""))
    )
    error = soup.select_one("#id_virtual_link").find_next(class_="invalid-feedback")
    assert "needs the link to join it online" in error.get_text()
    assert soup.find("input", {"name": "title_en"})["value"] == "Labour migration"
    assert not Meeting.objects.exists()


def test_a_meeting_in_person_needs_no_join_link(client, secretary):
    response = client.post(
        "/meetings/new/", meeting_form(format=MeetingFormat.IN_PERSON, virtual_link="")
    )
    assert response.status_code == 302
    assert Meeting.objects.get().virtual_link == ""


def test_a_hybrid_meeting_is_saved_with_its_join_link(client, secretary):
    response = client.post("/meetings/new/", meeting_form(virtual_link=LINK))
    assert response.status_code == 302
    assert Meeting.objects.get().join_link == LINK


def test_a_meeting_held_in_person_gives_no_join_link_whatever_the_field_holds():
    meeting = make_meeting(format=MeetingFormat.IN_PERSON, virtual_link=LINK)
    assert meeting.join_link == ""


def test_the_public_page_does_not_show_the_join_link(client):
    meeting = make_meeting(virtual_link=LINK)
    soup = soup_of(client.get(f"/meetings/{meeting.slug}/"))
    assert LINK not in str(soup)
    assert "receive the link to join online" in soup.get_text()


def test_the_secretariat_sees_the_join_link_on_the_meetings_page(client, secretary):
    meeting = make_meeting(virtual_link=LINK)
    soup = soup_of(client.get(f"/meetings/{meeting.slug}/"))
    assert soup.find("a", href=LINK, string="Join online")


def test_the_public_calendar_file_leaves_the_join_link_out(client):
    meeting = make_meeting(virtual_link=LINK)
    body = client.get(f"/meetings/{meeting.slug}/calendar.ics").content.decode()
    assert "meet.example.org" not in body


def test_the_portal_gives_the_panelist_the_join_link(client):
    meeting = make_meeting(virtual_link=LINK)
    panelist = make_panelist(meeting, attendance="online")
    soup = soup_of(client.get(link_path(panelist)))
    link = soup.select_one(".join-link")
    assert link.find("a", href=LINK, string="Join online")
    assert "You take part online." in link.get_text()


def test_a_panelist_in_the_room_is_given_the_link_without_being_told_they_are_online(client):
    meeting = make_meeting(virtual_link=LINK)
    panelist = make_panelist(meeting)
    link = soup_of(client.get(link_path(panelist))).select_one(".join-link")
    assert link.find("a", href=LINK)
    assert "You take part online." not in link.get_text()


def test_the_portal_of_a_meeting_in_person_has_no_join_link(client):
    meeting = make_meeting(format=MeetingFormat.IN_PERSON, virtual_link=LINK)
    panelist = make_panelist(meeting)
    assert not soup_of(client.get(link_path(panelist))).select_one(".join-link")


def test_a_link_that_is_no_web_address_is_not_made_a_link(client):
    meeting = make_meeting()
    type(meeting).objects.filter(pk=meeting.pk).update(virtual_link="javascript:alert(1)")
    panelist = make_panelist(meeting)
    assert not soup_of(client.get(link_path(panelist))).select_one(".join-link")


def test_the_invitation_gives_the_join_link_and_tells_an_online_panelist(settings):
    settings.MAILERS = LOCMEM_MAILERS
    meeting = make_meeting(virtual_link=LINK)
    panelist = make_panelist(meeting, email="ana@example.org", attendance="online")
    invitations.send(panelist, EmailKind.INVITATION, by=make_user())
    run_worker()
    [message] = mail.outbox
    assert f"You take part online. Join online: {LINK}" in message.body
    html = message.alternatives[0].content
    assert f'<a href="{LINK}">{LINK}</a>' in html
    [attachment] = message.attachments
    assert LINK in str(attachment.content).replace("\r\n ", "")


def test_the_panel_form_sets_where_the_panelist_attends_from(client, secretary):
    meeting = make_meeting(virtual_link=LINK)
    panelist = make_panelist(meeting, name="Ana")
    url = f"/meetings/{meeting.slug}/panel/{panelist.pk}/edit/"
    form = soup_of(client.get(url, headers=HTMX)).find("form")
    options = [option["value"] for option in form.select("select[name=attendance] option")]
    assert options == ["in_room", "online"]
    data = panelist_form(
        mechanism=panelist.mechanism_id,
        name="Ana",
        preferred_language="en",
        attendance="online",
        loaded_version=form.find("input", {"name": "loaded_version"})["value"],
    )
    soup = soup_of(client.post(url, data, headers=HTMX))
    panelist.refresh_from_db()
    assert panelist.attendance == "online"
    assert "Online" in soup.get_text()
    entry = meeting.log.get(action="panelist.changed")
    assert "attendance" in entry.detail["fields"]


def test_a_panel_form_that_does_not_send_the_attendance_keeps_it(client, secretary):
    meeting = make_meeting()
    panelist = make_panelist(meeting, name="Ana", attendance="online")
    url = f"/meetings/{meeting.slug}/panel/{panelist.pk}/edit/"
    form = soup_of(client.get(url, headers=HTMX)).find("form")
    data = panelist_form(
        mechanism=panelist.mechanism_id,
        name="Ana",
        preferred_language="en",
        loaded_version=form.find("input", {"name": "loaded_version"})["value"],
    )
    assert data["attendance"] == ""
    soup_of(client.post(url, data, headers=HTMX))
    panelist.refresh_from_db()
    assert panelist.attendance == "online"
