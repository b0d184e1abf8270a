"""Session fixtures: a real Redis, a trained model, a real action server and rasa server.

Every process listens on a free loopback port and is stopped at the end.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import secrets
import shutil
import uuid
from pathlib import Path

import pytest
import redis
import redis.asyncio

from bot.orders.demo_service.book import DemoOrderBook
from bot.runtime.embedded_redis import EmbeddedRedis, free_port
from bot.runtime.model_store import ensure_trained_model
from bot.runtime.settings import CHILD_ENVIRONMENT
from tests.integration.processes import (
    ROOT, action_server, console_server, order_system_server, rasa_server, recommender_server,
)
from tests.support.fast_config import write_fast_config
from tests.support.fake_telegram_api import TELEGRAM_TEST_ENV, TELEGRAM_TEST_PORT, FakeTelegramApi
from tests.support.fake_wechat_api import WECHAT_TEST_ENV

KEY_PREFIX = "shoptest"
CUSTOMER_TOKEN_SECRET = "test-shop-secret-for-customer-tokens-0123456789"
# the shop's privacy key (bot/store/sealing.py): a Fernet key made for the tests
PRIVACY_KEY = "b2ZmbGluZS10ZXN0LWtleS1mb3Itc2hvcGJvdC0wMDA="
ACTION_SERVER_TOKEN = "test-action-server-token"


def pytest_collection_modifyitems(items):
    for item in items:
        if "/integration/" in str(item.fspath):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def log_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("logs")


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    server = EmbeddedRedis(free_port(), tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_client(redis_server):
    client = redis.Redis.from_url(redis_server.url, decode_responses=True)
    yield client
    client.close()


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """A small model from the real domain and data, cached by training fingerprint."""
    cache = Path(os.environ.get("SHOPBOT_CACHE", Path.home() / ".cache" / "shopbot"))
    return ensure_trained_model(
        root=ROOT,
        models_dir=cache / "test-models",
        config=write_fast_config(ROOT / "config.yml", cache / "test-models" / "config_fast.yml"),
        domain=ROOT / "domain.yml",
        data=ROOT / "nlu_data",
    )


ADMIN_TOKEN = "test-admin-token"


def recommender_env(redis_server, data_dir: Path, port: int) -> dict:
    return {
        "REDIS_URL": redis_server.url, "REDIS_KEY_PREFIX": KEY_PREFIX, **CHILD_ENVIRONMENT,
        "RECOMMENDER_PORT": str(port), "SHOPBOT_DATA_DIR": str(data_dir),
        "RECOMMENDER_ADMIN_TOKEN": ADMIN_TOKEN,
        "ALERT_QUIET_HOURS": "off",  # alerts go out at any hour of a test run (quiet hours: test_alerts.py)
    }


@pytest.fixture(scope="session")
def recommender(redis_server, log_dir, tmp_path_factory) -> str:
    """URL of a real recommender service (demo catalog, real encoder) on a free port."""
    port = free_port()
    env = recommender_env(redis_server, tmp_path_factory.mktemp("recommender"), port)
    server = recommender_server(port, env, log_dir).start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


ORDER_SYSTEM_TOKEN = "test-order-system-token"


@pytest.fixture(scope="session")
def order_system(redis_server, log_dir) -> str:
    """URL of the demo order system (a real process on the session's Redis), as the run command starts it."""
    port = free_port()
    env = {"REDIS_URL": redis_server.url, "REDIS_KEY_PREFIX": KEY_PREFIX, **CHILD_ENVIRONMENT,
           "ORDER_SYSTEM_TOKEN": ORDER_SYSTEM_TOKEN}
    server = order_system_server(port, env, log_dir).start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


async def seed_demo_customer(redis_url: str, named_after: str = "") -> tuple:
    """A new customer the demo order system knows, with its six demo orders: (customer id, orders).

    ``named_after``: a test's id, so the test meets the same orders on every run and every machine (the demo
    set is drawn from the customer id; a random one made a test pass here and fail in CI); a random customer
    otherwise.
    """
    name = hashlib.sha1(named_after.encode("utf-8")).hexdigest() if named_after else uuid.uuid4().hex
    customer = f"cust-{name[:8]}"
    client = redis.asyncio.Redis.from_url(redis_url, decode_responses=True)
    try:
        return customer, await DemoOrderBook(client, KEY_PREFIX).ensure_demo_orders(customer)
    finally:
        await client.close()


@pytest.fixture
def customer_with_orders(redis_server, order_system, request) -> tuple:
    """A customer of the shop with orders in every state, the same on every run: (customer id, orders)."""
    return asyncio.run(seed_demo_customer(redis_server.url, request.node.nodeid))


@pytest.fixture(scope="session")
def server_env(redis_server, recommender, order_system) -> dict:
    return {
        "REDIS_URL": redis_server.url,
        "REDIS_KEY_PREFIX": KEY_PREFIX,
        "RECOMMENDER_URL": recommender,
        **CHILD_ENVIRONMENT,
        # the WeChat, WeCom and Telegram channels, against the fake APIs of tests/support/
        **WECHAT_TEST_ENV,
        **TELEGRAM_TEST_ENV,
        # people answer at any hour of a test run (after-hours handoffs are tested on their own)
        "SERVICE_HOURS": "00:00-24:00",
        "ALERT_QUIET_HOURS": "off",
        # the shop's secret for customer tokens (customer-identity.md)
        "CUSTOMER_TOKEN_SECRET": CUSTOMER_TOKEN_SECRET,
        "PRIVACY_KEY": PRIVACY_KEY,
        # the action server refuses calls without it; Rasa sends it (endpoints.yml)
        "ACTION_SERVER_TOKEN": ACTION_SERVER_TOKEN,
        "ORDER_SYSTEM_URL": order_system,
        "ORDER_SYSTEM_TOKEN": ORDER_SYSTEM_TOKEN,
    }


@pytest.fixture(scope="session")
def actions(server_env, log_dir):
    port = free_port()
    server = action_server(port, server_env, log_dir).start()
    yield f"http://127.0.0.1:{port}/webhook"
    server.stop()


class RasaHandle:
    def __init__(self, model, env, log_dir):
        self.port = free_port()
        self.token = secrets.token_hex(8)
        self.url = f"http://127.0.0.1:{self.port}"
        self._make = lambda: rasa_server(model, self.port, env, log_dir, self.token)
        self.server = self._make().start()

    def restart(self) -> None:
        self.server.stop()
        self.server = self._make().start()

    def stop(self) -> None:
        self.server.stop()


@pytest.fixture(scope="session")
def rasa(trained_model, server_env, actions, log_dir):
    handle = RasaHandle(trained_model, {**server_env, "ACTION_SERVER_URL": actions}, log_dir)
    yield handle
    handle.stop()


@pytest.fixture(scope="module")
def private_redis_url(tmp_path_factory) -> str:
    """A Redis of the test module's own, without persistence, for store tests.

    The session Redis above belongs to the process tests, whose keys these tests must not see.
    """
    server = EmbeddedRedis(free_port(), tmp_path_factory.mktemp("module-redis"), appendonly=False).start()
    yield server.url
    server.stop()


@pytest.fixture
async def private_redis(private_redis_url):
    """An async client of :func:`private_redis_url`, emptied before each test."""
    connection = redis.asyncio.Redis.from_url(private_redis_url, decode_responses=True)
    await connection.flushdb()
    yield connection
    await connection.close()


CONSOLE_ACCOUNTS = {"alice": ("alice-password-1", "agent"), "bob": ("bob-password-22", "agent"),
                    "sue": ("sue-password-333", "supervisor")}


def console_env(redis_server, port: int, nlu_dir: Path, idle_seconds: int = 3600) -> dict:
    return {
        "REDIS_URL": redis_server.url, "REDIS_KEY_PREFIX": KEY_PREFIX, **CHILD_ENVIRONMENT,
        **WECHAT_TEST_ENV, **TELEGRAM_TEST_ENV,
        "CONSOLE_PORT": str(port),
        "CONSOLE_AGENTS": ",".join(f"{name}:{password}:{role}" for name, (password, role) in CONSOLE_ACCOUNTS.items()),
        "CONSOLE_IDLE_RETURN_SECONDS": str(idle_seconds),
        "CONSOLE_NLU_DIR": str(nlu_dir),
        "CONSOLE_REPORT_SECONDS": "0",  # every request recomputes: tests write logs and look at once
        "PRIVACY_KEY": PRIVACY_KEY,
        "RETENTION_SWEEP_SECONDS": "0",  # tests share one Redis: retention is tested on a private one
    }


@pytest.fixture(scope="session")
def console(redis_server, log_dir, tmp_path_factory) -> str:
    """URL of a real console process (accounts of CONSOLE_ACCOUNTS) on the session's Redis."""
    port = free_port()
    nlu_dir = tmp_path_factory.mktemp("console") / "nlu_data"  # a copy: exports never touch the repository
    shutil.copytree(ROOT / "nlu_data", nlu_dir)
    server = console_server(port, console_env(redis_server, port, nlu_dir), log_dir).start()
    url = f"http://127.0.0.1:{port}"
    CONSOLE_NLU_DIRS[url] = nlu_dir
    yield url
    server.stop()


CONSOLE_NLU_DIRS: dict = {}  # console URL -> the copy of nlu_data/ it exports into


@pytest.fixture(scope="module")
def telegram():
    """The fake Telegram Bot API on the port the rasa server's Telegram channel is configured with."""
    server = FakeTelegramApi(port=TELEGRAM_TEST_PORT).start()
    yield server
    server.stop()
