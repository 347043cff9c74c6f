"""The agenda and the delegations in the admin: saved through the same actions as the
secretariat's pages (positions kept whole, a round's item left to its round, codes once per
meeting), attendance editable in the list, and the delegations' links."""

import csv
import io

import pytest

from meetings.models import (
    Attendance,
    Delegation,
    DelegationKind,
    Intervention,
    ItemKind,
    Meeting,
    MeetingLog,
    TurnStatus,
)
from meetings.services.links import delegation_for_token, link_token
from tests.factories import make_delegation, make_meeting, make_user, whole_agenda
from tests.meetings.test_admin import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = make_user(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.fixture
def meeting():
    meeting = make_meeting()
    whole_agenda(meeting)
    return meeting


def headings(meeting) -> list[str]:
    return [str(item.heading) for item in meeting.agenda.order_by("position")]


def test_the_meetings_admin_lists_its_agenda_and_adds_an_item_at_the_end(client, staff, meeting):
    url = f"/admin/meetings/meeting/{meeting.pk}/change/"
    data = form_data(client.get(url))
    index = int(data["agenda-TOTAL_FORMS"])
    assert index == 5
    data |= {
        "agenda-TOTAL_FORMS": str(index + 1),
        f"agenda-{index}-kind": "other",
        f"agenda-{index}-title_en": "Coffee break",
        f"agenda-{index}-title_es": "Pausa",
        f"agenda-{index}-planned_minutes": "15",
        f"agenda-{index}-speaking_seconds": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert headings(meeting)[-1] == "Coffee break"
    assert meeting.agenda.get(position=6).title_es == "Pausa"
    assert MeetingLog.objects.filter(action="agenda.item_added", actor=staff).exists()


def test_a_new_item_needs_a_title_and_is_never_a_round(client, staff, meeting):
    url = f"/admin/meetings/meeting/{meeting.pk}/change/"
    data = form_data(client.get(url))
    data |= {
        "agenda-TOTAL_FORMS": "6",
        "agenda-5-kind": "round",
        "agenda-5-title_en": "",
        "agenda-5-planned_minutes": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert meeting.agenda.count() == 5


def test_an_item_held_or_a_rounds_item_is_not_removed_in_the_admin(client, staff, meeting):
    opening = meeting.agenda.get(position=1)
    opening.interventions.update(status=TurnStatus.FINISHED)
    round_item = meeting.agenda.get(position=2)
    assert client.get(f"/admin/meetings/agendaitem/{opening.pk}/delete/").status_code == 403
    assert client.get(f"/admin/meetings/agendaitem/{round_item.pk}/delete/").status_code == 403
    dialogue = meeting.agenda.get(kind=ItemKind.DIALOGUE)
    response = client.post(f"/admin/meetings/agendaitem/{dialogue.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert list(meeting.agenda.values_list("position", flat=True)) == [1, 2, 3, 4]


def test_an_items_titles_are_edited_on_its_admin_page(client, staff, meeting):
    opening = meeting.agenda.get(position=1)
    url = f"/admin/meetings/agendaitem/{opening.pk}/change/"
    data = form_data(client.get(url)) | {"title_pt": "Abertura", "speaking_seconds": "240"}
    assert client.post(url, data).status_code == 302
    opening.refresh_from_db()
    assert (opening.title_pt, opening.speaking_seconds) == ("Abertura", 240)


def test_the_remarks_speakers_admin_edits_named_speakers_only(client, staff, meeting):
    dialogue = meeting.agenda.get(kind=ItemKind.DIALOGUE)
    request = Intervention.objects.create(
        meeting=meeting, item=dialogue, position=1, delegation=make_delegation(meeting)
    )
    listed = client.get("/admin/meetings/intervention/").content.decode()
    assert "Chair of the CAM" in listed
    assert client.get(f"/admin/meetings/intervention/{request.pk}/change/").status_code == 302
    opening = meeting.agenda.get(position=1)
    data = form_data(client.get("/admin/meetings/intervention/add/"))
    data |= {"item": str(opening.pk), "speaker_en": "OAS Secretary General", "attendance": "online"}
    response = client.post("/admin/meetings/intervention/add/", data)
    assert response.status_code == 302
    added = opening.interventions.get(speaker_en="OAS Secretary General")
    assert (added.position, added.is_online) == (2, True)


def test_delegations_are_filtered_and_their_attendance_edited_in_the_list(client, staff):
    meeting = make_meeting()
    mexico = make_delegation(meeting)
    make_delegation(make_meeting())
    page = client.get(f"/admin/meetings/delegation/?meeting__id__exact={meeting.pk}")
    assert page.status_code == 200
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": str(mexico.pk),
        "form-0-attendance": "online",
        "_save": "Save",
    }
    response = client.post(f"/admin/meetings/delegation/?meeting__id__exact={meeting.pk}", data)
    assert response.status_code == 302
    mexico.refresh_from_db()
    assert mexico.attendance == Attendance.ONLINE
    assert MeetingLog.objects.filter(action="delegation.attendance", actor=staff).exists()


def test_an_observer_is_added_in_the_admin_with_a_code_once_per_meeting(client, staff):
    meeting = make_meeting()
    make_delegation(meeting, kind=DelegationKind.OBSERVER, code="ES", name_en="Spain")
    data = form_data(client.get("/admin/meetings/delegation/add/"))
    data |= {"meeting": str(meeting.pk), "kind": "observer", "code": "es", "name_en": "Spain"}
    assert client.post("/admin/meetings/delegation/add/", data).status_code == 200
    data |= {"code": "fr", "name_en": "France"}
    assert client.post("/admin/meetings/delegation/add/", data).status_code == 302
    france = meeting.delegations.get(code="FR")
    assert link_token(france)


def run(client, action: str, delegations: list[Delegation]):
    return client.post(
        "/admin/meetings/delegation/",
        {"action": action, "_selected_action": [d.pk for d in delegations]},
    )


def test_new_links_and_revoked_ones_from_the_admin(client, staff):
    meeting = make_meeting()
    mexico = make_delegation(meeting)
    old = link_token(mexico)
    assert run(client, "issue_new_links", [mexico]).status_code == 302
    assert delegation_for_token(old) is None
    mexico.refresh_from_db()
    assert run(client, "revoke_links", [mexico]).status_code == 302
    mexico.refresh_from_db()
    assert not mexico.has_link


def test_the_delegations_links_download_as_csv(client, staff):
    meeting = make_meeting()
    mexico = make_delegation(meeting)
    spain = make_delegation(meeting, kind=DelegationKind.OBSERVER, code="ES", name_en="Spain")
    spain.link_digest, spain.link_salt = None, ""
    spain.save()
    response = run(client, "export_links", [mexico, spain])
    assert response.status_code == 200
    assert "delegation-links.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Code", "Delegation", "Floor link"]
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["ES"][1] == "Delegation of Spain"
    for code in ("ES", mexico.code):
        token = by_code[code][2].rstrip("/").rsplit("/", 1)[-1]
        assert by_code[code][2].startswith("http")
        assert delegation_for_token(token).code == code


def test_a_round_deleted_in_the_admin_leaves_the_agenda_whole(client, staff, meeting):
    round_2 = meeting.rounds.get(number=2)
    response = client.post(f"/admin/meetings/round/{round_2.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert list(meeting.agenda.values_list("position", flat=True)) == [1, 2, 3, 4]
    round_1 = meeting.rounds.get(number=1)
    response = client.post(
        "/admin/meetings/round/",
        {"action": "delete_selected", "_selected_action": [round_1.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert headings(meeting) == ["Opening remarks", "Dialogue with delegations", "Closing remarks"]
    assert list(meeting.agenda.values_list("position", flat=True)) == [1, 2, 3]


def test_a_meeting_deleted_in_the_admin_takes_its_agenda(client, staff, meeting):
    response = client.post(f"/admin/meetings/meeting/{meeting.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
