"""The record as DOCX, opened again with python-docx: title page, sections, tables, running
header and page numbers, properties, and typed text held as plain text."""

import datetime as dt

import docx
import pytest
from django.utils import translation

from mechanisms.models import acronym_and_name
from meetings.models import Answer, Meeting, Panelist, Round
from meetings.outputs.docx_blocks import CELL_PADDING_CM, CHARACTER_CM
from meetings.outputs.record import build_record, panel_mechanisms
from meetings.services.revisions import save_text
from tests.factories import make_meeting
from tests.meetings.outputs.read_back import (
    SECTIONS,
    all_text,
    fields,
    opened,
    paragraphs,
    published_record,
    styled,
    table_text,
)
from tests.meetings.outputs.test_record import turn_of

pytestmark = pytest.mark.django_db


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


def test_docx_of_the_whole_agenda(whole):
    document = opened(build_record(whole["meeting"], internal=True))
    assert styled(document, "Heading 1")[:6] == [
        "Agenda",
        "Opening remarks",
        "Round 1",
        "Dialogue with delegations",
        "Break",
        "Closing remarks",
    ]
    texts = paragraphs(document)
    dialogue = texts.index("Dialogue with delegations")
    assert texts[dialogue + 1 : dialogue + 7] == [
        "Planned time: 20:00 · Actual time: 8:10",
        "Delegation of Mexico",
        "In the room",
        "Summary: Mexico asked about returns.",
        "Notes (internal): Internal: Mexico spoke fast.",
        "Time used: 2:50 of 3:00 · Spoke",
    ]
    assert "Delegation of Spain (point of order)" in styled(document, "Heading 2")
    agenda = document.tables[0]
    assert table_text(agenda)[1:] == [
        ["1", "Opening remarks", "10:10–10:15", "5:00"],
        ["2", "Round 1", "10:15–10:29", "14:30"],
        ["3", "Dialogue with delegations", "10:29–10:49", "20:00"],
        ["4", "Break", "10:49–11:04", "15:00"],
        ["5", "Closing remarks", "11:04–11:09", "5:00"],
    ]
    headings = styled(document, "Heading 2")
    for heading in ("Time per agenda item", "Time per intervention", "Time per delegation"):
        assert heading in headings
    assert table_text(document.tables[-1]) == [
        ["Delegation", "Attendance", "Spoke"],
        ["Delegation of Mexico", "In the room", "yes"],
        ["Delegation of Spain", "Online", "yes"],
        ["International Organization for Migration", "Not present", "yes"],
    ]


def test_docx_of_the_whole_agenda_has_no_notes_when_public(whole):
    text = all_text(opened(build_record(whole["meeting"], internal=False)))
    assert "Mexico asked about returns." in text
    assert "Mexico spoke fast" not in text
