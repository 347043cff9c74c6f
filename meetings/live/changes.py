"""How every process learns that a meeting's live state has changed: one announcement per
committed change, the meeting's slug on one Redis pub/sub channel.

The live screens' streams (meetings.live.events) listen: each events process holds one
subscription, whatever the number of screens it serves, and reads the new state once per
change. Without Redis (development, the tests on SQLite) there is one process to tell, so the
announcement goes to the listeners of this process only.

Pub/sub delivers at most once: a process whose subscription broke misses what was said
meanwhile. The listeners therefore read every meeting they follow again when they subscribe
again, and every few seconds besides (meetings.live.events.RECHECK_SECONDS).
"""

import threading
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings

from config.common import shared_cache

Listener = Callable[[str], None]

listeners: list[Listener] = []
listeners_lock = threading.Lock()


def channel() -> str:
    """The channel of this deployment. Channels are shared by every database of a Redis, so it
    is named by the database and the cache's key prefix: two deployments sharing a Redis do
    not hear each other."""
    database = urlsplit(shared_cache.redis_url() or "").path.strip("/") or "0"
    return f"{settings.CACHES['default'].get('KEY_PREFIX', '')}live:changes:{database}"


def announce(slug: str) -> None:
    """The meeting's live state has changed (the change is committed)."""
    if shared_cache.redis_url() is not None:
        shared_cache.publish(channel(), slug)
        return
    with listeners_lock:
        current = list(listeners)
    for listener in current:
        listener(slug)


def listen(listener: Listener) -> None:
    """Call `listener(slug)` on every change announced in this process (without Redis). It is
    called in the thread that made the change: it must only hand the news on."""
    with listeners_lock:
        listeners.append(listener)


def stop_listening(listener: Listener) -> None:
    with listeners_lock:
        if listener in listeners:
            listeners.remove(listener)
