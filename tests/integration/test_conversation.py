"""A first conversation end to end through the REST channel of a real rasa server."""

from __future__ import annotations

import re
import uuid

import pytest
import requests

from tests.integration.conftest import KEY_PREFIX

CJK = re.compile(r"[\u4e00-\u9fff]")


def say(rasa, sender: str, text: str) -> list:
    response = requests.post(
        f"{rasa.url}/webhooks/rest/webhook",
        json={"sender": sender, "message": text},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json()


def texts(replies: list) -> list:
    return [reply["text"] for reply in replies if "text" in reply]


def tracker(rasa, sender: str) -> dict:
    response = requests.get(
        f"{rasa.url}/conversations/{sender}/tracker", params={"token": rasa.token}, timeout=30
    )
    assert response.status_code == 200, response.text
    return response.json()


def new_sender() -> str:
    return f"test-{uuid.uuid4().hex[:10]}"


def test_greeting_gets_a_chinese_reply(rasa):
    replies = texts(say(rasa, new_sender(), "你好"))
    assert replies, "the bot said nothing"
    assert all(CJK.search(text) for text in replies)
    assert any("导购" in text or "在的" in text for text in replies)


@pytest.mark.parametrize("message", ["今天天气怎么样", "帮我写一下数学作业"])
def test_out_of_scope_gets_a_polite_reply(rasa, message):
    replies = texts(say(rasa, new_sender(), message))
    assert len(replies) == 1
    assert "抱歉" in replies[0] or "不好意思" in replies[0]


def test_http_api_needs_the_token(rasa):
    response = requests.get(f"{rasa.url}/conversations/someone/tracker", timeout=30)
    assert response.status_code == 401


def test_tracker_is_stored_in_redis_under_the_prefix(rasa, redis_client):
    sender = new_sender()
    say(rasa, sender, "你好")
    assert redis_client.exists(f"{KEY_PREFIX}:tracker:{sender}")
    stored_senders = [key.split(":", 2)[2] for key in redis_client.scan_iter(f"{KEY_PREFIX}:tracker:*")]
    assert sender in stored_senders


def cards(replies: list) -> list:
    found = [reply["custom"] for reply in replies if reply.get("custom", {}).get("type") == "product_cards"]
    return found[-1]["products"] if found else []


def test_conditions_accumulate_and_survive_a_rasa_server_restart(rasa):
    sender = new_sender()
    # Intent-trigger messages skip NLU: this test is about state, not understanding.
    first = cards(say(rasa, sender, '/request_recommendation{"product_category": "跑步鞋"}'))
    assert first and all(card["category"] == "跑步鞋" for card in first)
    assert tracker(rasa, sender)["slots"]["product_category"] == "跑步鞋"

    rasa.restart()

    assert tracker(rasa, sender)["slots"]["product_category"] == "跑步鞋"
    second = cards(say(rasa, sender, '/inform_preference{"budget": "三百以内"}'))
    # The cards after the restart still honour the category from before it.
    assert second and all(card["category"] == "跑步鞋" and card["price"] <= 300 for card in second), second
    slots = tracker(rasa, sender)["slots"]
    assert (slots["product_category"], slots["budget"]) == ("跑步鞋", "三百以内")


def test_a_later_value_replaces_an_earlier_one(rasa):
    sender = new_sender()
    black = cards(say(rasa, sender, '/request_recommendation{"product_category": "连衣裙", "color": "黑色"}'))
    assert black and all("黑色" in card["colors"] for card in black)
    white = cards(say(rasa, sender, '/inform_preference{"color": "白色"}'))
    assert white and all("白色" in card["colors"] for card in white), white
