"""The run of show: the clock times of every part of the meeting, in the agenda's order.

Pure arithmetic. Times are added in UTC and shown in the meeting's time zone,
so a meeting that spans a change to or from daylight saving time stays right.

What each part takes:
- the opening: the meeting's opening minutes, the time before the first agenda item (the
  chair's opening remarks, when the agenda has them, are an item of their own and are not
  counted twice);
- a question round: each panelist's speaking time, with a changeover between speakers;
- remarks: each named speaker's speaking time, with a changeover between speakers;
- a dialogue: its planned minutes (the interventions are not known beforehand);
- another item (a break, a video): its planned minutes;
- the closing: the meeting's closing minutes, the time after the last item.
A changeover comes between two speakers of the same item, never between items: the chair
moves from one item to the next while introducing it.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from meetings.domain.clock import ItemKind as AgendaKind

ZERO = dt.timedelta(0)


def elapsed(start: dt.datetime, end: dt.datetime) -> dt.timedelta:
    """Real time between two instants. (Python subtracts wall clocks when both share a zone.)"""
    return end.astimezone(dt.UTC) - start.astimezone(dt.UTC)


class ItemKind(StrEnum):
    """The kinds of line of the run of show."""

    OPENING = "opening"  # before the first agenda item
    ROUND = "round"  # a question round, its turns follow
    TURN = "turn"  # a panelist's turn in a round
    ITEM = "item"  # any other agenda item (remarks, dialogue, other); remarks' speakers follow
    SPEAKER = "speaker"  # a named speaker of remarks
    CLOSING = "closing"  # after the last agenda item


@dataclass(frozen=True)
class RoundPlan[S]:
    number: int
    speaking_time: dt.timedelta
    speakers: Sequence[S]
    item: object = None  # the caller's agenda item, handed back on the round's line


@dataclass(frozen=True)
class ItemPlan[S]:
    """An agenda item that is not a question round."""

    kind: AgendaKind
    item: object = None  # the caller's agenda item, handed back on its lines
    speakers: Sequence[S] = ()  # remarks: the named speakers, in order
    speaking_time: dt.timedelta = ZERO  # each speaker's (remarks; a dialogue's per intervention)
    planned: dt.timedelta = ZERO  # a dialogue's or another item's planned time

    @property
    def has_speakers_planned(self) -> bool:
        return self.kind == AgendaKind.REMARKS


@dataclass(frozen=True)
class RunOfShowItem[S]:
    kind: ItemKind
    starts_at: dt.datetime
    ends_at: dt.datetime
    round_number: int | None = None
    speaker: S | None = None
    position: int | None = None  # the speaker's place in the round or the remarks, from 1
    item: object = None  # the caller's agenda item (rounds and items, their speakers)
    agenda_kind: AgendaKind | None = None  # the agenda item's kind
    speaking_time: dt.timedelta | None = None  # per speaker (a dialogue's: per intervention)

    @property
    def duration(self) -> dt.timedelta:
        return elapsed(self.starts_at, self.ends_at)


@dataclass(frozen=True)
class RunOfShow[S]:
    items: list[RunOfShowItem[S]]
    scheduled_end: dt.datetime
    planned_end: dt.datetime

    @property
    def overrun(self) -> dt.timedelta:
        """How far the plan runs past the scheduled end (zero when it fits)."""
        return max(elapsed(self.scheduled_end, self.planned_end), ZERO)

    @property
    def fits(self) -> bool:
        return self.overrun == ZERO

    def turns_of(self, speaker: S) -> list[RunOfShowItem[S]]:
        return [
            item for item in self.items if item.kind == ItemKind.TURN and item.speaker == speaker
        ]

    @property
    def agenda(self) -> list[RunOfShowItem[S]]:
        """One line per agenda item (a round's or another item's), in order: the programme."""
        return [item for item in self.items if item.kind in (ItemKind.ROUND, ItemKind.ITEM)]


def plan_run_of_show[S](
    *,
    starts_at: dt.datetime,
    scheduled_end: dt.datetime,
    opening: dt.timedelta,
    closing: dt.timedelta,
    changeover: dt.timedelta,
    agenda: Sequence[RoundPlan[S] | ItemPlan[S]],
) -> RunOfShow[S]:
    """The lines of the run of show: the opening and the closing when they take time, and
    every agenda item in the order given, each followed by its speakers' lines."""
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

    def add_speakers(kind: ItemKind, speakers, speaking_time, **fields) -> None:
        nonlocal clock
        for position, speaker in enumerate(speakers, start=1):
            if position > 1:
                clock += changeover
            add(kind, speaking_time, speaker=speaker, position=position, **fields)

    if opening > ZERO:
        add(ItemKind.OPENING, opening)
    for plan in agenda:
        first = len(items)
        begins = clock
        if isinstance(plan, RoundPlan):
            fields = {"item": plan.item, "agenda_kind": AgendaKind.ROUND}
            add_speakers(
                ItemKind.TURN,
                plan.speakers,
                plan.speaking_time,
                round_number=plan.number,
                **fields,
            )
            line = RunOfShowItem(
                ItemKind.ROUND,
                begins.astimezone(zone),
                clock.astimezone(zone),
                round_number=plan.number,
                speaking_time=plan.speaking_time,
                **fields,
            )
        else:
            fields = {"item": plan.item, "agenda_kind": plan.kind}
            if plan.has_speakers_planned:
                add_speakers(ItemKind.SPEAKER, plan.speakers, plan.speaking_time, **fields)
            else:
                clock += plan.planned
            line = RunOfShowItem(
                ItemKind.ITEM,
                begins.astimezone(zone),
                clock.astimezone(zone),
                speaking_time=plan.speaking_time
                if plan.kind in (AgendaKind.REMARKS, AgendaKind.DIALOGUE)
                else None,
                **fields,
            )
        items.insert(first, line)
    if closing > ZERO:
        add(ItemKind.CLOSING, closing)
    return RunOfShow(
        items=items,
        scheduled_end=scheduled_end.astimezone(zone),
        planned_end=clock.astimezone(zone),
    )
