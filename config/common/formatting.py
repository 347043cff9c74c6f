"""Numbers in messages, written the way the reader's language writes them; numbers in requests,
read strictly; durations and countdowns as m:ss."""

import math
import re

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def plain(text: str) -> str:
    """Text for a reader, never markup: a plain `str`.

    A template rendered with autoescaping off (the plain-text emails) returns a SafeString, and
    every template that shows a SafeString prints it unescaped: a question holding
    `<div hx-post=…>` became an element in the previews. `str()` keeps the SafeString
    (its `__str__` returns itself); `str.__str__` gives a plain copy.
    """
    return str.__str__(text)


def grouped(value: int) -> str:
    """20000 -> "20,000" in English, "20.000" in Spanish and Portuguese, "20 000" in French."""
    return number_format(value, force_grouping=True)


# An id or version posted by a page: ASCII digits that fit a database integer. (str.isdigit()
# also accepts "²" and "①", which int() refuses, and any length, which the database refuses.)
ID_PATTERN = re.compile(r"[0-9]{1,15}")


def parse_id(value: str | None) -> int | None:
    """The posted number, or None when it is not one we could ever have sent."""
    return int(value) if value and ID_PATTERN.fullmatch(value) else None


def parse_ids(values: list[str]) -> list[int]:
    return [number for number in map(parse_id, values) if number is not None]


def m_ss(whole_seconds: int) -> str:
    return f"{whole_seconds // 60}:{whole_seconds % 60:02d}"


def minutes_seconds(seconds: float) -> str:
    """A duration as m:ss, to the nearest second: 420 -> "7:00"."""
    return m_ss(round(float(seconds or 0)))


def format_clock(seconds: float) -> str:
    """Remaining time as every screen shows it: 6:59 counting down, +0:42 in overtime.

    The screens' script writes it the same way (formatClock in static/js/live-clock.js): both
    are tested against tests/config/common/clock_cases.json."""
    if seconds >= 0:
        return m_ss(math.ceil(seconds))  # 6:59.4 left shows 7:00 until a full second went
    return "+" + m_ss(math.floor(-seconds))


def duration_text(seconds: float) -> str:
    """How long, as a reader says it: "7 minutes" when whole minutes, "1:30 min" otherwise (a
    90-second turn is not "2 minutes")."""
    whole = round(float(seconds or 0))
    if whole % 60:
        return _("%(time)s min") % {"time": minutes_seconds(whole)}
    minutes = whole // 60
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
