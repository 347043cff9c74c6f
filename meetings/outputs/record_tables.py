"""The record's tables, as the report page and the documents show them: the run of show, the time
per round and per speaker, attendance, the coordination matrix.

Each `*_table` gives (header, rows) of text; the documents lay them out in their format.
"""

from django.utils.translation import gettext as _

from config.common.formatting import minutes_seconds
from meetings.models import PanelistStatus
from meetings.outputs.record import mechanisms_by_slug, people, timing
from meetings.outputs.record_text import entries, local_span

Table = tuple[list[str], list[list[str]]]


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


def run_of_show_table(record: dict) -> Table:
    """The speakers in order with their planned slot."""
    header = [_("Round"), _("Position"), _("Speaker"), _("Planned")]
    rows = [
        [str(row["round"]), str(entry["position"]), row["speaker"], row["planned"]]
        for row, (_round, entry, _person, _mechanism) in zip(
            timing_by_turn(record), entries(record), strict=True
        )
    ]
    return header, rows


def turn_timing_table(record: dict) -> Table:
    header = [_("Round"), _("Speaker"), _("Planned"), _("Actual")]
    header += [_("Allotted"), _("Used"), _("Overtime")]
    rows = [
        [str(row["round"]), row["speaker"], row["planned"], row["actual"]]
        + [minutes_seconds(row[key]) for key in ("allotted", "used", "overtime")]
        for row in timing_by_turn(record)
    ]
    return header, rows


def round_timing_table(record: dict) -> Table:
    """Per round, and the meeting's total as the last row."""
    header = [_("Round"), _("Speakers"), _("Planned"), _("Actual")]
    header += [_("Allotted"), _("Used"), _("Overtime")]
    rows = [
        [str(row["round"]), str(row["speakers"]), row["planned"], row["actual"]]
        + [minutes_seconds(row[key]) for key in ("allotted", "used", "overtime")]
        for row in timing_by_round(record)
    ]
    return header, rows


def matrix_header(record: dict) -> list[str]:
    """The coordination matrix's header: every mechanism named is a column (the rows, the
    mechanisms on the panel, come from record.coordination_matrix)."""
    return [_("Proposed by ↓ / with →"), *(m["acronym"] for m in record["mechanisms"])]


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


def attendance_table(record: dict) -> Table:
    header = [_("Mechanism"), _("Panelist"), _("Reply to the invitation"), _("Spoke")]
    rows = [
        [row["acronym"], row["name"], row["status_label"], _("yes") if row["spoke"] else _("no")]
        for row in attendance(record)
    ]
    return header, rows
