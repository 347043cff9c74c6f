"""The speaking clock and the order of turns: pure rules on timestamps, no Django.

A turn stores when it last started running and the seconds already spent;
remaining time is derived from those and the current instant, never
decremented by a loop. A session is the meeting's turns in speaking order
(round by round); every action returns a new session, or raises NotAllowed, and
allowed_actions() says beforehand which of the console's buttons would act.
The database layer (meetings/services/live_session.py) loads a session, applies one action and
writes back what changed.
"""

import datetime as dt
from collections.abc import Sequence
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


class SessionState(StrEnum):
    IDLE = "idle"  # no current speaker (before the first, between rounds)
    READY = "ready"
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"  # every turn of every round is finished or skipped


@dataclass(frozen=True)
class Turn:
    id: int
    round_number: int
    position: int
    allotted: float  # seconds: the round's speaking time plus added minutes
    added: float = 0.0  # of which the chair added (Add minute)
    status: TurnStatus = TurnStatus.PENDING
    spent_before: float = 0.0  # seconds spent in earlier running periods
    running_since: dt.datetime | None = None
    started_at: dt.datetime | None = None  # first start
    ended_at: dt.datetime | None = None

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
    turns: tuple[Turn, ...]  # in speaking order: round by round, position by position

    @classmethod
    def of(cls, turns: Sequence[Turn]) -> "Session":
        return cls(tuple(sorted(turns, key=lambda turn: (turn.round_number, turn.position))))

    # What is going on -----------------------------------------------------------------------

    @property
    def current(self) -> Turn | None:
        return next((turn for turn in self.turns if turn.status in CURRENT), None)

    @property
    def state(self) -> SessionState:
        current = self.current
        if current is not None:
            return SessionState(current.status.value)
        if self.turns and all(turn.status in DONE for turn in self.turns):
            return SessionState.FINISHED
        return SessionState.IDLE

    def turn(self, turn_id: int) -> Turn:
        for turn in self.turns:
            if turn.id == turn_id:
                return turn
        raise NotAllowed(f"No turn {turn_id} in this meeting.")

    def made_current_by_next(self) -> Turn | None:
        """Whom Next speaker makes current: the next pending turn of the current round (None
        when the round ends with the current speaker); with nobody current, the first pending
        turn of the first unfinished round."""
        current = self.current
        if current is not None:
            following = [
                turn
                for turn in self.turns
                if turn.round_number == current.round_number
                and turn.position > current.position
                and turn.status == TurnStatus.PENDING
            ]
            if following:
                return following[0]
            return None  # the round ends with the current speaker
        return self.first_pending_turn()

    def shown_as_next_speaker(self) -> Turn | None:
        """Who speaks after the current speaker (what the screens call the next speaker): the
        next pending turn of the current round; after its last turn, the turn that Start then
        begins, the first pending one of the first unfinished round."""
        return self.made_current_by_next() or self.first_pending_turn()

    def first_pending_turn(self, round_number: int | None = None) -> Turn | None:
        for turn in self.turns:
            if turn.status == TurnStatus.PENDING and round_number in (None, turn.round_number):
                return turn
        return None

    def round_numbers(self) -> list[int]:
        return sorted({turn.round_number for turn in self.turns})

    def round_is_over(self, round_number: int) -> bool:
        turns = [turn for turn in self.turns if turn.round_number == round_number]
        return bool(turns) and all(turn.status in DONE for turn in turns)

    @property
    def between_rounds(self) -> int | None:
        """The number of the round Start begins when the session stands between rounds (a
        round reopened included): nobody has the floor, turns are still waiting, and the
        session has begun (a turn was given, or a round is over). None before the first
        speaker, during a turn and at the end."""
        following = self.first_pending_turn()
        if self.current is not None or following is None:
            return None
        begun = any(turn.started_at is not None for turn in self.turns) or any(
            map(self.round_is_over, self.round_numbers())
        )
        return following.round_number if begun else None

    # What the console's buttons may do ------------------------------------------------------

    def acted_on(self, action: Action) -> Turn:
        """The turn a button acts on in this state; NotAllowed when it can do nothing now.

        The actions themselves ask it, and so does allowed_actions(): a button is offered
        exactly when its action would go through."""
        current = self.current
        if current is None and action in (Action.START, Action.NEXT):
            # with nobody current: the first pending turn of the first unfinished round
            following = self.first_pending_turn()
            if following is None:
                raise NotAllowed("Every turn has been given.")
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
        return Session(tuple(changed if turn.id == changed.id else turn for turn in self.turns))

    def start(self, now: dt.datetime) -> "Session":
        """Start the current speaker's clock; with nothing current, the first pending turn of
        the first unfinished round."""
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
        """Finish the current turn and make the next pending one of its round current (not
        running). After the last turn of a round, nobody is current until Start."""
        if self.current is None:
            following = self.acted_on(Action.NEXT)
            return self.with_turn(replace(following, status=TurnStatus.READY))
        current = self.acted_on(Action.NEXT)
        following = self.made_current_by_next()
        session = self.with_turn(self.closed(current, now, TurnStatus.FINISHED))
        if following is not None:
            session = session.with_turn(replace(following, status=TurnStatus.READY))
        return session

    def skip(self, now: dt.datetime, turn_id: int | None = None) -> "Session":
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

    def give_floor(self, now: dt.datetime, turn_id: int) -> "Session":
        """Make any other turn current (jump to a speaker). A current turn that had started
        is finished; one that had not goes back to waiting. A finished turn comes back with
        the time it has spent (Next pressed too early, a speaker with one more point), and
        Start counts on from there; until Start, it keeps the end it had."""
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

    def finish_round(self, now: dt.datetime, round_number: int) -> "Session":
        """End a round now: the current turn finishes, the waiting ones are skipped."""
        session = self
        for turn in self.turns:
            if turn.round_number != round_number:
                continue
            if turn.status in CURRENT:
                status = TurnStatus.FINISHED if turn.started_at else TurnStatus.SKIPPED
                session = session.with_turn(self.closed(turn, now, status))
            elif turn.status == TurnStatus.PENDING:
                session = session.with_turn(replace(turn, status=TurnStatus.SKIPPED))
        return session

    def skipped_in(self, round_number: int) -> list[Turn]:
        return [
            turn
            for turn in self.turns
            if turn.round_number == round_number and turn.status == TurnStatus.SKIPPED
        ]

    def reopen_round(self, round_number: int) -> "Session":
        """Give the skipped speakers of a round their turn back (a finished speaker is given
        the floor back one by one, with give_floor)."""
        skipped = self.skipped_in(round_number)
        if not skipped:
            raise NotAllowed("Nobody was skipped in this round.")
        session = self
        for turn in skipped:
            session = session.with_turn(replace(turn, status=TurnStatus.PENDING))
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
    under their time): time spent minus the planned time (the round's speaking time,
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
    """When the meeting ends at the pace so far.

    Every speaker still to come is forecast to use their planned time adjusted by the
    average overrun of the turns given so far (pace(); none given yet: exactly their time),
    see expected_length(). The current speaker likewise, but never less than the time they
    have already spent. Then a changeover between speakers and the closing.
    """
    overrun = pace(session) or 0.0
    seconds = 0.0
    current = session.current
    if current is not None:
        seconds += max(expected_length(current, overrun) - current.spent(now), 0.0)
    waiting = [turn for turn in session.turns if turn.status == TurnStatus.PENDING]
    seconds += sum(expected_length(turn, overrun) for turn in waiting)
    speakers_left = len(waiting) + (1 if current is not None else 0)
    seconds += changeover * max(speakers_left - 1, 0)
    seconds += closing
    return now + dt.timedelta(seconds=seconds)
