"""The record in words, as the report page and every document write it: dates and times in the
meeting's time zone, headings, statuses and the sentences around the numbers, in the active
language.

Each takes the dictionary of meetings.outputs.record.build_record and returns plain text; the
documents escape it for their format.
"""

import datetime as dt
import zoneinfo

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from config.common.formatting import minutes_seconds
from meetings.models import Attendance, ItemKind, TurnStatus
from meetings.outputs.record import mechanisms_by_slug, people, rounds_by_number


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


def meeting_when(record: dict) -> str:
    """ "May 17, 2022, 10:00–13:00 (America/New_York)": the date, the times and the zone."""
    meeting = record["meeting"]
    return f"{meeting_date(record)}, {meeting['start']}–{meeting['end']} ({meeting['time_zone']})"


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


def item_heading(record: dict, item: dict) -> str:
    """An agenda item's heading: a round's as round_heading writes it, another's its title."""
    if item["kind"] == ItemKind.ROUND:
        return round_heading(rounds_by_number(record)[item["round"]])
    return item["title"]


def speaker_label(intervention: dict) -> str:
    """Who spoke: "Delegation of Mexico", and "(point of order)" after a point of order."""
    if intervention["point_of_order"]:
        return _("%(speaker)s (point of order)") % {"speaker": intervention["speaker"]}
    return intervention["speaker"]


def attendance_label(value: str) -> str:
    """In the room, Online, Not present (in the active language)."""
    return str(Attendance(value).label) if value in Attendance.values else value


def planned_time(item: dict) -> str:
    """An item without speakers (a break) or the dialogue: "Planned time: 15:00 · Actual
    time: 14:10" (a dash for an item not begun)."""
    actual = item["actual_seconds"]
    return _("Planned time: %(planned)s · Actual time: %(actual)s") % {
        "planned": minutes_seconds(item["planned_seconds"]),
        "actual": minutes_seconds(actual) if actual is not None else "—",
    }


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


def file_stem(record: dict) -> str:
    """The downloads' name without its extension: `<slug>-record-<language>`."""
    return f"{record['meeting']['slug']}-record-{record['language']}"
