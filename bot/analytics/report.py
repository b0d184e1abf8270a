"""``python -m bot.analytics report --out DIR``: the retention report as PNG charts, CSV and HTML.

The same figures are what supervisors see in the console (``GET /api/reports``).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import html
import os
import sys
import time
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional

from bot.analytics import figures
from bot.analytics.data import Logs, read_logs
from bot.settings import RedisSettings, ServiceHours, SettingsError, int_from_env
from bot.store.redis_client import async_client

DEFAULT_MIN_GROUP = 5


def build(logs: Logs, now: float, utc_offset_hours: float = 8.0, min_group: int = DEFAULT_MIN_GROUP) -> figures.Report:
    histogram = [0] * 10
    for _, _, _, confidence in logs.turns:
        if confidence is not None:
            histogram[min(9, max(0, int(confidence * 10)))] += 1
    return figures.Report(
        generated_at=now, utc_offset_hours=utc_offset_hours, min_group=min_group,
        people=len({person for person, *_ in logs.turns}), turns=len(logs.turns), events=len(logs.events),
        cohorts=figures.cohorts(logs.turns, logs.purchases, now, utc_offset_hours, min_group),
        funnel_by_category=figures.funnel(logs.events, "category", min_group),
        funnel_by_reason=figures.funnel(logs.events, "reason", min_group),
        alerts=figures.alert_conversion(logs.alerts, logs.events, min_group),
        weeks=figures.weekly_rates(logs.turns, logs.handoffs, utc_offset_hours, min_group),
        confidence_histogram=histogram,
    )


def _date(week: int) -> str:
    return datetime.fromtimestamp(figures.week_start_day(week) * 86400, timezone.utc).strftime("%Y-%m-%d")


def as_json(report: figures.Report) -> Dict[str, Any]:
    """The report as JSON values (the console's API); weeks are given by their Monday."""
    def funnel(rows):
        return [{**asdict(row), "click_rate": row.click_rate, "buy_rate": row.buy_rate} for row in rows]

    return {
        "generated_at": report.generated_at, "min_group": report.min_group, "people": report.people,
        "turns": report.turns, "events": report.events,
        "cohorts": [{**asdict(c), "week": _date(c.week), "days": {str(k): v for k, v in c.days.items()}}
                    for c in report.cohorts],
        "funnel_by_category": funnel(report.funnel_by_category), "funnel_by_reason": funnel(report.funnel_by_reason),
        "alerts": [{**asdict(row), "open_rate": row.open_rate, "buy_rate": row.buy_rate} for row in report.alerts],
        "weeks": [{**asdict(w), "week": _date(w.week)} for w in report.weeks],
        "confidence_histogram": list(report.confidence_histogram),
    }


def _pct(value: Optional[float]) -> str:
    return "" if value is None else f"{value:.1%}"


def csv_rows(report: figures.Report) -> List[List[str]]:
    """One long table: section, group, measure, value (empty value: suppressed or not yet known)."""
    rows = [["section", "group", "measure", "value"]]
    for c in report.cohorts:
        group = _date(c.week)
        rows.append(["cohort", group, "size", "" if c.size is None else str(c.size)])
        for n, share in enumerate(c.weeks):
            rows.append(["cohort", group, f"week_{n}" + ("_incomplete" if c.incomplete[n] else ""), _pct(share)])
        for n, share in c.days.items():
            rows.append(["cohort", group, f"day_{n}", _pct(share)])
    for section, funnel in (("funnel_category", report.funnel_by_category), ("funnel_reason", report.funnel_by_reason)):
        for row in funnel:
            for measure in ("people", "shown", "clicked", "bought"):
                value = getattr(row, measure) if row.people is not None else None
                rows.append([section, row.group, measure, "" if value is None else str(value)])
            rows.append([section, row.group, "click_rate", _pct(row.click_rate)])
            rows.append([section, row.group, "buy_rate", _pct(row.buy_rate)])
    for row in report.alerts:
        for measure in ("people", "sent", "opened", "bought"):
            value = getattr(row, measure) if row.people is not None else None
            rows.append(["alerts", row.kind, measure, "" if value is None else str(value)])
    for w in report.weeks:
        for measure in ("people", "turns", "fallback_rate", "handoff_rate", "mean_confidence", "low_confidence_rate"):
            value = getattr(w, measure)
            text = "" if value is None else (str(value) if measure in ("people", "turns") else f"{value:.4f}")
            rows.append(["weekly", _date(w.week), measure, text])
    return rows


def write(report: figures.Report, out: Path) -> List[Path]:
    from bot.analytics.charts import all_charts  # matplotlib only when charts are drawn

    out.mkdir(parents=True, exist_ok=True)
    written = []
    charts = all_charts(report)
    for name, png in charts.items():
        (out / name).write_bytes(png)
        written.append(out / name)
    with open(out / "summary.csv", "w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows(csv_rows(report))
    written.append(out / "summary.csv")
    (out / "report.html").write_text(_html(report, list(charts)), encoding="utf-8")
    written.append(out / "report.html")
    return written


def _table(head: List[str], rows: List[List[str]]) -> str:
    cells = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"


def _html(report: figures.Report, charts: List[str]) -> str:
    stamp = datetime.fromtimestamp(report.generated_at, timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    cohort_rows = [[_date(c.week), "<%d" % report.min_group if c.size is None else c.size]
                   + [("" if w is None else f"{w:.0%}") + ("*" if c.incomplete[n] and w is not None else "")
                      for n, w in enumerate(c.weeks)] for c in report.cohorts]
    funnel_rows = lambda rows: [[r.group, "<%d" % report.min_group if r.people is None else r.people, r.shown, r.clicked,  # noqa: E731
                                 r.bought, _pct(r.click_rate), _pct(r.buy_rate)] for r in rows]
    parts = [
        "<!doctype html><meta charset='utf-8'><title>留存报表</title>",
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}"
        "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}img{max-width:100%}</style>",
        f"<h1>留存报表</h1><p>生成于 {stamp}；{report.people} 位顾客，{report.turns} 条消息，{report.events} 个行为事件。"
        f"少于 {report.min_group} 人的分组不显示（&lt;{report.min_group}），带 * 的周尚未结束。</p>",
        "<h2>按首次咨询周的留存</h2>",
        _table(["首次咨询周", "人数"] + [f"第{n}周" for n in range(figures.WEEKS_SHOWN)], cohort_rows),
        "<h2>展示 → 点击 → 购买（按品类）</h2>",
        _table(["品类", "人数", "展示", "点击", "购买", "点击率", "购买率"], funnel_rows(report.funnel_by_category)),
        "<h2>展示 → 点击 → 购买（按推荐理由）</h2>",
        _table(["理由", "人数", "展示", "点击", "购买", "点击率", "购买率"], funnel_rows(report.funnel_by_reason)),
        "<h2>提醒转化</h2>",
        _table(["提醒", "人数", "送达", "打开", "购买", "打开率", "购买率"],
               [[r.kind, "<%d" % report.min_group if r.people is None else r.people, r.sent, r.opened, r.bought,
                 _pct(r.open_rate), _pct(r.buy_rate)] for r in report.alerts]),
        "<h2>每周</h2>",
        _table(["周", "人数", "消息", "未理解率", "转人工率", "平均置信度", "低置信度率"],
               [[_date(w.week), "<%d" % report.min_group if w.people is None else w.people, w.turns,
                 _pct(w.fallback_rate), _pct(w.handoff_rate), "" if w.mean_confidence is None else
                 f"{w.mean_confidence:.3f}", _pct(w.low_confidence_rate)] for w in report.weeks]),
    ]
    parts += [f"<h2>{html.escape(name)}</h2><img src='{html.escape(name)}' alt='{html.escape(name)}'>" for name in charts]
    return "\n".join(parts)


async def _report(out: Path, min_group: int, since_days: Optional[float]) -> figures.Report:
    settings = RedisSettings.from_env()
    client = async_client(settings)
    try:
        since = time.time() - since_days * 86400 if since_days else 0.0
        logs = await read_logs(client, settings.key_prefix, since)
    finally:
        await client.close()
    offset = ServiceHours.from_env().utc_offset_hours
    return build(logs, time.time(), offset, min_group)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.analytics", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    report = commands.add_parser("report", help="write PNG charts, summary.csv and report.html")
    report.add_argument("--out", required=True, type=Path, help="directory to write into")
    report.add_argument("--min-group", type=int, default=None,
                        help=f"suppress groups of fewer people (default ANALYTICS_MIN_GROUP or {DEFAULT_MIN_GROUP})")
    report.add_argument("--since-days", type=float, default=None, help="only the last N days (default: all kept)")
    args = parser.parse_args(argv)
    try:
        min_group = args.min_group if args.min_group is not None else int_from_env(
            os.environ, "ANALYTICS_MIN_GROUP", DEFAULT_MIN_GROUP)
        if min_group < 2:
            raise SettingsError("the minimum group size must be at least 2, so no figure is about one person")
        started = time.perf_counter()
        result = asyncio.run(_report(args.out, min_group, args.since_days))
        written = write(result, args.out)
    except SettingsError as error:
        print(f"analytics: {error}", file=sys.stderr)
        return 2
    print(f"{result.people} people, {result.turns} turns, {result.events} events → "
          f"{len(written)} files in {args.out} ({time.perf_counter() - started:.1f} s)")
    return 0
