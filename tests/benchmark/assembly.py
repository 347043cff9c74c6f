"""The General Assembly's dialogue in `make bench`: every delegation's floor page open on a
phone, the room's displays, a burst of requests for the floor and the console giving it.

The meeting (`make_demo_meeting --observers ... --dialogue`) has DELEGATIONS delegations: every
member state of the reference table and observers up to that number. As in production, the
screens hold event streams from the events server (uvicorn on config.asgi) while gunicorn serves
everything else: each delegation's phone loads its floor page once from gunicorn and holds
`/meetings/<slug>/events/` in its reader's language, as the floor page's live clock does
(static/js/live-clock.js), and DISPLAYS displays hold it in English; the screens are load
processes of tests.benchmark.crowd. Once every screen has its first state, DEVICES devices of
DEVICES - ON_TWO_DEVICES delegations ask for the floor within BURST_SECONDS (POST
/floor/<token>/act/, as the page's button sends it; ON_TWO_DEVICES delegations from two
devices at the same moment), and a signed-in console gives the floor in order (Next speaker,
then Start: CONSOLE_ACTIONS actions, one every ACTION_EVERY seconds). The screens hold their
streams until every one has the last change, DRAIN_SECONDS at most: the scenario is the same
script on any machine, and lasts about fifteen seconds on a quiet one.

Measured: the streams opened and their errors, and the reach of every change to every screen:
from a request's stamp in the database (requested_at, before its commit) or a console action's
sending, until the screen first shows that live version or a later one (the `id:` of an
event). Checked in the database afterwards: each delegation that asked has exactly one
request, placed in the order received, and the queue agrees.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import io
import math
import random
import time
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import accumulate, pairwise

from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils.crypto import get_random_string

from mechanisms.models import MemberState, OASStatus
from meetings.models import Delegation, Intervention, ItemKind, Meeting, MeetingLog, TurnStatus
from meetings.services import floor
from meetings.services.links import link_token
from tests.benchmark import streams
from tests.benchmark.client import Connection, Tally, timed
from tests.benchmark.consoles import HttpConsole
from tests.benchmark.resources import Usage

SLUG = "bench-ga"
DELEGATIONS = 105
DISPLAYS = 1000
DEVICES = 100
ON_TWO_DEVICES = 10  # delegations asking from a phone and a laptop at the same moment
BURST_SECONDS = 1.0
POLL_SECONDS = 0.5  # the floor pages are opened over that long
ACTION_EVERY = 2.5
CONSOLE_ACTIONS = 4
DRAIN_SECONDS = 2.0  # at most this long after the console's last action for every screen
READY_WAIT = 10.0  # for every screen's first state
LONGEST_SECONDS = 120.0  # whatever happens, the screens stop then
LANGUAGES = ("en", "es", "fr", "pt")
REACH_TARGET = 1.0  # seconds: every change on every screen within a second (p99)


def prepare() -> None:
    """The assembly's meeting afresh: at its dialogue, the list of speakers open."""
    Meeting.objects.filter(slug=SLUG).delete()
    members = MemberState.objects.filter(oas_status=OASStatus.MEMBER).count()
    call_command(
        "make_demo_meeting",
        slug=SLUG,
        panelists=10,
        observers=max(DELEGATIONS - members, 0),
        dialogue=True,
        verbosity=0,
        stdout=io.StringIO(),
    )


@dataclass
class Device:
    """One phone or laptop of a delegation asking for the floor."""

    code: str
    token: str
    offset: float  # seconds into the burst
    sent: float = 0.0
    answered: float = 0.0
    error: str = ""


@dataclass
class Landing:
    """What the database holds after the burst."""

    devices: int
    asked: int  # delegations
    landed: int  # their requests found
    problems: list[str] = field(default_factory=list)

    @property
    def exactly_once(self) -> bool:
        return not self.problems


@dataclass
class Assembly:
    pages: Tally  # each delegation opening its floor page
    phones: Tally
    displays: Tally
    requests: Tally
    console_actions: int
    phone_delays: list[float]  # per change and phone (inf: the phone never showed it)
    display_delays: list[float]
    burst_seconds: float  # from the first device's sending to the last one's
    drained_seconds: float  # from the first device's sending to the last one's answer
    seconds: float  # the scenario's length
    landing: Landing | None = None
    # Where the time goes, per change and screen (phones and displays): the burst's requests
    # from their stamps, the console's actions from their sending; and for each change the
    # first announcement on Redis heard after a request's stamp (inf: none), and how long
    # each console action took to be answered.
    request_delays: list[float] = field(default_factory=list)
    action_delays: list[float] = field(default_factory=list)
    requests_announced: list[float] = field(default_factory=list)
    console_answers: list[float] = field(default_factory=list)
    usage: Usage | None = None  # the app server's and the events server's, over the scenario

    @property
    def errors(self) -> int:
        tallies = (self.pages, self.phones, self.displays, self.requests)
        return sum(tally.error_count for tally in tallies)


def percentile(values: list[float], fraction: float) -> float | None:
    """Nearest rank; None when nothing was measured or the rank falls on a change never
    shown."""
    if not values:
        return None
    found = sorted(values)[max(1, math.ceil(fraction * len(values))) - 1]
    return None if math.isinf(found) else found


@dataclass
class Setup:
    meeting_id: int
    delegations: dict[str, Delegation]  # by code
    tokens: dict[str, str]  # delegation code -> floor token
    devices: list[Device]
    version: int  # the live version before the scenario
    last_log: int  # the meeting's last log entry before it
    act_paths: dict[str, str]  # by code: the floor page's Request the floor


def setup(seed: int = 29) -> Setup:
    meeting = Meeting.objects.get(slug=SLUG)
    delegations = list(meeting.delegations.select_related("meeting").order_by("code"))
    tokens = {delegation.code: link_token(delegation) for delegation in delegations}
    rng = random.Random(seed)  # a repeatable draw
    asking = rng.sample(delegations, DEVICES - ON_TWO_DEVICES)
    devices = [Device(d.code, tokens[d.code], rng.random() * BURST_SECONDS) for d in asking]
    devices += [Device(d.code, d.token, d.offset) for d in devices[:ON_TWO_DEVICES]]
    last_log = MeetingLog.objects.filter(meeting=meeting).order_by("-pk").first()
    return Setup(
        meeting.pk,
        {delegation.code: delegation for delegation in delegations},
        tokens,
        devices,
        meeting.live_version,
        last_log.pk if last_log else 0,
        {code: reverse("floor:act", args=[token]) for code, token in tokens.items()},
    )


async def general_assembly(host: str, port: int, events_port: int, headers: dict) -> Assembly:
    """The scenario, the screens on the events server at `events_port` and everything else on
    the app server at `port`; the database checked afterwards."""
    ready = await in_thread(setup)
    wall_minus_monotonic = time.time() - time.monotonic()
    pages, requests = (Tally(started=time.perf_counter()) for _ in range(2))
    started = time.monotonic()

    async def page(code: str) -> None:
        await asyncio.sleep(POLL_SECONDS * random.random())  # the delegation opens its link
        connection_ = Connection(host, port)
        await timed(connection_, pages, "GET", f"/floor/{ready.tokens[code]}/")
        await connection_.close()

    async def burst() -> None:
        await asyncio.gather(
            *(ask(host, port, device, ready, requests) for device in ready.devices)
        )

    answers: list[float] = []

    async def console() -> list[tuple[float, int]]:
        await asyncio.sleep(BURST_SECONDS / 2)  # in the middle of the burst
        chair = HttpConsole(host, port, SLUG, headers)
        made = []
        for number in range(CONSOLE_ACTIONS):
            if number:
                await asyncio.sleep(ACTION_EVERY)
            at = time.monotonic()
            if await chair.act(("next", "start")[number % 2]):
                made.append((at, chair.version))
                answers.append(time.monotonic() - at)
        await chair.close()
        return made

    heard: list[float] = []
    listening = asyncio.create_task(streams.announcements(heard))
    events = f"/meetings/{SLUG}/events/"
    # The phones in their readers' languages in turn, one load process for them and the
    # displays' own (tests.benchmark.crowd), so that the load spares the servers' cores.
    async with (
        streams.Crowd(
            events_port,
            [f"{events}?lang={language}" for language in LANGUAGES],
            "sse",
            DELEGATIONS,
            limit=LONGEST_SECONDS,
            processes=1,
        ) as phone_crowd,
        streams.Crowd(
            events_port, f"{events}?lang=en", "sse", DISPLAYS, limit=LONGEST_SECONDS
        ) as display_crowd,
    ):
        await asyncio.gather(*(page(code) for code in ready.tokens))
        for crowd in (phone_crowd, display_crowd):
            await crowd.ready(READY_WAIT)  # None: some screen had no state; reach says so
        _burst, made = await asyncio.gather(burst(), console())
        last = made[-1][1] if made else None
        # Until every screen has the last change, DRAIN_SECONDS at most.
        phones, displays = await asyncio.gather(
            phone_crowd.stop(last, DRAIN_SECONDS), display_crowd.stop(last, DRAIN_SECONDS)
        )
    seconds = time.monotonic() - started
    listening.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await listening
    for tally in (pages, requests):
        tally.finished = time.perf_counter()
    landing, stamped = await in_thread(check, ready)
    # Each change: a request from its stamp in the database, a console action from its sending.
    requested = [(at - wall_minus_monotonic, version) for at, version in stamped]
    changes = requested + made
    screens = phones.seen + displays.seen

    def announced(some: list[tuple[float, int]]) -> list[float]:
        return [min((t for t in heard if t >= at), default=math.inf) - at for at, _v in some]

    sent = [device.sent for device in ready.devices if device.sent]
    answered = [device.answered for device in ready.devices if device.answered]
    return Assembly(
        pages,
        phones.tally,
        displays.tally,
        requests,
        len(made),
        reach(changes, phones.seen),
        reach(changes, displays.seen),
        max(sent) - min(sent) if sent else 0.0,
        max(answered) - min(sent) if sent and answered else 0.0,
        seconds,
        landing,
        reach(requested, screens),
        reach(made, screens),
        announced(requested),
        answers,
    )


async def ask(host: str, port: int, device: Device, ready: Setup, tally: Tally) -> None:
    """A device's press of Request the floor, as the page's htmx sends it."""
    await asyncio.sleep(device.offset)
    csrf = get_random_string(32)
    connection_ = Connection(host, port)
    device.sent = time.monotonic()
    answer = await timed(
        connection_,
        tally,
        "POST",
        ready.act_paths[device.code],
        headers={
            "Cookie": f"csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "HX-Request": "true",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        body=b"action=request",
    )
    device.answered = time.monotonic()
    if answer is None or answer.status != 200:
        device.error = "failed" if answer is None else f"HTTP {answer.status}"
    await connection_.close()


def reach(changes: list[tuple[float, int]], seen_by_screen: list[dict[int, float]]) -> list[float]:
    """For each change and screen, the time until the screen first showed that version or a
    later one (infinite when it never did before the end)."""
    found = []
    for seen in seen_by_screen:
        versions = sorted(seen)
        # The earliest moment the screen showed each version or a later one.
        earliest = list(accumulate((seen[v] for v in reversed(versions)), min))[::-1]
        for at, version in changes:
            index = bisect_left(versions, version)
            found.append(earliest[index] - at if index < len(versions) else math.inf)
    return found


def check(ready: Setup) -> tuple[Landing, list[tuple[float, int]]]:
    """The requests in the database: each delegation that asked exactly once, placed in the
    order received, the queue agreeing; and each request's stamp (wall clock) with the live
    version that made it visible."""
    return landing_of(ready), stamps_of(ready)


async def in_thread[T](work: Callable[[Setup], T] | Callable[[], T], *arguments) -> T:
    """Database work off the event loop, its connection closed after (the thread is the
    executor's, which the loop keeps)."""

    def run() -> T:
        try:
            return work(*arguments)
        finally:
            connection.close()

    return await asyncio.to_thread(run)


def landing_of(ready: Setup) -> Landing:
    meeting = Meeting.objects.get(pk=ready.meeting_id)
    asked = {device.code for device in ready.devices}
    requests = list(
        Intervention.objects.filter(meeting=meeting, item__kind=ItemKind.DIALOGUE)
        .select_related("delegation")
        .order_by("position")
    )
    landing = Landing(len(ready.devices), len(asked), len(requests))
    problems = landing.problems
    errors = [f"{device.code}: {device.error}" for device in ready.devices if device.error]
    if errors:
        problems.append(f"{len(errors)} devices failed ({', '.join(errors[:3])}...)")
    codes = [request.delegation.code for request in requests]
    if sorted(codes) != sorted(asked):
        problems.append(f"{len(requests)} requests for {len(asked)} delegations that asked")
    if [request.position for request in requests] != list(range(1, len(requests) + 1)):
        problems.append("positions are not 1, 2, 3...")
    stamps = [request.requested_at for request in requests]
    if not all(earlier < later for earlier, later in pairwise(stamps)):
        problems.append("positions not in the order of the stamps")
    # A delegation's request exists before any of its devices is answered, and is made after
    # one of them sent: a delegation answered before another sent anything is ahead of it.
    place = {request.delegation.code: request.position for request in requests}
    sent, answered = received(ready.devices)
    late = [
        (first, then)
        for first in asked
        for then in asked
        if answered[first] < sent[then] and place.get(first, 0) > place.get(then, 0)
    ]
    if late:
        problems.append(f"{len(late)} requests placed after one received later")
    waiting = [request.pk for request in requests if request.status == TurnStatus.PENDING]
    if [request.pk for request in floor.queue(meeting)] != waiting:
        problems.append("the queue is not the waiting requests in order")
    logged = MeetingLog.objects.filter(
        meeting=meeting, action="floor.requested", pk__gt=ready.last_log
    ).count()
    if logged != len(asked):
        problems.append(f"{logged} requests logged for {len(asked)} delegations")
    return landing


def received(devices: list[Device]) -> tuple[dict[str, float], dict[str, float]]:
    """Per delegation: when its first device sent, and when its first device was answered."""
    sent: dict[str, float] = {}
    answered: dict[str, float] = {}
    for device in devices:
        sent[device.code] = min(sent.get(device.code, math.inf), device.sent)
        answered[device.code] = min(answered.get(device.code, math.inf), device.answered)
    return sent, answered


def stamps_of(ready: Setup) -> list[tuple[float, int]]:
    """Each request's stamp (seconds of the wall clock) and the live version its commit made.
    Every change of the scenario raises the version by one under the meeting's lock and logs
    itself in the same transaction, so the log's order is the versions' order."""
    entries = MeetingLog.objects.filter(meeting=ready.meeting_id, pk__gt=ready.last_log)
    stamped_at = {
        request.delegation.code: request.requested_at
        for request in Intervention.objects.filter(
            meeting=ready.meeting_id, item__kind=ItemKind.DIALOGUE
        ).select_related("delegation")
    }
    version = ready.version
    stamps = []
    for entry in entries.order_by("pk"):
        if not entry.action.startswith(("clock.", "floor.")):
            continue  # raises no version
        version += 1
        if "version" in entry.detail:
            version = entry.detail["version"]
        if entry.action == "floor.requested":
            at: dt.datetime = stamped_at[entry.detail["delegation"]]
            stamps.append((at.timestamp(), version))
    return stamps


# The report ------------------------------------------------------------------------------------

HEADINGS = [
    "Who",
    "Count",
    "Requests",
    "p50 ms",
    "p99 ms",
    "Errors",
    "Reach p50 ms",
    "Reach p99 ms",
    "Reach max ms",
]


def milliseconds(seconds: float | None, *, never: str = "never") -> str:
    return never if seconds is None else f"{seconds * 1000:.0f}"


def row(
    who: str, count: int, tally: Tally, delays: list[float] | None = None, *, reach: bool = True
) -> str:
    if tally.latencies:
        times = [f"{tally.percentile(q) * 1000:.1f}" for q in (0.5, 0.99)]
        asked = tally.requests
    else:  # streams: the requests are the streams answered, held open with no latency
        times = ["", ""]
        asked = sum(tally.statuses.values())
    cells = [who, f"{count}", f"{asked}", *times, f"{tally.error_count}"]
    if not reach:  # a request, not a screen
        cells += ["", "", ""]
    else:
        cells += [milliseconds(percentile(delays, q)) for q in (0.5, 0.99, 1.0)]
    return "| " + " | ".join(cells) + " |"


def table(result: Assembly) -> str:
    lines = ["| " + " | ".join(HEADINGS) + " |", "|" + "---|" * len(HEADINGS)]
    lines += [
        row(
            "Phones: floor pages on event streams",
            DELEGATIONS,
            result.phones,
            result.phone_delays,
        ),
        row("Displays on event streams", DISPLAYS, result.displays, result.display_delays),
        row("Floor pages opened", DELEGATIONS, result.pages, reach=False),
        row("Requests for the floor (devices)", DEVICES, result.requests, reach=False),
    ]
    return "\n".join(lines)


def landing_text(result: Assembly) -> str:
    landing = result.landing
    said = (
        f"{DEVICES} devices of {DEVICES - ON_TWO_DEVICES} delegations ({ON_TWO_DEVICES} of them "
        f"from two devices at the same moment) asked within {result.burst_seconds:.2f} s "
        f"on their floor pages, the last answered {result.drained_seconds:.2f} s after the "
        "first asked: "
    )
    if landing is None:
        return said + "not checked."
    if landing.exactly_once:
        return said + (
            f"{landing.landed} requests landed for {landing.asked} delegations, each exactly "
            "once and in the order received; the queue agreed."
        )
    return said + f"{landing.landed} requests landed; " + "; ".join(landing.problems) + "."


def timing_text(result: Assembly) -> str:
    """Where a change's time goes: the burst's requests apart from the console's actions, and
    how long an action waits on gunicorn before its commit."""

    def p99(values: list[float]) -> str:
        return milliseconds(percentile(values, 0.99))

    answers = ", ".join(milliseconds(seconds) for seconds in result.console_answers)
    return (
        f"the burst's requests reached every screen in {p99(result.request_delays)} ms at p99 "
        f"from their stamps (announced on Redis in {p99(result.requests_announced)} ms at p99, "
        "the first announcement heard after the stamp; the rest is the events server's reading "
        f"and sending); the console's {result.console_actions} actions in "
        f"{p99(result.action_delays)} ms from their sending, the console answered in "
        f"{answers} ms (the first, in the middle of the burst, waits behind it on gunicorn and "
        "the meeting's lock before its commit)."
    )


def verdicts(result: Assembly) -> list[tuple[bool, str]]:
    phones, displays = (
        percentile(delays, 0.99) for delays in (result.phone_delays, result.display_delays)
    )
    landing = result.landing
    return [
        (result.errors == 0, f"General Assembly: {result.errors} errors (target 0)"),
        (
            phones is not None and phones < REACH_TARGET,
            f"General Assembly: a change reached the {DELEGATIONS} phones in "
            f"{milliseconds(phones)} ms at p99 (target under 1000 ms)",
        ),
        (
            displays is not None and displays < REACH_TARGET,
            f"General Assembly: a change reached the {DISPLAYS} displays in "
            f"{milliseconds(displays)} ms at p99 (target under 1000 ms)",
        ),
        (
            landing is not None and landing.exactly_once,
            f"General Assembly: {DEVICES} requests for the floor from "
            f"{DEVICES - ON_TWO_DEVICES} delegations landed "
            + (
                f"{landing.landed} times, each exactly once in the order received"
                if landing is not None and landing.exactly_once
                else "wrongly: " + "; ".join(landing.problems if landing else ["not checked"])
            )
            + " (target: each once)",
        ),
    ]


def usage_text(result: Assembly) -> str:
    usage = result.usage
    if usage is None:
        return "The server's resources were not sampled."
    connections = usage.peak_database_connections
    return (
        f"The servers (gunicorn and uvicorn) spent {usage.cpu_seconds:.1f} CPU seconds over the "
        f"{result.seconds:.0f} s of the scenario and held "
        f"{usage.peak_rss_mb:.0f} MB"
        + ("" if connections is None else f" and at most {connections} PostgreSQL connections")
        + "."
    )


def section(result: Assembly | None) -> str:
    if result is None:
        return ""
    return SECTION.format(
        table=table(result),
        landing=landing_text(result),
        actions=result.console_actions,
        usage=usage_text(result),
        timing=timing_text(result),
        delegations=DELEGATIONS,
        displays=DISPLAYS,
        devices=DEVICES,
        twice=ON_TWO_DEVICES,
        actions_every=f"{ACTION_EVERY:g}",
        drain=f"{DRAIN_SECONDS:g}",
        console_actions=CONSOLE_ACTIONS,
    )


SECTION = """## A General Assembly's dialogue

{table}

- Requests for the floor: {landing}
- The console acted {actions} times meanwhile (Next speaker, then Start, in the queue's order).
- Where the time goes: {timing}
- {usage}

How it is measured (`tests/benchmark/assembly.py`), as the product runs: the screens on event
streams from uvicorn (config.asgi, the events server), everything else on gunicorn beside it. A
meeting from `make_demo_meeting --observers ... --dialogue`, at its dialogue with
{delegations} delegations (every member state of the reference table and observers up to that
number). Each delegation's phone opens its floor page once on gunicorn and holds the meeting's
event stream in its reader's language (English, Spanish, French, Portuguese in turn), as the
page's live clock does, while {displays} displays hold it in English; the screens live in load
processes of their own (`tests/benchmark/crowd.py`), and the Requests column counts the
streams answered. Once every screen has its first state, {devices} devices send Request the
floor within a second, as the page's button does ({twice} delegations from two devices at the
same moment), each on its own connection, and a signed-in console gives the floor from the
middle of that second ({console_actions} actions, {actions_every} s apart); the screens hold
their streams until every one has the last change, {drain} s at most. Reach: for every change
(a request, from its stamp in the database before its commit; a console action, from its
sending) and every screen, the time until the screen first showed that version or a later one
(the `id:` of an event). Afterwards the database is checked: one request per delegation that
asked, none for the others, positions in the order of the stamps and of the answers (a
delegation answered before another sent anything is ahead of it), the queue the waiting
requests in that order, one log entry per request.
"""
