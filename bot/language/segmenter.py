"""Chinese word segmentation (分词) for shoppers' messages, on a private jieba instance.

jieba's module-level functions share one global dictionary; two components (or
two models in one process) adding words would change each other's results.
Each :class:`Segmenter` owns a ``jieba.Tokenizer`` with its own user words.

Entity boundaries must fall on token boundaries, or Rasa drops the annotation
("misaligned entity") and cannot extract it.  So, before jieba's cut:

* user words (catalog brands, categories, colours...) are cut out first,
  longest first: jieba's statistics would otherwise glue them to a
  neighbour (``买手机``, ``这鞋``); a one-character user word (``鞋``) only
  where it does not form a word of jieba's dictionary with a neighbour
  (``表示`` stays whole);
* a size unit after a number or letter is its own token (``42码会`` →
  ``42`` ``码`` ``会``);

and after it, tokens that are not dictionary words are split where the script
changes: ``iphone15`` → ``iphone`` ``15``, ``mate60`` → ``mate`` ``60``.
Whitespace never becomes a token (Rasa issue #7910).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Iterable, List, Sequence, TypeVar

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
_SIZE_UNIT = r"(?<=[0-9a-z])[码号]"
T = TypeVar("T")


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
        forced = sorted((w for w in self._known if " " not in w), key=len, reverse=True)
        self._forced = re.compile("|".join([re.escape(w) for w in forced] + [_SIZE_UNIT]))

    def _binds_to_neighbour(self, text: str, index: int) -> bool:
        """Whether the character at ``index`` forms a dictionary word with a neighbour."""
        frequencies = self._jieba.FREQ
        before = text[index - 1:index + 1] if index > 0 else ""
        after = text[index:index + 2] if index + 1 < len(text) else ""
        return any(frequencies.get(pair, 0) > 0 for pair in (before, after) if pair)

    def _forced_spans(self, text: str) -> List[Piece]:
        spans = []
        for match in self._forced.finditer(text):
            word = match.group()
            if len(word) == 1 and word in self._known and self._binds_to_neighbour(text, match.start()):
                continue
            if _inside_latin_word(text, match.start(), match.end()):
                continue  # asus in pegasus: a brand never starts inside another Latin word
            spans.append(Piece(word, match.start(), match.end()))
        return spans

    def _cut(self, text: str, offset: int) -> List[Piece]:
        pieces: List[Piece] = []
        for word, start, _ in self._jieba.tokenize(text, HMM=self.hmm):
            start += offset
            if word.isspace():
                continue
            if word in self._known:
                if pieces and pieces[-1].end == start and _inside_latin_word(text, start - offset, start - offset + 1):
                    # jieba cut asus out of pegasus: the Latin word stays whole
                    pieces[-1] = Piece(pieces[-1].text + word, pieces[-1].start, start + len(word))
                    continue
                pieces.append(Piece(word, start, start + len(word)))
                continue
            for run in _SCRIPT_RUNS.finditer(word):
                pieces.append(Piece(run.group(), start + run.start(), start + run.end()))
        return pieces

    def segment(self, text: str) -> List[Piece]:
        normalized = normalize(text)
        pieces: List[Piece] = []
        position = 0
        for forced in self._forced_spans(normalized):
            if forced.start > position:
                pieces += self._cut(normalized[position:forced.start], position)
            pieces.append(forced)
            position = forced.end
        if position < len(normalized):
            pieces += self._cut(normalized[position:], position)
        return pieces


def _inside_latin_word(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` starts in the middle of a Latin word (asus in pegasus).

    Its end may run on: a brand glued to its model (vivox100 · airpodspro) is still the brand.
    """
    latin = "abcdefghijklmnopqrstuvwxyz"
    return text[start] in latin and start > 0 and text[start - 1] in latin


def kept_ends(tokens: Sequence[T], most: int) -> List[T]:
    """At most ``most`` tokens of an overlong message: its beginning and its end.

    The classifier's attention costs the square of the tokens (a 19,000-character
    message took 6 GB), and a long message's request is usually at one of its ends
    (a story, then 我要退款).  Offsets stay those of the original text.
    """
    if most <= 0 or len(tokens) <= most:
        return list(tokens)
    head = (most + 1) // 2
    return [*tokens[:head], *tokens[len(tokens) - (most - head):]]
