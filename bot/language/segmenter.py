"""Chinese word segmentation (分词) for shoppers' messages, on a private jieba instance.

jieba's module-level functions share one global dictionary; two components (or
two models in one process) adding words would change each other's results.
Each :class:`Segmenter` owns a ``jieba.Tokenizer`` with its own user words.

Besides jieba's cut, tokens that are not dictionary words are split where the
script changes, so that entity boundaries fall on token boundaries:
``iphone15`` → ``iphone`` ``15``, ``42码`` → ``42`` ``码``, ``mate60`` →
``mate`` ``60``.  Whitespace never becomes a token (Rasa issue #7910).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Iterable, List

import jieba

from bot.language.normalize import normalize

# Runs of one script: Han, Latin letters (with ' and & inside brand names),
# numbers (with a decimal point), or any other single non-space character.
_SCRIPT_RUNS = re.compile(
    r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+"
    r"|[a-z]+(?:['&][a-z]+)*"
    r"|\d+(?:\.\d+)?"
    r"|\S"
)


@dataclass(frozen=True)
class Piece:
    """A token: its normalised text and its span in the original message."""

    text: str
    start: int
    end: int


class Segmenter:
    def __init__(self, user_words: Iterable[str] = (), hmm: bool = True) -> None:
        self.hmm = hmm
        self._jieba = jieba.Tokenizer()
        jieba.setLogLevel(logging.WARNING)
        self._jieba.initialize()
        self.user_words = sorted({normalize(w).strip() for w in user_words if w and w.strip()})
        for word in self.user_words:
            # jieba matches dictionary words only inside one run of Han/alphanumerics.
            if " " not in word:
                self._jieba.add_word(word, freq=self._jieba.suggest_freq(word, tune=False))
        self._known = set(self.user_words)

    def segment(self, text: str) -> List[Piece]:
        normalized = normalize(text)
        pieces: List[Piece] = []
        for word, start, _ in self._jieba.tokenize(normalized, HMM=self.hmm):
            if word.isspace():
                continue
            if word in self._known:
                pieces.append(Piece(word, start, start + len(word)))
                continue
            for run in _SCRIPT_RUNS.finditer(word):
                pieces.append(Piece(run.group(), start + run.start(), start + run.end()))
        return pieces
