"""Two rasa servers on one Redis: a burst of one customer's messages, split between them.

With Rasa's own lock store two servers could both take the lock and process
one customer's messages at once (rasa issue 9213); ours is atomic
(bot/store/ticket_locks.py).  Every message must be processed once, in the
order it was sent, each turn finished before the next starts.
"""

from __future__ import annotations

import json
import threading
import time
import uuid

import pytest
import redis
import requests

from tests.integration.conftest import KEY_PREFIX, RasaHandle

BURST = ["你好", "想买蓝牙耳机", "500以内", "要降噪的", "有白色的吗", "第一个续航多久", "还有别的吗", "谢谢"]


@pytest.fixture(scope="module")
def second_rasa(trained_model, server_env, actions, log_dir):
    handle = RasaHandle(trained_model, {**server_env, "ACTION_SERVER_URL": actions}, log_dir)
    yield handle
    handle.stop()


def test_a_burst_split_between_two_servers_is_processed_once_and_in_order(rasa, second_rasa, redis_server):
    sender = f"burst-{uuid.uuid4().hex[:8]}"
    answers = {}

    def send(index: int, text: str) -> None:
        server = (rasa, second_rasa)[index % 2]
        answers[index] = requests.post(f"{server.url}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                                       timeout=120)

    threads = []
    for index, text in enumerate(BURST):
        thread = threading.Thread(target=send, args=(index, text))
        thread.start()
        threads.append(thread)
        time.sleep(0.1)
    for thread in threads:
        thread.join()
    assert all(answers[i].status_code == 200 and answers[i].json() for i in range(len(BURST))), answers

    client = redis.Redis.from_url(redis_server.url, decode_responses=True)
    events = json.loads(client.get(f"{KEY_PREFIX}:tracker:{sender}"))["events"]
    client.close()
    said = [event["text"] for event in events if event["event"] == "user"]
    assert said == BURST  # each once, in the order sent
    kinds = [event["event"] for event in events if event["event"] in ("user", "bot")]
    for position, kind in enumerate(kinds[:-1]):  # every turn answered before the next began
        if kind == "user":
            assert kinds[position + 1] == "bot", kinds
