"""Masking personal data (脱敏) the way Chinese shops show it: 139****5678, 王**, 北京市朝阳区****.

What stays visible is what an agent needs to recognise a value without
learning it: a phone's first three and last four digits, the last four of a
card, a name's surname, an address's city and district.  A masked text is
masked again without change (masks hold ``*``, which no recogniser matches).
"""

from __future__ import annotations

import re
from typing import Any

from bot.language.personal_data import ADMIN_UNIT, STREET_DETAIL, Found, find_personal_data

MASK = "*"


def _digits_only(value: str) -> str:
    return "".join(str(int(ch)) for ch in value if ch.isdigit())


def _country_code(value: str) -> str:
    """``+86 `` / ``(86)`` kept in front of a mobile number as written."""
    match = re.match(r"^\s*(?:(?:\+|＋|00)?86|[(（](?:\+|＋)?86[)）])[ \u3000-]?", value)
    return match.group() if match else ""


def mask_value(found: Found) -> str:
    value = found.value
    if found.kind == "mobile":
        prefix = _country_code(value)
        digits = _digits_only(value[len(prefix):])
        return f"{prefix}{digits[:3]}{MASK * 4}{digits[-4:]}"
    if found.kind == "landline":
        digits = _digits_only(value)
        return f"{digits[:3]}{MASK * max(len(digits) - 5, 3)}{digits[-2:]}"
    if found.kind == "id_card":
        raw = _digits_only(value[:-1]) + value[-1].upper().replace("Ｘ", "X")
        return f"{raw[:3]}{MASK * (len(raw) - 7)}{raw[-4:]}"
    if found.kind == "bank_card":
        digits = _digits_only(value)
        return f"{MASK * (len(digits) - 4)}{digits[-4:]}"
    if found.kind == "email":
        local, _, domain = value.partition("@")
        return f"{local[:1]}{MASK * 3}@{domain}"
    if found.kind == "name":
        return value[0] + MASK * (len(value) - 1)
    if found.kind == "address":
        detail = STREET_DETAIL.search(value)
        keep = 0
        for admin in ADMIN_UNIT.finditer(value, 0, detail.start() if detail else len(value)):
            keep = admin.end()
        return value[:keep] + MASK * 4
    raise ValueError(f"unknown kind {found.kind!r}")


def mask_text(text: str) -> str:
    """``text`` with every piece of personal data in it masked."""
    if not isinstance(text, str):
        return text
    found = find_personal_data(text)
    if not found:
        return text
    parts, position = [], 0
    for item in found:
        parts.append(text[position:item.start])
        parts.append(mask_value(item))
        position = item.end
    parts.append(text[position:])
    return "".join(parts)


def mask_data(value: Any) -> Any:
    """Every string inside ``value`` (dicts, lists, tuples) masked; other values as they are."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        return {key: mask_data(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(mask_data(item) for item in value)
    return value


def holds_personal_data(text: str) -> bool:
    return bool(isinstance(text, str) and find_personal_data(text))


__all__ = ["MASK", "holds_personal_data", "mask_data", "mask_text", "mask_value"]
