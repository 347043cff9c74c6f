"""The record as CSV rows: one per panelist and round, the notes only in the secretariat's.

The rows hold the record's values as they are; config.common.spreadsheets.csv_response
neutralises what a spreadsheet would read as a formula when it writes them.
"""

from django.utils.translation import gettext as _

from meetings.outputs.record_text import acronyms, entries, status_label


def csv_rows(record: dict) -> list[list[object]]:
    return [csv_header(record)] + [
        csv_row(record, round_, entry, person, mechanism)
        for round_, entry, person, mechanism in entries(record)
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
    ]
    if record["internal"]:
        row.append(entry.get("notes", ""))
    return row
