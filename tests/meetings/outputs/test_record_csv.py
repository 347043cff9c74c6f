"""The record as CSV, read back the way a spreadsheet reads it: one row per panelist and round."""

import pytest

from meetings.outputs.record import build_record
from meetings.outputs.record_csv import csv_rows
from meetings.outputs.record_markdown import to_markdown
from meetings.services.revisions import save_text
from tests.factories import make_mechanism
from tests.meetings.outputs.read_back import parsed_csv
from tests.meetings.outputs.test_record import turn_of

pytestmark = pytest.mark.django_db


HEADER = [
    "Meeting",
    "Round",
    "Position",
    "Mechanism",
    "Acronym",
    "Panelist",
    "Status",
    "Written answer",
    "Summary",
    "Proposes to coordinate with",
    "Allotted (s)",
    "Used (s)",
    "Overtime (s)",
    "Planned start",
    "Started",
    "Ended",
    "Agenda item",
    "Point of order",
]


def test_csv_has_a_header_and_one_row_per_panelist_and_round(demo):
    rows = parsed_csv(build_record(demo, internal=False))
    assert rows[0] == HEADER
    assert len(rows) == 1 + 6 * 2
    assert [(row[1], row[2], row[5]) for row in rows[1:]] == [
        (str(number), str(position), f"Panelist {position}")
        for number in (1, 2)
        for position in range(1, 7)
    ]
    assert {row[0] for row in rows[1:]} == {"demo"}
    assert {row[6] for row in rows[1:]} == {"Spoke"}


def test_csv_columns_hold_the_record_of_each_turn(small):
    rows = parsed_csv(build_record(small["meeting"], internal=False))
    assert rows == [
        HEADER,
        [
            "small-record", "1", "1", "Regional Conference on Migration", "RCM", "Ana Pérez",
            "Spoke", "RCM answer to question 1.", "Ana: regional work.", "CSM", "420", "400", "0",
            "2030-05-17T14:10:00Z", "2030-05-17T14:10:00Z", "2030-05-17T14:16:40Z", "1", "",
        ],
        [
            "small-record", "1", "2", "South American Conference on Migration", "CSM",
            "Luis Gómez", "Spoke", "CSM answer to question 1.\nSecond line.",
            "Luis: South American work.", "RCM", "480", "500", "20",
            "2030-05-17T14:17:30Z", "2030-05-17T14:17:10Z", "2030-05-17T14:25:30Z", "1", "",
        ],
        [
            "small-record", "2", "1", "Regional Conference on Migration", "RCM", "Ana Pérez",
            "Spoke", "RCM answer to question 2.", "Ana: joint work.", "CSM", "420", "450", "30",
            "2030-05-17T14:24:30Z", "2030-05-17T14:26:40Z", "2030-05-17T14:35:50Z", "2", "",
        ],
        [
            "small-record", "2", "2", "South American Conference on Migration", "CSM",
            "Luis Gómez", "Skipped", "", "", "", "420", "0", "0", "2030-05-17T14:32:00Z", "", "",
            "2", "",
        ],
    ]  # fmt: skip


def test_csv_has_a_notes_column_only_when_internal(small):
    internal = parsed_csv(build_record(small["meeting"], internal=True))
    public = parsed_csv(build_record(small["meeting"], internal=False))
    assert internal[0] == [*HEADER, "Notes (internal)"]
    assert [row[-1] for row in internal[1:]] == ["Internal: Ana spoke fast.", "", "", ""]
    assert all(len(row) == 18 for row in public)
    assert "Ana spoke fast" not in "".join(cell for row in public for cell in row)


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_a_csv_cell_that_could_be_a_formula_is_neutralised(small, start):
    turn = turn_of(small["ana"], 1)
    save_text(turn, "summary", f'{start}HYPERLINK("http://x")', base_version=1, by=None)
    rows = parsed_csv(build_record(small["meeting"], internal=False))
    assert rows[1][8] == f'\'{start}HYPERLINK("http://x")'
    assert rows[2][8] == "Luis: South American work."  # other cells as they are


def test_csv_rows_are_the_record_unneutralised_the_response_neutralises(small):
    turn = turn_of(small["ana"], 1)
    save_text(turn, "summary", "=1+1", base_version=1, by=None)
    record = build_record(small["meeting"], internal=False)
    assert csv_rows(record)[1][8] == "=1+1"
    assert parsed_csv(record)[1][8] == "'=1+1"


def test_coordination_with_a_mechanism_not_on_the_panel_is_kept_in_the_exports(small):
    gcm = make_mechanism(slug="gcm", acronym_en="GCM", name_en="Global Compact for Migration")
    turn_of(small["luis"], 1).coordination.set([small["rcm"], gcm])
    record = build_record(small["meeting"], internal=False)
    luis = record["rounds"][0]["entries"][1]
    assert luis["coordination"] == ["gcm", "rcm"]  # the record itself has it
    assert "GCM" in parsed_csv(record)[2][9]
    assert "Proposes to coordinate with: GCM, RCM" in to_markdown(record)


def test_csv_gives_each_intervention_after_the_panels_rows(whole):
    rows = parsed_csv(build_record(whole["meeting"], internal=True))
    assert [row[1] for row in rows[1:3]] == ["1", "1"]  # the round's two turns
    interventions = rows[3:]
    assert [(row[16], row[4], row[5], row[17]) for row in interventions] == [
        ("1", "", "Chair of the CAM, Ana Pérez", "no"),
        ("2", "ES", "Delegation of Spain", "yes"),
        ("3", "MX", "Delegation of Mexico", "no"),
        ("3", "IOM", "International Organization for Migration", "no"),
        ("5", "", "Chair of the CAM, Ana Pérez", "no"),
    ]
    mexico = interventions[2]
    assert (mexico[1], mexico[3], mexico[6], mexico[8]) == (
        "",
        "",
        "Spoke",
        "Mexico asked about returns.",
    )
    assert mexico[10:13] == ["180", "170", "0"]
    assert mexico[-1] == "Internal: Mexico spoke fast."
