"""The rule behind sign-in and panelist-link refusals, on a fake clock."""

import pytest

from meetings.throttle import Throttle

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
