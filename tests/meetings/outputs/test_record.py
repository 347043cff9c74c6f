"""build_record and what the outputs derive from it, on a small meeting driven to the end here.

Two mechanisms, two rounds of seven minutes (10:00 in New York, 14:00 UTC, ten minutes of
opening, 30 seconds between speakers), three seats: Ana Pérez (RCM), Luis Gómez (CSM) and
Eva Ruiz (CSM, declined: out of the rounds, in the secretariat's attendance). The clock runs
with fixed instants, so every second of the record is known.
"""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from meetings.models import (
    Answer,
    Meeting,
    Panelist,
    PanelistStatus,
    PublishedRecord,
    Round,
    Turn,
)
from meetings.outputs.record import (
    SCHEMA,
    build_record,
    coordination_by_mechanism,
    coordination_matrix,
    entry_order,
    following_entry,
    timing,
)
from meetings.roles import SECRETARIAT
from meetings.services import live_session
from meetings.services.answers import save_draft, submit_answer
from meetings.services.revisions import save_text
from tests.factories import (
    before_the_session,
    make_mechanism,
    make_meeting,
    make_panelist,
    make_user,
)

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2030, 5, 17, 14, 10, tzinfo=dt.UTC)  # 10:10 in New York: the first turn


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def z(seconds: float) -> str:
    return at(seconds).isoformat().replace("+00:00", "Z")


def act(meeting, action, seconds, **arguments):
    return live_session.perform(meeting, action, by=None, now=at(seconds), **arguments)


def turn_of(panelist, number: int) -> Turn:
    return Turn.objects.get(panelist=panelist, round__number=number)


def run_the_session(meeting) -> None:
    """Round 1: Ana 400 s; Luis with a minute added, 500 s (Eva declined: not in the order).
    Round 2: Ana 100 s, a pause, 350 s more (450 s, 30 s over); Luis skipped."""
    act(meeting, "start", 0)
    act(meeting, "next", 400)
    act(meeting, "start", 430)
    act(meeting, "add_minute", 440)
    act(meeting, "next", 930)
    act(meeting, "start", 1000)
    act(meeting, "pause", 1100)
    act(meeting, "resume", 1200)
    act(meeting, "next", 1550)
    act(meeting, "skip", 1560)


@pytest.fixture
def clerk():
    return make_user(SECRETARIAT, username="clerk", first_name="Sam", last_name="Clerk")


def small_meeting(clerk) -> dict:
    """The meeting of this module's docstring, run to the end, with summaries, notes and
    coordination (used by the exports' and views' tests too)."""
    meeting = make_meeting(
        slug="small-record",
        title_en="Small thematic meeting",
        document_reference="CIDRP00001E01",
        chair_en="Chair of the CAM",
        venue_en="OAS headquarters",
    )
    rcm = make_mechanism(
        slug="rcm",
        position=1,
        acronym_en="RCM",
        acronym_es="CRM",
        name_en="Regional Conference on Migration",
        name_es="Conferencia Regional sobre Migración",
    )
    csm = make_mechanism(
        slug="csm",
        position=2,
        acronym_en="CSM",
        acronym_es="CSM",
        name_en="South American Conference on Migration",
        name_es="Conferencia Suramericana sobre Migraciones",
    )
    # Added CSM first: the panel is listed in directory order, not in the order of adding.
    luis = make_panelist(meeting, csm, name="Luis Gómez", status=PanelistStatus.CONFIRMED)
    ana = make_panelist(
        meeting,
        rcm,
        name="Ana Pérez",
        position="Director",
        organisation="Ministry of Foreign Affairs",
        status=PanelistStatus.CONFIRMED,
    )
    eva = make_panelist(meeting, csm, name="Eva Ruiz", status=PanelistStatus.DECLINED)
    round1, round2 = Round.objects.filter(meeting=meeting).order_by("number")
    # Ana speaks first in both rounds.
    for round_ in (round1, round2):
        for position, panelist in enumerate([ana, luis, eva], start=1):
            Turn.objects.filter(round=round_, panelist=panelist).update(position=position)
    submit_answer(ana, round1, "RCM answer to question 1.")
    submit_answer(luis, round1, "CSM answer to question 1.\nSecond line.")
    submit_answer(ana, round2, "RCM answer to question 2.")
    before_the_session(meeting)
    run_the_session(meeting)

    save_text(turn_of(ana, 1), "summary", "Ana: regional work.", base_version=0, by=clerk)
    save_text(turn_of(luis, 1), "summary", "Luis: South American work.", base_version=0, by=clerk)
    save_text(turn_of(ana, 2), "summary", "Ana: joint work.", base_version=0, by=clerk)
    save_text(turn_of(ana, 1), "notes", "Internal: Ana spoke fast.", base_version=0, by=clerk)
    turn_of(ana, 1).coordination.set([csm])
    turn_of(ana, 2).coordination.set([csm])
    turn_of(luis, 1).coordination.set([rcm])
    return {
        "meeting": Meeting.objects.get(pk=meeting.pk),
        "ana": ana,
        "luis": luis,
        "eva": eva,
        "rcm": rcm,
        "csm": csm,
    }


@pytest.fixture
def small(clerk):
    return small_meeting(clerk)


def entries_by(record) -> dict[tuple[int, str], dict]:
    """Each entry by (round, panelist's name)."""
    names = {person["id"]: person["name"] for person in record["panel"]}
    return {
        (round_["number"], names[entry["panelist"]]): entry
        for round_ in record["rounds"]
        for entry in round_["entries"]
    }


def test_the_record_has_the_schema_the_meeting_and_the_mechanisms_on_the_panel(small):
    record = build_record(small["meeting"], internal=False)
    assert record["schema"] == SCHEMA == "cam-meetings/record/2"
    assert (record["language"], record["internal"]) == ("en", False)
    assert (record["published_at"], record["published_by"]) == (None, None)
    assert record["meeting"] == {
        "slug": "small-record",
        "title": "Small thematic meeting",
        "document_reference": "CIDRP00001E01",
        "date": "2030-05-17",
        "start": "10:00",
        "end": "13:00",
        "time_zone": "America/New_York",
        "scheduled_start": "2030-05-17T14:00:00Z",
        "scheduled_end": "2030-05-17T17:00:00Z",
        "format": "Hybrid",
        "venue": "OAS headquarters",
        "chair": "Chair of the CAM",
        "convening_body": "",
    }
    assert record["mechanisms"] == [
        {
            "slug": "rcm",
            "acronym": "RCM",
            "name": "Regional Conference on Migration",
            "on_panel": True,
        },
        {
            "slug": "csm",
            "acronym": "CSM",
            "name": "South American Conference on Migration",
            "on_panel": True,
        },
    ]


def test_the_record_is_plain_json(small):
    record = build_record(small["meeting"], internal=True)
    assert json.loads(json.dumps(record)) == record


def test_generated_at_is_utc_with_a_z(small):
    record = build_record(small["meeting"], internal=False)
    generated = dt.datetime.fromisoformat(record["generated_at"].replace("Z", "+00:00"))
    assert record["generated_at"].endswith("Z") and len(record["generated_at"]) == 20
    assert abs((dt.datetime.now(dt.UTC) - generated).total_seconds()) < 60


def test_the_panel_lists_every_seat_in_directory_order_with_who_spoke(small):
    record = build_record(small["meeting"], internal=False)
    assert record["panel"] == [
        {
            "id": small["ana"].pk,
            "mechanism": "rcm",
            "name": "Ana Pérez",
            "honorific": "",
            "position": "Director",
            "organisation": "Ministry of Foreign Affairs",
            "status": "confirmed",
            "spoke": True,
            "attendance": "in_room",
        },
        {
            "id": small["luis"].pk,
            "mechanism": "csm",
            "name": "Luis Gómez",
            "honorific": "",
            "position": "",
            "organisation": "",
            "status": "confirmed",
            "spoke": True,
            "attendance": "in_room",
        },
    ]


def test_who_declined_is_in_the_secretariats_attendance_only(small):
    eva = small["eva"]
    Panelist.objects.filter(pk=eva.pk).update(decline_reason="Travelling that week.")
    internal = build_record(small["meeting"], internal=True)
    public = build_record(small["meeting"], internal=False)
    assert [person["name"] for person in internal["panel"]] == [
        "Ana Pérez",
        "Luis Gómez",
        "Eva Ruiz",
    ]
    assert internal["panel"][2] == {
        "id": eva.pk,
        "mechanism": "csm",
        "name": "Eva Ruiz",
        "honorific": "",
        "position": "",
        "organisation": "",
        "status": "declined",
        "spoke": False,
        "attendance": "in_room",
        "decline_reason": "Travelling that week.",
        "substitute_for": None,
    }
    assert "Eva Ruiz" not in json.dumps(public, ensure_ascii=False)
    assert "Travelling" not in json.dumps(public)


def test_the_rounds_hold_their_question_and_the_entries_in_speaking_order(small):
    record = build_record(small["meeting"], internal=False)
    assert [
        (r["number"], r["title"], r["question"], r["speaking_seconds"]) for r in record["rounds"]
    ] == [(1, "", "Question 1?", 420), (2, "", "Question 2?", 420)]
    names = {person["id"]: person["name"] for person in record["panel"]}
    assert [
        [(entry["position"], names[entry["panelist"]]) for entry in round_["entries"]]
        for round_ in record["rounds"]
    ] == [
        [(1, "Ana Pérez"), (2, "Luis Gómez")],
        [(1, "Ana Pérez"), (2, "Luis Gómez")],
    ]


def test_an_entry_holds_the_answer_summary_coordination_and_exact_times(small):
    record = build_record(small["meeting"], internal=False)
    ana = small["ana"]
    answer = Answer.objects.get(panelist=ana, round__number=1)
    assert entries_by(record)[1, "Ana Pérez"] == {
        "turn": turn_of(ana, 1).pk,
        "panelist": ana.pk,
        "mechanism": "rcm",
        "position": 1,
        "status": "finished",
        "answer": "RCM answer to question 1.",
        "answer_submitted_at": answer.submitted_at.astimezone(dt.UTC)
        .isoformat(timespec="seconds")
        .replace("+00:00", "Z"),
        "summary": "Ana: regional work.",
        "coordination": ["csm"],
        "allotted_seconds": 420,
        "used_seconds": 400,
        "overtime_seconds": 0,
        "planned_start": "2030-05-17T14:10:00Z",
        "planned_end": "2030-05-17T14:17:00Z",
        "started_at": "2030-05-17T14:10:00Z",
        "ended_at": "2030-05-17T14:16:40Z",
    }


def test_an_added_minute_raises_the_allotment_and_overtime_counts_beyond_it(small):
    entries = entries_by(build_record(small["meeting"], internal=False))
    luis = entries[1, "Luis Gómez"]
    assert (luis["allotted_seconds"], luis["used_seconds"], luis["overtime_seconds"]) == (
        480,
        500,
        20,
    )
    assert (luis["planned_start"], luis["planned_end"], luis["started_at"], luis["ended_at"]) == (
        "2030-05-17T14:17:30Z",
        "2030-05-17T14:24:30Z",  # planned at seven minutes; the added minute came later
        z(430),
        z(930),
    )
    assert luis["answer"] == "CSM answer to question 1.\nSecond line."
    assert luis["coordination"] == ["rcm"]


def test_a_pause_is_not_counted_as_time_used(small):
    ana = entries_by(build_record(small["meeting"], internal=False))[2, "Ana Pérez"]
    assert (ana["allotted_seconds"], ana["used_seconds"], ana["overtime_seconds"]) == (420, 450, 30)
    assert (ana["planned_start"], ana["started_at"], ana["ended_at"]) == (
        "2030-05-17T14:24:30Z",
        "2030-05-17T14:26:40Z",
        "2030-05-17T14:35:50Z",
    )
    assert (ana["answer"], ana["summary"], ana["coordination"]) == (
        "RCM answer to question 2.",
        "Ana: joint work.",
        ["csm"],
    )


def test_a_skipped_turn_has_no_times_and_an_unanswered_one_no_answer(small):
    entries = entries_by(build_record(small["meeting"], internal=False))
    luis = entries[2, "Luis Gómez"]
    assert {key: luis[key] for key in luis if key not in ("turn", "panelist")} == {
        "mechanism": "csm",
        "position": 2,
        "status": "skipped",
        "answer": "",
        "answer_submitted_at": None,
        "summary": "",
        "coordination": [],
        "allotted_seconds": 420,
        "used_seconds": 0,
        "overtime_seconds": 0,
        "planned_start": "2030-05-17T14:32:00Z",
        "planned_end": "2030-05-17T14:39:00Z",
        "started_at": None,
        "ended_at": None,
    }


def test_a_declined_panelist_has_no_place_in_the_rounds(small):
    """Their turns are out of the live order: not listed as skipped, not in any round."""
    for internal in (False, True):
        record = build_record(small["meeting"], internal=internal)
        entries = [entry for round_ in record["rounds"] for entry in round_["entries"]]
        assert small["eva"].pk not in {entry["panelist"] for entry in entries}
        assert all(entry["planned_start"] for entry in entries)


def test_notes_are_in_the_internal_record_only(small):
    internal = build_record(small["meeting"], internal=True)
    public = build_record(small["meeting"], internal=False)
    assert internal["internal"] is True
    assert [[entry["notes"] for entry in round_["entries"]] for round_ in internal["rounds"]] == [
        ["Internal: Ana spoke fast.", ""],
        ["", ""],
    ]
    assert all("notes" not in entry for round_ in public["rounds"] for entry in round_["entries"])
    assert "Ana spoke fast" not in json.dumps(public)


def test_a_publication_gives_when_and_by_whom(small, clerk):
    publication = PublishedRecord.objects.create(
        meeting=small["meeting"], published_by=clerk, content={}
    )
    PublishedRecord.objects.filter(pk=publication.pk).update(
        published_at=dt.datetime(2030, 5, 18, 15, 30, 5, 123456, tzinfo=dt.UTC)
    )
    publication.refresh_from_db()
    record = build_record(small["meeting"], internal=False, published=publication)
    assert (record["published_at"], record["published_by"]) == ("2030-05-18T15:30:05Z", "Sam Clerk")


def test_a_publisher_without_a_full_name_is_given_by_role_not_user_name(small):
    publisher = make_user(SECRETARIAT, username="secretariat-7")
    publication = PublishedRecord.objects.create(
        meeting=small["meeting"], published_by=publisher, content={}
    )
    record = build_record(small["meeting"], internal=False, published=publication)
    assert record["published_by"] == "Secretariat"


def test_the_record_is_given_in_the_active_language(small):
    with translation.override("es"):
        record = build_record(small["meeting"], internal=False)
    assert record["language"] == "es"
    assert record["meeting"]["title"] == small["meeting"].title_es
    assert record["rounds"][0]["question"] == "¿Pregunta 1?"
    assert record["mechanisms"][0] == {
        "slug": "rcm",
        "acronym": "CRM",
        "name": "Conferencia Regional sobre Migración",
        "on_panel": True,
    }


def test_the_coordination_matrix_counts_answers_from_row_to_column(small):
    record = build_record(small["meeting"], internal=False)
    assert [(row["slug"], counts) for row, counts in coordination_matrix(record)] == [
        ("rcm", [0, 2]),
        ("csm", [1, 0]),
    ]


def test_coordination_by_mechanism_gives_who_proposes_whom(small):
    record = build_record(small["meeting"], internal=False)
    assert [
        (
            mechanism["slug"],
            [m["slug"] for m in proposes],
            [m["slug"] for m in proposed_by],
        )
        for mechanism, proposes, proposed_by in coordination_by_mechanism(record)
    ] == [("rcm", ["csm"], ["csm"]), ("csm", ["rcm"], ["rcm"])]


def test_coordination_one_way_is_shown_one_way(small):
    turn_of(small["luis"], 1).coordination.clear()
    record = build_record(small["meeting"], internal=False)
    assert [(row["slug"], counts) for row, counts in coordination_matrix(record)] == [
        ("rcm", [0, 2]),
        ("csm", [0, 0]),
    ]
    assert [
        (mechanism["slug"], [m["slug"] for m in proposes], [m["slug"] for m in proposed_by])
        for mechanism, proposes, proposed_by in coordination_by_mechanism(record)
    ] == [("rcm", ["csm"], []), ("csm", [], ["rcm"])]


def test_timing_sums_the_turns_given_per_round_and_for_the_meeting(small):
    times = timing(build_record(small["meeting"], internal=False))
    assert times == {
        "rounds": [
            {
                "number": 1,
                "allotted": 900,
                "used": 900,
                "overtime": 20,
                "speakers": 2,
                "planned_start": "2030-05-17T14:10:00Z",
                "planned_end": "2030-05-17T14:24:30Z",
                "started_at": "2030-05-17T14:10:00Z",
                "ended_at": "2030-05-17T14:25:30Z",
            },
            {
                "number": 2,
                "allotted": 420,
                "used": 450,
                "overtime": 30,
                "speakers": 1,
                # Planned for Ana and Luis; only Ana spoke.
                "planned_start": "2030-05-17T14:24:30Z",
                "planned_end": "2030-05-17T14:39:00Z",
                "started_at": "2030-05-17T14:26:40Z",
                "ended_at": "2030-05-17T14:35:50Z",
            },
        ],
        "allotted": 1320,
        "used": 1350,
        "overtime": 50,
        "speakers": 3,
        "planned_start": "2030-05-17T14:10:00Z",
        "planned_end": "2030-05-17T14:39:00Z",
        "started_at": "2030-05-17T14:10:00Z",
        "ended_at": "2030-05-17T14:35:50Z",
    }


def test_a_round_still_running_has_no_end_yet(small):
    record = build_record(small["meeting"], internal=False)
    record["rounds"][1]["entries"][0]["ended_at"] = None  # Ana still speaking
    times = timing(record)
    assert (times["rounds"][1]["started_at"], times["rounds"][1]["ended_at"]) == (
        "2030-05-17T14:26:40Z",
        None,
    )
    assert times["ended_at"] == "2030-05-17T14:25:30Z"  # the last end there is


def test_timing_of_a_record_published_without_planned_ends(small):
    record = build_record(small["meeting"], internal=False)
    for round_ in record["rounds"]:
        for entry in round_["entries"]:
            del entry["planned_end"]
    times = timing(record)
    assert (times["planned_start"], times["planned_end"]) == ("2030-05-17T14:10:00Z", None)


def test_a_meeting_nobody_has_spoken_at_has_empty_timing(db):
    meeting = make_meeting()
    make_panelist(meeting)
    record = build_record(meeting, internal=False)
    assert [entry["started_at"] for r in record["rounds"] for entry in r["entries"]] == [None, None]
    assert [p["spoke"] for p in record["panel"]] == [False]
    assert timing(record) == {
        "rounds": [
            {
                "number": n,
                "allotted": 0,
                "used": 0,
                "overtime": 0,
                "speakers": 0,
                "planned_start": start,
                "planned_end": end,
                "started_at": None,
                "ended_at": None,
            }
            for n, start, end in (
                (1, "2030-05-17T14:10:00Z", "2030-05-17T14:17:00Z"),
                (2, "2030-05-17T14:17:00Z", "2030-05-17T14:24:00Z"),
            )
        ],
        "allotted": 0,
        "used": 0,
        "overtime": 0,
        "speakers": 0,
        "planned_start": "2030-05-17T14:10:00Z",
        "planned_end": "2030-05-17T14:24:00Z",
        "started_at": None,
        "ended_at": None,
    }


def test_only_submitted_answers_reach_the_record(small):
    meeting = small["meeting"]
    round2 = Round.objects.get(meeting=meeting, number=2)
    Meeting.objects.filter(pk=meeting.pk).update(status="in_progress")
    save_draft(small["luis"], round2, "A draft nobody submitted.")
    entries = entries_by(build_record(meeting, internal=False))
    assert entries[2, "Luis Gómez"]["answer"] == ""


def panel_of(size: int, clerk) -> Meeting:
    """A meeting with `size` panelists, one mechanism each, all with an answer, a summary,
    notes and coordination, and the first round run."""
    meeting = make_meeting()
    mechanisms = [make_mechanism() for _ in range(size)]
    panelists = [make_panelist(meeting, mechanism) for mechanism in mechanisms]
    rounds = list(Round.objects.filter(meeting=meeting).order_by("number"))
    for index, panelist in enumerate(panelists):
        for round_ in rounds:
            submit_answer(panelist, round_, f"Answer {index} to {round_.number}.")
            turn = Turn.objects.get(panelist=panelist, round=round_)
            save_text(turn, "summary", f"Summary {index}.", base_version=0, by=clerk)
            save_text(turn, "notes", f"Notes {index}.", base_version=0, by=clerk)
            turn.coordination.set([mechanisms[(index + 1) % size]])
    before_the_session(meeting)
    for index in range(size):
        act(meeting, "start", index * 100)
        act(meeting, "next", index * 100 + 90)
    publication = PublishedRecord.objects.create(meeting=meeting, published_by=clerk, content={})
    meeting = Meeting.objects.get(pk=meeting.pk)
    meeting.publication = PublishedRecord.objects.select_related("published_by").get(
        pk=publication.pk
    )
    return meeting


def test_build_record_queries_do_not_grow_with_the_panel(clerk):
    counts = []
    for size in (2, 8):
        meeting = panel_of(size, clerk)
        with CaptureQueriesContext(connection) as queries:
            record = build_record(meeting, internal=True, published=meeting.publication)
        assert len(record["panel"]) == size
        assert sum(len(r["entries"]) for r in record["rounds"]) == 2 * size
        counts.append(len(queries))
    # The rounds with their agenda items, their turns, the panel with its mechanisms, the
    # mechanisms named in coordination and who named them, the answers, the agenda, the
    # interventions with their delegations, the participating delegations, and (internal) who
    # declined.
    assert counts == [10, 10]


def test_the_summaries_follow_the_record_by_round_then_position():
    """ "Save and next": the entries' turns as the record lists them."""
    record = {
        "rounds": [
            {"number": 1, "entries": [{"turn": 7}, {"turn": 3}]},
            {"number": 2, "entries": [{"turn": 4}, {"turn": 8}]},
        ]
    }
    order = entry_order(record)
    assert order == [7, 3, 4, 8]
    assert [following_entry(order, turn) for turn in order] == [3, 4, 8, None]
    assert following_entry(order, 99) is None  # a turn not in the record
