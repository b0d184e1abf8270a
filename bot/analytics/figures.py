"""The figures of the retention report, as pure functions over plain rows (tested without Redis).

Rows: turns ``(person, ts, fallback, confidence)``, events ``(person, type, product, category,
reason, ts)``, alert outcomes ``(person, product, kind, outcome, ts)``.  Times are unix seconds;
days and weeks are the shop's (``utc_offset_hours``), weeks start on Monday.

Every group of fewer than ``min_group`` people is suppressed (its figures are None), so no
figure describes one identifiable customer.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Optional, Sequence

DAY = 86400
WEEK = 7 * DAY
DAY_N = (1, 7, 14, 30)
WEEKS_SHOWN = 8
ALERT_CONVERSION_DAYS = 7


def shop_day(ts: float, utc_offset_hours: float) -> int:
    """Days since 1970-01-01 in the shop's time zone."""
    return int((ts + utc_offset_hours * 3600) // DAY)


def shop_week(ts: float, utc_offset_hours: float) -> int:
    """Weeks since the Monday 1969-12-29, in the shop's time zone (1970-01-01 was a Thursday)."""
    return (shop_day(ts, utc_offset_hours) + 3) // 7


def week_start_day(week: int) -> int:
    return week * 7 - 3


@dataclass
class Cohort:
    week: int  # shop_week of the first chat
    size: Optional[int]  # None: fewer than min_group people (suppressed)
    weeks: list  # week-N retention share for N = 0..WEEKS_SHOWN-1; None suppressed or not yet known
    incomplete: list  # True where week N has not ended yet
    days: dict  # day-N retention share for N in DAY_N; None when not yet known or suppressed


def cohorts(turns: Iterable[tuple], purchases: Iterable[tuple], now: float, utc_offset_hours: float = 8.0,
            min_group: int = 5) -> list:
    """Cohort retention: cohort = week of a person's first chat; returned = a chat or a purchase later.

    Week N of a cohort is the N-th calendar week after the cohort's week; day N is the N-th day
    after the person's first day.  A period that has not ended at ``now`` is marked incomplete.
    """
    active_days: dict = defaultdict(set)
    for person, ts, *_ in turns:
        active_days[person].add(shop_day(ts, utc_offset_hours))
    first_day = {person: min(days) for person, days in active_days.items()}
    for person, ts in purchases:
        if person in first_day:  # a purchase counts as a return only for someone who chatted
            active_days[person].add(shop_day(ts, utc_offset_hours))
    today, this_week = shop_day(now, utc_offset_hours), shop_week(now, utc_offset_hours)
    members: dict = defaultdict(list)
    for person, day in first_day.items():
        members[(day + 3) // 7].append(person)
    result = []
    for week in sorted(members):
        people = members[week]
        if len(people) < min_group:
            result.append(Cohort(week, None, [None] * WEEKS_SHOWN, [week + n >= this_week for n in
                                                                      range(WEEKS_SHOWN)], {n: None for n in DAY_N}))
            continue
        weeks, incomplete = [], []
        for n in range(WEEKS_SHOWN):
            target = week + n
            incomplete.append(target >= this_week)
            if target > this_week:
                weeks.append(None)
                continue
            back = sum(1 for person in people if any((day + 3) // 7 == target and day > first_day[person]
                                                     for day in active_days[person]))
            weeks.append(1.0 if n == 0 else back / len(people))
        days = {}
        for n in DAY_N:
            known = [person for person in people if first_day[person] + n <= today]
            if len(known) < min_group:
                days[n] = None
                continue
            days[n] = sum(1 for person in known if first_day[person] + n in active_days[person]) / len(known)
        result.append(Cohort(week, len(people), weeks, incomplete, days))
    return result


@dataclass
class FunnelRow:
    group: str
    people: Optional[int]  # shown to this many people; None suppressed
    shown: int = 0
    clicked: int = 0
    bought: int = 0

    @property
    def click_rate(self) -> Optional[float]:
        return self.clicked / self.shown if self.people is not None and self.shown else None

    @property
    def buy_rate(self) -> Optional[float]:
        return self.bought / self.shown if self.people is not None and self.shown else None


def funnel(events: Iterable[tuple], by: str, min_group: int = 5) -> list:
    """shown → clicked → bought, by ``category`` or by ``reason``: a product counts once per person
    and step; a click or purchase counts for the group the product was shown under."""
    shown_in: dict = {}  # (person, product) -> group
    steps: dict = defaultdict(lambda: {"shown": set(), "clicked": set(), "bought": set()})
    people: dict = defaultdict(set)
    for person, kind, product, category, reason, _ in sorted(events, key=lambda row: row[5]):
        if kind == "shown":
            group = (category if by == "category" else reason) or "未知"
            shown_in.setdefault((person, product), group)
            steps[group]["shown"].add((person, product))
            people[group].add(person)
        elif kind in ("clicked", "bought") and (person, product) in shown_in:
            steps[shown_in[(person, product)]][kind].add((person, product))
    rows = []
    for group in sorted(steps, key=lambda g: -len(steps[g]["shown"])):
        count = len(people[group])
        if count < min_group:
            rows.append(FunnelRow(group, None))
            continue
        rows.append(FunnelRow(group, count, len(steps[group]["shown"]), len(steps[group]["clicked"]),
                              len(steps[group]["bought"])))
    return rows


@dataclass
class AlertRow:
    kind: str
    people: Optional[int]
    sent: int = 0
    opened: int = 0  # the product was clicked or asked about within ALERT_CONVERSION_DAYS
    bought: int = 0

    @property
    def open_rate(self) -> Optional[float]:
        return self.opened / self.sent if self.people is not None and self.sent else None

    @property
    def buy_rate(self) -> Optional[float]:
        return self.bought / self.sent if self.people is not None and self.sent else None


def alert_conversion(alerts: Iterable[tuple], events: Iterable[tuple], min_group: int = 5) -> list:
    """Per alert kind: alerts that reached the customer (sent, or kept for their next visit), and how
    many were followed by a click or question (opened) and a purchase of that product."""
    after: dict = defaultdict(list)
    for person, kind, product, _category, _reason, ts in events:
        if kind in ("clicked", "asked", "bought"):
            after[(person, product)].append((ts, kind))
    rows: dict = {}
    people: dict = defaultdict(set)
    for person, product, kind, outcome, ts in alerts:
        if outcome not in ("sent", "kept"):
            continue
        row = rows.setdefault(kind, AlertRow(kind, 0))
        row.sent += 1
        people[kind].add(person)
        window = [what for at, what in after.get((person, product), ()) if ts <= at <= ts + ALERT_CONVERSION_DAYS * DAY]
        row.opened += bool(window)
        row.bought += "bought" in window
    result = []
    for kind, row in sorted(rows.items()):
        row.people = len(people[kind]) if len(people[kind]) >= min_group else None
        result.append(row if row.people is not None else AlertRow(kind, None))
    return result


@dataclass
class WeekRates:
    week: int
    people: Optional[int]
    turns: int = 0
    fallback_rate: Optional[float] = None
    handoff_rate: Optional[float] = None  # of people who chatted that week, the share who asked for a person
    mean_confidence: Optional[float] = None
    low_confidence_rate: Optional[float] = None


def weekly_rates(turns: Iterable[tuple], handoffs: Iterable[tuple], utc_offset_hours: float = 8.0,
                 min_group: int = 5, low_confidence: float = 0.6) -> list:
    """Turns ``(person, ts, fallback, confidence)``; handoffs ``(person, ts)``."""
    weeks: dict = defaultdict(lambda: {"people": set(), "turns": 0, "fallback": 0, "conf": [], "handoff": set()})
    for person, ts, fallback, confidence in turns:
        week = weeks[shop_week(ts, utc_offset_hours)]
        week["people"].add(person)
        week["turns"] += 1
        week["fallback"] += int(fallback)
        if confidence is not None:
            week["conf"].append(confidence)
    for person, ts in handoffs:
        weeks[shop_week(ts, utc_offset_hours)]["handoff"].add(person)
    rows = []
    for number in sorted(weeks):
        week = weeks[number]
        if len(week["people"]) < min_group:
            rows.append(WeekRates(number, None))
            continue
        confidences = week["conf"]
        rows.append(WeekRates(
            number, len(week["people"]), week["turns"], week["fallback"] / week["turns"] if week["turns"] else None,
            len(week["handoff"] & week["people"]) / len(week["people"]),
            sum(confidences) / len(confidences) if confidences else None,
            sum(1 for c in confidences if c < low_confidence) / len(confidences) if confidences else None))
    return rows


@dataclass
class Report:
    generated_at: float
    utc_offset_hours: float
    min_group: int
    people: int
    turns: int
    events: int
    cohorts: list = field(default_factory=list)
    funnel_by_category: list = field(default_factory=list)
    funnel_by_reason: list = field(default_factory=list)
    alerts: list = field(default_factory=list)
    weeks: list = field(default_factory=list)
    confidence_histogram: Sequence[int] = ()  # ten bins 0.0–0.1 … 0.9–1.0
