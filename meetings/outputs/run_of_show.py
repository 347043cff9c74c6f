"""The run of show of a stored meeting (the arithmetic is in meetings/domain/run_of_show.py)."""

import datetime as dt

from django.db.models import Prefetch

from meetings.domain.run_of_show import RoundPlan, RunOfShow, plan_run_of_show
from meetings.models import Meeting, Panelist, PanelistStatus, Round, Turn


def rounds_with_order(meeting: Meeting) -> list[Round]:
    """The rounds with their turns in the live order (without who declined) and their
    panelists, in three queries whatever the panel's size."""
    turns = Turn.objects.in_live_order().select_related("panelist__mechanism")
    return list(meeting.rounds.prefetch_related(Prefetch("turns", queryset=turns)))


def run_of_show(meeting: Meeting, rounds: list[Round] | None = None) -> RunOfShow[Panelist]:
    """Opening, each round's turns (declined panelists leave the plan), closing."""
    rounds = rounds if rounds is not None else rounds_with_order(meeting)
    plans = [
        RoundPlan(
            number=round_.number,
            speaking_time=dt.timedelta(seconds=round_.speaking_seconds),
            speakers=[
                turn.panelist
                for turn in round_.turns.all()
                if turn.panelist.status != PanelistStatus.DECLINED  # rounds given by a caller
            ],
        )
        for round_ in rounds
    ]
    return plan_run_of_show(
        starts_at=meeting.starts_at,
        scheduled_end=meeting.ends_at,
        opening=dt.timedelta(minutes=meeting.opening_minutes),
        closing=dt.timedelta(minutes=meeting.closing_minutes),
        changeover=dt.timedelta(seconds=meeting.changeover_seconds),
        rounds=plans,
    )
