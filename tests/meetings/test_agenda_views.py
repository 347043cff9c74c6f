"""The secretariat's Agenda and Delegations pages: what they show, each action as a browser
posts it, refusals said in the page (never a 500), requests our pages never send refused with
400."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from meetings.models import Attendance, DelegationKind, ItemKind, MeetingLog, TurnStatus
from meetings.roles import SECRETARIAT
from meetings.services.links import delegation_for_token
from tests.factories import make_delegation, make_meeting, make_user, whole_agenda

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert(1)</script><b data-pwn="1">x</b>{{ request }}'


@pytest.fixture
def secretariat() -> Client:
    client = Client()
    client.force_login(make_user(SECRETARIAT))
    return client


@pytest.fixture
def meeting():
    meeting = make_meeting(slug="labour")
    whole_agenda(meeting)
    return meeting


def url(name: str, meeting) -> str:
    return reverse(f"meetings:{name}", args=[meeting.slug])


def item_form(prefix: str, **values) -> dict:
    fields = ("title_en", "title_es", "title_fr", "title_pt", "speaking_seconds")
    data = {f"{prefix}-{name}": "" for name in fields}
    data[f"{prefix}-planned_minutes"] = "0"
    return data | {f"{prefix}-{name}": value for name, value in values.items()}


def speaker_form(prefix: str, **values) -> dict:
    fields = ("speaker_en", "speaker_es", "speaker_fr", "speaker_pt", "speaker_name")
    data = {f"{prefix}-{name}": "" for name in fields}
    data[f"{prefix}-attendance"] = "in_room"
    return data | {f"{prefix}-{name}": value for name, value in values.items()}


def headings(meeting) -> list[str]:
    return [str(item.heading) for item in meeting.agenda.order_by("position")]


def test_the_agenda_page_lists_the_items_in_order_with_the_speakers(secretariat, meeting):
    page = secretariat.get(url("agenda", meeting)).content.decode()
    assert page.index("Opening remarks") < page.index("Round 1") < page.index("Closing remarks")
    assert "Chair of the CAM" in page
    assert reverse("meetings:delegations", args=[meeting.slug]) in page


def test_an_item_is_added_in_four_languages_and_moved(secretariat, meeting):
    data = item_form(
        "new-item",
        title_en="Coffee break",
        title_es="Pausa",
        title_fr="Pause",
        title_pt="Intervalo",
        planned_minutes="15",
    ) | {"new-item-kind": "other"}
    response = secretariat.post(url("agenda_add", meeting), data)
    assert response.status_code == 302
    added = meeting.agenda.get(position=6)
    assert (added.title_pt, added.planned_minutes) == ("Intervalo", 15)
    response = secretariat.post(url("agenda_move", meeting), {"item": added.pk, "offset": "-1"})
    assert response.status_code == 302
    assert headings(meeting)[-2:] == ["Coffee break", "Closing remarks"]


def test_an_item_is_edited_and_removed_but_not_a_round(secretariat, meeting):
    dialogue = meeting.agenda.get(kind=ItemKind.DIALOGUE)
    prefix = "item"
    data = item_form(prefix, title_en="Dialogue", speaking_seconds="120") | {"item": dialogue.pk}
    assert secretariat.post(url("agenda_edit", meeting), data).status_code == 302
    dialogue.refresh_from_db()
    assert dialogue.speaking_seconds == 120
    round_item = meeting.agenda.get(position=2)
    response = secretariat.post(url("agenda_remove", meeting), {"item": round_item.pk}, follow=True)
    assert "A round is removed on the meeting" in response.content.decode()
    assert secretariat.post(url("agenda_remove", meeting), {"item": dialogue.pk}).status_code == 302
    assert list(meeting.agenda.values_list("position", flat=True)) == [1, 2, 3, 4]
    assert MeetingLog.objects.filter(action="agenda.item_removed").exists()


def test_a_remarks_speaker_is_added_edited_and_removed(secretariat, meeting):
    opening = meeting.agenda.get(position=1)
    data = speaker_form(
        "new-speaker",
        speaker_en="OAS Secretary General",
        speaker_es="Secretario General de la OEA",
        speaker_name="Albert Ramdin",
        attendance="online",
    ) | {"item": opening.pk}
    assert secretariat.post(url("speaker_add", meeting), data).status_code == 302
    speaker = opening.interventions.get(speaker_name="Albert Ramdin")
    assert speaker.is_online
    edit = speaker_form("speaker", speaker_en="OAS Secretary General")
    edit |= {"speaker": speaker.pk}
    assert secretariat.post(url("speaker_edit", meeting), edit).status_code == 302
    speaker.refresh_from_db()
    assert (speaker.speaker_name, speaker.is_online) == ("", False)
    assert (
        secretariat.post(url("speaker_remove", meeting), {"speaker": speaker.pk}).status_code == 302
    )
    assert opening.interventions.count() == 1


def test_refused_values_come_back_in_the_form_with_a_message(secretariat, meeting):
    data = item_form("new-item", title_en="", title_es=HOSTILE, speaking_seconds="9999999")
    response = secretariat.post(url("agenda_add", meeting), data | {"new-item-kind": "round"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    assert meeting.agenda.count() == 5
    opening = meeting.agenda.get(position=1)
    data = speaker_form("new-speaker", speaker_en="Two\nlines") | {"item": opening.pk}
    assert secretariat.post(url("speaker_add", meeting), data).status_code == 200
    assert opening.interventions.count() == 1


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("agenda_add", {}),
        ("agenda_edit", {"item": "x"}),
        ("agenda_move", {"item": "1", "offset": "5"}),
        ("agenda_remove", {"item": HOSTILE}),
        ("speaker_add", {"item": "-1"}),
        ("speaker_edit", {"speaker": ""}),
        ("speaker_move", {"speaker": "1"}),
        ("speaker_remove", {}),
        ("delegation_add", {"new-kind": "observer"}),
        ("delegation_attendance", {"delegation": "1", "attendance": "asleep"}),
        ("delegation_link", {"delegation": "1", "action": "steal"}),
    ],
)
def test_requests_our_pages_never_send_are_refused_with_400(secretariat, meeting, name, data):
    response = secretariat.post(url(name, meeting), data)
    assert response.status_code == 400


def test_another_meetings_item_or_delegation_is_not_found(secretariat, meeting):
    other = make_meeting()
    whole_agenda(other)
    item = other.agenda.get(position=1)
    response = secretariat.post(url("agenda_move", meeting), {"item": item.pk, "offset": "1"})
    assert response.status_code == 404
    delegation = make_delegation(other)
    data = {"delegation": delegation.pk, "attendance": "online"}
    assert secretariat.post(url("delegation_attendance", meeting), data).status_code == 404


def test_who_has_spoken_is_not_removed(secretariat, meeting):
    opening = meeting.agenda.get(position=1)
    opening.interventions.update(status=TurnStatus.FINISHED)
    chair = opening.interventions.get()
    response = secretariat.post(url("speaker_remove", meeting), {"speaker": chair.pk}, follow=True)
    assert "they stay in the record" in response.content.decode()
    assert opening.interventions.count() == 1


# Delegations ---------------------------------------------------------------------------------


def test_the_roll_call_marks_attendance_in_place(secretariat, meeting):
    mexico = make_delegation(meeting)
    response = secretariat.post(
        url("delegation_attendance", meeting),
        {"delegation": mexico.pk, "attendance": "online"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="delegation-{mexico.pk}"' in page
    assert "1 of 1 present (1 online)" in page
    mexico.refresh_from_db()
    assert mexico.attendance == Attendance.ONLINE


def test_an_observer_is_added_and_a_code_taken_is_said(secretariat, meeting):
    data = {
        "new-kind": "observer",
        "new-code": "es",
        "new-name_en": "Spain",
        "new-name_es": "España",
        "new-name_fr": "",
        "new-name_pt": "",
    }
    assert secretariat.post(url("delegation_add", meeting), data).status_code == 302
    assert meeting.delegations.get(code="ES").name_es == "España"
    response = secretariat.post(url("delegation_add", meeting), data | {"new-name_en": HOSTILE})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Another delegation of this meeting has the code ES." in page
    assert "<script>alert(1)" not in page


def test_links_are_reissued_revoked_and_downloaded(secretariat, meeting):
    mexico = make_delegation(meeting)
    spain = make_delegation(meeting, kind=DelegationKind.OBSERVER, code="ES", name_en="Spain")
    link = url("delegation_link", meeting)
    assert secretariat.post(link, {"delegation": spain.pk, "action": "revoke"}).status_code == 302
    assert secretariat.post(link, {"delegation": mexico.pk, "action": "reissue"}).status_code == 302
    response = secretariat.get(url("delegation_links", meeting))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Code", "Delegation", "Floor link"]
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["ES"][2] == ""  # revoked stays revoked: a download changes nothing
    token = by_code[mexico.code][2].rstrip("/").rsplit("/", 1)[-1]
    assert delegation_for_token(token).pk == mexico.pk


@pytest.mark.parametrize("value", ["²", "٣", str(2**63), "9" * 5000, "0", "-1", "1e3", " 1"])
@pytest.mark.parametrize(
    ("name", "field", "rest"),
    [
        ("agenda_move", "item", {"offset": "1"}),
        ("agenda_remove", "item", {}),
        ("speaker_move", "speaker", {"offset": "1"}),
        ("speaker_remove", "speaker", {}),
        ("delegation_attendance", "delegation", {"attendance": "online"}),
        ("delegation_link", "delegation", {"action": "revoke"}),
    ],
)
def test_an_id_no_row_can_have_is_refused_never_a_500(
    secretariat, meeting, name, field, rest, value
):
    response = secretariat.post(url(name, meeting), {field: value, **rest})
    assert response.status_code in (302, 400, 404)
