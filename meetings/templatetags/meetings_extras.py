import datetime as dt

from django import template

from meetings.clock import format_clock
from meetings.formatting import minutes_seconds
from meetings.links import link_path

register = template.Library()


@register.filter
def personal_link(panelist) -> str:
    """The path of the panelist's personal link, or "" when it is revoked."""
    return link_path(panelist) or ""


# A duration as m:ss (speaking time, time used, time allotted).
register.filter("minutes_seconds", minutes_seconds)


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
