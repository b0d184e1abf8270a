"""Sealed values (加密保存): the few personal values kept whole, encrypted with the shop's privacy key.

The key is ``PRIVACY_KEY`` (a Fernet key: 32 random bytes, URL-safe base64),
or the file named by ``PRIVACY_KEY_FILE``; the run command generates one in
its data directory (never in the repository).  Without a key nothing is kept
whole: texts are masked all the same, a supervisor cannot unmask, and an
address given before the order is chosen has to be given again.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import logging
import os
from pathlib import Path
from typing import Mapping, Optional

from cryptography.fernet import Fernet, InvalidToken

logger = logging.getLogger(__name__)


class Sealer:
    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(key)
        self._key = key

    @staticmethod
    def new_key() -> str:
        return Fernet.generate_key().decode()

    def seal(self, text: str) -> str:
        return self._fernet.encrypt(text.encode()).decode()

    def open(self, sealed: str) -> Optional[str]:
        """The text, or None for a token sealed with another key or tampered with."""
        try:
            return self._fernet.decrypt(sealed.encode() if isinstance(sealed, str) else sealed).decode()
        except (InvalidToken, ValueError):
            return None

    def digest(self, subject: str) -> str:
        """A keyed digest of ``subject`` for audit records: the shop can recompute it, a reader of Redis cannot."""
        return hmac.new(self._key, subject.encode(), hashlib.sha256).hexdigest()[:24]


def sealer_from_env(environ: Mapping[str, str] = os.environ) -> Optional[Sealer]:
    key = (environ.get("PRIVACY_KEY") or "").strip()
    key_file = (environ.get("PRIVACY_KEY_FILE") or "").strip()
    if not key and key_file:
        try:
            key = Path(key_file).read_text().strip()
        except OSError as error:
            raise ValueError(f"PRIVACY_KEY_FILE {key_file!r} cannot be read: {error}") from error
    if not key:
        return None
    try:
        return Sealer(key.encode())
    except ValueError as error:
        raise ValueError("PRIVACY_KEY must be a Fernet key (32 bytes, URL-safe base64): "
                         "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
                         ) from error


@functools.lru_cache(maxsize=1)
def default_sealer() -> Optional[Sealer]:
    sealer = sealer_from_env()
    if sealer is None:
        logger.warning("PRIVACY_KEY is not set: personal data is masked and no original is kept for unmasking")
    return sealer


__all__ = ["Sealer", "default_sealer", "sealer_from_env"]
