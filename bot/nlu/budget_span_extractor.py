"""``BudgetSpanExtractor``: one ``budget`` entity for a budget written as one (预算 as written).

DIET tags budgets token by token and cuts ranges apart (一百五到两百五 → 一百 · 五到 · 两百五),
which the bot then read as unrelated budgets.  This component runs after DIET and replaces the
budget entities that overlap the span the budget grammar (:func:`bot.language.budget.find_budget`)
reads as one budget by a single entity over that span.  Where the grammar finds no budget with a
price cue, DIET's entities stay as they were.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.language.entity_repair import merged_entities


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class BudgetSpanExtractor(GraphComponent, EntityExtractorMixin):
    """Joins the pieces of a budget range into the one budget the customer wrote."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # Entity types a budget span wins over where they overlap it (a size
            # "250" inside 两百五 is the budget's tail, not a size).
            "overrides": ["budget", "size"],
        }

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._overrides = frozenset(config["overrides"])

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "BudgetSpanExtractor":
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            entities = merged_entities(text, message.get(ENTITIES, []), self._overrides, self.name)
            message.set(ENTITIES, entities, add_to_output=True)
        return messages
