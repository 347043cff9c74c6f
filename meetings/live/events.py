"""The live state as server-sent events: what every screen shows, pushed to it the moment it
changes, for a General Assembly's thousands of screens.

`GET /meetings/<slug>/events/?lang=es` (a public meeting) answers `text/event-stream`: the
live state at once, then an event on every change. Each event's `id` is the live version and
its data exactly a live.json body (README, "Live feed"). A screen that reconnects sends the
last id it had (`Last-Event-ID`): it is sent the state only if that is no longer the current
one. A comment every HEARTBEAT_SECONDS keeps proxies from closing a quiet stream.

This is a plain ASGI application, served by an ASGI server (uvicorn) beside the WSGI one
(config/asgi.py routes the path here; README, "Production"). A stream needs no session, user
or CSRF token, so, as live.json's middleware does, it skips Django's request machinery: a
connection costs a coroutine and a few objects, and a change costs every stream one write.

How a process keeps thousands of streams in step: one `Watch` per meeting followed, holding
the screens that follow it. A change is announced once on Redis (meetings.live.changes); the
process's one subscription hears it, the watch reads the state once (from the cache, else the
database, in a thread), encodes one event per language, and hands the same bytes to every
screen. A screen slower than the changes gets the newest state, never a queue of old ones.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import parse_qs

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.http.request import split_domain_port, validate_host
from django.utils import timezone

from config.common import shared_cache
from meetings.live import changes, feed
from meetings.live.feed import LiveEntry
from meetings.live.state import Snapshot

PATH = re.compile(r"^/meetings/(?P<slug>[-a-zA-Z0-9_]+)/events/$")
HEARTBEAT_SECONDS = 15.0
RETRY_MILLISECONDS = 500  # how long EventSource waits before it reconnects
# Every followed meeting is read again this often whatever was announced: a change announced
# while a subscription was broken, or made where no one announces (an UPDATE in psql), still
# reaches the screens. Without Redis the announcements of other processes never arrive, so
# the reading is more frequent.
RECHECK_SECONDS = 5.0
RECHECK_SECONDS_WITHOUT_REDIS = 1.0
RESUBSCRIBE_SECONDS = 1.0
HEARTBEAT = b": heartbeat\n\n"

logger = logging.getLogger(__name__)

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]


# The state, read in a thread: it may ask the database. -----------------------------------


def read_state(
    slug: str, known: int, have: frozenset[str], wanted: frozenset[str]
) -> tuple[LiveEntry | None, dict[str, Snapshot]]:
    """The meeting's entry and its snapshots in the languages wanted: every one when the
    version is newer than `known`, else those not had yet."""
    try:
        # Not feed.current: this process's copy of the entry may be a fifth of a second old.
        entry = feed.shared_entry(slug)
        if entry is None or not entry.public:
            return entry, {}
        missing = wanted if entry.version != known else wanted - have
        return entry, {language: feed.snapshot_of(entry, language) for language in missing}
    finally:
        # A connection per reading, as a request under ASGI has (config/asgi.py): the few
        # threads that read never hold the database between changes.
        connection.close()


def encode(snapshot: Snapshot) -> bytes:
    """One event: the state as of now, named by its version."""
    data = json.dumps(snapshot.as_of(timezone.now()), cls=DjangoJSONEncoder, ensure_ascii=False)
    return f"id: {snapshot.version}\ndata: {data}\n\n".encode()


# A screen and the meetings followed. ------------------------------------------------------


class Screen:
    """One stream. Holds the newest event not yet written: a state replaces the one before."""

    def __init__(self, language: str, version: int) -> None:
        self.language = language
        self.version = version  # the newest it has been sent (or had, from Last-Event-ID)
        self.pending: tuple[int, bytes] | None = None
        self.heartbeat_due = False
        self.closed = False
        self.waiter: asyncio.Future | None = None

    def offer(self, version: int, event: bytes) -> None:
        if version > self.version and (self.pending is None or version > self.pending[0]):
            self.pending = (version, event)
            self.wake()

    def beat(self) -> None:
        self.heartbeat_due = True
        self.wake()

    def close(self) -> None:
        self.closed = True
        self.wake()

    def wake(self) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(None)

    async def next(self) -> bytes | None:
        """The next thing to write (an event, else a heartbeat); None once closed. No timer
        per screen: the hub's one heartbeat wakes them all (a timer each cost thousands of
        screens more than their writes)."""
        if self.pending is None and not self.heartbeat_due and not self.closed:
            self.waiter = asyncio.get_running_loop().create_future()
            await self.waiter
            self.waiter = None
        if self.closed:
            return None
        self.heartbeat_due = False
        if self.pending is None:
            return HEARTBEAT
        (self.version, event), self.pending = self.pending, None
        return event


class Watch:
    """A meeting followed by this process's screens."""

    def __init__(self, hub: Hub, slug: str) -> None:
        self.hub = hub
        self.slug = slug
        self.screens: set[Screen] = set()
        self.entry: LiveEntry | None = None
        self.snapshots: dict[str, Snapshot] = {}
        self.ended = False  # gone or no longer public: its streams end, new ones are refused
        self.reading: asyncio.Task | None = None
        self.again = False

    def changed(self) -> asyncio.Task:
        """Read the state again (once, however many changes are announced meanwhile)."""
        if self.reading is not None and not self.reading.done():
            self.again = True
        else:
            self.reading = asyncio.create_task(self.read())
        return self.reading

    def has(self, language: str) -> bool:
        return not self.ended and self.entry is not None and language in self.snapshots

    async def ready(self, language: str) -> bool:
        """The state in `language` is known, read now if need be (a reading under way may
        have begun before this language was wanted: it reads again at its end). False when
        the meeting cannot be followed, or could not be read."""
        if not self.ended and not self.has(language):
            await asyncio.shield(self.changed())
        return self.has(language)

    async def read(self) -> None:
        while True:
            self.again = False
            try:
                await self.read_once()
            except Exception:  # Redis or the database away: the screens keep what they have
                logger.exception("Live events: cannot read the state of %s", self.slug)
                await asyncio.sleep(RESUBSCRIBE_SECONDS)
            if not self.again:
                return

    async def read_once(self) -> None:
        known = self.entry.version if self.entry is not None else -1
        wanted = frozenset(screen.language for screen in self.screens)
        entry, snapshots = await self.hub.in_thread(
            read_state, self.slug, known, frozenset(self.snapshots), wanted
        )
        if entry is None or not entry.public:
            self.end()
            return
        if entry.version != known:
            self.snapshots = {}
        self.ended = False
        self.entry = entry
        self.snapshots |= snapshots
        if entry.version == known:
            return
        events = {language: encode(snapshot) for language, snapshot in snapshots.items()}
        for screen in list(self.screens):
            event = events.get(screen.language)
            if event is not None:
                screen.offer(entry.version, event)

    def end(self) -> None:
        self.ended = True
        self.entry = None
        self.snapshots = {}
        for screen in list(self.screens):
            screen.close()

    def first_event(self, screen: Screen) -> bytes:
        """The state for a screen that has just connected, as of now: empty when the screen
        has it already (it reconnected with the current version's id)."""
        if self.entry is None:  # cannot be: ready() read it, and nothing awaited since
            return b""
        version = self.entry.version
        if screen.pending is not None and screen.pending[0] <= version:
            screen.pending = None  # offered while connecting: this is the same state
        if screen.version == version:
            return b""
        screen.version = version
        return encode(self.snapshots[screen.language])


class Hub:
    """The meetings followed in this process, and its one way of hearing of changes."""

    def __init__(self) -> None:
        self.watches: dict[str, Watch] = {}
        self.loop: asyncio.AbstractEventLoop | None = None
        self.listening: asyncio.Task | None = None
        # The state is read in threads: a few, so a slow database never holds every meeting.
        self.threads = ThreadPoolExecutor(max_workers=4, thread_name_prefix="live-events")

    def in_thread(self, function: Callable[..., Any], *arguments: Any) -> Awaitable[Any]:
        return asyncio.get_running_loop().run_in_executor(self.threads, function, *arguments)

    def start(self) -> None:
        """Listen for changes, once per event loop (a server runs one; the tests, several)."""
        loop = asyncio.get_running_loop()
        if self.loop is loop and self.listening is not None and not self.listening.done():
            return
        self.loop = loop
        self.watches = {}
        self.listening = loop.create_task(self.listen())

    def watch(self, slug: str) -> Watch:
        watch = self.watches.get(slug)
        if watch is None:
            watch = self.watches[slug] = Watch(self, slug)
        return watch

    def leave(self, watch: Watch, screen: Screen) -> None:
        watch.screens.discard(screen)
        if not watch.screens and self.watches.get(watch.slug) is watch:
            del self.watches[watch.slug]

    def changed(self, slug: str) -> None:
        watch = self.watches.get(slug)
        if watch is not None:
            watch.changed()

    def recheck(self) -> None:
        for watch in list(self.watches.values()):
            watch.changed()

    async def listen(self) -> None:
        url = shared_cache.redis_url()
        if url is None:
            await asyncio.gather(self.listen_in_process(), self.heartbeats())
        else:
            await asyncio.gather(
                self.subscribe(url), self.recheck_every(RECHECK_SECONDS), self.heartbeats()
            )

    async def heartbeats(self) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            for watch in list(self.watches.values()):
                for screen in list(watch.screens):
                    screen.beat()

    async def listen_in_process(self) -> None:
        loop = asyncio.get_running_loop()

        def heard(slug: str) -> None:  # in the thread that made the change
            if not loop.is_closed():
                loop.call_soon_threadsafe(self.changed, slug)

        changes.listen(heard)
        try:
            await self.recheck_every(RECHECK_SECONDS_WITHOUT_REDIS)
        finally:
            changes.stop_listening(heard)

    async def subscribe(self, url: str) -> None:
        import redis.asyncio

        while True:
            client = redis.asyncio.Redis.from_url(url)
            try:
                async with client.pubsub() as pubsub:
                    await pubsub.subscribe(changes.channel())
                    self.recheck()  # what was announced while not subscribed
                    async for message in pubsub.listen():
                        if message["type"] == "message":
                            self.changed(message["data"].decode())
            except asyncio.CancelledError:
                raise
            except Exception as error:
                logger.warning("Live events: Redis subscription lost (%s); again in 1 s", error)
                await asyncio.sleep(RESUBSCRIBE_SECONDS)
            finally:
                await client.aclose()

    async def recheck_every(self, seconds: float) -> None:
        while True:
            await asyncio.sleep(seconds)
            self.recheck()


hub = Hub()


# The ASGI application. ----------------------------------------------------------------------


def header(scope: Scope, name: bytes) -> str:
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return ""


async def respond(send: Send, status: int, text: str) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"cache-control", b"no-cache"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": text.encode()})


def allowed_hosts() -> list[str]:
    """As Django's HttpRequest.get_host allows them."""
    if settings.ALLOWED_HOSTS or not settings.DEBUG:
        return settings.ALLOWED_HOSTS
    return [".localhost", "127.0.0.1", "[::1]"]


def last_event_id(scope: Scope) -> int:
    raw = header(scope, b"last-event-id")
    return int(raw) if raw.isdigit() and len(raw) < 18 else -1


def language_of(scope: Scope) -> str:
    asked = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("lang", [""])[0]
    return asked if asked in feed.LANGUAGE_CODES else settings.LANGUAGE_CODE


async def until_disconnected(receive: Receive, screen: Screen) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass
    screen.close()


async def stream(slug: str, scope: Scope, receive: Receive, send: Send) -> None:
    """One screen's stream of a meeting's live state."""
    if scope["method"] not in ("GET", "HEAD"):
        await respond(send, 405, "Method not allowed")
        return
    host, _port = split_domain_port(header(scope, b"host"))
    if not host or not validate_host(host, allowed_hosts()):
        await respond(send, 400, "Bad request")
        return
    hub.start()
    watch = hub.watch(slug)
    screen = Screen(language_of(scope), last_event_id(scope))
    watch.screens.add(screen)
    listening = None
    try:
        if not await watch.ready(screen.language):
            if watch.ended:
                await respond(send, 404, "Not found")
            else:  # the state could not be read: the screen polls, and tries again later
                await respond(send, 503, "Service unavailable")
            return
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"text/event-stream; charset=utf-8"),
                    (b"cache-control", b"no-cache"),
                    (b"x-accel-buffering", b"no"),  # nginx: pass each event on at once
                    (b"content-language", screen.language.encode()),
                ],
            }
        )
        first = f"retry: {RETRY_MILLISECONDS}\n\n".encode() + watch.first_event(screen)
        await send({"type": "http.response.body", "body": first, "more_body": True})
        listening = asyncio.create_task(until_disconnected(receive, screen))
        while (body := await screen.next()) is not None:
            await send({"type": "http.response.body", "body": body, "more_body": True})
        await send({"type": "http.response.body", "body": b""})
    finally:
        if listening is not None:
            listening.cancel()
        hub.leave(watch, screen)


def route(django_application: Callable) -> Callable:
    """The streams' path to `stream`, everything else to Django."""

    async def application(scope: Scope, receive: Receive, send: Send) -> None:
        match = PATH.match(scope["path"]) if scope["type"] == "http" else None
        if match is not None:
            await stream(match["slug"], scope, receive, send)
        else:
            await django_application(scope, receive, send)

    return application
