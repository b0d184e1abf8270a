"""Checks made before anything starts, each failing with one line that says what is wrong."""

from __future__ import annotations

import errno
import socket
from typing import Optional

import redis

from bot.settings import RedisSettings, SettingsError
from bot.store.redis_client import sync_client


def port_problem(port: int, owner: str, env_var: str) -> Optional[str]:
    """Says why ``owner`` cannot listen on ``port``, or None when it can."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("0.0.0.0", port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return f"port {port} for the {owner} is in use: stop what holds it or set {env_var}"
            return f"cannot listen on port {port} for the {owner}: {error.strerror}"
    return None


def sentinel_problem() -> Optional[str]:
    """Says why the primary behind ``REDIS_SENTINELS`` cannot be used, or None when it answers PING."""
    try:
        settings = RedisSettings.from_env()
    except SettingsError as error:
        return str(error)
    client = sync_client(settings)
    try:
        client.ping()
    except (redis.ConnectionError, redis.TimeoutError, OSError) as error:
        return (f"no Redis primary for {settings.sentinel_service!r} from the Sentinels in REDIS_SENTINELS: "
                f"{error}")
    except redis.ResponseError as error:
        return f"the Redis primary behind REDIS_SENTINELS answered with an error: {error}"
    finally:
        client.close()
    return None


def redis_problem(url: str) -> Optional[str]:
    """Says why the Redis at ``url`` cannot be used, or None when it answers PING."""
    try:
        settings = RedisSettings.from_url(url)
    except SettingsError as error:
        return str(error)
    client = sync_client(settings)
    try:
        client.ping()
    except redis.AuthenticationError:
        return f"Redis at {settings.host}:{settings.port} refused the password in REDIS_URL"
    except (redis.ConnectionError, redis.TimeoutError, OSError) as error:
        return f"Redis at {settings.host}:{settings.port} (REDIS_URL) is unreachable: {error}"
    except redis.ResponseError as error:
        return f"Redis at {settings.host}:{settings.port} answered with an error: {error}"
    finally:
        client.close()
    return None
