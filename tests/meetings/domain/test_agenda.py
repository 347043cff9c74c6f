"""The clock's session over a whole agenda: remarks, rounds, a dialogue and a break, points of
order first (pure rules, a fake clock)."""

import datetime as dt

import pytest

from meetings.domain.clock import (
    Action,
    Item,
    ItemKind,
    NotAllowed,
    Session,
    SessionState,
    Turn,
    TurnStatus,
)
from tests.meetings.domain.test_clock import assert_buttons_match_their_actions, successors

T0 = dt.datetime(2022, 5, 17, 14, 0, tzinfo=dt.UTC)


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


# 1 opening remarks (the Chair), 2 a round of two panelists, 3 a dialogue, 4 a break,
# 5 closing remarks.
AGENDA = (
    Item(1, ItemKind.REMARKS),
    Item(2, ItemKind.ROUND),
    Item(3, ItemKind.DIALOGUE),
    Item(4, ItemKind.OTHER),
    Item(5, ItemKind.REMARKS),
)


def meeting(*requests: Turn) -> Session:
    turns = [
        Turn(id="chair-opening", item=1, position=1, allotted=300.0),
        Turn(id=1, item=2, position=1, allotted=420.0),
        Turn(id=2, item=2, position=2, allotted=420.0),
        Turn(id="chair-closing", item=5, position=1, allotted=300.0),
        *requests,
    ]
    return Session.of(turns, AGENDA)


def request(name: str, position: int, *, item: int = 3, point_of_order=False) -> Turn:
    return Turn(
        id=name, item=item, position=position, allotted=180.0, point_of_order=point_of_order
    )


def with_requests(s: Session, *requests: Turn) -> Session:
    return Session.of([*s.turns, *requests], s.items)


def test_start_gives_the_floor_to_the_first_speaker_of_the_first_item():
    s = meeting().start(at(0))
    assert s.current.id == "chair-opening"
    assert s.current_item == AGENDA[0]


def test_after_the_remarks_the_round_comes_and_is_announced():
    s = meeting().start(at(0)).next_speaker(at(290))
    assert s.current is None
    assert s.current_item.number == 2
    assert s.between_items == 2
    assert s.shown_as_next_speaker().id == 1


def test_the_next_speaker_after_the_last_of_an_item_is_the_first_of_the_next():
    s = meeting().start(at(0))
    assert s.shown_as_next_speaker().id == 1


def test_a_dialogue_is_not_over_without_requests_until_the_chair_moves_on():
    s = meeting().next_item(at(0)).next_item(at(1))
    assert s.current_item.number == 3
    assert s.state == SessionState.IDLE
    assert Action.START not in s.allowed_actions()
    assert Action.NEXT_ITEM in s.allowed_actions()
    with pytest.raises(NotAllowed):
        s.start(at(2))


def test_in_a_dialogue_start_gives_the_floor_to_the_first_request():
    s = with_requests(meeting().next_item(at(0)).next_item(at(1)), request("MX", 1))
    s = s.start(at(10))
    assert s.current.id == "MX"
    assert s.current.remaining(at(40)) == 150


def test_the_dialogue_takes_requests_in_the_order_asked():
    s = meeting().next_item(at(0)).next_item(at(1))
    s = with_requests(s, request("MX", 1), request("CA", 2), request("BR", 3))
    s = s.start(at(10)).next_speaker(at(100))
    assert s.current.id == "CA"
    s = s.start(at(101)).next_speaker(at(200))
    assert s.current.id == "BR"


def test_a_request_asked_before_the_one_given_out_of_order_still_comes_next():
    s = meeting().next_item(at(0)).next_item(at(1))
    s = with_requests(s, request("MX", 1), request("CA", 2))
    s = s.give_floor(at(2), "CA").start(at(3)).next_speaker(at(50))
    assert s.current.id == "MX"


def test_a_point_of_order_goes_ahead_of_the_queue():
    s = meeting().next_item(at(0)).next_item(at(1))
    s = with_requests(s, request("MX", 1), request("CA", 2))
    s = s.start(at(10))  # Mexico speaks
    s = with_requests(s, request("BR", 3, point_of_order=True))
    assert s.shown_as_next_speaker().id == "BR"
    s = s.next_speaker(at(60))
    assert s.current.id == "BR"
    s = s.start(at(61)).next_speaker(at(90))
    assert s.current.id == "CA"


def test_a_point_of_order_in_a_round_interrupts_then_the_round_goes_on():
    s = meeting().next_item(at(0)).start(at(1))  # the first panelist speaks
    s = with_requests(s, request("BR", 1, item=2, point_of_order=True))
    s = s.next_speaker(at(100))
    assert s.current.id == "BR"
    s = s.start(at(101)).next_speaker(at(130))
    assert s.current.id == 2  # the second panelist


def test_the_dialogue_stays_under_way_between_requests():
    s = meeting().next_item(at(0)).next_item(at(1))
    s = with_requests(s, request("MX", 1)).start(at(10)).next_speaker(at(100))
    assert s.current is None
    assert s.current_item.number == 3
    assert s.between_items is None  # under way, not coming


def test_next_item_skips_the_requests_still_waiting():
    s = meeting().next_item(at(0)).next_item(at(1))
    s = with_requests(s, request("MX", 1), request("CA", 2)).start(at(10))
    s = s.next_item(at(100))
    assert s.turn("MX").status == TurnStatus.FINISHED
    assert s.turn("CA").status == TurnStatus.SKIPPED
    assert s.current_item.number == 4  # the break


def test_a_break_is_under_way_until_the_chair_moves_on():
    s = meeting().next_item(at(0)).next_item(at(1)).next_item(at(2))
    assert s.current_item.kind == ItemKind.OTHER
    assert s.allowed_actions() == {Action.NEXT_ITEM}
    s = s.next_item(at(900))
    assert s.current_item.number == 5
    assert s.shown_as_next_speaker().id == "chair-closing"


def test_the_meeting_is_finished_once_every_item_is_over():
    s = meeting()
    for second in range(5):
        s = s.next_item(at(second))
    assert s.state == SessionState.FINISHED
    assert s.current_item is None
    assert s.allowed_actions() == frozenset()


def test_a_closed_item_can_be_taken_back():
    s = meeting().next_item(at(0)).next_item(at(1)).next_item(at(2))  # the dialogue closed
    s = s.reopen_item(3)
    assert s.current_item.number == 3
    with pytest.raises(NotAllowed):
        s.reopen_item(3)


def test_giving_the_floor_back_in_a_closed_item_makes_it_the_item_under_way():
    s = meeting().start(at(0)).next_speaker(at(200)).next_item(at(201))  # the round closed
    assert s.current_item.number == 3
    s = s.give_floor(at(300), "chair-opening")
    assert s.current_item.number == 1
    assert s.current.status == TurnStatus.READY


def test_skipped_speakers_come_back_with_their_item():
    s = meeting().next_item(at(0)).next_item(at(1))  # the round closed, both skipped
    s = s.reopen_skipped(2)
    assert s.current_item.number == 2
    assert [turn.status for turn in s.turns_of(2)] == [TurnStatus.PENDING] * 2


def test_every_reachable_state_of_an_agenda_offers_exactly_the_buttons_that_act():
    """A breadth-first walk over every state an agenda of each kind of item can reach (a
    remarks speaker, a round of one, a dialogue with a request and a point of order, a break)
    by any action on any turn and item."""

    def key(s: Session):
        turns = tuple((t.status, t.started_at is None, t.ended_at is None) for t in s.turns)
        return turns, tuple(item.closed for item in s.agenda())

    first = Session.of(
        [
            Turn(id="chair", item=1, position=1, allotted=300.0),
            Turn(id=1, item=2, position=1, allotted=420.0),
            request("MX", 1),
            request("CA", 2, point_of_order=True),
        ],
        (
            Item(1, ItemKind.REMARKS),
            Item(2, ItemKind.ROUND),
            Item(3, ItemKind.DIALOGUE),
            Item(4, ItemKind.OTHER),
        ),
    )
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
    assert len(seen) > 200
