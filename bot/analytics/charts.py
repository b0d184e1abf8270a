"""PNG charts of a report (matplotlib, no display needed)."""

from __future__ import annotations

import io
from datetime import datetime, timezone
from typing import Callable, Dict

import matplotlib

matplotlib.use("Agg")  # files only: no display on a server
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from bot.analytics.figures import WEEKS_SHOWN, Report, week_start_day  # noqa: E402

# Chinese labels need a CJK font; with none installed the labels fall back to English.
_CJK = next((font.name for font in font_manager.fontManager.ttflist
             if any(name in font.name for name in ("Noto Sans CJK", "WenQuanYi", "SimHei", "Source Han"))), None)
if _CJK:
    plt.rcParams["font.sans-serif"] = [_CJK] + plt.rcParams["font.sans-serif"]


def _label(chinese: str, english: str) -> str:
    return chinese if _CJK else english


def week_label(week: int) -> str:
    return datetime.fromtimestamp(week_start_day(week) * 86400, timezone.utc).strftime("%m-%d")


def _png(draw: Callable[[plt.Axes], None], size=(8, 4.5)) -> bytes:
    figure, axes = plt.subplots(figsize=size, dpi=100)
    try:
        draw(axes)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        plt.close(figure)


def cohort_heatmap(report: Report) -> bytes:
    shown = [c for c in report.cohorts if c.size is not None][-12:]

    def draw(axes):
        values = [[(w if w is not None else float("nan")) for w in c.weeks] for c in shown] or [[float("nan")]]
        image = axes.imshow(values, vmin=0, vmax=1, cmap="Blues", aspect="auto")
        for row, cohort in enumerate(shown):
            for column, value in enumerate(cohort.weeks):
                if value is not None:
                    text = f"{value:.0%}" + ("*" if cohort.incomplete[column] else "")
                    axes.text(column, row, text, ha="center", va="center", fontsize=8,
                              color="white" if value > 0.6 else "black")
        axes.set_xticks(range(WEEKS_SHOWN))
        axes.set_xticklabels([f"W{n}" for n in range(WEEKS_SHOWN)])
        axes.set_yticks(range(len(shown)))
        axes.set_yticklabels([f"{week_label(c.week)} (n={c.size})" for c in shown])
        axes.set_title(_label("按首次咨询周的留存（*：该周尚未结束）", "Retention by week of first chat (*: week not over)"))
        axes.figure.colorbar(image, ax=axes)

    return _png(draw, (9, 1.5 + 0.4 * max(len(shown), 3)))


def funnel_bars(rows, title: str) -> bytes:
    rows = [row for row in rows if row.people is not None][:12]

    def draw(axes):
        names = [row.group for row in rows]
        positions = range(len(rows))
        axes.barh([p + 0.27 for p in positions], [row.shown for row in rows], 0.27, label=_label("展示", "shown"))
        axes.barh(list(positions), [row.clicked for row in rows], 0.27, label=_label("点击", "clicked"))
        axes.barh([p - 0.27 for p in positions], [row.bought for row in rows], 0.27, label=_label("购买", "bought"))
        axes.set_yticks(list(positions))
        axes.set_yticklabels(names if _CJK else [f"group {n + 1}" for n in positions])
        axes.set_xscale("symlog")
        axes.legend()
        axes.set_title(title)

    return _png(draw, (9, 1.5 + 0.45 * max(len(rows), 3)))


def weekly_rates(report: Report) -> bytes:
    weeks = [w for w in report.weeks if w.people is not None][-16:]

    def draw(axes):
        labels = [week_label(w.week) for w in weeks]
        for name, label in (("fallback_rate", _label("未理解率", "fallback")), ("handoff_rate", _label("转人工率", "handoff")),
                            ("low_confidence_rate", _label("低置信度率", "low confidence"))):
            axes.plot(labels, [getattr(w, name) or 0 for w in weeks], marker="o", label=label)
        axes.set_ylim(0, 1)
        axes.legend()
        axes.set_title(_label("每周未理解、转人工、低置信度比例", "Weekly fallback, handoff and low-confidence rates"))

    return _png(draw)


def confidence_histogram(report: Report) -> bytes:
    def draw(axes):
        axes.bar([f"{n / 10:.1f}" for n in range(10)], list(report.confidence_histogram) or [0] * 10)
        axes.set_title(_label("意图置信度分布", "NLU intent confidence"))

    return _png(draw)


def all_charts(report: Report) -> Dict[str, bytes]:
    return {
        "cohorts.png": cohort_heatmap(report),
        "funnel_category.png": funnel_bars(report.funnel_by_category, _label("按品类：展示→点击→购买", "Funnel by category")),
        "funnel_reason.png": funnel_bars(report.funnel_by_reason, _label("按推荐理由：展示→点击→购买", "Funnel by reason")),
        "weekly_rates.png": weekly_rates(report),
        "confidence.png": confidence_histogram(report),
    }
