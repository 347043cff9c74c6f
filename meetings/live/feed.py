"""live.json as the screens read it: from the shared cache, not the database.

Every display polls every half second, so the feed is the hottest path of the product. The
cache (Redis in production, shared by every app process) holds, per meeting, its current live
version and whether the public may see it; and, per state and language, the snapshot the
screens show. An unchanged state therefore costs no database query, and a changed one is
read from the database once, whatever the number of displays. Answers still carry the
remaining time and server time of their own moment (Snapshot.as_of).

Every save of a meeting (each console action saves it) and every live version the signals
raise forget the cached entry once the change is committed. Each process also keeps the entry
in memory for PROCESS_SECONDS (a fifth of a second, well inside the one second a change may
take to reach the screens), which spares the cache most reads. The shared entry expires after
CURRENT_SECONDS, so a change the signals do not see (an UPDATE straight in the database) or a
lost cache write reaches the screens within that time at worst. Rounds, panelists, mechanisms
and meetings saved anywhere raise the live version (meetings.live.signals).

Redis away makes the feed slower, never wrong or broken: every poll then reads the database,
as it would with no cache at all.
"""

import threading
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse, HttpResponseNotModified, JsonResponse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

from config.common import shared_cache
from meetings.live import changes
from meetings.live.state import Snapshot, live_snapshot
from meetings.models import Meeting
from meetings.services.live_session import meeting_session

CURRENT_SECONDS = 5  # in the shared cache
PROCESS_SECONDS = 0.2  # in each process: at most five cache reads a second per meeting
SNAPSHOT_SECONDS = 60
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


@dataclass(frozen=True)
class LiveEntry:
    """What the cache knows of a meeting without asking the database."""

    meeting_id: int
    version: int
    public: bool
    generation: str  # names the snapshots built since this entry was read from the database


def current_key(slug: str) -> str:
    return f"live:{slug}"


# Per process: the entries read lately (slug -> until when, entry), and the snapshots built for
# them. A snapshot belongs to one generation and never changes, so keeping it in memory can never
# show a stale state.
entries_in_process: dict[str, tuple[float, LiveEntry]] = {}
snapshots: dict[tuple[int, str, str], Snapshot] = {}
# And the session each generation was read as (meeting, generation -> meeting_session's answer):
# read once in the process for every language asked, the texts alone differ. The lock makes the
# languages asked at once after a change wait for one read rather than each make its own.
sessions_read: dict[tuple[int, str], tuple] = {}
reading = threading.Lock()


def current(slug: str) -> LiveEntry | None:
    """The meeting's live version from the cache, read from the database when it is not
    there; None when no meeting has this slug (never cached: any slug may be asked for)."""
    now = time.monotonic()
    kept = entries_in_process.get(slug)
    if kept is not None and kept[0] > now:
        return kept[1]
    entry = shared_entry(slug)
    if entry is not None:
        entries_in_process[slug] = (now + PROCESS_SECONDS, entry)
    return entry


def shared_entry(slug: str) -> LiveEntry | None:
    """current() without this process's copy: from the shared cache, else the database."""
    return shared_cache.get(current_key(slug)) or from_database(slug)


def from_database(slug: str) -> LiveEntry | None:
    # Who may see the meeting is Meeting.objects.public()'s rule, asked in the same query.
    public = Exists(Meeting.objects.public().filter(pk=OuterRef("pk")))
    row = (
        Meeting.objects.filter(slug=slug)
        .annotate(public=public)
        .values_list("pk", "live_version", "public")
        .first()
    )
    if row is None:
        return None
    entry = LiveEntry(*row, generation=uuid.uuid4().hex)
    if shared_cache.add(current_key(slug), entry, CURRENT_SECONDS) is False:
        entry = shared_cache.get(current_key(slug)) or entry  # another process was faster
    return entry


def snapshot_of(entry: LiveEntry, language: str) -> Snapshot:
    """The screens' state in `language`, built once per state and language."""
    key = (entry.meeting_id, entry.generation, language)
    if key in snapshots:
        return snapshots[key]
    shared_key = f"live:{entry.meeting_id}:{entry.generation}:{language}"
    snapshot = shared_cache.get(shared_key)
    if snapshot is None:
        meeting = Meeting.objects.select_related("convening_body").filter(pk=entry.meeting_id)
        if not meeting:
            raise Http404
        with translation.override(language):
            snapshot = live_snapshot(meeting[0], session_of(meeting[0], entry.generation))
        shared_cache.set(shared_key, snapshot, SNAPSHOT_SECONDS)
    if len(snapshots) > 256:
        snapshots.clear()
    snapshots[key] = snapshot
    return snapshot


def session_of(meeting: Meeting, generation: str) -> tuple:
    """The meeting's session as of this generation, read once in this process."""
    key = (meeting.pk, generation)
    with reading:
        if key not in sessions_read:
            if len(sessions_read) > 64:
                sessions_read.clear()
            sessions_read[key] = meeting_session(meeting)
        return sessions_read[key]


def drop_process_copies() -> None:
    """Let go of what this process keeps (for tests, which clear the shared cache too)."""
    entries_in_process.clear()
    snapshots.clear()
    sessions_read.clear()


def forget(slug: str) -> None:
    """The meeting has changed: the next poll reads it again (once the change is committed,
    so that no process caches the state from before it), and the streams hear of it
    (meetings.live.changes). Other processes let go of their copy within PROCESS_SECONDS."""

    def committed():
        entries_in_process.pop(slug, None)
        # Should Redis be away now, other processes see the change when their entry expires.
        shared_cache.delete(current_key(slug))
        changes.announce(slug)  # after the delete: whoever hears it reads the new state

    transaction.on_commit(committed)


def screen_language(request, fallback: str) -> str:
    """A screen may ask for its language (?lang=es): projectors have no language switcher."""
    asked = request.GET.get("lang", "")
    return asked if asked in LANGUAGE_CODES else fallback


def etag(version: int, language: str) -> str:
    """The ETag changes exactly when the version does, so screens that hold it can ask for
    changes only (and it differs per language, as the bodies do)."""
    return f'"{version}-{language}"'


def respond(request, entry: LiveEntry, language: str) -> HttpResponse:
    """304 to a screen holding the current ETag, else the state as of now, from the cache."""
    tag = etag(entry.version, language)
    if request.headers.get("If-None-Match") == tag:
        response = HttpResponseNotModified()
    else:
        snapshot = snapshot_of(entry, language)
        tag = etag(snapshot.version, language)
        response = JsonResponse(
            snapshot.as_of(timezone.now()), json_dumps_params={"ensure_ascii": False}
        )
        response["Content-Language"] = language
    response["ETag"] = tag
    response["Cache-Control"] = "no-cache"
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response
