"""``RejectedConditionMarker``: conditions said with a no (蓝色不要了) are marked ``rejected``;
a kind named only as what the product goes with (好搭衣服), or a lone character that names no kind
(跑一身汗 → 汗), is no condition and is dropped."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.catalog.vocabulary import names_a_kind_at
from bot.language.entity_repair import mark_rejected, without_companion_kinds


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class RejectedConditionMarker(GraphComponent, EntityExtractorMixin):
    """Marks refused colours, brands, sizes and categories so that no slot takes them."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}  # the refusal words live in bot/language/negation.py

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "RejectedConditionMarker":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            entities = [entity for entity in without_companion_kinds(text, message.get(ENTITIES, []))
                        if entity.get("entity") != "product_category"
                        or names_a_kind_at(text, entity["start"], entity["end"])]
            entities = mark_rejected(text, entities)
            message.set(ENTITIES, entities, add_to_output=True)
        return messages
