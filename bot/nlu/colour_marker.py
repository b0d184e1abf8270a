"""``MissedColourMarker``: colour wishes the NLU model did not mark (偏棕一点 · 米白色 · 棕调的).

DIET learned the colours of its training examples (黑色 · 白的); a colour said in another way
was left unmarked and the customer's wish was lost.  The colour words and the ways a wish
says them live in :mod:`bot.language.colors`; this only adds a ``color`` entity where no
entity covers the words.
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

from bot.language.entity_repair import with_missed_colours


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class MissedColourMarker(GraphComponent, EntityExtractorMixin):
    """Adds the colours said as 偏X · X色 · X调 · X系 that no entity covers."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}  # the colour words live in bot/language/colors.py

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "MissedColourMarker":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            entities = with_missed_colours(message.get(TEXT) or "", message.get(ENTITIES, []), self.name)
            message.set(ENTITIES, entities, add_to_output=True)
        return messages
