"""The live state every screen shows (live.json, the displays, the speaker views, the console):
computed once per change of the meeting from its turns and the speaking clock, the passing of
time left to the moment each screen asks (Snapshot.as_of)."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from meetings.domain import clock
from meetings.models import AgendaItem, Attendance, Intervention, ItemKind, Meeting, Turn
from meetings.services.live_session import meeting_session


@dataclass(frozen=True)
class Snapshot:
    """The live state without the passing of time: what a screen needs, computed once per
    change of the meeting, and the current turn's clock to derive the remaining time at the
    moment of each answer."""

    fields: dict
    clock: clock.Turn | None
    allotted: float

    @property
    def version(self) -> int:
        return self.fields["version"]

    def as_of(self, now: dt.datetime) -> dict:
        remaining = self.clock.remaining(now) if self.clock else self.allotted
        return {
            **self.fields,
            "server_time": now.astimezone(dt.UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "remaining_seconds": round(remaining, 1),
        }


def live_snapshot(meeting: Meeting, read: tuple | None = None) -> Snapshot:
    """The live state of live.json (its keys in README, "Live feed"), texts in the active
    language, time aside. `read`: the meeting's session as meeting_session read it, when the
    caller has it already (it is the same in every language)."""
    turns, agenda, session = read or meeting_session(meeting)
    by_id = {turn.clock_id: turn for turn in turns}
    current, following = session.current, session.shown_as_next_speaker()
    state = session.state
    concluded = meeting.is_concluded
    if concluded:  # the end, whatever the turns say (set by hand), with no message left
        current, following, state = None, None, clock.SessionState.FINISHED
    shown = current or following  # between items: the turn that Start begins
    # The agenda in order: an item's number on the screens is its place in it.
    places = {item.position: place for place, item in enumerate(agenda, start=1)}
    items = {item.position: item for item in agenda}
    finished = state == clock.SessionState.FINISHED
    under_way = None if finished or session.current_item is None else session.current_item
    item = items[under_way.number] if under_way is not None else None
    coming = items.get(session.between_items) if not finished else None
    # A round under way, or the one that comes: its question (a point of order in it too).
    round_ = item.round if item is not None and item.round_id else None
    requests = waiting_requests(session, by_id, under_way)
    allotted = shown.allotted if shown else speaking_time_of(item)
    fields = {
        "meeting": meeting.slug,
        "version": meeting.live_version,
        "state": state.value,
        "round": {
            "number": round_.number,
            "question": round_.question,
            "speaking_seconds": round_.speaking_seconds,
        }
        if round_
        else None,
        "speaker": speaker_of(by_id[current.id]) if current else None,
        "allotted_seconds": round(allotted),
        "next_speaker": speaker_of(by_id[following.id]) if following else None,
        # The agenda item under way (between items: the one that comes), and the requests for
        # the floor waiting in it, in the order the floor is given (points of order first).
        "item": item_of(item, places) if item is not None else None,
        "queue": len(requests),
        "queue_order": [request.delegation.code for request in requests],
        # Beyond the keys every screen reads: what the displays also show.
        "warning_seconds": meeting.warning_seconds,
        # The message in the language asked for (a quick one translated, a typed one as
        # typed), and the quick message's key (QuickMessage) for screens that say it their own
        # way.
        "message": None if concluded else meeting.message_text or None,
        "message_key": None if concluded else meeting.message_key or None,
        # Between two rounds: the round that comes (its question and first speaker are
        # `round` and `next_speaker`).
        "between_rounds": {"round": coming.round.number}
        if coming is not None and coming.round_id
        else None,
        # Between two items (a break under way included: nobody speaks in it): the item that
        # comes.
        "between_items": {"item": places[coming.position], "title": str(coming.heading)}
        if coming is not None
        else None,
        # A dialogue's list of speakers: whether the floor pages may still ask for the floor.
        "list_of_speakers_open": item.accepts_requests
        if item is not None and item.kind == ItemKind.DIALOGUE
        else None,
    }
    return Snapshot(fields, current, allotted)


def item_of(item: AgendaItem, places: dict[int, int]) -> dict:
    return {"number": places[item.position], "kind": item.kind, "title": str(item.heading)}


def waiting_requests(
    session: clock.Session, by_id: dict, under_way: clock.Item | None
) -> list[Intervention]:
    """The delegations' requests waiting in the item under way, in the order the floor is given
    (clock.Session.waiting_in: points of order first)."""
    if under_way is None:
        return []
    waiting = (by_id[turn.id] for turn in session.waiting_in(under_way.number))
    return [turn for turn in waiting if isinstance(turn, Intervention) and turn.delegation_id]


def live_state(meeting: Meeting, *, now: dt.datetime | None = None) -> dict:
    """The live state as live.json gives it, texts in the active language."""
    return live_snapshot(meeting).as_of(now or timezone.now())


def speaking_time_of(item: AgendaItem | None) -> float:
    """What the clock shows with nobody on the floor or waiting: the time each speaker of the
    item under way is given (a dialogue before its first request: 3:00, not 0:00); nothing
    for a break or at the end."""
    if item is None or item.kind == ItemKind.OTHER:
        return 0.0
    return float(item.speaker_seconds)


def speaker_of(turn: Turn | Intervention) -> dict:
    """A speaker as every screen shows them, whatever their kind: a panelist (`id`, their
    mechanism), a delegation (`delegation`, its code) or a named speaker of remarks; `turn`
    names their time on the floor (a new one: a new speaker)."""
    if isinstance(turn, Intervention):
        delegation = turn.delegation
        return {
            "name": str(turn.speaker_label),
            "mechanism": None,
            "acronym": None,
            "id": None,
            "delegation": delegation.code if delegation else None,
            "point_of_order": turn.point_of_order,
            "online": turn.is_online,
            "turn": str(turn.clock_id),
        }
    panelist = turn.panelist
    return {
        "name": panelist.display_name,
        "mechanism": panelist.mechanism.name,
        "acronym": panelist.mechanism.acronym,
        "id": panelist.pk,
        "delegation": None,
        "point_of_order": False,
        "online": panelist.attendance == Attendance.ONLINE,
        "turn": str(turn.clock_id),
    }
