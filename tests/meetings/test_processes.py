"""Several production app processes on one database and one Redis (README, "Running in production":
any number of processes behind a load balancer): one clock for all of them, a restart or a second
process mid-turn changes nothing, a worker killed mid-request leaves no half-done action, and a full
round under 500 displays with faults applies every console action exactly once.

The processes are gunicorn with config/gunicorn.py, started by tests.benchmark.server as
README's production section runs them, on this test's own database and Redis.
"""

import asyncio
import datetime as dt
import json
import os
import signal
import time
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from meetings.domain.clock import CURRENT
from meetings.models import MeetingLog, Turn
from meetings.roles import SECRETARIAT
from tests.benchmark.client import Connection, ProtocolError, Tally, chunks, display, read_head
from tests.benchmark.consoles import HttpConsole, console_headers, form
from tests.benchmark.server import app_server, asgi_server
from tests.event_loop import run_async
from tests.factories import (
    before_the_session,
    make_mechanism,
    make_meeting,
    make_panelist,
    make_user,
)

# The app processes read what this test writes: it must be committed.
pytestmark = pytest.mark.django_db(transaction=True)

SPEAKERS = ["Ana Pérez", "Luis Gómez", "Marie Dupont", "João Silva"]


@pytest.fixture
def shared_environment() -> dict[str, str]:
    """What app processes need to share this test's database and cache."""
    cache = settings.CACHES["default"]
    if "redis" not in cache["BACKEND"].lower():
        pytest.skip(
            "several app processes share the live state through Redis: run with REDIS_URL "
            "(CI's PostgreSQL and Redis run does)"
        )
    return {"DATABASE_URL": database_url(), "REDIS_URL": cache["LOCATION"], "EMAIL_URL": "dummy:"}


def database_url() -> str:
    """This test's database, as DATABASE_URL tells an app process."""
    database = connection.settings_dict
    if connection.vendor == "postgresql":
        user = quote(database["USER"] or "", safe="")
        password = f":{quote(database['PASSWORD'], safe='')}" if database["PASSWORD"] else ""
        host = database["HOST"] or "127.0.0.1"
        port = database["PORT"] or 5432
        return f"postgres://{user}{password}@{host}:{port}/{database['NAME']}"
    return f"sqlite:///{database['NAME']}"


@pytest.fixture
def meeting():
    meeting = make_meeting(slug="many-processes")
    for number, name in enumerate(SPEAKERS, start=1):
        make_panelist(
            meeting, make_mechanism(slug=f"m{number}", acronym_en=f"M{number}"), name=name
        )
    return before_the_session(meeting)


@pytest.fixture
def headers():
    return console_headers(make_user(SECRETARIAT))


def live_path(meeting) -> str:
    return f"/meetings/{meeting.slug}/live.json"


async def live_state(server, meeting) -> dict:
    connection_ = Connection(server.host, server.port)
    try:
        answer = await connection_.request("GET", live_path(meeting))
    finally:
        await connection_.close()
    assert answer.status == 200, answer.status
    return json.loads(answer.body)


async def wait_for_state(server, meeting, predicate, timeout: float = 3.0) -> tuple[dict, float]:
    started = time.perf_counter()
    while True:
        state = await live_state(server, meeting)
        if predicate(state):
            return state, time.perf_counter() - started
        if time.perf_counter() - started > timeout:
            raise AssertionError(f"state never came: {state}")
        await asyncio.sleep(0.02)


async def act_once(server, meeting, headers, action: str) -> bool:
    console = HttpConsole(server.host, server.port, meeting.slug, headers)
    try:
        return await console.act(action)
    finally:
        await console.close()


def console_log(meeting) -> list[MeetingLog]:
    return list(
        MeetingLog.objects.filter(meeting=meeting, action__startswith="clock.").order_by("pk")
    )


def assert_whole_actions(meeting, first_version: int) -> list[MeetingLog]:
    """Every action landed whole: one log entry and one version each, in order, and never two
    speakers at once."""
    entries = console_log(meeting)
    meeting.refresh_from_db()
    assert [entry.detail["version"] for entry in entries] == list(
        range(first_version + 1, meeting.live_version + 1)
    )
    assert Turn.objects.filter(meeting=meeting, status__in=CURRENT).count() <= 1
    return entries


def test_two_processes_show_one_clock_and_a_double_press_moves_on_once(
    shared_environment, meeting, headers
):
    async def scenario(a, b):
        chair, secretary = (
            HttpConsole(a.host, a.port, meeting.slug, headers),
            HttpConsole(b.host, b.port, meeting.slug, headers),
        )
        assert await chair.act("start")
        state, waited = await wait_for_state(b, meeting, lambda s: s["state"] == "running")
        assert waited < 1.0, "the other process saw the start late"
        assert state["speaker"]["name"] == SPEAKERS[0]
        # Both consoles saw the same state and press "Next speaker" at the same moment.
        await asyncio.gather(chair.reload(), secretary.reload())
        await asyncio.gather(chair.act("next"), secretary.act("next"))
        on_a, _ = await wait_for_state(a, meeting, lambda s: s["speaker"]["name"] == SPEAKERS[1])
        on_b, _ = await wait_for_state(b, meeting, lambda s: s["speaker"]["name"] == SPEAKERS[1])
        assert on_a["version"] == on_b["version"]
        # The console that lost the race is shown the meeting as it is now, ready for its
        # next press (not the state it read before the other's action, which would refuse
        # that press too).
        assert chair.version == secretary.version == on_a["version"]
        assert abs(on_a["remaining_seconds"] - on_b["remaining_seconds"]) < 1.0
        await chair.close()
        await secretary.close()

    with (
        app_server(shared_environment, workers=1) as a,
        app_server(shared_environment, workers=1) as b,
    ):
        run_async(scenario(a, b))
    actions = [entry.action for entry in assert_whole_actions(meeting, 0)]
    assert actions == ["clock.start", "clock.next"]


def test_a_restart_mid_turn_changes_nothing(shared_environment, meeting, headers):
    with app_server(shared_environment, workers=1) as first:
        assert run_async(act_once(first, meeting, headers, "start"))
        before = run_async(live_state(first, meeting))
    time.sleep(1.0)  # no process is running; the turn goes on
    with app_server(shared_environment, workers=1) as second:
        after = run_async(live_state(second, meeting))
    assert after["state"] == "running"
    assert after["speaker"] == before["speaker"]
    assert after["version"] == before["version"]
    # The clock went on while no process ran: it lives in the database, not in a process.
    between = dt.datetime.fromisoformat(after["server_time"]) - dt.datetime.fromisoformat(
        before["server_time"]
    )
    assert between.total_seconds() > 1.0
    assert before["remaining_seconds"] - after["remaining_seconds"] == pytest.approx(
        between.total_seconds(), abs=0.15
    )


def test_a_worker_killed_mid_request_leaves_no_half_done_action(
    shared_environment, meeting, headers
):
    """Sixty "add a minute" at once, and the worker handling them killed in the middle: each
    one landed whole (turn, version and log entry) or not at all."""

    async def press(server, outcomes: list):
        connection_ = Connection(server.host, server.port)
        try:
            answer = await connection_.request(
                "POST",
                f"/meetings/{meeting.slug}/console/action/",
                **form({"action": "add_minute"}, headers),
            )
            outcomes.append(answer.status)
        except (OSError, asyncio.IncompleteReadError, ProtocolError) as error:
            outcomes.append(type(error).__name__)
        finally:
            await connection_.close()

    async def scenario(server) -> list:
        outcomes: list = []
        presses = [asyncio.create_task(press(server, outcomes)) for _ in range(60)]
        while not any(outcome == 200 for outcome in outcomes):
            await asyncio.sleep(0.005)
        for pid in server.worker_pids():
            os.kill(pid, signal.SIGKILL)
        await asyncio.gather(*presses)
        return outcomes

    with app_server(shared_environment, workers=1, threads=8) as server:
        assert run_async(act_once(server, meeting, headers, "start"))
        outcomes = run_async(scenario(server))
    answered = outcomes.count(200)
    assert 0 < answered < 60, outcomes  # the kill came mid-way
    entries = assert_whole_actions(meeting, 0)
    minutes = [entry for entry in entries if entry.action == "clock.add_minute"]
    assert len(minutes) >= answered  # every answered press landed; some unanswered did too
    turn = Turn.objects.get(meeting=meeting, status__in=CURRENT)
    assert turn.added_seconds == 60 * len(minutes)


def test_a_full_round_under_500_displays_and_faults_applies_each_action_once(
    shared_environment, meeting, headers
):
    """Two app processes, 500 displays polling both, the chair's console running the whole of
    round 1 (start, a minute added, pause, resume, next speaker...) with the secretariat's
    console pressing the same button at the same moment on every third step, while the
    chair's process has its worker killed and the database drops every connection. Every
    action meant lands exactly once; every display ends on the final state."""
    script = ["start", "add_minute", "pause", "resume", "next"] * len(SPEAKERS)
    test_connection = backend_pid()  # the coroutines below open a connection of their own

    async def run(a, b) -> tuple[Tally, list[str], HttpConsole, list[int | None]]:
        tally = Tally(started=time.perf_counter())
        until = tally.started + 120
        last_seen: list[int | None] = [None] * 500
        done = asyncio.Event()

        def watcher(index: int):
            def seen(body: bytes) -> None:
                last_seen[index] = json.loads(body)["version"]

            return seen

        async def one_display(index: int):
            server = (a, b)[index % 2]
            polling = asyncio.create_task(
                display(
                    server.host,
                    server.port,
                    live_path(meeting),
                    interval=0.5,
                    until=until,
                    tally=tally,
                    on_state=watcher(index),
                )
            )
            await done.wait()
            await asyncio.sleep(1.5)  # time for the last state to reach every display
            polling.cancel()

        async def consoles() -> tuple[HttpConsole, list[str]]:
            # The chair on one process; every third press, the secretariat presses the same
            # button at the same moment on the other (both having seen the same state).
            chair = HttpConsole(a.host, a.port, meeting.slug, headers)
            secretary = HttpConsole(b.host, b.port, meeting.slug, headers)
            await asyncio.sleep(1.0)
            meant = []
            for step, action in enumerate(script):
                if step == len(script) // 3:
                    for pid in a.worker_pids():
                        os.kill(pid, signal.SIGKILL)  # the chair's process crashes
                if step == 2 * len(script) // 3:
                    drop_database_connections(keep=test_connection)
                if step % 3 == 2 and chair.version is not None:
                    secretary.version = chair.version
                    landed = await asyncio.gather(chair.act(action), secretary.act(action))
                    assert all(landed), action
                    chair.version = secretary.version = max(chair.version, secretary.version)
                else:
                    assert await chair.act(action), action
                meant.append(action)
                await asyncio.sleep(0.15)
            done.set()
            await secretary.close()
            return chair, meant

        *_displays, (chair, meant) = await asyncio.gather(
            *(one_display(index) for index in range(500)), consoles()
        )
        tally.finished = time.perf_counter()
        await chair.close()
        return tally, meant, chair, last_seen

    with (
        app_server(shared_environment, workers=1, threads=8) as a,
        app_server(shared_environment, workers=1, threads=8) as b,
    ):
        tally, meant, chair, last_seen = run_async(run(a, b))

    print(  # the figures for SECURITY.md: pytest -s shows them
        f"{tally.requests} display requests ({tally.per_second:.0f}/s), "
        f"{tally.error_count} errors {tally.errors} {tally.statuses}, "
        f"p99 {tally.percentile(0.99) * 1000:.0f} ms; console: {len(meant)} actions, "
        f"{chair.failures} failed attempts retried"
    )
    entries = assert_whole_actions(meeting, 0)
    assert [entry.action.removeprefix("clock.") for entry in entries] == meant
    finished = Turn.objects.filter(meeting=meeting, round__number=1, status="finished")
    assert finished.count() == len(SPEAKERS)
    assert chair.failures >= 1, "the faults never touched the console"
    assert tally.requests >= 500 * 4  # every display kept polling through the round
    # The 250 displays on the crashed process lost their connection once; all caught up.
    assert tally.error_count <= 500
    assert set(last_seen) == {meeting.live_version}


def test_two_app_processes_and_two_events_processes_bring_every_change_to_every_stream_once(
    shared_environment, meeting, headers
):
    """The console acts through one app process, then the other; screens hold streams from
    two events processes. Each change is announced once on Redis and reaches every stream,
    once and in order, whichever process made it and whichever serves the screen."""
    streams_per_server = 3
    actions = ["start", "pause", "resume", "next", "start"]

    async def scenario(apps, event_servers):
        seen: list[list[int]] = [[] for _ in range(streams_per_server * len(event_servers))]
        path = f"/meetings/{meeting.slug}/events/?lang=en"
        screens = [
            asyncio.create_task(follow(server, path, seen[number * streams_per_server + index]))
            for number, server in enumerate(event_servers)
            for index in range(streams_per_server)
        ]
        first = meeting.live_version
        async with asyncio.timeout(10):
            while not all(versions == [first] for versions in seen):
                await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)  # every process has subscribed
        for number, action in enumerate(actions):
            app = apps[number % len(apps)]
            assert await act_once(app, meeting, headers, action), action
            wanted = first + number + 1
            async with asyncio.timeout(2):
                while any(versions[-1] != wanted for versions in seen):
                    await asyncio.sleep(0.01)
        for screen in screens:
            screen.cancel()
        results = await asyncio.gather(*screens, return_exceptions=True)
        return seen, [
            result for result in results if not isinstance(result, asyncio.CancelledError)
        ]

    with (
        app_server(shared_environment, workers=1, threads=4) as app_a,
        app_server(shared_environment, workers=1, threads=4) as app_b,
        asgi_server(shared_environment, workers=1) as events_a,
        asgi_server(shared_environment, workers=1) as events_b,
    ):
        seen, failures = run_async(scenario([app_a, app_b], [events_a, events_b]))

    first = meeting.live_version
    meeting.refresh_from_db()
    expected = list(range(meeting.live_version - len(actions), meeting.live_version + 1))
    assert seen == [expected] * (streams_per_server * 2)
    assert failures == []
    assert first == expected[0]


async def follow(server, path: str, versions: list[int]) -> None:
    """A screen's stream: the version of each event it receives, in order."""
    reader, writer = await asyncio.open_connection(server.host, server.port)
    try:
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {server.host}\r\n\r\n".encode())
        status, headers = await read_head(reader)
        assert status == 200, status
        assert headers["transfer-encoding"] == "chunked"
        buffer = b""
        async for chunk in chunks(reader):
            buffer += chunk
            while b"\n\n" in buffer:
                event, buffer = buffer.split(b"\n\n", 1)
                for line in event.split(b"\n"):
                    if line.startswith(b"data: "):
                        versions.append(json.loads(line[6:])["version"])
    finally:
        writer.close()


def drop_database_connections(keep: int | None) -> None:
    """A database failover in miniature: every connection to the test database is cut but
    this test's own (PostgreSQL); the app processes must reconnect."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() AND pid <> %s",
            [keep or 0],
        )
    connection.close()  # this coroutine's own connection: the database is dropped after the tests


def backend_pid() -> int | None:
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]
