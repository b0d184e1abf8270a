"""NLU benchmark: our pipeline against the stock Rasa Chinese pipeline, same split.

    python bench/nlu_benchmark.py            (make bench-nlu)

Trains each pipeline on nlu_data/, evaluates on bench/data/nlu_unseen.yml
(813 messages written by a helper that never saw the training data, from the
taxonomy alone), and prints and writes to docs/benchmarks.md: intent accuracy
and macro-F1, entity F1 (exact type and span) overall and for ``budget``, training time, single-message parse latency p50/p95 through a loaded
Agent, peak memory; and, for our pipeline, how the FallbackClassifier
threshold trades correct answers against caught mistakes.
"""

from __future__ import annotations

import hashlib
import json
import re
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Dict, List

import rasa
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.report import write_section  # noqa: E402
from bot.runtime.model_store import DEFAULT_TRAINING_INPUTS, training_fingerprint  # noqa: E402

PIPELINES = {
    "ours (jieba+catalog words, e5 encoder, DIET)": ROOT / "config.yml",
    "stock (JiebaTokenizer, char n-grams, DIET)": ROOT / "bench" / "configs" / "stock_zh.yml",
}
# What besides its config can change each pipeline's result: the stock one uses none of our code.
CODE_INPUTS = dict(zip(PIPELINES, (DEFAULT_TRAINING_INPUTS, ("nlu_data",))))
HELDOUT = ROOT / "bench" / "data" / "nlu_unseen.yml"
TRAIN = ROOT / "nlu_data"
RESULTS_CACHE = Path(os.environ.get("SHOPBOT_CACHE", Path.home() / ".cache" / "shopbot")) / "bench-nlu"


_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


def training_texts(data_dir: Path = TRAIN) -> set:
    """Every training example's text, annotations removed (``[L码](size)`` → ``L码``)."""
    texts = set()
    for path in data_dir.rglob("*.yml"):
        for item in (yaml.safe_load(path.read_text("utf-8")) or {}).get("nlu") or []:
            for line in str(item.get("examples") or "").splitlines():
                if line.strip().startswith("- "):
                    texts.add(_ANNOTATION.sub(r"\1", line.strip()[2:]).strip())
    return texts


def macro_f1(pairs: List[tuple]) -> float:
    labels = {gold for gold, _ in pairs}
    scores = []
    for label in labels:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores)


def entity_f1(predictions: List[dict], only: str = "") -> float:
    """F1 over (type, start, end) triples; ``only`` one entity type."""
    tp = fp = fn = 0
    for p in predictions:
        gold = Counter(tuple(e) for e in p["expected_entities"] if not only or e[0] == only)
        got = Counter(tuple(e) for e in p["entities"] if not only or e[0] == only)
        matched = sum((gold & got).values())
        tp += matched
        fp += sum(got.values()) - matched
        fn += sum(gold.values()) - matched
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def raw_intent(p: dict) -> str:
    """The classifier's intent before the FallbackClassifier replaced it."""
    if p["predicted"] == "nlu_fallback":
        ranked = [r for r in p["ranking"] if r["name"] != "nlu_fallback"]
        return ranked[0]["name"] if ranked else "nlu_fallback"
    return p["predicted"]


def raw_confidence(p: dict) -> float:
    ranked = [r for r in p["ranking"] if r["name"] != "nlu_fallback"]
    return ranked[0]["confidence"] if ranked else p["confidence"]


def threshold_table(predictions: List[dict]) -> List[str]:
    rows = ["| threshold | correct answers kept | mistakes sent to fallback | intent macro-F1 with fallback |",
            "| --- | --- | --- | --- |"]
    for threshold in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7):
        correct = [p for p in predictions if raw_intent(p) == p["intent"]]
        wrong = [p for p in predictions if raw_intent(p) != p["intent"]]
        kept = sum(raw_confidence(p) >= threshold for p in correct) / max(1, len(correct))
        caught = sum(raw_confidence(p) < threshold for p in wrong) / max(1, len(wrong))
        pairs = [(p["intent"], raw_intent(p) if raw_confidence(p) >= threshold else "nlu_fallback")
                 for p in predictions]
        rows.append(f"| {threshold:.1f} | {kept:.1%} | {caught:.1%} | {macro_f1(pairs):.3f} |")
    return rows


def run(name: str, config: Path, work: Path) -> Dict:
    """Trains and evaluates one pipeline, or reuses the result of an identical earlier run.

    A result is keyed by everything that can change it: the config, the training data,
    our NLU code and catalog words (bot.runtime.model_store's fingerprint), the held-out
    set and the Rasa version; so the stock pipeline is not trained again for a change of ours.
    """
    key = hashlib.sha256("\0".join([
        training_fingerprint(ROOT, config, CODE_INPUTS[name]), hashlib.sha256(HELDOUT.read_bytes()).hexdigest(),
        rasa.__version__,
    ]).encode()).hexdigest()[:16]
    cached = RESULTS_CACHE / f"{name.split()[0]}-{key}.json"
    if cached.exists():
        print(f"{name}: reusing {cached} (same config, data, code and held-out set)", flush=True)
        return json.loads(cached.read_text("utf-8"))
    out = work / name.split()[0]
    out.mkdir(parents=True)
    # a cold Rasa training cache, so the training time is what a first `make train` costs
    env = {**os.environ, "RASA_CACHE_DIRECTORY": str(work / "rasa-cache")}
    subprocess.run([sys.executable, str(ROOT / "bench" / "nlu_pipeline_worker.py"),
                    str(config), str(TRAIN), str(HELDOUT), str(out)], cwd=ROOT, check=True, env=env)
    result = (out / "result.json").read_text("utf-8")
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_text(result, "utf-8")
    return json.loads(result)


def main() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    rows = ["| pipeline | intent accuracy | intent macro-F1 | entity F1 | budget F1 | training | parse p50 "
            "| parse p95 | peak memory |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    results = {}
    with tempfile.TemporaryDirectory() as work:
        for name, config in PIPELINES.items():
            result = run(name, config, Path(work))
            results[name] = result
            predictions = result["predictions"]
            pairs = [(p["intent"], p["predicted"]) for p in predictions]
            accuracy = sum(g == p for g, p in pairs) / len(pairs)
            rows.append(
                f"| {name} | {accuracy:.3f} | {macro_f1(pairs):.3f} | {entity_f1(predictions):.3f} "
                f"| {entity_f1(predictions, 'budget'):.3f} "
                f"| {result['training_seconds']:.0f} s | {result['latency_ms_p50']:.1f} ms "
                f"| {result['latency_ms_p95']:.1f} ms | {result['peak_rss_mb']:.0f} MB |"
            )
            print(rows[-1], flush=True)
    # Short messages (嗯 · ok · 谢谢) recur in any two sets written apart: score also without them.
    seen = training_texts()
    for name, result in results.items():
        fresh = [p for p in result["predictions"] if p["text"].strip() not in seen]
        pairs = [(p["intent"], p["predicted"]) for p in fresh]
        rows.append(
            f"| {name}, only the {len(fresh)} messages not in `nlu_data/` | "
            f"{sum(g == p for g, p in pairs) / len(pairs):.3f} | {macro_f1(pairs):.3f} | {entity_f1(fresh):.3f} "
            f"| {entity_f1(fresh, 'budget'):.3f} | | | | |")
    ours = results[next(iter(PIPELINES))]["predictions"]
    confusions = Counter((p["intent"], p["predicted"]) for p in ours if p["intent"] != p["predicted"])
    body = [
        f"Held-out set: `{HELDOUT.relative_to(ROOT)}` ({len(ours)} messages, written by a helper that "
        "never saw `nlu_data/`, from the taxonomy alone). Scores include the FallbackClassifier (a message sent to `nlu_fallback` "
        "counts as wrong), as `rasa test nlu` scores them. Entity F1: exact type and span.",
        "", *rows, "",
        "FallbackClassifier threshold for our pipeline (same predictions, confidence of the top intent):",
        "", *threshold_table(ours), "",
        "Most frequent confusions of our pipeline (expected → predicted, count): "
        + ", ".join(f"{g} → {p} ({n})" for (g, p), n in confusions.most_common(8)),
    ]
    write_section("NLU pipelines", "python bench/nlu_benchmark.py", body)
    print("\n".join(body))


if __name__ == "__main__":
    main()
