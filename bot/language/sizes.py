"""Sizes (尺码) as customers write them, read as the catalog's size labels.

``42码``, ``42号`` and ``四十二码`` are shoe size ``42``; ``m码``, ``M号`` and
``中号`` are ``M``; ``2XL`` and ``加大`` are ``XXL``; ``一段`` is formula stage
``1段``; ``28腰`` is waist ``28``.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Optional

import cn2an

_LETTER_WORDS = {
    "小号": "S", "中号": "M", "大号": "L", "加大": "XL", "加大号": "XL",
    "特大": "XXL", "特大号": "XXL", "加加大": "XXL", "均码": "均码", "均": "均码",
}
_LETTER = re.compile(r"^(x{0,3}s|m|x{0,3}l|([2-4])xl)$")
_NUMBER = re.compile(r"^([0-9]+(?:\.5)?)$")
_STAGE = re.compile(r"^([1-4])段$")
_SUFFIXES = ("码数", "尺码", "码", "号", "腰", "寸", "的", "size", "尺")


def canonical_size(text: str) -> Optional[str]:
    """The catalog label for the size in ``text``, or None when it is not a size."""
    value = unicodedata.normalize("NFKC", text or "").strip().casefold().replace(" ", "")
    if not value:
        return None
    if value.startswith("size"):
        value = value[4:]
    value = _spell_out_chinese_number(value)
    if value in _LETTER_WORDS:
        return _LETTER_WORDS[value]
    stage = _STAGE.match(value)
    if stage:
        return f"{stage.group(1)}段"
    changed = True
    while changed:
        changed = False
        for suffix in _SUFFIXES:
            if value.endswith(suffix) and len(value) > len(suffix):
                value = value[: -len(suffix)]
                changed = True
    if value in _LETTER_WORDS:
        return _LETTER_WORDS[value]
    letter = _LETTER.match(value)
    if letter:
        if letter.group(2):  # 2xl → XXL
            return "X" * int(letter.group(2)) + "L"
        return value.upper()
    number = _NUMBER.match(value)
    if number:
        return number.group(1)
    return None


def beyond_any_size(text: str) -> bool:
    """399 · 1599: a number no size reaches (a price the model took for a size); heights stop below 200."""
    size = canonical_size(text)
    return bool(size and _NUMBER.match(size) and float(size) >= 200)


def _spell_out_chinese_number(value: str) -> str:
    """``四十二码`` → ``42码``, ``一段`` → ``1段``; anything else unchanged."""
    match = re.match(r"^([零一二两三四五六七八九十]+)(.*)$", value)
    if not match:
        return value
    try:
        number = int(cn2an.cn2an(match.group(1), "smart"))
    except (ValueError, KeyError):
        return value
    return f"{number}{match.group(2)}"


_LETTER_ORDER = ("XS", "S", "M", "L", "XL", "XXL", "XXXL")


def next_size(size: str, step: int) -> Optional[str]:
    """The size ``step`` sizes up (+1) or down (-1): 41 → 42, M → L, 2段 → 3段; None past the ends.

    For 大一码 / 小一号 said of the products shown.
    """
    canonical = canonical_size(size)
    if canonical is None:
        return None
    if canonical in _LETTER_ORDER:
        position = _LETTER_ORDER.index(canonical) + step
        return _LETTER_ORDER[position] if 0 <= position < len(_LETTER_ORDER) else None
    stage = _STAGE.match(canonical)
    if stage:
        value = int(stage.group(1)) + step
        return f"{value}段" if 1 <= value <= 4 else None
    if _NUMBER.match(canonical):
        value = float(canonical) + step
        return f"{value:g}" if value > 0 else None
    return None
