"""The speaking clock: pure rules, tested with a fake clock and with random action sequences."""

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meetings.domain.clock import (
    Action,
    Item,
    ItemKind,
    NotAllowed,
    Session,
    SessionState,
    Turn,
    TurnStatus,
    forecast_end,
    pace,
)

T0 = dt.datetime(2022, 5, 17, 14, 0, tzinfo=dt.UTC)


def at(seconds: float) -> dt.datetime:
    """The fake clock: T0 plus some seconds."""
    return T0 + dt.timedelta(seconds=seconds)


def session(rounds=((1, 2, 3), (4, 5, 6)), allotted=420.0) -> Session:
    return Session.of(
        [
            Turn(id=turn_id, item=number, position=position, allotted=allotted)
            for number, ids in enumerate(rounds, start=1)
            for position, turn_id in enumerate(ids, start=1)
        ]
    )


def test_start_with_nothing_current_starts_the_first_pending_turn():
    started = session().start(at(0))
    assert started.state == SessionState.RUNNING
    assert started.current.id == 1
    assert started.current.remaining(at(61)) == 359


def test_pause_keeps_remaining_time():
    paused = session().start(at(0)).pause(at(100))
    assert paused.state == SessionState.PAUSED
    assert paused.current.remaining(at(100)) == paused.current.remaining(at(5000)) == 320


def test_resume_counts_on_from_where_it_paused():
    resumed = session().start(at(0)).pause(at(100)).resume(at(400))
    assert resumed.current.remaining(at(410)) == 310


def test_an_added_minute_belongs_to_the_current_turn_only():
    s = session().start(at(0)).add_minute()
    assert s.current.remaining(at(0)) == 480
    s = s.next_speaker(at(10))
    assert s.turn(1).allotted == 480
    assert s.current.allotted == 420


def test_overtime_is_negative_remaining_and_nothing_cuts_the_speaker_off():
    s = session().start(at(0))
    assert s.current.remaining(at(462)) == -42
    assert s.state == SessionState.RUNNING


def test_next_speaker_finishes_the_turn_and_makes_the_next_current_but_not_running():
    s = session().start(at(0)).next_speaker(at(300))
    assert s.turn(1).status == TurnStatus.FINISHED
    assert s.turn(1).spent(at(9999)) == 300
    assert (s.turn(1).started_at, s.turn(1).ended_at) == (at(0), at(300))
    assert s.current.id == 2
    assert s.state == SessionState.READY
    assert s.current.remaining(at(9999)) == 420


def test_a_round_ends_when_every_turn_is_finished_or_skipped():
    s = session().start(at(0)).next_speaker(at(1)).skip(at(2)).next_speaker(at(3))
    assert s.item_is_over(Item(1))
    assert s.state == SessionState.IDLE  # between rounds: nobody current until Start
    assert s.made_current_by_next().id == 4
    assert s.start(at(4)).current.id == 4


def test_skip_of_the_current_speaker_gives_the_floor_to_the_next():
    s = session().next_speaker(at(0)).skip(at(1))
    assert s.turn(1).status == TurnStatus.SKIPPED
    assert s.current.id == 2


def test_skip_of_a_waiting_speaker_leaves_the_current_one_alone():
    s = session().start(at(0)).skip(at(1), turn_id=3)
    assert s.turn(3).status == TurnStatus.SKIPPED
    assert s.current.id == 1
    assert s.next_speaker(at(2)).current.id == 2
    assert s.next_speaker(at(2)).next_speaker(at(3)).current is None


def test_giving_the_floor_to_another_speaker():
    s = session().next_speaker(at(0)).give_floor(at(1), 3)
    assert s.turn(1).status == TurnStatus.PENDING  # had not started: waits again
    assert s.current.id == 3
    s = s.start(at(2)).give_floor(at(10), 2)
    assert s.turn(3).status == TurnStatus.FINISHED
    assert s.current.id == 2


def test_a_speaker_finished_too_early_gets_the_floor_back_with_their_time():
    s = session().start(at(0)).next_speaker(at(100))  # Next pressed by mistake at 1:40
    s = s.give_floor(at(110), 1)
    back = s.turn(1)
    assert (s.current.id, back.status, back.ended_at) == (1, TurnStatus.READY, at(100))
    assert s.turn(2).status == TurnStatus.PENDING  # the one made current waits again
    s = s.start(at(120))
    assert s.turn(1).remaining(at(130)) == 420 - 110  # counts on from 1:40
    assert s.next_speaker(at(150)).turn(1).ended_at == at(150)


def test_a_speaker_given_the_floor_back_by_mistake_keeps_their_end():
    s = session().start(at(0)).next_speaker(at(100)).give_floor(at(110), 1)
    s = s.next_speaker(at(130))  # never started again
    assert (s.turn(1).status, s.turn(1).ended_at) == (TurnStatus.FINISHED, at(100))


def test_a_round_where_everybody_spoke_has_nobody_to_reopen():
    s = session()
    for second in range(0, 60, 10):
        s = s.next_speaker(at(second)).start(at(second + 1))
    s = s.next_speaker(at(70))
    assert s.item_is_over(Item(1)) and s.skipped_in(1) == []
    with pytest.raises(NotAllowed):
        s.reopen_skipped(1)


def test_finishing_and_reopening_a_round():
    s = session().start(at(0)).finish_item(at(60), 1)
    assert [turn.status for turn in s.turns[:3]] == [
        TurnStatus.FINISHED,
        TurnStatus.SKIPPED,
        TurnStatus.SKIPPED,
    ]
    s = s.reopen_skipped(1)
    assert [turn.status for turn in s.turns[:3]] == [
        TurnStatus.FINISHED,
        TurnStatus.PENDING,
        TurnStatus.PENDING,
    ]
    assert s.start(at(70)).current.id == 2


def test_between_items_names_the_round_that_comes_and_nothing_else_does():
    s = session()
    assert s.between_items is None  # before the first speaker: the session begins shortly
    s = s.start(at(0))
    assert s.between_items is None  # a turn is on
    s = s.next_speaker(at(10)).start(at(11)).next_speaker(at(20)).start(at(21))
    assert s.between_items is None  # the last speaker of round 1 has the floor
    s = s.next_speaker(at(30))
    assert (s.state, s.between_items) == (SessionState.IDLE, 2)
    assert s.start(at(40)).between_items is None


def test_a_round_reopened_or_left_out_whole_is_what_comes_between_items():
    assert session().skip(at(0), 1).between_items is None  # one speaker left out: not begun
    left_out = session().skip(at(0), 1).skip(at(0), 2).skip(at(0), 3)
    assert left_out.between_items == 2  # round 1 left out whole: round 2 comes
    reopened = session().start(at(0)).finish_item(at(60), 1).reopen_skipped(1)
    assert reopened.between_items == 1


def test_nothing_comes_between_items_once_the_session_is_over():
    s = session(rounds=((1,), (2,))).start(at(0)).next_speaker(at(5))
    assert s.between_items == 2
    assert s.start(at(6)).next_speaker(at(10)).between_items is None


def test_the_session_finishes_when_every_turn_is_done():
    s = session(rounds=((1,),)).start(at(0)).next_speaker(at(5))
    assert s.state == SessionState.FINISHED
    with pytest.raises(NotAllowed):
        s.start(at(6))


@pytest.mark.parametrize(
    "action",
    [
        lambda s: s.pause(at(0)),
        lambda s: s.resume(at(0)),
        lambda s: s.add_minute(),
        lambda s: s.skip(at(0)),
    ],
)
def test_actions_that_make_no_sense_are_refused(action):
    with pytest.raises(NotAllowed):
        action(session())


def test_start_while_running_is_refused():
    with pytest.raises(NotAllowed):
        session().start(at(0)).start(at(1))


def test_after_the_last_turn_of_a_round_the_first_of_the_next_round_speaks_next():
    s = session().start(at(0)).next_speaker(at(10)).next_speaker(at(20))  # turn 3 has the floor
    assert s.current.id == 3
    assert s.made_current_by_next() is None  # Next speaker ends round 1: nobody is current ...
    # ... and Start then gives the floor to round 2's first
    assert s.shown_as_next_speaker().id == 4
    assert s.next_speaker(at(30)).start(at(40)).current.id == s.shown_as_next_speaker().id


def test_the_last_speaker_of_the_last_round_has_nobody_after_them():
    s = session(rounds=((1,), (2,))).start(at(0)).next_speaker(at(10)).start(at(20))
    assert s.current.id == 2
    assert s.shown_as_next_speaker() is None


def test_forecast_adds_what_is_left_changeovers_and_closing():
    s = session(rounds=((1, 2, 3),)).start(at(0))
    end = forecast_end(s, at(100), changeover=30, closing=600)
    assert end == at(100 + 320 + 2 * 420 + 2 * 30 + 600)


def test_the_pace_is_the_average_overrun_of_the_turns_given_so_far():
    s = session(rounds=((1, 2, 3, 4),))
    assert pace(s) is None
    s = s.start(at(0)).next_speaker(at(480))  # 60 seconds over
    s = s.start(at(500)).next_speaker(at(800))  # 120 under
    assert pace(s) == (60 - 120) / 2


def test_skipped_and_never_started_turns_do_not_set_the_pace():
    s = session(rounds=((1, 2, 3, 4),)).skip(at(0), 2)
    s = s.next_speaker(at(0)).next_speaker(at(10))  # turn 1 had the floor, never started
    assert pace(s) is None
    s = s.start(at(20)).next_speaker(at(500))  # turn 3: 480 s, 60 over
    assert pace(s) == 60


def test_added_minutes_count_as_overrun_against_the_planned_time():
    s = session(rounds=((1, 2),)).start(at(0)).add_minute().next_speaker(at(480))
    assert pace(s) == 60  # 480 s spent of 420 planned, though 480 were allotted


def test_the_forecast_follows_the_pace_of_the_speakers_so_far():
    s = session(rounds=((1, 2, 3),)).start(at(0)).next_speaker(at(480))  # 60 over
    s = s.start(at(500))
    end = forecast_end(s, at(600), changeover=30, closing=600)
    # The current speaker: 420 + 60 forecast, 100 spent; the last: 420 + 60.
    assert end == at(600 + 380 + 480 + 30 + 600)


def test_speakers_under_their_time_bring_the_forecast_end_forward():
    s = session(rounds=((1, 2, 3),)).start(at(0)).next_speaker(at(300))  # 120 under
    s = s.next_speaker(at(310))  # turn 2 never started: it sets no pace
    end = forecast_end(s, at(310), changeover=0, closing=0)
    assert end == at(310 + 300)


def test_the_current_turn_counts_at_least_the_time_it_has_taken():
    s = session(rounds=((1, 2, 3),)).start(at(0)).next_speaker(at(300))  # 120 under
    s = s.start(at(300))
    # 350 seconds spent: more than the 300 forecast, so nothing more is counted for it.
    end = forecast_end(s, at(650), changeover=0, closing=0)
    assert end == at(650 + 0 + 300)


def test_a_speaker_given_added_minutes_is_forecast_to_use_them():
    s = session(rounds=((1, 2, 3),)).start(at(0)).next_speaker(at(300))  # 120 under
    s = s.start(at(300)).add_minute()
    end = forecast_end(s, at(400), changeover=0, closing=0)
    assert end == at(400 + (480 - 100) + 300)


def agenda_session(dialogue_requests=(), planned_dialogue=1800.0) -> Session:
    """Opening remarks (turn 1, 300 s), a round (turns 2 and 3), a break of 900 s, the dialogue
    (3 minutes per intervention, 1800 s planned), closing remarks (turn 9, 300 s)."""
    items = [
        Item(1, ItemKind.REMARKS),
        Item(2, ItemKind.ROUND),
        Item(3, ItemKind.OTHER, planned=900.0),
        Item(4, ItemKind.DIALOGUE, planned=planned_dialogue),
        Item(5, ItemKind.REMARKS),
    ]
    turns = [
        Turn(id=1, item=1, position=1, allotted=300.0),
        Turn(id=2, item=2, position=1, allotted=420.0),
        Turn(id=3, item=2, position=2, allotted=420.0),
        *[
            Turn(id=turn_id, item=4, position=position, allotted=180.0)
            for position, turn_id in enumerate(dialogue_requests, start=1)
        ],
        Turn(id=9, item=5, position=1, allotted=300.0),
    ]
    return Session.of(turns, items)


def test_before_the_start_the_forecast_is_the_whole_agenda():
    end = forecast_end(agenda_session(), at(0), changeover=30, closing=0)
    # remarks, the round with one changeover, the break, the dialogue, the closing remarks
    assert end == at(300 + (420 + 30 + 420) + 900 + 1800 + 300)


def test_items_are_over_once_the_chair_moves_on_and_count_no_more():
    s = agenda_session().start(at(0)).next_speaker(at(300))  # the opening remarks, on time
    s = s.start(at(300)).next_speaker(at(720)).start(at(730)).next_speaker(at(1150))  # round
    s = s.next_item(at(1200))  # the break, taken
    end = forecast_end(s, at(2100), changeover=30, closing=600)
    assert end == at(2100 + 1800 + 300 + 600)


def test_a_break_counts_its_planned_time_until_it_is_over():
    s = agenda_session().start(at(0)).next_speaker(at(300))
    s = s.start(at(300)).next_speaker(at(720)).start(at(730)).next_speaker(at(1150))
    assert s.current_item.kind == ItemKind.OTHER
    assert forecast_end(s, at(1500), changeover=0, closing=0) == at(1500 + 900 + 1800 + 300)


def dialogue_under_way(requests=(4, 5, 6), planned=1800.0) -> Session:
    s = agenda_session(dialogue_requests=requests, planned_dialogue=planned)
    s = s.start(at(0)).next_speaker(at(300))
    s = s.start(at(300)).next_speaker(at(720)).start(at(730)).next_speaker(at(1150))
    return s.next_item(at(1200))  # the break is over: the dialogue's first request waits


def test_a_dialogue_counts_its_planned_time_less_the_time_used_in_it():
    s = dialogue_under_way().start(at(1300))
    assert s.current.id == 4
    # 100 s of its 1800 used; the first intervention and the two waiting (540 s) fit in it
    end = forecast_end(s, at(1400), changeover=0, closing=0)
    assert end == at(1400 + (1800 - 100) + 300)


def test_a_dialogue_past_its_planned_time_still_counts_the_current_intervention():
    s = dialogue_under_way(requests=(4,), planned=60.0).start(at(1300))
    # planned 60 s, 100 used: the intervention's own 80 s left count
    end = forecast_end(s, at(1400), changeover=0, closing=0)
    assert end == at(1400 + 80 + 300)


def test_a_dialogue_counts_at_least_the_requests_waiting():
    s = dialogue_under_way(requests=(4, 5, 6), planned=300.0).start(at(1300))
    # 80 s left of the current one, two more of 180 and two changeovers of 30
    end = forecast_end(s, at(1400), changeover=30, closing=0)
    assert end == at(1400 + 80 + 360 + 60 + 300)


def test_a_dialogue_closed_by_the_chair_counts_no_more():
    s = dialogue_under_way().start(at(1300)).next_item(at(1400))
    assert pace(s) == -80 / 4  # the intervention cut at 100 s of its 180
    assert forecast_end(s, at(1400), changeover=0, closing=0) == at(1400 + 300 - 20)


def test_changeovers_come_between_speakers_of_an_item_not_between_items():
    s = session(rounds=((1, 2), (3, 4)))
    # two rounds of two: one changeover in each
    assert forecast_end(s, at(0), changeover=30, closing=0) == at(4 * 420 + 2 * 30)


# Random sequences of actions keep the invariants ---------------------------------------------

ACTIONS = st.sampled_from(
    [
        "finish_round",
        "reopen_round",
        "start",
        "pause",
        "resume",
        "add_minute",
        "next",
        "skip",
        "skip_waiting",
        "give_floor",
        "give_floor_back",
    ]
)


def apply(s: Session, action: str, now: dt.datetime, pick: int) -> Session:
    waiting = [turn for turn in s.turns if turn.status == TurnStatus.PENDING]
    finished = [turn for turn in s.turns if turn.status == TurnStatus.FINISHED]
    match action:
        case "start":
            return s.start(now)
        case "pause":
            return s.pause(now)
        case "resume":
            return s.resume(now)
        case "add_minute":
            return s.add_minute()
        case "next":
            return s.next_speaker(now)
        case "skip":
            return s.skip(now)
        case "skip_waiting" if waiting:
            return s.skip(now, waiting[pick % len(waiting)].id)
        case "give_floor" if waiting:
            return s.give_floor(now, waiting[pick % len(waiting)].id)
        case "give_floor_back" if finished:
            return s.give_floor(now, finished[pick % len(finished)].id)
        case "finish_round":
            return s.finish_item(now, 1 + pick % 2)
        case "reopen_round":
            return s.reopen_skipped(1 + pick % 2)
    raise NotAllowed


@settings(max_examples=300, deadline=None)
@given(
    steps=st.lists(
        st.tuples(ACTIONS, st.floats(0, 900, allow_nan=False), st.integers(0, 10)), max_size=40
    )
)
def test_random_sequences_keep_the_clock_invariants(steps):
    s, now = session(), T0
    for action, wait, pick in steps:
        now += dt.timedelta(seconds=wait)
        before = s
        try:
            s = apply(s, action, now, pick)
        except NotAllowed:
            continue
        assert sum(turn.status in {"ready", "running", "paused"} for turn in s.turns) <= 1
        for old, new in zip(before.turns, s.turns, strict=True):
            assert new.spent(now) >= old.spent(now) - 1e-9  # time spent never decreases
            assert new.allotted >= old.allotted  # added minutes stay
            assert new.remaining(now) == pytest.approx(new.allotted - new.spent(now))
            assert (new.running_since is not None) == (new.status == TurnStatus.RUNNING)
            if old.status in {"finished"} and new.status == TurnStatus.READY:
                # given the floor back: the same turn, its time and end kept until Start
                assert action == "give_floor_back"
                assert new == replace(old, status=TurnStatus.READY)
            elif old.status in {"finished"}:
                assert new == old  # a finished turn is history
        # the clock never runs without a current speaker
        assert (s.state == SessionState.RUNNING) == any(
            turn.status == TurnStatus.RUNNING for turn in s.turns
        )


# What the console's buttons may do: exactly what their actions do --------------------------


def press(s: Session, action: Action, now: dt.datetime) -> Session:
    """The button's action, as the console performs it."""
    match action:
        case Action.START:
            return s.start(now)
        case Action.PAUSE:
            return s.pause(now)
        case Action.RESUME:
            return s.resume(now)
        case Action.ADD_MINUTE:
            return s.add_minute()
        case Action.NEXT:
            return s.next_speaker(now)
        case Action.SKIP:
            return s.skip(now)
        case Action.NEXT_ITEM:
            return s.next_item(now)


def assert_buttons_match_their_actions(s: Session, now: dt.datetime) -> None:
    """A button is offered if and only if pressing it goes through and changes something
    (the database layer refuses an action that changes nothing)."""
    allowed = s.allowed_actions()
    for action in Action:
        try:
            changed = press(s, action, now) != s
        except NotAllowed:
            changed = False
        assert (action in allowed) == changed, (action, s.state, allowed)


def test_the_buttons_before_the_first_speaker():
    assert session().allowed_actions() == {Action.START, Action.NEXT, Action.NEXT_ITEM}


def test_the_buttons_while_a_speaker_is_ready_running_and_paused():
    ready = session().next_speaker(at(0))
    on_the_floor = {Action.ADD_MINUTE, Action.NEXT, Action.SKIP, Action.NEXT_ITEM}
    assert ready.allowed_actions() == {Action.START, *on_the_floor}
    running = ready.start(at(1))
    assert running.allowed_actions() == {Action.PAUSE, *on_the_floor}
    paused = running.pause(at(2))
    assert paused.allowed_actions() == {Action.RESUME, *on_the_floor}


def test_no_button_acts_once_every_turn_is_done():
    s = session(rounds=((1,), (2,))).finish_item(at(0), 1).finish_item(at(0), 2)
    assert s.state == SessionState.FINISHED
    assert s.allowed_actions() == frozenset()
    assert Session.of([]).allowed_actions() == frozenset()


def test_between_items_start_and_next_give_the_next_round_its_first_speaker():
    s = session().start(at(0)).finish_item(at(10), 1)
    assert s.between_items == 2
    assert s.allowed_actions() == {Action.START, Action.NEXT, Action.NEXT_ITEM}


def successors(s: Session, now: dt.datetime) -> list[Session]:
    """Every session one action away: each button, and the actions on each turn and round."""
    moves = [lambda action=action: press(s, action, now) for action in Action]
    for turn in s.turns:
        moves.append(lambda turn_id=turn.id: s.skip(now, turn_id))
        moves.append(lambda turn_id=turn.id: s.give_floor(now, turn_id))
    for number in [item.number for item in s.agenda()]:
        moves.append(lambda number=number: s.finish_item(now, number))
        moves.append(lambda number=number: s.reopen_skipped(number))
        moves.append(lambda number=number: s.reopen_item(number))
    reached = []
    for move in moves:
        try:
            reached.append(move())
        except NotAllowed:
            continue
    return reached


def test_every_reachable_state_offers_exactly_the_buttons_that_act():
    """Every state a small session can reach (two rounds, one of them of two speakers) by
    any action on any turn and round: a breadth-first walk over the turns' statuses and
    whether each has started and ended."""

    def key(s: Session):
        return tuple((t.status, t.started_at is None, t.ended_at is None) for t in s.turns)

    first = session(rounds=((1, 2), (3,)))
    seen, frontier, now = {key(first)}, [first], T0
    while frontier:
        following = []
        for s in frontier:
            now += dt.timedelta(seconds=7)
            assert_buttons_match_their_actions(s, now)
            for reached in successors(s, now):
                if key(reached) not in seen:
                    seen.add(key(reached))
                    following.append(reached)
        frontier = following
    assert len(seen) > 20  # the walk went everywhere, not nowhere


@settings(max_examples=300, deadline=None)
@given(
    steps=st.lists(
        st.tuples(ACTIONS, st.floats(0, 900, allow_nan=False), st.integers(0, 10)), max_size=40
    )
)
def test_random_sequences_offer_exactly_the_buttons_that_act(steps):
    s, now = session(), T0
    assert_buttons_match_their_actions(s, now)
    for action, wait, pick in steps:
        now += dt.timedelta(seconds=wait)
        try:
            s = apply(s, action, now, pick)
        except NotAllowed:
            continue
        assert_buttons_match_their_actions(s, now)


@settings(max_examples=200, deadline=None)
@given(
    steps=st.lists(
        st.tuples(
            st.one_of(ACTIONS, st.just("next_item")),
            st.floats(0, 900, allow_nan=False),
            st.integers(0, 10),
        ),
        max_size=40,
    )
)
def test_the_forecast_over_a_whole_agenda_never_ends_before_what_is_left(steps):
    s, now = agenda_session(dialogue_requests=(4, 5)), T0
    for action, wait, pick in steps:
        now += dt.timedelta(seconds=wait)
        try:
            s = s.next_item(now) if action == "next_item" else apply(s, action, now, pick)
        except NotAllowed:
            continue
        end = forecast_end(s, now, changeover=30, closing=600)
        assert end >= now + dt.timedelta(seconds=600)
        if s.state == SessionState.FINISHED:
            assert end == now + dt.timedelta(seconds=600)
