"""WeChat's message encryption ("safe mode", and every WeCom callback).

AES-256-CBC with the 32-byte key from the 43-character EncodingAESKey
(base64 with the trailing ``=`` left out), IV = the key's first 16 bytes, and
PKCS#7 padding to 32-byte blocks.  The plaintext is
``16 random bytes | 4-byte big-endian length | message | AppID (or CorpID)``,
and the result is base64.  Decrypting checks the padding, the length and the
AppID, so a message for another account, or garbage, is refused.
"""

from __future__ import annotations

import base64
import binascii
import os
import struct
from typing import Optional

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 32


class WeChatCryptoError(ValueError):
    """The message cannot be decrypted, or it was meant for another AppID."""


def decode_aes_key(encoding_aes_key: str) -> bytes:
    key_text = (encoding_aes_key or "").strip()
    if len(key_text) != 43:
        raise WeChatCryptoError("the EncodingAESKey must be 43 characters long")
    try:
        key = base64.b64decode(key_text + "=", validate=True)
    except (binascii.Error, ValueError):
        raise WeChatCryptoError("the EncodingAESKey is not valid base64") from None
    if len(key) != 32:
        raise WeChatCryptoError("the EncodingAESKey does not decode to 32 bytes")
    return key


def pad(data: bytes) -> bytes:
    count = BLOCK - len(data) % BLOCK
    return data + bytes([count]) * count


def unpad(data: bytes) -> bytes:
    if not data or len(data) % 16:
        raise WeChatCryptoError("bad ciphertext length")
    count = data[-1]
    if not 1 <= count <= BLOCK or data[-count:] != bytes([count]) * count:
        raise WeChatCryptoError("bad padding")
    return data[:-count]


class WeChatCipher:
    def __init__(self, encoding_aes_key: str, app_id: str) -> None:
        self.key = decode_aes_key(encoding_aes_key)
        self.app_id = app_id

    def _cipher(self) -> Cipher:
        return Cipher(algorithms.AES(self.key), modes.CBC(self.key[:16]))

    def encrypt(self, message: str, random_prefix: Optional[bytes] = None) -> str:
        body = message.encode("utf-8")
        prefix = random_prefix if random_prefix is not None else os.urandom(16)
        if len(prefix) != 16:
            raise ValueError("the random prefix must be 16 bytes")
        plain = pad(prefix + struct.pack(">I", len(body)) + body + self.app_id.encode("utf-8"))
        encryptor = self._cipher().encryptor()
        return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode("ascii")

    def decrypt(self, encrypted: str) -> str:
        try:
            raw = base64.b64decode((encrypted or "").strip(), validate=True)
        except (binascii.Error, ValueError):
            raise WeChatCryptoError("the message is not base64") from None
        if not raw or len(raw) % 16:
            raise WeChatCryptoError("bad ciphertext length")
        decryptor = self._cipher().decryptor()
        plain = unpad(decryptor.update(raw) + decryptor.finalize())
        if len(plain) < 20:
            raise WeChatCryptoError("the decrypted message is too short")
        (length,) = struct.unpack(">I", plain[16:20])
        if 20 + length > len(plain):
            raise WeChatCryptoError("the decrypted message has a bad length")
        body, receiver = plain[20:20 + length], plain[20 + length:]
        if receiver.decode("utf-8", "replace") != self.app_id:
            raise WeChatCryptoError("the message was encrypted for another AppID")
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            raise WeChatCryptoError("the decrypted message is not UTF-8") from None
