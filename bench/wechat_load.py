"""WeChat passive-reply latency with 20 concurrent customers, and no message processed twice.

    python bench/wechat_load.py [--users 20] [--messages 5] [--no-write]

Starts the whole bot with ``python -m bot.runtime run`` on free ports (embedded
Redis, the model the run command picks or ``RASA_MODEL``), the WeChat channel
in safe mode and a fake WeChat API on loopback for pushes.  Each simulated
customer sends its messages one after another, signed and encrypted by
wechatpy as WeChat's servers do, and behaves like WeChat: when no answer comes
within 5 s it delivers the same message again (at most three deliveries).
Customers take ``--think`` seconds (on average) before each message, as people
reading and typing do; ``--think 0`` sends back to back (a throughput test).  It
reports the latency of the first delivery (p50/p95/p99/max), how many answers
were passive replies and how many were pushed, and counts, from the trackers,
the messages the bot processed more than once (must be 0).  The figures go
to docs/benchmarks.md unless ``--no-write``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import List

import aiohttp
import requests
import xmltodict

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.report import write_section  # noqa: E402
from bot.runtime.embedded_redis import free_port  # noqa: E402
from tests.support.fake_wechat_api import FakeWeChatApi  # noqa: E402

from wechatpy.crypto import WeChatCrypto  # noqa: E402  (the independent WeChat peer)
from wechatpy.utils import WeChatSigner  # noqa: E402

TOKEN, APP_ID, SECRET = "benchtoken", "wxbench0123456789", "bench-secret"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
WECHAT_TIMEOUT = 5.0
MESSAGES = ["你好", "推荐一款跑步鞋，预算800以内", "有没有蓝牙耳机", "我的订单到哪了", "怎么退货",
            "有优惠活动吗", "42码还有货吗", "谢谢"]


def signed(token: str, *parts: str) -> str:
    signer = WeChatSigner()
    signer.add_data(token, *parts)
    return signer.signature


class Customer:
    def __init__(self, index: int, url: str, crypto: WeChatCrypto) -> None:
        self.openid = f"obench{index:03d}{secrets.token_hex(6)}"
        self.url = url
        self.crypto = crypto
        self.latencies: List[float] = []
        self.passive = 0
        self.pushed = 0
        self.deliveries = 0
        self.failures: List[str] = []

    def request(self, text: str, msg_id: int):
        xml = (f"<xml><ToUserName><![CDATA[gh_bench]]></ToUserName><FromUserName><![CDATA[{self.openid}]]>"
               f"</FromUserName><CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
               f"<Content><![CDATA[{text}]]></Content><MsgId>{msg_id}</MsgId></xml>")
        timestamp, nonce = str(int(time.time())), secrets.token_hex(5)
        envelope = self.crypto.encrypt_message(xml, nonce, timestamp)
        msg_signature = xmltodict.parse(envelope)["xml"]["MsgSignature"]
        query = {"signature": signed(TOKEN, timestamp, nonce), "timestamp": timestamp, "nonce": nonce,
                 "encrypt_type": "aes", "msg_signature": msg_signature, "openid": self.openid}
        return query, envelope.encode()

    async def run(self, session: aiohttp.ClientSession, messages: List[str], think: float) -> None:
        for number, text in enumerate(messages):
            if number or think:  # customers read and type: start and continue at their own pace
                await asyncio.sleep(random.uniform(0.5 * think, 1.5 * think))
            msg_id = secrets.randbits(62)
            query, body = self.request(text, msg_id)
            for delivery in range(3):  # WeChat: three deliveries, 5 s each
                self.deliveries += 1
                started = time.perf_counter()
                try:
                    async with session.post(self.url, params=query, data=body,
                                            timeout=aiohttp.ClientTimeout(total=WECHAT_TIMEOUT)) as response:
                        answer = await response.text()
                        status = response.status
                except asyncio.TimeoutError:
                    if delivery == 0:
                        self.latencies.append(WECHAT_TIMEOUT)
                    continue
                if delivery == 0:
                    self.latencies.append(time.perf_counter() - started)
                if status != 200:
                    self.failures.append(f"{status} {answer[:80]}")
                elif answer == "success":
                    self.pushed += 1
                else:
                    fields = xmltodict.parse(answer)["xml"]
                    self.crypto.decrypt_message(answer, fields["MsgSignature"], fields["TimeStamp"], fields["Nonce"])
                    self.passive += 1
                break


def percentile(values: List[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(share * len(ordered) + 0.5)) - 1))]


async def load(url: str, users: int, per_user: int, think: float = 0.0) -> List[Customer]:
    crypto = WeChatCrypto(TOKEN, AES_KEY, APP_ID)
    customers = [Customer(i, url, crypto) for i in range(users)]
    connector = aiohttp.TCPConnector(limit=users * 2)
    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(*(c.run(session, [MESSAGES[(i + j) % len(MESSAGES)] for j in range(per_user)], think)
                               for i, c in enumerate(customers)))
    return customers


def wait_until_up(base: str, process: subprocess.Popen, timeout: float = 900) -> None:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if process.poll() is not None:
            raise SystemExit("the run command stopped; see its output")
        try:
            if requests.get(f"{base}/webhooks/wechat/", timeout=5).json().get("status") == "ok":
                return
        except (requests.RequestException, ValueError):
            pass
        time.sleep(1)
    raise SystemExit("the rasa server did not come up")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--messages", type=int, default=5, help="messages per customer")
    parser.add_argument("--think", type=float, default=4.0,
                        help="mean seconds a customer takes before each message (uniform 0.5×–1.5×)")
    parser.add_argument("--no-write", action="store_true", help="print only, leave docs/benchmarks.md alone")
    args = parser.parse_args()

    fake = FakeWeChatApi(app_id=APP_ID, app_secret=SECRET).start()
    rasa_port, token = free_port(), secrets.token_hex(8)
    base = f"http://127.0.0.1:{rasa_port}"
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "RASA_PORT": str(rasa_port), "ACTION_PORT": str(free_port()),
               "RECOMMENDER_PORT": str(free_port()), "EMBEDDED_REDIS_PORT": str(free_port()),
               "SHOPBOT_DATA_DIR": data_dir, "RASA_AUTH_TOKEN": token,
               "WECHAT_TOKEN": TOKEN, "WECHAT_APP_ID": APP_ID, "WECHAT_APP_SECRET": SECRET,
               "WECHAT_ENCODING_AES_KEY": AES_KEY, "WECHAT_API_BASE": fake.url}
        env.pop("REDIS_URL", None)
        process = subprocess.Popen([sys.executable, "-m", "bot.runtime", "run"], cwd=ROOT, env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_until_up(base, process)
            # one warm-up message, as a customer's first message after a deploy is not what we measure
            asyncio.run(load(f"{base}/webhooks/wechat/webhook", 1, 1))
            started = time.perf_counter()
            customers = asyncio.run(load(f"{base}/webhooks/wechat/webhook", args.users, args.messages, args.think))
            wall = time.perf_counter() - started
            time.sleep(WECHAT_TIMEOUT)  # let pushed answers arrive
            duplicates, sent = 0, args.messages
            for customer in customers:
                events = requests.get(f"{base}/conversations/{customer.openid}/tracker",
                                      params={"token": token}, timeout=30).json()["events"]
                processed = sum(1 for e in events if e["event"] == "user")
                duplicates += max(0, processed - sent)
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                process.kill()
            pushes = len(fake.messages)
            fake.stop()

    latencies = [x for c in customers for x in c.latencies]
    passive = sum(c.passive for c in customers)
    pushed = sum(c.pushed for c in customers)
    retries = sum(c.deliveries for c in customers) - len(latencies)
    failures = [f for c in customers for f in c.failures]
    body = [
        f"{args.users} concurrent WeChat customers (safe mode, wechatpy as WeChat), {args.messages} messages each, "
        f"about {args.think:.0f} s between a customer's messages; {len(latencies)} messages in {wall:.1f} s.",
        "",
        "| figure | value |", "| --- | --- |",
        f"| passive reply latency p50 | {percentile(latencies, 0.50):.2f} s |",
        f"| p95 | {percentile(latencies, 0.95):.2f} s |",
        f"| p99 (target < 4.5 s) | {percentile(latencies, 0.99):.2f} s |",
        f"| max | {max(latencies):.2f} s |",
        f"| answered passively / `success` then pushed | {passive} / {pushed} (pushes received: {pushes}) |",
        f"| WeChat retries (no answer within 5 s) | {retries} |",
        f"| messages processed more than once | {duplicates} |",
        f"| refused or failed requests | {len(failures)} |",
    ]
    print("\n".join(body))
    if failures:
        print("failures:", failures[:5])
    if not args.no_write:
        write_section("WeChat passive replies under load", "python bench/wechat_load.py", body)


if __name__ == "__main__":
    main()
