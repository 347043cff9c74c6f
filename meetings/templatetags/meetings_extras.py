import datetime as dt
from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from meetings.clock import format_clock
from meetings.formatting import minutes_seconds
from meetings.links import link_path
from meetings.text_diff import ADDED, REMOVED, SAME, Comparison

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


@register.simple_tag
def diff_lines(comparison: Comparison) -> SafeString:
    """The lines of a comparison (meetings.text_diff), one paragraph each, every text escaped.
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
