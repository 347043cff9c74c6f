"""The agenda as the secretariat builds it: positions stay 1, 2, 3... whatever is added,
moved or removed; a round's item moves but goes only with its round; a remarks item's
speakers; every action under the meeting's lock, logged."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from meetings.forms import MeetingForm, RoundFormSet
from meetings.models import (
    AgendaItem,
    Attendance,
    Intervention,
    ItemKind,
    MeetingLog,
    MeetingStatus,
    TurnStatus,
)
from meetings.services import agenda
from meetings.services.meetings import save_meeting
from tests.factories import (
    make_delegation,
    make_item,
    make_meeting,
    make_user,
    meeting_form,
    saved_rounds,
    whole_agenda,
)

pytestmark = pytest.mark.django_db


def headings(meeting) -> list[str]:
    return [str(item.heading) for item in meeting.agenda.order_by("position")]


def positions(meeting) -> list[int]:
    return list(meeting.agenda.order_by("position").values_list("position", flat=True))


@pytest.fixture
def meeting():
    meeting = make_meeting()
    whole_agenda(meeting)
    return meeting


def test_an_item_is_added_at_the_end_with_its_titles_and_logged(meeting):
    user = make_user()
    item = agenda.add_item(
        meeting,
        by=user,
        kind=ItemKind.OTHER,
        title_en="Coffee break",
        title_es="Pausa",
        title_fr="Pause",
        title_pt="Intervalo",
        planned_minutes=15,
        speaking_seconds=120,
    )
    assert item.position == 6
    assert positions(meeting) == [1, 2, 3, 4, 5, 6]
    assert (item.title_es, item.planned_minutes) == ("Pausa", 15)
    assert item.speaking_seconds is None  # a break has no speakers
    log = MeetingLog.objects.get(action="agenda.item_added")
    assert (log.actor, log.detail) == (user, {"item": 6, "kind": "other"})


def test_a_round_is_not_added_here_nor_an_item_without_title(meeting):
    with pytest.raises(ValidationError):
        agenda.add_item(meeting, by=None, kind=ItemKind.ROUND, title_en="Round 3")
    with pytest.raises(ValidationError):
        agenda.add_item(meeting, by=None, kind=ItemKind.OTHER, title_en="  ")
    with pytest.raises(ValidationError):
        agenda.add_item(
            meeting, by=None, kind=ItemKind.REMARKS, title_en="Long", speaking_seconds=10**6
        )
    with pytest.raises(ValidationError):
        agenda.add_item(meeting, by=None, kind=ItemKind.OTHER, title_en="Two\nlines")
    assert positions(meeting) == [1, 2, 3, 4, 5]


def test_an_item_is_edited_but_a_rounds_item_is_changed_with_its_round(meeting):
    opening = meeting.agenda.get(position=1)
    agenda.update_item(opening, by=None, title_fr="Allocutions d'ouverture", speaking_seconds=240)
    opening.refresh_from_db()
    assert (opening.title_fr, opening.speaking_seconds) == ("Allocutions d'ouverture", 240)
    assert MeetingLog.objects.get(action="agenda.item_changed").detail["fields"] == [
        "speaking_seconds",
        "title_fr",
    ]
    with pytest.raises(ValidationError):
        agenda.update_item(meeting.agenda.get(position=2), by=None, title_en="Round one")


def test_moving_swaps_with_the_neighbour_a_round_included(meeting):
    closing = meeting.agenda.get(position=5)
    agenda.move_item(closing, -1, by=None)
    assert headings(meeting)[3:] == ["Closing remarks", "Dialogue with delegations"]
    round_item = meeting.agenda.get(position=2)
    agenda.move_item(round_item, -1, by=None)
    assert headings(meeting)[0] == "Round 1"
    assert positions(meeting) == [1, 2, 3, 4, 5]
    with pytest.raises(ValidationError):
        agenda.move_item(meeting.agenda.get(position=1), -1, by=None)
    with pytest.raises(ValidationError):
        agenda.move_item(meeting.agenda.get(position=5), 1, by=None)


def test_removing_closes_the_gap_and_refuses_a_round_or_an_item_held(meeting):
    dialogue = meeting.agenda.get(kind=ItemKind.DIALOGUE)
    agenda.remove_item(dialogue, by=None)
    assert headings(meeting) == ["Opening remarks", "Round 1", "Round 2", "Closing remarks"]
    assert positions(meeting) == [1, 2, 3, 4]
    with pytest.raises(ValidationError):
        agenda.remove_item(meeting.agenda.get(position=2), by=None)
    opening = meeting.agenda.get(position=1)
    opening.interventions.update(status=TurnStatus.FINISHED)
    with pytest.raises(ValidationError):
        agenda.remove_item(opening, by=None)
    assert positions(meeting) == [1, 2, 3, 4]


def test_removing_a_round_on_the_meetings_page_keeps_the_agenda_whole(meeting):
    version = MeetingForm(instance=meeting)["loaded_version"].value()
    data = meeting_form(loaded_version=version) | saved_rounds(meeting) | {"rounds-1-DELETE": "on"}
    with transaction.atomic():
        form = MeetingForm(data, instance=meeting)
        rounds = RoundFormSet(data, instance=meeting, prefix="rounds")
        assert form.is_valid() and rounds.is_valid(), (form.errors, rounds.errors)
        save_meeting(form, rounds=rounds, by=None)
    assert headings(meeting) == [
        "Opening remarks",
        "Round 1",
        "Dialogue with delegations",
        "Closing remarks",
    ]
    assert positions(meeting) == [1, 2, 3, 4]


def test_a_concluded_meetings_agenda_no_longer_changes(meeting):
    meeting.status = MeetingStatus.CONCLUDED
    meeting.save()
    with pytest.raises(ValidationError):
        agenda.add_item(meeting, by=None, kind=ItemKind.OTHER, title_en="Break")
    with pytest.raises(ValidationError):
        agenda.move_item(meeting.agenda.get(position=5), -1, by=None)


def test_a_remarks_items_speakers_are_added_edited_moved_and_removed(meeting):
    opening = meeting.agenda.get(position=1)
    official = agenda.add_speaker(
        opening,
        by=None,
        speaker_en="Secretary for Access to Rights",
        speaker_es="Secretario de Acceso a Derechos",
        speaker_fr="",
        speaker_pt="",
        speaker_name="Mauricio Rands",
        attendance=Attendance.ONLINE,
    )
    assert official.position == 2
    assert official.is_online
    agenda.update_speaker(official, by=None, speaker_name="M. Rands", attendance="in_room")
    official.refresh_from_db()
    assert (official.speaker_name, official.is_online) == ("M. Rands", False)
    agenda.move_speaker(official, -1, by=None)
    assert opening.interventions.order_by("position").first().speaker_name == "M. Rands"
    agenda.remove_speaker(official, by=None)
    assert list(opening.interventions.values_list("speaker_en", flat=True)) == ["Chair of the CAM"]


def test_speakers_belong_to_remarks_and_who_has_spoken_stays(meeting):
    dialogue = meeting.agenda.get(kind=ItemKind.DIALOGUE)
    with pytest.raises(ValidationError):
        agenda.add_speaker(dialogue, by=None, speaker_en="Chair")
    with pytest.raises(ValidationError):
        agenda.add_speaker(meeting.agenda.get(position=1), by=None, speaker_en="")
    request = Intervention.objects.create(
        meeting=meeting, item=dialogue, position=1, delegation=make_delegation(meeting)
    )
    with pytest.raises(ValidationError):
        agenda.update_speaker(request, by=None, speaker_name="Someone")
    chair = meeting.agenda.get(position=1).interventions.get()
    Intervention.objects.filter(pk=chair.pk).update(status=TurnStatus.FINISHED)
    with pytest.raises(ValidationError):
        agenda.remove_speaker(chair, by=None)


def test_a_new_item_can_be_moved_anywhere_and_removed():
    meeting = make_meeting()
    item = make_item(meeting, ItemKind.OTHER, title_en="Video")
    agenda.move_item(item, -1, by=None)
    agenda.move_item(AgendaItem.objects.get(pk=item.pk), -1, by=None)
    assert headings(meeting)[0] == "Video"
    agenda.remove_item(AgendaItem.objects.get(pk=item.pk), by=None)
    assert headings(meeting) == ["Round 1", "Round 2"]
    assert positions(meeting) == [1, 2]
