"""Times as a reader says them: whole minutes in words, anything else as m:ss."""

import pytest
from bs4 import BeautifulSoup
from django.utils import translation

from config.common.formatting import duration_text, minutes_seconds
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
