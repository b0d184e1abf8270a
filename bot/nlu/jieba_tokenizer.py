"""``ShopJiebaTokenizer``: Rasa tokenizer over :class:`bot.language.segmenter.Segmenter`."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Set, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import ENTITIES, ENTITY_ATTRIBUTE_TYPE, ENTITY_ATTRIBUTE_VALUE
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.catalog.vocabulary import CATALOG_DATA_DIR, catalog_words
from bot.language import normalize, segmenter
from bot.language.segmenter import Segmenter, kept_ends

logger = logging.getLogger(__name__)

USER_WORDS_FILE = "user_words.txt"
# Annotated values of these entities are vocabulary; sizes, budgets and order
# numbers are open-ended and are left to the script-boundary splitting.
VOCABULARY_ENTITIES = ("product_category", "brand", "color")


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True
)
class ShopJiebaTokenizer(Tokenizer, GraphComponent):
    """Chinese tokenizer with the catalog's words, normalised text and exact offsets."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # Folder with brands.yml, categories.yml and demo_catalog.jsonl whose
            # words join the dictionary; None uses the shipped demo catalog.
            "catalog_dir": None,
            # More word lists (one word per line, # comments), relative to the
            # working directory of `rasa train`.
            "dictionary_files": [],
            # Also add the lookup tables and the annotated brand, category and
            # colour values of the training data.
            "words_from_training_data": True,
            # jieba's HMM guesses words missing from every dictionary.
            "hmm": True,
            # Tokens kept of an overlong message, half from its beginning and half
            # from its end (0 keeps all): DIET's attention grows with their square,
            # and a channel may allow 4,096 characters (Telegram).
            "max_tokens": 400,
            # Flag to check whether to split intents (Rasa's tokenizer option).
            "intent_tokenization_flag": False,
            # Symbol on which intent should be split.
            "intent_split_symbol": "_",
            # Regular expression to detect tokens (applied after segmentation).
            "token_pattern": None,
            # Symbol on which prefix should be split.
            "prefix_separator_symbol": None,
        }

    @staticmethod
    def supported_languages() -> Optional[List[Text]]:
        return ["zh"]

    @staticmethod
    def required_packages() -> List[Text]:
        # opencc is a hard dependency of this package; Rasa would look it up
        # under its import name and its distribution name, which differ.
        return ["jieba"]

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        user_words: Iterable[str] = (),
    ) -> None:
        super().__init__(config)
        self._model_storage = model_storage
        self._resource = resource
        self._segmenter = Segmenter(user_words, hmm=config["hmm"])

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "ShopJiebaTokenizer":
        return cls(config, model_storage, resource, cls._configured_words(config))

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "ShopJiebaTokenizer":
        try:
            with model_storage.read_from(resource) as directory:
                words = (Path(directory) / USER_WORDS_FILE).read_text("utf-8").splitlines()
        except (ValueError, FileNotFoundError):
            logger.warning("%s: no persisted dictionary, using the configured one", cls.__name__)
            words = sorted(cls._configured_words(config))
        return cls(config, model_storage, resource, words)

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[Text]:
        """Our segmentation code and the words it is given, so that Rasa's training cache never reuses
        the tokens (and the features and classifier trained on them) of older code or other words."""
        config = {**cls.get_default_config(), **config}  # Rasa's training hook passes config.yml's keys only
        files = [Path(segmenter.__file__), Path(normalize.__file__), Path(__file__),
                 *sorted(Path(config["catalog_dir"] or CATALOG_DATA_DIR).glob("*")),
                 *(Path(name) for name in config["dictionary_files"])]
        digest = hashlib.sha256()
        for path in files:
            digest.update(path.name.encode())
            digest.update(path.read_bytes() if path.is_file() else b"missing")
        return digest.hexdigest()

    @staticmethod
    def _configured_words(config: Dict[Text, Any]) -> Set[str]:
        words = catalog_words(Path(config["catalog_dir"] or CATALOG_DATA_DIR))
        for name in config["dictionary_files"]:
            for line in Path(name).read_text("utf-8").splitlines():
                if line.strip() and not line.lstrip().startswith("#"):
                    words.add(line.strip())
        return words

    @staticmethod
    def _training_data_words(training_data: TrainingData) -> Set[str]:
        words: Set[str] = set()
        for table in training_data.lookup_tables:
            if table.get("name") in VOCABULARY_ENTITIES:
                words.update(str(element) for element in table.get("elements") or [])
        for message in training_data.entity_examples:
            text = message.get("text") or ""
            for entity in message.get(ENTITIES) or []:
                if entity.get(ENTITY_ATTRIBUTE_TYPE) in VOCABULARY_ENTITIES:
                    words.add(text[entity["start"]:entity["end"]])
                    words.add(str(entity.get(ENTITY_ATTRIBUTE_VALUE)))
        return words

    def train(self, training_data: TrainingData) -> Resource:
        words = set(self._segmenter.user_words)
        if self._config["words_from_training_data"]:
            words |= self._training_data_words(training_data)
        self._segmenter = Segmenter(words, hmm=self._config["hmm"])
        with self._model_storage.write_to(self._resource) as directory:
            (Path(directory) / USER_WORDS_FILE).write_text(
                "\n".join(self._segmenter.user_words), "utf-8"
            )
        return self._resource

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        text = message.get(attribute) or ""
        pieces = kept_ends(self._segmenter.segment(text), self._config["max_tokens"])
        tokens = [Token(piece.text, piece.start, piece.end) for piece in pieces]
        return self._apply_token_pattern(tokens)
