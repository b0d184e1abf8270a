"""Redis with Sentinel: the primary killed (-9) mid-conversation, a replica promoted, the conversation goes on.

A real primary, a real replica and a real Sentinel (the same redis-server binary in sentinel mode) on
free ports; a real rasa server that knows only ``REDIS_SENTINELS``.  Its tracker store, lock store
and gate ask the Sentinel for the primary and follow the failover (bot/store/redis_client.py); the
turn that meets the failover waits for it (``REDIS_OUTAGE_WAIT_SECONDS``).
"""

from __future__ import annotations

import subprocess
import time
import uuid

import pytest
import redis

from bot.runtime.embedded_redis import EmbeddedRedis, free_port, redis_server_binary
from tests.integration.conftest import RasaHandle
from tests.integration.test_conversation import cards, say, texts


def _wait(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except (redis.ConnectionError, redis.TimeoutError, OSError):
            pass
        time.sleep(0.1)
    raise AssertionError(f"{what} within {timeout} s")


@pytest.fixture(scope="module")
def sentinel_setup(tmp_path_factory):
    root = tmp_path_factory.mktemp("sentinel")
    primary = EmbeddedRedis(free_port(), root / "primary").start()
    replica_port, sentinel_port = free_port(), free_port()
    (root / "replica").mkdir()
    replica = subprocess.Popen([redis_server_binary(), "--port", str(replica_port), "--bind", "127.0.0.1",
                                "--dir", str(root / "replica"), "--save", "", "--appendonly", "yes",
                                "--replicaof", "127.0.0.1", str(primary.port)], stdout=subprocess.DEVNULL)
    config = root / "sentinel.conf"
    config.write_text(f"port {sentinel_port}\nbind 127.0.0.1\ndir {root}\n"
                      f"sentinel monitor mymaster 127.0.0.1 {primary.port} 1\n"
                      "sentinel down-after-milliseconds mymaster 1000\n"
                      "sentinel failover-timeout mymaster 5000\n")
    sentinel = subprocess.Popen([redis_server_binary(), str(config), "--sentinel"], stdout=subprocess.DEVNULL)
    replica_client = redis.Redis(port=replica_port, socket_timeout=1)
    _wait(lambda: replica_client.info("replication")["master_link_status"] == "up", 20, "the replica syncs")
    sentinel_client = redis.Redis(port=sentinel_port, socket_timeout=1)
    _wait(lambda: sentinel_client.execute_command("SENTINEL", "replicas", "mymaster"), 20, "the Sentinel sees it")
    yield {"primary": primary, "replica_port": replica_port, "sentinel_port": sentinel_port,
           "sentinel": sentinel_client}
    for process in (sentinel, replica):
        process.terminate()
        process.wait(10)
    primary.stop()


@pytest.fixture(scope="module")
def rasa_on_sentinel(trained_model, server_env, actions, log_dir, sentinel_setup):
    env = {key: value for key, value in server_env.items() if key != "REDIS_URL"}
    env.update({"ACTION_SERVER_URL": actions, "REDIS_SENTINELS": f"127.0.0.1:{sentinel_setup['sentinel_port']}",
                "REDIS_SENTINEL_SERVICE": "mymaster", "REDIS_OUTAGE_WAIT_SECONDS": "20"})
    handle = RasaHandle(trained_model, env, log_dir)
    yield handle
    handle.stop()


def test_a_failover_keeps_the_conversation_and_its_conditions(rasa_on_sentinel, sentinel_setup):
    sender = f"sentinel-{uuid.uuid4().hex[:8]}"
    say(rasa_on_sentinel, sender, "想买个蓝牙耳机")
    say(rasa_on_sentinel, sender, "500以内")
    primary = redis.Redis(port=sentinel_setup["primary"].port, socket_timeout=1)
    assert primary.keys(f"*tracker:{sender}")  # the conversation is on the primary the Sentinel named
    primary.execute_command("WAIT", 1, 2000)  # and on the replica
    sentinel_setup["primary"].process.kill()  # -9: no goodbye
    sentinel_setup["primary"].process.wait()
    replies = say(rasa_on_sentinel, sender, "要降噪的")
    assert cards(replies) and all(c["category"] == "蓝牙耳机" and c["price"] <= 500 for c in cards(replies)), \
        texts(replies)
    promoted = sentinel_setup["sentinel"].execute_command("SENTINEL", "get-master-addr-by-name", "mymaster")
    assert int(promoted[1]) == sentinel_setup["replica_port"]
