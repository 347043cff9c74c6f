"""The speaking clock, the order of turns and the agenda: pure rules on timestamps, no Django.

A turn stores when it last started running and the seconds already spent;
remaining time is derived from those and the current instant, never
decremented by a loop. A session is the meeting's agenda items and their turns in
speaking order (item by item: remarks, a round's panelists, a dialogue's
interventions); every action returns a new session, or raises NotAllowed, and
allowed_actions() says beforehand which of the console's buttons would act.
The database layer (meetings/services/live_session.py) loads a session, applies one action and
writes back what changed.
"""

import datetime as dt
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

MINUTE = 60.0


class NotAllowed(Exception):
    """The action makes no sense in the present state (e.g. Pause with nothing running)."""


class TurnStatus(StrEnum):
    PENDING = "pending"  # waiting for its turn
    READY = "ready"  # the current speaker, clock not yet started
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"
    SKIPPED = "skipped"


CURRENT = (TurnStatus.READY, TurnStatus.RUNNING, TurnStatus.PAUSED)
DONE = (TurnStatus.FINISHED, TurnStatus.SKIPPED)


class Action(StrEnum):
    """The console's buttons that act on whoever has the floor (no turn or round to name)."""

    START = "start"
    PAUSE = "pause"
    RESUME = "resume"
    ADD_MINUTE = "add_minute"
    NEXT = "next"
    SKIP = "skip"
    NEXT_ITEM = "next_item"


class ItemKind(StrEnum):
    """What an agenda item is: who speaks in it, and when it is over."""

    REMARKS = "remarks"  # named speakers who are not panelists (the Chair, an official)
    ROUND = "round"  # a question round: the panel in order
    DIALOGUE = "dialogue"  # delegations ask for the floor; the chair gives it
    OTHER = "other"  # planned time without speakers (a break, a video)


# Items over when their last speaker is: the others end only when the chair moves on.
PLANNED_SPEAKERS = (ItemKind.REMARKS, ItemKind.ROUND)


@dataclass(frozen=True)
class Item:
    """An agenda item as the rules see it: its place, its kind, and whether the chair closed
    it (Next item)."""

    number: int  # its place in the agenda: items are taken in this order
    kind: ItemKind = ItemKind.ROUND
    closed: bool = False
    planned: float = 0.0  # seconds set aside: a dialogue's, a break's (forecast_end)


class SessionState(StrEnum):
    IDLE = "idle"  # no current speaker (before the first, between speakers or items)
    READY = "ready"
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"  # every item is over: its turns finished or skipped, or closed


@dataclass(frozen=True)
class Turn:
    id: Hashable  # unique in the session (the database layer names each kind of turn)
    item: int  # the number of its agenda item
    position: int
    allotted: float  # seconds: the item's speaking time plus added minutes
    added: float = 0.0  # of which the chair added (Add minute)
    status: TurnStatus = TurnStatus.PENDING
    spent_before: float = 0.0  # seconds spent in earlier running periods
    running_since: dt.datetime | None = None
    started_at: dt.datetime | None = None  # first start
    ended_at: dt.datetime | None = None
    point_of_order: bool = False  # waiting, it goes ahead of every other speaker of its item

    def spent(self, now: dt.datetime) -> float:
        if self.running_since is None:
            return self.spent_before
        return self.spent_before + max((now - self.running_since).total_seconds(), 0.0)

    def remaining(self, now: dt.datetime) -> float:
        """Seconds left; negative in overtime."""
        return self.allotted - self.spent(now)

    def stopped(self, now: dt.datetime, status: TurnStatus) -> "Turn":
        """The clock stopped, its running period added to the time spent."""
        return replace(self, status=status, spent_before=self.spent(now), running_since=None)


@dataclass(frozen=True)
class Session:
    turns: tuple[Turn, ...]  # in speaking order: item by item, position by position
    # The agenda; none given: every item that has turns, taken as a question round.
    items: tuple[Item, ...] = ()

    @classmethod
    def of(cls, turns: Sequence[Turn], items: Sequence[Item] = ()) -> "Session":
        return cls(
            tuple(sorted(turns, key=lambda turn: (turn.item, turn.position))),
            tuple(sorted(items, key=lambda item: item.number)),
        )

    # What is going on -----------------------------------------------------------------------

    @property
    def current(self) -> Turn | None:
        return next((turn for turn in self.turns if turn.status in CURRENT), None)

    @property
    def state(self) -> SessionState:
        current = self.current
        if current is not None:
            return SessionState(current.status.value)
        if self.agenda() and all(map(self.item_is_over, self.agenda())):
            return SessionState.FINISHED
        return SessionState.IDLE

    def agenda(self) -> tuple[Item, ...]:
        if self.items:
            return self.items
        return tuple(Item(number) for number in sorted({turn.item for turn in self.turns}))

    def item(self, number: int) -> Item:
        for item in self.agenda():
            if item.number == number:
                return item
        raise NotAllowed(f"No agenda item {number} in this meeting.")

    def turns_of(self, number: int) -> list[Turn]:
        return [turn for turn in self.turns if turn.item == number]

    def item_is_over(self, item: Item) -> bool:
        """Closed by the chair; or, for remarks and rounds, every turn given or skipped. A
        dialogue or a break is over only when the chair moves on."""
        if item.closed:
            return True
        if item.kind not in PLANNED_SPEAKERS:
            return False
        return all(turn.status in DONE for turn in self.turns_of(item.number))

    @property
    def current_item(self) -> Item | None:
        """The item under way: the current speaker's; with nobody current, the first item not
        over (None at the end)."""
        current = self.current
        if current is not None:
            return self.item(current.item)
        return next((item for item in self.agenda() if not self.item_is_over(item)), None)

    def turn(self, turn_id: Hashable) -> Turn:
        for turn in self.turns:
            if turn.id == turn_id:
                return turn
        raise NotAllowed(f"No turn {turn_id} in this meeting.")

    def waiting_in(self, number: int) -> list[Turn]:
        """The turns still to be given in an item, in the order they are given: points of order
        first, then by position."""
        waiting = [turn for turn in self.turns_of(number) if turn.status == TurnStatus.PENDING]
        return sorted(waiting, key=lambda turn: not turn.point_of_order)

    def made_current_by_next(self) -> Turn | None:
        """Whom Next speaker makes current: a point of order waiting in the current item; else
        the next pending turn of the item (in a dialogue: the first request waiting; elsewhere
        the next after the current speaker's position). None when the item ends with the
        current speaker. With nobody current, the first waiting turn of the current item."""
        current = self.current
        if current is None:
            return self.first_pending_turn()
        waiting = self.waiting_in(current.item)
        if waiting and waiting[0].point_of_order:
            return waiting[0]
        if self.item(current.item).kind != ItemKind.DIALOGUE:
            waiting = [turn for turn in waiting if turn.position > current.position]
        return waiting[0] if waiting else None

    def shown_as_next_speaker(self) -> Turn | None:
        """Who speaks after the current speaker (what the screens call the next speaker): whom
        Next speaker makes current; after the last turn of an item, the turn that Start then
        begins in the item that follows."""
        following = self.made_current_by_next()
        current = self.current
        if following is not None or current is None:
            return following
        return self.with_turn(replace(current, status=TurnStatus.FINISHED)).first_pending_turn()

    def first_pending_turn(self) -> Turn | None:
        """Whom Start gives the floor with nobody current: the first waiting turn of the
        current item (a point of order first). None in a dialogue nobody has asked to speak
        in, in a break, and at the end."""
        item = self.current_item
        if item is None:
            return None
        waiting = self.waiting_in(item.number)
        return waiting[0] if waiting else None

    @property
    def between_items(self) -> int | None:
        """The number of the item that comes, when the session stands between items (an item
        reopened included): nobody has the floor, and the session has begun (a turn was
        given, or an item is over). None before the first speaker, during a turn and at the
        end."""
        if self.current is not None:
            return None
        coming = self.current_item
        if coming is None:
            return None
        if coming.kind not in PLANNED_SPEAKERS and any(
            turn.started_at for turn in self.turns_of(coming.number)
        ):
            return None  # a dialogue under way, waiting for the next request
        begun = any(turn.started_at is not None for turn in self.turns) or any(
            map(self.item_is_over, self.agenda())
        )
        return coming.number if begun else None

    # What the console's buttons may do ------------------------------------------------------

    def acted_on(self, action: Action) -> Turn | Item:
        """The turn a button acts on in this state (Next item: the item it closes); NotAllowed
        when it can do nothing now.

        The actions themselves ask it, and so does allowed_actions(): a button is offered
        exactly when its action would go through."""
        current = self.current
        if action == Action.NEXT_ITEM:
            item = self.current_item
            if item is None:
                raise NotAllowed("Every item is over.")
            return item
        if current is None and action in (Action.START, Action.NEXT):
            # with nobody current: the first waiting turn of the current item
            following = self.first_pending_turn()
            if following is None:
                raise NotAllowed("Nobody is waiting for the floor.")
            return following
        if current is None and action in (Action.ADD_MINUTE, Action.SKIP):
            raise NotAllowed("Nobody has the floor.")
        if action == Action.START and current.status != TurnStatus.READY:
            raise NotAllowed("The clock is already started.")
        if action == Action.PAUSE and (current is None or current.status != TurnStatus.RUNNING):
            raise NotAllowed("Nothing is running.")
        if action == Action.RESUME and (current is None or current.status != TurnStatus.PAUSED):
            raise NotAllowed("Nothing is paused.")
        return current

    def allowed_actions(self) -> frozenset[Action]:
        """The buttons that can act now (each changes the session when pressed)."""
        allowed = set()
        for action in Action:
            try:
                self.acted_on(action)
            except NotAllowed:
                continue
            allowed.add(action)
        return frozenset(allowed)

    # Actions ----------------------------------------------------------------------------------

    def with_turn(self, changed: Turn) -> "Session":
        return Session(
            tuple(changed if turn.id == changed.id else turn for turn in self.turns), self.items
        )

    def with_item(self, changed: Item) -> "Session":
        items = tuple(changed if item.number == changed.number else item for item in self.agenda())
        return Session(self.turns, items)

    def start(self, now: dt.datetime) -> "Session":
        """Start the current speaker's clock; with nothing current, the first waiting turn of
        the current item."""
        current = self.acted_on(Action.START)
        return self.with_turn(
            replace(
                current,
                status=TurnStatus.RUNNING,
                running_since=now,
                started_at=current.started_at or now,
                ended_at=None,  # a turn given the floor back speaks again
            )
        )

    def pause(self, now: dt.datetime) -> "Session":
        current = self.acted_on(Action.PAUSE)
        return self.with_turn(current.stopped(now, TurnStatus.PAUSED))

    def resume(self, now: dt.datetime) -> "Session":
        current = self.acted_on(Action.RESUME)
        return self.with_turn(replace(current, status=TurnStatus.RUNNING, running_since=now))

    def add_minute(self) -> "Session":
        """One more minute for the current speaker; it belongs to this turn only."""
        current = self.acted_on(Action.ADD_MINUTE)
        return self.with_turn(
            replace(current, allotted=current.allotted + MINUTE, added=current.added + MINUTE)
        )

    def next_speaker(self, now: dt.datetime) -> "Session":
        """Finish the current turn and make the next one of its item current (not running).
        After the last turn of an item, nobody is current until Start."""
        if self.current is None:
            following = self.acted_on(Action.NEXT)
            return self.with_turn(replace(following, status=TurnStatus.READY))
        current = self.acted_on(Action.NEXT)
        following = self.made_current_by_next()
        session = self.with_turn(self.closed(current, now, TurnStatus.FINISHED))
        if following is not None:
            session = session.with_turn(replace(following, status=TurnStatus.READY))
        return session

    def skip(self, now: dt.datetime, turn_id: Hashable | None = None) -> "Session":
        """Skip the current speaker (the next becomes current) or a pending turn."""
        current = self.current
        if turn_id is None or (current is not None and current.id == turn_id):
            current = self.acted_on(Action.SKIP)
            following = self.made_current_by_next()
            status = TurnStatus.FINISHED if current.started_at else TurnStatus.SKIPPED
            session = self.with_turn(self.closed(current, now, status))
            if following is not None:
                session = session.with_turn(replace(following, status=TurnStatus.READY))
            return session
        turn = self.turn(turn_id)
        if turn.status != TurnStatus.PENDING:
            raise NotAllowed("Only a speaker still waiting can be skipped.")
        return self.with_turn(replace(turn, status=TurnStatus.SKIPPED))

    def give_floor(self, now: dt.datetime, turn_id: Hashable) -> "Session":
        """Make any other turn current (jump to a speaker). A current turn that had started
        is finished; one that had not goes back to waiting. A finished turn comes back with
        the time it has spent (Next pressed too early, a speaker with one more point), and
        Start counts on from there; until Start, it keeps the end it had. Its item, closed
        or not, is the one under way while it has the floor."""
        turn = self.turn(turn_id)
        if turn.status in CURRENT:
            return self
        session = self
        current = self.current
        if current is not None:
            if current.started_at:
                session = session.with_turn(self.closed(current, now, TurnStatus.FINISHED))
            else:
                session = session.with_turn(replace(current, status=TurnStatus.PENDING))
        return session.with_turn(replace(turn, status=TurnStatus.READY))

    def finish_item(self, now: dt.datetime, number: int) -> "Session":
        """End an item's turns now: the current turn finishes, the waiting ones are skipped."""
        session = self
        for turn in self.turns_of(number):
            if turn.status in CURRENT:
                status = TurnStatus.FINISHED if turn.started_at else TurnStatus.SKIPPED
                session = session.with_turn(self.closed(turn, now, status))
            elif turn.status == TurnStatus.PENDING:
                session = session.with_turn(replace(turn, status=TurnStatus.SKIPPED))
        return session

    def next_item(self, now: dt.datetime) -> "Session":
        """Close the item under way (its current turn finished, the speakers still waiting
        skipped): the next item not over becomes the one under way, nobody current until
        Start."""
        item = self.acted_on(Action.NEXT_ITEM)
        return self.finish_item(now, item.number).with_item(replace(item, closed=True))

    def reopen_item(self, number: int) -> "Session":
        """Take back a closed item: it is under way again once the items before it are over
        (a dialogue whose list of speakers was closed too early)."""
        item = self.item(number)
        if not item.closed:
            raise NotAllowed("This item is not closed.")
        return self.with_item(replace(item, closed=False))

    def skipped_in(self, number: int) -> list[Turn]:
        return [turn for turn in self.turns_of(number) if turn.status == TurnStatus.SKIPPED]

    def reopen_skipped(self, number: int) -> "Session":
        """Give the skipped speakers of an item their turn back (a finished speaker is given
        the floor back one by one, with give_floor); a closed item is taken back with them."""
        skipped = self.skipped_in(number)
        if not skipped:
            raise NotAllowed("Nobody was skipped in this item.")
        session = self
        for turn in skipped:
            session = session.with_turn(replace(turn, status=TurnStatus.PENDING))
        item = self.item(number)
        if item.closed:
            session = session.with_item(replace(item, closed=False))
        return session

    @staticmethod
    def closed(turn: Turn, now: dt.datetime, status: TurnStatus) -> Turn:
        stopped = turn.stopped(now, status)
        # A turn given the floor back and closed again before its clock restarted keeps the
        # end it had: the speaker did not speak again.
        ended = turn.ended_at or (now if turn.started_at else None)
        return replace(stopped, ended_at=ended)


def pace(session: Session) -> float | None:
    """The average overrun of the turns given so far, in seconds (negative: speakers keep
    under their time): time spent minus the planned time (the item's speaking time,
    without added minutes), over every finished turn that was started. None before any."""
    given = [
        turn.spent_before - (turn.allotted - turn.added)
        for turn in session.turns
        if turn.status == TurnStatus.FINISHED and turn.started_at is not None
    ]
    return sum(given) / len(given) if given else None


def expected_length(turn: Turn, overrun: float) -> float:
    """How long a turn is forecast to last: its planned time plus the overrun so far; at least
    the minutes the chair added to it (granted, so likely used), never less than nothing."""
    planned = turn.allotted - turn.added
    forecast = planned + overrun
    if turn.added:
        forecast = max(forecast, turn.allotted)
    return max(forecast, 0.0)


def forecast_end(
    session: Session, now: dt.datetime, *, changeover: float, closing: float
) -> dt.datetime:
    """When the meeting ends at the pace so far: now, plus what every item not over still
    takes (item_forecast), plus the closing."""
    overrun = pace(session) or 0.0
    current = session.current
    seconds = closing
    for item in session.agenda():
        under_way = current is not None and current.item == item.number
        if under_way or not session.item_is_over(item):
            seconds += item_forecast(session, item, now, overrun=overrun, changeover=changeover)
    return now + dt.timedelta(seconds=seconds)


def item_forecast(
    session: Session, item: Item, now: dt.datetime, *, overrun: float, changeover: float
) -> float:
    """The seconds an item not over is forecast to take from now.

    Its speakers still to come (the current one and those waiting) are each forecast to use
    their planned time adjusted by the average overrun of the turns given so far (pace(); none
    given yet: exactly their time), see expected_length(); the current speaker never less
    than the time they have already spent. A changeover comes between two of them.

    A dialogue or an item without speakers (a break) takes its planned time, less the time its
    speakers have used so far, and at least what its speakers still to come take (the current
    intervention, the requests waiting). Its planned time counts whole until it is over: a
    break is not timed, so the forecast counts it as still ahead until the chair moves on."""
    current = session.current
    seconds = 0.0
    left = 0
    if current is not None and current.item == item.number:
        seconds += max(expected_length(current, overrun) - current.spent(now), 0.0)
        left += 1
    waiting = session.waiting_in(item.number)
    seconds += sum(expected_length(turn, overrun) for turn in waiting)
    left += len(waiting)
    seconds += changeover * max(left - 1, 0)
    if item.kind in PLANNED_SPEAKERS:
        return seconds
    used = sum(turn.spent(now) for turn in session.turns_of(item.number))
    return max(item.planned - used, seconds)
