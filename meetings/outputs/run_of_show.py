"""The run of show of a stored meeting (the arithmetic is in meetings/domain/run_of_show.py)."""

import datetime as dt

from django.db.models import Prefetch

from meetings.domain import clock
from meetings.domain.run_of_show import ItemPlan, RoundPlan, RunOfShow, plan_run_of_show
from meetings.models import (
    AgendaItem,
    Intervention,
    ItemKind,
    Meeting,
    Panelist,
    PanelistStatus,
    Round,
    Turn,
)


def rounds_with_order(meeting: Meeting) -> list[Round]:
    """The rounds with their turns in the live order (without who declined) and their
    panelists, in three queries whatever the panel's size."""
    turns = Turn.objects.in_live_order().select_related("panelist__mechanism")
    return list(meeting.rounds.prefetch_related(Prefetch("turns", queryset=turns)))


def agenda_items(meeting: Meeting) -> list[AgendaItem]:
    """The agenda in order, each remarks item with its named speakers (`speakers`; a point of
    order raised during the meeting is no part of the plan): one query, two with remarks."""
    items = list(meeting.agenda.select_related("round"))
    remarks = {item.pk: item for item in items if item.kind == ItemKind.REMARKS}
    for item in items:
        item.speakers = []
    if remarks:
        speakers = Intervention.objects.filter(
            item__in=list(remarks), delegation__isnull=True, point_of_order=False
        ).order_by("position")
        for speaker in speakers:
            speaker.item = remarks[speaker.item_id]  # speaker_label reads no more
            remarks[speaker.item_id].speakers.append(speaker)
    return items


def round_plan(round_: Round, item: AgendaItem | None = None) -> RoundPlan[Panelist]:
    return RoundPlan(
        number=round_.number,
        speaking_time=dt.timedelta(seconds=round_.speaking_seconds),
        speakers=[
            turn.panelist
            for turn in round_.turns.all()
            if turn.panelist.status != PanelistStatus.DECLINED  # rounds given by a caller
        ],
        item=item,
    )


def item_plan(meeting: Meeting, item: AgendaItem) -> ItemPlan:
    return ItemPlan(
        kind=clock.ItemKind(item.kind),
        item=item,
        speakers=planned_speakers(item),
        # AgendaItem.speaker_seconds without reading the meeting again
        speaking_time=dt.timedelta(seconds=item.speaking_seconds or meeting.speaking_seconds),
        planned=dt.timedelta(minutes=item.planned_minutes),
    )


def planned_speakers(item: AgendaItem) -> list[Intervention]:
    """A remarks item's named speakers (as agenda_items gives them, or read now)."""
    if item.kind != ItemKind.REMARKS:
        return []
    if hasattr(item, "speakers"):
        return item.speakers
    return list(
        item.interventions.filter(delegation__isnull=True, point_of_order=False).order_by(
            "position"
        )
    )


def run_of_show(
    meeting: Meeting,
    rounds: list[Round] | None = None,
    agenda: list[AgendaItem] | None = None,
) -> RunOfShow[Panelist | Intervention]:
    """The opening, every agenda item in order (each round's turns, without the panelists who
    declined; the remarks' speakers), the closing. A round without an agenda item (none is
    saved without one) comes after the agenda."""
    rounds = rounds if rounds is not None else rounds_with_order(meeting)
    agenda = agenda if agenda is not None else agenda_items(meeting)
    by_pk = {round_.pk: round_ for round_ in rounds}
    plans = []
    for item in agenda:
        if item.kind == ItemKind.ROUND:
            round_ = by_pk.pop(item.round_id, None)
            if round_ is not None:
                plans.append(round_plan(round_, item))
        else:
            plans.append(item_plan(meeting, item))
    plans += [round_plan(round_) for round_ in by_pk.values()]
    return plan_run_of_show(
        starts_at=meeting.starts_at,
        scheduled_end=meeting.ends_at,
        opening=dt.timedelta(minutes=meeting.opening_minutes),
        closing=dt.timedelta(minutes=meeting.closing_minutes),
        changeover=dt.timedelta(seconds=meeting.changeover_seconds),
        agenda=plans,
    )
