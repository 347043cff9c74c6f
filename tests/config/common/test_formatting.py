"""Times as a reader says them: whole minutes in words, anything else as m:ss; the screens'
countdown, written alike by the server and by the screens' script."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.utils import translation

from config.common.formatting import duration_text, format_clock, minutes_seconds
from meetings.models import EmailKind, Round
from meetings.services import invitations
from meetings.services.links import link_path
from tests.factories import make_meeting, make_panelist, make_user


@pytest.mark.parametrize(
    ("seconds", "english", "spanish"),
    [
        (420, "7 minutes", "7 minutos"),
        (60, "1 minute", "1 minuto"),
        (90, "1:30 min", "1:30 min"),
        (30, "0:30 min", "0:30 min"),
        (419.6, "7 minutes", "7 minutos"),
    ],
)
def test_a_duration_is_whole_minutes_in_words_and_m_ss_otherwise(seconds, english, spanish):
    assert duration_text(seconds) == english
    with translation.override("es"):
        assert duration_text(seconds) == spanish


@pytest.mark.parametrize(("seconds", "text"), [(0, "0:00"), (90, "1:30"), (3600, "60:00")])
def test_minutes_seconds(seconds, text):
    assert minutes_seconds(seconds) == text


# Remaining seconds -> what a screen shows; the server's text and the script's must agree.
CLOCK_CASES = json.loads((Path(__file__).parent / "clock_cases.json").read_text())
LIVE_CLOCK_JS = Path(__file__).parents[3] / "static" / "js" / "live-clock.js"
NODE = shutil.which("node")


@pytest.mark.parametrize(("seconds", "shown"), CLOCK_CASES)
def test_the_server_shows_m_ss_counting_down_and_plus_in_overtime(seconds, shown):
    assert format_clock(seconds) == shown


@pytest.mark.skipif(NODE is None, reason="Node.js runs the screens' script")
def test_the_screens_script_shows_the_same_as_the_server():
    # live-clock.js defines window.LiveClock and waits for the page: a bare window and
    # document are all it needs to be loaded outside a browser.
    script = f"""
        const window = {{}};
        const document = {{ addEventListener() {{}} }};
        {LIVE_CLOCK_JS.read_text()}
        const cases = JSON.parse(process.argv[1]);
        const shown = cases.map(([seconds]) => window.LiveClock.formatClock(seconds));
        console.log(JSON.stringify(shown));
    """
    shown = subprocess.run(  # noqa: S603 (our own script)
        [NODE, "-e", script, json.dumps(CLOCK_CASES)],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout
    assert json.loads(shown) == [text for _seconds, text in CLOCK_CASES]


@pytest.fixture
def ninety_seconds(db):
    meeting = make_meeting(speaking_seconds=90, warning_seconds=30)
    Round.objects.filter(meeting=meeting).update(speaking_seconds=90)
    return make_panelist(meeting, email="ana@example.org")


def test_a_90_second_turn_is_not_called_2_minutes_in_the_portal(client, ninety_seconds):
    page = BeautifulSoup(client.get(link_path(ninety_seconds)).content, "html.parser")
    text = " ".join(page.get_text().split())
    assert "(1:30 min)" in text
    assert "2 minutes" not in text


def test_a_90_second_turn_is_not_called_2_minutes_in_the_invitation(ninety_seconds):
    composed = invitations.compose(ninety_seconds, EmailKind.INVITATION)
    assert "(1:30 min)" in composed.text
    assert "2 minutes" not in composed.text


def test_the_run_of_show_gives_each_duration_in_words_or_m_ss(client, ninety_seconds):
    client.force_login(make_user(is_superuser=True, is_staff=True))
    page = client.get(f"/meetings/{ninety_seconds.meeting.slug}/panel/")  # has the run of show
    cells = [
        td.get_text(strip=True)
        for td in BeautifulSoup(page.content, "html.parser").select("#run-of-show td.text-end")
    ]
    # "10:00" beside a clock time of 10:00 would read as a time: durations say what they are
    assert "1:30 min" in cells and "10 minutes" in cells
    assert not any(cell in ("2", "10:00", "2 minutes") for cell in cells)
