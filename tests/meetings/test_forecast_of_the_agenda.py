"""The console's forecast of a stored meeting counts its whole agenda: an item's planned
minutes reach the clock's rules through AgendaItem.to_item."""

import datetime as dt

import pytest

from meetings.models import ItemKind
from meetings.services import live_session
from meetings.views.live import pace_and_forecast
from tests.factories import make_item, make_meeting, make_panelist, whole_agenda

pytestmark = pytest.mark.django_db


def test_the_forecast_counts_the_break_and_the_dialogue_planned_on_the_agenda():
    meeting = make_meeting(rounds=1, opening_minutes=0, closing_minutes=10, changeover_seconds=0)
    make_panelist(meeting)
    _opening, dialogue, _closing = whole_agenda(meeting)
    dialogue.planned_minutes = 30
    dialogue.save()
    make_item(meeting, ItemKind.OTHER, title_en="Coffee break", planned_minutes=15)
    _turns, agenda, session = live_session.meeting_session(meeting)
    assert [item.to_item().planned for item in agenda] == [0, 0, 1800, 0, 900]
    now = meeting.starts_at
    forecast = pace_and_forecast(meeting, session, now)["forecast"]
    # opening remarks 5, the panelist 7, the dialogue 30, closing remarks 5, the break 15, and
    # the meeting's closing 10
    assert forecast == now + dt.timedelta(minutes=5 + 7 + 30 + 5 + 15 + 10)
