"""A console button that cannot be used now looks disabled: grey, not a paler colour."""

import re

import pytest

from meetings.roles import SECRETARIAT
from tests.browser.conftest import PASSWORD, sign_in
from tests.factories import before_the_session, make_meeting, make_panelist, make_user

pytestmark = pytest.mark.browser


def colour(locator, prop: str) -> tuple[int, int, int]:
    value = locator.evaluate(f"(element) => getComputedStyle(element)['{prop}']")
    return tuple(int(part) for part in re.findall(r"\d+", value)[:3])


def is_grey(rgb: tuple[int, int, int]) -> bool:
    return max(rgb) - min(rgb) <= 12


def test_disabled_console_buttons_are_grey_and_enabled_ones_keep_their_colour(
    live_server, transactional_db, page
):
    make_user(SECRETARIAT, username="secretary", password=PASSWORD)
    meeting = before_the_session(make_meeting(slug="look"))
    make_panelist(meeting, name="Ana Pérez")
    sign_in(page, live_server.url, f"/meetings/{meeting.slug}/console/")

    start = page.get_by_role("button", name="Start", exact=True)
    pause = page.get_by_role("button", name="Pause", exact=True)
    assert start.is_enabled() and pause.is_disabled()
    assert not is_grey(colour(start, "backgroundColor"))  # green: it can be pressed
    assert is_grey(colour(pause, "backgroundColor"))
    assert pause.evaluate("(element) => getComputedStyle(element).opacity") == "1"
    text, background = colour(pause, "color"), colour(pause, "backgroundColor")
    assert sum(background) - sum(text) > 200  # still readable: dark grey on light grey
