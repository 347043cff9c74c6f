"""Changing times or order after invitations went out says so, and the updated
slot is sent to those affected in one step."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from icalendar import Calendar

from meetings.models import Email, EmailKind, EmailStatus, MeetingStatus
from meetings.roles import SECRETARIAT
from meetings.services import invitations
from meetings.services.panel import move_in_speaking_order, update_panelist
from meetings.services.slots import outdated_slots
from tests.factories import (
    UNREACHABLE_MAILERS,
    make_meeting,
    make_panelist,
    make_user,
    panelist_form,
)
from tests.worker import run_worker, settle

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def secretary(client):
    user = make_user(SECRETARIAT)
    client.force_login(user)
    return user


@pytest.fixture
def invited():
    """Three panelists, the first two invited (each told their slot), the third not yet."""
    meeting = make_meeting(title_en="Migration governance")
    ana = make_panelist(meeting, name="Ana Pérez", email="ana@example.org")
    luis = make_panelist(meeting, name="Luis Gómez", email="luis@example.org")
    eva = make_panelist(meeting, name="Eva Ruiz", email="eva@example.org")
    clerk = make_user()
    for panelist in (ana, luis):
        invitations.send(panelist, EmailKind.INVITATION, by=clerk)
    run_worker()
    mail.outbox.clear()
    return meeting, ana, luis, eva


def names(outdated) -> list[str]:
    return [item.panelist.name for item in outdated]


def test_nobody_is_listed_while_the_slots_are_as_sent(invited):
    meeting, *_ = invited
    assert outdated_slots(meeting) == []


def test_moving_the_meeting_lists_everyone_who_was_told_a_slot(invited):
    meeting, *_ = invited
    meeting.start_time, meeting.end_time = dt.time(11, 0), dt.time(14, 0)
    meeting.save()
    outdated = outdated_slots(meeting)
    assert names(outdated) == ["Ana Pérez", "Luis Gómez"]  # Eva was never sent a slot
    assert outdated[0].changes == [
        "The meeting's date or time changed.",
        "Round 1: position 1 at 10:10, now position 1 at 11:10.",
        "Round 2: position 1 at 10:32, now position 1 at 11:32.",
    ]


def test_a_new_speaking_order_lists_those_whose_place_or_time_moved(invited):
    meeting, _ana, _luis, eva = invited
    move_in_speaking_order(meeting.rounds.get(number=1), eva.pk, -2, by=None)  # first now
    outdated = outdated_slots(meeting)
    assert names(outdated) == ["Ana Pérez", "Luis Gómez"]
    assert outdated[1].changes == ["Round 1: position 2 at 10:17, now position 3 at 10:25."]


def test_a_longer_speaking_time_lists_those_it_moves(invited):
    meeting, _ana, _luis, _eva = invited
    meeting.rounds.filter(number=2).update(speaking_seconds=600)
    outdated = outdated_slots(meeting)
    assert names(outdated) == ["Ana Pérez", "Luis Gómez"]  # their round 2 turn lasts longer


def test_a_decline_before_them_moves_those_who_follow(invited):
    meeting, ana, _luis, _eva = invited
    update_panelist(ana, by=None, status="declined")
    assert names(outdated_slots(meeting)) == ["Luis Gómez"]  # and not Ana, who declined


def test_no_address_an_old_email_or_a_concluded_meeting_lists_nobody(invited):
    meeting, ana, luis, _eva = invited
    Email.objects.filter(panelist=ana).update(slot=None)  # sent before slots were kept
    update_panelist(luis, by=None, email="")
    meeting.start_time = dt.time(9, 0)
    meeting.save()
    assert outdated_slots(meeting) == []
    update_panelist(luis, by=None, email="luis@example.org")
    assert names(outdated_slots(meeting)) == ["Luis Gómez"]
    meeting.status = MeetingStatus.CONCLUDED
    meeting.save()
    assert outdated_slots(meeting) == []


def test_a_failed_email_does_not_count_as_told(invited, settings):
    meeting, _ana, luis, _eva = invited
    meeting.start_time = dt.time(9, 0)
    meeting.save()
    settings.MAILERS = UNREACHABLE_MAILERS
    invitations.send(luis, EmailKind.REMINDER, by=None)
    # On its way, it counts as told (the page does not ask to send it twice)...
    assert names(outdated_slots(meeting)) == ["Ana Pérez"]
    settle()  # ...until every attempt failed
    assert names(outdated_slots(meeting)) == ["Ana Pérez", "Luis Gómez"]


def test_the_update_email_states_the_new_slot_with_the_calendar_file(invited):
    meeting, _ana, _luis, _eva = invited
    meeting.start_time, meeting.end_time = dt.time(11, 0), dt.time(14, 0)
    meeting.save()
    records, repeated, _batch = invitations.send_updated_slots(meeting, by=make_user())
    assert (len(records), repeated) == (2, 0)
    assert {record.kind for record in records} == {EmailKind.UPDATE}
    run_worker()
    message = next(m for m in mail.outbox if m.to == ["luis@example.org"])
    assert message.subject == "Updated slot: Migration governance (May 17, 2030)"
    assert "The time of your participation in the thematic meeting below has changed." in (
        message.body
    )
    assert "11:00–14:00 (America/New_York)" in message.body
    assert "Round 1: you speak in position 2, planned at 11:17" in message.body
    [(filename, content, mimetype)] = message.attachments
    assert filename == "meeting.ics" and mimetype.startswith("text/calendar")
    [event] = Calendar.from_ical(content).walk("VEVENT")
    assert event["SEQUENCE"] == 1  # raised when the meeting moved: calendars replace it
    assert event.decoded("DTSTART") == dt.datetime(2030, 5, 17, 15, 0, tzinfo=dt.UTC)
    assert outdated_slots(meeting) == []  # told: nobody is listed any more


def test_the_update_email_speaks_the_panelists_language(invited):
    meeting, _ana, luis, _eva = invited
    update_panelist(luis, by=None, preferred_language="es", honorific="mr")
    move_in_speaking_order(meeting.rounds.get(number=1), luis.pk, -1, by=None)
    invitations.send_updated_slots(meeting, by=None)
    run_worker()
    message = next(m for m in mail.outbox if m.to == ["luis@example.org"])
    assert message.body.startswith("Estimado Sr. Luis Gómez:")
    assert "10:10" in message.body


# The secretariat's pages ------------------------------------------------------------------------


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200, response.content[:500]
    return BeautifulSoup(response.content, "html.parser")


def test_the_panel_page_says_who_must_be_sent_their_new_slot(client, secretary, invited):
    meeting, ana, luis, _eva = invited
    assert not soup_of(client.get(f"/meetings/{meeting.slug}/panel/")).select("#slot-notice *")
    move_in_speaking_order(meeting.rounds.get(number=1), luis.pk, -1, by=None)
    notice = soup_of(client.get(f"/meetings/{meeting.slug}/panel/")).select_one("#slot-notice")
    assert "The slots of 2 panelists changed after their last email" in notice.get_text()
    assert [a.get_text() for a in notice.select("li a")] == ["Ana Pérez", "Luis Gómez"]
    assert notice.select_one("li a")["href"] == (
        f"/meetings/{meeting.slug}/panel/{ana.pk}/email/update/"
    )
    button = notice.select_one("form button")
    assert button.get_text(" ", strip=True) == "Send the updated slot to 2 panelists"

    response = client.post(f"/meetings/{meeting.slug}/panel/updates/", {"back": "panel"})
    assert response["Location"].startswith(f"/meetings/{meeting.slug}/panel/?sending=")
    page = soup_of(client.get(response["Location"]))
    assert "The updated slot is queued for 2 panelists." in page.get_text()
    assert "0 of 2 sent · 2 waiting · 0 failed" in page.select_one(".sending-progress").get_text()
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.org", "luis@example.org"]
    page = soup_of(client.get(response["Location"]))
    assert "2 of 2 sent · 0 waiting · 0 failed" in page.select_one(".sending-progress").get_text()
    assert not page.select("#slot-notice *")
    latest = Email.objects.filter(panelist=luis).first()
    assert (latest.kind, latest.status) == (EmailKind.UPDATE, EmailStatus.SENT)


def test_sending_the_updates_twice_sends_each_once(client, secretary, invited):
    meeting, _ana, _luis, _eva = invited
    meeting.start_time = dt.time(9, 0)
    meeting.save()
    url = f"/meetings/{meeting.slug}/panel/updates/"
    client.post(url)
    client.post(url)  # nobody is out of date any more: nothing is sent
    run_worker()
    assert len(mail.outbox) == 2


def test_a_move_on_the_order_page_brings_the_notice_out_of_band(client, secretary, invited):
    meeting, _ana, _luis, eva = invited
    response = client.post(
        f"/meetings/{meeting.slug}/order/1/move/",
        {"panelist": eva.pk, "offset": "-1"},
        headers=HTMX,
    )
    notice = soup_of(response).select_one("#slot-notice")
    assert notice["data-hx-swap-oob"] == "true"
    assert [a.get_text() for a in notice.select("li a")] == ["Luis Gómez"]
    assert notice.select_one("input[name=back]")["value"] == "order"
    response = client.post(f"/meetings/{meeting.slug}/panel/updates/", {"back": "order"})
    assert response["Location"] == f"/meetings/{meeting.slug}/order/"


def test_a_decline_entered_on_the_panel_page_brings_the_notice_out_of_band(
    client, secretary, invited
):
    meeting, ana, _luis, _eva = invited
    url = f"/meetings/{meeting.slug}/panel/{ana.pk}/edit/"
    form = soup_of(client.get(url, headers=HTMX)).find("form")
    data = panelist_form(mechanism=ana.mechanism_id, name="Ana Pérez", email="ana@example.org",
            preferred_language="en", status="declined",
            loaded_version=form.find("input", {"name": "loaded_version"})["value"])  # fmt: skip
    notice = soup_of(client.post(url, data, headers=HTMX)).select_one("#slot-notice")
    assert notice["data-hx-swap-oob"] == "true"
    assert [a.get_text() for a in notice.select("li a")] == ["Luis Gómez"]


def test_the_update_is_previewed_like_any_email(client, secretary, invited):
    meeting, ana, _luis, _eva = invited
    page = client.get(f"/meetings/{meeting.slug}/panel/{ana.pk}/email/update/")
    assert page.status_code == 200
    assert "Updated slot: Migration governance" in page.content.decode()


def test_an_agenda_item_added_before_the_rounds_lists_everyone_it_moves(invited):
    from meetings.models import ItemKind
    from meetings.models.agenda import make_room
    from tests.factories import make_item, make_remarks_speaker

    meeting, *_ = invited
    make_room(meeting.pk, 1)
    remarks = make_item(
        meeting, ItemKind.REMARKS, position=1, title_en="Opening remarks", speaking_seconds=300
    )
    make_remarks_speaker(remarks)
    outdated = outdated_slots(meeting)
    assert names(outdated) == ["Ana Pérez", "Luis Gómez"]
    assert outdated[0].changes == [
        "Round 1: position 1 at 10:10, now position 1 at 10:15.",
        "Round 2: position 1 at 10:32, now position 1 at 10:37.",
    ]
