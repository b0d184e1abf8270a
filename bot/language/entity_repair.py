"""Entity repairs after the NLU model (实体修正): a budget range as one entity, refused conditions marked.

Plain functions over Rasa's entity dicts, used by the components in bot/nlu/ and tested without Rasa.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List

from bot.language.budget import find_budget
from bot.language.negation import REJECTED_ROLE, is_rejected

# What a customer can take back (不要蓝色 · 耐克的算了); budgets and order numbers are replaced instead.
REJECTABLE = frozenset({"color", "brand", "size", "product_category"})


def merged_entities(text: str, entities: Iterable[Dict[str, Any]], overrides: frozenset,
                    extractor: str) -> List[Dict[str, Any]]:
    """``entities`` with the budget the grammar finds in ``text`` as one entity over its span."""
    entities = list(entities)
    span = find_budget(text)
    if span is None:
        return entities
    start, end = span
    kept = [entity for entity in entities
            if not (entity.get("entity") in overrides and entity["start"] < end and entity["end"] > start)]
    if any(entity["start"] < end and entity["end"] > start for entity in kept):
        return entities  # the span covers another kind of entity (型号, 订单号): trust the model
    kept.append({"entity": "budget", "start": start, "end": end, "value": text[start:end],
                 "confidence_entity": 1.0, "extractor": extractor})
    return sorted(kept, key=lambda entity: entity["start"])


def mark_rejected(text: str, entities: Iterable[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Gives the role ``rejected`` to conditions the customer said no to (蓝色不要了).

    Slots map entities without a role only, so a rejected colour never becomes the colour
    wanted; the dialogue reads the role to drop a condition given earlier.
    """
    marked = []
    for entity in entities:
        if entity.get("entity") in REJECTABLE and not entity.get("role") \
                and is_rejected(text, entity["start"], entity["end"]):
            entity = {**entity, "role": REJECTED_ROLE}
        marked.append(entity)
    return marked
