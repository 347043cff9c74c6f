"""Refusing an address that fails too often, for a while (sign-in, panelist links).

Counts live in the cache, which is Redis in production, so every app process
sees the same counts.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from meetings.shared_cache import tolerant


@dataclass(frozen=True)
class Throttle:
    """`limit` failures within `window_seconds` refuse the address for `window_seconds`,
    counted from the failure that reached the limit."""

    scope: str
    limit: int
    window_seconds: int
    now: Callable[[], float] = time.time  # a fake clock in tests

    def key(self, ident: str) -> str:
        return f"throttle:{self.scope}:{ident}"

    def blocked_key(self, ident: str) -> str:
        return f"throttle:{self.scope}:{ident}:blocked-until"

    # Should Redis be away, nobody is refused and failures go uncounted (said in the log):
    # a panelist's link or a sign-in must not fail because the counter cannot be read.

    def is_blocked(self, ident: str) -> bool:
        blocked_until = tolerant(cache.get, self.blocked_key(ident))
        return blocked_until is not None and self.now() < blocked_until

    def record_failure(self, ident: str) -> None:
        key = self.key(ident)
        # add() starts the counting window on the first failure; incr() keeps its expiry
        # and counts atomically when several processes record failures at once.
        if tolerant(cache.add, key, 1, self.window_seconds) is not False:
            failures = 1
        else:
            try:
                failures = tolerant(cache.incr, key)
            except ValueError:  # expired between add() and incr()
                tolerant(cache.set, key, 1, self.window_seconds)
                failures = 1
        if failures is not None and failures >= self.limit:
            blocked_until = self.now() + self.window_seconds
            tolerant(cache.set, self.blocked_key(ident), blocked_until, self.window_seconds)
            tolerant(cache.delete, key)  # after the block, a fresh count

    @property
    def window_minutes(self) -> int:
        return self.window_seconds // 60


def client_address(request) -> str:
    """The client's address: the connection's, or, when the connection comes from a trusted
    proxy (settings.TRUSTED_PROXIES), the last address in X-Forwarded-For that is not one of
    those proxies (what a client writes there itself comes before and is not believed)."""
    address = request.META.get("REMOTE_ADDR") or "unknown"
    if address not in settings.TRUSTED_PROXIES:
        return address
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed([hop.strip() for hop in forwarded if hop.strip()]):
        if hop not in settings.TRUSTED_PROXIES:
            return hop[:45]  # the longest IPv6 text; a hostile header cannot grow a key
    return address


SIGN_IN_FAILURES = Throttle("sign-in", limit=10, window_seconds=15 * 60)
TOKEN_MISSES = Throttle("panelist-token", limit=10, window_seconds=15 * 60)
