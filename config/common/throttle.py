"""Refusing, for a while, what fails too often: an address (sign-in, panelist links), an
account (sign-in, so that rotating addresses does not help) and a browser that signed in before.

Counts live in the cache, which is Redis in production, so every app process sees the same
counts. Should Redis be away, each process counts in its own memory instead: the limits still
hold (at worst multiplied by the number of processes) and nobody is refused for Redis's sake,
only for their own failures. Failing open would let a guesser try without limit for as long as
Redis is away; failing closed would refuse every sign-in and panelist link for the same time.
"""

import ipaddress
import math
import secrets
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache.backends.locmem import LocMemCache
from django.utils.crypto import salted_hmac

from config.common import shared_cache

WINDOW_SECONDS = 15 * 60
ACCOUNT_LIMIT = 10  # failed sign-ins per account in the window, from browsers it never used
DEVICE_LIMIT = 10  # failed sign-ins from a browser that signed in to the account before

ABSENT = object()
# This process's counts while the shared cache is away (and only then).
PROCESS_COUNTS = LocMemCache("meetings-throttle", {"OPTIONS": {"MAX_ENTRIES": 10_000}})


def forget_process_counts() -> None:
    PROCESS_COUNTS.clear()


@dataclass(frozen=True)
class Throttle:
    """`limit` failures within `window_seconds` refuse the identity for `window_seconds`,
    counted from the failure that reached the limit."""

    scope: str
    limit: int
    window_seconds: int = WINDOW_SECONDS
    now: Callable[[], float] = time.time  # a fake clock in tests

    def key(self, ident: str) -> str:
        return f"throttle:{self.scope}:{ident}"

    def blocked_key(self, ident: str) -> str:
        return f"throttle:{self.scope}:{ident}:blocked-until"

    def blocked_for(self, ident: str) -> int:
        """Seconds until the identity may try again; 0 when it may now."""
        key = self.blocked_key(ident)
        until = [shared_cache.get(key, ABSENT), PROCESS_COUNTS.get(key)]
        latest = max((value for value in until if isinstance(value, int | float)), default=0)
        return max(0, math.ceil(latest - self.now()))

    def is_blocked(self, ident: str) -> bool:
        return self.blocked_for(ident) > 0

    def record_failure(self, ident: str) -> None:
        key = self.key(ident)
        store = shared_cache
        failures = self.count(key, shared=True)
        if failures is None:  # the shared cache is away: this process counts alone
            store = PROCESS_COUNTS
            failures = self.count(key, shared=False)
        if failures >= self.limit:
            blocked_until = self.now() + self.window_seconds
            if store is shared_cache:
                shared_cache.set(self.blocked_key(ident), blocked_until, self.window_seconds)
                shared_cache.delete(key)  # after the block, a fresh count
            else:
                PROCESS_COUNTS.set(self.blocked_key(ident), blocked_until, self.window_seconds)
                PROCESS_COUNTS.delete(key)

    def count(self, key: str, *, shared: bool) -> int | None:
        """One more failure under `key`; the count so far, or None if the cache is away."""

        store = shared_cache if shared else PROCESS_COUNTS  # the same calls, tolerant or not
        # add() starts the counting window on the first failure; incr() keeps its expiry
        # and counts atomically when several processes record failures at once.
        added = store.add(key, 1, self.window_seconds)
        if added is None:
            return None
        if added:
            return 1
        try:
            return store.incr(key)
        except ValueError:  # expired between add() and incr()
            store.set(key, 1, self.window_seconds)
            return 1

    def forget(self, ident: str) -> None:
        """Counts and refusal cleared (a password reset proves the account's owner)."""
        for key in (self.key(ident), self.blocked_key(ident)):
            shared_cache.delete(key)
            PROCESS_COUNTS.delete(key)

    @property
    def window_minutes(self) -> int:
        return self.window_seconds // 60


# Addresses ------------------------------------------------------------------------------

type Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_address(text: str) -> Address | None:
    """An address as servers and proxies write it: 203.0.113.7, 203.0.113.7:51234,
    2001:db8::1, [2001:db8::1]:443, fe80::1%eth0; an IPv4 address mapped into IPv6
    (::ffff:203.0.113.7) is that IPv4 address. None for anything else."""
    text = text.strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    text = text.partition("%")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def address_key(address: Address | None) -> str:
    """What throttling counts: an IPv4 address, or an IPv6 address's /64 (one subscriber
    holds a whole /64 and may use any address in it)."""
    if address is None:
        return "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def is_trusted_proxy(address: Address | None) -> bool:
    return address is not None and any(address in network for network in settings.TRUSTED_PROXIES)


def client_address(request) -> str:
    """The client's address, as throttling counts it (address_key). The connection's, or, when
    the connection comes from a trusted proxy (settings.TRUSTED_PROXIES, addresses or ranges),
    the last address in X-Forwarded-For that is not one of those proxies: what a client writes
    there itself comes before and is not believed. A Unix socket (no address) is this machine,
    as trusted as loopback."""
    remote = request.META.get("REMOTE_ADDR") or ""
    connection = parse_address(remote)
    if remote and not is_trusted_proxy(connection):
        return address_key(connection)
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed([hop for hop in hops if hop.strip()]):
        address = parse_address(hop)
        if not is_trusted_proxy(address):
            return address_key(address)
    return address_key(connection)


# Accounts and the browsers that signed in to them -------------------------------------------

DEVICE_COOKIE = "cam_device"
DEVICE_COOKIE_AGE = 365 * 24 * 60 * 60
DEVICE_SALT = "config.common.throttle.device"


def account_key(username: str) -> str:
    """The account a sign-in names, as typed, whether it exists or not (so a refusal tells
    nobody which accounts exist): case and Unicode forms folded, keyed by the secret key."""
    folded = unicodedata.normalize("NFKC", username.strip()).casefold()
    return salted_hmac("config.common.throttle.account", folded, algorithm="sha256").hexdigest()[
        :32
    ]


def device_cookie_value(username: str) -> str:
    """A signed cookie for a browser that has just signed in to `username`: from it, that
    account is not held to the account's limit (which a guesser elsewhere may have reached)."""
    return signing.dumps(
        {"a": account_key(username), "d": secrets.token_urlsafe(16)}, salt=DEVICE_SALT
    )


def trusted_device(cookie: str | None, username: str) -> str | None:
    """The browser's id when its cookie was given by a sign-in to this account within a year."""
    if not cookie:
        return None
    try:
        value = signing.loads(cookie, salt=DEVICE_SALT, max_age=DEVICE_COOKIE_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or value.get("a") != account_key(username):
        return None
    device = value.get("d")
    return device if isinstance(device, str) else None


@dataclass(frozen=True)
class Refusal:
    reason: str  # "address" or "account"
    seconds: int  # until the next try may be evaluated
    minutes: int  # the window, for the page


def sign_in_refusal(address: str, username: str, cookie: str | None) -> Refusal | None:
    """Why this sign-in is refused before its password is checked, or None.

    A browser that signed in to the account before (its device cookie) answers only for its
    own failures: neither its address's nor the account's count refuses it, so a guesser
    cannot lock the real user out of the browser they use. Any other browser is refused once
    its address or the account has failed too often."""
    device = trusted_device(cookie, username)
    if device is not None and not DEVICE_FAILURES.is_blocked(device):
        return None
    if seconds := ADDRESS_FAILURES.blocked_for(address):
        return Refusal("address", seconds, ADDRESS_FAILURES.window_minutes)
    if seconds := ACCOUNT_FAILURES.blocked_for(account_key(username)):
        return Refusal("account", seconds, ACCOUNT_FAILURES.window_minutes)
    return None


def record_sign_in_failure(address: str, username: str, cookie: str | None) -> None:
    device = trusted_device(cookie, username)
    if device is not None and not DEVICE_FAILURES.is_blocked(device):
        DEVICE_FAILURES.record_failure(device)
        return
    ADDRESS_FAILURES.record_failure(address)
    if username.strip():
        ACCOUNT_FAILURES.record_failure(account_key(username))


ADDRESS_FAILURES = Throttle("sign-in", limit=settings.THROTTLE_ADDRESS_LIMIT)
ACCOUNT_FAILURES = Throttle("sign-in-account", limit=ACCOUNT_LIMIT)
DEVICE_FAILURES = Throttle("sign-in-device", limit=DEVICE_LIMIT)
TOKEN_MISSES = Throttle("panelist-token", limit=settings.THROTTLE_ADDRESS_LIMIT)
API_TOKEN_MISSES = Throttle("api-token", limit=settings.THROTTLE_ADDRESS_LIMIT)
