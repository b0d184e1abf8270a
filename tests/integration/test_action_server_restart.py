"""The action server restarting under a real rasa server: the customer waits a moment or is told, never ignored.

Rasa 3.6 logs a custom action it cannot reach and answers nothing; bot/runtime/patches/wait_for_action_server.py tries a
refused connection again for ``ACTION_SERVER_WAIT_SECONDS`` and then says plainly that the message
was not handled.
"""

from __future__ import annotations

import threading
import time
import uuid

import pytest
import requests

from bot.channels.texts import APOLOGY
from bot.runtime.embedded_redis import free_port
from tests.integration.conftest import RasaHandle
from tests.integration.processes import action_server
from tests.integration.test_conversation import cards, say, texts


@pytest.fixture(scope="module")
def rasa_with_a_late_action_server(trained_model, server_env, log_dir):
    port = free_port()
    env = {**server_env, "ACTION_SERVER_URL": f"http://127.0.0.1:{port}/webhook", "ACTION_SERVER_WAIT_SECONDS": "120"}
    handle = RasaHandle(trained_model, env, log_dir)
    yield handle, port, env
    handle.stop()


def test_a_message_waits_for_the_action_server_to_come_back(rasa_with_a_late_action_server, log_dir):
    rasa, port, env = rasa_with_a_late_action_server
    answers = []
    asking = threading.Thread(target=lambda: answers.append(requests.post(
        f"{rasa.url}/webhooks/rest/webhook", timeout=150,
        json={"sender": f"late-{uuid.uuid4().hex[:6]}", "message": "有没有500以内的蓝牙耳机"})))
    asking.start()
    time.sleep(1.0)
    # started from this thread: a child dies with the thread that started it (bot/runtime/child.py)
    server = action_server(port, env, log_dir).start()
    try:
        asking.join()
        assert answers and answers[0].status_code == 200
        replies = answers[0].json()
        assert cards(replies) and all(c["price"] <= 500 for c in cards(replies)), texts(replies)
    finally:
        server.stop()


def test_an_action_server_that_stays_away_gets_the_customer_a_plain_answer(trained_model, server_env, log_dir):
    env = {**server_env, "ACTION_SERVER_URL": f"http://127.0.0.1:{free_port()}/webhook",
           "ACTION_SERVER_WAIT_SECONDS": "1"}
    rasa = RasaHandle(trained_model, env, log_dir)
    try:
        replies = say(rasa, f"gone-{uuid.uuid4().hex[:6]}", "有没有500以内的蓝牙耳机")
        assert APOLOGY in texts(replies)
    finally:
        rasa.stop()
