import datetime as dt

from django import template

from meetings.clock import format_clock
from meetings.links import link_path

register = template.Library()


@register.filter
def personal_link(panelist) -> str:
    """The path of the panelist's personal link, or "" when it is revoked."""
    return link_path(panelist) or ""


@register.filter
def minutes_seconds(seconds) -> str:
    """420 -> "7:00"."""
    seconds = int(seconds or 0)
    return f"{seconds // 60}:{seconds % 60:02d}"


@register.filter
def duration_minutes(delta: dt.timedelta) -> int:
    return round(delta.total_seconds() / 60)


@register.filter
def latest(emails):
    """The most recent of a panelist's prefetched emails."""
    emails = list(emails)
    return emails[0] if emails else None


@register.filter
def minutes_count(seconds) -> int:
    """420 -> 7, for "7 minutes"."""
    return round(int(seconds or 0) / 60)


@register.filter
def clock(seconds) -> str:
    """Remaining time as the screens show it: 6:59, or +0:42 in overtime."""
    return format_clock(float(seconds))


@register.filter
def clock_plain(seconds) -> str:
    """A duration as m:ss (time used, time allotted)."""
    whole = round(float(seconds or 0))
    return f"{whole // 60}:{whole % 60:02d}"
