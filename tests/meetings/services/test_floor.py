"""Requests for the floor: asked in the dialogue (points of order at any time), once per
delegation whatever the clicks, withdrawn, added by the chair, and the list of speakers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mechanisms.models import OASStatus
from meetings.domain.clock import NotAllowed
from meetings.models import (
    Delegation,
    Intervention,
    ItemKind,
    Meeting,
    MeetingLog,
    MeetingStatus,
    RequestSource,
    TurnStatus,
)
from meetings.services import floor, live_session
from tests.factories import (
    before_the_session,
    make_delegation,
    make_meeting,
    make_panelist,
    make_state,
    whole_agenda,
)


@pytest.fixture
def meeting(db):
    meeting = make_meeting()
    make_panelist(meeting)
    whole_agenda(meeting)
    return before_the_session(meeting)


@pytest.fixture
def mexico(meeting):
    return make_delegation(meeting)


@pytest.fixture
def canada(meeting):
    return make_delegation(meeting)


def to_the_dialogue(meeting):
    """Opening remarks and both rounds closed: the dialogue is under way."""
    for _ in range(3):
        live_session.perform(meeting, "next_item", by=None)


def version(meeting) -> int:
    return Meeting.objects.get(pk=meeting.pk).live_version


def test_a_request_waits_in_the_dialogue_under_way(meeting, mexico):
    to_the_dialogue(meeting)
    before = version(meeting)
    request = floor.request_floor(mexico)
    assert request.item.kind == ItemKind.DIALOGUE
    assert request.status == TurnStatus.PENDING
    assert request.source == RequestSource.FLOOR_PAGE
    assert request.requested_at is not None
    assert version(meeting) == before + 1
    assert MeetingLog.objects.filter(action="floor.requested", detail__delegation=mexico.code)


def test_asking_again_returns_the_request_waiting(meeting, mexico):
    to_the_dialogue(meeting)
    first = floor.request_floor(mexico)
    before = version(meeting)
    assert floor.request_floor(mexico) == first
    assert Intervention.objects.filter(delegation=mexico).count() == 1
    assert version(meeting) == before  # nothing changed: the screens are not told


def test_outside_a_dialogue_the_floor_is_refused_with_a_reason(meeting, mexico):
    with pytest.raises(floor.RequestRefused) as refused:
        floor.request_floor(mexico)
    assert "during the dialogue" in str(refused.value.message)
    assert not Intervention.objects.filter(delegation=mexico).exists()


def test_a_point_of_order_is_taken_at_any_time_and_comes_next(meeting, mexico):
    live_session.perform(meeting, "start", by=None)  # the Chair's opening remarks
    point = floor.request_floor(mexico, point_of_order=True)
    assert point.item.position == 1
    _turns, _agenda, session = live_session.meeting_session(meeting)
    assert session.shown_as_next_speaker().id == point.clock_id


def test_a_delegation_may_wait_with_a_request_and_a_point_of_order(meeting, mexico):
    to_the_dialogue(meeting)
    floor.request_floor(mexico)
    floor.request_floor(mexico, point_of_order=True)
    assert Intervention.objects.filter(delegation=mexico, status=TurnStatus.PENDING).count() == 2


def test_the_queue_puts_points_of_order_first_then_the_order_asked(meeting, mexico, canada):
    brazil = make_delegation(meeting)
    to_the_dialogue(meeting)
    floor.request_floor(mexico)
    floor.request_floor(canada)
    floor.request_floor(brazil, point_of_order=True)
    requests = floor.queue(meeting)
    assert [request.delegation for request in requests] == [brazil, mexico, canada]
    assert floor.place_in_queue(canada, requests) == 3
    assert floor.place_in_queue(make_delegation(meeting), requests) is None


def queries_of_a_request(meeting, waiting: int) -> list[str]:
    """The statements of one request for the floor with `waiting` requests (and as many more
    delegations) in the meeting, savepoints aside."""
    for _ in range(waiting):
        floor.request_floor(make_delegation(meeting))
        make_delegation(meeting)
    asking = make_delegation(meeting)
    with CaptureQueriesContext(connection) as queries:
        floor.request_floor(asking)
    return [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]


@pytest.mark.parametrize("waiting", [0, 12])
def test_a_request_costs_the_same_few_queries_however_many_wait(meeting, waiting):
    to_the_dialogue(meeting)

    queries = queries_of_a_request(meeting, waiting)

    # The meeting locked; agenda, turns and interventions read once; the request written; the
    # live version raised once; the action logged once.
    assert len(queries) == 7
    assert sum(sql.startswith("UPDATE") for sql in queries) == 1
    assert sum("meetings_meetinglog" in sql for sql in queries) == 1


def test_a_request_knows_the_queue_it_joined(meeting, mexico, canada):
    brazil = make_delegation(meeting)
    to_the_dialogue(meeting)
    floor.request_floor(mexico)
    floor.request_floor(canada)

    raised = floor.request_floor(brazil, point_of_order=True)

    assert [row[0] for row in raised.under_way.queue()] == [
        request.pk for request in floor.queue(meeting)
    ]
    assert raised.meeting.live_version == version(meeting)


def test_withdrawing_takes_the_request_out_once(meeting, mexico):
    to_the_dialogue(meeting)
    floor.request_floor(mexico)
    assert floor.withdraw_request(mexico) is True
    assert floor.withdraw_request(mexico) is False  # the second device finds none
    assert floor.queue(meeting) == []
    assert MeetingLog.objects.filter(action="floor.withdrawn").count() == 1


def test_a_request_given_the_floor_can_no_longer_be_withdrawn(meeting, mexico):
    to_the_dialogue(meeting)
    request = floor.request_floor(mexico)
    live_session.perform(meeting, "give_floor", by=None, turn_id=request.clock_id)
    assert floor.withdraw_request(mexico) is False
    request.refresh_from_db()
    assert request.status == TurnStatus.READY


def test_once_given_the_floor_the_delegation_may_ask_again(meeting, mexico):
    to_the_dialogue(meeting)
    first = floor.request_floor(mexico)
    live_session.perform(meeting, "start", by=None)
    second = floor.request_floor(mexico)
    assert second != first and second.position > first.position


def test_a_closed_list_refuses_the_floor_pages_but_not_the_chair(meeting, mexico, canada):
    to_the_dialogue(meeting)
    dialogue = floor.open_dialogue(meeting)
    floor.set_list_of_speakers(meeting, dialogue, open_=False, by=None)
    with pytest.raises(floor.RequestRefused) as refused:
        floor.request_floor(mexico)
    assert "closed" in str(refused.value.message)
    added = floor.add_by_chair(meeting, canada, by=None)
    assert added.source == RequestSource.CHAIR
    assert floor.request_floor(mexico, point_of_order=True).point_of_order
    floor.set_list_of_speakers(meeting, dialogue, open_=True, by=None)
    assert floor.request_floor(mexico).source == RequestSource.FLOOR_PAGE


def test_the_list_of_speakers_belongs_to_a_dialogue(meeting):
    opening = meeting.agenda.get(position=1)
    with pytest.raises(NotAllowed):
        floor.set_list_of_speakers(meeting, opening, open_=False, by=None)
    to_the_dialogue(meeting)
    with pytest.raises(NotAllowed):  # open already
        floor.set_list_of_speakers(meeting, floor.open_dialogue(meeting), open_=True, by=None)


def test_the_chair_adds_only_the_meetings_own_delegations(meeting):
    to_the_dialogue(meeting)
    stranger = make_delegation(make_meeting())
    with pytest.raises(floor.RequestRefused):
        floor.add_by_chair(meeting, stranger, by=None)


def test_a_concluded_meeting_takes_no_request(meeting, mexico):
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CONCLUDED)
    with pytest.raises(floor.RequestRefused):
        floor.request_floor(mexico, point_of_order=True)


def test_the_whole_dialogue_runs_on_the_console(meeting, mexico, canada):
    to_the_dialogue(meeting)
    floor.request_floor(mexico)
    floor.request_floor(canada)
    live_session.perform(meeting, "start", by=None)
    live_session.perform(meeting, "next", by=None)
    live_session.perform(meeting, "start", by=None)
    live_session.perform(meeting, "next_item", by=None)
    statuses = dict(
        Intervention.objects.filter(item__kind=ItemKind.DIALOGUE).values_list(
            "delegation__code", "status"
        )
    )
    assert statuses == {mexico.code: TurnStatus.FINISHED, canada.code: TurnStatus.FINISHED}
    _turns, _agenda, session = live_session.meeting_session(meeting)
    assert session.current_item.number == meeting.agenda.get(title_en="Closing remarks").position


def test_every_member_state_of_the_oas_has_a_delegation_with_a_link(meeting):
    member = make_state()
    make_state(oas_status=OASStatus.WITHDRAWN)
    created = floor.ensure_member_delegations(meeting)
    assert member.code in {delegation.code for delegation in created}
    assert all(delegation.has_link for delegation in created)
    assert not Delegation.objects.filter(
        meeting=meeting, state__oas_status=OASStatus.WITHDRAWN
    ).exists()
    assert floor.ensure_member_delegations(meeting) == []


def test_the_item_under_way_is_the_sessions_at_every_step(meeting, mexico, canada):
    """The floor reads the item under way from the turns' statuses alone: the same item as
    the whole session gives at every step of the meeting, from the opening to the end, a
    dialogue with a request and a point of order and an item reopened included."""
    seen = []
    reopened = False

    def agrees():
        current = live_session.meeting_session(meeting)[2].current_item
        item = floor.item_under_way(meeting)
        seen.append(item.position if item is not None else None)
        assert seen[-1] == (current.number if current is not None else None)
        return item

    # Each speaker started and moved on from; the dialogue's requests made as it opens.
    for _step in range(60):
        item = agrees()
        if item is None:
            break
        if item.kind == ItemKind.DIALOGUE and not Intervention.objects.filter(item=item).exists():
            floor.request_floor(mexico)
            floor.request_floor(canada, point_of_order=True)
            continue
        allowed = live_session.meeting_session(meeting)[2].allowed_actions()
        action = next(a for a in ("start", "next", "next_item") if a in allowed)
        live_session.perform(meeting, action, by=None)
        if action == "next_item" and item.kind == ItemKind.DIALOGUE and not reopened:
            live_session.perform(meeting, "reopen_item", by=None, item=item.position)
            reopened = True
    assert set(seen) == {1, 2, 3, 4, 5, None}
    assert reopened
