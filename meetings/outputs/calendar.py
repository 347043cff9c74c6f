"""The meeting as an iCalendar file (RFC 5545), for calendars and email attachments."""

import datetime as dt
from email.utils import parseaddr

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from meetings.models import Meeting, Panelist

PRODUCT_ID = "-//OAS CAM//Thematic meetings//EN"


def meeting_calendar(
    meeting: Meeting,
    *,
    url: str,
    panelist: Panelist | None = None,
    slot_text: str = "",
    now: dt.datetime | None = None,
) -> bytes:
    """One event for the meeting; for a panelist, with their slot in the description."""
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
    location = meeting.venue or meeting.virtual_link
    if location:
        event.add("location", location)
    event.add("description", describe(meeting, url=url, slot_text=slot_text))
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


def describe(meeting: Meeting, *, url: str, slot_text: str) -> str:
    lines = []
    if slot_text:
        lines += [slot_text, ""]
    for round_ in meeting.rounds.all():
        lines.append(
            _("Round %(number)d: %(question)s")
            % {"number": round_.number, "question": round_.question}
        )
    if meeting.virtual_link:
        lines += ["", _("Join online: %(link)s") % {"link": meeting.virtual_link}]
    lines += ["", url]
    return "\n".join(lines)


def calendar_in(language: str, *args, **kwargs) -> bytes:
    with translation.override(language):
        return meeting_calendar(*args, **kwargs)
