"""The rule behind sign-in and panelist-link refusals, on a fake clock; the addresses it counts."""

import ipaddress

import pytest

from config.common.throttle import Throttle, client_address

MINUTE = 60


class FakeClock:
    def __init__(self) -> None:
        self.seconds = 1_000_000.0

    def __call__(self) -> float:
        return self.seconds

    def advance(self, minutes: float) -> None:
        self.seconds += minutes * MINUTE


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def throttle(clock):
    return Throttle("test", limit=10, window_seconds=15 * MINUTE, now=clock)


def test_nine_failures_refuse_nobody(throttle):
    for _ in range(9):
        throttle.record_failure("10.0.0.1")
    assert not throttle.is_blocked("10.0.0.1")


def test_the_refusal_lasts_fifteen_minutes_from_the_tenth_failure(throttle, clock):
    throttle.record_failure("10.0.0.1")
    clock.advance(14)
    for _ in range(9):
        throttle.record_failure("10.0.0.1")
    assert throttle.is_blocked("10.0.0.1")
    clock.advance(14)  # 28 minutes after the first failure, 14 after the tenth
    assert throttle.is_blocked("10.0.0.1")
    clock.advance(1.1)
    assert not throttle.is_blocked("10.0.0.1")


def test_after_the_refusal_the_count_starts_again(throttle, clock):
    for _ in range(10):
        throttle.record_failure("10.0.0.1")
    clock.advance(16)
    throttle.record_failure("10.0.0.1")
    assert not throttle.is_blocked("10.0.0.1")


def test_each_address_is_counted_apart(throttle):
    for _ in range(10):
        throttle.record_failure("10.0.0.1")
    assert throttle.is_blocked("10.0.0.1")
    assert not throttle.is_blocked("10.0.0.2")


@pytest.fixture
def cache_away(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens there
        }
    }


def test_with_the_cache_away_the_process_counts_and_refuses(throttle, clock, cache_away):
    for _ in range(10):
        throttle.record_failure("10.0.0.1")

    assert throttle.blocked_for("10.0.0.1") == 15 * MINUTE
    assert not throttle.is_blocked("10.0.0.2")
    clock.advance(15.1)
    assert not throttle.is_blocked("10.0.0.1")


def test_a_refusal_counted_while_the_cache_was_away_outlasts_its_return(throttle, settings):
    saved = settings.CACHES
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }
    for _ in range(10):
        throttle.record_failure("10.0.0.1")
    settings.CACHES = saved

    assert throttle.is_blocked("10.0.0.1")


def test_forgetting_an_identity_clears_its_count_and_refusal(throttle):
    for _ in range(10):
        throttle.record_failure("10.0.0.1")
    throttle.forget("10.0.0.1")

    assert not throttle.is_blocked("10.0.0.1")
    for _ in range(9):
        throttle.record_failure("10.0.0.1")
    assert not throttle.is_blocked("10.0.0.1")


@pytest.mark.parametrize(
    ("remote", "counted_as"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("203.0.113.7:51234", "203.0.113.7"),  # a port, as some servers write it
        ("::ffff:203.0.113.7", "203.0.113.7"),  # IPv4 mapped into IPv6
        ("[::ffff:203.0.113.7]:443", "203.0.113.7"),
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),  # one subscriber holds a /64
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("[2001:db8:1:2::1]:443", "2001:db8:1:2::/64"),
        ("fe80::1%eth0", "fe80::/64"),
        ("not an address", "unknown"),
    ],
)
def test_addresses_are_counted_in_one_form(remote, counted_as, rf):
    assert client_address(rf.get("/", REMOTE_ADDR=remote)) == counted_as


@pytest.mark.parametrize(
    ("remote", "forwarded", "counted_as"),
    [
        ("10.1.2.3", "198.51.100.1", "198.51.100.1"),  # a proxy inside the trusted range
        ("10.1.2.3", "198.51.100.1, 10.200.0.9", "198.51.100.1"),  # two proxies of the range
        ("10.1.2.3", "1.1.1.1, 198.51.100.1:5555", "198.51.100.1"),  # what the client wrote
        ("::ffff:10.1.2.3", "2001:db8::7", "2001:db8::/64"),
        ("192.0.2.1", "198.51.100.1", "192.0.2.1"),  # not a trusted proxy: its own address
        ("", "198.51.100.1", "198.51.100.1"),  # a Unix socket: this machine
        ("10.1.2.3", "", "10.1.2.3"),  # nothing forwarded: the proxy itself
        ("10.1.2.3", "<script>, 198.51.100.1", "198.51.100.1"),
        ("10.1.2.3", "198.51.100.1, garbage", "unknown"),  # what a broken proxy wrote
    ],
)
def test_behind_trusted_proxy_ranges_the_client_is_the_last_untrusted_hop(
    remote, forwarded, counted_as, rf, settings
):
    settings.TRUSTED_PROXIES = (ipaddress.ip_network("10.0.0.0/8"),)

    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)

    assert client_address(request) == counted_as
