"""A conversation as agents read it: every turn from Rasa's tracker, merged with the console's log.

The tracker (``<p>:tracker:<id>``, stored by :mod:`bot.store.rasa_stores`)
holds what the customer said, with the NLU's ranking and entities, and what
the bot did and said; the console's log (:mod:`bot.store.conversations`) holds
what the tracker does not: agents' messages, notices, internal notes, status
changes.  The tracker is read as plain JSON, so the console never loads Rasa.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional

from bot.store.conversations import iso_time

IGNORED_ACTIONS = {"action_listen", "action_session_start"}


def _intent(parse_data: Dict[str, Any], event: Dict[str, Any]) -> Dict[str, Any]:
    intent = parse_data.get("intent") or {}
    name = intent.get("name") if isinstance(intent, dict) else None
    return {"name": name, "confidence": _confidence(intent.get("confidence") if isinstance(intent, dict) else None)}


def _confidence(value: Any) -> Optional[float]:
    try:
        return round(float(value), 4)
    except (TypeError, ValueError):
        return None


def _entities(parse_data: Dict[str, Any]) -> List[Dict[str, Any]]:
    entities = []
    for entity in parse_data.get("entities") or []:
        if isinstance(entity, dict):
            entities.append({key: entity.get(key) for key in ("entity", "value", "start", "end", "extractor")
                             if key in entity})
    return entities


def _cards(data: Dict[str, Any]) -> List[Dict[str, Any]]:
    custom = data.get("custom") if isinstance(data, dict) else None
    if not isinstance(custom, dict) or custom.get("type") != "product_cards":
        return []
    cards = []
    for product in custom.get("products") or []:
        if isinstance(product, dict) and product.get("id"):
            cards.append({key: product.get(key) for key in ("id", "title", "price", "brand", "image", "reason")})
    return cards


def tracker_messages(stored: Optional[str]) -> List[Dict[str, Any]]:
    """Customer and bot messages of a stored tracker, each customer turn with the actions it led to."""
    if not stored:
        return []
    try:
        events = json.loads(stored).get("events") or []
    except (ValueError, AttributeError):
        return []
    messages: List[Dict[str, Any]] = []
    turn: Optional[Dict[str, Any]] = None
    for event in events:
        if not isinstance(event, dict):
            continue
        kind = event.get("event")
        at = event.get("timestamp") or 0
        if kind == "user":
            parse_data = event.get("parse_data") or {}
            ranking = parse_data.get("intent_ranking") or []
            turn = {
                "id": repr(float(at)), "role": "customer", "text": event.get("text") or "", "at": iso_time(at), "ts": at,
                "channel": event.get("input_channel"),
                "intent": _intent(parse_data, event),
                "intents": [{"name": item.get("name"), "confidence": _confidence(item.get("confidence"))}
                            for item in ranking[:3] if isinstance(item, dict)],
                "entities": _entities(parse_data),
                "actions": [],
            }
            messages.append(turn)
        elif kind == "action" and turn is not None and event.get("name") not in IGNORED_ACTIONS:
            turn["actions"].append(event.get("name"))
        elif kind == "bot":
            data = event.get("data") or {}
            cards = _cards(data)
            messages.append({"id": repr(float(at)), "role": "bot", "text": event.get("text") or "", "at": iso_time(at),
                             "ts": at,
                             "products": [card["id"] for card in cards], "cards": cards})
    return messages


def transcript(stored_tracker: Optional[str], log: List[Dict[str, Any]],
               originals: Optional[Dict[str, str]] = None) -> Dict[str, List[Dict[str, Any]]]:
    """``messages`` (customer, bot, agent; oldest first), ``notes`` and ``events`` of a conversation.

    Texts are as stored: masked.  ``originals`` (message id → text, bot/store/privacy_records.py)
    puts the whole texts back, for a supervisor's logged unmasking or the customer's own export.
    """
    messages = tracker_messages(stored_tracker)
    for message in messages:
        original = (originals or {}).get(message.get("id", ""))
        if original is not None:
            message["text"], message["masked"] = original, False
    notes, events = [], []
    for entry in log:
        at = entry.get("at") or 0
        role = entry.get("role")
        item = {**entry, "at": iso_time(at), "ts": at}
        if role == "agent":
            messages.append(item)
        elif role == "bot":  # a notice the gate or the console sent
            messages.append({**item, "products": [], "cards": []})
        elif role == "note":
            notes.append(item)
        else:
            events.append(item)
    messages.sort(key=lambda message: message["ts"])
    for message in messages:
        message.pop("ts", None)
    for item in notes + events:
        item.pop("ts", None)
    return {"messages": messages, "notes": notes, "events": events}
