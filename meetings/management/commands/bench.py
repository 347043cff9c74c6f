"""`make bench`: the production server on loopback, measured the way the screens use it.

One run prepares its own data (two demo meetings of 10 and 200 panelists in the database that
DATABASE_URL names), collects the static files, starts gunicorn with config/gunicorn.py, then
measures in turn: a static file as the ceiling; live.json as fast as it answers; 200 and
1000 displays polling live.json every half second while a console acts, with the time each
action took to reach every display; and the console, display, public page and report of
both meetings. It prints a table and writes it, with its method and this machine, to
docs/benchmarks.md. It exits with an error when a target of issue 8 is missed.
"""

import asyncio
import datetime as dt
import io
import json
import os
import platform
import resource
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, connection

from meetings.benchmark.client import Connection, Tally, display, run_hammer
from meetings.benchmark.consoles import console_headers, form, version_in
from meetings.benchmark.server import PROJECT, app_server
from meetings.models import Meeting
from meetings.roles import SECRETARIAT

SIZES = (10, 200)
DISPLAYS = (200, 1000)
POLL_SECONDS = 0.5  # as static/js/live-clock.js polls
ACTION_EVERY = 2.5  # seconds between console actions during the display scenarios
STATIC_ROW = "Static file (the ceiling), 64 connections"
FEED_ROW = "live.json unchanged (304), 64 connections"


def displays_row(count: int) -> str:
    return f"{count} displays polling every 0.5 s, console acting"


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


class Command(BaseCommand):
    help = "Benchmark the production server on loopback and write docs/benchmarks.md."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=float, default=10.0, help="Per live scenario.")
        parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--output", default=str(PROJECT / "docs" / "benchmarks.md"))

    def handle(self, *args, seconds, workers, threads, output, **options):
        if settings.DEBUG:
            raise CommandError("Benchmark production settings: run it with DJANGO_DEBUG=0.")
        if seconds < 3:
            # The display scenarios last 1.5 x that: time for the console to act at least once.
            raise CommandError("--seconds must be at least 3.")
        _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if hard < 2 * max(DISPLAYS) + 100:
            raise CommandError(f"Open-file limit {hard} is too low for {max(DISPLAYS)} displays.")
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        self.prepare()
        headers = console_headers(self.bench_user())
        self.stdout.write(f"Starting gunicorn: {workers} workers x {threads} threads")
        with app_server({}, workers=workers, threads=threads) as server:
            rows = asyncio.run(self.measure(server.port, headers, seconds))
        verdicts = self.verdicts(rows)
        report = self.report(rows, verdicts, workers, threads, seconds)
        Path(output).write_text(report, encoding="utf-8")
        self.stdout.write(table(rows))
        for passed, text in verdicts:
            self.stdout.write(("PASS  " if passed else "FAIL  ") + text)
        self.stdout.write(f"Written to {output}")
        if not all(passed for passed, _text in verdicts):
            raise CommandError("A target was missed.")

    # Data --------------------------------------------------------------------------------------

    def prepare(self) -> None:
        ensure_database()
        quiet = {"verbosity": 0, "stdout": io.StringIO()}
        call_command("migrate", **quiet)
        call_command("load_seeds", **quiet)
        for size in SIZES:
            Meeting.objects.filter(slug=f"bench-{size}").delete()
            call_command("make_demo_meeting", slug=f"bench-{size}", panelists=size, **quiet)
        call_command("collectstatic", interactive=False, **quiet)

    def bench_user(self):
        user, created = get_user_model().objects.get_or_create(username="bench-secretariat")
        if created:
            user.set_unusable_password()  # signed in by session only, never by password
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=SECRETARIAT))
        return user

    # Measures ----------------------------------------------------------------------------------

    async def measure(self, port: int, headers: dict, seconds: float) -> list[Row]:
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
        for count in DISPLAYS:
            tally, reach = await displays_while_a_console_acts(
                host, port, live, headers, count=count, seconds=seconds * 1.5
            )
            rows.append(Row(displays_row(count), tally, reach))
        for size in SIZES:
            base = f"/meetings/bench-{size}"
            for label, path, signed_in in (
                ("console", f"{base}/console/", True),
                ("display", f"{base}/display/", False),
                ("public page", f"{base}/", False),
                ("report", f"{base}/report/", True),
            ):
                asked = {"headers": headers if signed_in else None, "connections": 8}
                # Not counted: every worker thread's first request (templates, connection).
                await run_hammer(host, port, path, seconds=1, **asked)
                tally = await run_hammer(host, port, path, seconds=page_seconds(seconds), **asked)
                rows.append(Row(f"{label.capitalize()}, {size} panelists, 8 connections", tally))
            self.stdout.write(f"  pages of {size} panelists measured")
        return rows

    def verdicts(self, rows: list[Row]) -> list[tuple[bool, str]]:
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
        ]

    # The report --------------------------------------------------------------------------------

    def report(self, rows, verdicts, workers: int, threads: int, seconds: float) -> str:
        when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        targets = "\n".join(f"- {'PASS' if ok else 'FAIL'}: {text}" for ok, text in verdicts)
        machine = "\n".join(f"- {line}" for line in machine_facts())
        return BENCHMARKS.format(
            when=when,
            table=table(rows),
            targets=targets,
            machine=machine,
            workers=workers,
            threads=threads,
            seconds=f"{seconds:g}",
            crowd_seconds=f"{seconds * 1.5:g}",
            page_seconds=f"{page_seconds(seconds):g}",
        )


async def displays_while_a_console_acts(
    host: str, port: int, live: str, headers: dict, *, count: int, seconds: float
) -> tuple[Tally, float | None]:
    """`count` displays poll live.json; meanwhile a console sets a message every few
    seconds. Returns the displays' tally and the worst time from an action being sent to
    the last display showing it (None when a display never saw one)."""
    tally = Tally(started=time.perf_counter())
    until = tally.started + seconds
    first_seen: list[dict[int, float]] = [{} for _ in range(count)]

    def watcher(index: int):
        def seen(body: bytes) -> None:
            version_ = json.loads(body)["version"]
            first_seen[index].setdefault(version_, time.perf_counter())

        return seen

    async def console() -> list[tuple[float, int]]:
        sent: list[tuple[float, int]] = []
        connection = Connection(host, port)
        await asyncio.sleep(2 * POLL_SECONDS)  # every display has its first state
        message_url = live.replace("live.json", "console/message/")
        number = 0
        while time.perf_counter() + ACTION_EVERY < until:
            number += 1
            at = time.perf_counter()
            answer = await connection.request(
                "POST", message_url, **form({"message": f"Please conclude ({number})"}, headers)
            )
            if answer.status != 200:
                raise CommandError(f"The console's action failed: HTTP {answer.status}.")
            # The version the action made, as the console's own answer shows it (read after
            # the commit; a poll of live.json might still be answered from before it).
            sent.append((at, version_in(answer.body)))
            await asyncio.sleep(ACTION_EVERY)
        await connection.close()
        return sent

    *_displays, actions = await asyncio.gather(
        *(
            display(
                host,
                port,
                live,
                interval=POLL_SECONDS,
                until=until,
                tally=tally,
                on_state=watcher(index),
            )
            for index in range(count)
        ),
        console(),
    )
    tally.finished = time.perf_counter()
    worst = 0.0
    for at, version_ in actions:
        for seen in first_seen:
            times = [moment for v, moment in seen.items() if v >= version_]
            if not times:
                return tally, None
            worst = max(worst, min(times) - at)
    return tally, worst if actions else None


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


def table(rows: list[Row]) -> str:
    lines = ["| " + " | ".join(HEADINGS) + " |", "|" + "---|" * len(HEADINGS)]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    return "\n".join(lines)


def machine_facts() -> list[str]:
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
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        total = meminfo.read_text().splitlines()[0].split()[1]
        facts.append(f"Memory: {int(total) / 1024 / 1024:.0f} GiB")
    facts.append(f"System: {platform.system()} {platform.release()}")
    facts.append(
        f"Python {platform.python_version()}, Django {version('Django')}, "
        f"gunicorn {version('gunicorn')}"
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
it rewrites this file. The method is in `meetings/management/commands/bench.py`.

{table}

**Reach** is the time from a console sending an action (a message to the speaker) until the
last of the displays shows it: the worst over every action of the run.

## Targets (issue 8)

{targets}

An unchanged live state costing no database query is a test, not a benchmark figure:
`tests/meetings/test_live_feed.py::test_an_unchanged_state_costs_no_database_query`; so is an
unchanged query count for 10 and 200 panelists on every page (`tests/meetings/test_queries.py`).

## Method

- The production server as README's "Running in production" runs it: gunicorn with
  `config/gunicorn.py`, {workers} workers x {threads} threads, debug off, static files
  collected (compressed, hashed names) and served by WhiteNoise, PostgreSQL with persistent
  connections and Redis as the cache, all on this machine's loopback.
- The load comes from one asyncio process on the same machine (`meetings/benchmark/client.py`):
  keep-alive HTTP/1.1 connections, each sending exactly what a display or browser sends. It
  shares the cores with the server, so the figures are a floor for a server with its own.
- Static file and live.json rows: 64 connections, each sending its next request as soon as
  the last one is answered, for {seconds} s. live.json is asked with the current ETag, as a
  display asks it while nothing changes (the server answers 304).
- Display rows: that many displays, each polling live.json every 0.5 s with If-None-Match
  (as `static/js/live-clock.js` does), started over the first half second, for
  {crowd_seconds} s; every first poll is a full answer. A signed-in console sets a message
  every 2.5 s over HTTP (session and CSRF as a browser sends them); each display records
  when it first sees each new version.
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

## The machine

{machine}
"""
