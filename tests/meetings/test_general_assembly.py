"""A General Assembly's dialogue at scale: 105 delegations (every member state of the reference
table and observers up to that number), a burst of requests for the floor from 100 devices
within one second, and the floor pages' poll of live.json while it happens.

The devices press Request the floor on their floor pages (POST /floor/<token>/act/ as the
page's htmx sends it) against a live server in this process, each on its own connection. The
server handles as many requests at once as production's gunicorn (2 workers x 8 threads), each
in its thread with its own database connection, the others waiting in its listen queue: the
requests race for the meeting's lock as they do in production. SQLite serialises writers (each
transaction takes the write lock at its start, waiting up to its timeout), so the same race
runs on both databases.
"""

import http.client
import random
import threading
import time
from dataclasses import dataclass
from itertools import pairwise

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management import call_command
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection
from django.test.testcases import LiveServerThread
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.crypto import get_random_string

from mechanisms.models import MemberState, OASStatus
from meetings.models import Delegation, Intervention, ItemKind, Meeting, MeetingLog, TurnStatus
from meetings.services import floor
from meetings.services.links import link_token

# The devices' requests commit as in production, each on its own connection.
pytestmark = pytest.mark.django_db(transaction=True)

SLUG = "general-assembly"
DELEGATIONS = 105
DEVICES = 100
ON_TWO_DEVICES = 10  # delegations whose two devices (a phone and a laptop) ask at once
BURST_SECONDS = 1.0
SERVER_THREADS = 16  # production's gunicorn: 2 workers x 8 threads


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


class ProductionSizedServer(ThreadedWSGIServer):
    """At most SERVER_THREADS requests at once; the others wait to be accepted, as on a
    production server with that many threads."""

    request_queue_size = 2 * DEVICES  # no device is refused at the door

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.threads = threading.BoundedSemaphore(SERVER_THREADS)

    def process_request(self, request, client_address):
        self.threads.acquire()
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.threads.release()


class ServerThread(LiveServerThread):
    server_class = ProductionSizedServer


@pytest.fixture
def server():
    thread = ServerThread("127.0.0.1", StaticFilesHandler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield thread
    thread.terminate()


@dataclass
class Device:
    delegation: Delegation
    offset: float  # seconds into the burst when it presses the button
    sent: float = 0.0
    answered: float = 0.0
    status: int | None = None
    error: str = ""


def devices_of(meeting: Meeting, seed: int = 7) -> list[Device]:
    """DEVICES devices of DEVICES - ON_TWO_DEVICES delegations picked at random, ON_TWO_DEVICES
    of them asking from two devices; each presses at its moment within BURST_SECONDS."""
    rng = random.Random(seed)  # a repeatable draw
    delegations = list(meeting.delegations.all())
    asking = rng.sample(delegations, DEVICES - ON_TWO_DEVICES)
    devices = [Device(delegation, rng.random() * BURST_SECONDS) for delegation in asking]
    # The second devices press at the same moment as the first: a double submission.
    return devices + [Device(d.delegation, d.offset) for d in devices[:ON_TWO_DEVICES]]


def burst(server, devices: list[Device]) -> None:
    """Every device presses Request the floor at its moment, in its own thread and
    connection, as the floor page's htmx sends it (the CSRF cookie and its header)."""
    paths = {
        device.delegation.pk: reverse("floor:act", args=[link_token(device.delegation)])
        for device in devices
    }
    barrier = threading.Barrier(len(devices))

    def press(device: Device) -> None:
        csrf = get_random_string(32)
        browser = http.client.HTTPConnection(server.host, server.port, timeout=60)
        try:
            barrier.wait()
            time.sleep(device.offset)
            device.sent = time.perf_counter()
            browser.request(
                "POST",
                paths[device.delegation.pk],
                body="action=request",
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": f"csrftoken={csrf}",
                    "X-CSRFToken": csrf,
                    "HX-Request": "true",
                },
            )
            answer = browser.getresponse()
            answer.read()
            device.status = answer.status
        except Exception as error:  # every outcome is reported, errors included
            device.error = f"{type(error).__name__}: {error}"
        finally:
            device.answered = time.perf_counter()
            browser.close()

    threads = [threading.Thread(target=press, args=(device,)) for device in devices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    assert not any(thread.is_alive() for thread in threads), "a device never got an answer"


def assert_landed_once_in_order(meeting: Meeting, devices: list[Device], version_before: int):
    """Each delegation that asked has exactly one request, the requests are placed in the
    order they were received, and the queue, the live version and the log agree."""
    assert [device.error for device in devices if device.error] == []
    assert {device.status for device in devices} == {200}
    asked = {device.delegation.pk for device in devices}
    requests = list(
        Intervention.objects.filter(meeting=meeting, item__kind=ItemKind.DIALOGUE).order_by(
            "position"
        )
    )
    assert len(requests) == len(asked)
    assert {request.delegation_id for request in requests} == asked
    assert {request.status for request in requests} == {TurnStatus.PENDING}
    # Placed in the order received: positions 1, 2, 3... as the requests were stamped. A
    # delegation's request exists before any of its devices is answered and is made after one
    # of them sent: a delegation answered before another sent anything is ahead of it.
    assert [request.position for request in requests] == list(range(1, len(requests) + 1))
    stamps = [request.requested_at for request in requests]
    assert all(earlier < later for earlier, later in pairwise(stamps))
    place = {request.delegation_id: request.position for request in requests}
    sent = {pk: min(d.sent for d in devices if d.delegation.pk == pk) for pk in asked}
    answered = {pk: min(d.answered for d in devices if d.delegation.pk == pk) for pk in asked}
    for first in asked:
        for then in asked:
            if answered[first] < sent[then]:
                assert place[first] < place[then]
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


def test_a_burst_of_requests_from_100_devices_lands_each_once_in_the_order_received(
    assembly, server, client
):
    devices = devices_of(assembly)
    version_before = Meeting.objects.get(pk=assembly.pk).live_version
    burst(server, devices)
    assert_landed_once_in_order(assembly, devices, version_before)
    assert len({device.delegation.pk for device in devices}) == DEVICES - ON_TWO_DEVICES
    # The floor pages' next poll shows the whole queue, in that order.
    state = poll(client).json()
    order = [request.delegation.code for request in floor.queue(assembly)]
    assert (state["queue"], state["queue_order"]) == (len(order), order)


# The floor pages' poll ------------------------------------------------------------------------


def poll(client, etag: str | None = None, language: str = "en"):
    headers = {"If-None-Match": etag} if etag else {}
    return client.get(f"/meetings/{SLUG}/live.json?lang={language}", headers=headers)


def ask_for_the_floor(client, delegation: Delegation) -> None:
    path = reverse("floor:act", args=[link_token(delegation)])
    assert (
        client.post(path, {"action": "request"}, headers={"HX-Request": "true"}).status_code == 200
    )


def test_the_floor_pages_poll_costs_no_query_until_a_request_changes_the_queue(client, assembly):
    """The floor pages poll live.json in their readers' languages: while nothing changes no
    poll asks the database; a request for the floor changes every language's ETag, and the
    next poll shows the queue."""
    languages = ("en", "es", "fr", "pt")
    first = {language: poll(client, language=language) for language in languages}
    assert (first["en"].json()["queue"], first["en"].json()["queue_order"]) == (0, [])
    etags = {language: answer["ETag"] for language, answer in first.items()}
    for code, order in ((None, []), ("MX", ["MX"]), ("CA", ["MX", "CA"])):
        if code is not None:
            ask_for_the_floor(client, assembly.delegations.get(code=code))
            for language in languages:
                changed = poll(client, etags[language], language)
                assert changed.status_code == 200
                assert changed["ETag"] != etags[language]
                state = changed.json()
                assert (state["queue"], state["queue_order"]) == (len(order), order)
                etags[language] = changed["ETag"]
        # Nothing changes until the next request: every delegation's page polls at no cost.
        with CaptureQueriesContext(connection) as queries:
            for number in range(DELEGATIONS):
                language = languages[number % len(languages)]
                assert poll(client, etags[language], language).status_code == 304
        assert len(queries) == 0
