"""The record as CSV rows: one per panelist and round, then one per intervention (remarks, points
of order, the dialogue's delegations: no round, no mechanism, the speaker in the panelist's
column), each with its agenda item and whether it was a point of order; the notes only in the
secretariat's.

The rows hold the record's values as they are; config.common.spreadsheets.csv_response
neutralises what a spreadsheet would read as a formula when it writes them.
"""

from django.utils.translation import gettext as _

from meetings.models import ItemKind
from meetings.outputs.record import agenda_of, all_interventions
from meetings.outputs.record_text import acronyms, entries, status_label


def csv_rows(record: dict) -> list[list[object]]:
    return [
        csv_header(record),
        *(
            csv_row(record, round_, entry, person, mechanism)
            for round_, entry, person, mechanism in entries(record)
        ),
        *(
            intervention_row(record, item, intervention)
            for item, intervention in all_interventions(record)
        ),
    ]


def csv_header(record: dict) -> list[str]:
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
        _("Agenda item"),
        _("Point of order"),
    ]
    if record["internal"]:
        header.append(_("Notes (internal)"))
    return header


def csv_row(record: dict, round_: dict, entry: dict, person: dict, mechanism: dict) -> list:
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
        round_items(record).get(round_["number"], ""),
        "",
    ]
    if record["internal"]:
        row.append(entry.get("notes", ""))
    return row


def round_items(record: dict) -> dict[int, int]:
    """Each round's place on the agenda, by its number."""
    return {
        item["round"]: item["position"]
        for item in agenda_of(record)
        if item["kind"] == ItemKind.ROUND
    }


def intervention_row(record: dict, item: dict, intervention: dict) -> list:
    """An intervention: the delegation's code as its acronym, the speaker as its panelist."""
    row = [
        record["meeting"]["slug"],
        "",
        intervention["position"],
        "",
        intervention["delegation"] or "",
        intervention["speaker"],
        status_label(intervention),
        "",
        intervention["summary"],
        "",
        intervention["allotted_seconds"],
        intervention["used_seconds"],
        intervention["overtime_seconds"],
        "",
        intervention["started_at"] or "",
        intervention["ended_at"] or "",
        item["position"],
        _("yes") if intervention["point_of_order"] else _("no"),
    ]
    if record["internal"]:
        row.append(intervention.get("notes", ""))
    return row
