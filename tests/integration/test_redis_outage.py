"""Redis killed (-9) under a real rasa server: no conversation forgotten, no silent in-memory fallback.

The rasa server here keeps its trackers and locks in a Redis of this module's
own (with its AOF, as the run command's), which the tests kill and restart.
A Redis back within the wait costs the customer nothing; one that stays down
gets a polite 稍后再试 and nothing processed, and the conversation continues
where it was once Redis is back.
"""

from __future__ import annotations

import threading
import time
import uuid

import pytest

from bot.channels.texts import STORE_DOWN_REPLY
from bot.runtime.embedded_redis import EmbeddedRedis, free_port
from tests.integration.conftest import RasaHandle
from tests.integration.test_conversation import cards, say, texts

OUTAGE_WAIT_SECONDS = 5  # the run command's default


class KillableRedis:
    def __init__(self, data_dir) -> None:
        self.port, self.data_dir = free_port(), data_dir
        self.server = EmbeddedRedis(self.port, data_dir).start()

    @property
    def url(self) -> str:
        return self.server.url

    def kill(self) -> None:
        self.server.process.kill()  # SIGKILL: no shutdown, the AOF as it is on disk
        self.server.process.wait()

    def start(self) -> None:
        self.server = EmbeddedRedis(self.port, self.data_dir).start()

    def stop(self) -> None:
        self.server.stop()


@pytest.fixture(scope="module")
def own_redis(tmp_path_factory):
    redis = KillableRedis(tmp_path_factory.mktemp("killable-redis"))
    yield redis
    redis.stop()


@pytest.fixture(scope="module")
def rasa_on_own_redis(trained_model, server_env, actions, log_dir, own_redis):
    env = {**server_env, "ACTION_SERVER_URL": actions, "REDIS_URL": own_redis.url,
           "REDIS_OUTAGE_WAIT_SECONDS": str(OUTAGE_WAIT_SECONDS)}
    handle = RasaHandle(trained_model, env, log_dir)
    yield handle
    handle.stop()


def noise_cancelling_under_500(replies) -> bool:
    shown = cards(replies)
    return bool(shown) and all(card["category"] == "蓝牙耳机" and card["price"] <= 500 for card in shown)


def test_redis_killed_and_back_within_a_second_costs_the_customer_nothing(rasa_on_own_redis, own_redis):
    sender = f"outage-{uuid.uuid4().hex[:8]}"
    say(rasa_on_own_redis, sender, "想买个蓝牙耳机")
    say(rasa_on_own_redis, sender, "500以内")
    own_redis.kill()
    killed = time.monotonic()
    back = []
    restart = threading.Timer(1.0, lambda: (own_redis.start(), back.append(time.monotonic() - killed)))
    restart.start()
    replies = say(rasa_on_own_redis, sender, "要降噪的")
    restart.join()
    # on a loaded machine the restart itself may be slow: the message says how long Redis was really away
    assert noise_cancelling_under_500(replies), (texts(replies), f"Redis answered again after {back} s",
                                                 rasa_on_own_redis.server.log_tail(30))
    assert time.monotonic() - killed < OUTAGE_WAIT_SECONDS + 5


def test_redis_down_longer_than_the_wait_gets_a_polite_reply_and_the_conversation_waits(rasa_on_own_redis,
                                                                                      own_redis):
    sender = f"outage-{uuid.uuid4().hex[:8]}"
    say(rasa_on_own_redis, sender, "想买个蓝牙耳机")
    say(rasa_on_own_redis, sender, "500以内")
    own_redis.kill()
    try:
        replies = say(rasa_on_own_redis, sender, "要降噪的")
        assert texts(replies) == [STORE_DOWN_REPLY] and not cards(replies)
    finally:
        own_redis.start()
    again = say(rasa_on_own_redis, sender, "要降噪的")  # nothing half-processed: the same message works now
    assert noise_cancelling_under_500(again), texts(again)
