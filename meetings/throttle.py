"""Refusing an address that fails too often, for a while (sign-in, panelist links).

Counts live in the cache, which is Redis in production, so every app process
sees the same counts.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from meetings.shared_cache import tolerant


@dataclass(frozen=True)
class Throttle:
    scope: str
    limit: int  # failures allowed within the window
    window_seconds: int

    def key(self, ident: str) -> str:
        return f"throttle:{self.scope}:{ident}"

    # Should Redis be away, nobody is refused and failures go uncounted (said in the log):
    # a panelist's link or a sign-in must not fail because the counter cannot be read.

    def is_blocked(self, ident: str) -> bool:
        return (tolerant(cache.get, self.key(ident)) or 0) >= self.limit

    def record_failure(self, ident: str) -> None:
        key = self.key(ident)
        # add() starts the window only on the first failure; incr() keeps its expiry.
        if tolerant(cache.add, key, 1, self.window_seconds) is False:
            try:
                tolerant(cache.incr, key)
            except ValueError:  # expired between add() and incr()
                tolerant(cache.set, key, 1, self.window_seconds)

    def reset(self, ident: str) -> None:
        tolerant(cache.delete, self.key(ident))

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
