"""Dates and money the way the shop writes them to customers: China time, ``11月28日 14:05``, ``¥629``."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

DAY = 24 * 3600
CHINA_TIME = timezone(timedelta(hours=8))  # China has no DST


def when(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, CHINA_TIME)


def day(ts: float) -> str:
    moment = when(ts)
    return f"{moment.month}月{moment.day}日"


def minute(ts: float) -> str:
    return f"{day(ts)} {when(ts):%H:%M}"


def money(amount: float) -> str:
    return f"¥{amount:.2f}".replace(".00", "")


def date_digits(ts: float) -> str:
    return when(ts).strftime("%Y%m%d")
