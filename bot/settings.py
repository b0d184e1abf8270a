"""Settings read from the environment, shared by every process.

All variables are documented in ``docs/operations.md``; this module is the one
place that parses them, so the rasa server, the action server and the run
command agree on what ``REDIS_URL`` means.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import Mapping, Optional, Tuple
from urllib.parse import quote, urlsplit

DEFAULT_KEY_PREFIX = "shopbot"
# Conversations a shop has not touched for 30 days are dropped from Redis.
DEFAULT_TRACKER_EXPIRY_SECONDS = 30 * 24 * 3600


class SettingsError(ValueError):
    """A setting in the environment is malformed; the message says which."""


@dataclass(frozen=True)
class RedisSettings:
    """Where Redis is and how our keys are named.

    ``REDIS_URL`` (``redis://[:password@]host:port/db``) wins; otherwise
    ``REDIS_HOST``, ``REDIS_PORT``, ``REDIS_DB`` and ``REDIS_PASSWORD`` are used.
    With ``REDIS_SENTINELS`` (``host:port,host:port``) every client asks those
    Sentinels for the primary of ``REDIS_SENTINEL_SERVICE`` (``mymaster``) and
    follows a failover; db and password still come from the variables above.
    ``REDIS_KEY_PREFIX`` must be alphanumeric because Rasa's Redis stores ignore
    any other prefix silently.
    """

    host: str = "localhost"
    port: int = 6379
    db: int = 0
    password: Optional[str] = None
    username: Optional[str] = None
    use_ssl: bool = False
    key_prefix: str = DEFAULT_KEY_PREFIX
    tracker_expiry_seconds: int = DEFAULT_TRACKER_EXPIRY_SECONDS
    sentinels: Tuple[Tuple[str, int], ...] = ()
    sentinel_service: str = "mymaster"

    @property
    def url(self) -> str:
        scheme = "rediss" if self.use_ssl else "redis"
        auth = ""
        if self.password:
            auth = f"{quote(self.username or '', safe='')}:{quote(self.password, safe='')}@"
        return f"{scheme}://{auth}{self.host}:{self.port}/{self.db}"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> "RedisSettings":
        prefix = environ.get("REDIS_KEY_PREFIX", DEFAULT_KEY_PREFIX)
        if not prefix.isalnum():
            raise SettingsError(
                f"REDIS_KEY_PREFIX must be letters and digits only, got {prefix!r}"
            )
        expiry = int_from_env(
            environ, "TRACKER_EXPIRY_SECONDS", DEFAULT_TRACKER_EXPIRY_SECONDS
        )
        if expiry < 0:
            raise SettingsError("TRACKER_EXPIRY_SECONDS must be 0 (never) or positive")
        sentinel = {"sentinels": parse_sentinels(environ.get("REDIS_SENTINELS") or ""),
                    "sentinel_service": (environ.get("REDIS_SENTINEL_SERVICE") or "mymaster").strip()}
        url = environ.get("REDIS_URL")
        if url:
            return cls.from_url(url, key_prefix=prefix, tracker_expiry_seconds=expiry, **sentinel)
        return cls(
            **sentinel,
            host=environ.get("REDIS_HOST", "localhost"),
            port=int_from_env(environ, "REDIS_PORT", 6379),
            db=int_from_env(environ, "REDIS_DB", 0),
            password=environ.get("REDIS_PASSWORD") or None,
            key_prefix=prefix,
            tracker_expiry_seconds=expiry,
        )

    @classmethod
    def from_url(cls, url: str, **overrides) -> "RedisSettings":
        parts = urlsplit(url)
        if parts.scheme not in ("redis", "rediss") or not parts.hostname:
            raise SettingsError(
                f"REDIS_URL must look like redis://[:password@]host:port/db, got {url!r}"
            )
        path = parts.path.lstrip("/")
        try:
            db = int(path) if path else 0
            port = parts.port or 6379
        except ValueError:
            raise SettingsError(f"REDIS_URL has a bad port or db number: {url!r}") from None
        return cls(
            host=parts.hostname,
            port=port,
            db=db,
            username=parts.username or None,
            password=parts.password or None,
            use_ssl=parts.scheme == "rediss",
            **overrides,
        )


def parse_sentinels(value: str) -> Tuple[Tuple[str, int], ...]:
    """``REDIS_SENTINELS``: ``host:port`` pairs separated by commas (the port defaults to 26379)."""
    found = []
    for item in filter(None, (part.strip() for part in value.split(","))):
        host, _, port = item.rpartition(":") if ":" in item else (item, "", "26379")
        try:
            found.append((host or item, int(port or 26379)))
        except ValueError:
            raise SettingsError(f"REDIS_SENTINELS must be host:port pairs separated by commas, got {value!r}") \
                from None
    return tuple(found)


def int_from_env(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None


def seconds_from_env(environ: Mapping[str, str], name: str, default: float, most: float = 3600,
                     zero_ok: bool = False) -> float:
    """A positive number of seconds (or 0 with ``zero_ok``: "do not wait"), at most ``most``;
    a clear SettingsError for anything else, never a silent fallback to the default."""
    raw = (environ.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number of seconds, got {raw!r}") from None
    if not (0 <= value if zero_ok else 0 < value) or not value <= most:  # nan fails this too
        lowest = "0" if zero_ok else "more than 0"
        raise SettingsError(f"{name} must be from {lowest} to {most:g} seconds, got {raw!r}")
    return value


# Waits that bound a customer's turn; each may be 0 (fail at once).  Checked by the
# run command before anything starts, so a typo is one clear line, not a turn's error.
TURN_WAIT_SECONDS = {
    "REDIS_OUTAGE_WAIT_SECONDS": 5.0,
    "ACTION_SERVER_WAIT_SECONDS": 10.0,
    "RECOMMENDER_WAIT_SECONDS": 8.0,
}


def turn_wait_seconds(name: str, environ: Mapping[str, str] = os.environ) -> float:
    """How long a turn waits for a part that is away (``TURN_WAIT_SECONDS``), at most five minutes."""
    return seconds_from_env(environ, name, TURN_WAIT_SECONDS[name], most=300, zero_ok=True)


@dataclass(frozen=True)
class ServiceHours:
    """When people answer (人工客服工作时间): ``SERVICE_HOURS="09:00-22:00"``, every day, shop time.

    One setting for every text that mentions the hours (the handoff reply, the
    FAQ's ``{service_hours}``), so the bot never states two different times.
    ``SHOP_UTC_OFFSET_HOURS`` (default 8, China) turns the clock into shop time.
    """

    opens_minute: int = 9 * 60
    closes_minute: int = 22 * 60
    utc_offset_hours: float = 8.0

    @property
    def text(self) -> str:
        return f"{_clock(self.opens_minute)}–{_clock(self.closes_minute)}"

    def is_open(self, unix_time: float) -> bool:
        minute = int(((unix_time + self.utc_offset_hours * 3600) % 86400) // 60)
        if self.opens_minute <= self.closes_minute:
            return self.opens_minute <= minute < self.closes_minute
        return minute >= self.opens_minute or minute < self.closes_minute  # past midnight

    @property
    def quiet_text(self) -> str:
        """The hours outside this window: ``22:00–8:00`` for alert hours of 8:00–22:00."""
        return f"{_clock(self.closes_minute)}–{_clock(self.opens_minute)}"

    def next_open(self, unix_time: float) -> float:
        """``unix_time`` if open then, else the moment it next opens."""
        if self.is_open(unix_time):
            return unix_time
        local = unix_time + self.utc_offset_hours * 3600
        opening = local - local % 86400 + self.opens_minute * 60
        if opening <= local:
            opening += 86400
        return opening - self.utc_offset_hours * 3600

    def day_of(self, unix_time: float) -> str:
        """The shop's date at ``unix_time`` (yyyymmdd), for counts per day."""
        return time.strftime("%Y%m%d", time.gmtime(unix_time + self.utc_offset_hours * 3600))

    @classmethod
    def parse(cls, raw: str, utc_offset_hours: float = 8.0, name: str = "SERVICE_HOURS") -> "ServiceHours":
        try:
            opens, closes = (part.strip() for part in raw.replace("–", "-").split("-"))
            return cls(_minute(opens), _minute(closes), utc_offset_hours)
        except ValueError:
            raise SettingsError(f"{name} must look like 09:00-22:00, got {raw!r}") from None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> "ServiceHours":
        try:
            offset = float(environ.get("SHOP_UTC_OFFSET_HOURS") or 8)
        except ValueError:
            raise SettingsError("SHOP_UTC_OFFSET_HOURS must be a number of hours, e.g. 8") from None
        return cls.parse(environ.get("SERVICE_HOURS") or "09:00-22:00", offset)

    @classmethod
    def alert_hours(cls, environ: Mapping[str, str] = os.environ) -> "ServiceHours":
        """When alerts may be sent: the complement of ``ALERT_QUIET_HOURS`` (default 22:00-08:00; ``off``: any time)."""
        raw = (environ.get("ALERT_QUIET_HOURS") or "22:00-08:00").strip()
        offset = cls.from_env(environ).utc_offset_hours
        if raw.lower() in ("off", "none", "0"):
            return cls(0, 24 * 60, offset)
        quiet = cls.parse(raw, offset, "ALERT_QUIET_HOURS")
        return cls(quiet.closes_minute, quiet.opens_minute, quiet.utc_offset_hours)


def _minute(clock: str) -> int:
    hours, minutes = clock.split(":")
    value = int(hours) * 60 + int(minutes)
    if not (0 <= int(minutes) < 60 and 0 <= value <= 24 * 60):
        raise ValueError(clock)
    return value


def _clock(minute: int) -> str:
    return f"{minute // 60}:{minute % 60:02d}"
