"""The run of show: opening, every turn of every round, closing, with clock times.

Pure arithmetic. Times are added in UTC and shown in the meeting's time zone,
so a meeting that spans a change to or from daylight saving time stays right.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


def elapsed(start: dt.datetime, end: dt.datetime) -> dt.timedelta:
    """Real time between two instants. (Python subtracts wall clocks when both share a zone.)"""
    return end.astimezone(dt.UTC) - start.astimezone(dt.UTC)


class ItemKind(StrEnum):
    OPENING = "opening"
    ROUND = "round"
    TURN = "turn"
    CLOSING = "closing"


@dataclass(frozen=True)
class RoundPlan[S]:
    number: int
    speaking_time: dt.timedelta
    speakers: Sequence[S]


@dataclass(frozen=True)
class RunOfShowItem[S]:
    kind: ItemKind
    starts_at: dt.datetime
    ends_at: dt.datetime
    round_number: int | None = None
    speaker: S | None = None
    position: int | None = None  # the speaker's place in the round, from 1

    @property
    def duration(self) -> dt.timedelta:
        return elapsed(self.starts_at, self.ends_at)


@dataclass(frozen=True)
class RunOfShow[S]:
    items: list[RunOfShowItem[S]]
    scheduled_end: dt.datetime

    @property
    def planned_end(self) -> dt.datetime:
        return self.items[-1].ends_at

    @property
    def overrun(self) -> dt.timedelta:
        """How far the plan runs past the scheduled end (zero when it fits)."""
        return max(elapsed(self.scheduled_end, self.planned_end), dt.timedelta(0))

    @property
    def fits(self) -> bool:
        return self.overrun == dt.timedelta(0)

    def turns_of(self, speaker: S) -> list[RunOfShowItem[S]]:
        return [
            item for item in self.items if item.kind == ItemKind.TURN and item.speaker == speaker
        ]


def plan_run_of_show[S](
    *,
    starts_at: dt.datetime,
    scheduled_end: dt.datetime,
    opening: dt.timedelta,
    closing: dt.timedelta,
    changeover: dt.timedelta,
    rounds: Sequence[RoundPlan[S]],
) -> RunOfShow[S]:
    if starts_at.tzinfo is None or scheduled_end.tzinfo is None:
        raise ValueError("The run of show needs aware datetimes.")
    zone = starts_at.tzinfo
    clock = starts_at.astimezone(dt.UTC)
    items: list[RunOfShowItem[S]] = []

    def add(kind: ItemKind, duration: dt.timedelta, **fields) -> None:
        nonlocal clock
        end = clock + duration
        items.append(RunOfShowItem(kind, clock.astimezone(zone), end.astimezone(zone), **fields))
        clock = end

    add(ItemKind.OPENING, opening)
    for round_plan in rounds:
        round_start = len(items)
        for position, speaker in enumerate(round_plan.speakers, start=1):
            if position > 1:
                clock += changeover
            add(
                ItemKind.TURN,
                round_plan.speaking_time,
                round_number=round_plan.number,
                speaker=speaker,
                position=position,
            )
        round_end = items[-1].ends_at if len(items) > round_start else clock.astimezone(zone)
        round_begin = items[round_start].starts_at if len(items) > round_start else round_end
        items.insert(
            round_start,
            RunOfShowItem(ItemKind.ROUND, round_begin, round_end, round_number=round_plan.number),
        )
    add(ItemKind.CLOSING, closing)
    return RunOfShow(items=items, scheduled_end=scheduled_end.astimezone(zone))
