"""The record as files: Markdown, CSV rows, DOCX, JSON, and the timing chart as SVG.

Each takes the dictionary of meetings.outputs.record.build_record. Nothing a user typed
is ever interpreted: Markdown escapes it, CSV neutralises formulas (see
config.common.spreadsheets), DOCX holds it as plain runs, SVG escapes it.
"""

import datetime as dt
import io
import json
import re
import zoneinfo
from xml.sax.saxutils import escape

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from config.common.formatting import minutes_seconds
from mechanisms.models import acronym_and_name
from meetings.models import PanelistStatus, TurnStatus
from meetings.outputs.record import (
    coordination_by_mechanism,
    coordination_matrix,
    mechanisms_by_slug,
    people,
    timing,
)

# Characters XML 1.0 cannot hold (a paste from another program may carry them).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: object) -> str:
    return NOT_XML.sub("", str(text))


def local_instant(value: str, record: dict) -> dt.datetime:
    """A record's UTC timestamp ("2022-05-17T14:10:00Z") in the meeting's time zone."""
    instant = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return instant.astimezone(zoneinfo.ZoneInfo(record["meeting"]["time_zone"]))


def local_time(value: str | None, record: dict) -> str:
    """The clock time in the meeting's time zone (14:10), or a dash."""
    return local_instant(value, record).strftime("%H:%M") if value else "—"


def local_datetime(value: str | None, record: dict) -> str:
    """Date and time in the meeting's time zone as the language writes the date
    (May 29, 2026, 07:16; 29 mai 2026, 07:16), or a dash."""
    if not value:
        return "—"
    instant = local_instant(value, record)
    return f"{date_format(instant.date(), 'DATE_FORMAT')}, {instant:%H:%M}"


def local_span(start: str | None, end: str | None, record: dict) -> str:
    """From start to end in the meeting's zone: "10:10–10:17", "10:26–…" while it lasts,
    a dash when it never began. A turn given on another day than the meeting's (a rehearsal,
    a meeting moved) says which: "Dec. 4, 2026, 10:10–10:17"."""
    if not start:
        return "—"
    span = f"{local_time(start, record)}–{local_time(end, record) if end else '…'}"
    day = local_instant(start, record).date()
    if day.isoformat() != record["meeting"]["date"]:
        return f"{date_format(day, 'DATE_FORMAT')}, {span}"
    return span


def meeting_date(record: dict) -> str:
    """The meeting's date as the language writes it (17 May 2022, 17 de mayo de 2022)."""
    return date_format(dt.date.fromisoformat(record["meeting"]["date"]), "DATE_FORMAT")


def publication_line(record: dict) -> str:
    """Who published the record and when, or "" for a record not published."""
    if not record["published_at"]:
        return ""
    return _("Published %(when)s by %(by)s.") % {
        "when": local_datetime(record["published_at"], record),
        "by": record["published_by"] or "—",
    }


def colon(label: str) -> str:
    """A label before its text, as the language writes it: "Summary:", « Résumé : »."""
    return _("%(label)s:") % {"label": label}


def round_heading(round_: dict) -> str:
    """ "Round 1" or "Round 1: Challenges", « Tour 1 : Défis » in French."""
    if round_["title"]:
        return _("Round %(number)s: %(title)s") % {
            "number": round_["number"],
            "title": round_["title"],
        }
    return _("Round %(number)s") % {"number": round_["number"]}


def status_label(entry: dict) -> str:
    labels = {
        TurnStatus.FINISHED: _("Spoke"),
        TurnStatus.SKIPPED: _("Skipped"),
        TurnStatus.PENDING: _("Did not speak"),
        TurnStatus.READY: _("Has the floor"),
        TurnStatus.RUNNING: _("Speaking"),
        TurnStatus.PAUSED: _("Paused"),
    }
    return labels.get(entry["status"], entry["status"])


def time_used(entry: dict) -> str:
    """ "Time used: 7:42 of 7:00 · Spoke"."""
    return _("Time used: %(used)s of %(allotted)s · %(status)s") % {
        "used": minutes_seconds(entry["used_seconds"]),
        "allotted": minutes_seconds(entry["allotted_seconds"]),
        "status": status_label(entry),
    }


def entries(record: dict):
    """Every (round, entry, person, mechanism) in order."""
    persons, mechanisms = people(record), mechanisms_by_slug(record)
    for round_ in record["rounds"]:
        for entry in round_["entries"]:
            yield round_, entry, persons[entry["panelist"]], mechanisms[entry["mechanism"]]


def acronyms(record: dict, slugs: list[str]) -> str:
    mechanisms = mechanisms_by_slug(record)
    return ", ".join(mechanisms[slug]["acronym"] for slug in slugs if slug in mechanisms)


# Timing, as the report page and the documents show it -----------------------------------------


def timing_by_turn(record: dict) -> list[dict]:
    """Per turn: planned and actual start to end (local times), allotted, used, overtime."""
    return [
        {
            "round": round_["number"],
            "speaker": f"{mechanism['acronym']} — {person['name']}",
            "planned": local_span(entry["planned_start"], entry.get("planned_end"), record),
            "actual": local_span(entry["started_at"], entry["ended_at"], record),
            "allotted": entry["allotted_seconds"],
            "used": entry["used_seconds"],
            "overtime": entry["overtime_seconds"],
        }
        for round_, entry, person, mechanism in entries(record)
    ]


def timing_by_round(record: dict) -> list[dict]:
    """Per round, then the meeting (`total`): speakers, planned and actual start to end,
    allotted, used, overtime."""
    times = timing(record)
    rows = [*times["rounds"], {**times, "number": _("Meeting"), "total": True}]
    return [
        {
            "round": row["number"],
            "total": row.get("total", False),
            "speakers": row["speakers"],
            "planned": local_span(row["planned_start"], row["planned_end"], record),
            "actual": local_span(row["started_at"], row["ended_at"], record),
            "allotted": row["allotted"],
            "used": row["used"],
            "overtime": row["overtime"],
        }
        for row in rows
    ]


def run_of_show_table(record: dict) -> tuple[list[str], list[list[str]]]:
    """The speakers in order with their planned slot."""
    header = [_("Round"), _("Position"), _("Speaker"), _("Planned")]
    rows = [
        [str(row["round"]), str(entry["position"]), row["speaker"], row["planned"]]
        for row, (_round, entry, _person, _mechanism) in zip(
            timing_by_turn(record), entries(record), strict=True
        )
    ]
    return header, rows


def turn_timing_table(record: dict) -> tuple[list[str], list[list[str]]]:
    header = [_("Round"), _("Speaker"), _("Planned"), _("Actual")]
    header += [_("Allotted"), _("Used"), _("Overtime")]
    rows = [
        [str(row["round"]), row["speaker"], row["planned"], row["actual"]]
        + [minutes_seconds(row[key]) for key in ("allotted", "used", "overtime")]
        for row in timing_by_turn(record)
    ]
    return header, rows


def round_timing_table(record: dict) -> tuple[list[str], list[list[str]]]:
    header = [_("Round"), _("Speakers"), _("Planned"), _("Actual")]
    header += [_("Allotted"), _("Used"), _("Overtime")]
    rows = [
        [str(row["round"]), str(row["speakers"]), row["planned"], row["actual"]]
        + [minutes_seconds(row[key]) for key in ("allotted", "used", "overtime")]
        for row in timing_by_round(record)
    ]
    return header, rows


# Coordination and attendance -------------------------------------------------------------------


def matrix_explained() -> str:
    return _(
        "How many answers of each mechanism (rows) propose to coordinate with each other "
        "mechanism (columns)."
    )


def coordination_line(proposes: list[dict], proposed_by: list[dict]) -> str:
    """ "proposes CSM, GCM; proposed by CSM" (a dash for none)."""
    return _("proposes %(proposes)s; proposed by %(proposed_by)s") % {
        "proposes": ", ".join(m["acronym"] for m in proposes) or "—",
        "proposed_by": ", ".join(m["acronym"] for m in proposed_by) or "—",
    }


def attendance(record: dict) -> list[dict]:
    """Each seat: mechanism, panelist, reply to the invitation (and, in the secretariat's
    record, whom a substitute replaced), whether they spoke."""
    mechanisms = mechanisms_by_slug(record)
    by_id = people(record)
    return [
        {
            **person,
            "acronym": mechanisms[person["mechanism"]]["acronym"],
            "status_label": reply_label(person, by_id),
        }
        for person in record["panel"]
    ]


def reply_label(person: dict, by_id: dict[int, dict]) -> str:
    label = str(PanelistStatus(person["status"]).label)
    replaced = by_id.get(person.get("substitute_for"))
    if replaced is None:
        return label
    return _("%(status)s, substitute for %(name)s") % {"status": label, "name": replaced["name"]}


def attendance_table(record: dict) -> tuple[list[str], list[list[str]]]:
    header = [_("Mechanism"), _("Panelist"), _("Reply to the invitation"), _("Spoke")]
    rows = [
        [row["acronym"], row["name"], row["status_label"], _("yes") if row["spoke"] else _("no")]
        for row in attendance(record)
    ]
    return header, rows


def file_stem(record: dict) -> str:
    return f"{record['meeting']['slug']}-record-{record['language']}"


# JSON -----------------------------------------------------------------------------------------


def to_json(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, indent=2)


# CSV: one row per panelist and round -----------------------------------------------------------


def csv_rows(record: dict) -> list[list[object]]:
    header = [
        _("Meeting"),
        _("Round"),
        _("Position"),
        _("Mechanism"),
        _("Acronym"),
        _("Panelist"),
        _("Status"),
        _("Written answer"),
        _("Summary"),
        _("Proposes to coordinate with"),
        _("Allotted (s)"),
        _("Used (s)"),
        _("Overtime (s)"),
        _("Planned start"),
        _("Started"),
        _("Ended"),
    ]
    if record["internal"]:
        header.append(_("Notes (internal)"))
    rows = [header]
    for round_, entry, person, mechanism in entries(record):
        row = [
            record["meeting"]["slug"],
            round_["number"],
            entry["position"],
            mechanism["name"],
            mechanism["acronym"],
            person["name"],
            status_label(entry),
            entry["answer"],
            entry["summary"],
            acronyms(record, entry["coordination"]),
            entry["allotted_seconds"],
            entry["used_seconds"],
            entry["overtime_seconds"],
            entry["planned_start"] or "",
            entry["started_at"] or "",
            entry["ended_at"] or "",
        ]
        if record["internal"]:
            row.append(entry.get("notes", ""))
        rows.append(row)
    return rows


# Markdown ------------------------------------------------------------------------------------

# CommonMark (with GitHub's tables and strikethrough) gives these meaning anywhere in a line.
# "_" only at the edge of a word (intraword underscores are never emphasis); "&" only when it
# would start an entity reference ("&amp;" typed by a user must not become "&").
MARKDOWN_INLINE = re.compile(
    r"[\\`*\[\]<|~]"
    r"|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])"
    r"|&(?=#?[0-9A-Za-z]+;)"
)
# ... and these only where a line starts (up to three spaces in): a heading, a quote, a list
# item, a numbered item, or a line of = - _ * that underlines the one above or breaks the page.
MARKDOWN_LINE_START = re.compile(
    r"^(?P<indent> {0,3})(?:"
    r"(?P<marker>#|[-+])(?=[ \t]|$)"  # a heading or a list item
    r"|(?P<quote>>)"  # a quote
    r"|(?P<digits>[0-9]{1,9})(?P<delimiter>[.)])(?=[ \t]|$)"  # a numbered item
    r"|(?=[-=_*][-=_* \t]*$)"  # a line that underlines the one above or breaks the page
    r")",
    re.MULTILINE,
)


def _escape_line_start(match: re.Match) -> str:
    indent, digits = match["indent"], match["digits"]
    if digits:
        return f"{indent}{digits}\\{match['delimiter']}"
    return f"{indent}\\{match['marker'] or match['quote'] or ''}"


def md(text: str) -> str:
    """Plain text in Markdown, escaped only where CommonMark would read markup.

    "Dr. Michael Dubois-Martin" stays as typed; "# x", "- x", "1. x", "[a](b)", "*x*" and
    "<b>" are escaped. The start of the text counts as the start of a line, so a fragment is
    safe wherever it lands.
    """
    text = MARKDOWN_INLINE.sub(lambda match: "\\" + match.group(0), text or "")
    return MARKDOWN_LINE_START.sub(_escape_line_start, text)


def md_block(text: str) -> str:
    """Lines kept as lines (a hard break), not run together into one paragraph."""
    return "  \n".join(md(line) for line in (text or "").splitlines()) or "—"


def md_heading(level: int, text: str) -> str:
    return f"{'#' * level} {md(text)}"


def md_bold(text: str) -> str:
    return f"**{md(text)}**"


def md_table(header: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(md(str(cell)) for cell in header) + " |"]
    lines.append("|" + "---|" * len(header))
    for row in rows:
        lines.append("| " + " | ".join(md(str(cell)) for cell in row) + " |")
    return lines


def to_markdown(record: dict) -> str:
    meeting = record["meeting"]
    lines = [md_heading(1, meeting["title"]), ""]
    lines += [
        md_bold(_("Record of the meeting")) + f" · {md(meeting_date(record))}, "
        f"{md(meeting['start'])}–{md(meeting['end'])} ({md(meeting['time_zone'])})",
        "",
    ]
    if meeting["document_reference"]:
        document = _("Document: %(reference)s") % {"reference": meeting["document_reference"]}
        lines += [md(document), ""]
    if record["published_at"]:
        lines += [md(publication_line(record)), ""]
    lines += [md_heading(2, _("Agenda")), ""]
    lines += md_table(*run_of_show_table(record))
    lines += [""]
    for round_ in record["rounds"]:
        title = round_heading(round_)
        lines += [f"## {md(title)}", "", f"*{md(round_['question'])}*", ""]
        for entry_round, entry, person, mechanism in entries(record):
            if entry_round is not round_:
                continue
            lines += [f"### {md(mechanism['acronym'])} — {md(person['name'])}", ""]
            lines += [md_bold(_("Written answer")), "", md_block(entry["answer"]), ""]
            lines += [md_bold(_("Summary")), "", md_block(entry["summary"]), ""]
            if record["internal"]:
                lines += [md_bold(_("Notes (internal)")), "", md_block(entry.get("notes")), ""]
            if entry["coordination"]:
                proposes = _("Proposes to coordinate with: %(mechanisms)s") % {
                    "mechanisms": acronyms(record, entry["coordination"])
                }
                lines += [md(proposes), ""]
            lines += [md(time_used(entry)), ""]
    order = [m["acronym"] for m in record["mechanisms"]]
    lines += [md_heading(2, _("Coordination")), "", md(matrix_explained()), ""]
    lines += md_table(  # rows: the panel; columns: every mechanism named
        [_("Proposed by ↓ / with →"), *order],
        [[row["acronym"], *counts] for row, counts in coordination_matrix(record)],
    )
    lines += [""]
    for mechanism, proposes, proposed_by in coordination_by_mechanism(record):
        line = md(coordination_line(proposes, proposed_by))
        lines += [f"- {md_bold(mechanism['acronym'])}: {line}"]
    lines += ["", md_heading(2, _("Timing")), ""]
    lines += [md_heading(3, _("Time per round")), ""]
    lines += md_table(*round_timing_table(record))
    lines += ["", md_heading(3, _("Time per speaker")), ""]
    lines += md_table(*turn_timing_table(record))
    lines += ["", md_heading(2, _("Attendance")), ""]
    lines += md_table(*attendance_table(record))
    return "\n".join(lines) + "\n"


# The timing chart ------------------------------------------------------------------------------


def timing_svg(record: dict) -> str:
    """Horizontal bars, one per turn that was given: time used against time allotted."""
    rows = [
        (round_["number"], mechanism["acronym"], entry)
        for round_, entry, _person, mechanism in entries(record)
        if entry["started_at"]
    ]
    if not rows:
        return ""
    longest = max(max(e["allotted_seconds"], e["used_seconds"]) for _n, _a, e in rows)
    label_width, bar_width, row_height = 190, 520, 26
    scale = bar_width / longest
    height = row_height * len(rows) + 30
    title = escape(_("Time used by each speaker against the time allotted"), {'"': "&quot;"})
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timing-chart" role="img" '
        f'viewBox="0 0 {label_width + bar_width + 90} {height}" aria-label="{title}">'
    ]
    for index, (number, acronym, entry) in enumerate(rows):
        y = index * row_height + 4
        allotted = entry["allotted_seconds"] * scale
        used = min(entry["used_seconds"], entry["allotted_seconds"]) * scale
        over = entry["overtime_seconds"] * scale
        label = escape(_("R%(number)s · %(acronym)s") % {"number": number, "acronym": acronym})
        parts.append(
            f'<text x="0" y="{y + 15}" font-size="13" fill="#212529">{label}</text>'
            f'<rect x="{label_width}" y="{y}" width="{allotted:.1f}" height="18" fill="none" '
            f'stroke="#6c757d" stroke-dasharray="3 2"/>'
            f'<rect x="{label_width}" y="{y + 3}" width="{used:.1f}" height="12" fill="#146c43"/>'
        )
        if over:
            parts.append(
                f'<rect x="{label_width + used:.1f}" y="{y + 3}" width="{over:.1f}" height="12" '
                f'fill="#b02a37"/>'
            )
        parts.append(
            f'<text x="{label_width + max(allotted, used + over) + 6:.1f}" y="{y + 15}" '
            f'font-size="12" fill="#212529">{minutes_seconds(entry["used_seconds"])} / '
            f"{minutes_seconds(entry['allotted_seconds'])}</text>"
        )
    legend = escape(_("Green: time used within the allotment; red: overtime; dashed: allotted."))
    parts.append(
        f'<text x="0" y="{height - 8}" font-size="12" fill="#495057">{legend}</text></svg>'
    )
    return "".join(parts)


# DOCX ------------------------------------------------------------------------------------------


def to_docx(record: dict) -> bytes:
    """A document a secretariat would file: title page, run of show (headed Agenda), a section
    per round, matrices, timing."""
    from docx import Document
    from docx.enum.text import WD_BREAK
    from docx.shared import Pt

    meeting = record["meeting"]
    document = Document()
    describe_document(document, record)
    style = document.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)

    # Title page
    if meeting["convening_body"]:
        centred(document, meeting["convening_body"], size=12)
    centred(document, _("Record of the meeting"), size=14, bold=True)
    centred(document, meeting["title"], size=18, bold=True, style="Title")
    centred(
        document,
        f"{meeting_date(record)}, {meeting['start']}–{meeting['end']} ({meeting['time_zone']})",
        size=12,
    )
    if meeting["document_reference"]:
        centred(document, meeting["document_reference"], size=11)
    if meeting["chair"]:
        centred(document, _("Chair: %(chair)s") % {"chair": meeting["chair"]}, size=11)
    if record["published_at"]:
        centred(document, publication_line(record), size=10)
    document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)

    running_header_and_footer(document.sections[0], record)

    # The run of show
    document.add_heading(_("Agenda"), level=1)
    add_table(document, *run_of_show_table(record))

    # One section per round
    for round_ in record["rounds"]:
        new_page_section(document)
        title = round_heading(round_)
        document.add_heading(xml_safe(title), level=1)
        question = document.add_paragraph()
        question.add_run(xml_safe(round_["question"])).italic = True
        for entry_round, entry, person, mechanism in entries(record):
            if entry_round is not round_:
                continue
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
                    document,
                    _("Proposes to coordinate with"),
                    acronyms(record, entry["coordination"]),
                )
            document.add_paragraph(xml_safe(time_used(entry)))

    # Coordination
    new_page_section(document)
    document.add_heading(_("Coordination"), level=1)
    document.add_paragraph(matrix_explained())
    order = [m["acronym"] for m in record["mechanisms"]]
    matrix = [
        [mechanism["acronym"], *(str(count) if count else "" for count in counts)]
        for mechanism, counts in coordination_matrix(record)
    ]
    add_table(document, [_("Proposed by ↓ / with →"), *order], matrix)
    document.add_paragraph()
    for mechanism, proposes, proposed_by in coordination_by_mechanism(record):
        paragraph = document.add_paragraph(style="List Bullet")
        paragraph.add_run(xml_safe(mechanism["acronym"])).bold = True
        paragraph.add_run(xml_safe(colon("") + " " + coordination_line(proposes, proposed_by)))

    # Timing
    new_page_section(document)
    document.add_heading(_("Timing"), level=1)
    document.add_heading(_("Time per round"), level=2)
    table = add_table(document, *round_timing_table(record))
    for cell in table.rows[-1].cells:  # the meeting's total
        for run in cell.paragraphs[0].runs:
            run.bold = True
    document.add_heading(_("Time per speaker"), level=2)
    add_table(document, *turn_timing_table(record))

    # Attendance
    document.add_heading(_("Attendance"), level=1)
    add_table(document, *attendance_table(record))

    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def new_page_section(document):
    """A section on a new page that keeps the running header and footer (new sections are
    linked to the first; only the title page goes without them)."""
    from docx.enum.section import WD_SECTION

    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.different_first_page_header_footer = False
    return section


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


def page_numbers(paragraph, sentence: str) -> None:
    """The translated sentence with its %(page)s and %(pages)s as fields, wherever the language
    puts them."""
    for part in re.split(r"(%\((?:page|pages)\)s)", sentence):
        if part == "%(page)s":
            add_field(paragraph, "PAGE")
        elif part == "%(pages)s":
            add_field(paragraph, "NUMPAGES")
        elif part:
            paragraph.add_run(part)


def add_field(paragraph, instruction: str) -> None:
    """A field the word processor computes as it lays out each page (PAGE, NUMPAGES)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str):
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    paragraph.add_run()._r.append(char("begin"))
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    paragraph.add_run()._r.append(code)
    paragraph.add_run()._r.append(char("separate"))
    paragraph.add_run("1")
    paragraph.add_run()._r.append(char("end"))


# The language word processors check spelling in, by the record's language.
DOCUMENT_LANGUAGES = {"en": "en-US", "es": "es-ES", "fr": "fr-FR", "pt": "pt-BR"}


def describe_document(document, record: dict) -> None:
    """File properties as a registry files them: title, the convening body as author, when it
    was made, and the language (the default template says python-docx, 2013 and en-US)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

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
    # Every run inherits the document's default language (spelling, hyphenation).
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    run_properties = defaults.find(qn("w:rPr"))
    for old in run_properties.findall(qn("w:lang")):
        run_properties.remove(old)
    lang = OxmlElement("w:lang")
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attribute), language)
    run_properties.append(lang)


def shortened(text: str, limit: int) -> str:
    """At most `limit` characters, cut between words (never mid-word) with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:–—-") + "…"


def centred(document, text: str, *, size: int, bold: bool = False, style: str = "") -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    paragraph = document.add_paragraph(style=style or None)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(xml_safe(text))
    run.bold = bold
    run.font.size = Pt(size)
    if style:  # the style names the paragraph; the title page keeps its own look
        run.font.color.rgb = RGBColor(0, 0, 0)


# An average character of 11 pt Calibri, and a cell's inner margins, in centimetres.
CHARACTER_CM = 0.21
CELL_PADDING_CM = 0.4


def column_widths(texts: list[list[str]], available_cm: float) -> list[float]:
    """Each column as wide as its content asks, and never narrower than its longest word
    (a word broken as "Overtim|e" is unreadable); what is left goes to the columns with the
    most text. `texts` holds the header and every row."""
    columns = list(zip(*texts, strict=True))
    shortest = [
        max(len(word) for cell in column for word in (cell.split() or [""])) * CHARACTER_CM
        + CELL_PADDING_CM
        for column in columns
    ]
    wanted = [
        max(max(len(line) for line in (cell.splitlines() or [""])) for cell in column)
        * CHARACTER_CM
        + CELL_PADDING_CM
        for column in columns
    ]
    wanted = [max(want, short) for want, short in zip(wanted, shortest, strict=True)]
    if sum(wanted) <= available_cm:  # the page's width, the room left to the text columns
        spare = available_cm - sum(wanted)
        extra = [want - short for want, short in zip(wanted, shortest, strict=True)]
        weights = extra if sum(extra) else wanted
        return [
            want + spare * weight / sum(weights)
            for want, weight in zip(wanted, weights, strict=True)
        ]
    if sum(shortest) >= available_cm:  # too many columns for the page: share it by words
        return [available_cm * short / sum(shortest) for short in shortest]
    spare = available_cm - sum(shortest)
    extra = [want - short for want, short in zip(wanted, shortest, strict=True)]
    return [short + spare * more / sum(extra) for short, more in zip(shortest, extra, strict=True)]


def add_table(document, labels: list[str], rows: list[list[str]]):
    """A table with a bold header row that repeats on every page it runs over, columns sized
    to their content, and rows that never split across pages."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    table = document.add_table(rows=1, cols=len(labels))
    table.style = "Light Grid Accent 1"
    table.autofit = False
    header(table, labels)
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = xml_safe(text)
    for index, row in enumerate(table.rows):
        properties = row._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))
        if index == 0:
            repeat = OxmlElement("w:tblHeader")
            repeat.set(qn("w:val"), "true")
            properties.append(repeat)
    section = document.sections[-1]
    available = (section.page_width - section.left_margin - section.right_margin) / Cm(1)
    texts = [[str(text) for text in row] for row in [labels, *rows]]
    for column, width in zip(table.columns, column_widths(texts, available), strict=True):
        column.width = Cm(width)  # the grid, which LibreOffice reads
        for cell in column.cells:
            cell.width = Cm(width)  # each cell, which Word reads
    return table


def header(table, labels: list[str]) -> None:
    for cell, label in zip(table.rows[0].cells, labels, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(xml_safe(label)).bold = True


def labelled(document, label: str, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(colon(label) + " ").bold = True
    lines = xml_safe(text or "—").splitlines() or ["—"]
    paragraph.add_run(lines[0])
    for line in lines[1:]:
        document.add_paragraph(line)
