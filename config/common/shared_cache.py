"""The one way the application reaches the cache that every app process shares (Redis in
production), tolerant of its absence: the live feed and the throttles keep working, only
slower or less strict, while Redis is away, and the log says so.

Away includes hanging. A Redis stopped without closing its connections (SIGSTOP, a full
machine, a network that drops packets) made every call wait the client's default of 5 s: a
live.json poll took 20 s and, with every thread waiting, pages that never use the cache timed
out too (SECURITY.md, finding 2). So each call waits at most `REDIS_TIMEOUT` (0.25 s by default,
config.common.env.cache_config), and after a failure this process does not ask Redis again for
`REDIS_PAUSE_SECONDS` (5 s by default): in that time every call answers at once as if Redis
were away (a circuit breaker; each process keeps its own). The first call after the pause
tries again, and a Redis that answers is used at once.

Nothing else in the application imports django.core.cache's `cache`
(tests/config/common/test_shared_cache.py fails if something does)."""

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import redis
from django.conf import settings
from django.core.cache import cache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class Breaker:
    """After a failure, no call for `settings.REDIS_PAUSE_SECONDS`; shared by the process's
    threads."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self.paused_until = 0.0
        self.lock = threading.Lock()

    def is_open(self) -> bool:
        """True while calls are skipped."""
        return self.clock() < self.paused_until

    def failed(self) -> float:
        pause = settings.REDIS_PAUSE_SECONDS
        with self.lock:
            self.paused_until = max(self.paused_until, self.clock() + pause)
        return pause

    def reset(self) -> None:
        with self.lock:
            self.paused_until = 0.0


breaker = Breaker()


def tolerant[T](operation: Callable[..., T], *arguments) -> T | None:
    """operation(*arguments); None when Redis cannot be reached, has failed within the pause,
    or does not answer within the timeout."""
    if breaker.is_open():
        return None
    try:
        return operation(*arguments)
    except RedisError as error:
        pause = breaker.failed()
        logger.warning(
            "Shared cache away (%s): %s; not asked again for %s s", operation.__name__, error, pause
        )
        return None


# The cache's own calls, each tolerant. None means the cache could not be asked.


def get(key: str, default: Any = None) -> Any:
    return tolerant(cache.get, key, default)


def add(key: str, value: Any, timeout: float | None) -> bool | None:
    """True when stored, False when the key was there already (timeout None: for good)."""
    return tolerant(cache.add, key, value, timeout)


def set(key: str, value: Any, timeout: float | None) -> None:
    """timeout None: for good."""
    tolerant(cache.set, key, value, timeout)


def incr(key: str) -> int | None:
    """The count after adding one; ValueError when the key is not there (as the cache)."""
    return tolerant(cache.incr, key)


def delete(key: str) -> None:
    tolerant(cache.delete, key)


# Announcements between processes (Redis pub/sub): the live screens' streams learn of a change
# through them (meetings.live.changes). A process without Redis has no one else to tell.


def redis_url() -> str | None:
    """The shared Redis's URL, None when the cache is the process's own memory."""
    location = settings.CACHES["default"].get("LOCATION")
    return location if location and "redis" in settings.CACHES["default"]["BACKEND"] else None


publisher_lock = threading.Lock()
publishers: dict[str, Any] = {}  # url -> client, made once per process (a pool of its own)


def publish(channel: str, message: str) -> int | None:
    """Announce `message` on `channel` to every process listening; the number of listeners,
    None when Redis is away (or not configured)."""
    url = redis_url()
    if url is None:
        return None
    with publisher_lock:
        client = publishers.get(url)
        if client is None:
            options = settings.CACHES["default"].get("OPTIONS", {})
            client = publishers[url] = redis.Redis.from_url(
                url,
                socket_timeout=options.get("socket_timeout"),
                socket_connect_timeout=options.get("socket_connect_timeout"),
            )
    return tolerant(client.publish, channel, message)
