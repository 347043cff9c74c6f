import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meetings.domain.clock import ItemKind as AgendaKind
from meetings.domain.run_of_show import (
    ItemKind,
    ItemPlan,
    RoundPlan,
    elapsed,
    plan_run_of_show,
)

NEW_YORK = ZoneInfo("America/New_York")
MINUTE = dt.timedelta(minutes=1)


def plan(starts_at, *, end=None, speakers=("RCM", "CSM"), rounds=2, changeover=0):
    return plan_run_of_show(
        starts_at=starts_at,
        scheduled_end=end or starts_at + 180 * MINUTE,
        opening=10 * MINUTE,
        closing=10 * MINUTE,
        changeover=changeover * dt.timedelta(seconds=1),
        agenda=[RoundPlan(n, 7 * MINUTE, list(speakers)) for n in range(1, rounds + 1)],
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


def whole_agenda(starts_at, *, opening=0, closing=0, changeover=30, dialogue=30):
    """The seeded meeting's agenda: opening remarks, two rounds of seven, the dialogue, the
    closing remarks."""
    panel = ["RCM", "CSM", "MIRPS", "Quito", "R4V", "GCM", "GCR"]
    return plan_run_of_show(
        starts_at=starts_at,
        scheduled_end=starts_at + 180 * MINUTE,
        opening=opening * MINUTE,
        closing=closing * MINUTE,
        changeover=changeover * dt.timedelta(seconds=1),
        agenda=[
            ItemPlan(AgendaKind.REMARKS, "opening", ["Chair"], 5 * MINUTE),
            RoundPlan(1, 7 * MINUTE, panel, item="round 1"),
            RoundPlan(2, 7 * MINUTE, panel, item="round 2"),
            ItemPlan(AgendaKind.DIALOGUE, "dialogue", [], 3 * MINUTE, dialogue * MINUTE),
            ItemPlan(AgendaKind.REMARKS, "closing", ["Chair"], 5 * MINUTE),
        ],
    )


def test_the_whole_agenda_is_planned_item_by_item_in_order():
    show = whole_agenda(dt.datetime(2022, 5, 17, 10, 0, tzinfo=NEW_YORK))
    assert [(item.kind, item.item, clock(item), item.duration) for item in show.agenda] == [
        (ItemKind.ITEM, "opening", "10:00", 5 * MINUTE),
        # seven speakers of seven minutes, six changeovers of thirty seconds
        (ItemKind.ROUND, "round 1", "10:05", 52 * MINUTE),
        (ItemKind.ROUND, "round 2", "10:57", 52 * MINUTE),
        (ItemKind.ITEM, "dialogue", "11:49", 30 * MINUTE),
        (ItemKind.ITEM, "closing", "12:19", 5 * MINUTE),
    ]
    assert show.planned_end == dt.datetime(2022, 5, 17, 12, 24, tzinfo=NEW_YORK)
    assert show.fits


def test_remarks_list_their_speakers_and_take_their_speaking_time_each():
    start = dt.datetime(2022, 5, 17, 10, 0, tzinfo=NEW_YORK)
    show = plan_run_of_show(
        starts_at=start,
        scheduled_end=start + 60 * MINUTE,
        opening=0 * MINUTE,
        closing=0 * MINUTE,
        changeover=dt.timedelta(seconds=30),
        agenda=[ItemPlan(AgendaKind.REMARKS, "welcome", ["Chair", "Secretary"], 4 * MINUTE)],
    )
    assert [
        (item.kind, item.speaker, item.position, item.starts_at.strftime("%H:%M:%S"))
        for item in show.items
    ] == [
        (ItemKind.ITEM, None, None, "10:00:00"),
        (ItemKind.SPEAKER, "Chair", 1, "10:00:00"),
        (ItemKind.SPEAKER, "Secretary", 2, "10:04:30"),
    ]
    assert show.items[0].duration == dt.timedelta(minutes=8, seconds=30)
    assert show.items[0].speaking_time == 4 * MINUTE
    assert show.turns_of("Chair") == []  # a panelist's slot counts rounds only


def test_a_dialogue_and_a_break_take_their_planned_minutes():
    start = dt.datetime(2022, 5, 17, 10, 0, tzinfo=NEW_YORK)
    show = plan_run_of_show(
        starts_at=start,
        scheduled_end=start + 60 * MINUTE,
        opening=0 * MINUTE,
        closing=0 * MINUTE,
        changeover=dt.timedelta(seconds=30),
        agenda=[
            ItemPlan(AgendaKind.OTHER, "break", planned=15 * MINUTE),
            ItemPlan(AgendaKind.DIALOGUE, "dialogue", [], 3 * MINUTE, 20 * MINUTE),
        ],
    )
    assert [(item.item, clock(item), item.duration) for item in show.items] == [
        ("break", "10:00", 15 * MINUTE),
        ("dialogue", "10:15", 20 * MINUTE),
    ]
    assert show.items[0].speaking_time is None
    assert show.items[1].speaking_time == 3 * MINUTE  # per intervention, shown beside it


def test_opening_and_closing_minutes_come_before_the_first_item_and_after_the_last():
    show = whole_agenda(dt.datetime(2022, 5, 17, 10, 0, tzinfo=NEW_YORK), opening=10, closing=10)
    assert (show.items[0].kind, clock(show.items[0])) == (ItemKind.OPENING, "10:00")
    assert (show.agenda[0].item, clock(show.agenda[0])) == ("opening", "10:10")
    assert (show.items[-1].kind, clock(show.items[-1])) == (ItemKind.CLOSING, "12:34")
    assert show.planned_end == dt.datetime(2022, 5, 17, 12, 44, tzinfo=NEW_YORK)


def test_without_opening_or_closing_minutes_the_agenda_starts_and_ends_the_meeting():
    show = whole_agenda(dt.datetime(2022, 5, 17, 10, 0, tzinfo=NEW_YORK))
    assert ItemKind.OPENING not in [item.kind for item in show.items]
    assert ItemKind.CLOSING not in [item.kind for item in show.items]


def test_a_panelists_slot_counts_the_items_before_the_rounds():
    show = whole_agenda(dt.datetime(2022, 5, 17, 10, 0, tzinfo=NEW_YORK))
    assert [(item.round_number, clock(item)) for item in show.turns_of("CSM")] == [
        (1, "10:12"),  # after the 5 minutes of opening remarks and the RCM's 7:30
        (2, "11:04"),
    ]


def test_an_empty_agenda_ends_when_it_starts():
    start = dt.datetime(2022, 5, 17, 10, 0, tzinfo=NEW_YORK)
    show = plan_run_of_show(
        starts_at=start,
        scheduled_end=start + MINUTE,
        opening=0 * MINUTE,
        closing=0 * MINUTE,
        changeover=0 * MINUTE,
        agenda=[],
    )
    assert show.items == []
    assert show.planned_end == start


PLANS = st.one_of(
    st.builds(
        RoundPlan,
        number=st.integers(1, 9),
        speaking_time=st.integers(60, 900).map(lambda s: dt.timedelta(seconds=s)),
        speakers=st.lists(st.sampled_from("ABCDEFG"), max_size=7),
    ),
    st.builds(
        ItemPlan,
        kind=st.sampled_from([AgendaKind.REMARKS, AgendaKind.DIALOGUE, AgendaKind.OTHER]),
        speakers=st.lists(st.sampled_from(["Chair", "Secretary"]), max_size=3),
        speaking_time=st.integers(60, 900).map(lambda s: dt.timedelta(seconds=s)),
        planned=st.integers(0, 120).map(lambda m: m * MINUTE),
    ),
)


def expected_length(plan, changeover) -> dt.timedelta:
    if isinstance(plan, RoundPlan) or plan.kind == AgendaKind.REMARKS:
        count = len(plan.speakers)
        return count * plan.speaking_time + max(count - 1, 0) * changeover
    return plan.planned


@given(
    agenda=st.lists(PLANS, max_size=8),
    opening=st.integers(0, 30),
    closing=st.integers(0, 30),
    changeover=st.integers(0, 120),
)
@settings(max_examples=200, deadline=None)
def test_every_item_follows_the_one_before_and_takes_its_planned_length(
    agenda, opening, closing, changeover
):
    start = dt.datetime(2022, 3, 13, 0, 30, tzinfo=NEW_YORK)  # across the change to summer time
    change = changeover * dt.timedelta(seconds=1)
    show = plan_run_of_show(
        starts_at=start,
        scheduled_end=start + 180 * MINUTE,
        opening=opening * MINUTE,
        closing=closing * MINUTE,
        changeover=change,
        agenda=agenda,
    )
    lines = show.agenda
    assert len(lines) == len(agenda)
    first = start + opening * MINUTE
    for line, plan in zip(lines, agenda, strict=True):
        assert elapsed(first, line.starts_at) == dt.timedelta(0)  # no gap between items
        assert line.duration == expected_length(plan, change)
        first = line.ends_at
    total = sum((expected_length(plan, change) for plan in agenda), dt.timedelta(0))
    assert elapsed(start, show.planned_end) == (opening + closing) * MINUTE + total
