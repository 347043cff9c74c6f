"""make_demo_meeting: the demo meeting run to the end, and the General Assembly's (every member
state and the observers asked for, each with a floor link, and a dialogue after the rounds)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mechanisms.models import MemberState, OASStatus
from meetings.models import DelegationKind, ItemKind, Meeting, MeetingStatus
from meetings.services import floor
from meetings.services.links import link_token


def make(slug: str, *arguments: str) -> Meeting:
    call_command("make_demo_meeting", "--slug", slug, *arguments, stdout=io.StringIO())
    return Meeting.objects.get(slug=slug)


def test_without_delegations_the_meeting_is_run_to_the_end_as_before(seeded):
    meeting = make("demo", "--panelists", "3")
    assert meeting.is_concluded
    assert not meeting.delegations.exists()
    assert [item.kind for item in meeting.agenda.order_by("position")] == [ItemKind.ROUND] * 2


def test_observers_join_every_member_state_each_with_a_floor_link(seeded):
    meeting = make("assembly", "--panelists", "2", "--observers", "5")
    members = MemberState.objects.filter(oas_status=OASStatus.MEMBER).count()
    delegations = list(meeting.delegations.all())
    kinds = [delegation.kind for delegation in delegations]
    assert kinds.count(DelegationKind.MEMBER_STATE) == members
    assert sorted(d.code for d in delegations if d.kind == DelegationKind.OBSERVER) == [
        "OB1",
        "OB2",
        "OB3",
        "OB4",
        "OB5",
    ]
    assert all(link_token(delegation) for delegation in delegations)
    assert all(delegation.is_present for delegation in delegations)
    # Run to the end: the dialogue is on the agenda, over.
    dialogue = meeting.agenda.get(kind=ItemKind.DIALOGUE)
    assert dialogue.is_closed
    assert meeting.is_concluded
    assert floor.open_dialogue(meeting) is None


def test_stopped_at_the_dialogue_the_floor_can_be_asked_for(seeded):
    meeting = make("assembly", "--panelists", "2", "--observers", "3", "--dialogue")
    assert meeting.status == MeetingStatus.IN_PROGRESS
    dialogue = floor.open_dialogue(meeting)
    assert dialogue is not None and dialogue.accepts_requests
    assert dialogue.position == 3  # after the two rounds
    observer = meeting.delegations.get(code="OB2")
    request = floor.request_floor(observer)
    assert [waiting.delegation for waiting in floor.queue(meeting)] == [observer]
    assert request.item == dialogue


def test_negative_observers_are_refused(seeded):
    with pytest.raises(CommandError, match="cannot be negative"):
        make("assembly", "--observers", "-1")
    assert not Meeting.objects.filter(slug="assembly").exists()
