"""The meeting as an iCalendar file (RFC 5545), for calendars and email attachments."""

import datetime as dt
from email.utils import parseaddr

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from config.common.formatting import duration_text
from meetings.domain.run_of_show import ItemKind, RunOfShow
from meetings.models import Meeting, Panelist
from meetings.outputs.run_of_show import run_of_show

PRODUCT_ID = "-//OAS CAM//Thematic meetings//EN"


def meeting_calendar(
    meeting: Meeting,
    *,
    url: str,
    panelist: Panelist | None = None,
    slot_text: str = "",
    now: dt.datetime | None = None,
    run: RunOfShow | None = None,
    personal: bool = False,
) -> bytes:
    """One event for the meeting, with the agenda in the description; for a panelist, with
    their slot and the join link too, and for a delegation (`personal`) with the join link.
    The public file leaves the join link out: it is given to those taking part, on their
    personal pages and in their invitations."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")

    event = Event()
    event.add("uid", f"meeting-{meeting.slug}@cam-meetings")  # stable: updates replace it
    event.add("sequence", meeting.calendar_sequence)
    event.add("dtstamp", (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC))
    event.add("organizer", organizer())
    event.add("dtstart", meeting.starts_at.astimezone(dt.UTC))
    event.add("dtend", meeting.ends_at.astimezone(dt.UTC))
    event.add("summary", meeting.title)
    event.add("url", url)
    personal = personal or panelist is not None
    location = meeting.venue or (meeting.join_link if personal else "")
    if location:
        event.add("location", location)
    event.add(
        "description",
        describe(meeting, url=url, slot_text=slot_text, join_link=personal, run=run),
    )
    if panelist is None:
        event.add("status", "CONFIRMED" if meeting.status != "draft" else "TENTATIVE")
    calendar.add_component(event)
    return calendar.to_ical()


def organizer() -> vCalAddress:
    """The secretariat that sends the invitations, as their mail program names it."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address}")
    if name:
        organizer.params["cn"] = vText(name)
    return organizer


def describe(
    meeting: Meeting,
    *,
    url: str,
    slot_text: str,
    join_link: bool = False,
    run: RunOfShow | None = None,
) -> str:
    lines = []
    if slot_text:
        lines += [slot_text, ""]
    lines += agenda_lines(meeting, run or run_of_show(meeting))
    if join_link and meeting.join_link:
        lines += ["", _("Join online: %(link)s") % {"link": meeting.join_link}]
    lines += ["", url]
    return "\n".join(lines)


def agenda_lines(meeting: Meeting, run: RunOfShow) -> list[str]:
    """The agenda as plain text: each item at its planned time (a round with its question,
    a dialogue with its time per intervention), then the planned end."""
    zone = meeting.zone
    lines = [_("Agenda (times in %(zone)s):") % {"zone": meeting.time_zone}]
    for line in run.agenda:
        time = line.starts_at.astimezone(zone).strftime("%H:%M")
        item = line.item
        if item is None:  # a round without its agenda item
            heading = _("Round %(number)d") % {"number": line.round_number}
        else:
            heading = str(item.heading)
        if line.kind == ItemKind.ROUND and item is not None and item.round.question:
            heading = f"{heading}. {item.round.question}"
        elif line.agenda_kind == "dialogue" and line.speaking_time:
            per = _("%(time)s per intervention") % {
                "time": duration_text(line.speaking_time.total_seconds())
            }
            heading = f"{heading} ({per})"
        lines.append(f"{time} {heading}")
    end = run.planned_end.astimezone(zone).strftime("%H:%M")
    lines.append(_("%(time)s End") % {"time": end})
    return lines


def calendar_in(language: str, *args, **kwargs) -> bytes:
    with translation.override(language):
        return meeting_calendar(*args, **kwargs)
