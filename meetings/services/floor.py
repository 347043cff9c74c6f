"""The floor in the dialogue: delegations ask for it (or raise a point of order), withdraw, and
the chair adds a delegation by hand and closes or reopens the list of speakers.

A request is an Intervention waiting in the item under way. Every action locks the meeting's
row first, as the console's do, so that a double click or two devices of one delegation add
one request: the second finds the first waiting and returns it (a database constraint holds
the same rule underneath). Each raises the live version: the queue on every screen follows.
"""

import dataclasses
import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mechanisms.models import MemberState, OASStatus
from meetings.domain import clock
from meetings.models import (
    AgendaItem,
    Delegation,
    DelegationKind,
    Intervention,
    ItemKind,
    Meeting,
    RequestSource,
    Turn,
    TurnStatus,
)
from meetings.services.audit import log_action
from meetings.services.links import issue_link


class RequestRefused(Exception):
    """The floor cannot be asked for now; the message says why, in the reader's language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


NOT_IN_DIALOGUE = _("Requests for the floor are taken during the dialogue.")
LIST_CLOSED = _("The list of speakers is closed.")
CONCLUDED = _("The meeting is concluded.")


def locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def item_under_way(meeting: Meeting) -> AgendaItem | None:
    """The agenda item under way (clock.Session.current_item), or None at the end.

    Asked by every request for the floor (under the meeting's lock) and every floor page, a
    hundred times in the second after the chair opens the list: the session is read from the
    turns' places and statuses alone, all the item under way depends on, rather than from the
    turns themselves (a sixth of the time with a hundred requests waiting)."""
    return under_way(meeting).item


@dataclasses.dataclass(frozen=True)
class UnderWay:
    """The item under way and what a request for the floor needs of the interventions, read
    in three queries whatever the number of turns, requests and delegations."""

    item: AgendaItem | None
    # (pk, item position, place, status, point of order, delegation pk) of every intervention
    interventions: list[tuple]

    def last_position(self, item: AgendaItem) -> int:
        return max((row[2] for row in self.interventions if row[1] == item.position), default=0)

    def queue(self) -> list[tuple]:
        """The rows of the requests waiting in the item under way, in the order of queue()."""
        if self.item is None:
            return []
        rows = [
            row
            for row in self.interventions
            if row[1] == self.item.position and row[3] == TurnStatus.PENDING and row[5]
        ]
        return sorted(rows, key=lambda row: (not row[4], row[2], row[0]))

    def waiting_pk(self, delegation: Delegation, *, point_of_order: bool) -> int | None:
        for pk, _item, _place, status, order, delegation_id in self.interventions:
            if (
                delegation_id == delegation.pk
                and status == TurnStatus.PENDING
                and order == point_of_order
            ):
                return pk
        return None


def under_way(meeting: Meeting) -> UnderWay:
    agenda = list(AgendaItem.objects.filter(meeting=meeting).select_related("round"))
    panel = Turn.objects.filter(meeting=meeting).in_live_order()
    interventions = list(
        Intervention.objects.filter(meeting=meeting).values_list(
            "pk", "item__position", "position", "status", "point_of_order", "delegation_id"
        )
    )
    turns = [
        clock.Turn(("turn", pk), item, position, 0.0, status=clock.TurnStatus(status))
        for pk, item, position, status in panel.values_list(
            "pk", "round__agenda_item__position", "position", "status"
        )
    ] + [
        clock.Turn(
            ("intervention", pk),
            item,
            position,
            0.0,
            status=clock.TurnStatus(status),
            point_of_order=point_of_order,
        )
        for pk, item, position, status, point_of_order, _delegation in interventions
    ]
    current = clock.Session.of(turns, [item.to_item() for item in agenda]).current_item
    if current is None:
        return UnderWay(None, interventions)
    return UnderWay(next(item for item in agenda if item.position == current.number), interventions)


def open_dialogue(meeting: Meeting) -> AgendaItem | None:
    """The dialogue under way, if the item under way is one (its list open or not)."""
    item = item_under_way(meeting)
    return item if item is not None and item.kind == ItemKind.DIALOGUE else None


def waiting(delegation: Delegation, *, point_of_order: bool) -> Intervention | None:
    return Intervention.objects.filter(
        delegation=delegation, status=TurnStatus.PENDING, point_of_order=point_of_order
    ).first()


@transaction.atomic
def request_floor(
    delegation: Delegation,
    *,
    point_of_order: bool = False,
    source: str = RequestSource.FLOOR_PAGE,
    by=None,
    now: dt.datetime | None = None,
) -> Intervention:
    """The delegation asks for the floor: a request waiting in the dialogue under way, or a
    point of order, taken at any time in the item under way and given ahead of every other
    speaker. Asking again while a request waits returns the one waiting. Raises
    RequestRefused outside a dialogue (points of order aside), while the list of speakers is
    closed (unless the chair adds the delegation), and once the meeting is concluded."""
    meeting = locked(delegation.meeting)
    if meeting.is_concluded:
        raise RequestRefused(CONCLUDED)
    now_under_way = under_way(meeting)
    already = now_under_way.waiting_pk(delegation, point_of_order=point_of_order)
    if already is not None:
        request = Intervention.objects.get(pk=already)
        request.under_way = now_under_way
        return request
    item = now_under_way.item
    if point_of_order:
        item = item or meeting.agenda.order_by("position").last()
        if item is None:
            raise RequestRefused(NOT_IN_DIALOGUE)
    elif item is None or item.kind != ItemKind.DIALOGUE:
        raise RequestRefused(NOT_IN_DIALOGUE)
    elif not item.accepts_requests and source != RequestSource.CHAIR:
        raise RequestRefused(LIST_CLOSED)
    # Written in bulk, which no signal sees: the meeting's row is locked already (the signal
    # would lock it again) and the version is raised here, once.
    (request,) = Intervention.objects.bulk_create(
        [
            Intervention(
                meeting=meeting,
                item=item,
                position=now_under_way.last_position(item) + 1,
                delegation=delegation,
                point_of_order=point_of_order,
                source=source,
                requested_at=now or timezone.now(),
            )
        ]
    )
    meeting.raise_live_version()
    log_action(
        meeting,
        "floor.point_of_order" if point_of_order else "floor.requested",
        actor=by,
        delegation=delegation.code,
        item=item.position,
        source=source,
    )
    if item == now_under_way.item:
        # What the floor page shows next, without reading the session again.
        request.under_way = dataclasses.replace(
            now_under_way,
            interventions=[
                *now_under_way.interventions,
                (
                    request.pk,
                    item.position,
                    request.position,
                    TurnStatus.PENDING,
                    point_of_order,
                    delegation.pk,
                ),
            ],
        )
    return request


def add_by_chair(meeting: Meeting, delegation: Delegation, *, by) -> Intervention:
    """The chair adds a delegation to the list (a flag raised in the room), even when the list
    is closed to requests from the floor pages."""
    if delegation.meeting_id != meeting.pk:
        raise RequestRefused(NOT_IN_DIALOGUE)
    return request_floor(delegation, source=RequestSource.CHAIR, by=by)


@transaction.atomic
def withdraw_request(delegation: Delegation, *, point_of_order: bool = False, by=None) -> bool:
    """The delegation takes back its waiting request (or point of order). False when none was
    waiting (given the floor meanwhile, or withdrawn from another device)."""
    meeting = locked(delegation.meeting)
    request = waiting(delegation, point_of_order=point_of_order)
    if request is None:
        return False
    request.delete()  # raises the live version (meetings.live.signals)
    log_action(
        meeting,
        "floor.withdrawn",
        actor=by,
        delegation=delegation.code,
        point_of_order=point_of_order,
    )
    return True


@transaction.atomic
def set_list_of_speakers(meeting: Meeting, item: AgendaItem, *, open_: bool, by) -> AgendaItem:
    """Close (or reopen) a dialogue's list of speakers: closed, the floor pages can no longer
    ask (points of order still can, and the chair can still add a delegation)."""
    meeting = locked(meeting)
    if item.meeting_id != meeting.pk or item.kind != ItemKind.DIALOGUE:
        raise clock.NotAllowed("Only a dialogue has a list of speakers.")
    item.refresh_from_db()
    if item.accepts_requests == open_:
        raise clock.NotAllowed("Nothing to change.")
    item.accepts_requests = open_
    item.save(update_fields=["accepts_requests"])
    meeting.raise_live_version()
    log_action(
        meeting, "floor.list_opened" if open_ else "floor.list_closed", actor=by, item=item.position
    )
    return item


def queue(meeting: Meeting) -> list[Intervention]:
    """The requests waiting in the item under way, in the order the floor is given: points of
    order first, then in the order asked."""
    item = item_under_way(meeting)
    if item is None:
        return []
    return list(
        Intervention.objects.filter(item=item)
        .waiting_requests()
        .select_related("delegation__state")
    )


def place_in_queue(delegation: Delegation, requests: list[Intervention]) -> int | None:
    """The delegation's place (1: next) among the waiting requests, or None."""
    for place, request in enumerate(requests, start=1):
        if request.delegation_id == delegation.pk:
            return place
    return None


@transaction.atomic
def ensure_member_delegations(meeting: Meeting) -> list[Delegation]:
    """A delegation, with its link, for every member state of the OAS that the meeting lacks
    (the reference table's states whose status is "member"). Returns those created."""
    have = set(meeting.delegations.values_list("code", flat=True))
    created = []
    for state in MemberState.objects.filter(oas_status=OASStatus.MEMBER).order_by("code"):
        if state.code in have:
            continue
        delegation = Delegation.objects.create(
            meeting=meeting, kind=DelegationKind.MEMBER_STATE, state=state, code=state.code
        )
        issue_link(delegation, log=False)
        created.append(delegation)
    return created
