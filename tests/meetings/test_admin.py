"""The meetings' admin, as staff use it: actions and change forms."""

import json

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from meetings.models import Meeting, MeetingLog, Panelist
from meetings.outputs.archive import SCHEMA
from meetings.services import panel
from meetings.services.links import link_path
from tests.factories import make_mechanism, make_meeting, make_panelist, make_user
from tests.worker import run_worker

pytestmark = pytest.mark.django_db


def run_action(client, action: str, meetings: list[Meeting]):
    return client.post(
        "/admin/meetings/meeting/",
        {"action": action, "_selected_action": [meeting.pk for meeting in meetings]},
        follow=False,
    )


def test_staff_download_one_meeting_as_an_archive(client):
    meeting = make_meeting(slug="to-archive")
    make_panelist(meeting, name="Ana Pérez")
    client.force_login(make_user(is_staff=True, is_superuser=True))
    response = run_action(client, "download_archive", [meeting])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="to-archive-archive.json"'
    document = json.loads(response.content)
    assert document["schema"] == SCHEMA
    assert document["meeting"]["slug"] == "to-archive"
    assert [panelist["name"] for panelist in document["panelists"]] == ["Ana Pérez"]


def test_archiving_several_meetings_at_once_is_refused_with_a_message(client):
    meetings = [make_meeting(), make_meeting()]
    client.force_login(make_user(is_staff=True, is_superuser=True))
    response = run_action(client, "download_archive", meetings)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Choose exactly one meeting to archive." in page


# The change forms, filled in as a browser would fill them --------------------------------


def form_data(response) -> dict[str, str | list[str]]:
    """Every field of the page's main form with the value a browser would submit."""
    assert response.status_code == 200
    form = BeautifulSoup(response.content, "html.parser").select_one("form[id$=_form]")
    data: dict[str, str | list[str]] = {}
    for field in form.select("input[name], textarea[name], select[name]"):
        name, kind = field["name"], field.get("type", "")
        if field.name == "textarea":
            data[name] = field.get_text()
        elif field.name == "select":
            chosen = [option["value"] for option in field.select("option[selected]")]
            if field.has_attr("multiple"):
                data[name] = chosen
            elif chosen:
                data[name] = chosen[0]
        elif kind in {"checkbox", "radio"}:
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        elif kind not in {"submit", "button", "file"}:
            data[name] = field.get("value", "")
    return data


def another_staff_member() -> Client:
    """A second staff member's browser, beside the `staff` fixture's."""
    other = Client()
    other.force_login(make_user(is_staff=True, is_superuser=True))
    return other


@pytest.fixture
def staff(client):
    user = make_user(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def add_panelist_inline(data: dict, mechanism, name: str) -> dict:
    index = int(data["panelists-TOTAL_FORMS"])
    return data | {
        "panelists-TOTAL_FORMS": str(index + 1),
        f"panelists-{index}-mechanism": str(mechanism.pk),
        f"panelists-{index}-name": name,
        f"panelists-{index}-preferred_language": "fr",
        f"panelists-{index}-status": "invited",
        f"panelists-{index}-attendance": "in_room",  # the select's first choice, as sent
    }


def test_a_panelist_added_in_the_meetings_admin_speaks_in_every_round_and_has_a_link(client, staff):
    meeting = make_meeting()
    make_panelist(meeting)
    url = f"/admin/meetings/meeting/{meeting.pk}/change/"
    data = add_panelist_inline(form_data(client.get(url)), make_mechanism(), "Marie Dupont")
    assert client.post(url, data).status_code == 302
    newcomer = Panelist.objects.get(name="Marie Dupont")
    assert [turn.position for turn in newcomer.turns.order_by("round__number")] == [2, 2]
    assert link_path(newcomer)
    assert MeetingLog.objects.filter(action="panelist.added", actor=staff).exists()


def test_a_panelist_added_in_the_panelists_admin_speaks_in_every_round(client, staff):
    meeting = make_meeting()
    data = form_data(client.get("/admin/meetings/panelist/add/"))
    data |= {"meeting": str(meeting.pk), "mechanism": str(make_mechanism().pk)}
    data |= {"name": "Ana Pérez", "preferred_language": "es", "status": "invited"}
    response = client.post("/admin/meetings/panelist/add/", data)
    assert response.status_code == 302
    panelist = Panelist.objects.get(name="Ana Pérez")
    assert panelist.turns.count() == 2 and link_path(panelist)


def test_two_staff_editing_a_meeting_in_the_admin_lose_nothing(client, staff):
    meeting = make_meeting(title_en="Labour migration")
    url = f"/admin/meetings/meeting/{meeting.pk}/change/"
    mine = form_data(client.get(url))
    other = another_staff_member()
    theirs = form_data(other.get(url))
    assert other.post(url, theirs | {"title_en": "Labour mobility"}).status_code == 302
    response = client.post(url, mine | {"title_en": "Labour markets"})
    assert response.status_code == 200
    assert "Someone else saved this record" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.title_en == "Labour mobility"
    again = form_data(response) | {"title_en": "Labour markets"}
    assert client.post(url, again).status_code == 302  # having seen theirs, mine goes through


def test_two_staff_editing_a_mechanism_in_the_admin_lose_nothing(client, staff):
    mechanism = make_mechanism(name_en="Regional Conference on Migration")
    url = f"/admin/mechanisms/mechanism/{mechanism.pk}/change/"
    mine = form_data(client.get(url))
    other = another_staff_member()
    theirs = form_data(other.get(url)) | {"name_es": "Conferencia"}
    assert other.post(url, theirs).status_code == 302
    response = client.post(url, mine | {"name_fr": "Conférence régionale sur les migrations"})
    assert "Someone else saved this record" in response.content.decode()
    mechanism.refresh_from_db()
    assert (mechanism.name_es, mechanism.name_fr) == ("Conferencia", "")


def test_the_admin_refuses_a_mechanism_name_with_a_bidi_override(client, staff):
    mechanism = make_mechanism(name_en="Regional Conference on Migration")
    url = f"/admin/mechanisms/mechanism/{mechanism.pk}/change/"
    data = form_data(client.get(url)) | {"name_en": "Regional \u202enoitargiM"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Write this on one line" in response.content.decode()
    mechanism.refresh_from_db()
    assert mechanism.name_en == "Regional Conference on Migration"


def test_the_admin_refuses_a_round_title_with_a_line_break(client, staff):
    meeting = make_meeting()
    url = f"/admin/meetings/meeting/{meeting.pk}/change/"
    response = client.post(url, form_data(client.get(url)) | {"rounds-0-title_en": "One\r\nTwo"})
    assert response.status_code == 200
    assert "Write this on one line" in response.content.decode()
    assert meeting.rounds.get(number=1).title_en != "One\r\nTwo"


def test_the_meetings_admin_holds_every_language_of_its_content(client, staff):
    meeting = make_meeting()
    data = form_data(client.get(f"/admin/meetings/meeting/{meeting.pk}/change/"))
    for column in ("title", "venue", "chair", "concept_note"):
        assert {f"{column}_{lang}" for lang in ("en", "es", "fr", "pt")} <= data.keys()
    for column in ("title", "question"):
        assert {f"rounds-0-{column}_{lang}" for lang in ("en", "es", "fr", "pt")} <= data.keys()


def test_a_round_added_in_the_admin_without_a_speaking_time_takes_the_meetings(client, staff):
    meeting = make_meeting(rounds=1, speaking_seconds=300)
    make_panelist(meeting)
    url = f"/admin/meetings/meeting/{meeting.pk}/change/"
    data = form_data(client.get(url)) | {
        "rounds-TOTAL_FORMS": "2",
        "rounds-1-number": "2",
        "rounds-1-question_en": "What next?",
        "rounds-1-speaking_seconds": "",
    }
    assert client.post(url, data).status_code == 302
    added = meeting.rounds.get(number=2)
    assert added.speaking_seconds == 300
    assert added.turns.count() == 1  # the panel speaks in the new round too


def test_a_round_added_on_the_rounds_admin_page_gives_every_panelist_a_turn(client, staff):
    meeting = make_meeting(rounds=1, speaking_seconds=300)
    make_panelist(meeting)
    data = form_data(client.get("/admin/meetings/round/add/")) | {
        "meeting": str(meeting.pk),
        "number": "2",
        "title_en": "Coordination",
        "question_en": "What next?",
        "speaking_seconds": "240",
    }
    assert client.post("/admin/meetings/round/add/", data).status_code == 302
    added = meeting.rounds.get(number=2)
    assert added.turns.count() == 1  # as when it is added on the meeting's page
    entry = MeetingLog.objects.get(meeting=meeting, action="round.created")
    assert entry.actor == staff
    assert entry.detail["number"] == 2
    assert entry.detail["via"] == "admin"


def test_who_has_spoken_cannot_be_deleted_in_the_admin(client, staff):
    meeting = make_meeting()
    panelist = make_panelist(meeting)
    panelist.turns.update(notes="Described the regional protection framework.")
    response = client.get(f"/admin/meetings/panelist/{panelist.pk}/delete/")
    assert response.status_code == 403
    assert Panelist.objects.filter(pk=panelist.pk).exists()


def test_sending_invitations_from_the_admin_shows_them_first(client, staff, mailoutbox):
    meeting = make_meeting(title_en="Labour migration")
    ana = make_panelist(meeting, name="Ana Pérez", email="ana@example.org")
    make_panelist(meeting, name="Luis Gómez", email="")
    selected = {"action": "send_invitation", "_selected_action": [ana.pk]}
    preview = client.post("/admin/meetings/panelist/", selected)
    page = BeautifulSoup(preview.content, "html.parser")
    run_worker()
    assert preview.status_code == 200 and not mailoutbox
    assert "Invitation: Labour migration" in page.get_text()
    assert page.select_one("pre.email-preview").get_text().startswith("Dear Ana Pérez,")
    sent = client.post("/admin/meetings/panelist/", selected | {"confirmed": "yes"})
    assert sent.status_code == 302
    run_worker()
    assert [message.to for message in mailoutbox] == [["ana@example.org"]]


def test_the_admin_preview_shows_one_email_per_language(client, staff, mailoutbox):
    """The admin's send-emails preview, like the secretariat's, shows each
    language's version."""
    meeting = make_meeting()
    ana = make_panelist(meeting, name="Ana Pérez", email="ana@example.org", preferred_language="es")
    luis = make_panelist(meeting, name="Luis Gómez", email="luis@example.org")
    selected = {"action": "send_invitation", "_selected_action": [ana.pk, luis.pk]}
    page = BeautifulSoup(client.post("/admin/meetings/panelist/", selected).content, "html.parser")
    versions = {section["id"]: section for section in page.select("section.email-version")}
    assert list(versions) == ["version-en", "version-es"]
    assert versions["version-es"].h2.get_text(strip=True) == "Spanish — 1 panelist: Ana Pérez"
    spanish = versions["version-es"].select_one("pre.email-preview").get_text()
    assert spanish.startswith("Estimado/a Ana Pérez:")
    assert not mailoutbox


def test_inviting_a_meetings_panel_from_the_admin_lists_who_would_receive_it(
    client, staff, mailoutbox
):
    meeting = make_meeting()
    make_panelist(meeting, name="Ana Pérez", email="ana@example.org")
    make_panelist(meeting, name="Luis Gómez", email="")
    preview = run_action(client, "invite_not_yet_invited", [meeting])
    text = BeautifulSoup(preview.content, "html.parser").get_text(" ", strip=True)
    assert "Ana Pérez" in text and "Luis Gómez" in text and "no address: not sent" in text
    assert not mailoutbox


def test_a_panelist_row_changed_meanwhile_is_not_overwritten_by_the_meetings_page(client, staff):
    meeting = make_meeting()
    ana = make_panelist(meeting, name="Ana Pérez", email="ana@example.org")
    url = f"/admin/meetings/meeting/{meeting.pk}/change/"
    seen = form_data(client.get(url))
    panel.update_panelist(ana, by=None, email="ana.perez@example.org")  # someone, meanwhile
    response = client.post(url, seen | {"title_en": "Labour mobility"})
    assert response.status_code == 200
    assert "Someone else saved this record" in response.content.decode()
    ana.refresh_from_db()
    assert ana.email == "ana.perez@example.org"


def test_a_page_staff_may_only_view_shows_no_version_field(client):
    from django.contrib.auth.models import Permission

    viewer = make_user(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_mechanism"))
    client.force_login(viewer)
    mechanism = make_mechanism()
    page = client.get(f"/admin/mechanisms/mechanism/{mechanism.pk}/change/").content.decode()
    assert "version" not in page.lower()


def test_panelists_are_removed_one_by_one_in_the_admin(client, staff):
    meeting = make_meeting()
    newcomer = make_panelist(meeting)
    actions = BeautifulSoup(client.get("/admin/meetings/panelist/").content, "html.parser")
    assert not actions.select("option[value=delete_selected]")
    url = f"/admin/meetings/panelist/{newcomer.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Panelist.objects.filter(pk=newcomer.pk).exists()
    assert MeetingLog.objects.filter(action="panelist.removed", actor=staff).exists()


def test_turns_are_read_only_in_the_admin(client, staff):
    meeting = make_meeting()
    turn = make_panelist(meeting).turns.first()
    page = client.get(f"/admin/meetings/turn/{turn.pk}/change/")
    assert page.status_code == 200
    assert b'name="position"' not in page.content
    assert (
        client.post(f"/admin/meetings/turn/{turn.pk}/change/", {"position": "9"}).status_code == 403
    )


def test_the_admin_offers_the_honorifics_and_a_typed_one(client, staff):
    """A choice of the usual forms, "Other" with its text."""
    meeting = make_meeting()
    url = "/admin/meetings/panelist/add/"
    page = client.get(url).content.decode()
    assert '<option value="dr_f">Dr. (woman)</option>' in page
    assert 'name="honorific_other"' in page
    data = form_data(client.get(url))
    data |= {"meeting": str(meeting.pk), "mechanism": str(make_mechanism().pk)}
    data |= {"name": "Ana Pérez", "preferred_language": "es", "status": "invited"}
    refused = client.post(url, data | {"honorific": "other", "honorific_other": ""})
    assert refused.status_code == 200
    assert "Write the honorific, or choose one of the list." in refused.content.decode()
    assert (
        client.post(url, data | {"honorific": "other", "honorific_other": "Rev."}).status_code
        == 302
    )
    panelist = Panelist.objects.get(name="Ana Pérez")
    assert (panelist.honorific, panelist.honorific_other, panelist.display_name) == (
        "other",
        "Rev.",
        "Rev. Ana Pérez",
    )
