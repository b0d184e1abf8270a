"""Order numbers (订单号) in what customers type: ours (``DD`` + date + 5 digits) and other shops'."""

from __future__ import annotations

import re
import unicodedata

# Order ids customers type: ours (DD + yyyymmdd + 5 digits) or other DD ids, and
# bare 9–20 digit numbers (other systems' order numbers, or ours without "DD").
# Letters or digits right before or after mean the number is part of something
# else (a tracking number such as SF1234567890123, a longer number).
_DD_ORDER_ID = re.compile(r"(?<![A-Za-z0-9])DD\d{6,20}(?![0-9])", re.IGNORECASE)
_NUMERIC_ORDER_ID = re.compile(r"(?<![A-Za-z0-9])\d{9,20}(?![0-9])")
# An 11-digit number starting 13–19 is a mainland mobile number, which customers
# send when changing their phone; taking it for an order id would look up nonsense.
_MOBILE_NUMBER = re.compile(r"^1[3-9]\d{9}$")
_OUR_ORDER_DIGITS = re.compile(r"^20\d{6}\d{5}$")


def find_order_ids(text: str) -> list[str]:
    """Order ids in free text, in order of appearance, without repeats.

    ``DD`` followed by 6–20 digits (any case, full-width too) comes back upper-case;
    bare 9–20 digit numbers come back as written, except mainland mobile numbers
    (11 digits starting 13–19).  Shorter numbers are never order ids: they are
    prices, sizes and quantities far more often.
    """
    normalized = unicodedata.normalize("NFKC", text or "")
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for match in _DD_ORDER_ID.finditer(normalized):
        found.append((match.start(), match.group().upper()))
        taken.append(match.span())
    for match in _NUMERIC_ORDER_ID.finditer(normalized):
        inside_dd = any(start <= match.start() < end for start, end in taken)
        if not inside_dd and not _MOBILE_NUMBER.match(match.group()):
            found.append((match.start(), match.group()))
    ids: list[str] = []
    for _, order_id in sorted(found):
        if order_id not in ids:
            ids.append(order_id)
    return ids


def canonical_order_id(order_id: str) -> str:
    """``dd2026…`` and full-width forms → ``DD2026…``; surrounding spaces dropped."""
    text = unicodedata.normalize("NFKC", order_id or "").strip()
    return "DD" + text[2:] if text[:2].upper() == "DD" else text


def looks_like_our_order_digits(order_id: str) -> bool:
    """Our id without its ``DD`` (customers often copy only the digits)."""
    return bool(_OUR_ORDER_DIGITS.match(order_id))
