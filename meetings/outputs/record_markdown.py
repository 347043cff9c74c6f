"""The record as Markdown: the template meetings/record/record.md, laid out from the values
`markdown_context` gives it, every one escaped there for Markdown by `md` or `md_block`.

Nothing a user typed is read as markup: CommonMark (with GitHub's tables and strikethrough)
shows it as the same plain text.
"""

import re

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from config.common.formatting import plain
from meetings.models import ItemKind
from meetings.outputs.record import (
    agenda_of,
    beyond_the_rounds,
    coordination_by_mechanism,
    coordination_matrix,
    mechanisms_by_slug,
    people,
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
    coordination_line,
    item_heading,
    matrix_explained,
    meeting_date,
    planned_time,
    publication_line,
    round_heading,
    speaker_label,
    time_used,
)

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


def md(text: str | None) -> str:
    """Plain text in Markdown, escaped only where CommonMark would read markup.

    "Dr. Michael Dubois-Martin" stays as typed; "# x", "- x", "1. x", "[a](b)", "*x*" and
    "<b>" are escaped. The start of the text counts as the start of a line, so a fragment is
    safe wherever it lands.
    """
    text = MARKDOWN_INLINE.sub(lambda match: "\\" + match.group(0), text or "")
    return MARKDOWN_LINE_START.sub(_escape_line_start, text)


def md_block(text: str | None) -> str:
    """Lines kept as lines (a hard break), not run together into one paragraph."""
    return "  \n".join(md(line) for line in (text or "").splitlines()) or "—"


def to_markdown(record: dict) -> str:
    # plain(): the template renders with autoescaping off, so it returns a SafeString, which
    # any HTML page would print as markup. This is Markdown, not HTML.
    return plain(render_to_string("meetings/record/record.md", markdown_context(record)))


def markdown_context(record: dict) -> dict:
    """What the Markdown says, in the active language, as plain text: the template escapes it."""
    meeting = record["meeting"]
    document = ""
    if meeting["document_reference"]:
        document = _("Document: %(reference)s") % {"reference": meeting["document_reference"]}
    return {
        "meeting": meeting,
        "record_of_the_meeting": _("Record of the meeting"),
        "date": meeting_date(record),
        "document": document,
        "published": publication_line(record),
        "internal": record["internal"],
        "headings": {
            "run_of_show": _("Agenda"),
            "coordination": _("Coordination"),
            "timing": _("Timing"),
            "time_per_round": _("Time per round"),
            "time_per_speaker": _("Time per speaker"),
            "time_per_item": _("Time per agenda item"),
            "time_per_intervention": _("Time per intervention"),
            "time_per_delegation": _("Time per delegation"),
            "attendance": _("Attendance"),
            "delegations": _("Delegations"),
        },
        "labels": {
            "answer": _("Written answer"),
            "summary": _("Summary"),
            "notes": _("Notes (internal)"),
        },
        "run_of_show": as_table(run_of_show_table(record)),
        "items": markdown_items(record),
        "matrix_explained": matrix_explained(),
        "matrix": {  # rows: the panel; columns: every mechanism named
            "header": matrix_header(record),
            "rows": [[row["acronym"], *counts] for row, counts in coordination_matrix(record)],
        },
        "coordination": [
            {"acronym": mechanism["acronym"], "line": coordination_line(proposes, proposed_by)}
            for mechanism, proposes, proposed_by in coordination_by_mechanism(record)
        ],
        "round_timing": as_table(round_timing_table(record)),
        "turn_timing": as_table(turn_timing_table(record)),
        "attendance": as_table(attendance_table(record)),
        # The whole agenda's parts: none in a record made before agendas.
        **agenda_tables(record),
    }


def agenda_tables(record: dict) -> dict:
    if not beyond_the_rounds(record):
        return {}
    tables = {
        "agenda": agenda_table(record),
        "item_timing": item_timing_table(record),
        "intervention_timing": intervention_timing_table(record),
        "delegation_timing": delegation_timing_table(record),
        "delegations": delegations_table(record),
    }
    # A table without rows is left out, its heading with it.
    return {name: as_table(table) for name, table in tables.items() if table[1]}


def markdown_items(record: dict) -> list[dict]:
    """Each agenda item in order: a round's heading, question and turns; another item's
    heading and, for a dialogue or a break, its planned and actual time; then the item's
    interventions (a point of order in a round among them)."""
    rounds = rounds_by_number(record)
    items = []
    for item in agenda_of(record):
        if item["kind"] == ItemKind.ROUND:
            shown = {**markdown_round(record, rounds[item["round"]]), "is_round": True}
        else:
            shown = {"heading": item_heading(record, item), "planned_time": ""}
            if item["kind"] in (ItemKind.DIALOGUE, ItemKind.OTHER):
                shown["planned_time"] = planned_time(item)
        shown["interventions"] = [
            {
                "speaker": speaker_label(intervention),
                "summary": intervention["summary"],
                "notes": intervention.get("notes"),
                "time_used": time_used(intervention),
            }
            for intervention in item["interventions"]
        ]
        items.append(shown)
    return items


def markdown_round(record: dict, round_: dict) -> dict:
    """A round's heading and question, and its turns in order."""
    persons, mechanisms = people(record), mechanisms_by_slug(record)
    return {
        "heading": round_heading(round_),
        "question": round_["question"],
        "turns": [
            markdown_turn(record, entry, persons[entry["panelist"]], mechanisms[entry["mechanism"]])
            for entry in round_["entries"]
        ],
    }


def markdown_turn(record: dict, entry: dict, person: dict, mechanism: dict) -> dict:
    """Who spoke, their texts, whom they propose to coordinate with, the time they used."""
    proposes = ""
    if entry["coordination"]:
        proposes = _("Proposes to coordinate with: %(mechanisms)s") % {
            "mechanisms": acronyms(record, entry["coordination"])
        }
    return {
        "acronym": mechanism["acronym"],
        "name": person["name"],
        "answer": entry["answer"],
        "summary": entry["summary"],
        "notes": entry.get("notes"),
        "proposes": proposes,
        "time_used": time_used(entry),
    }


def as_table(table: tuple[list[str], list[list[str]]]) -> dict:
    header, rows = table
    return {"header": header, "rows": rows}
