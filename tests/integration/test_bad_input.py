"""Hostile and odd messages through a real rasa server: always a 200 and a polite reply."""

from __future__ import annotations

import pytest
import requests

from tests.integration.test_conversation import new_sender, texts

ODD_MESSAGES = {
    "empty": "",
    "spaces": "   \t  ",
    "only emoji": "😂😂😂👍🏻",
    "only punctuation": "？？？！！。。。",
    "2000 characters": "我想买" * 666 + "鞋鞋",
    "control characters": "你好\x00\x01\x1b[31m\x7f",
    "mixed scripts": "Ｈｅｌｌｏ 你好 مرحبا こんにちは 안녕 Привет 🙂",
    "zero-width characters": "推\u200b荐\u200d一\ufeff款",
    "traditional": "請問這雙鞋還有貨嗎",
    "lone surrogate-like": "\ufffd\ufffd",
}


@pytest.mark.parametrize("text", list(ODD_MESSAGES.values()), ids=list(ODD_MESSAGES))
def test_odd_text_gets_an_answer_not_an_error(rasa, text):
    response = requests.post(f"{rasa.url}/webhooks/rest/webhook",
                             json={"sender": new_sender(), "message": text}, timeout=60)
    assert response.status_code == 200, response.text
    assert texts(response.json()), "the customer got no reply"


def test_a_message_too_long_for_a_chat_is_a_clear_400(rasa):
    # every character can be a token, and the model's attention grows with their square
    response = requests.post(f"{rasa.url}/webhooks/rest/webhook",
                             json={"sender": new_sender(), "message": "我想买" * 1666 + "鞋"}, timeout=60)
    assert response.status_code == 400 and "longer than 2000 characters" in response.text


@pytest.mark.parametrize("text", list(ODD_MESSAGES.values()), ids=list(ODD_MESSAGES))
def test_parse_returns_a_result_for_odd_text(rasa, text):
    response = requests.post(f"{rasa.url}/model/parse", params={"token": rasa.token},
                             json={"text": text}, timeout=60)
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["intent"]["name"]
    assert 0.0 <= result["intent"]["confidence"] <= 1.0


@pytest.mark.parametrize("body, reason", [
    (b"not json at all", ""),
    (b'{"sender": "x"}', "message"),
    (b'{"message": "hi"}', "sender"),
    (b'{"message": null, "sender": "x"}', "message"),
    (b'{"message": 12345, "sender": "x"}', "message"),
    (b'["a list"]', "JSON object"),
    (b'{"sender": "x", "message": "hi", "metadata": "oops"}', "metadata"),
])
def test_malformed_rest_requests_get_a_400_with_the_reason(rasa, body, reason):
    response = requests.post(f"{rasa.url}/webhooks/rest/webhook", data=body,
                             headers={"Content-Type": "application/json"}, timeout=30)
    assert response.status_code == 400, response.text
    assert reason in response.text
