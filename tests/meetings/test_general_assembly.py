"""A General Assembly's dialogue at scale: 105 delegations (every member state of the reference
table and observers up to that number), a burst of requests for the floor from 100 devices
within one second, and the floor pages' poll of live.json while it happens.

Each device is a thread with its own database connection, as each request of an app server
is: the requests race for the meeting's lock as they do in production. SQLite serialises
writers (each transaction takes the write lock at its start, waiting up to its timeout), so
the same race runs on both databases.
"""

import random
import threading
import time
from dataclasses import dataclass
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext

from mechanisms.models import MemberState, OASStatus
from meetings.models import Delegation, Intervention, ItemKind, Meeting, MeetingLog, TurnStatus
from meetings.services import floor

# The devices' requests commit as in production, each on its own connection.
pytestmark = pytest.mark.django_db(transaction=True)

SLUG = "general-assembly"
DELEGATIONS = 105
DEVICES = 100
ON_TWO_DEVICES = 10  # delegations whose two devices (a phone and a laptop) ask at once
BURST_SECONDS = 1.0


@pytest.fixture
def assembly(seeded) -> Meeting:
    """The meeting at its dialogue, the list of speakers open, nobody asking yet."""
    members = MemberState.objects.filter(oas_status=OASStatus.MEMBER).count()
    call_command(
        "make_demo_meeting",
        *("--slug", SLUG, "--panelists", "2"),
        *("--observers", str(DELEGATIONS - members), "--dialogue"),
        verbosity=0,
    )
    meeting = Meeting.objects.get(slug=SLUG)
    assert meeting.delegations.count() == DELEGATIONS
    return meeting


@dataclass
class Device:
    delegation: Delegation
    offset: float  # seconds into the burst when it sends
    sent: float = 0.0
    answered: float = 0.0
    request_id: int | None = None
    error: str = ""


def devices_of(meeting: Meeting, seed: int = 7) -> list[Device]:
    """DEVICES devices of DEVICES - ON_TWO_DEVICES delegations picked at random, ON_TWO_DEVICES
    of them asking from two devices; each sends at its moment within BURST_SECONDS."""
    rng = random.Random(seed)  # a repeatable draw
    delegations = list(meeting.delegations.select_related("meeting"))
    asking = rng.sample(delegations, DEVICES - ON_TWO_DEVICES)
    twice = asking[:ON_TWO_DEVICES]
    devices = [Device(delegation, rng.random() * BURST_SECONDS) for delegation in asking + twice]
    for first, second in zip(devices[:ON_TWO_DEVICES], devices[-ON_TWO_DEVICES:], strict=True):
        second.offset = first.offset  # the same moment: a double submission
    return devices


def burst(devices: list[Device]) -> None:
    """Every device asks for the floor at its moment, each in its thread with its own
    connection (opened when it asks, closed when answered)."""
    barrier = threading.Barrier(len(devices))

    def ask(device: Device) -> None:
        try:
            barrier.wait()
            time.sleep(device.offset)
            device.sent = time.perf_counter()
            device.request_id = floor.request_floor(device.delegation).pk
        except Exception as error:  # every outcome is reported, errors included
            device.error = f"{type(error).__name__}: {error}"
        finally:
            device.answered = time.perf_counter()
            connection.close()

    close_old_connections()
    threads = [threading.Thread(target=ask, args=(device,)) for device in devices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a device never got an answer"


def assert_landed_once_in_order(meeting: Meeting, devices: list[Device], version_before: int):
    """Each delegation that asked has exactly one request, every device of a delegation was
    given that one, the requests are placed in the order they were received and the queue,
    the live version and the log agree."""
    assert [device.error for device in devices if device.error] == []
    asked = {device.delegation.pk for device in devices}
    requests = list(
        Intervention.objects.filter(meeting=meeting, item__kind=ItemKind.DIALOGUE).order_by(
            "position"
        )
    )
    assert len(requests) == len(asked)
    assert {request.delegation_id for request in requests} == asked
    assert {request.status for request in requests} == {TurnStatus.PENDING}
    by_delegation = {request.delegation_id: request for request in requests}
    for device in devices:
        assert device.request_id == by_delegation[device.delegation.pk].pk
    # Placed in the order received: positions 1, 2, 3... as the requests were stamped, and a
    # request answered before another was sent is ahead of it.
    assert [request.position for request in requests] == list(range(1, len(requests) + 1))
    stamps = [request.requested_at for request in requests]
    assert all(earlier < later for earlier, later in pairwise(stamps))
    place = {
        device.delegation.pk: by_delegation[device.delegation.pk].position for device in devices
    }
    for first in devices:
        for then in devices:
            if first.answered < then.sent and first.delegation != then.delegation:
                assert place[first.delegation.pk] < place[then.delegation.pk]
    # The queue every screen shows is that order; each delegation's place in it is its own.
    queue = floor.queue(meeting)
    assert [request.pk for request in queue] == [request.pk for request in requests]
    for rank, request in enumerate(requests, start=1):
        assert floor.place_in_queue(request.delegation, queue) == rank
    # One new live version and one log entry per request, none for the second devices.
    meeting.refresh_from_db()
    assert meeting.live_version == version_before + len(asked)
    logged = MeetingLog.objects.filter(meeting=meeting, action="floor.requested")
    assert sorted(entry.detail["delegation"] for entry in logged) == sorted(
        request.delegation.code for request in requests
    )


def test_a_burst_of_requests_from_100_devices_lands_each_once_in_the_order_received(assembly):
    devices = devices_of(assembly)
    version_before = Meeting.objects.get(pk=assembly.pk).live_version
    burst(devices)
    assert_landed_once_in_order(assembly, devices, version_before)
    assert len({device.delegation.pk for device in devices}) == DEVICES - ON_TWO_DEVICES


# The floor pages' poll ------------------------------------------------------------------------


def poll(client, etag: str | None = None, language: str = "en"):
    headers = {"If-None-Match": etag} if etag else {}
    return client.get(f"/meetings/{SLUG}/live.json?lang={language}", headers=headers)


def test_the_floor_pages_poll_costs_no_query_until_a_request_changes_the_queue(client, assembly):
    first = poll(client)
    etag = first["ETag"]
    with CaptureQueriesContext(connection) as queries:
        for _ in range(DELEGATIONS):  # every delegation's floor page polls once
            assert poll(client, etag).status_code == 304
    assert len(queries) == 0
    mexico = assembly.delegations.get(code="MX")
    floor.request_floor(mexico)
    changed = poll(client, etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    state = changed.json()
    assert state["version"] == first.json()["version"] + 1
    # Nothing changes again until the next request: polls cost no query once more.
    with CaptureQueriesContext(connection) as queries:
        for _ in range(DELEGATIONS):
            assert poll(client, changed["ETag"]).status_code == 304
    assert len(queries) == 0
