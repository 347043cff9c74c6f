"""build_record over the whole agenda: every item in order with its time, the interventions of
remarks, points of order and the dialogue, and the delegations that took part (the meeting of
whole_meeting, run at fixed instants)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from meetings.models import Attendance, Intervention, ItemKind, RequestSource, TurnStatus
from meetings.outputs.record import (
    agenda_of,
    beyond_the_rounds,
    build_record,
    without_declined,
)
from tests.factories import make_delegation, make_item, make_remarks_speaker
from tests.meetings.outputs.test_record import panel_of
from tests.meetings.outputs.whole_meeting import at, z

pytestmark = pytest.mark.django_db


def items_of(record: dict) -> list[tuple]:
    return [
        (
            item["position"],
            item["kind"],
            item["title"],
            item["round"],
            item["planned_seconds"],
            item["actual_seconds"],
            item["used_seconds"],
            item["started_at"],
            item["ended_at"],
        )
        for item in record["agenda"]
    ]


def test_every_item_is_in_order_with_its_time_planned_and_actual(whole):
    record = build_record(whole["meeting"], internal=False)
    assert items_of(record) == [
        (1, "remarks", "Opening remarks", None, 300, 280, 280, z(0), z(280)),
        # Rosa 400 s, Spain's point of order 60 s, Tomás 430 s; planned: two turns and the
        # changeover between them
        (2, "round", "Round 1", 1, 870, 910, 890, z(300), z(1210)),
        # from the end of the round to Next item; Mexico 170 s and the IOM 200 s
        (3, "dialogue", "Dialogue with delegations", None, 1200, 490, 370, z(1210), z(1700)),
        (4, "other", "Break", None, 900, 900, 0, z(1700), z(2600)),
        (5, "remarks", "Closing remarks", None, 300, 290, 290, z(2610), z(2900)),
    ]
    # The run of show's slots (ten minutes of opening before the first item).
    assert [(item["planned_start"], item["planned_end"]) for item in record["agenda"]] == [
        (z(600), z(900)),
        (z(900), z(1770)),
        (z(1770), z(2970)),
        (z(2970), z(3870)),
        (z(3870), z(4170)),
    ]
    round_item = record["agenda"][1]
    assert (round_item["planned_start"], round_item["planned_end"]) == (
        record["rounds"][0]["entries"][0]["planned_start"],
        record["rounds"][0]["entries"][-1]["planned_end"],
    )
    assert [item["speaking_seconds"] for item in record["agenda"]] == [300, 420, 180, None, 300]


def test_remarks_name_their_speaker_with_the_summary(whole):
    record = build_record(whole["meeting"], internal=False)
    (opening,) = record["agenda"][0]["interventions"]
    assert opening == {
        "intervention": whole["opening"].interventions.get().pk,
        "position": 1,
        "speaker": "Chair of the CAM, Ana Pérez",
        "delegation": None,
        "point_of_order": False,
        "source": "planned",
        "attendance": "in_room",
        "status": "finished",
        "summary": "The Chair opened the meeting.",
        "allotted_seconds": 300,
        "used_seconds": 280,
        "overtime_seconds": 0,
        "requested_at": None,
        "started_at": z(0),
        "ended_at": z(280),
    }


def test_the_dialogue_gives_each_delegation_in_the_order_it_had_the_floor(whole):
    record = build_record(whole["meeting"], internal=True)
    mexico, iom = record["agenda"][2]["interventions"]
    assert (mexico["speaker"], mexico["delegation"], mexico["source"]) == (
        "Delegation of Mexico",
        "MX",
        "floor_page",
    )
    assert (mexico["requested_at"], mexico["started_at"], mexico["ended_at"]) == (
        z(1220),
        z(1230),
        z(1400),
    )
    assert (mexico["summary"], mexico["notes"]) == (
        "Mexico asked about returns.",
        "Internal: Mexico spoke fast.",
    )
    assert iom["speaker"] == "International Organization for Migration"
    assert iom["delegation"] == "IOM"
    assert (iom["allotted_seconds"], iom["used_seconds"], iom["overtime_seconds"]) == (180, 200, 20)


def test_a_point_of_order_is_an_intervention_of_the_item_it_was_raised_in(whole):
    record = build_record(whole["meeting"], internal=False)
    (point,) = record["agenda"][1]["interventions"]
    assert (point["speaker"], point["point_of_order"], point["attendance"]) == (
        "Delegation of Spain",
        True,
        "online",
    )
    assert (point["started_at"], point["used_seconds"]) == (z(710), 60)
    # The round's own entries stay the panel's.
    assert [entry["status"] for entry in record["rounds"][0]["entries"]] == ["finished"] * 2


def test_notes_of_interventions_are_in_the_internal_record_only(whole):
    public = build_record(whole["meeting"], internal=False)
    assert all("notes" not in i for item in public["agenda"] for i in item["interventions"])
    assert "Mexico spoke fast" not in str(without_declined(public))


def test_the_delegations_that_took_part_are_those_present_and_those_that_spoke(whole):
    record = build_record(whole["meeting"], internal=False)
    assert record["delegations"] == [
        {
            "code": "MX",
            "name": "Delegation of Mexico",
            "kind": "member_state",
            "attendance": "in_room",
            "interventions": 1,
            "points_of_order": 0,
            "used_seconds": 170,
            "spoke": True,
        },
        {
            "code": "ES",
            "name": "Delegation of Spain",
            "kind": "observer",
            "attendance": "online",
            "interventions": 1,
            "points_of_order": 1,
            "used_seconds": 60,
            "spoke": True,
        },
        {  # not marked present, yet it spoke
            "code": "IOM",
            "name": "International Organization for Migration",
            "kind": "organisation",
            "attendance": "absent",
            "interventions": 1,
            "points_of_order": 0,
            "used_seconds": 200,
            "spoke": True,
        },
    ]  # Canada, not present and silent, is not among them


def test_a_delegation_present_that_never_spoke_is_listed(whole):
    whole["canada"].attendance = Attendance.ONLINE
    whole["canada"].save()
    record = build_record(whole["meeting"], internal=False)
    canada = next(d for d in record["delegations"] if d["code"] == "CA")
    assert (canada["attendance"], canada["interventions"], canada["spoke"]) == ("online", 0, False)


def test_a_request_still_waiting_is_listed_as_not_given(whole):
    dialogue = whole["dialogue"]
    Intervention.objects.create(
        meeting=whole["meeting"],
        item=dialogue,
        position=9,
        delegation=whole["canada"],
        source=RequestSource.CHAIR,
        requested_at=at(1500),
    )
    record = build_record(whole["meeting"], internal=False)
    waiting = record["agenda"][2]["interventions"][-1]
    assert (waiting["status"], waiting["started_at"], waiting["used_seconds"]) == (
        TurnStatus.PENDING,
        None,
        0,
    )
    assert "CA" not in {d["code"] for d in record["delegations"]}  # it did not speak


def test_an_item_under_way_has_no_end_yet(whole):
    meeting = whole["meeting"]
    meeting.agenda.filter(position=4).update(closed_at=None)
    record = build_record(meeting, internal=False)
    pause = record["agenda"][3]
    assert (pause["started_at"], pause["ended_at"]) == (z(1700), None)
    # Counted until the record is made (here before the meeting's date: nothing yet).
    assert pause["actual_seconds"] == 0


def test_the_record_is_given_in_the_active_language(whole):
    with translation.override("es"):
        record = build_record(whole["meeting"], internal=False)
    assert [item["title"] for item in record["agenda"]][2:4] == [
        "Diálogo con las delegaciones",
        "Pausa",
    ]
    assert record["agenda"][0]["interventions"][0]["speaker"].startswith("Presidencia de la CAM")
    assert "México" in record["delegations"][0]["name"]
    assert record["delegations"][2]["name"] == "Organización Internacional para las Migraciones"


def test_a_record_of_rounds_alone_has_its_rounds_as_its_agenda(small):
    record = build_record(small["meeting"], internal=False)
    assert [(item["kind"], item["round"]) for item in record["agenda"]] == [
        (ItemKind.ROUND, 1),
        (ItemKind.ROUND, 2),
    ]
    assert record["delegations"] == []
    assert not beyond_the_rounds(record)


def test_a_record_published_before_agendas_reads_as_its_rounds():
    record = {"rounds": [{"number": 1}, {"number": 2}]}
    assert [(item["position"], item["round"]) for item in agenda_of(record)] == [(1, 1), (2, 2)]
    assert not beyond_the_rounds(record)


def test_build_record_queries_do_not_grow_with_the_interventions(db):
    counts = []
    for size in (2, 8):
        meeting = panel_of(2, None)
        remarks = make_item(meeting, ItemKind.REMARKS)
        dialogue = make_item(meeting, ItemKind.DIALOGUE)
        for number in range(size):
            make_remarks_speaker(remarks, speaker_name=f"Speaker {number}")
            Intervention.objects.create(
                meeting=meeting,
                item=dialogue,
                position=number + 1,
                delegation=make_delegation(meeting, attendance=Attendance.IN_ROOM),
                status=TurnStatus.FINISHED,
                spent_seconds=100,
                started_at=at(number * 200),
                ended_at=at(number * 200 + 100),
                summary=f"Summary {number}.",
            )
        with CaptureQueriesContext(connection) as queries:
            record = build_record(meeting, internal=True, published=meeting.publication)
        assert len(record["delegations"]) == size
        assert sum(len(item["interventions"]) for item in record["agenda"]) == 2 * size
        counts.append(len(queries))
    # As for the panel (test_record), and the remarks items' named speakers.
    assert counts == [11, 11]
