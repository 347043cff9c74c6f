"""The record as a Word document (DOCX) a secretariat would file: a title page, the run of show, a
section per round, then coordination, timing and attendance, each on a new page under a running
header and page numbers; the file's properties say what it is, who made it and its language."""

import datetime as dt
import io

from django.utils.translation import gettext as _

from mechanisms.models import acronym_and_name
from meetings.models import ItemKind
from meetings.outputs.docx_blocks import (
    add_table,
    centred,
    labelled,
    new_page_section,
    page_numbers,
    shortened,
    xml_safe,
)
from meetings.outputs.record import (
    agenda_of,
    beyond_the_rounds,
    coordination_by_mechanism,
    coordination_matrix,
    rounds_by_number,
)
from meetings.outputs.record_tables import (
    agenda_table,
    attendance_table,
    delegation_timing_table,
    delegations_table,
    intervention_timing_table,
    item_timing_table,
    matrix_header,
    round_timing_table,
    run_of_show_table,
    turn_timing_table,
)
from meetings.outputs.record_text import (
    acronyms,
    attendance_label,
    colon,
    coordination_line,
    entries,
    item_heading,
    matrix_explained,
    meeting_when,
    planned_time,
    publication_line,
    round_heading,
    speaker_label,
    time_used,
)

# The language word processors check spelling in, by the record's language.
DOCUMENT_LANGUAGES = {"en": "en-US", "es": "es-ES", "fr": "fr-FR", "pt": "pt-BR"}


def to_docx(record: dict) -> bytes:
    """The document's bytes: its properties and styles, then its pages in order."""
    from docx import Document
    from docx.shared import Pt

    document = Document()
    describe_document(document, record)
    style = document.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)

    title_page(document, record)
    running_header_and_footer(document.sections[0], record)
    document.add_heading(_("Agenda"), level=1)  # the agenda, then the panel's run of show
    whole = beyond_the_rounds(record)
    if whole:
        add_table(document, *agenda_table(record))
        document.add_paragraph()
    add_table(document, *run_of_show_table(record))
    rounds = rounds_by_number(record)
    for item in agenda_of(record):
        if item["kind"] == ItemKind.ROUND:
            round_section(document, record, rounds[item["round"]])
        else:
            item_section(document, record, item)
        for intervention in item["interventions"]:
            intervention_entry(document, record, intervention)
    coordination_section(document, record)
    timing_section(document, record, whole=whole)
    attendance_section(document, record, whole=whole)

    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def title_page(document, record: dict) -> None:
    """The convening body, the meeting's title, when, its reference, chair and publication,
    centred, then a page break."""
    from docx.enum.text import WD_BREAK

    meeting = record["meeting"]
    if meeting["convening_body"]:
        centred(document, meeting["convening_body"], size=12)
    centred(document, _("Record of the meeting"), size=14, bold=True)
    centred(document, meeting["title"], size=18, bold=True, style="Title")
    centred(document, meeting_when(record), size=12)
    if meeting["document_reference"]:
        centred(document, meeting["document_reference"], size=11)
    if meeting["chair"]:
        centred(document, _("Chair: %(chair)s") % {"chair": meeting["chair"]}, size=11)
    if record["published_at"]:
        centred(document, publication_line(record), size=10)
    document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)


def round_section(document, record: dict, round_: dict) -> None:
    """A new page: the round's heading and question, then each turn of it in order."""
    new_page_section(document)
    document.add_heading(xml_safe(round_heading(round_)), level=1)
    question = document.add_paragraph()
    question.add_run(xml_safe(round_["question"])).italic = True
    for entry_round, entry, person, mechanism in entries(record):
        if entry_round is round_:
            turn_entry(document, record, entry, person, mechanism)


def item_section(document, record: dict, item: dict) -> None:
    """A new page: the item's heading and, for the dialogue or a break, its planned and actual
    time (its speakers follow)."""
    new_page_section(document)
    document.add_heading(xml_safe(item_heading(record, item)), level=1)
    if item["kind"] in (ItemKind.DIALOGUE, ItemKind.OTHER):
        document.add_paragraph(xml_safe(planned_time(item)))


def intervention_entry(document, record: dict, intervention: dict) -> None:
    """Who spoke (a point of order said so), from where, the summary (and the notes in the
    secretariat's record) and the time they used."""
    document.add_heading(xml_safe(speaker_label(intervention)), level=2)
    document.add_paragraph(xml_safe(attendance_label(intervention["attendance"])))
    labelled(document, _("Summary"), intervention["summary"])
    if record["internal"]:
        labelled(document, _("Notes (internal)"), intervention.get("notes", ""))
    document.add_paragraph(xml_safe(time_used(intervention)))


def turn_entry(document, record: dict, entry: dict, person: dict, mechanism: dict) -> None:
    """The mechanism, who spoke for it, their answer, the summary (and the notes in the
    secretariat's record), whom they propose to coordinate with and the time they used."""
    document.add_heading(
        xml_safe(acronym_and_name(mechanism["acronym"], mechanism["name"])), level=2
    )
    line = document.add_paragraph()
    line.add_run(xml_safe(person["name"])).bold = True
    details = ", ".join(filter(None, [person["position"], person["organisation"]]))
    if details:
        line.add_run(xml_safe(", " + details))
    labelled(document, _("Written answer"), entry["answer"])
    labelled(document, _("Summary"), entry["summary"])
    if record["internal"]:
        labelled(document, _("Notes (internal)"), entry.get("notes", ""))
    if entry["coordination"]:
        labelled(
            document, _("Proposes to coordinate with"), acronyms(record, entry["coordination"])
        )
    document.add_paragraph(xml_safe(time_used(entry)))


def coordination_section(document, record: dict) -> None:
    """A new page: the coordination matrix (an empty cell for none), then each mechanism with
    those it proposes and those that propose it."""
    new_page_section(document)
    document.add_heading(_("Coordination"), level=1)
    document.add_paragraph(matrix_explained())
    matrix = [
        [mechanism["acronym"], *(str(count) if count else "" for count in counts)]
        for mechanism, counts in coordination_matrix(record)
    ]
    add_table(document, matrix_header(record), matrix)
    document.add_paragraph()
    for mechanism, proposes, proposed_by in coordination_by_mechanism(record):
        paragraph = document.add_paragraph(style="List Bullet")
        paragraph.add_run(xml_safe(mechanism["acronym"])).bold = True
        paragraph.add_run(xml_safe(colon("") + " " + coordination_line(proposes, proposed_by)))


def timing_section(document, record: dict, *, whole: bool) -> None:
    """A new page: the time per agenda item, per round (the meeting's total in bold), per
    speaker, per intervention and per delegation (the agenda's only past the rounds)."""
    new_page_section(document)
    document.add_heading(_("Timing"), level=1)
    if whole:
        document.add_heading(_("Time per agenda item"), level=2)
        add_table(document, *item_timing_table(record))
    document.add_heading(_("Time per round"), level=2)
    table = add_table(document, *round_timing_table(record))
    for cell in table.rows[-1].cells:  # the meeting's total
        for run in cell.paragraphs[0].runs:
            run.bold = True
    document.add_heading(_("Time per speaker"), level=2)
    add_table(document, *turn_timing_table(record))
    if not whole:
        return
    for heading, table in (
        (_("Time per intervention"), intervention_timing_table(record)),
        (_("Time per delegation"), delegation_timing_table(record)),
    ):
        if table[1]:
            document.add_heading(heading, level=2)
            add_table(document, *table)


def attendance_section(document, record: dict, *, whole: bool) -> None:
    document.add_heading(_("Attendance"), level=1)
    add_table(document, *attendance_table(record))
    delegations = delegations_table(record)
    if whole and delegations[1]:
        document.add_heading(_("Delegations"), level=2)
        add_table(document, *delegations)


def running_header_and_footer(section, record: dict) -> None:
    """Every page after the title page: the meeting's title and document reference at the top,
    "Page 3 of 12" at the bottom (Word and LibreOffice fill in the numbers)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
    from docx.shared import Pt, RGBColor

    meeting = record["meeting"]
    section.different_first_page_header_footer = True  # the title page has neither
    header = section.header.paragraphs[0]
    width = section.page_width - section.left_margin - section.right_margin
    header.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    header_runs = [header.add_run(xml_safe(shortened(meeting["title"], 90)))]
    if meeting["document_reference"]:
        header_runs.append(header.add_run("\t" + xml_safe(meeting["document_reference"])))
    for run in header_runs:
        run.font.size = Pt(9)
        run.font.color.rgb = RGBColor(0x49, 0x50, 0x57)

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    page_numbers(footer, _("Page %(page)s of %(pages)s"))
    for run in footer.runs:
        run.font.size = Pt(9)


def describe_document(document, record: dict) -> None:
    """File properties as a registry files them: title, the convening body as author, when it
    was made, and the language (the default template says python-docx, 2013 and en-US)."""
    meeting = record["meeting"]
    language = DOCUMENT_LANGUAGES.get(record["language"], record["language"])
    made = dt.datetime.fromisoformat(record["generated_at"]).astimezone(dt.UTC).replace(tzinfo=None)
    properties = document.core_properties
    properties.title = xml_safe(meeting["title"])[:255]
    properties.subject = _("Record of the meeting")
    properties.author = xml_safe(meeting["convening_body"] or _("Technical Secretariat"))[:255]
    properties.last_modified_by = properties.author
    properties.created = properties.modified = made
    properties.revision = 1
    properties.comments = ""
    properties.keywords = xml_safe(meeting["document_reference"])
    properties.language = language
    default_language(document, language)


def default_language(document, language: str) -> None:
    """Every run inherits the document's default language (spelling, hyphenation)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    run_properties = defaults.find(qn("w:rPr"))
    for old in run_properties.findall(qn("w:lang")):
        run_properties.remove(old)
    lang = OxmlElement("w:lang")
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attribute), language)
    run_properties.append(lang)
