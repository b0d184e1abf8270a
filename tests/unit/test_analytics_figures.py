"""The retention report's figures on a small case worked out by hand (no Redis)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.analytics import figures
from bot.analytics.report import as_json, build, csv_rows
from bot.analytics.data import Logs, as_person


def at(day: int, hour: int = 10, month: int = 11) -> float:
    return datetime(2026, month, day, hour, tzinfo=timezone.utc).timestamp()


NOW = at(25, 12)  # a Wednesday: the week of 11-23 is not over
A = [f"customer:a{n}" for n in range(1, 6)]  # first chat Monday 11-02
B = ["customer:b1", "customer:b2", "customer:b3"]  # first chat in the week of 11-09: too few to show

TURNS = ([(person, at(2), False, 0.9) for person in A]
         + [(A[0], at(3), False, 0.95), (A[0], at(10), True, 0.3), (A[1], at(11), False, 0.8)]
         + [(person, at(12), False, 0.7) for person in B])
PURCHASES = [(A[2], at(16)), ("customer:never-chatted", at(16))]


def test_cohorts_by_hand():
    found = figures.cohorts(TURNS, PURCHASES, NOW, utc_offset_hours=0, min_group=5)
    first, second = found
    assert datetime.fromtimestamp(figures.week_start_day(first.week) * 86400, timezone.utc).date().isoformat() \
        == "2026-11-02"
    assert first.size == 5
    # week 0 everyone; week 1 a1 and a2 chatted again; week 2 a3 bought; week 3 nobody yet (not over)
    assert first.weeks[:4] == [1.0, 0.4, 0.2, 0.0] and first.weeks[4:] == [None] * 4
    assert first.incomplete[:4] == [False, False, False, True]
    assert first.days == {1: 0.2, 7: 0.0, 14: 0.2, 30: None}  # day 30 is in the future
    assert second.size is None and second.weeks == [None] * figures.WEEKS_SHOWN  # 3 people: suppressed


def test_funnel_counts_each_product_once_per_person_and_suppresses_small_groups():
    events = ([(person, "shown", "P1", "跑步鞋", "预算", at(2)) for person in A]
              + [(A[0], "shown", "P1", "跑步鞋", "预算", at(3))]  # shown again: still one
              + [(A[0], "clicked", "P1", "", "", at(3)), (A[1], "clicked", "P1", "", "", at(3)),
                 (A[1], "bought", "P1", "", "", at(4)), (A[2], "bought", "P9", "", "", at(4))]  # P9 never shown
              + [(person, "shown", "P2", "口红", "品牌", at(2)) for person in B[:2]])
    rows = {row.group: row for row in figures.funnel(events, "category", min_group=5)}
    shoes = rows["跑步鞋"]
    assert (shoes.people, shoes.shown, shoes.clicked, shoes.bought) == (5, 5, 2, 1)
    assert shoes.click_rate == 0.4 and shoes.buy_rate == 0.2
    assert rows["口红"].people is None and rows["口红"].click_rate is None
    assert {row.group for row in figures.funnel(events, "reason", min_group=5)} == {"预算", "品牌"}


def test_alert_conversion_counts_what_followed_within_a_week():
    alerts = [(person, "P1", "price_drop", "sent", at(5)) for person in A] + [(B[0], "P1", "restock", "blocked", at(5))]
    events = [(A[0], "clicked", "P1", "", "", at(6)), (A[1], "asked", "P1", "", "", at(7)),
              (A[1], "bought", "P1", "", "", at(8)), (A[2], "clicked", "P1", "", "", at(20)),  # too late
              (A[3], "clicked", "P7", "", "", at(6))]  # another product
    [row] = figures.alert_conversion(alerts, events, min_group=5)
    assert (row.kind, row.people, row.sent, row.opened, row.bought) == ("price_drop", 5, 5, 2, 1)
    assert row.open_rate == 0.4


def test_weekly_rates_and_the_whole_report():
    weeks = figures.weekly_rates(TURNS, [(A[0], at(2))], utc_offset_hours=0, min_group=5)
    first = weeks[0]
    assert (first.people, first.turns) == (5, 6) and first.handoff_rate == 0.2 and first.fallback_rate == 0
    assert (weeks[1].people, weeks[1].fallback_rate) == (5, 0.2)  # a1, a2 and the three of B: five people
    logs = Logs(turns=TURNS, purchases=PURCHASES, handoffs=[(A[0], at(2))])
    report = build(logs, NOW, utc_offset_hours=0, min_group=5)
    assert report.people == 8 and sum(report.confidence_histogram) == len(TURNS)
    data = as_json(report)
    assert data["cohorts"][0]["week"] == "2026-11-02" and data["cohorts"][1]["size"] is None
    rows = csv_rows(report)
    assert ["cohort", "2026-11-02", "week_1", "40.0%"] in rows
    assert ["cohort", "2026-11-02", "week_3_incomplete", "0.0%"] in rows


@pytest.mark.parametrize("given, person", [("demo-1001", "customer:demo-1001"), ("chat:abc", "chat:abc"),
                                           ("wechat:o1", "wechat:o1")])
def test_shop_posted_events_name_the_shops_customer(given, person):
    assert as_person(given) == person
