"""Server-sent events for the live state: the alternative to polling live.json, measured
against it so the choice of polling rests on figures (README, "Polling or server-sent events:
measured"). Only the benchmark routes it (tests.benchmark.sse_urls, served by
uvicorn through config.asgi); production has no such URL.

GET /meetings/<slug>/events/ (a public meeting; `?lang=` as for live.json) answers
`text/event-stream`: the live state at once, then an event whenever the meeting's live version
changes, each event's data a live.json body as of its sending and its id the version; a
comment every HEARTBEAT_SECONDS keeps proxies from closing a quiet stream.

Streams learn of a change from the shared cache that live.json reads (meetings.live.feed), not
from the database: one Watch per meeting and process reads the meeting's entry every
CHECK_SECONDS while any stream of that process listens, builds the new state once per language
and wakes every stream. So a thousand streams cost the cache reads of one, and a change costs a
process one database read, as it costs gunicorn's processes for polling.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import logging
from collections import Counter
from collections.abc import AsyncIterator

from asgiref.sync import sync_to_async
from django.core.serializers.json import DjangoJSONEncoder
from django.db import close_old_connections
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.utils import timezone, translation

from config.common import shared_cache
from meetings.live import feed
from meetings.live.feed import LiveEntry
from meetings.live.state import Snapshot

CHECK_SECONDS = 0.1
HEARTBEAT_SECONDS = 15.0
RETRY_MILLISECONDS = 1000  # how long EventSource waits before it reconnects

logger = logging.getLogger(__name__)


def read_current(slug: str) -> LiveEntry | None:
    """feed.current without the process's copy (a Watch is that copy). Run in a thread:
    it may read the database, and closes its connection as every request under ASGI does."""
    try:
        return shared_cache.get(feed.current_key(slug)) or feed.from_database(slug)
    finally:
        close_old_connections()


def build_snapshots(entry: LiveEntry, languages: set[str]) -> dict[str, Snapshot]:
    try:
        return {language: feed.snapshot_of(entry, language) for language in languages}
    finally:
        close_old_connections()


def is_public(slug: str) -> bool:
    try:
        entry = feed.current(slug)
    finally:
        close_old_connections()
    return entry is not None and entry.public


class Watch:
    """A meeting's live state as this process's streams see it."""

    def __init__(self, slug: str) -> None:
        self.slug = slug
        self.languages: Counter[str] = Counter()  # of the streams listening
        self.version = -1
        self.snapshots: dict[str, Snapshot] = {}
        self.ended = False  # the meeting is gone or no longer public: streams end
        self.changed = asyncio.Event()
        # A context of its own: the task outlives the request that starts it, and runs its
        # database work in the process's one sync thread, not in that request's thread.
        self.task = asyncio.create_task(self.run(), context=contextvars.Context())

    async def run(self) -> None:
        try:
            while self.languages:
                try:
                    await self.check()
                except Exception:  # Redis or PostgreSQL away: the streams keep what they have
                    logger.exception("Live events: cannot read the state of %s", self.slug)
                await asyncio.sleep(CHECK_SECONDS)
        finally:
            if watches.get(self.slug) is self:
                del watches[self.slug]

    async def check(self) -> None:
        wanted = set(self.languages)
        entry = await sync_to_async(read_current)(self.slug)
        if entry is None or not entry.public:
            if self.ended:
                return
            self.ended = True
        elif entry.version > self.version:
            self.snapshots = await sync_to_async(build_snapshots)(entry, wanted)
            self.version = entry.version
        elif missing := wanted - self.snapshots.keys():  # a stream in another language joined
            self.snapshots |= await sync_to_async(build_snapshots)(entry, missing)
        else:
            return
        self.changed.set()
        self.changed = asyncio.Event()

    def newer(self, language: str, than: int) -> Snapshot | None:
        snapshot = self.snapshots.get(language)
        return snapshot if snapshot is not None and snapshot.version > than else None


watches: dict[str, Watch] = {}


def watch_of(slug: str) -> Watch:
    watch = watches.get(slug)
    if (
        watch is None
        or watch.task.done()
        or watch.task.get_loop() is not asyncio.get_running_loop()
    ):
        watch = watches[slug] = Watch(slug)
    return watch


def event(snapshot: Snapshot, *, first: bool) -> str:
    data = json.dumps(snapshot.as_of(timezone.now()), cls=DjangoJSONEncoder, ensure_ascii=False)
    retry = f"retry: {RETRY_MILLISECONDS}\n" if first else ""
    return f"{retry}id: {snapshot.version}\ndata: {data}\n\n"


async def stream(slug: str, language: str) -> AsyncIterator[str]:
    watch = watch_of(slug)
    watch.languages[language] += 1
    sent = -1
    try:
        while True:
            # No await between reading the state and taking the event to wait on: a change
            # published in between cannot be missed.
            snapshot = watch.newer(language, sent)
            if snapshot is not None:
                yield event(snapshot, first=sent < 0)
                sent = snapshot.version
                continue
            if watch.ended:
                return
            try:
                async with asyncio.timeout(HEARTBEAT_SECONDS):
                    await watch.changed.wait()
            except TimeoutError:
                yield ": heartbeat\n\n"
    finally:
        watch.languages[language] -= 1
        if watch.languages[language] <= 0:
            del watch.languages[language]


async def live_events(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    """The live state of a public meeting as server-sent events (benchmark only)."""
    if not await sync_to_async(is_public)(slug):
        raise Http404
    language = feed.screen_language(request, translation.get_language())
    response = StreamingHttpResponse(stream(slug, language), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    response["Content-Language"] = language
    return response
