"""`make bench`: the production server on loopback, measured the way the screens use it.

One run prepares its own data (two demo meetings of 10 and 200 panelists and a General
Assembly's at its dialogue, in the database that DATABASE_URL names), collects the static
files, starts gunicorn with config/gunicorn.py, then measures in turn: a static file as the
ceiling; live.json as fast as it answers; 200 and 1000 displays polling live.json every half
second while a console acts, with the time each action took to reach every display; and the
console, display, public page and report of both meetings. Then it starts uvicorn on
config.asgi beside gunicorn, the events server, for the General Assembly's dialogue
(tests.benchmark.assembly: 105 delegations' phones and 1000 displays on event streams, a burst
of 100 requests for the floor, a console giving it; `--assembly-only` measures it alone and
prints it), and (unless --no-sse) the screens kept in
step (tests.benchmark.streams: 200, 1,000 and 5,000 screens on streams and 1,000 and 5,000
polling while a console acts on gunicorn, and a restart of the events server under 5,000
streams), with the servers' CPU seconds and memory and the PostgreSQL connections open
(tests.benchmark.resources). `--streams-only` measures those alone and rewrites their section
of the report. It prints the tables and writes them, with the method and this machine, to
docs/benchmarks.md. It exits with an error when a target is missed
(no errors with 1000 displays, their p99 under 250 ms, live.json at half the static file's
throughput or more, every action on every display within a second; in the General Assembly
no errors, every change on the phones and displays within a second at p99, every request for
the floor landed once in the order received).
"""

import argparse
import asyncio
import contextlib
import datetime as dt
import io
import json
import math
import os
import platform
import resource
import sys
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Literal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.db import OperationalError, connection

from meetings.models import Meeting
from meetings.roles import SECRETARIAT
from tests.benchmark import assembly, streams
from tests.benchmark.client import Connection, Tally, display, run_hammer
from tests.benchmark.consoles import console_headers, form, version_in
from tests.benchmark.resources import Sampler, Usage
from tests.benchmark.server import PROJECT, Server, app_server

SIZES = (10, 200)
DISPLAYS = (200, 1000)
POLL_SECONDS = 0.5  # as static/js/live-clock.js polls
ACTION_EVERY = 2.5  # seconds between console actions during the display scenarios
READY_WAIT = 10.0  # at most this long for every screen's first state before the console acts
STATIC_ROW = "Static file (the ceiling), 64 connections"
FEED_ROW = "live.json unchanged (304), 64 connections"
PAGE_CONNECTIONS = 8  # a secretariat's browsers at once, each asking again when answered
# The pages of each meeting: label, path below /meetings/<slug>, asked signed in.
PAGES = (
    ("console", "console/", True),
    ("display", "display/", False),
    ("public page", "", False),
    ("report", "report/", True),
    ("DOCX record", "report/?format=docx", True),
)
# Median answer at the largest panel, seconds: what a secretariat waits for at each click.
PAGE_TARGETS = {"console": 0.150, "public page": 0.100, "report": 0.300, "DOCX record": 0.500}


def displays_row(count: int) -> str:
    return f"{count} displays polling every 0.5 s, console acting"


def page_row(label: str, size: int) -> str:
    return f"{label[0].upper()}{label[1:]}, {size} panelists, {PAGE_CONNECTIONS} connections"


@dataclass
class Row:
    scenario: str
    tally: Tally
    reach: float | None = None  # seconds for the slowest display to see the slowest action

    def cells(self) -> list[str]:
        reach = "" if self.reach is None else f"{self.reach * 1000:.0f}"
        return [
            self.scenario,
            f"{self.tally.requests}",
            f"{self.tally.per_second:.0f}",
            f"{self.tally.percentile(0.5) * 1000:.1f}",
            f"{self.tally.percentile(0.99) * 1000:.1f}",
            f"{self.tally.error_count}",
            reach,
        ]


HEADINGS = ["Scenario", "Requests", "Requests/s", "p50 ms", "p99 ms", "Errors", "Reach ms"]

Sync = Literal["polling", "sse"]
SYNC_NAMES = {"polling": "Polling (gunicorn)", "sse": "Server-sent events (uvicorn)"}


@dataclass
class SyncRow:
    """One way of keeping `clients` screens in step, measured while the console acts."""

    sync: Sync
    clients: int
    tally: Tally
    delays: list[float] | None  # per action and screen, seconds until it saw the action
    ready: float | None  # seconds until every screen had its first state
    usage: Usage

    @property
    def reach(self) -> float | None:
        return max(self.delays) if self.delays else None

    def delay(self, fraction: float) -> str:
        if not self.delays:
            return "never" if self.delays is None else ""
        ordered = sorted(self.delays)
        return f"{ordered[max(1, math.ceil(fraction * len(ordered))) - 1] * 1000:.0f}"

    def cells(self) -> list[str]:
        connections = self.usage.peak_database_connections
        return [
            SYNC_NAMES[self.sync],
            f"{self.clients}",
            self.delay(0.5),
            self.delay(0.99),
            self.delay(1.0),
            f"{self.tally.error_count}",
            "" if self.ready is None else f"{self.ready:.1f}",
            f"{self.usage.cpu_seconds:.1f}",
            f"{self.usage.peak_rss_mb:.0f}",
            "" if connections is None else f"{connections}",
        ]


SYNC_HEADINGS = [
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


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.benchmark",
        description="Benchmark the production server on loopback and write docs/benchmarks.md.",
    )
    parser.add_argument("--seconds", type=float, default=10.0, help="Per live scenario.")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--output", default=str(PROJECT / "docs" / "benchmarks.md"))
    parser.add_argument(
        "--sse",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="Also measure the event streams under uvicorn (the default).",
    )
    parser.add_argument(
        "--streams-only",
        action="store_true",
        help="Only the screens kept in step (tests.benchmark.streams): rewrites that section.",
    )
    parser.add_argument(
        "--stream-screens",
        default=",".join(str(n) for n in streams.STREAMS),
        help="Screens on event streams, one scenario each (comma-separated).",
    )
    parser.add_argument(
        "--polling-screens",
        default=f"1000,{streams.POLLERS}",
        help="Screens polling, one scenario each (comma-separated; empty for none).",
    )
    parser.add_argument(
        "--restart-screens", type=int, default=streams.RESTART_SCREENS, help="0: no restart."
    )
    parser.add_argument(
        "--profile", action="store_true", help="py-spy the events server at the most streams."
    )
    parser.add_argument(
        "--nice",
        type=int,
        default=0,
        help="Run the servers and the load at this niceness (root may go below 0: ahead of "
        "other work on a shared machine).",
    )
    parser.add_argument(
        "--assembly-only",
        action="store_true",
        help="Only the General Assembly's dialogue (tests.benchmark.assembly) and its targets, "
        "printed; docs/benchmarks.md is left as it is.",
    )
    parser.add_argument(
        "--pages-only",
        action="store_true",
        help="Only the pages' rows (console, display, public page, report, DOCX record of "
        "both meetings) and their targets, printed; docs/benchmarks.md is left as it is.",
    )
    return parser.parse_args(argv)


class BenchmarkError(Exception):
    """The benchmark cannot run, or a target was missed: the message says which."""


def say(text: str) -> None:
    print(text, flush=True)


def main(argv: list[str] | None = None) -> int:
    options = arguments(argv)
    try:
        if options.pages_only:
            run_pages(options.seconds, options.workers, options.threads)
        elif options.assembly_only:
            run_assembly(options)
        elif options.streams_only:
            run_streams(options)
        else:
            run(
                options.seconds,
                options.workers,
                options.threads,
                options.output,
                options.sse,
                options,
            )
    except BenchmarkError as error:
        print(f"Benchmark: {error}", file=sys.stderr)
        return 1
    return 0


def run(
    seconds: float,
    workers: int,
    threads: int,
    output: str,
    sse: bool,
    options: argparse.Namespace | None = None,
) -> None:
    production_only()
    if seconds < 3:
        # The display scenarios last 1.5 x that: time for the console to act at least once.
        raise BenchmarkError("--seconds must be at least 3.")
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard < 2 * max(DISPLAYS) + 100:
        raise BenchmarkError(f"Open-file limit {hard} is too low for {max(DISPLAYS)} displays.")
    load = take_the_machine(options.nice if options is not None else 0)
    prepare()
    headers, database = console_and_database()
    say(f"Starting gunicorn: {workers} workers x {threads} threads")
    with app_server({}, workers=workers, threads=threads) as server:
        rows, _sync_rows = asyncio.run(
            measure(server.port, headers, seconds, sampler(server, database))
        )
        general_assembly = assembly_scenario(server, database, headers, workers)
        kept = None
        if sse:
            say(f"Starting uvicorn beside it: {workers} workers, the event streams")
            kept = stream_scenarios(options or arguments([]), server, database, headers)
    targets = verdicts(rows) + assembly.verdicts(general_assembly)
    previous = Path(output).read_text(encoding="utf-8") if Path(output).exists() else ""
    # The streams' targets are listed in their own section, which --streams-only rewrites.
    text = report(rows, kept, targets, workers, threads, seconds, general_assembly, load)
    targets += streams.verdicts(kept) if kept else []
    text = text.rstrip("\n") + "\n"
    if following := sections_after_the_machine(previous):
        text += "\n" + following
    Path(output).write_text(text, encoding="utf-8")
    say(table(rows))
    if kept:
        say(streams.table(kept.rows))
        say(streams.spreads(kept.rows))
        say(streams.error_kinds(kept.rows))
        if kept.restarts:
            say(streams.restart_table(kept.restarts))
    say(assembly.table(general_assembly))
    say("Requests for the floor: " + assembly.landing_text(general_assembly))
    all_met = say_targets(targets)
    say(f"Written to {output}")
    if not all_met:
        raise BenchmarkError("A target was missed.")


def production_only() -> None:
    if settings.DEBUG:
        raise BenchmarkError("Benchmark production settings: run it with DJANGO_DEBUG=0.")


def take_the_machine(nice: int) -> float:
    """As many open files as the limit allows and the priority asked for, which the servers
    and the load inherit; the load average as measuring starts (other processes on the same
    cores weigh on every figure)."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if nice:
        os.setpriority(os.PRIO_PROCESS, 0, nice)
    return os.getloadavg()[0]


def console_and_database() -> tuple[dict, dict | None]:
    """The signed-in console's headers, and the database the sampler counts connections of
    (this process's own connection closed: counted connections are the servers' alone)."""
    headers = console_headers(bench_user())
    database = database_params()
    connection.close()
    return headers, database


def say_targets(targets: list[tuple[bool, str]]) -> bool:
    """Print each target as PASS or FAIL; True when every one is met."""
    for passed, text in targets:
        say(("PASS  " if passed else "FAIL  ") + text)
    return all(passed for passed, _text in targets)


def counts(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(",") if part.strip())


def stream_scenarios(options: argparse.Namespace, server: Server, database: dict | None, headers):
    try:
        return asyncio.run(
            streams.measure(
                server,
                "bench-10",
                headers,
                lambda pids: Sampler(pids, database),
                workers=options.workers,
                streams=counts(options.stream_screens),
                pollers=counts(options.polling_screens),
                restart=options.restart_screens,
                profile=options.profile,
                say=say,
            )
        )
    except streams.CrowdError as error:
        raise BenchmarkError(str(error)) from error


def run_streams(options: argparse.Namespace) -> None:
    """The screens kept in step alone: rewrites that section of the existing report."""
    production_only()
    load = take_the_machine(options.nice)
    prepare(streams_only=True)
    headers, database = console_and_database()
    say(f"Starting gunicorn: {options.workers} workers x {options.threads} threads")
    with app_server({}, workers=options.workers, threads=options.threads) as server:
        measured = stream_scenarios(options, server, database, headers)
    targets = streams.verdicts(measured)
    output = Path(options.output)
    text = output.read_text(encoding="utf-8") if output.exists() else ""
    output.write_text(
        streams.replace_section(text, streams.section(measured, load)), encoding="utf-8"
    )
    say(streams.table(measured.rows))
    say(streams.spreads(measured.rows))
    say(streams.error_kinds(measured.rows))
    if measured.restarts:
        say(streams.restart_table(measured.restarts))
    for path in measured.profiles:
        say(f"Profile: {path}")
    say_targets(targets)
    say(f"Written to {output}")


def assembly_scenario(
    server: Server, database: dict | None, headers: dict, workers: int
) -> assembly.Assembly:
    """The General Assembly's dialogue: its screens on event streams from uvicorn, started
    beside gunicorn for it as in production."""
    say(f"Starting uvicorn beside it: {workers} workers, the General Assembly's event streams")
    try:
        with (
            streams.EventsServer(workers) as events,
            Sampler(lambda: server.pids() + events.pids(), database) as usage,
        ):
            result = asyncio.run(
                assembly.general_assembly("127.0.0.1", server.port, events.port, headers)
            )
    except streams.CrowdError as error:
        raise BenchmarkError(str(error)) from error
    result.usage = usage.usage
    say("  the General Assembly measured")
    return result


def run_assembly(options: argparse.Namespace) -> None:
    """The General Assembly's dialogue alone: prints its table and targets."""
    production_only()
    load = take_the_machine(options.nice)
    prepare(assembly_only=True)
    headers, database = console_and_database()
    say(f"Starting gunicorn: {options.workers} workers x {options.threads} threads")
    with app_server({}, workers=options.workers, threads=options.threads) as server:
        result = assembly_scenario(server, database, headers, options.workers)
    targets = assembly.verdicts(result)
    say(assembly.table(result))
    say("Requests for the floor: " + assembly.landing_text(result))
    say("Where the time goes: " + assembly.timing_text(result))
    say(assembly.usage_text(result))
    say(f"Load average as it started: {load:.1f}")
    if not say_targets(targets):
        raise BenchmarkError("A target was missed.")


def run_pages(seconds: float, workers: int, threads: int) -> None:
    """The pages' rows alone, for working on them: prints the rows and their targets."""
    production_only()
    prepare(general_assembly=False)
    headers = console_headers(bench_user())
    say(f"Starting gunicorn: {workers} workers x {threads} threads")
    connection.close()
    with app_server({}, workers=workers, threads=threads) as server:
        rows = asyncio.run(measure_pages(server.port, headers, seconds))
    targets = page_verdicts(rows)
    say(table(rows))
    if not say_targets(targets):
        raise BenchmarkError("A target was missed.")


def sections_after_the_machine(report_text: str) -> str:
    """The sections that other benchmarks (the outbox's) keep after this report's last one."""
    machine = report_text.find("\n## The machine")
    following = report_text.find("\n## ", machine + 1) if machine >= 0 else -1
    return report_text[following + 1 :] if following >= 0 else ""


# Data --------------------------------------------------------------------------------------


def prepare(
    streams_only: bool = False, *, general_assembly: bool = True, assembly_only: bool = False
) -> None:
    ensure_database()
    quiet = {"verbosity": 0, "stdout": io.StringIO()}
    call_command("migrate", **quiet)
    call_command("load_seeds", **quiet)
    if assembly_only:
        assembly.prepare()
        call_command("collectstatic", interactive=False, **quiet)
        return
    if streams_only:
        Meeting.objects.filter(slug="bench-10").delete()
        call_command("make_demo_meeting", slug="bench-10", panelists=10, **quiet)
        call_command("collectstatic", interactive=False, **quiet)
        return
    for size in SIZES:
        Meeting.objects.filter(slug=f"bench-{size}").delete()
        call_command("make_demo_meeting", slug=f"bench-{size}", panelists=size, **quiet)
    if general_assembly:
        assembly.prepare()
    call_command("collectstatic", interactive=False, **quiet)


def bench_user():
    user, created = get_user_model().objects.get_or_create(username="bench-secretariat")
    if created:
        user.set_unusable_password()  # signed in by session only, never by password
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get(name=SECRETARIAT))
    return user


# Measures ----------------------------------------------------------------------------------


async def measure(
    port: int, headers: dict, seconds: float, sampling: Callable[[], Sampler]
) -> tuple[list[Row], list[SyncRow]]:
    host = "127.0.0.1"
    static = staticfiles_storage.url("css/app.css")
    live = "/meetings/bench-10/live.json"
    rows = [
        Row(
            STATIC_ROW,
            await run_hammer(host, port, static, connections=64, seconds=seconds),
        )
    ]
    first = Connection(host, port)
    etag = (await first.request("GET", live)).headers["etag"]
    await first.close()
    rows.append(
        Row(
            FEED_ROW,
            await run_hammer(
                host,
                port,
                live,
                connections=64,
                seconds=seconds,
                headers={"If-None-Match": etag},
            ),
        )
    )
    sync_rows = []
    for count in DISPLAYS:
        with sampling() as usage:
            crowd = await screens_while_a_console_acts(
                host, port, "bench-10", headers, "polling", count=count, seconds=seconds * 1.5
            )
        sync_rows.append(SyncRow("polling", count, *crowd, usage=usage.usage))
        rows.append(Row(displays_row(count), crowd[0], sync_rows[-1].reach))
    rows += await measure_pages(port, headers, seconds)
    return rows, sync_rows


async def measure_pages(port: int, headers: dict, seconds: float) -> list[Row]:
    """Each page of both meetings asked by PAGE_CONNECTIONS connections at once."""
    host, rows = "127.0.0.1", []
    for size in SIZES:
        for label, path, signed_in in PAGES:
            url = f"/meetings/bench-{size}/{path}"
            asked = {"headers": headers if signed_in else None, "connections": PAGE_CONNECTIONS}
            # Not counted: every worker thread's first request (templates, connection).
            await run_hammer(host, port, url, seconds=1, **asked)
            tally = await run_hammer(host, port, url, seconds=page_seconds(seconds), **asked)
            rows.append(Row(page_row(label, size), tally))
        say(f"  pages of {size} panelists measured")
    return rows


def verdicts(rows: list[Row]) -> list[tuple[bool, str]]:
    by_name = {row.scenario: row for row in rows}
    static, feed = by_name[STATIC_ROW].tally, by_name[FEED_ROW].tally
    crowd = by_name[displays_row(max(DISPLAYS))]
    share = feed.per_second / static.per_second if static.per_second else 0.0
    return [
        (
            crowd.tally.error_count == 0,
            f"{max(DISPLAYS)} displays: {crowd.tally.error_count} errors (target 0)",
        ),
        (
            crowd.tally.percentile(0.99) < 0.250,
            f"{max(DISPLAYS)} displays: p99 {crowd.tally.percentile(0.99) * 1000:.0f} ms "
            "(target under 250 ms)",
        ),
        (
            share >= 0.5,
            f"live.json at {share:.0%} of the static file's throughput (target 50 % or more)",
        ),
        (
            crowd.reach is not None and crowd.reach < 1.0,
            f"a console action reached all {max(DISPLAYS)} displays in "
            + (
                f"{crowd.reach * 1000:.0f} ms at worst"
                if crowd.reach is not None
                else "no measure (an action never reached a display, or none was made)"
            )
            + " (target under 1000 ms)",
        ),
        (
            all(row.tally.error_count == 0 for row in rows),
            "no errors in any scenario",
        ),
        *page_verdicts(rows),
    ]


def page_verdicts(rows: list[Row]) -> list[tuple[bool, str]]:
    """The staff and public pages at the largest panel: their median against its target."""
    by_name = {row.scenario: row for row in rows}
    found = []
    for label, target in PAGE_TARGETS.items():
        row = by_name[page_row(label, max(SIZES))]
        median = row.tally.percentile(0.5)
        found.append(
            (
                row.tally.requests > 0 and median < target,
                f"{label}, {max(SIZES)} panelists, {PAGE_CONNECTIONS} connections: "
                f"p50 {median * 1000:.0f} ms (target under {target * 1000:.0f} ms)",
            )
        )
    return found


# The report --------------------------------------------------------------------------------


def report(
    rows,
    sync_rows,
    verdicts,
    workers: int,
    threads: int,
    seconds: float,
    general_assembly=None,
    load: float | None = None,
) -> str:
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    targets = "\n".join(f"- {'PASS' if ok else 'FAIL'}: {text}" for ok, text in verdicts)
    machine = "\n".join(f"- {line}" for line in machine_facts(load))
    return BENCHMARKS.format(
        when=when,
        table=table(rows),
        sync=streams.section(sync_rows, load)
        if sync_rows
        else "## Screens kept in step: event streams and polling\n\nNot measured (`--no-sse`).\n",
        assembly=assembly.section(general_assembly),
        targets=targets,
        machine=machine,
        workers=workers,
        threads=threads,
        seconds=f"{seconds:g}",
        crowd_seconds=f"{seconds * 1.5:g}",
        page_seconds=f"{page_seconds(seconds):g}",
    )


async def screens_while_a_console_acts(
    host: str, port: int, slug: str, headers: dict, sync: Sync, *, count: int, seconds: float
) -> tuple[Tally, list[float] | None, float | None]:
    """`count` screens follow the live state, polling live.json (`polling`) or holding an
    event stream (`sse`); once every screen has its first state, a console sets a message every
    few seconds. Returns the screens' tally, the time from each action being sent until each
    screen saw it (None when a screen never saw one) and the time every screen took to get its
    first state."""
    tally = Tally(started=time.perf_counter())
    until = tally.started + seconds
    first_seen: list[dict[int, float]] = [{} for _ in range(count)]
    all_in_step = asyncio.Event()
    waiting = set(range(count))

    def watcher(index: int) -> Callable[[bytes], None]:
        def seen(body: bytes) -> None:
            version_ = json.loads(body)["version"]
            first_seen[index].setdefault(version_, time.perf_counter())
            waiting.discard(index)
            if not waiting:
                all_in_step.set()

        return seen

    screens = [
        screen(host, port, slug, sync, until=until, tally=tally, on_state=watcher(index))
        for index in range(count)
    ]
    console = console_acting(host, port, slug, headers, until=until, all_in_step=all_in_step)
    *_screens, actions = await asyncio.gather(*screens, console)
    tally.finished = time.perf_counter()
    ready = [min(seen.values()) for seen in first_seen if seen]
    return (
        tally,
        delays(actions, first_seen),
        max(ready) - tally.started if len(ready) == count else None,
    )


def screen(
    host: str,
    port: int,
    slug: str,
    sync: Sync,
    *,
    until: float,
    tally: Tally,
    on_state: Callable[[bytes], None],
) -> Coroutine[Any, Any, None]:
    """One display polling live.json (the event streams are tests.benchmark.streams')."""
    return display(
        host,
        port,
        f"/meetings/{slug}/live.json",
        interval=POLL_SECONDS,
        until=until,
        tally=tally,
        on_state=on_state,
    )


async def console_acting(
    host: str, port: int, slug: str, headers: dict, *, until: float, all_in_step: asyncio.Event
) -> list[tuple[float, int]]:
    """A signed-in console that sets a message every ACTION_EVERY seconds once every screen has
    its first state (or READY_WAIT has passed). Returns when each action was sent and the live
    version it made."""
    sent: list[tuple[float, int]] = []
    connection = Connection(host, port)
    await asyncio.sleep(2 * POLL_SECONDS)  # at least: every display has its first state
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(all_in_step.wait(), READY_WAIT)
    message_url = f"/meetings/{slug}/console/message/"
    number = 0
    while time.perf_counter() + ACTION_EVERY < until:
        number += 1
        at = time.perf_counter()
        answer = await connection.request(
            "POST", message_url, **form({"message": f"Please conclude ({number})"}, headers)
        )
        if answer.status != 200:
            raise BenchmarkError(f"The console's action failed: HTTP {answer.status}.")
        # The version the action made, as the console's own answer shows it (read after
        # the commit; a poll of live.json might still be answered from before it).
        sent.append((at, version_in(answer.body)))
        await asyncio.sleep(ACTION_EVERY)
    await connection.close()
    return sent


def delays(
    actions: list[tuple[float, int]], first_seen: list[dict[int, float]]
) -> list[float] | None:
    """For each action and screen, the time until the screen first showed that version or a
    later one; None when some screen never did."""
    found = []
    for at, version_ in actions:
        for seen in first_seen:
            times = [moment for v, moment in seen.items() if v >= version_]
            if not times:
                return None
            found.append(min(times) - at)
    return found


def sampler(server: Server, database: dict | None) -> Callable[[], Sampler]:
    return lambda: Sampler(server.pids, database)


def database_params() -> dict | None:
    """How the resource sampler reaches PostgreSQL (None for another database)."""
    if connection.vendor != "postgresql":
        return None
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    return params


def page_seconds(seconds: float) -> float:
    return max(seconds / 2, 2)


def ensure_database() -> None:
    """Create the benchmark's PostgreSQL database on first use."""
    try:
        connection.ensure_connection()
        return
    except OperationalError:
        if connection.vendor != "postgresql":
            raise
    import psycopg
    from psycopg import sql

    params = connection.get_connection_params()
    name = params.pop("dbname")
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**{**params, "dbname": "postgres"}, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def uvicorn_version() -> str:
    try:
        return version("uvicorn")
    except PackageNotFoundError:
        return "not installed"


def table(rows: list[Row]) -> str:
    lines = ["| " + " | ".join(HEADINGS) + " |", "|" + "---|" * len(HEADINGS)]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    return "\n".join(lines)


def machine_facts(load: float | None = None) -> list[str]:
    facts = []
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        models = [
            line.split(":", 1)[1].strip()
            for line in cpuinfo.read_text().splitlines()
            if line.startswith("model name")
        ]
        if models:
            facts.append(f"CPU: {models[0]}")
    facts.append(f"Cores available: {len(os.sched_getaffinity(0))}")
    if load is not None:
        facts.append(f"Load average (1 min) as the run started: {load:.1f}")
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        total = meminfo.read_text().splitlines()[0].split()[1]
        facts.append(f"Memory: {int(total) / 1024 / 1024:.0f} GiB")
    facts.append(f"System: {platform.system()} {platform.release()}")
    facts.append(
        f"Python {platform.python_version()}, Django {version('Django')}, "
        f"gunicorn {version('gunicorn')}, uvicorn {uvicorn_version()}"
    )
    if connection.vendor == "postgresql":
        major, minor = divmod(connection.pg_version, 10000)
        facts.append(f"PostgreSQL {major}.{minor}")
    else:
        facts.append(f"Database: {connection.vendor}")
    facts.append(f"Cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}")
    return facts


BENCHMARKS = """# Benchmarks

Produced by `make bench` on {when}. Rerun it to measure your own machine:
it rewrites this file. The method is in `tests/benchmark/bench.py`.

{table}

**Reach** is the time from a console sending an action (a message to the speaker) until the
last of the displays shows it: the worst over every action of the run.

{sync}
{assembly}
## Targets

{targets}

An unchanged live state costing no database query is a test, not a benchmark figure:
`tests/meetings/live/test_feed.py::test_an_unchanged_state_costs_no_database_query`; so is an
unchanged query count for 10 and 200 panelists on every page (`tests/meetings/test_queries.py`),
and, on SQLite and PostgreSQL alike, the General Assembly's burst of 100 requests for the floor
landing once each in the order received and the floor pages' poll costing no query until the
queue changes (`tests/meetings/test_general_assembly.py`).

## Method

- The production server as README's "Running in production" runs it: gunicorn with
  `config/gunicorn.py`, {workers} workers x {threads} threads, debug off, static files
  collected (compressed, hashed names) and served by WhiteNoise, PostgreSQL with persistent
  connections and Redis as the cache, all on this machine's loopback.
- The load comes from one asyncio process on the same machine (`tests/benchmark/client.py`):
  keep-alive HTTP/1.1 connections, each sending exactly what a display or browser sends. It
  shares the cores with the server, so the figures are a floor for a server with its own.
- Static file and live.json rows: 64 connections, each sending its next request as soon as
  the last one is answered, for {seconds} s. live.json is asked with the current ETag, as a
  display asks it while nothing changes (the server answers 304).
- Display rows: that many displays, each polling live.json every 0.5 s with If-None-Match
  (as `static/js/live-clock.js` does), started over the first half second, for
  {crowd_seconds} s; every first poll is a full answer. Once every display has its first
  state (and at least a second in), a signed-in console sets a message every 2.5 s over HTTP
  (session and CSRF as a browser sends them); each display records when it first sees each
  new version.
- Page rows: 8 connections for {page_seconds} s on each page of the demo meetings
  (`make_demo_meeting`, run to the end, with answers, notes and summaries), after a second of
  the same that is not counted (each worker thread's first request loads templates and opens
  its database connection); the console and the report are asked by a signed-in Secretariat
  user.
- p50 and p99 are nearest-rank percentiles of the request latencies seen by the client;
  errors are failed connections and answers with status 400 or higher.

## Where the time goes

Profiled by hand on 2026-11-29 with py-spy (`py-spy record -p <worker pid> -f raw` while 32
connections asked live.json with the current ETag; one worker):

- The live feed costs Django almost nothing: the whole Django handler, middleware and view
  included, took about 6 % of the worker's samples; reading the live version (Redis, or the
  process's copy of it) under 2 %. The rest is gunicorn's own HTTP work: writing the answer to
  the socket (about 27 %), parsing requests and keep-alive bookkeeping. That is why unchanged
  polls go as fast as the static file, and the ceiling of both is the HTTP server on two cores
  shared with the load generator.
- Before the process kept its copy, one Redis round trip per poll took about half the time of
  a 304 (about 3,000 a second); before the cache, the database query a 304 made held it to
  about 800 a second.
- Pages are limited by template rendering, which grows with the panel (the number of queries
  does not): with 200 panelists the report is 770 kB of HTML and about 0.2 s of one core to
  render, the console about 0.08 s, the public page about 0.06 s. The console and the report
  serve a secretariat; the public page is read once by each visitor, never polled; the crowd
  polls live.json, which does not grow with the panel.

Measured by hand on 2026-12-04 (one process, the assembly's meeting with 90 requests waiting):

- A request for the floor from the floor page cost about 21 ms of CPU, 14 queries of it under
  the meeting's lock (about 15 ms on an idle process, 7 of them CPU), the rest rendering the
  page's controls again. It cost 68 ms while the item under way was read from the whole
  session (every turn and request with its item, delegation and meeting), three times per
  request; `floor.item_under_way` now reads the turns' places and statuses alone.
- Since 2026-12-04 21:00 (measured in the test process, SQLite, 50 requests asked one after
  another with up to 100 waiting, the same count whatever the number waiting): under the lock
  a request makes 7 queries (was 11: the request already waiting, the next place and the item
  under way come from one reading of agenda, turns and interventions; the new row is written
  without the signal, which locked the meeting's row again and read its slug, and the version
  raised once in the locked row) in 3.3 ms of CPU (was 5.3); the whole POST with the controls
  rendered makes 8 queries (was 22: the page reused what the service read rather than read
  the session twice more and the meeting again) in 6.9 ms of CPU (was 17.6).
- live.json answers from the cache in about 0.24 ms of CPU (0.11 ms for a 304); after a change
  each language's state is built on demand, when a screen asks in it, about 10 ms each of
  which nearly all was reading the session: the session is now read once per change in each
  process for every language asked.
- In the burst the requests' stamps came 45 to 60 ms apart (the median of a run), three or four
  times the lock's own work: a request for the floor holds its server thread while it waits
  for the meeting's lock, so a hundred of them within a second keep every thread of both
  workers waiting in turn, the polls queue behind them, and on cores shared with the load and
  other processes the lock's holder gets its share of the CPU late. Every screen is as late as
  the burst is long to drain: the General Assembly's reach is that time. With the cheaper
  request and the shared read the burst drained in 3.3 s (was 5.2) and the reach at p99 fell
  to 3.0 s (was 4.4), load 1.3 as the run started; still over the 1 s target, which is kept:
  what remains is the threads held waiting for the lock, which a cheaper request does not
  remove. (A run at load 4.6 while tests ran beside it gave 7.7 s: on these shared cores the
  figure follows the load.)

## Staff pages at 200 speakers: where the time went

Measured on 2026-12-05 with `make bench BENCH_ARGS=--pages-only` (the page rows alone, with
their targets; a full `make bench` has the same rows and targets) and, for the CPU each request
costs, one process asking each page of the demo meeting of 200 panelists through the Django
test client (PostgreSQL and Redis as in production; `time.process_time` over five requests
after a first one). Profiled with cProfile on the same requests.

| Page, 200 panelists | CPU before | CPU after | Queries before, after | p50 before | p50 after |
|---|---|---|---|---|---|
| Console | 100 ms | 11 ms | 9, 6 | 1,579 ms | 40 ms |
| Public page | 87 ms | 11 ms | 10, 6 | 1,081 ms | 52 ms |
| Report | 327 ms | 22 ms | 14, 6 | 1,538 ms | 77 ms |
| DOCX record | 2,226 ms | 9 ms | 14, 6 | 24,223 ms | 40 ms |

The p50 columns are `--pages-only` runs at 8 connections: before at a load of 1.1 as it
started, after at a load of 0.4 (`make bench BENCH_ARGS="--pages-only --nice -19"`, the last
step below included); the CPU columns depend far less on the load. Every page PASSes its
target. Query counts stay the same for 10 and 200 panelists on every page
(`tests/meetings/test_queries.py`, and `build_record`'s own tests).

- Console: half of it was reading the session. The 400 turns were each joined to their round,
  agenda item, panelist and mechanism, 2,000 model instances (modeltranslation's own init on
  three of them); each round and panelist is now read once and shared by its turns (800), and
  each process keeps the session of each live version (`live_session.kept_session`; the notes
  pad reads its speaker's notes afresh, as notes raise no version). The other half was
  rendering 400 speakers with their forms (an include, translated sentences and a choices
  label per speaker, a CSRF field per form): the agenda changes only with the live
  version, which every change it shows raises, so it is rendered once for each version and
  language and kept in Redis, with a placeholder where each request's CSRF field goes
  (`config.common.fragments`).
- Report: `build_record` took 130 ms, more than half of it the prefetch of each turn's
  coordination (Django builds a manager and a queryset for every turn); it is now two queries,
  and the panel is read once (about 65 ms left, 6,000 rows). Rendering 0.8 MB of HTML took
  about 200 ms: the body is now rendered once for each version of the record (a digest of
  everything it says but when it was read), language and view, and kept. Reading the record
  on each request only to learn its version then took 65 of the 78 ms left; the record itself
  is now kept (`meetings/services/live_record.py`) under the meeting's live version and a
  *generation* that every committed write to a model of the meetings, mechanisms and
  accounts apps replaces (signals on every model and many-to-many relation, once per
  transaction, after its commit: no Redis call under a meeting's lock), with the publication
  and the language. A record with anything under way is never kept (its times run with the
  clock), nor one read inside a transaction; a write that no signal sees (psql) shows within
  60 s. What is left is the page around the body and the 0.8 MB it sends.
- DOCX: python-docx took 2 s (a lookup of every cell's width, an XPath per cell, the styles
  looked up by name for each paragraph). The secretariat's file is built once for each
  version of the record, language and format and then served from the cache (its file date is
  when that version was first built); the published files already were. With the record
  kept, a download reads neither the meeting nor the record.
- Public page: rendering the panel and the run of show; the body is rendered once for each
  live version, language and audience (the secretariat also sees which texts lack a
  translation) and kept.

## The machine

{machine}
"""
