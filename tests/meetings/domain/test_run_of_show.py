import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from meetings.domain.run_of_show import ItemKind, RoundPlan, elapsed, plan_run_of_show

NEW_YORK = ZoneInfo("America/New_York")
MINUTE = dt.timedelta(minutes=1)


def plan(starts_at, *, end=None, speakers=("RCM", "CSM"), rounds=2, changeover=0):
    return plan_run_of_show(
        starts_at=starts_at,
        scheduled_end=end or starts_at + 180 * MINUTE,
        opening=10 * MINUTE,
        closing=10 * MINUTE,
        changeover=changeover * dt.timedelta(seconds=1),
        rounds=[RoundPlan(n, 7 * MINUTE, list(speakers)) for n in range(1, rounds + 1)],
    )


def clock(item) -> str:
    return item.starts_at.strftime("%H:%M")


def test_run_of_show_lists_opening_rounds_turns_and_closing_in_order():
    show = plan(dt.datetime(2022, 5, 17, 10, 0, tzinfo=NEW_YORK))
    assert [(item.kind, clock(item), item.speaker) for item in show.items] == [
        (ItemKind.OPENING, "10:00", None),
        (ItemKind.ROUND, "10:10", None),
        (ItemKind.TURN, "10:10", "RCM"),
        (ItemKind.TURN, "10:17", "CSM"),
        (ItemKind.ROUND, "10:24", None),
        (ItemKind.TURN, "10:24", "RCM"),
        (ItemKind.TURN, "10:31", "CSM"),
        (ItemKind.CLOSING, "10:38", None),
    ]
    assert show.planned_end == dt.datetime(2022, 5, 17, 10, 48, tzinfo=NEW_YORK)
    assert show.fits


def test_changeover_comes_between_speakers_not_before_the_first():
    show = plan(dt.datetime(2022, 5, 17, 10, 0, tzinfo=NEW_YORK), changeover=30, rounds=1)
    turns = [item for item in show.items if item.kind == ItemKind.TURN]
    assert [item.starts_at.strftime("%H:%M:%S") for item in turns] == ["10:10:00", "10:17:30"]


def test_a_panel_that_runs_past_the_scheduled_end_is_flagged_with_the_overrun():
    start = dt.datetime(2022, 5, 17, 10, 0, tzinfo=NEW_YORK)
    show = plan(start, end=start + 30 * MINUTE)
    assert not show.fits
    assert show.overrun == 18 * MINUTE


def test_times_stay_right_across_the_change_to_daylight_saving_time():
    # 13 March 2022: New York clocks jump from 02:00 EST to 03:00 EDT.
    show = plan(dt.datetime(2022, 3, 13, 1, 30, tzinfo=NEW_YORK), speakers=["A"] * 4, rounds=1)
    assert show.planned_end.strftime("%H:%M %Z") == "03:18 EDT"
    assert elapsed(show.items[0].starts_at, show.planned_end) == 48 * MINUTE
    assert [item.duration for item in show.items if item.kind == ItemKind.TURN] == [7 * MINUTE] * 4


def test_items_are_shown_in_the_meetings_time_zone():
    start = dt.datetime(2022, 5, 17, 14, 0, tzinfo=dt.UTC).astimezone(ZoneInfo("America/Lima"))
    show = plan(start)
    assert clock(show.items[0]) == "09:00"
    assert show.items[0].starts_at.tzinfo == ZoneInfo("America/Lima")


def test_an_empty_round_still_has_its_place():
    show = plan(dt.datetime(2022, 5, 17, 10, 0, tzinfo=NEW_YORK), speakers=[], rounds=1)
    assert [item.kind for item in show.items] == [
        ItemKind.OPENING,
        ItemKind.ROUND,
        ItemKind.CLOSING,
    ]


def test_turns_of_a_speaker_gives_their_slot_in_each_round():
    show = plan(dt.datetime(2022, 5, 17, 10, 0, tzinfo=NEW_YORK))
    assert [(item.round_number, item.position, clock(item)) for item in show.turns_of("CSM")] == [
        (1, 2, "10:17"),
        (2, 2, "10:31"),
    ]


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="aware"):
        plan(dt.datetime(2022, 5, 17, 10, 0))
