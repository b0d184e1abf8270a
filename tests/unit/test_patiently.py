"""Waiting out a short Redis outage (``patiently``): every try up to the deadline, then StoreUnavailable."""

import time

import pytest
import redis

from bot.store.redis_client import StoreUnavailable, patiently


def redis_back_after(seconds: float):
    back_at = time.monotonic() + seconds
    tries = []

    async def call():
        tries.append(time.monotonic())
        if time.monotonic() < back_at:
            raise redis.exceptions.ConnectionError("Error 111 connecting")
        return "served"

    return call, tries


async def test_a_redis_back_just_before_the_deadline_still_serves_the_call():
    # tries at 0, .05, .15, .35, .75: the next pause (0.8 s) would overshoot, so the last try falls on the deadline
    call, tries = redis_back_after(0.9)
    assert await patiently(call, "reading", 1.0) == "served"
    assert 0.9 <= tries[-1] - tries[0] < 1.2


async def test_a_redis_away_longer_than_the_wait_is_given_up_at_the_deadline_not_before():
    call, tries = redis_back_after(10)
    started = time.monotonic()
    with pytest.raises(StoreUnavailable, match="reading: Redis unreachable for 0.5 s"):
        await patiently(call, "reading", 0.5)
    assert 0.5 <= time.monotonic() - started < 0.8
    assert len(tries) >= 4


async def test_no_wait_means_one_try():
    call, tries = redis_back_after(10)
    with pytest.raises(StoreUnavailable):
        await patiently(call, "locking", 0.0)
    assert len(tries) == 1


async def test_other_errors_are_not_waited_out():
    async def call():
        raise ValueError("a bug, not an outage")

    with pytest.raises(ValueError):
        await patiently(call, "saving", 5.0)
