"""What `make bench` checks and counts in the General Assembly (tests.benchmark.assembly): the
reach of each change to each screen, and the database's word on the requests for the floor
(each delegation that asked once, in the order received), which must catch a request out of
place."""

import math
import time

import pytest

from meetings.models import Intervention, Meeting
from meetings.services import floor
from tests.benchmark import assembly

pytestmark = pytest.mark.django_db


def test_reach_is_the_first_moment_a_screen_showed_the_change_or_a_later_one():
    changes = [(0.0, 3), (1.0, 5), (2.0, 9)]
    seen = {1: 0.5, 3: 0.2, 5: 1.5, 4: 3.0}  # version 4 arrived late from a slower process
    assert assembly.reach(changes, [seen]) == [0.2, 0.5, math.inf]
    assert assembly.reach(changes, [{}]) == [math.inf] * 3


def test_a_percentile_on_a_change_never_shown_has_no_figure():
    assert assembly.percentile([0.1] * 99 + [math.inf], 0.99) == 0.1
    assert assembly.percentile([0.1] * 98 + [math.inf] * 2, 0.99) is None
    assert assembly.percentile([], 0.5) is None


@pytest.fixture
def asked(seeded):
    """The assembly's meeting with every device's request made one after the other (the
    second devices too), each stamped as the bench stamps a press."""
    assembly.prepare()
    ready = assembly.setup()
    for device in ready.devices:
        device.sent = time.perf_counter()
        floor.request_floor(ready.delegations[device.code])
        device.answered = time.perf_counter()
    return ready


def test_requests_made_once_in_order_pass(asked):
    landing = assembly.landing_of(asked)
    assert landing.exactly_once, landing.problems
    assert (landing.devices, landing.asked, landing.landed) == (
        assembly.DEVICES,
        assembly.DEVICES - assembly.ON_TWO_DEVICES,
        assembly.DEVICES - assembly.ON_TWO_DEVICES,
    )
    # Each request is known with the version its commit made: one more each time.
    versions = [version for _at, version in assembly.stamps_of(asked)]
    assert versions == list(range(asked.version + 1, asked.version + 1 + landing.landed))
    assert versions[-1] == Meeting.objects.get(pk=asked.meeting_id).live_version


def test_a_request_placed_before_one_received_earlier_is_caught(asked):
    first, second = Intervention.objects.filter(meeting=asked.meeting_id).order_by("position")[:2]
    Intervention.objects.filter(pk=first.pk).update(position=1000)
    Intervention.objects.filter(pk=second.pk).update(position=first.position)
    Intervention.objects.filter(pk=first.pk).update(position=second.position)
    problems = assembly.landing_of(asked).problems
    assert "positions not in the order of the stamps" in problems
    assert any("placed after one received later" in problem for problem in problems)


def test_a_second_request_of_one_delegation_is_caught(asked):
    last = Intervention.objects.filter(meeting=asked.meeting_id).order_by("position").last()
    Intervention.objects.create(  # the same delegation again, given the floor already
        meeting_id=asked.meeting_id,
        item=last.item,
        position=last.position + 1,
        delegation=last.delegation,
        status="finished",
        requested_at=last.requested_at,
    )
    landing = assembly.landing_of(asked)
    assert not landing.exactly_once
    assert (
        f"{landing.landed} requests for {landing.asked} delegations that asked" in landing.problems
    )
