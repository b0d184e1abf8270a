"""``MissedBrandMarker``: brands the NLU model did not mark (有没有杨树林的口红 · luckin的挂耳), and kinds it
marked as brands (那pad呢).

DIET learned the brand names and aliases of its training examples; an alias from
``brands.yml`` said in a sentence unlike them was left unmarked and the customer's
brand was lost.  The names come from the catalog's brand file, the same one the
recommender reads; this only adds a ``brand`` entity, with the catalog's name, where
no entity covers the words.
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

from bot.catalog.model import BRANDS_FILE, BrandVocabulary, load_brands
from bot.catalog.vocabulary import category_words
from bot.language.entity_repair import with_missed_brands
from bot.language.normalize import normalize


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class MissedBrandMarker(GraphComponent, EntityExtractorMixin):
    """Adds the brands of ``brands.yml`` said in the text that no entity covers."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # the catalog's brand file (canonical name → aliases); the shop's own, like the recommender's
            "brands_file": str(BRANDS_FILE),
        }

    def __init__(self, brands: BrandVocabulary) -> None:
        self._brands = brands
        self._kind_words = frozenset(word.lower() for word in category_words())  # 那pad呢: a kind marked a brand

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "MissedBrandMarker":
        return cls(load_brands(config["brands_file"]))

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            entities = with_missed_brands(text, message.get(ENTITIES, []), self._brands.spans_in(normalize(text)),
                                          self.name, self._kind_words)
            message.set(ENTITIES, entities, add_to_output=True)
        return messages
