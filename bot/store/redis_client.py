"""One way to open a Redis connection from :class:`bot.settings.RedisSettings`, and to ride out a short outage."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import time
from typing import Awaitable, Callable, TypeVar

import redis
import redis.asyncio

from bot.settings import RedisSettings, turn_wait_seconds

logger = logging.getLogger(__name__)

SOCKET_TIMEOUT_SECONDS = 5.0
T = TypeVar("T")


# Redis down, restarting (LOADING its AOF), or a replica during a failover: worth waiting for.
_TRANSIENT = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, redis.exceptions.ReadOnlyError,
              OSError)


class StoreUnavailable(RuntimeError):
    """Redis stayed unreachable for the whole wait: the turn is not processed, and the customer is told so."""


def as_text(value) -> str:
    """A reply value as text, whether the client decodes responses or returns bytes."""
    return value.decode() if isinstance(value, bytes) else str(value)


def storable_json(value) -> bool:
    """Whether every string in a parsed JSON value is text Redis can store as UTF-8.

    ``"\\ud800"`` is valid JSON but a lone surrogate, which no encoder takes: an
    input that reaches Redis with one fails deep inside a handler.  Checking the
    whole body once is cheaper than remembering it at every field.
    """
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except (UnicodeEncodeError, ValueError, RecursionError):
        return False
    return True


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def storable_text(text: str) -> str:
    """``text`` with each lone surrogate (half of a cut emoji, sent as JSON ``"\\ud83d"``) as U+FFFD.

    A customer's message is kept, whatever a broken client did to it: the
    conversation index, the analytics and the handoff queue all store it, and
    none could (UnicodeEncodeError).  Sanic's JSON decoder (ujson) also lets invalid UTF-8
    through as code points past U+10FFFF, which Python cannot even iterate over
    (OpenCC raised SystemError on one): each of their bytes becomes U+FFFD.
    """
    text = _LONE_SURROGATE.sub("\ufffd", text)
    encoded = text.encode("utf-8")
    try:
        encoded.decode("utf-8")
    except UnicodeDecodeError:
        return encoded.decode("utf-8", "replace")
    return text


def redis_unavailable(error: BaseException) -> bool:
    """Whether ``error`` means Redis cannot be reached now (a redis-py error or a socket error)."""
    return type(error).__module__.startswith("redis") or isinstance(error, OSError)


def async_client(settings: RedisSettings, decode_responses: bool = True) -> redis.asyncio.Redis:
    if settings.sentinels:
        from redis.asyncio.sentinel import Sentinel

        return Sentinel(settings.sentinels, socket_timeout=SOCKET_TIMEOUT_SECONDS).master_for(
            settings.sentinel_service, db=settings.db, password=settings.password, username=settings.username,
            decode_responses=decode_responses, socket_timeout=SOCKET_TIMEOUT_SECONDS,
            socket_connect_timeout=SOCKET_TIMEOUT_SECONDS)
    return redis.asyncio.Redis.from_url(
        settings.url,
        decode_responses=decode_responses,
        socket_timeout=SOCKET_TIMEOUT_SECONDS,
        socket_connect_timeout=SOCKET_TIMEOUT_SECONDS,
    )


def sync_client(settings: RedisSettings, decode_responses: bool = True) -> redis.Redis:
    """For command-line tools such as the run command's checks, never inside a handler."""
    if settings.sentinels:
        from redis.sentinel import Sentinel

        return Sentinel(settings.sentinels, socket_timeout=SOCKET_TIMEOUT_SECONDS).master_for(
            settings.sentinel_service, db=settings.db, password=settings.password, username=settings.username,
            decode_responses=decode_responses, socket_timeout=SOCKET_TIMEOUT_SECONDS,
            socket_connect_timeout=SOCKET_TIMEOUT_SECONDS)
    return redis.Redis.from_url(
        settings.url,
        decode_responses=decode_responses,
        socket_timeout=SOCKET_TIMEOUT_SECONDS,
        socket_connect_timeout=SOCKET_TIMEOUT_SECONDS,
    )


def outage_wait_seconds(environ=os.environ) -> float:
    return turn_wait_seconds("REDIS_OUTAGE_WAIT_SECONDS", environ)


async def patiently(call: Callable[[], Awaitable[T]], what: str, wait_seconds: float) -> T:
    """``call()``, tried again while Redis is unreachable, for at most ``wait_seconds``; then StoreUnavailable.

    Only for idempotent work: a call that failed half-way is run again whole.
    """
    deadline = time.monotonic() + wait_seconds
    pause = 0.05
    while True:
        try:
            return await call()
        except _TRANSIENT as error:
            left = deadline - time.monotonic()
            if left <= 0:
                raise StoreUnavailable(f"{what}: Redis unreachable for {wait_seconds:g} s ({error})") from error
            # the last try falls on the deadline itself: a Redis back just before it still serves the turn
            pause = min(pause, left)
            logger.warning("%s: Redis unreachable (%s), trying again in %.2f s", what, error, pause)
        await asyncio.sleep(pause)
        pause = min(pause * 2, 1.0)
