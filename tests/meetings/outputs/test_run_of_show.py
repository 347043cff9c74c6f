"""The run of show of a stored meeting: its whole agenda in order, with clock times."""

import datetime as dt

import pytest

from meetings.domain.run_of_show import ItemKind
from meetings.models import ItemKind as AgendaKind
from meetings.models import PanelistStatus
from meetings.outputs.run_of_show import run_of_show
from meetings.services.slots import slot_of
from tests.factories import make_item, make_meeting, make_panelist, whole_agenda

pytestmark = pytest.mark.django_db


def hhmm(line) -> str:
    return line.starts_at.strftime("%H:%M")


@pytest.fixture
def meeting():
    meeting = make_meeting(opening_minutes=0, closing_minutes=0, changeover_seconds=30)
    for _ in range(2):
        make_panelist(meeting)
    _opening, dialogue, _closing = whole_agenda(meeting)
    dialogue.planned_minutes = 30
    dialogue.save()
    return meeting


def test_every_item_of_the_agenda_has_its_planned_time_in_order(meeting):
    show = run_of_show(meeting)
    assert [(line.item.heading, hhmm(line), line.duration) for line in show.agenda] == [
        ("Opening remarks", "10:00", dt.timedelta(minutes=5)),
        ("Round 1", "10:05", dt.timedelta(minutes=14, seconds=30)),
        ("Round 2", "10:19", dt.timedelta(minutes=14, seconds=30)),
        ("Dialogue with delegations", "10:34", dt.timedelta(minutes=30)),
        ("Closing remarks", "11:04", dt.timedelta(minutes=5)),
    ]
    assert show.planned_end.strftime("%H:%M") == "11:09"
    speakers = [line for line in show.items if line.kind == ItemKind.SPEAKER]
    assert [str(line.speaker.speaker_label) for line in speakers] == ["Chair of the CAM"] * 2
    dialogue = show.agenda[3]
    assert dialogue.speaking_time == dt.timedelta(minutes=3)


def test_opening_and_closing_minutes_frame_the_agenda(meeting):
    meeting.opening_minutes, meeting.closing_minutes = 10, 5
    meeting.save()
    show = run_of_show(meeting)
    assert (show.items[0].kind, hhmm(show.items[0])) == (ItemKind.OPENING, "10:00")
    assert hhmm(show.agenda[0]) == "10:10"
    assert (show.items[-1].kind, hhmm(show.items[-1])) == (ItemKind.CLOSING, "11:19")


def test_a_panelists_slot_follows_the_items_before_their_round(meeting):
    second = meeting.panelists.order_by("pk")[1]
    turns = slot_of(meeting, run_of_show(meeting), second)["turns"]
    # after 5 minutes of opening remarks and the first panelist's 7 and a half
    assert [(turn["round"], turn["time"]) for turn in turns] == [(1, "10:12"), (2, "10:27")]


def test_a_break_moves_what_follows_and_a_decline_brings_it_back(meeting):
    make_item(meeting, AgendaKind.OTHER, title_en="Coffee break", planned_minutes=15)
    show = run_of_show(meeting)
    assert [line.item.heading for line in show.agenda][-1] == "Coffee break"
    assert show.planned_end.strftime("%H:%M") == "11:24"
    first = meeting.panelists.order_by("pk")[0]
    first.status = PanelistStatus.DECLINED
    first.save()
    assert run_of_show(meeting).planned_end.strftime("%H:%M") == "11:09"  # 2 × 7:30 less


def test_a_point_of_order_is_no_part_of_the_plan(meeting):
    from meetings.models import Intervention

    opening = meeting.agenda.get(position=1)
    Intervention.objects.create(
        meeting=meeting, item=opening, position=9, speaker_en="Delegate", point_of_order=True
    )
    assert run_of_show(meeting).planned_end.strftime("%H:%M") == "11:09"


def test_the_seeded_meeting_opens_with_its_remarks_at_ten_and_fits_its_three_hours(seeded):
    from meetings.models import Meeting

    meeting = Meeting.objects.get(slug="migration-governance-2022")
    show = run_of_show(meeting)
    assert [(hhmm(line), line.agenda_kind) for line in show.agenda] == [
        ("10:00", "remarks"),
        ("10:05", "round"),
        ("10:57", "round"),
        ("11:49", "dialogue"),
        ("12:19", "remarks"),
    ]
    assert show.planned_end.strftime("%H:%M") == "12:24"
    assert show.fits


def test_the_plan_reads_the_agenda_in_a_fixed_number_of_queries(meeting, django_assert_num_queries):
    from meetings.outputs.run_of_show import rounds_with_order

    rounds = rounds_with_order(meeting)
    with django_assert_num_queries(2):  # the agenda, the remarks' speakers
        run_of_show(meeting, rounds)
    for item in meeting.agenda.filter(kind=AgendaKind.REMARKS):
        from tests.factories import make_remarks_speaker

        make_remarks_speaker(item, speaker_en="Secretary General")
    with django_assert_num_queries(2):
        show = run_of_show(meeting, rounds)
    assert len([line for line in show.items if line.kind == ItemKind.SPEAKER]) == 4
