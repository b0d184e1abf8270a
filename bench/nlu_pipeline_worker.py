"""One pipeline's numbers, in a process of its own (so peak memory is its own).

python bench/nlu_pipeline_worker.py CONFIG TRAIN_DATA HELDOUT OUT_DIR
Trains an NLU model, parses every held-out message one at a time through a
loaded Agent (latency), and writes OUT_DIR/result.json.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np


def main(config: str, train_data: str, heldout: str, out_dir: str) -> None:
    from rasa.core.agent import Agent
    from rasa.model_training import train_nlu
    import rasa.shared.data
    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.shared.nlu.training_data.training_data import TrainingData

    out = Path(out_dir)
    started = time.perf_counter()
    model = train_nlu(config=config, nlu_data=train_data, output=str(out), fixed_model_name="model")
    training_seconds = time.perf_counter() - started

    agent = Agent.load(model)
    examples = [m for m in load_data(heldout).training_examples if m.get("text")]
    latencies, predictions = [], []

    # A served model is warm: TensorFlow has traced DIET for the common input
    # shapes. Warm up on training messages (never held-out ones) of every length.
    by_length = {}
    nlu_files = rasa.shared.data.get_data_files([train_data], rasa.shared.data.is_nlu_file)
    training = TrainingData().merge(*[load_data(path) for path in sorted(nlu_files)])
    for message in training.training_examples:
        if message.get("text"):
            by_length.setdefault(len(message.get("text")), message.get("text"))
    warm_up = list(by_length.values())

    async def parse_all() -> None:
        for text in warm_up:
            await agent.parse_message(text)
        for message in examples:
            begin = time.perf_counter()
            parsed = await agent.parse_message(message.get("text"))
            latencies.append((time.perf_counter() - begin) * 1000)
            predictions.append({
                "text": message.get("text"),
                "intent": message.get("intent"),
                "predicted": parsed["intent"]["name"],
                "confidence": parsed["intent"]["confidence"],
                "ranking": parsed.get("intent_ranking", [])[:2],
                "entities": [
                    (e["entity"], e["start"], e["end"]) for e in parsed.get("entities", [])
                    if e.get("extractor") != "RegexEntityExtractor"
                ],
                "expected_entities": [
                    (e["entity"], e["start"], e["end"]) for e in message.get("entities") or []
                ],
            })

    asyncio.run(parse_all())
    result = {
        "config": config,
        "model": str(model),
        "training_seconds": training_seconds,
        "latency_ms_p50": float(np.percentile(latencies, 50)),
        "latency_ms_p95": float(np.percentile(latencies, 95)),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "predictions": predictions,
    }
    (out / "result.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), "utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:5])
