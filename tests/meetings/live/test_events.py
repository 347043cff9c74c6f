"""The live state as server-sent events (meetings.live.events), through its ASGI interface as a
server hands requests over: what a screen receives when it connects, on every change, when it
reconnects, and when the meeting can no longer be followed."""

import asyncio
import json

import pytest
from django.conf import settings as django_settings
from django.db import connection

from meetings.live import events
from meetings.models import MeetingStatus
from meetings.services import live_session
from tests.asgi import http_get
from tests.event_loop import run_async
from tests.factories import before_the_session, make_mechanism, make_meeting, make_panelist

# The streams read committed changes in threads of their own.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def meeting():
    meeting = make_meeting(slug="events-meeting")
    make_panelist(meeting, make_mechanism(slug="rcm", acronym_en="RCM"), name="Ana Pérez")
    make_panelist(meeting, make_mechanism(slug="csm", acronym_en="CSM"), name="Luis Gómez")
    return before_the_session(meeting)


class Stream:
    """One screen's connection to the application."""

    def __init__(self, path="/meetings/events-meeting/events/", *, lang="en", headers=()):
        self.scope = http_get(path, f"lang={lang}".encode())
        self.scope["headers"] = [*self.scope["headers"], *headers]
        self.sent: asyncio.Queue = asyncio.Queue()
        self.gone = asyncio.Event()
        self.asked = False
        self.task = asyncio.create_task(
            events.route(self.django)(self.scope, self.receive, self.sent.put)
        )
        self.buffer = b""

    @staticmethod
    async def django(scope, receive, send):
        raise AssertionError("the streams' path must not reach Django")

    async def receive(self):
        if not self.asked:
            self.asked = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await self.gone.wait()
        return {"type": "http.disconnect"}

    async def start(self) -> dict:
        message = await asyncio.wait_for(self.sent.get(), 5)
        assert message["type"] == "http.response.start"
        return {
            "status": message["status"],
            "headers": {key.decode(): value.decode() for key, value in message["headers"]},
        }

    async def chunk(self, timeout=5.0) -> bytes:
        message = await asyncio.wait_for(self.sent.get(), timeout)
        assert message["type"] == "http.response.body"
        return message["body"]

    async def event(self, timeout=5.0) -> tuple[int, dict]:
        """The next event with data (skipping retry lines and heartbeats)."""
        while b"\n\n" not in self.buffer or b"data: " not in self.buffer.split(b"\n\n")[0]:
            if b"\n\n" in self.buffer:
                self.buffer = self.buffer.split(b"\n\n", 1)[1]
                continue
            self.buffer += await self.chunk(timeout)
        block, self.buffer = self.buffer.split(b"\n\n", 1)
        fields = dict(line.split(b": ", 1) for line in block.split(b"\n"))
        return int(fields[b"id"]), json.loads(fields[b"data"])

    async def close(self):
        self.gone.set()
        await asyncio.wait_for(self.task, 5)


def in_a_thread(function, *arguments, **keywords):
    """Made where a request would make it: in a thread of its own, which then lets go of its
    database connection (the test database is dropped at the end)."""

    def run():
        try:
            return function(*arguments, **keywords)
        finally:
            connection.close()

    return asyncio.to_thread(run)


def act(meeting, action):
    """A console action."""
    return in_a_thread(live_session.perform, meeting, action, by=None)


def test_a_screen_gets_the_live_state_at_once(meeting, client):
    async def scenario():
        stream = Stream(lang="es")
        head = await stream.start()
        version, state = await stream.event()
        await stream.close()
        return head, version, state

    head, version, state = run_async(scenario())
    assert head["status"] == 200, head
    assert head["headers"]["content-type"] == "text/event-stream; charset=utf-8"
    assert head["headers"]["x-accel-buffering"] == "no"
    assert head["headers"]["content-language"] == "es"
    polled = client.get("/meetings/events-meeting/live.json?lang=es").json()
    assert version == polled["version"] == state["version"]
    assert {key: state[key] for key in polled if key != "server_time"} == {
        key: polled[key] for key in polled if key != "server_time"
    }


def test_the_stream_tells_the_screen_how_soon_to_reconnect(meeting):
    async def scenario():
        stream = Stream()
        await stream.start()
        first = await stream.chunk()
        await stream.close()
        return first

    assert run_async(scenario()).startswith(b"retry: 500\n\nid: ")


def test_every_change_reaches_every_screen_in_its_language(meeting):
    async def scenario():
        english, spanish = Stream(lang="en"), Stream(lang="es")
        for stream in (english, spanish):
            await stream.start()
            await stream.event()
        await act(meeting, "start")
        started = [await stream.event() for stream in (english, spanish)]
        await act(meeting, "pause")
        paused = [await stream.event() for stream in (english, spanish)]
        for stream in (english, spanish):
            await stream.close()
        return started, paused

    started, paused = run_async(scenario())
    meeting.refresh_from_db()
    assert [state["state"] for _version, state in started] == ["running", "running"]
    assert [state["state"] for _version, state in paused] == ["paused", "paused"]
    assert paused[0][0] == paused[1][0] == meeting.live_version
    assert started[0][0] < paused[0][0]
    assert started[0][1]["speaker"]["name"] == started[1][1]["speaker"]["name"] == "Ana Pérez"


def test_a_screen_reconnecting_with_the_current_version_is_sent_nothing_until_a_change(meeting):
    async def scenario():
        current = str(meeting.live_version).encode()
        stream = Stream(headers=[(b"last-event-id", current)])
        await stream.start()
        first = await stream.chunk()
        await act(meeting, "start")
        version, state = await stream.event()
        await stream.close()
        return first, version, state

    first, version, state = run_async(scenario())
    assert first == b"retry: 500\n\n"
    assert version == meeting.live_version + 1
    assert state["state"] == "running"


def test_a_screen_reconnecting_after_a_change_it_missed_gets_the_new_state_at_once(meeting):
    old = meeting.live_version
    live_session.perform(meeting, "start", by=None)

    async def scenario():
        stream = Stream(headers=[(b"last-event-id", str(old).encode())])
        await stream.start()
        version, state = await stream.event()
        await stream.close()
        return version, state

    version, state = run_async(scenario())
    assert version > old
    assert state["state"] == "running"


def test_a_quiet_stream_sends_a_heartbeat(meeting, monkeypatch):
    monkeypatch.setattr(events, "HEARTBEAT_SECONDS", 0.05)

    async def scenario():
        stream = Stream()
        await stream.start()
        await stream.event()
        heartbeat = await stream.chunk()
        await stream.close()
        return heartbeat

    assert run_async(scenario()) == b": heartbeat\n\n"


@pytest.mark.parametrize(
    "path", ["/meetings/no-such-meeting/events/", "/meetings/draft-meeting/events/"]
)
def test_an_unknown_or_draft_meeting_has_no_stream(meeting, path):
    make_meeting(slug="draft-meeting", status=MeetingStatus.DRAFT)

    async def scenario():
        stream = Stream(path)
        head = await stream.start()
        await stream.close()
        return head["status"]

    assert run_async(scenario()) == 404


def test_a_meeting_unpublished_while_followed_ends_its_streams(meeting):
    async def scenario():
        stream = Stream()
        await stream.start()
        await stream.event()
        meeting.status = MeetingStatus.DRAFT
        await in_a_thread(meeting.save)
        ending = await stream.chunk()
        await asyncio.wait_for(stream.task, 5)
        return ending

    assert run_async(scenario()) == b""


def test_a_request_for_another_host_is_refused(meeting):
    async def scenario():
        stream = Stream(headers=[])
        stream.scope["headers"] = [(b"host", b"evil.example")]
        sent = asyncio.Queue()
        await events.route(Stream.django)(stream.scope, stream.receive, sent.put)
        await stream.close()
        return (await sent.get())["status"]

    assert run_async(scenario()) == 400


def test_a_screen_that_goes_away_is_forgotten(meeting):
    async def scenario():
        streams = [Stream() for _ in range(3)]
        for stream in streams:
            await stream.start()
            await stream.event()
        followed = len(events.hub.watches["events-meeting"].screens)
        for stream in streams:
            await stream.close()
        return followed, dict(events.hub.watches)

    followed, watches = run_async(scenario())
    assert followed == 3
    assert watches == {}


def test_a_thousand_screens_cost_one_reading_of_each_change(meeting, monkeypatch):
    readings = []
    original = events.read_state

    def counted(*arguments):
        readings.append(arguments[0])
        return original(*arguments)

    monkeypatch.setattr(events, "read_state", counted)
    # Only the change: not the readings every few seconds that make up for a lost message.
    monkeypatch.setattr(events, "RECHECK_SECONDS", 600)
    monkeypatch.setattr(events, "RECHECK_SECONDS_WITHOUT_REDIS", 600)

    async def scenario():
        streams = [Stream() for _ in range(1000)]
        for stream in streams:
            await stream.start()
            await stream.event()
        readings.clear()
        await act(meeting, "start")
        versions = {(await stream.event())[0] for stream in streams}
        for stream in streams:
            await stream.close()
        return versions

    versions = run_async(scenario())
    assert versions == {meeting.live_version + 1}
    assert readings == ["events-meeting"]


@pytest.mark.skipif(
    "redis" not in django_settings.CACHES["default"]["BACKEND"].lower(),
    reason="announced through Redis only where REDIS_URL is set (CI's PostgreSQL and Redis run)",
)
def test_with_redis_a_change_is_heard_through_the_subscription(meeting, monkeypatch):
    """Not by reading the state again every few seconds: that is pushed back here."""
    monkeypatch.setattr(events, "RECHECK_SECONDS", 60)

    async def scenario():
        stream = Stream()
        await stream.start()
        await stream.event()
        await asyncio.sleep(0.2)  # subscribed
        await act(meeting, "start")
        _version, state = await stream.event(timeout=2)
        await stream.close()
        return state

    assert run_async(scenario())["state"] == "running"
