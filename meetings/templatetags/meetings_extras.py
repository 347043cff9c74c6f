import datetime as dt
import zoneinfo
from html import escape
from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from config.common import fragments
from config.common.formatting import duration_text, format_clock, minutes_seconds
from config.common.text_diff import ADDED, REMOVED, SAME, Comparison
from meetings.services.links import link_path

register = template.Library()


@register.simple_tag
def live_events_url(meeting, language: str) -> str:
    """Where a live screen holds its stream of the meeting's state; "" when screens poll."""
    if not settings.LIVE_EVENTS:
        return ""
    return f"{reverse('meetings:events', args=[meeting.slug])}?lang={language}"


@register.filter
def personal_link(panelist) -> str:
    """The path of the panelist's personal link, or "" when it is revoked."""
    return link_path(panelist) or ""


# A part of a page kept rendered, with the request's CSRF field (config.common.fragments).
register.filter("with_csrf", fragments.with_csrf)


# A duration as m:ss (speaking time, time used, time allotted).
register.filter("minutes_seconds", minutes_seconds)


@register.filter
def duration(value: dt.timedelta | float) -> str:
    """A duration (a timedelta or seconds) as a reader says it: "7 minutes", "1:30 min"."""
    seconds = value.total_seconds() if isinstance(value, dt.timedelta) else value
    return duration_text(seconds)


@register.filter
def inert(value) -> str:
    """Typed text inside an element htmx acts on (a button's label): escaped, and in a span
    htmx leaves alone (`data-hx-disable`), as every container of typed text is."""
    return format_html("<span data-hx-disable>{}</span>", value)


WEB_SCHEMES = ("http", "https")


@register.filter
def web_url(value) -> str:
    """A user-given address fit for an href: http or https only, else "" (so `javascript:`,
    `data:` and the like never become a link, however the text hides the scheme)."""
    text = str(value or "").strip()
    try:
        scheme = urlsplit(text).scheme
    except ValueError:
        return ""
    return text if scheme.lower() in WEB_SCHEMES else ""


@register.filter
def moment(value: dt.datetime | None, zone: str) -> str:
    """A timestamp for staff: the date as the reader's language writes it (never 12/04/2026,
    which half the Americas read as 12 April), the time and the zone it is in:
    "Dec. 4, 2026, 09:46 (America/New_York)", "4 de diciembre de 2026, 09:46 (…)"."""
    if value is None:
        return ""
    local = value.astimezone(zoneinfo.ZoneInfo(zone))
    return f"{date_format(local, 'DATE_FORMAT')}, {local:%H:%M} ({zone})"


@register.filter
def latest(emails):
    """The most recent of a panelist's prefetched emails that was asked to go out now: a
    reminder scheduled for later, or one cancelled, is not their latest news."""
    return next((email for email in emails if email.status not in ("scheduled", "cancelled")), None)


@register.filter
def clock(seconds) -> str:
    """Remaining time as the screens show it: 6:59, or +0:42 in overtime."""
    return format_clock(float(seconds))


@register.simple_tag
def diff_lines(comparison: Comparison) -> SafeString:
    """The lines of a comparison (config.common.text_diff), one paragraph each, every text escaped.
    Written here rather than by a template loop: two texts of 50,000 characters can differ
    in 75,000 lines, which a template loop takes a second and a half of CPU to write, this a
    tenth. (The standard library's escape: the same five characters as Django's, without the
    cost of its lazy-string wrapper on every line.)"""
    hidden = '<span class="visually-hidden">{} </span>'
    marks = {
        SAME: "&nbsp; ",
        ADDED: hidden.format(escape(_("added:"))) + "+ ",
        REMOVED: hidden.format(escape(_("removed:"))) + "− ",
    }
    tags = {ADDED: "ins", REMOVED: "del"}
    paragraphs = []
    for line in comparison.lines:
        if line.pieces:
            tag = tags[line.kind]
            text = "".join(
                f"<{tag}>{escape(piece)}</{tag}>" if changed else escape(piece)
                for piece, changed in line.pieces
            )
        else:
            text = escape(line.text)
        paragraphs.append(f'<p class="diff-{line.kind} mb-0">{marks[line.kind]}{text}</p>')
    return mark_safe("".join(paragraphs))  # noqa: S308 (every text escaped above)
