"""Every public endpoint fuzzed with hypothesis: no 5xx, no hang, no dead process.

    python bench/fuzz_endpoints.py [--examples 10000] [--only NAME[,NAME]] [--no-write]
                                   [--concurrency 4] [--seed 20260101]        (make bench-fuzz)

The whole bot from the run command on free ports with a fresh data directory
(``RASA_MODEL`` serves a given model instead of training one), every channel
configured: WeChat, WeCom and Telegram against the fake APIs of tests/support/,
the recommender with an admin token, two console accounts (an agent and a
supervisor) and a scratch copy of nlu_data/ for the console's exports.

For each endpoint, ``--examples`` inputs drawn by hypothesis
(tests/support/fuzz_inputs.py: JSON of the wrong shape, deep nesting, long,
Chinese, emoji and control-character text, invalid UTF-8, lone surrogates,
numbers as text, huge numbers, bad and forged signatures and tokens, header
bytes no HTTP library sends) are sent ``--concurrency`` at a time, in chunks of
500, each chunk drawn while the previous one is being sent.  Counted per
endpoint: answers by status class, connection errors, answers slower than the
time-out (60 s; counted as errors), and the customer apologies a channel sends
when processing failed (a 200, but a bug behind it).  After every chunk the
services' process ids are compared with those at the start (the run command
restarts a crashed service, so a changed pid is a crash); after every endpoint
each service's health URL is asked and a well-formed REST message must still be
answered (for the socket.io rows, a well-formed socket.io session too).

The order-system adapter (``HttpOrderSystem``) is fuzzed from this process,
against a local server that answers each call with hypothesis-drawn statuses,
headers, bodies and broken HTTP: every call must end in a valid result,
``OrderSystemRefused`` or ``OrderSystemUnavailable``.

Names for ``--only``: rest, socketio, engineio, wechat, wecom, telegram,
recommend, events, products, knowledge, stock, catalog, console-login, console,
adapter.  The exit status is 1 when anything failed; the figures, and the first
failing inputs of each endpoint, go to docs/benchmarks.md unless ``--no-write``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import aiohttp
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import percentile, start_bot, wait_http  # noqa: E402
from bench.report import BENCHMARKS, write_section  # noqa: E402
from bot.catalog.model import DEMO_CATALOG_FILE  # noqa: E402
from bot.runtime.embedded_redis import free_port  # noqa: E402
from tests.support import fuzz_inputs as fuzz  # noqa: E402
from tests.support.fake_telegram_api import FakeTelegramApi  # noqa: E402
from tests.support.fake_wechat_api import FakeWeChatApi  # noqa: E402

CHUNK = 500
TIMEOUT_SECONDS = 60.0
WECHAT = fuzz.WeChatAccount("wechat", "fuzzbenchtoken", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
                            "wxfuzz0123456789")
WECOM = fuzz.WeChatAccount("wecom", "fuzzwecomtoken", "ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210abcdefg",
                           "wwfuzz0123456789")
WECHAT_SECRET, WECOM_SECRET, WECOM_AGENT = "fuzz-app-secret", "fuzz-corp-secret", "1000002"
TELEGRAM_TOKEN, TELEGRAM_SECRET = "123456789:AAfuzz-token_for-the-fake-bot-api-xyz", "fuzz-webhook-secret_123"
ADMIN_TOKEN = "fuzz-admin-token"
CONSOLE_LOGINS = {"agent": ("fuzz.agent.main", "fuzz-agent-password-1"),
                  "supervisor": ("fuzz.supervisor.main", "fuzz-supervisor-password-1")}


# ---------------------------------------------------------------------------------------------
# The endpoints
# ---------------------------------------------------------------------------------------------

@dataclass
class Endpoint:
    name: str
    title: str
    strategy: Callable[["Run"], Any]  # the run → a hypothesis strategy
    send: Callable[[fuzz.Fuzzer, Any], Any]  # (fuzzer, example) → coroutine of an Outcome
    services: tuple = ("rasa",)
    socketio: bool = False


def _console_strategy(run: "Run"):
    conversations, tickets = run.loop.run(run.console_ids(), 60)
    return fuzz.console_cases(conversations, tickets, ("agent", "supervisor"))


ENDPOINTS = [
    Endpoint("rest", "REST `POST /webhooks/rest/webhook`", lambda run: fuzz.rest_inputs(run.token_secret),
             lambda f, x: f.send_rest(x), ("rasa", "actions")),
    Endpoint("socketio", "socket.io events `session_request` / `user_uttered`",
             lambda run: fuzz.socketio_events(run.token_secret), lambda f, x: f.send_socketio(x),
             ("rasa", "actions"), socketio=True),
    Endpoint("engineio", "socket.io over HTTP: handshakes and raw packets `/socket.io/`",
             lambda run: fuzz.engineio_cases(), lambda f, x: f.send_engineio(x), ("rasa",), socketio=True),
    Endpoint("wechat", "WeChat `GET`/`POST /webhooks/wechat/webhook`", lambda run: fuzz.wechat_cases(),
             lambda f, x: f.send_wechat(x, WECHAT), ("rasa", "actions")),
    Endpoint("wecom", "WeCom `GET`/`POST /webhooks/wecom/webhook`", lambda run: fuzz.wechat_cases(wecom=True),
             lambda f, x: f.send_wechat(x, WECOM), ("rasa", "actions")),
    Endpoint("telegram", "Telegram `POST /webhooks/telegram/webhook`",
             lambda run: fuzz.telegram_inputs(TELEGRAM_SECRET), lambda f, x: f.send_rasa(x), ("rasa", "actions")),
    Endpoint("recommend", "recommender `POST /recommend`", lambda run: fuzz.recommend_inputs(),
             lambda f, x: f.send_recommender(x), ("recommender",)),
    Endpoint("events", "recommender `POST /events`", lambda run: fuzz.event_inputs(),
             lambda f, x: f.send_recommender(x), ("recommender",)),
    Endpoint("products", "recommender `GET /products`", lambda run: fuzz.products_inputs(),
             lambda f, x: f.send_recommender(x), ("recommender",)),
    Endpoint("knowledge", "recommender `POST /knowledge/search`", lambda run: fuzz.knowledge_inputs(),
             lambda f, x: f.send_recommender(x), ("recommender",)),
    Endpoint("stock", "recommender `POST /admin/stock`", lambda run: fuzz.stock_inputs(ADMIN_TOKEN),
             lambda f, x: f.send_recommender(x), ("recommender",)),
    Endpoint("catalog", "recommender `POST /admin/catalog`", lambda run: fuzz.catalog_inputs(ADMIN_TOKEN),
             lambda f, x: f.send_recommender(x), ("recommender",)),
    Endpoint("console-login", "console `POST /api/login`",
             lambda run: fuzz.console_login_inputs(name for name, _ in CONSOLE_LOGINS.values()),
             lambda f, x: f.send_console_login(x), ("console",)),
    Endpoint("console", "console `/api/*` as an agent and a supervisor (ids, bodies, query parameters)",
             _console_strategy, lambda f, x: f.send_console(x), ("console",)),
    Endpoint("adapter", "order-system adapter `HttpOrderSystem` (answers fuzzed)", lambda run: fuzz.adapter_calls(),
             lambda f, x: f.send_adapter(x), ()),
]


# ---------------------------------------------------------------------------------------------
# The processes of the run command
# ---------------------------------------------------------------------------------------------

SERVICE_MARKS = (("redis", "redis-server"), ("orders", "bot.orders.demo_service"), ("recommender", "bot.recommender"),
                 ("actions", "rasa_sdk"), ("rasa", "bot.runtime.rasa_server"), ("console", "bot.console"),
                 ("alerts", "bot.alerts"))


class Processes:
    """The run command's children (one per service) and their health URLs."""

    def __init__(self, run_pid: int, health: Dict[str, str], redis_url: str) -> None:
        self.run_pid = run_pid
        self.health = health
        self.redis_url = redis_url
        self.start = self.pids()

    def pids(self) -> Dict[str, int]:
        found: Dict[str, int] = {}
        try:
            children = psutil.Process(self.run_pid).children()
        except psutil.NoSuchProcess:
            return found
        for child in children:
            try:
                command = " ".join(child.cmdline())
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
            for name, mark in SERVICE_MARKS:
                if mark in command and name not in found:
                    found[name] = child.pid
        return found

    def crashed(self) -> List[str]:
        """Services whose process is gone or was replaced (restarted by the supervisor) since the start."""
        now = self.pids()
        problems = []
        if not psutil.pid_exists(self.run_pid):
            problems.append(f"the run command (pid {self.run_pid}) is gone")
        for name, pid in self.start.items():
            if now.get(name) != pid:
                problems.append(f"{name}: pid {pid} at the start, now {now.get(name) or 'none'}")
        return problems

    def healthy(self) -> Dict[str, str]:
        """Each service's health answer: "ok" or what went wrong."""
        import redis

        states = {}
        try:
            client = redis.Redis.from_url(self.redis_url, socket_timeout=5)
            states["redis"] = "ok" if client.ping() else "no PONG"
            client.close()
        except Exception as error:
            states["redis"] = f"{type(error).__name__}"
        for name, url in self.health.items():
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    states[name] = "ok" if response.status == 200 else f"HTTP {response.status}"
            except Exception as error:
                states[name] = f"{type(error).__name__}: {error}"[:80]
        return states


# ---------------------------------------------------------------------------------------------
# Running one endpoint
# ---------------------------------------------------------------------------------------------

@dataclass
class Figures:
    endpoint: Endpoint
    inputs: int = 0
    classes: Counter = field(default_factory=Counter)
    latencies: List[float] = field(default_factory=list)
    apologies: int = 0
    failures: List[tuple] = field(default_factory=list)  # (description, outcome)
    failing_inputs: List[tuple] = field(default_factory=list)  # (example, outcome), for --failures
    crashes: List[str] = field(default_factory=list)
    seconds: float = 0.0
    after: Dict[str, str] = field(default_factory=dict)  # checks after the endpoint: name → "ok" or problem
    drawn_short: int = 0
    refusals: Counter = field(default_factory=Counter)  # the commonest 4xx answers (printed with --verbose)
    keep_inputs: bool = False  # keep failing inputs whole (--failures)

    def add(self, example: Any, outcome: fuzz.Outcome) -> None:
        self.inputs += 1
        self.classes[outcome.klass] += 1
        if outcome.kind in ("http", "ack", "result", "refused", "unavailable"):
            self.latencies.append(outcome.ms)
        self.apologies += outcome.apology
        if outcome.klass == "4xx":
            self.refusals[f"{outcome.status} {outcome.detail[:70]}"] += 1
        if outcome.failed or outcome.apology:  # an apology is a 200 with a bug behind it: listed too
            if len(self.failures) < 20:
                self.failures.append((example.describe(400), outcome))
            if self.keep_inputs and len(self.failing_inputs) < 200:
                self.failing_inputs.append((example, outcome))

    @property
    def failed(self) -> int:
        return sum(self.classes[name] for name in ("5xx", "timeout", "connection_error", "escaped", "wrong_result"))


class Run:
    def __init__(self, args, loop: fuzz.LoopThread, fuzzer: Optional[fuzz.Fuzzer], processes: Optional[Processes],
                 token_secret: Optional[str], fakes: dict) -> None:
        self.args = args
        self.loop = loop
        self.fuzzer = fuzzer
        self.processes = processes
        self.token_secret = token_secret
        self.fakes = fakes

    async def console_ids(self):
        """Conversations and tickets the console knows (made by the channel rows), for realistic ids."""
        session, _ = await self.fuzzer.console_login("supervisor")
        base = self.fuzzer.target.console
        async with session.get(f"{base}/api/conversations", params={"limit": "200"}) as response:
            conversations = [c["id"] for c in (await response.json()).get("conversations", [])]
        async with session.get(f"{base}/api/tickets", params={"limit": "200"}) as response:
            tickets = [t["id"] for t in (await response.json()).get("tickets", [])]
        return conversations, tickets

    async def _send_all(self, endpoint: Endpoint, examples: List[Any]) -> List[tuple]:
        gate = asyncio.Semaphore(self.args.concurrency)

        async def one(example):
            async with gate:
                try:
                    return example, await endpoint.send(self.fuzzer, example)
                except Exception as error:  # a bug of this benchmark, not of the bot: say so, keep going
                    return example, fuzz.Outcome("bench_error", detail=f"{type(error).__name__}: {error}")

        return await asyncio.gather(*(one(example) for example in examples))

    def endpoint(self, endpoint: Endpoint, number: int) -> Figures:
        figures = Figures(endpoint, keep_inputs=bool(self.args.failures))
        strategy = endpoint.strategy(self)
        started = time.perf_counter()
        drawn, chunk_number, pending = 0, 0, None
        while drawn < self.args.examples:
            size = min(CHUNK, self.args.examples - drawn)
            try:
                examples = fuzz.draw_examples(strategy, size, self.args.seed + 1000 * number + chunk_number)
            except Exception as error:  # a bug of a generator: say so, keep the rest of the run
                print(f"  drawing {endpoint.name} inputs failed: {type(error).__name__}: {error}", flush=True)
                figures.classes["bench_error"] += 1
                break
            chunk_number += 1
            if not examples:
                break
            figures.drawn_short += size - len(examples)
            drawn += len(examples)
            if pending is not None:
                self._collect(figures, pending.result())
            pending = self.loop.submit(self._send_all(endpoint, examples))
            print(f"  {endpoint.name}: {drawn} drawn, {figures.inputs} answered, "
                  f"{figures.failed} failed", flush=True)
        if pending is not None:
            self._collect(figures, pending.result())
        figures.seconds = time.perf_counter() - started
        figures.after = self.after(endpoint)
        return figures

    def _collect(self, figures: Figures, results: List[tuple]) -> None:
        for example, outcome in results:
            figures.add(example, outcome)
        if self.processes is not None:
            for problem in self.processes.crashed():
                if problem not in figures.crashes:
                    figures.crashes.append(problem)

    def after(self, endpoint: Endpoint) -> Dict[str, str]:
        if self.processes is None:
            return {}
        checks = dict(self.processes.healthy())
        canary = self.loop.run(self.fuzzer.rest_canary(), 120)
        checks["REST canary"] = "ok" if canary.kind == "http" and canary.status == 200 and not canary.apology \
            and '"text"' in canary.detail else f"{canary.klass} {canary.detail[:100]}"
        if endpoint.socketio:
            canary = self.loop.run(self.fuzzer.socketio_canary(), 120)
            checks["socket.io canary"] = "ok" if canary.kind == "http" else f"{canary.klass} {canary.detail[:100]}"
        return checks


# ---------------------------------------------------------------------------------------------
# The whole run
# ---------------------------------------------------------------------------------------------

def bot_env(scratch: Path, ports: Dict[str, int], fake_wechat: FakeWeChatApi, fake_telegram: FakeTelegramApi) -> dict:
    nlu_copy = scratch / "nlu_data"
    shutil.copytree(ROOT / "nlu_data", nlu_copy)  # the supervisor's exports must not touch the repository
    return {
        **{name: str(port) for name, port in ports.items()},
        "WECHAT_TOKEN": WECHAT.token, "WECHAT_APP_ID": WECHAT.app_id, "WECHAT_APP_SECRET": WECHAT_SECRET,
        "WECHAT_ENCODING_AES_KEY": WECHAT.aes_key, "WECHAT_API_BASE": fake_wechat.url,
        "WECOM_TOKEN": WECOM.token, "WECOM_CORP_ID": WECOM.app_id, "WECOM_SECRET": WECOM_SECRET,
        "WECOM_AGENT_ID": WECOM_AGENT, "WECOM_ENCODING_AES_KEY": WECOM.aes_key, "WECOM_API_BASE": fake_wechat.url,
        "TELEGRAM_TOKEN": TELEGRAM_TOKEN, "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
        "TELEGRAM_API_BASE": fake_telegram.url, "TELEGRAM_SET_WEBHOOK": "false",
        "RECOMMENDER_ADMIN_TOKEN": ADMIN_TOKEN,
        "CONSOLE_AGENTS": ",".join(f"{name}:{password}:{role}" for role, (name, password) in CONSOLE_LOGINS.items()),
        "CONSOLE_NLU_DIR": str(nlu_copy),
        "SERVICE_HOURS": "00:00-24:00", "ALERT_QUIET_HOURS": "off",
    }


async def restore_demo_catalog(recommender: str) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{recommender}/admin/catalog", data=DEMO_CATALOG_FILE.read_bytes(),
                                headers={"Content-Type": "application/x-ndjson",
                                         "Authorization": f"Bearer {ADMIN_TOKEN}"}) as response:
            if response.status != 200:
                print(f"  could not restore the demo catalog: {response.status} {await response.text()}")


def fake_apologies(fakes: dict) -> int:
    telegram = sum(1 for call in fakes["telegram"].calls_of("sendMessage")
                   if call["params"].get("text") in fuzz.APOLOGIES)
    wechat = sum(1 for message in list(fakes["wechat"].messages)
                 if (message.get("text") or {}).get("content") in fuzz.APOLOGIES)
    return telegram + wechat


def run_all(args, selected: List[Endpoint]) -> tuple:
    loop = fuzz.LoopThread()
    results: List[Figures] = []
    final: Dict[str, str] = {}
    needs_bot = any(endpoint.name != "adapter" for endpoint in selected)
    fakes = {"wechat": FakeWeChatApi(app_id=WECHAT.app_id, app_secret=WECHAT_SECRET, corp_id=WECOM.app_id,
                                     corp_secret=WECOM_SECRET).start(),
             "telegram": FakeTelegramApi(token=TELEGRAM_TOKEN).start()}
    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = Path(scratch_dir)
        ports = {name: free_port() for name in ("RASA_PORT", "ACTION_PORT", "RECOMMENDER_PORT", "EMBEDDED_REDIS_PORT",
                                                "CONSOLE_PORT", "ORDER_SYSTEM_PORT", "ALERTS_PORT")}
        url = lambda name: f"http://127.0.0.1:{ports[name]}"  # noqa: E731
        bot = start_bot(str(scratch / "bot"), ports["RASA_PORT"], bot_env(scratch, ports, fakes["wechat"],
                                                                          fakes["telegram"]),
                        log_path=args.bot_log) if needs_bot else None
        fuzzer = None
        try:
            processes, secret = None, None
            if bot is not None:
                asyncio.run(wait_http(f"{url('RASA_PORT')}/", 1800))
                for name in ("CONSOLE_PORT", "ALERTS_PORT"):  # started after the rasa server
                    asyncio.run(wait_http(f"{url(name)}/health", 300))
                secret = (scratch / "bot" / "customer_token_secret").read_text().strip()
                processes = Processes(bot.pid, {
                    "orders": f"{url('ORDER_SYSTEM_PORT')}/health", "recommender": f"{url('RECOMMENDER_PORT')}/health",
                    "actions": f"{url('ACTION_PORT')}/health", "rasa": f"{url('RASA_PORT')}/",
                    "console": f"{url('CONSOLE_PORT')}/health", "alerts": f"{url('ALERTS_PORT')}/health",
                }, f"redis://127.0.0.1:{ports['EMBEDDED_REDIS_PORT']}/0")
                print("services:", processes.start, flush=True)
            fuzzer = fuzz.Fuzzer(fuzz.Target(
                rasa=url("RASA_PORT"), recommender=url("RECOMMENDER_PORT"), console=url("CONSOLE_PORT"),
                customer_token_secret=secret, wechat=WECHAT, wecom=WECOM, telegram_secret=TELEGRAM_SECRET,
                admin_token=ADMIN_TOKEN, console_logins=CONSOLE_LOGINS), timeout=TIMEOUT_SECONDS)
            run = Run(args, loop, fuzzer, processes, secret, fakes)
            if bot is not None:  # the first message loads models lazily: not what is measured
                loop.run(fuzzer.rest_canary(), 300)
            for number, endpoint in enumerate(selected):
                print(f"{endpoint.name}: {endpoint.title}", flush=True)
                before = fake_apologies(fakes)
                figures = run.endpoint(endpoint, number)
                figures.apologies += fake_apologies(fakes) - before
                results.append(figures)
                print(summary_line(figures), flush=True)
                if args.verbose:
                    for reason, count in figures.refusals.most_common(8):
                        print(f"    {count:5d} × {reason!r}")
                for description, outcome in figures.failures:
                    print(f"    FAILED {outcome.klass} {outcome.status or ''} {outcome.detail[:300]!r}\n"
                          f"      input: {description}", flush=True)
                if endpoint.name == "catalog":
                    loop.run(restore_demo_catalog(url("RECOMMENDER_PORT")), 300)
            if processes is not None:
                final = {**{name: ("alive, same pid" if not any(p.startswith(name + ":") for p in processes.crashed())
                                   else "CRASHED") for name in processes.start}, **{
                    f"{name} health": state for name, state in processes.healthy().items()}}
                final["services"] = json.dumps(processes.start)
        finally:
            if fuzzer is not None:
                loop.run(fuzzer.close(), 60)
            loop.close()
            if bot is not None:
                bot.send_signal(signal.SIGTERM)
                try:
                    bot.wait(90)
                except subprocess.TimeoutExpired:
                    bot.kill()
            for fake in fakes.values():
                fake.stop()
    return results, final


def summary_line(figures: Figures) -> str:
    c = figures.classes
    return (f"  → {figures.inputs} inputs in {figures.seconds:.0f} s: 2xx {c['2xx']}, 4xx {c['4xx']}, "
            f"5xx {c['5xx']}, other {c['1xx'] + c['3xx'] + c['other']}, connection errors {c['connection_error']}, "
            f"time-outs {c['timeout']}, apologies {figures.apologies}, escaped {c['escaped'] + c['wrong_result']}, "
            f"crashes {len(figures.crashes)}, checks after: {figures.after}")


ADAPTER_ROW = "| `HttpOrderSystem`, every method, answers of any status, type, body, broken HTTP, slow or none"
ADAPTER_HEADER = ["| order-system adapter | calls | valid result | `OrderSystemRefused` | "
                  "`OrderSystemUnavailable` | other exception or wrong result | hangs | p50 ms | p99 ms |",
                  "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]


def earlier_rows(section: str) -> Dict[str, str]:
    """The HTTP table rows of an earlier run's section, by endpoint title, each marked with that run's date.

    A run of some endpoints (``--only``) keeps the others' rows, so the table still covers every
    endpoint and says which figures are older.
    """
    stamp = re.search(r"— run (\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC)", section)
    titles = {endpoint.title for endpoint in ENDPOINTS}
    rows = {}
    for line in section.splitlines():
        if line.startswith(ADAPTER_ROW):
            rows["adapter"] = line if " (from the run of " in line or not stamp else \
                line.replace(ADAPTER_ROW, f"{ADAPTER_ROW} (from the run of {stamp.group(1)})", 1)
            continue
        cells = line.split(" | ")
        title = cells[0].removeprefix("| ").split(" (from the run of ")[0]
        if title in titles and len(cells) > 2:
            marked = " (from the run of " in cells[0] or not stamp
            rows[title] = line if marked else line.replace(title, f"{title} (from the run of {stamp.group(1)})", 1)
    return rows


def report(args, results: List[Figures], final: Dict[str, str], kept: Optional[Dict[str, str]] = None) -> List[str]:
    """The section's body; ``kept`` holds earlier rows (:func:`earlier_rows`) of the endpoints not run now."""
    kept = kept or {}
    model = os.environ.get("RASA_MODEL")
    http_rows = [f for f in results if f.endpoint.name != "adapter"]
    adapter = [f for f in results if f.endpoint.name == "adapter"]
    failed = sum(f.failed for f in results) + sum(len(f.crashes) for f in results) + sum(
        1 for f in results for state in f.after.values() if state != "ok")
    total_5xx = sum(f.classes["5xx"] for f in results)
    crashes = sorted({problem for f in results for problem in f.crashes})
    body = [
        f"The whole bot from the run command{' serving ' + Path(model).name if model else ''}, every channel "
        f"configured (WeChat, WeCom and Telegram against the fake APIs of tests/support/); "
        f"{args.examples:,} hypothesis-drawn inputs per endpoint (tests/support/fuzz_inputs.py, seed {args.seed}), "
        f"{args.concurrency} at a time, a {TIMEOUT_SECONDS:.0f} s time-out per input.  Failures: a 5xx, a time-out, "
        "a dropped connection, a service whose process died or was restarted, a health URL or a well-formed message "
        "not answered after the endpoint's inputs.  `apologies`: the channel caught an error while processing "
        "and sent the customer its \"系统刚才开小差了\" reply (a 200, but a bug behind it).",
        "",
        "| endpoint | inputs | 2xx | 4xx | 5xx | other | conn. errors | time-outs | apologies | p50 ms | p99 ms | "
        "after: health, canaries |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    rerun = {f.endpoint.title: f for f in http_rows}
    for endpoint in ENDPOINTS:
        if endpoint.title in kept and endpoint.title not in rerun:
            body.append(kept[endpoint.title])
            continue
        f = rerun.get(endpoint.title)
        if f is None:
            continue
        c = f.classes
        after = "ok" if f.after and all(state == "ok" for state in f.after.values()) else \
            "; ".join(f"{k}: {v}" for k, v in f.after.items() if v != "ok") or "—"
        p50 = f"{percentile(f.latencies, 0.5):.0f}" if f.latencies else "—"
        p99 = f"{percentile(f.latencies, 0.99):.0f}" if f.latencies else "—"
        body.append(f"| {f.endpoint.title} | {f.inputs:,} | {c['2xx']:,} | {c['4xx']:,} | **{c['5xx']}** | "
                    f"{c['1xx'] + c['3xx'] + c['other'] + c['unsendable'] + c['bench_error'] + c['dropped']} | "
                    f"{c['connection_error']} | {c['timeout']} | {f.apologies} | {p50} | {p99} | {after} |")
    body += ["", "socket.io events have no status: 2xx is an acknowledgement, 4xx the polite refusal "
                 "(`refused`, with a `bot_uttered` saying what is wrong); `other` there counts events holding an "
                 "integer of over 100 digits, which python-engineio refuses to decode (engineio/json.py), so they "
                 "are dropped unanswered by design.  The raw engine.io client keeps a long-poll GET waiting while "
                 "it posts, as real clients do (without one, python-engineio holds a POST that closes the session "
                 "until the session times out)."]
    for f in adapter:
        c = f.classes
        body += ["", *ADAPTER_HEADER,
                 f"{ADAPTER_ROW} | {f.inputs:,} | {c['result']:,} | {c['refused']:,} | {c['unavailable']:,} | "
                 f"**{c['escaped'] + c['wrong_result']}** | {c['timeout']} | "
                 f"{percentile(f.latencies, 0.5) if f.latencies else 0:.0f} | "
                 f"{percentile(f.latencies, 0.99) if f.latencies else 0:.0f} |"]
    if not adapter and "adapter" in kept:
        body += ["", *ADAPTER_HEADER, kept["adapter"]]
    if final:
        services = json.loads(final.pop("services", "{}"))
        body += ["", "Processes at the end (pids from the start of the run): " + ", ".join(
            f"{name} {pid} {final.get(name, '?')}, health {final.get(name + ' health', '?')}"
            for name, pid in services.items()) + "."]
    this_run = f" in this run ({', '.join(f.endpoint.name for f in results)})" if kept else ""
    body += ["", f"**{total_5xx} answers 5xx, {len(crashes)} crashed processes, {failed} failures in all{this_run}.**"]
    if crashes:
        body += ["", "Crashed: " + "; ".join(crashes)]
    failing = [f for f in results if f.failures]
    if failing:
        body += ["", "First failing inputs and apologies (the bench's output has up to 20 per endpoint):", ""]
        for f in failing:
            for description, outcome in f.failures[:3]:
                body.append(f"- {f.endpoint.name}: {outcome.klass} {outcome.status or ''}"
                            f"{' apology' if outcome.apology else ''} "
                            f"`{_markdown(outcome.detail[:160])}` ← `{_markdown(description[:300])}`")
    return body


def _markdown(text: str) -> str:
    return text.replace("`", "'").replace("|", "\\|").replace("\n", " ").replace("\r", " ")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=10_000, help="inputs per endpoint (default 10000)")
    parser.add_argument("--only", default="", help="comma-separated endpoint names (see above)")
    parser.add_argument("--no-write", action="store_true", help="print only, leave docs/benchmarks.md alone")
    parser.add_argument("--concurrency", type=int, default=4, help="inputs in flight at once (default 4)")
    parser.add_argument("--verbose", action="store_true", help="print the commonest refusals of each endpoint")
    parser.add_argument("--failures", metavar="FILE", help="pickle the failing inputs (up to 200 per endpoint) "
                                                            "to FILE, to send them again")
    parser.add_argument("--seed", type=int, default=20260101, help="hypothesis seed of the first chunk")
    parser.add_argument("--bot-log", metavar="FILE", help="append the bot's output (every service) to FILE")
    args = parser.parse_args()
    wanted = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = set(wanted) - {endpoint.name for endpoint in ENDPOINTS}
    if unknown:
        parser.error(f"unknown endpoint(s) {', '.join(sorted(unknown))}; "
                     f"known: {', '.join(e.name for e in ENDPOINTS)}")
    selected = [endpoint for endpoint in ENDPOINTS if not wanted or endpoint.name in wanted]
    started = time.perf_counter()
    kept = {}
    if wanted and not args.no_write and BENCHMARKS.exists():
        section = re.search(r"^## Fuzzing the public endpoints\n.*?(?=^## |\Z)", BENCHMARKS.read_text("utf-8"),
                            re.S | re.M)
        kept = earlier_rows(section.group()) if section else {}
    results, final = run_all(args, selected)
    body = report(args, results, dict(final), kept)
    print("\n".join(body))
    print(f"\n{time.perf_counter() - started:.0f} s in all")
    if args.failures:
        import pickle

        with open(args.failures, "wb") as file:
            pickle.dump([(f.endpoint.name, example, outcome) for f in results
                         for example, outcome in f.failing_inputs], file)
        print(f"failing inputs pickled to {args.failures}")
    if not args.no_write:
        write_section("Fuzzing the public endpoints", "make bench-fuzz", body)
    bad = any(f.failed or f.crashes or any(state != "ok" for state in f.after.values()) for f in results)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
