"""The record's tables, as the report page and the documents show them: the run of show, the time
per round and per speaker, attendance, the coordination matrix.

Each `*_table` gives (header, rows) of text; the documents lay them out in their format.
"""

from django.utils.translation import gettext as _

from config.common.formatting import minutes_seconds
from meetings.models import PanelistStatus
from meetings.outputs.record import (
    agenda_of,
    all_interventions,
    mechanisms_by_slug,
    people,
    timing,
)
from meetings.outputs.record_text import (
    attendance_label,
    entries,
    item_heading,
    local_span,
    speaker_label,
)

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


# The whole agenda (records of schema 2: a record made before agendas has none of these) ------


def agenda_table(record: dict) -> Table:
    """Every item in order with its slot in the run of show and its planned time."""
    header = [_("Item"), _("Agenda item"), _("Planned"), _("Planned time")]
    rows = [
        [
            str(item["position"]),
            item_heading(record, item),
            local_span(item["planned_start"], item["planned_end"], record),
            minutes_seconds(item["planned_seconds"]),
        ]
        for item in agenda_of(record)
    ]
    return header, rows


def timing_by_item(record: dict) -> list[dict]:
    """Per item: planned and actual start to end (local times), the time planned, the time it
    took and the time its speakers used."""
    return [
        {
            "position": item["position"],
            "heading": item_heading(record, item),
            "planned": local_span(item["planned_start"], item["planned_end"], record),
            "actual": local_span(item["started_at"], item["ended_at"], record),
            "planned_seconds": item["planned_seconds"],
            "actual_seconds": item["actual_seconds"],
            "used": item["used_seconds"],
        }
        for item in agenda_of(record)
    ]


def item_timing_table(record: dict) -> Table:
    header = [_("Item"), _("Agenda item"), _("Planned"), _("Actual")]
    header += [_("Planned time"), _("Actual time"), _("Used")]
    rows = [
        [
            str(row["position"]),
            row["heading"],
            row["planned"],
            row["actual"],
            minutes_seconds(row["planned_seconds"]),
            duration(row["actual_seconds"]),
            minutes_seconds(row["used"]),
        ]
        for row in timing_by_item(record)
    ]
    return header, rows


def duration(seconds: int | None) -> str:
    return minutes_seconds(seconds) if seconds is not None else "—"


def timing_by_intervention(record: dict) -> list[dict]:
    """Per intervention (remarks, the dialogue's, points of order): the item, who spoke,
    when, allotted, used, overtime."""
    return [
        {
            "position": item["position"],
            "speaker": speaker_label(intervention),
            "actual": local_span(intervention["started_at"], intervention["ended_at"], record),
            "allotted": intervention["allotted_seconds"],
            "used": intervention["used_seconds"],
            "overtime": intervention["overtime_seconds"],
        }
        for item, intervention in all_interventions(record)
    ]


def intervention_timing_table(record: dict) -> Table:
    header = [_("Item"), _("Speaker"), _("Actual"), _("Allotted"), _("Used"), _("Overtime")]
    rows = [
        [str(row["position"]), row["speaker"], row["actual"]]
        + [minutes_seconds(row[key]) for key in ("allotted", "used", "overtime")]
        for row in timing_by_intervention(record)
    ]
    return header, rows


def delegation_timing_table(record: dict) -> Table:
    """The delegations that spoke: how many interventions, points of order, the time used."""
    header = [_("Delegation"), _("Interventions"), _("Points of order"), _("Used")]
    rows = [
        [
            delegation["name"],
            str(delegation["interventions"]),
            str(delegation["points_of_order"]),
            minutes_seconds(delegation["used_seconds"]),
        ]
        for delegation in record.get("delegations", [])
        if delegation["spoke"]
    ]
    return header, rows


def delegations_attendance(record: dict) -> list[dict]:
    """The participating delegations (present, or who spoke), their attendance in words."""
    return [
        {**delegation, "attendance_label": attendance_label(delegation["attendance"])}
        for delegation in record.get("delegations", [])
    ]


def delegations_table(record: dict) -> Table:
    header = [_("Delegation"), _("Attendance"), _("Spoke")]
    rows = [
        [row["name"], row["attendance_label"], _("yes") if row["spoke"] else _("no")]
        for row in delegations_attendance(record)
    ]
    return header, rows
