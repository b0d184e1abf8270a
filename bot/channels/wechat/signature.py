"""WeChat's request signatures: sha1 of the sorted strings, compared in constant time.

URL verification and plaintext messages are signed over (token, timestamp,
nonce); safe-mode messages and every WeCom callback over (token, timestamp,
nonce, Encrypt) and sent as ``msg_signature``.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from typing import Optional


def sign(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()


def signature_ok(expected_parts: tuple, signature: Optional[str]) -> bool:
    if not signature or not isinstance(signature, str) or any(not isinstance(p, str) for p in expected_parts):
        return False
    return hmac.compare_digest(sign(*expected_parts).encode("ascii"), signature.strip().lower().encode("utf-8"))


def check_signature(token: str, signature: Optional[str], timestamp: Optional[str], nonce: Optional[str]) -> bool:
    """The plain signature of URL verification and plaintext messages."""
    if not timestamp or not nonce:
        return False
    return signature_ok((token, timestamp, nonce), signature)


def check_msg_signature(
    token: str, msg_signature: Optional[str], timestamp: Optional[str], nonce: Optional[str], encrypted: Optional[str]
) -> bool:
    """The safe-mode signature, over the encrypted message (or echostr) too."""
    if not timestamp or not nonce or not encrypted:
        return False
    return signature_ok((token, timestamp, nonce, encrypted), msg_signature)


def timestamp_fresh(timestamp: Optional[str], max_skew_seconds: int, now: Optional[float] = None) -> bool:
    """A signed request older (or newer) than ``max_skew_seconds`` is a replay; 0 turns the check off."""
    if max_skew_seconds <= 0:
        return True
    text = str(timestamp)
    if not text.isdigit() or len(text) > 12:  # unix seconds; 400 digits would overflow the subtraction
        return False
    return abs((time.time() if now is None else now) - int(text)) <= max_skew_seconds
