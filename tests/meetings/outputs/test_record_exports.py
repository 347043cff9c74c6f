"""The record as files, each parsed back: JSON, CSV, Markdown, DOCX and the timing chart.

Two meetings: the demo meeting of `make_demo_meeting --panelists 6` (six seats, two rounds, run
to the end) and the small meeting of test_record (RCM and CSM, exact times).
"""

import csv
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET

import docx
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from config.common.spreadsheets import csv_response
from mechanisms.models import acronym_and_name
from meetings.models import (
    Answer,
    Meeting,
    Panelist,
    PanelistStatus,
    PublishedRecord,
    Round,
)
from meetings.outputs.record import build_record, panel_mechanisms
from meetings.outputs.record_exports import (
    CELL_PADDING_CM,
    CHARACTER_CM,
    csv_rows,
    file_stem,
    md,
    page_numbers,
    timing_svg,
    to_docx,
    to_json,
    to_markdown,
)
from meetings.roles import SECRETARIAT
from meetings.services import live_session
from meetings.services.revisions import save_text
from tests.factories import (
    before_the_session,
    make_mechanism,
    make_meeting,
    make_panelist,
    make_user,
)
from tests.meetings.outputs.test_record import small_meeting, turn_of

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
# The record's sections, in order, in every document (DOCX headings, Markdown's ##)
SECTIONS = ["Agenda", "Round 1", "Round 2", "Coordination", "Timing", "Attendance"]
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
]


@pytest.fixture
def demo(seeded):
    call_command("make_demo_meeting", "--slug", "demo", "--panelists", "6", stdout=io.StringIO())
    return Meeting.objects.get(slug="demo")


@pytest.fixture
def small():
    return small_meeting(clerk=None)


def published_record(meeting, language: str = "en") -> dict:
    """The record as published by Sam Clerk on 18 May 2030 at 15:30:05 UTC (11:30 in New York)."""
    clerk = make_user(SECRETARIAT, first_name="Sam", last_name="Clerk")
    publication = PublishedRecord.objects.create(meeting=meeting, published_by=clerk, content={})
    PublishedRecord.objects.filter(pk=publication.pk).update(
        published_at=dt.datetime(2030, 5, 18, 15, 30, 5, tzinfo=dt.UTC)
    )
    publication.refresh_from_db()
    with translation.override(language):
        return build_record(meeting, internal=False, published=publication)


def parsed_csv(record: dict) -> list[list[str]]:
    """The CSV the report downloads, read back the way a spreadsheet reads it."""
    content = csv_response(f"{file_stem(record)}.csv", csv_rows(record)).content
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def opened(record: dict) -> docx.document.Document:
    return docx.Document(io.BytesIO(to_docx(record)))


def paragraphs(document) -> list[str]:
    return [paragraph.text for paragraph in document.paragraphs]


def styled(document, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


def table_text(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def all_text(document) -> str:
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(paragraphs(document) + cells)


# JSON ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("internal", [True, False])
def test_json_round_trips_to_the_record(demo, internal):
    record = build_record(demo, internal=internal)
    loaded = json.loads(to_json(record))
    assert loaded == record
    assert loaded["schema"] == "cam-meetings/record/1"
    assert len(loaded["panel"]) == 6


def test_json_of_the_small_meeting_keeps_accents_as_text(small):
    record = build_record(small["meeting"], internal=True)
    text = to_json(record)
    assert json.loads(text) == record
    assert '"name": "Ana Pérez"' in text
    assert '"schema": "cam-meetings/record/1"' in text


def readme_schema() -> dict[str, set[str]]:
    """The keys the README's table of the record's JSON names: the top level's from its first
    column, each part's from the {…} its description opens with."""
    text = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## The record's JSON") :]
    section = section[: section.index("\n## ", 1)]
    schema: dict[str, set[str]] = {"": set()}
    for row in re.findall(r"^\| (`.+?`) \| (.+) \|$", section, re.MULTILINE):
        keys = re.findall(r"`([^`]+)`", row[0])
        schema[""].update(key for key in keys if "[" not in key)
        listed = re.match(r"`\[?\{([^}]*)\}\]?`", row[1])
        if listed:
            schema[keys[0]] = {key.strip().rstrip("?") for key in listed.group(1).split(",")}
    return schema


def test_the_readme_names_every_key_of_the_json_and_no_other(small):
    record = build_record(small["meeting"], internal=True)
    assert readme_schema() == {
        "": set(record),
        "meeting": set(record["meeting"]),
        "mechanisms": set(record["mechanisms"][0]),
        "panel": set(record["panel"][0]),
        "rounds": set(record["rounds"][0]),
        "rounds[].entries": set(record["rounds"][0]["entries"][0]),  # notes included
    }


# CSV -------------------------------------------------------------------------------------------


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
            "2030-05-17T14:10:00Z", "2030-05-17T14:10:00Z", "2030-05-17T14:16:40Z",
        ],
        [
            "small-record", "1", "2", "South American Conference on Migration", "CSM",
            "Luis Gómez", "Spoke", "CSM answer to question 1.\nSecond line.",
            "Luis: South American work.", "RCM", "480", "500", "20",
            "2030-05-17T14:17:30Z", "2030-05-17T14:17:10Z", "2030-05-17T14:25:30Z",
        ],
        [
            "small-record", "2", "1", "Regional Conference on Migration", "RCM", "Ana Pérez",
            "Spoke", "RCM answer to question 2.", "Ana: joint work.", "CSM", "420", "450", "30",
            "2030-05-17T14:24:30Z", "2030-05-17T14:26:40Z", "2030-05-17T14:35:50Z",
        ],
        [
            "small-record", "2", "2", "South American Conference on Migration", "CSM",
            "Luis Gómez", "Skipped", "", "", "", "420", "0", "0", "2030-05-17T14:32:00Z", "", "",
        ],
    ]  # fmt: skip


def test_csv_has_a_notes_column_only_when_internal(small):
    internal = parsed_csv(build_record(small["meeting"], internal=True))
    public = parsed_csv(build_record(small["meeting"], internal=False))
    assert internal[0] == [*HEADER, "Notes (internal)"]
    assert [row[-1] for row in internal[1:]] == ["Internal: Ana spoke fast.", "", "", ""]
    assert all(len(row) == 16 for row in public)
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


# Markdown --------------------------------------------------------------------------------------


def test_markdown_has_a_heading_per_round_and_per_mechanism(demo):
    record = build_record(demo, internal=False)
    text = to_markdown(record)
    lines = text.splitlines()
    assert lines[0] == f"# {md(record['meeting']['title'])}"
    assert lines[0] == "# Demo thematic meeting (6 panelists)"
    assert [line for line in lines if line.startswith("## ")] == [f"## {s}" for s in SECTIONS]
    third_level = [line for line in lines if line.startswith("### ")]
    assert third_level == [
        f"### {md(mechanism['acronym'])} — Panelist {index}"
        for _round in (1, 2)
        for index, mechanism in enumerate(panel_mechanisms(record), start=1)
    ] + ["### Time per round", "### Time per speaker"]
    assert "### Quito Process — Panelist 6" in third_level
    for round_ in record["rounds"]:
        for entry in round_["entries"]:
            assert md(entry["answer"]) in text and md(entry["summary"]) in text


def test_markdown_of_the_small_meeting(small):
    text = to_markdown(build_record(small["meeting"], internal=False))
    assert text.startswith(
        "# Small thematic meeting\n\n"
        "**Record of the meeting** · May 17, 2030, 10:00–13:00 (America/New_York)\n\n"
        "Document: CIDRP00001E01\n\n"
        "## Agenda\n\n"
        "| Round | Position | Speaker | Planned |\n"
        "|---|---|---|---|\n"
        "| 1 | 1 | RCM — Ana Pérez | 10:10–10:17 |\n"
        "| 1 | 2 | CSM — Luis Gómez | 10:17–10:24 |\n"
        "| 2 | 1 | RCM — Ana Pérez | 10:24–10:31 |\n"
        "| 2 | 2 | CSM — Luis Gómez | 10:32–10:39 |\n\n"
        "## Round 1\n\n"
        "*Question 1?*\n\n"
        "### RCM — Ana Pérez\n\n"
        "**Written answer**\n\n"
        "RCM answer to question 1.\n\n"
        "**Summary**\n\n"
        "Ana: regional work.\n\n"
        "Proposes to coordinate with: CSM\n\n"
        "Time used: 6:40 of 7:00 · Spoke\n\n"
        "### CSM — Luis Gómez\n\n"
        "**Written answer**\n\n"
        "CSM answer to question 1.  \nSecond line.\n\n"  # lines kept: a hard break
    )
    assert "Time used: 8:20 of 8:00 · Spoke" in text
    assert "Eva Ruiz" not in text  # declined: in no round, and not in the public attendance
    assert text[text.index("## Coordination") :].startswith(
        "## Coordination\n\n"
        "How many answers of each mechanism (rows) propose to coordinate with each other "
        "mechanism (columns).\n\n"
        "| Proposed by ↓ / with → | RCM | CSM |\n"
        "|---|---|---|\n"
        "| RCM | 0 | 2 |\n"
        "| CSM | 1 | 0 |\n\n"
        "- **RCM**: proposes CSM; proposed by CSM\n"
        "- **CSM**: proposes RCM; proposed by RCM\n\n"
        "## Timing\n\n"
        "### Time per round\n\n"
        "| Round | Speakers | Planned | Actual | Allotted | Used | Overtime |\n"
        "|---|---|---|---|---|---|---|\n"
        "| 1 | 2 | 10:10–10:24 | 10:10–10:25 | 15:00 | 15:00 | 0:20 |\n"
        "| 2 | 1 | 10:24–10:39 | 10:26–10:35 | 7:00 | 7:30 | 0:30 |\n"
        "| Meeting | 3 | 10:10–10:39 | 10:10–10:35 | 22:00 | 22:30 | 0:50 |\n\n"
        "### Time per speaker\n\n"
        "| Round | Speaker | Planned | Actual | Allotted | Used | Overtime |\n"
        "|---|---|---|---|---|---|---|\n"
        "| 1 | RCM — Ana Pérez | 10:10–10:17 | 10:10–10:16 | 7:00 | 6:40 | 0:00 |\n"
        "| 1 | CSM — Luis Gómez | 10:17–10:24 | 10:17–10:25 | 8:00 | 8:20 | 0:20 |\n"
        "| 2 | RCM — Ana Pérez | 10:24–10:31 | 10:26–10:35 | 7:00 | 7:30 | 0:30 |\n"
        "| 2 | CSM — Luis Gómez | 10:32–10:39 | — | 7:00 | 0:00 | 0:00 |\n\n"
        "## Attendance\n\n"
        "| Mechanism | Panelist | Reply to the invitation | Spoke |\n"
        "|---|---|---|---|\n"
        "| RCM | Ana Pérez | Confirmed | yes |\n"
        "| CSM | Luis Gómez | Confirmed | yes |\n"
    )
    assert "Notes" not in text and "Ana spoke fast" not in text


def test_markdown_says_who_published_and_when_in_the_meetings_time_zone(small):
    text = to_markdown(published_record(small["meeting"]))
    assert "\n\nPublished May 18, 2030, 11:30 by Sam Clerk.\n\n" in text
    assert "2030-05-18" not in text and "15:30" not in text


def test_markdown_in_french_writes_dates_as_french_does(small):
    record = published_record(small["meeting"], "fr")
    with translation.override("fr"):
        text = to_markdown(record)
    assert "· 17 mai 2030, 10:00–13:00 (America/New_York)" in text
    assert "Publié le 18 mai 2030, 11:30 par Sam Clerk." in text
    assert "2030-05" not in text


def test_markdown_and_docx_give_attendance_in_the_records_language(small):
    Panelist.objects.filter(pk=small["eva"].pk).update(status=PanelistStatus.INVITED)
    with translation.override("es"):
        record = build_record(small["meeting"], internal=False)
        text = to_markdown(record)
        document = opened(record)
    assert text.endswith(
        "## Asistencia\n\n"
        "| Mecanismo | Panelista | Respuesta a la invitación | Intervino |\n"
        "|---|---|---|---|\n"
        "| CRM | Ana Pérez | Confirmado | sí |\n"
        "| CSM | Luis Gómez | Confirmado | sí |\n"
        "| CSM | Eva Ruiz | Invitado | no |\n"
    )
    assert table_text(document.tables[-1])[-1] == ["CSM", "Eva Ruiz", "Invitado", "no"]


def test_markdown_has_the_notes_only_when_internal(small):
    text = to_markdown(build_record(small["meeting"], internal=True))
    assert "**Notes (internal)**\n\nInternal: Ana spoke fast.\n\n" in text


def test_markdown_escapes_what_the_user_typed(small):
    turn = turn_of(small["ana"], 1)
    save_text(turn, "summary", "**bold** <script>", base_version=1, by=None)
    text = to_markdown(build_record(small["meeting"], internal=False))
    assert "**Summary**\n\n\\*\\*bold\\*\\* \\<script>\n\n" in text
    assert "**bold**" not in text
    assert "<script>" not in text.replace("\\<script>", "")


@pytest.mark.parametrize(
    ("typed", "escaped"),
    [
        ("# Not a heading", "\\# Not a heading"),
        ("[a link](javascript:alert(1))", "\\[a link\\](javascript:alert(1))"),
        ("- not a list", "\\- not a list"),
        ("> not a quote", "\\> not a quote"),
        ("`code` and _under_ | pipe", "\\`code\\` and \\_under\\_ \\| pipe"),
        ("![img](x.png)", "!\\[img\\](x.png)"),
        ("1. not numbered", "1\\. not numbered"),
        ("+ not a list", "\\+ not a list"),
        ("&amp; not an entity", "\\&amp; not an entity"),
    ],
)
def test_markdown_escapes_every_kind_of_markup(small, typed, escaped):
    save_text(turn_of(small["ana"], 1), "summary", typed, base_version=1, by=None)
    text = to_markdown(build_record(small["meeting"], internal=False))
    assert f"**Summary**\n\n{escaped}\n\n" in text


def test_markdown_does_not_let_user_text_underline_itself_into_a_heading(small):
    save_text(turn_of(small["ana"], 1), "summary", "Not a heading\n===", base_version=1, by=None)
    text = to_markdown(build_record(small["meeting"], internal=False))
    assert "===" not in text.splitlines()


def test_markdown_escapes_the_meeting_and_mechanism_names(db):
    meeting = make_meeting(title_en="A *title* <b>")
    mechanism = make_mechanism(acronym_en="M_1", name_en="[Name]")
    make_panelist(meeting, mechanism, name="Ana *Pérez*")
    text = to_markdown(build_record(meeting, internal=False))
    assert text.startswith("# A \\*title\\* \\<b>\n")
    assert "### M_1 — Ana \\*Pérez\\*\n" in text


@pytest.mark.parametrize(
    "typed",
    [
        "Dr. Michael Dubois-Martin (CSM), 2026-05-17",
        "Coordination with R4V + MIRPS = 2 mechanisms! {a} 3.5 # 4",
        "snake_case_name and 10:00–11:00 at the O.A.S.",
    ],
)
def test_markdown_escapes_only_where_commonmark_reads_markup(small, typed):
    save_text(turn_of(small["ana"], 1), "summary", typed, base_version=1, by=None)
    text = to_markdown(build_record(small["meeting"], internal=False))
    assert f"**Summary**\n\n{typed}\n\n" in text  # no needless backslash


# DOCX ------------------------------------------------------------------------------------------


def test_docx_of_the_demo_meeting_has_the_title_page_rounds_and_entries(demo):
    record = build_record(demo, internal=False)
    document = opened(record)
    texts = paragraphs(document)
    assert texts[:5] == [
        "Committee on Migration Issues",
        "Record of the meeting",
        "Demo thematic meeting (6 panelists)",
        "May 17, 2026, 10:00–13:00 (America/New_York)",
        "Chair: Chair of the Committee on Migration Issues (CAM)",
    ]
    assert styled(document, "Heading 1") == SECTIONS
    assert styled(document, "Heading 2") == [
        acronym_and_name(mechanism["acronym"], mechanism["name"])
        for _round in (1, 2)
        for mechanism in panel_mechanisms(record)
    ] + ["Time per round", "Time per speaker"]
    for round_ in record["rounds"]:
        for entry in round_["entries"]:
            assert f"Written answer: {entry['answer']}" in texts
            assert f"Summary: {entry['summary']}" in texts
    assert not any(text.startswith("Notes (internal)") for text in texts)
    run_of_show, coordination, timing_table, per_turn, attendance = document.tables
    assert len(table_text(run_of_show)) == 1 + 6 * 2
    assert len(table_text(per_turn)) == 1 + 6 * 2
    assert table_text(attendance)[1:] == [
        [mechanism["acronym"], f"Panelist {index}", "Confirmed", "yes"]
        for index, mechanism in enumerate(panel_mechanisms(record), start=1)
    ]
    assert table_text(coordination)[0] == [
        "Proposed by ↓ / with →",
        *[mechanism["acronym"] for mechanism in record["mechanisms"]],  # panel, then named
    ]
    assert table_text(coordination)[0][1:7] == [
        "RCM",
        "CSM",
        "CAM",
        "CMC",
        "MIRPS",
        "Quito Process",
    ]
    assert [row[0] for row in table_text(timing_table)] == ["Round", "1", "2", "Meeting"]
    assert table_text(timing_table)[3][1] == "12"
    assert document.core_properties.title == "Demo thematic meeting (6 panelists)"


def test_docx_of_the_small_meeting(small):
    document = opened(build_record(small["meeting"], internal=False))
    texts = paragraphs(document)
    assert texts[:6] == [
        "Record of the meeting",
        "Small thematic meeting",
        "May 17, 2030, 10:00–13:00 (America/New_York)",
        "CIDRP00001E01",
        "Chair: Chair of the CAM",
        "Agenda",  # after a page break
    ]
    assert texts[texts.index("Round 1") + 1 :][:8] == [
        "Question 1?",
        "RCM — Regional Conference on Migration",
        "Ana Pérez, Director, Ministry of Foreign Affairs",
        "Written answer: RCM answer to question 1.",
        "Summary: Ana: regional work.",
        "Proposes to coordinate with: CSM",
        "Time used: 6:40 of 7:00 · Spoke",
        "CSM — South American Conference on Migration",
    ]
    assert "Written answer: CSM answer to question 1." in texts
    assert texts[texts.index("Written answer: CSM answer to question 1.") + 1] == "Second line."
    run_of_show, coordination, timing_table, per_turn, attendance = document.tables
    assert table_text(attendance) == [
        ["Mechanism", "Panelist", "Reply to the invitation", "Spoke"],
        ["RCM", "Ana Pérez", "Confirmed", "yes"],
        ["CSM", "Luis Gómez", "Confirmed", "yes"],
    ]
    assert table_text(run_of_show) == [
        ["Round", "Position", "Speaker", "Planned"],
        ["1", "1", "RCM — Ana Pérez", "10:10–10:17"],
        ["1", "2", "CSM — Luis Gómez", "10:17–10:24"],
        ["2", "1", "RCM — Ana Pérez", "10:24–10:31"],
        ["2", "2", "CSM — Luis Gómez", "10:32–10:39"],
    ]
    assert table_text(coordination) == [
        ["Proposed by ↓ / with →", "RCM", "CSM"],
        ["RCM", "", "2"],
        ["CSM", "1", ""],
    ]
    assert "RCM: proposes CSM; proposed by CSM" in texts
    assert table_text(timing_table) == [
        ["Round", "Speakers", "Planned", "Actual", "Allotted", "Used", "Overtime"],
        ["1", "2", "10:10–10:24", "10:10–10:25", "15:00", "15:00", "0:20"],
        ["2", "1", "10:24–10:39", "10:26–10:35", "7:00", "7:30", "0:30"],
        ["Meeting", "3", "10:10–10:39", "10:10–10:35", "22:00", "22:30", "0:50"],
    ]
    assert table_text(per_turn) == [
        ["Round", "Speaker", "Planned", "Actual", "Allotted", "Used", "Overtime"],
        ["1", "RCM — Ana Pérez", "10:10–10:17", "10:10–10:16", "7:00", "6:40", "0:00"],
        ["1", "CSM — Luis Gómez", "10:17–10:24", "10:17–10:25", "8:00", "8:20", "0:20"],
        ["2", "RCM — Ana Pérez", "10:24–10:31", "10:26–10:35", "7:00", "7:30", "0:30"],
        ["2", "CSM — Luis Gómez", "10:32–10:39", "—", "7:00", "0:00", "0:00"],
    ]
    # The header row repeats on each page a long table runs over.
    assert per_turn.rows[0]._tr.trPr.xml.count("tblHeader") == 1


def test_docx_says_who_published_and_when_in_the_language_of_the_record(small):
    english = paragraphs(opened(published_record(small["meeting"])))
    assert "Published May 18, 2030, 11:30 by Sam Clerk." in english
    record = published_record(small["meeting"], "fr")
    with translation.override("fr"):
        french = paragraphs(opened(record))
    assert "17 mai 2030, 10:00–13:00 (America/New_York)" in french
    assert "Publié le 18 mai 2030, 11:30 par Sam Clerk." in french
    assert not any("2030-05" in text for text in french)


def test_a_turn_still_running_is_shown_without_an_end(small):
    record = build_record(small["meeting"], internal=False)
    record["rounds"][1]["entries"][0]["ended_at"] = None  # Ana still speaking in round 2
    text = to_markdown(record)
    assert "| 2 | RCM — Ana Pérez | 10:24–10:31 | 10:26–… | 7:00 | 7:30 | 0:30 |\n" in text
    assert "| 2 | 1 | 10:24–10:39 | 10:26–… |" in text


def test_a_record_published_before_planned_ends_were_kept_still_exports(small):
    record = build_record(small["meeting"], internal=False)
    for round_ in record["rounds"]:
        for entry in round_["entries"]:
            del entry["planned_end"]
    assert "| 1 | RCM — Ana Pérez | 10:10–… | 10:10–10:16 |" in to_markdown(record)
    assert table_text(opened(record).tables[0])[1] == ["1", "1", "RCM — Ana Pérez", "10:10–…"]


def test_turns_given_on_another_day_than_the_meetings_say_which_day(small):
    record = build_record(small["meeting"], internal=False)
    entry = record["rounds"][0]["entries"][0]  # Ana's first turn, given a day late
    for key in ("started_at", "ended_at"):
        later = dt.datetime.fromisoformat(entry[key]) + dt.timedelta(days=1)
        entry[key] = later.isoformat().replace("+00:00", "Z")
    text = to_markdown(record)
    assert "| 1 | RCM — Ana Pérez | 10:10–10:17 | May 18, 2030, 10:10–10:16 |" in text
    assert "| 1 | CSM — Luis Gómez | 10:17–10:24 | 10:17–" in text  # on the day: the time alone


def test_french_puts_a_space_before_its_colons(small):
    Round.objects.filter(meeting=small["meeting"], number=1).update(
        title_en="Challenges", title_fr="Défis"
    )
    with translation.override("fr"):
        record = build_record(small["meeting"], internal=False)
        text = to_markdown(record)
        document = opened(record)
    assert "## Tour 1 : Défis\n" in text
    assert styled(document, "Heading 1")[1] == "Tour 1 : Défis"
    assert "Résumé : Ana: regional work." in paragraphs(document)  # typed text kept as typed


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def fields(paragraph) -> list[str]:
    return [code.text.strip() for code in paragraph._p.iter(f"{W}instrText")]


def test_docx_pages_have_the_title_and_reference_at_the_top_and_numbers_at_the_bottom(small):
    document = opened(build_record(small["meeting"], internal=False))
    first, *others = document.sections
    header = first.header.paragraphs[0]
    assert header.text == "Small thematic meeting\tCIDRP00001E01"
    footer = first.footer.paragraphs[0]
    assert fields(footer) == ["PAGE", "NUMPAGES"]
    assert footer.text == "Page 1 of 1"  # the fields' results until the word processor lays out
    # The title page goes without; every later page has them, rounds and annexes included.
    assert first.different_first_page_header_footer
    assert first.first_page_header.paragraphs[0].text == ""
    assert len(others) == 4  # round 1, round 2, coordination, timing and attendance
    for section in others:
        assert section.header.is_linked_to_previous and section.footer.is_linked_to_previous
        assert not section.different_first_page_header_footer


def test_the_page_numbers_go_where_the_sentence_puts_them():
    paragraph = docx.Document().add_paragraph()
    page_numbers(paragraph, "%(pages)s pages, page %(page)s")
    assert fields(paragraph) == ["NUMPAGES", "PAGE"]
    assert paragraph.text == "1 pages, page 1"


def test_a_long_title_is_shortened_in_the_running_header(db):
    meeting = make_meeting(title_en="A" * 200, document_reference="")
    header = opened(build_record(meeting, internal=False)).sections[0].header.paragraphs[0]
    assert header.text == "A" * 89 + "…"


def test_the_running_header_shortens_a_title_between_words(db):
    title = "Regional consultative processes on migration and the Global Compacts, " * 3
    meeting = make_meeting(title_en=title.strip(), document_reference="")
    header = opened(build_record(meeting, internal=False)).sections[0].header.paragraphs[0]
    assert len(header.text) <= 90 and header.text.endswith("…")
    assert title.startswith(header.text[:-1]) and title[len(header.text) - 1] == " "


def word_fits(word: str, width_cm: float) -> bool:
    return len(word) * CHARACTER_CM + CELL_PADDING_CM <= width_cm + 1e-3  # EMU rounding


def test_docx_columns_are_sized_to_their_content_and_never_break_a_word(demo):
    document = opened(build_record(demo, internal=False))
    run_of_show = document.tables[0]
    widths = [column.width.cm for column in run_of_show.columns]
    labels = [cell.text for cell in run_of_show.rows[0].cells]
    assert labels == ["Round", "Position", "Speaker", "Planned"]
    assert widths[0] < widths[2] / 3 and widths[1] < widths[2] / 3  # narrow number columns
    section = document.sections[0]
    page = (section.page_width - section.left_margin - section.right_margin) / docx.shared.Cm(1)
    for table in document.tables:
        columns = [column.width.cm for column in table.columns]
        assert sum(columns) <= page + 0.01
        for row in table.rows:
            for cell, width in zip(row.cells, columns, strict=True):
                assert cell.width.cm == pytest.approx(width)  # Word reads the cells' widths
                assert all(word_fits(word, width) for word in cell.text.split()), cell.text


def test_docx_table_rows_never_split_across_pages(demo):
    document = opened(build_record(demo, internal=False))
    for table in document.tables:
        for row in table.rows:
            assert row._tr.trPr.find(docx.oxml.ns.qn("w:cantSplit")) is not None


@pytest.mark.parametrize(
    ("language", "tag"), [("en", "en-US"), ("es", "es-ES"), ("fr", "fr-FR"), ("pt", "pt-BR")]
)
def test_docx_declares_the_records_language(small, language, tag):
    with translation.override(language):
        document = opened(build_record(small["meeting"], internal=False))
    defaults = document.styles.element.find(docx.oxml.ns.qn("w:docDefaults"))
    [lang] = defaults.iter(docx.oxml.ns.qn("w:lang"))
    assert lang.get(docx.oxml.ns.qn("w:val")) == tag
    assert document.core_properties.language == tag


def test_docx_title_is_a_title_and_its_properties_say_who_made_it_and_when(small):
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    record = build_record(small["meeting"], internal=False)
    document = opened(record)
    assert styled(document, "Title") == ["Small thematic meeting"]
    properties = document.core_properties
    assert properties.title == "Small thematic meeting"
    assert properties.author == (record["meeting"]["convening_body"] or "Technical Secretariat")
    assert properties.author != "python-docx"
    assert properties.created >= before - dt.timedelta(seconds=1)
    assert properties.created.year > 2013


def test_docx_has_the_notes_only_when_internal(small):
    internal = paragraphs(opened(build_record(small["meeting"], internal=True)))
    public = all_text(opened(build_record(small["meeting"], internal=False)))
    assert "Notes (internal): Internal: Ana spoke fast." in internal
    assert "Ana spoke fast" not in public


def test_docx_holds_user_text_as_plain_text(small):
    save_text(turn_of(small["ana"], 1), "summary", "**bold** <script>", base_version=1, by=None)
    texts = paragraphs(opened(build_record(small["meeting"], internal=False)))
    assert "Summary: **bold** <script>" in texts


def test_a_control_character_does_not_break_the_docx(small):
    meeting = small["meeting"]
    Meeting.objects.filter(pk=meeting.pk).update(
        title_en="Small\x0b meeting", document_reference="REF\x0c1"
    )
    Panelist.objects.filter(pk=small["ana"].pk).update(name="Ana\x01 Pérez")
    Answer.objects.filter(panelist=small["ana"], round__number=1).update(
        submitted_text="Answer\x0b with a vertical tab."
    )
    Round.objects.filter(meeting=meeting, number=1).update(question_en="Question\x1f 1?")
    turn = turn_of(small["ana"], 1)
    save_text(turn, "summary", "Before\x0bafter", base_version=1, by=None)
    save_text(turn, "notes", "Notes\x08 here", base_version=1, by=None)
    meeting = Meeting.objects.get(pk=meeting.pk)
    document = opened(build_record(meeting, internal=True))
    texts = paragraphs(document)
    assert "Small meeting" in texts and "REF1" in texts
    assert "Ana Pérez" in texts[texts.index("Round 1") + 3]
    assert "Question 1?" in texts
    assert "Written answer: Answer with a vertical tab." in texts
    assert "Summary: Beforeafter" in texts
    assert "Notes (internal): Notes here" in texts
    assert document.core_properties.title == "Small meeting"


def test_docx_of_a_meeting_nobody_spoke_at(db):
    meeting = make_meeting(title_en="Empty")
    document = opened(build_record(meeting, internal=False))
    assert "Empty" in paragraphs(document)
    assert table_text(document.tables[1]) == [["Proposed by ↓ / with →"]]
    # Nobody on the panel: nothing planned, nothing held.
    assert table_text(document.tables[2])[-1] == ["Meeting", "0", "—", "—", "0:00", "0:00", "0:00"]


# The timing chart ------------------------------------------------------------------------------


def bars(svg: str) -> dict[str, list]:
    root = ET.fromstring(svg)  # noqa: S314  (our own output, parsed to check it)
    rects = root.findall(f"{SVG}rect")
    return {
        "allotted": [r for r in rects if r.get("stroke-dasharray")],
        "used": [r for r in rects if r.get("fill") == "#146c43"],
        "overtime": [r for r in rects if r.get("fill") == "#b02a37"],
        "labels": [t.text for t in root.findall(f"{SVG}text")],
    }


def test_the_chart_has_a_bar_per_turn_given(small):
    svg = timing_svg(build_record(small["meeting"], internal=False))
    found = bars(svg)
    assert (len(found["allotted"]), len(found["used"]), len(found["overtime"])) == (3, 3, 2)
    assert found["labels"][:6] == [
        "R1 · RCM",
        "6:40 / 7:00",
        "R1 · CSM",
        "8:20 / 8:00",
        "R2 · RCM",
        "7:30 / 7:00",
    ]
    # Luis's 500 s used are the longest bar (520 px): 480 s allotted, 20 s over it in red.
    luis_allotted, luis_used, luis_over = (
        found["allotted"][1],
        found["used"][1],
        found["overtime"][0],
    )
    assert (luis_allotted.get("width"), luis_used.get("width")) == ("499.2", "499.2")
    assert (luis_over.get("x"), luis_over.get("width")) == ("689.2", "20.8")


def test_the_chart_of_the_demo_meeting_has_twelve_bars(demo):
    found = bars(timing_svg(build_record(demo, internal=False)))
    assert len(found["used"]) == 12 and len(found["allotted"]) == 12


def test_the_chart_escapes_an_acronym(small):
    record = build_record(small["meeting"], internal=False)
    record["mechanisms"][0]["acronym"] = "<b>&"
    svg = timing_svg(record)
    assert "&lt;b&gt;&amp;" in svg and "<b>" not in svg
    assert bars(svg)["labels"][0] == "R1 · <b>&"


def test_the_chart_escapes_an_acronym_from_the_directory(db):
    meeting = make_meeting()
    make_panelist(meeting, make_mechanism(acronym_en="<b>"))
    before_the_session(meeting)
    live_session.perform(meeting, "start", by=None)
    live_session.perform(meeting, "next", by=None)
    svg = timing_svg(build_record(meeting, internal=False))
    assert bars(svg)["labels"][0] == "R1 · <b>"


def test_no_chart_when_nobody_spoke(db):
    meeting = make_meeting()
    make_panelist(meeting)
    assert timing_svg(build_record(meeting, internal=False)) == ""


# Markdown, rendered by a CommonMark parser as a reader's tool would -----------------------------


def rendered_markdown(text: str):
    from bs4 import BeautifulSoup
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").enable("table").render(text)
    return BeautifulSoup(html, "html.parser")


def test_the_markdown_renders_its_outline_and_tables(demo):
    record = build_record(demo, internal=False)
    page = rendered_markdown(to_markdown(record))
    assert [h.get_text() for h in page.find_all("h1")] == [record["meeting"]["title"]]
    assert [h.get_text() for h in page.find_all("h2")] == SECTIONS
    headers = [[th.get_text() for th in table.select("thead th")] for table in page("table")]
    assert ["Round", "Position", "Speaker", "Planned"] in headers
    rows = sum(len(table.select("tbody tr")) for table in page("table"))
    assert rows >= 2 * len(panel_mechanisms(record))  # the run of show alone has a row per turn


@pytest.mark.parametrize(
    "typed",
    [
        "**bold** <script>alert(1)</script>",
        "# Not a heading",
        "[a link](javascript:alert(1)) and ![img](x.png)",
        "- not a list\n> not a quote\n1. not numbered",
        "`code` _under_ | pipe ~~struck~~ &amp; 3 < 4",
        "Dr. Dubois-Martin: 1. first\n2) second\n+ third\n***",
        "Not a heading\n===",
    ],
)
def test_what_the_user_typed_renders_as_the_same_plain_text(small, typed):
    save_text(turn_of(small["ana"], 1), "summary", typed, base_version=1, by=None)
    page = rendered_markdown(to_markdown(build_record(small["meeting"], internal=False)))
    label = page.find("strong", string="Summary")
    paragraph = label.find_parent("p").find_next_sibling("p")
    assert paragraph.get_text() == typed  # every character as typed, nothing interpreted
    assert not paragraph.find(["a", "img", "script", "strong", "em", "code", "h1", "ul", "ol"])
