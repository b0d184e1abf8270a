"""The retention report from a real Redis: the rasa server logs turns, the CLI writes PNG, CSV and HTML."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
import uuid

import redis

from bot.analytics.turns import TurnLog
from bot.store.customer_activity import CustomerActivityStore, CustomerEvent
from tests.integration.conftest import KEY_PREFIX
from tests.integration.processes import ROOT
from tests.integration.test_customer_identity import say, token_for


def test_the_rasa_server_logs_each_customer_turn_for_the_analytics(rasa, redis_server):
    customer = f"cust-{uuid.uuid4().hex[:8]}"
    window = f"window-{uuid.uuid4().hex[:6]}"
    say(rasa, window, "推荐一款蓝牙耳机", token_for(customer))
    say(rasa, window, "转人工", token_for(customer))
    guest = f"window-{uuid.uuid4().hex[:6]}"
    say(rasa, guest, "你好")
    client = redis.Redis.from_url(redis_server.url, decode_responses=True)
    turns = [fields for _, fields in client.xrange(f"{KEY_PREFIX}:analytics:turns")
             if fields["conversation"] in (window, guest)]
    client.close()
    mine = [turn for turn in turns if turn["conversation"] == window]
    assert [turn["person"] for turn in mine] == [f"customer:{customer}"] * 2
    assert [turn["handoff"] for turn in mine] == ["0", "1"] and mine[0]["intent"] == "request_recommendation"
    assert float(mine[0]["confidence"]) > 0 and [t["person"] for t in turns if t["conversation"] == guest] == [
        f"chat:{guest}"]


def test_the_report_command_writes_charts_csv_and_html_and_names_nobody(private_redis_url, tmp_path):
    async def fill():
        client = redis.asyncio.Redis.from_url(private_redis_url, decode_responses=True)
        await client.flushdb()
        log, activity = TurnLog(client, "rep"), CustomerActivityStore(client, "rep")
        now = time.time()
        people = [f"customer:person-{n}" for n in range(12)]
        await log.record({"person": person, "conversation": person, "channel": "rest", "intent": "greet",
                          "confidence": 0.9, "fallback": 0, "handoff": 0, "ts": now - 20 * 86400} for person in people)
        await log.record({"person": person, "conversation": person, "channel": "rest", "intent": "greet",
                          "confidence": 0.5, "fallback": 1, "handoff": 0, "ts": now - 6 * 86400} for person in people[:6])
        for person in people:
            await activity.record(CustomerEvent(person, "shown", "P1", "跑步鞋", "耐克", 599.0, "", now - 20 * 86400,
                                                reason="预算"))
        await activity.record(CustomerEvent(people[0], "bought", "P1", "跑步鞋", "耐克", 599.0, "", now - 19 * 86400))
        await client.close()

    asyncio.run(fill())
    out = tmp_path / "report"
    done = subprocess.run([sys.executable, "-m", "bot.analytics", "report", "--out", str(out)], cwd=ROOT,
                          env={"REDIS_URL": private_redis_url, "REDIS_KEY_PREFIX": "rep", "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "12 people" in done.stdout
    for name in ("cohorts.png", "funnel_category.png", "funnel_reason.png", "weekly_rates.png", "confidence.png"):
        assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    summary = (out / "summary.csv").read_text("utf-8")
    assert "funnel_category,跑步鞋,bought,1" in summary and "cohort," in summary
    page = (out / "report.html").read_text("utf-8")
    assert "留存报表" in page and "person-" not in page and "person-" not in summary
    refused = subprocess.run([sys.executable, "-m", "bot.analytics", "report", "--out", str(out), "--min-group", "1"],
                             cwd=ROOT, env={"REDIS_URL": private_redis_url, "PATH": "/usr/bin:/bin"},
                             capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and "at least 2" in refused.stderr


def test_supervisors_see_the_report_in_the_console_and_agents_do_not(console, rasa):
    from tests.integration.conftest import CONSOLE_ACCOUNTS
    from tests.support.console_client import ConsoleClient

    say(rasa, f"window-{uuid.uuid4().hex[:6]}", "你好")  # at least one turn in the logs
    supervisor = ConsoleClient(console)
    assert supervisor.login("sue", CONSOLE_ACCOUNTS["sue"][0]).status_code == 200
    report = supervisor.get("/api/reports").json()
    assert report["turns"] >= 1 and report["min_group"] == 5 and "cohorts" in report
    assert set(report["charts"]) >= {"cohorts.png", "weekly_rates.png"}
    chart = supervisor.get("/api/reports/charts/cohorts.png")
    assert chart.status_code == 200 and chart.content[:4] == b"\x89PNG"
    assert supervisor.get("/api/reports/charts/../../etc/passwd").status_code == 404
    agent = ConsoleClient(console)
    agent.login("alice", CONSOLE_ACCOUNTS["alice"][0])
    assert agent.get("/api/reports").status_code == 403
