"""One way to open a Redis connection from :class:`bot.settings.RedisSettings`."""

from __future__ import annotations

import redis
import redis.asyncio

from bot.settings import RedisSettings

SOCKET_TIMEOUT_SECONDS = 5.0


def as_text(value) -> str:
    """A reply value as text, whether the client decodes responses or returns bytes."""
    return value.decode() if isinstance(value, bytes) else str(value)


def redis_unavailable(error: BaseException) -> bool:
    """Whether ``error`` means Redis cannot be reached now (a redis-py error or a socket error)."""
    return type(error).__module__.startswith("redis") or isinstance(error, OSError)


def async_client(settings: RedisSettings, decode_responses: bool = True) -> redis.asyncio.Redis:
    return redis.asyncio.Redis.from_url(
        settings.url,
        decode_responses=decode_responses,
        socket_timeout=SOCKET_TIMEOUT_SECONDS,
        socket_connect_timeout=SOCKET_TIMEOUT_SECONDS,
    )


def sync_client(settings: RedisSettings, decode_responses: bool = True) -> redis.Redis:
    """For command-line tools such as the run command's checks, never inside a handler."""
    return redis.Redis.from_url(
        settings.url,
        decode_responses=decode_responses,
        socket_timeout=SOCKET_TIMEOUT_SECONDS,
        socket_connect_timeout=SOCKET_TIMEOUT_SECONDS,
    )
