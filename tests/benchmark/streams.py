"""Thousands of screens kept in step, for `make bench`: event streams at 200, 1,000 and 5,000
screens and polling at 5,000, while a console acts; and a restart of the events server while
the screens hold their streams.

The production layout on loopback: uvicorn serving `config.asgi:application` for the event
streams, gunicorn beside it for everything else. The console acts through gunicorn, so each
change reaches the events server the way it does in production, across processes. The screens
live in CROWD_PROCESSES separate load processes (tests.benchmark.crowd), so that the load
generator does not share one core's event loop with 5,000 screens.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.benchmark.client import Connection, Tally
from tests.benchmark.consoles import form, version_in
from tests.benchmark.resources import Sampler, Usage, cpu_seconds
from tests.benchmark.server import PROJECT, Server, free_port, stop, wait_until_up

CROWD_PROCESSES = 2
ACTION_EVERY = 2.5  # seconds between console actions
ACTIONS = 5  # per scenario
POLL_SECONDS = 0.5  # as static/js/live-clock.js polls
RETRY_SECONDS = 1.0  # the client's own retry when the server names none
STREAMS = (200, 1000, 5000)
POLLERS = 5000
RESTART_SCREENS = 5000
SETTLE_SECONDS = 10.0  # after the last action, at most this long for every screen to have it


def machine_cpu() -> tuple[float, float]:
    """CPU seconds busy and in all since boot, summed over the cores (/proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    ticks = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + fields[4]  # idle and iowait
    return (sum(fields) - idle) / ticks, sum(fields) / ticks


def start_seconds(count: int) -> float:
    """Over how long the screens open their first connection: screens do not start in
    lockstep (a hall's displays are switched on over seconds, not in one millisecond)."""
    return max(0.5, count / 2500)


class CrowdError(Exception):
    """A load process failed: the message says how."""


@dataclass
class Outcome:
    """What the screens of a scenario saw, gathered from every load process."""

    seen: list[dict[int, float]]
    tally: Tally
    reconnects: int = 0
    refused: int = 0

    @classmethod
    def gather(cls, results: list[dict]) -> Outcome:
        tally = Tally()
        outcome = cls([], tally)
        for result in results:
            outcome.seen += [{int(v): t for v, t in seen} for seen in result["seen"]]
            tally.latencies += result["latencies"]
            for status, n in result["statuses"].items():
                tally.statuses[int(status)] = tally.statuses.get(int(status), 0) + n
            for reason, n in result["errors"].items():
                tally.errors[reason] = tally.errors.get(reason, 0) + n
            outcome.reconnects += result["reconnects"]
            outcome.refused += result["refused"]
        return outcome

    def first_seen(self, version: int) -> list[float | None]:
        """For each screen, when it first showed this version or a later one."""
        return [
            min((t for v, t in seen.items() if v >= version), default=None) for seen in self.seen
        ]


class Crowd:
    """`processes` load processes sharing `count` screens."""

    def __init__(
        self,
        port: int,
        path: str | list[str],
        mode: str,
        count: int,
        *,
        limit: float,
        processes: int = CROWD_PROCESSES,
    ) -> None:
        self.port, self.mode, self.count = port, mode, count
        self.paths = [path] if isinstance(path, str) else path  # each screen the next in turn
        self.shares = processes
        self.until = time.monotonic() + limit  # a safety stop; stop() ends them earlier
        self.processes: list[asyncio.subprocess.Process] = []
        self.started = 0.0
        self.ready_at: float | None = None
        self.cpu = 0.0  # the load processes' CPU seconds, until told to stop

    async def __aenter__(self) -> Crowd:
        shares = [self.count // self.shares] * self.shares
        shares[0] += self.count - sum(shares)
        self.started = time.monotonic()
        for share in shares:
            if not share:
                continue
            self.processes.append(
                await asyncio.create_subprocess_exec(
                    *(sys.executable, "-m", "tests.benchmark.crowd"),
                    *("--port", str(self.port), "--mode", self.mode, "--path", *self.paths),
                    *("--count", str(share), "--until", repr(self.until)),
                    *("--spread", str(start_seconds(self.count))),
                    *("--interval", str(POLL_SECONDS), "--retry", str(RETRY_SECONDS)),
                    cwd=PROJECT,
                    stdin=asyncio.subprocess.PIPE,
                    stdout=asyncio.subprocess.PIPE,
                    env={**os.environ, "PYTHONPATH": str(PROJECT)},
                    limit=2**28,  # the last line holds every screen's versions
                )
            )
        return self

    async def __aexit__(self, *exc) -> None:
        for process in self.processes:
            if process.returncode is None:
                process.kill()
                await process.wait()

    async def ready(self, timeout: float) -> float | None:
        """Seconds from the start until every screen had its first state (None: not within
        `timeout`)."""
        try:
            async with asyncio.timeout(timeout):
                for process in self.processes:
                    line = await process.stdout.readline()
                    if line.strip() != b"ready":
                        raise CrowdError(f"A load process said {line[:200]!r}.")
        except TimeoutError:
            return None
        self.ready_at = time.monotonic()
        return self.ready_at - self.started

    async def stop(self, version: int | None = None, wait: float = 0.0) -> Outcome:
        """Their results, once every screen has `version` (or `wait` seconds at most)."""
        results = []
        self.cpu = sum(cpu_seconds(process.pid) or 0.0 for process in self.processes)
        order = b"stop\n" if version is None else f"stop {version} {wait}\n".encode()
        for process in self.processes:
            process.stdin.write(order)
            await process.stdin.drain()
        for process in self.processes:
            line = b""
            while not line.startswith(b"{"):
                line = await process.stdout.readline()
                if not line:
                    raise CrowdError("A load process ended without its results.")
            results.append(json.loads(line))
            await process.wait()
        return Outcome.gather(results)


@dataclass
class Action:
    sent: float
    answered: float
    version: int


class Console:
    """A signed-in console on gunicorn setting a message, as the chair's console does."""

    def __init__(self, port: int, slug: str, headers: dict) -> None:
        self.connection = Connection("127.0.0.1", port)
        self.url = f"/meetings/{slug}/console/message/"
        self.headers = headers
        self.actions: list[Action] = []
        self.failures = 0

    async def act(self) -> Action:
        number = len(self.actions) + 1
        for attempt in range(3):
            sent = time.monotonic()
            try:
                answer = await self.connection.request(
                    "POST",
                    self.url,
                    **form({"message": f"Please conclude ({number})"}, self.headers),
                )
                break
            except (OSError, asyncio.IncompleteReadError):
                # An idle keep-alive connection the server closed: setting the same message
                # again is harmless.
                self.failures += 1
                if attempt == 2:
                    raise
        answered = time.monotonic()
        if answer.status != 200:
            raise CrowdError(f"The console's action failed: HTTP {answer.status}.")
        action = Action(sent, answered, version_in(answer.body))
        self.actions.append(action)
        return action

    async def close(self) -> None:
        await self.connection.close()


def reach(actions: list[Action], outcome: Outcome) -> tuple[list[float] | None, int]:
    """For each action and screen, the seconds from the console's answer until the screen
    first had that version or a later one (0 when it had it before the answer came back); None
    when some screen never had one. And how many arrived before the console's answer."""
    found, early = [], 0
    for action in actions:
        for moment in outcome.first_seen(action.version):
            if moment is None:
                return None, early
            if moment < action.answered:
                early += 1
            found.append(max(0.0, moment - action.answered))
    return found, early


@dataclass
class CrowdRow:
    sync: str  # "sse" or "polling"
    clients: int
    tally: Tally
    delays: list[float] | None
    ready: float | None
    usage: Usage
    early: int = 0
    console_ms: list[float] = field(default_factory=list)
    reconnects: int = 0
    load_cpu: float = 0.0
    machine_busy: float = 0.0  # CPU seconds the whole machine was busy during the scenario
    machine_total: float = 0.0  # CPU seconds it had (cores x wall time)
    load_average: float = 0.0  # as the scenario started
    announced: list[float | None] = field(default_factory=list)  # per action, see `announcements`

    @property
    def reach(self) -> float | None:
        return max(self.delays) if self.delays else None

    def delay(self, fraction: float) -> float | None:
        if not self.delays:
            return None
        ordered = sorted(self.delays)
        return ordered[max(1, math.ceil(fraction * len(ordered))) - 1]


async def screens_while_a_console_acts(
    screens_port: int,
    app_port: int,
    slug: str,
    headers: dict,
    sync: str,
    count: int,
    sampling: Callable[[], Sampler],
) -> CrowdRow:
    path = f"/meetings/{slug}/events/" if sync == "sse" else f"/meetings/{slug}/live.json"
    mode = "sse" if sync == "sse" else "poll"
    console = Console(app_port, slug, headers)
    ready_wait = 10 + start_seconds(count) * 2
    load_average = os.getloadavg()[0]
    busy_before, total_before = machine_cpu()
    heard: list[float] = []
    listening = asyncio.create_task(announcements(heard)) if sync == "sse" else None
    with sampling() as usage:
        async with Crowd(
            screens_port, path, mode, count, limit=ready_wait + ACTIONS * ACTION_EVERY + 30
        ) as crowd:
            ready = await crowd.ready(ready_wait)
            await asyncio.sleep(0.5)
            for number in range(ACTIONS):
                action = await console.act()
                if number < ACTIONS - 1:
                    await asyncio.sleep(ACTION_EVERY)
            outcome = await crowd.stop(action.version, SETTLE_SECONDS)
    await console.close()
    if listening is not None:
        listening.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await listening
    delays, early = reach(console.actions, outcome)
    announced = [min((t for t in heard if t >= a.sent), default=None) for a in console.actions]
    announced = [
        None if t is None else t - a.answered
        for t, a in zip(announced, console.actions, strict=True)
    ]
    return CrowdRow(
        sync,
        count,
        outcome.tally,
        delays,
        ready,
        usage.usage,
        early,
        [(a.answered - a.sent) * 1000 for a in console.actions],
        outcome.reconnects,
        crowd.cpu,
        machine_cpu()[0] - busy_before,
        machine_cpu()[1] - total_before,
        load_average,
        announced=announced,
    )


async def announcements(heard: list[float]) -> None:
    """When each change is announced on Redis (meetings.live.changes), as the events server's
    subscription hears it: to tell a late announcement from a late fan-out."""
    import redis.asyncio

    from config.common import shared_cache
    from meetings.live import changes

    url = shared_cache.redis_url()
    if url is None:
        return
    client = redis.asyncio.Redis.from_url(url)
    try:
        async with client.pubsub() as pubsub:
            await pubsub.subscribe(changes.channel())
            async for message in pubsub.listen():
                if message["type"] == "message":
                    heard.append(time.monotonic())
    finally:
        await client.aclose()


# The events server, restartable -----------------------------------------------------------


def events_environment() -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONPATH": str(PROJECT),
    }


class EventsServer:
    """uvicorn on config.asgi:application on a fixed port, which can be stopped and started
    again on it, as a deployment restarts it."""

    def __init__(self, workers: int, port: int | None = None) -> None:
        self.workers = workers
        self.port = port or free_port()
        self.log = Path(tempfile.gettempdir()) / f"cam-events-server-{self.port}.log"
        self.server: Server | None = None

    def command(self) -> list[str]:
        return [
            *(sys.executable, "-m", "uvicorn", "config.asgi:application"),
            *("--host", "127.0.0.1", "--port", str(self.port)),
            *("--workers", str(self.workers), "--backlog", "4096"),
            *("--lifespan", "off", "--no-access-log", "--log-level", "warning"),
            *("--timeout-graceful-shutdown", "1"),
            # A new worker imports Django before it serves: on busy shared cores that can take
            # longer than uvicorn's 5 s, which would abort a rolling restart.
            *("--timeout-worker-healthcheck", "60"),
        ]

    def start(self, wait: bool = True) -> None:
        env = events_environment()
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        with self.log.open("ab") as output:
            process = subprocess.Popen(  # noqa: S603 (our own command line)
                self.command(), cwd=PROJECT, env=env, stdout=output, stderr=subprocess.STDOUT
            )
        self.server = Server("127.0.0.1", self.port, process, self.log)
        if wait:
            wait_until_up(self.server.url + "/", process)

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.server is not None:
            stop(self.server.process, sig)

    def pids(self) -> list[int]:
        return self.server.pids() if self.server is not None else []

    def worker_pids(self) -> list[int]:
        """uvicorn's workers (its multiprocessing resource tracker is a child too)."""
        if self.server is None:
            return []
        found = []
        for pid in self.server.worker_pids():
            try:
                command = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if b"resource_tracker" not in command:
                found.append(pid)
        return found

    def __enter__(self) -> EventsServer:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def listening(port: int) -> bool:
    import socket

    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.05):
        return True
    return False


@dataclass
class Restart:
    """A restart of the events server while the screens hold their streams."""

    kind: str  # "rolling" (SIGHUP: each worker replaced once its successor serves) or "cold"
    screens: int
    changes: int  # console actions made during the restart
    in_step: float | None  # the worst, over those changes, until every screen had it
    since_start: float | None  # cold: from the new server's start until every screen had it
    served: float | None  # cold: from the new server's start until a first screen had it
    outage: float  # cold: from the stop until the new server accepted connections
    missing: int  # screens without one of the changes, the last one made after it included
    errors: int  # errors other than the streams the restart ended and the refused connections
    reconnects: int
    refused: int

    @property
    def passed(self) -> bool:
        return (
            self.in_step is not None and self.in_step < 2.0 and not self.missing and not self.errors
        )


def restart_errors(outcome: Outcome) -> int:
    expected = {"stream ended", "ConnectionResetError", "ConnectionRefusedError"}
    errors = sum(n for reason, n in outcome.tally.errors.items() if reason not in expected)
    return errors + sum(n for status, n in outcome.tally.statuses.items() if status >= 400)


def missed(outcome: Outcome, actions: list[Action]) -> int:
    return sum(
        1 for action in actions for moment in outcome.first_seen(action.version) if moment is None
    )


async def rolling_restart(
    events: EventsServer, app_port: int, slug: str, headers: dict, count: int
) -> Restart:
    """SIGHUP to uvicorn, as a deployment restarts it: each worker is replaced once its
    successor serves, and the screens of the one retired reconnect to the others. The console
    acts every second from the signal until the restart is over, and once after."""
    path = f"/meetings/{slug}/events/"
    console = Console(app_port, slug, headers)
    ready_wait = 10 + start_seconds(count) * 2
    async with Crowd(events.port, path, "sse", count, limit=ready_wait + 180) as crowd:
        if await crowd.ready(ready_wait) is None:
            raise CrowdError(f"{count} screens did not all have a first state.")
        await console.act()
        await asyncio.sleep(1.5)
        old = set(events.worker_pids())
        os.kill(events.server.process.pid, signal.SIGHUP)
        during = []
        deadline = time.monotonic() + 150
        replaced = False
        while time.monotonic() < deadline and not replaced:
            during.append(await console.act())
            await asyncio.sleep(1.0)
            now = set(events.worker_pids())
            replaced = not now & old and len(now) >= len(old)
        if not replaced:
            raise CrowdError("uvicorn did not replace its workers on SIGHUP within 150 s.")
        for _ in range(2):  # the last reconnections
            during.append(await console.act())
            await asyncio.sleep(1.0)
        after = await console.act()
        outcome = await crowd.stop(after.version, SETTLE_SECONDS)
    await console.close()
    reached, _early = reach(during, outcome)
    worst = None
    if reached is not None:
        per_action = [max(reached[at : at + count]) for at in range(0, len(reached), count)]
        worst = max(per_action)
    return Restart(
        "rolling",
        count,
        len(during),
        worst,
        None,
        None,
        0.0,
        missed(outcome, [*during, after]),
        restart_errors(outcome),
        outcome.reconnects,
        outcome.refused,
    )


async def cold_restart(
    events: EventsServer, app_port: int, slug: str, headers: dict, count: int
) -> Restart:
    """The events server stopped (SIGTERM) and started again on the same port, as after a
    crash or a reboot; the console acts while none runs."""
    path = f"/meetings/{slug}/events/"
    console = Console(app_port, slug, headers)
    ready_wait = 10 + start_seconds(count) * 2
    async with Crowd(events.port, path, "sse", count, limit=ready_wait + 60) as crowd:
        if await crowd.ready(ready_wait) is None:
            raise CrowdError(f"{count} screens did not all have a first state.")
        await console.act()
        await asyncio.sleep(1.5)
        stopped = time.monotonic()
        await asyncio.to_thread(events.stop)
        during = await console.act()  # a change while no events server runs
        restarted = time.monotonic()
        events.start(wait=False)
        while not await asyncio.to_thread(listening, events.port):
            await asyncio.sleep(0.02)
        up = time.monotonic()
        await asyncio.sleep(4)
        after = await console.act()
        outcome = await crowd.stop(after.version, SETTLE_SECONDS)
    await console.close()
    arrivals = outcome.first_seen(during.version)
    lost = missed(outcome, [during, after])
    complete = None not in arrivals
    first = min(arrivals) if complete else None
    return Restart(
        "cold",
        count,
        1,
        max(arrivals) - first if complete else None,
        max(arrivals) - restarted if complete else None,
        first - restarted if complete else None,
        up - stopped,
        lost,
        restart_errors(outcome),
        outcome.reconnects,
        outcome.refused,
    )


# The scenarios, their table and their targets ---------------------------------------------


@dataclass
class Measured:
    rows: list[CrowdRow]
    restarts: list[Restart]
    workers: int
    profiles: list[Path] = field(default_factory=list)


def profiling(pids: list[int], seconds: float) -> list[tuple[subprocess.Popen, Path]]:
    """py-spy recording each events worker for `seconds` (folded stacks), when installed."""
    spy = Path(sys.executable).with_name("py-spy")
    if not spy.exists():
        return []
    started = []
    for pid in pids:
        out = Path(tempfile.gettempdir()) / f"cam-events-profile-{pid}.txt"
        started.append(
            (
                subprocess.Popen(  # noqa: S603 (our own command line)
                    [
                        *(str(spy), "record", "-p", str(pid), "-d", str(int(seconds))),
                        *("-r", "50", "-f", "raw", "-o", str(out), "--nonblocking"),
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                ),
                out,
            )
        )
    return started


async def measure(
    app: Server,
    slug: str,
    headers: dict,
    sampler: Callable[[list[int] | Callable[[], list[int]]], Sampler],
    *,
    workers: int,
    streams: tuple[int, ...] = STREAMS,
    pollers: tuple[int, ...] = (1000, POLLERS),
    restart: int | None = RESTART_SCREENS,
    profile: bool = False,
    say: Callable[[str], None] = print,
) -> Measured:
    rows = []
    measured = Measured(rows, [], workers)
    for count in pollers:
        rows.append(
            await screens_while_a_console_acts(
                app.port, app.port, slug, headers, "polling", count, lambda: sampler(app.pids)
            )
        )
        say(f"  {count} screens polling measured")
    with EventsServer(workers) as events:
        for count in streams:
            spies = []
            if profile and count == max(streams):
                spies = profiling(events.worker_pids() or events.pids(), ACTIONS * ACTION_EVERY)
            rows.append(
                await screens_while_a_console_acts(
                    events.port, app.port, slug, headers, "sse", count, lambda: sampler(events.pids)
                )
            )
            for spy, out in spies:
                await asyncio.to_thread(spy.wait)
                measured.profiles.append(out)
            say(f"  {count} screens on event streams measured")
        if restart:
            for scenario in (rolling_restart, cold_restart):
                measured.restarts.append(await scenario(events, app.port, slug, headers, restart))
                say(f"  a {measured.restarts[-1].kind} restart with {restart} screens measured")
    return measured


def ms(seconds: float | None) -> str:
    return "" if seconds is None else f"{seconds * 1000:.0f}"


NAMES = {"polling": "Polling live.json (gunicorn)", "sse": "Event streams (uvicorn)"}
HEADINGS = [
    "Screens kept in step by",
    "Screens",
    "Reach p50 ms",
    "Reach p99 ms",
    "Reach max ms",
    "Errors",
    "All in step s",
    "Server CPU s",
    "Server RSS MB",
    "PostgreSQL connections",
]


def cells(row: CrowdRow) -> list[str]:
    return [
        NAMES[row.sync],
        f"{row.clients}",
        ms(row.delay(0.5)) if row.delays else "never",
        ms(row.delay(0.99)) if row.delays else "never",
        ms(row.delay(1.0)) if row.delays else "never",
        f"{row.tally.error_count}",
        "" if row.ready is None else f"{row.ready:.1f}",
        f"{row.usage.cpu_seconds:.1f}",
        f"{row.usage.peak_rss_mb:.0f}",
        ""
        if row.usage.peak_database_connections is None
        else f"{row.usage.peak_database_connections}",
    ]


def table(rows: list[CrowdRow]) -> str:
    lines = ["| " + " | ".join(HEADINGS) + " |", "|" + "---|" * len(HEADINGS)]
    lines += ["| " + " | ".join(cells(row)) + " |" for row in rows]
    return "\n".join(lines)


def spreads(rows: list[CrowdRow]) -> str:
    """For each scenario, when the first and the last screen had a change (the median over the
    actions): the wait before the server writes, and how long writing to every screen takes."""
    lines = []
    for row in rows:
        if not row.delays:
            continue
        firsts, lasts = [], []
        for at in range(0, len(row.delays), row.clients):
            per_screen = row.delays[at : at + row.clients]
            firsts.append(min(per_screen))
            lasts.append(max(per_screen))
        each = ", ".join(
            f"{ms(first)} to {ms(last)}" for first, last in zip(firsts, lasts, strict=True)
        )
        if any(t is not None for t in row.announced):
            each += "; announced on Redis, from the console's answer: " + ", ".join(
                "never" if t is None else f"{t * 1000:.0f}" for t in row.announced
            )
        firsts.sort()
        lasts.sort()
        lines.append(
            f"- {NAMES[row.sync]}, {row.clients} screens: the first screen had a change "
            f"{ms(firsts[len(firsts) // 2])} ms after the console's answer, the last "
            f"{ms(lasts[len(lasts) // 2])} ms after (medians over the {len(firsts)} actions; "
            f"the first to the last screen of each action in turn: {each} ms); "
            f"the console's own action took {sorted(row.console_ms)[len(row.console_ms) // 2]:.0f} "
            f"ms; {row.early} screen-changes arrived before the console's answer. CPU seconds: "
            f"the server {row.usage.cpu_seconds:.1f}, the load processes {row.load_cpu:.1f}, "
            f"the whole machine {row.machine_busy:.1f} of the {row.machine_total:.1f} its cores "
            f"had (load average {row.load_average:.1f} as it started)."
        )
    return "\n".join(lines)


def error_kinds(rows: list[CrowdRow]) -> str:
    """Each scenario's errors by kind, and the load processes' reconnections."""
    lines = []
    for row in rows:
        kinds = dict(row.tally.errors)
        kinds |= {f"HTTP {s}": n for s, n in row.tally.statuses.items() if s >= 400}
        if kinds or row.reconnects:
            text = ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items())) or "no errors"
            lines.append(
                f"- {NAMES[row.sync]}, {row.clients} screens: {text}; "
                f"{row.reconnects} reconnections."
            )
    return "\n".join(lines)


def seconds(value: float | None) -> str:
    return "never" if value is None else f"{value:.2f}"


RESTART_NAMES = {
    "rolling": "Rolling (SIGHUP to uvicorn: each worker replaced once its successor serves)",
    "cold": "Stopped and started again (SIGTERM, then a new server on the same port)",
}


def restart_table(restarts: list[Restart]) -> str:
    lines = [
        "| Restart | Screens | Changes during it | Every screen in step within s "
        "| From the new server's start s | Missed | Errors | Reconnections | Refused |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for restart in restarts:
        since = seconds(restart.since_start) if restart.kind == "cold" else ""
        lines.append(
            f"| {RESTART_NAMES[restart.kind]} | {restart.screens} | {restart.changes} | "
            f"{seconds(restart.in_step)} | {since} | {restart.missing} | {restart.errors} | "
            f"{restart.reconnects} | {restart.refused} |"
        )
    return "\n".join(lines)


def verdicts(measured: Measured) -> list[tuple[bool, str]]:
    found = []
    for row in measured.rows:
        if row.sync == "sse":
            p99 = row.delay(0.99)
            found += [
                (
                    p99 is not None and p99 < 0.250 and row.tally.error_count == 0,
                    f"{row.clients} screens on event streams: every action reached every screen, "
                    f"p99 {ms(p99) or 'never'} ms (target under 250 ms), "
                    f"{row.tally.error_count} errors (target 0)",
                ),
                (
                    row.usage.peak_rss_mb < 1536,
                    f"{row.clients} screens on event streams: events server RSS "
                    f"{row.usage.peak_rss_mb:.0f} MB (target under 1536 MB), "
                    f"{row.usage.cpu_seconds:.1f} CPU seconds",
                ),
            ]
        elif row.clients == POLLERS:
            found.append(
                (
                    row.delays is not None and row.tally.error_count == 0,
                    f"{row.clients} screens polling at once: {row.tally.error_count} errors "
                    "(target 0), every action reached every screen "
                    + (f"within {ms(row.reach)} ms" if row.delays else "NOT: some never")
                    + " (reported)",
                )
            )
    for restart in measured.restarts:
        if restart.kind == "rolling":
            text = (
                f"a rolling restart of the events server with {restart.screens} screens: "
                f"each of the {restart.changes} changes made during it reached every screen "
                f"within {seconds(restart.in_step)} s"
            )
        else:
            text = (
                f"the events server stopped and started again with {restart.screens} screens: "
                f"every screen had the change made meanwhile {seconds(restart.in_step)} s after "
                f"the first had it again ({seconds(restart.since_start)} s after the new "
                f"server's start, {seconds(restart.served)} s of it its start-up)"
            )
        found.append(
            (
                restart.passed,
                text + f" (target under 2 s); {restart.missing} missed (target 0), "
                f"{restart.errors} errors (target 0)",
            )
        )
    return found


HEADING = "## Screens kept in step: event streams and polling"
NEXT_HEADING = "## A General Assembly's dialogue"


def replace_section(report: str, section: str) -> str:
    """The report with its section on screens kept in step replaced (or added)."""
    for heading in (HEADING, "## Polling against server-sent events"):
        start = report.find(heading)
        if start >= 0:
            end = report.find("\n## ", start + len(heading))
            return report[:start] + section + ("\n" + report[end + 1 :] if end >= 0 else "")
    return report.rstrip("\n") + "\n\n" + section


def section(measured: Measured, load: float | None = None) -> str:
    targets = "\n".join(f"- {'PASS' if ok else 'FAIL'}: {text}" for ok, text in verdicts(measured))
    return SECTION.format(
        table=table(measured.rows),
        errors="\n".join(
            part for part in (spreads(measured.rows), error_kinds(measured.rows)) if part
        ),
        restart=restart_table(measured.restarts)
        if measured.restarts
        else "Not measured in this run.",
        targets=targets,
        workers=measured.workers,
        processes=CROWD_PROCESSES,
        actions=ACTIONS,
        every=ACTION_EVERY,
        load="" if load is None else f" (load average {load:.1f} as it started)",
        nice=f", servers and load at niceness {os.getpriority(os.PRIO_PROCESS, 0)}"
        if os.getpriority(os.PRIO_PROCESS, 0)
        else "",
        when=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    )


SECTION = """## Screens kept in step: event streams and polling

Measured on {when}{load}{nice} by `make bench` (`tests/benchmark/streams.py`;
alone: `make bench BENCH_ARGS=--streams-only`).

{table}

{errors}

A restart of the events server while the screens hold their streams:

{restart}

{targets}

How it is measured:

- Production's layout on loopback: gunicorn (`config/gunicorn.py`) serves the console and
  live.json; uvicorn serves `config.asgi:application` with {workers} workers for the event
  streams. The console acts through gunicorn, so each change reaches the events server across
  processes, as in production.
- The screens live in {processes} load processes of their own (`tests/benchmark/crowd.py`):
  each screen an asyncio Protocol on uvloop that reads no more of the answers than it needs.
  A stream screen sends what EventSource sends and reads the `id:` of each event (the live
  version); when a stream fails or ends it reconnects after the server's `retry:` with
  `Last-Event-ID`. A polling screen asks live.json every 0.5 s with If-None-Match on a
  keep-alive connection (as `static/js/live-clock.js`) and reads the version from the ETag.
  The screens open their first connection spread over a few seconds (one per 0.4 ms), as a
  hall's screens are switched on.
- Once every screen has its first state, a signed-in console sets a message {actions} times,
  {every} s apart. Reach: from the console's answer (the change is committed by then) until a
  screen has that version or a later one, for every action and screen: p50, p99 and the worst.
  A screen that has it before the console's answer counts 0. All in step: from the start until
  every screen had its first state. Errors: failed connections, answers of 400 or more, and
  streams the server ended.
- Server CPU and RSS: of the server the screens use (uvicorn for streams, gunicorn for
  polling), its master and workers, sampled every quarter second from /proc; PostgreSQL: the
  most connections open at once.
- The restarts, while the screens hold their streams (each screen reconnecting after the
  server's `retry:` with `Last-Event-ID`, as EventSource does), uvicorn run with
  `--timeout-graceful-shutdown 1`:
  - Rolling: SIGHUP to uvicorn, as a deployment restarts it. uvicorn starts a new worker,
    waits until it serves, then retires an old one (its streams end after the grace second)
    and does the same for the next; the retired worker's screens reconnect to the others
    through the shared socket. The console acts every second from the signal until every
    worker is new, and twice more; each of those changes must reach every screen: the column
    is the worst time from the console's answer until the last screen had it.
  - Stopped and started again: SIGTERM, the console acts while no events server runs, and a
    new server is started on the same port (as after a crash or a reboot). The screens are
    refused until it listens and then wait in its queue until its workers have started
    (Python, Django and uvicorn: a second or more on these shared cores). The column is from
    the first screen having that change again (the server serving) until the last had it;
    the next is from the new server's start.
  - In both the console acts once more after, and every screen must have every change.

What limits these figures (measured by hand on 2026-12-05 between 01:58 and 02:46 UTC, on this
machine while other work ran beside: load averages 5 to 20):

- Not the events server. It spent 1.8 to 2.6 CPU seconds on the whole 5,000-stream scenario
  (5,000 connections and 5 changes to each: about 0.3 ms of CPU per connection and tens of
  microseconds per event written) and held about 270 MB, while the whole machine was busy
  for all of its 2 cores' 26 to 38 CPU seconds: the servers and the load processes used a
  tenth of it, other work the rest. At 5,000 streams the same code gave a p99 of 162 ms at
  load 5, and from 167 ms to 2,300 ms at loads 6 to 20 (with `--nice -19`, the servers and load
  ahead of the other work, but not PostgreSQL and Redis: 167, 649 and 2,300 ms at loads 9, 13
  and 16). The slow figures come from one action of the five (its last screen 650 to 2,300 ms,
  against 40 to 400 for the others): the figures follow the machine's load, not the number of
  screens.
- Where an action's time goes at 5,000 streams (two runs at 02:45, load 9 to 10, `--nice -19`;
  the bench's own subscription to the announcements tells when each was made): the change is
  announced on Redis 40 to 330 ms before the console has its answer, never late; the events
  server writes its first screen 95 to 380 ms after the announcement (median about 200 ms:
  reading the new state in a thread, the entry and the session from PostgreSQL and Redis,
  which run beside the other work at its priority, in each of the two workers), and its last
  100 to 150 ms after its first (5,000 writes, the busier worker holding up to 3,800 streams).
  The slow actions are slow in that reading.
- py-spy on both events workers during the 5,000-stream scenario (`--profile`, 50 samples a
  second): the workers were idle most of the time (about 200 busy samples of 1,200); of the
  busy ones, uvicorn writing each event to its socket (`RequestResponseCycle.send`, the
  system call: 20 to 35 %), connection set-up in uvicorn (about 10 %), the state read once per
  change and process (`read_state`: the session from PostgreSQL, about 10 %). A timer per
  stream for its heartbeat (`asyncio.timeout` while each stream waited) took 6 to 14 % until
  one heartbeat timer per process replaced it.
- The kernel does not share a socket's connections evenly between uvicorn's workers: at 5,000
  streams one worker held up to 3,800 of them, so that worker's writes set the last screen's
  time.
- Polling at 5,000 is the ceiling of gunicorn on these cores: 10,000 polls a second are asked
  and about 5,000 answered, so each display's poll waits its turn; no errors, and every change
  reaches every display within a few seconds.
- A stopped events server comes back as fast as Python, Django and uvicorn start (about 1 s on
  an idle machine, 6 to 27 s at loads 6 to 19), while the screens are refused; once it serves,
  5,000 reconnecting screens had the newest state within 0.8 to 2.1 s. A rolling restart
  (SIGHUP) refuses no one, so deployments should use it, with a `--timeout-worker-healthcheck`
  long enough for a worker to start (uvicorn gives up the restart after 5 s by default); its
  worst figure comes from the new workers starting (importing Django) on the same two cores
  while the retired one's screens reconnect.
"""
