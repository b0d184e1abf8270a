"""Teaching: unsure messages reach the NLU inbox, agents relabel, supervisors accept and export.

A real rasa server makes the conversations; the console exports into a copy of
``nlu_data/``, which ``rasa data validate`` then checks.
"""

from __future__ import annotations

import subprocess
import sys
import uuid

import requests
import yaml

from tests.integration.conftest import CONSOLE_ACCOUNTS, CONSOLE_NLU_DIRS, ROOT
from tests.support.console_client import ConsoleClient

NEW_TEXT = "有没有适合送妈妈的丝巾"
KNOWN_TEXT = "送女朋友什么礼物好"  # already in nlu_data/nlu/shopping.yml


def say(rasa, sender: str, text: str) -> None:
    response = requests.post(f"{rasa.url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60)
    assert response.status_code == 200, response.text


def login(console: str, name: str) -> ConsoleClient:
    client = ConsoleClient(console)
    assert client.login(name, CONSOLE_ACCOUNTS[name][0]).status_code == 200
    return client


def customer_message(client: ConsoleClient, conversation_id: str, text: str) -> dict:
    messages = client.get(f"/api/conversations/{conversation_id}").json()["messages"]
    return next(m for m in messages if m["role"] == "customer" and m["text"] == text)


def test_unsure_messages_reach_the_inbox_and_corrections_become_valid_training_data(rasa, console):
    customer = f"teach-{uuid.uuid4().hex[:8]}"
    for text in ("zxcv qwer asdf", "。。。？？", NEW_TEXT, KNOWN_TEXT):
        say(rasa, customer, text)
    alice, sue = login(console, "alice"), login(console, "sue")

    inbox = alice.get("/api/nlu/inbox").json()
    mine = [item for item in inbox["messages"] if item["conversation_id"] == customer]
    assert mine, "gibberish should be flagged as fallback or low confidence"
    assert all(item["intent"] == "nlu_fallback" or item["confidence"] < 0.6 for item in mine)
    assert "request_recommendation" in inbox["intents"] and "product_category" in inbox["entities"]

    target = customer_message(alice, customer, NEW_TEXT)
    path = f"/api/conversations/{customer}/annotations"
    assert alice.post(path, {"message_id": target["id"], "intent": "no_such_intent"}).status_code == 400
    assert alice.post(path, {"message_id": target["id"], "intent": "request_recommendation",
                             "entities": [{"entity": "product_category", "value": "手表"}]}).status_code == 400
    assert alice.post(path, {"message_id": "1.0", "intent": "greet"}).status_code == 400
    proposed = alice.post(path, {"message_id": target["id"], "intent": "request_recommendation",
                                 "entities": [{"entity": "product_category", "value": "丝巾"}]}).json()["annotation"]
    assert proposed["status"] == "proposed"
    assert customer_message(alice, customer, NEW_TEXT)["annotation"]["intent"] == "request_recommendation"
    gibberish = customer_message(alice, customer, "zxcv qwer asdf")
    sue.post(path, {"message_id": gibberish["id"], "intent": "out_of_scope"})
    known = customer_message(alice, customer, KNOWN_TEXT)
    sue.post(path, {"message_id": known["id"], "intent": "request_recommendation"})
    inbox_after = alice.get("/api/nlu/inbox").json()["messages"]
    assert gibberish["id"] not in [i["message_id"] for i in inbox_after if i["conversation_id"] == customer]

    assert alice.post("/api/nlu/export").status_code == 403
    first = sue.post("/api/nlu/export").json()
    assert first["skipped_as_duplicates"] >= 1  # the known text is in the training data already
    accepted = sue.post("/api/nlu/annotations/accept", {"conversation_id": customer, "message_id": target["id"]})
    assert accepted.status_code == 200 and accepted.json()["annotation"]["status"] == "accepted"
    second = sue.post("/api/nlu/export").json()
    third = sue.post("/api/nlu/export").json()
    assert second["added"] >= 1 and third["added"] == 0 and third["examples"] == second["examples"]

    nlu_dir = CONSOLE_NLU_DIRS[console]
    exported = yaml.safe_load((nlu_dir / "nlu" / "annotations.yml").read_text(encoding="utf-8"))
    examples = {block["intent"]: block["examples"] for block in exported["nlu"]}
    assert "[丝巾](product_category)" in examples["request_recommendation"]
    assert KNOWN_TEXT not in examples.get("request_recommendation", "")
    assert "zxcv qwer asdf" in examples["out_of_scope"]
    validated = subprocess.run(
        [sys.executable, "-m", "rasa", "data", "validate", "--domain", str(ROOT / "domain.yml"),
         "--data", str(nlu_dir), "--config", str(ROOT / "config.yml")],
        capture_output=True, text=True, timeout=300, cwd=ROOT, env={"RASA_TELEMETRY_ENABLED": "false",
                                                                   "PATH": "/usr/bin:/bin", "HOME": "/tmp"})
    assert validated.returncode == 0, validated.stdout[-3000:] + validated.stderr[-3000:]
    assert "丝巾" not in validated.stdout + validated.stderr  # no warning about the exported examples
