"""Our WeChat encryption against wechatpy's, the independent implementation of WeChat's side."""

from __future__ import annotations

import base64
import os

import pytest
from hypothesis import given, settings, strategies as st
from wechatpy.crypto import PrpCrypto, WeChatCrypto
from wechatpy.enterprise.crypto import WeChatCrypto as WeComCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException

from bot.channels.wechat.crypto import WeChatCipher, WeChatCryptoError, decode_aes_key, pad, unpad
from bot.channels.wechat.signature import check_msg_signature, check_signature, sign

AES_KEY = base64.b64encode(os.urandom(32)).decode()[:-1]
APP_ID = "wx1234567890abcdef"
TOKEN = "shoptoken"


def test_key_is_43_characters_of_base64():
    assert len(decode_aes_key(AES_KEY)) == 32
    for bad in ["", "short", AES_KEY + "x", "!" * 43]:
        with pytest.raises(WeChatCryptoError):
            decode_aes_key(bad)


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=0, max_size=600))
def test_wechatpy_decrypts_what_we_encrypt_and_back(text):
    ours = WeChatCipher(AES_KEY, APP_ID)
    theirs = PrpCrypto(base64.b64decode(AES_KEY + "="))
    assert theirs.decrypt(ours.encrypt(text), APP_ID) == text
    assert ours.decrypt(theirs.encrypt(text, APP_ID).decode()) == text


def test_padding_is_to_32_byte_blocks():
    for size in range(0, 70):
        padded = pad(b"a" * size)
        assert len(padded) % 32 == 0 and 1 <= padded[-1] <= 32
        assert unpad(padded) == b"a" * size


def test_a_message_for_another_appid_is_refused():
    foreign = PrpCrypto(base64.b64decode(AES_KEY + "=")).encrypt("<xml/>", "wxSOMEONEELSE").decode()
    with pytest.raises(WeChatCryptoError, match="AppID"):
        WeChatCipher(AES_KEY, APP_ID).decrypt(foreign)


def test_wechatpy_refuses_our_message_for_another_appid():
    encrypted = WeChatCipher(AES_KEY, "wxOTHER").encrypt("<xml/>")
    with pytest.raises(InvalidAppIdException):
        PrpCrypto(base64.b64decode(AES_KEY + "=")).decrypt(encrypted, APP_ID)


@pytest.mark.parametrize("garbage", ["", "not base64!!", base64.b64encode(b"x" * 15).decode(),
                                     base64.b64encode(os.urandom(64)).decode()])
def test_garbage_is_refused_not_crashing(garbage):
    with pytest.raises(WeChatCryptoError):
        WeChatCipher(AES_KEY, APP_ID).decrypt(garbage)


def test_a_flipped_ciphertext_byte_never_yields_the_message():
    encrypted = bytearray(base64.b64decode(WeChatCipher(AES_KEY, APP_ID).encrypt("<xml>hello</xml>")))
    encrypted[-1] ^= 0x55
    try:
        result = WeChatCipher(AES_KEY, APP_ID).decrypt(base64.b64encode(bytes(encrypted)).decode())
    except WeChatCryptoError:
        return
    assert result != "<xml>hello</xml>"


def test_encrypted_reply_envelope_is_accepted_by_wechatpy():
    """The whole safe-mode reply: wechatpy checks its msg_signature and decrypts it."""
    from bot.channels.wechat.messages import encrypted_envelope

    cipher = WeChatCipher(AES_KEY, APP_ID)
    envelope = cipher.encrypt("<xml><Content><![CDATA[你好]]></Content></xml>")
    signature = sign(TOKEN, "1700000000", "nonce1", envelope)
    xml = encrypted_envelope(envelope, signature, "1700000000", "nonce1")
    plain = WeChatCrypto(TOKEN, AES_KEY, APP_ID).decrypt_message(xml, signature, "1700000000", "nonce1")
    assert "你好" in plain
    with pytest.raises(InvalidSignatureException):
        WeChatCrypto(TOKEN, AES_KEY, APP_ID).decrypt_message(xml, "0" * 40, "1700000000", "nonce1")


def test_wecom_echostr_round_trip_with_wechatpy():
    corp = "ww0123456789"
    echostr = PrpCrypto(base64.b64decode(AES_KEY + "=")).encrypt("1234567890123", corp).decode()
    signature = sign(TOKEN, "1700000000", "n", echostr)
    # wechatpy's WeCom side accepts the same signature we compute...
    assert WeComCrypto(TOKEN, AES_KEY, corp).check_signature(signature, "1700000000", "n", echostr) == "1234567890123"
    # ...and we decrypt the echostr as it does.
    assert check_msg_signature(TOKEN, signature, "1700000000", "n", echostr)
    assert WeChatCipher(AES_KEY, corp).decrypt(echostr) == "1234567890123"


def test_plain_signature_matches_wechatpy():
    from wechatpy.utils import check_signature as theirs

    signature = sign(TOKEN, "1700000000", "abc")
    theirs(TOKEN, signature, "1700000000", "abc")  # raises if it disagrees
    assert check_signature(TOKEN, signature, "1700000000", "abc")
    assert check_signature(TOKEN, signature.upper(), "1700000000", "abc")
    assert not check_signature(TOKEN, signature, "1700000001", "abc")
    assert not check_signature("othertoken", signature, "1700000000", "abc")
    assert not check_signature(TOKEN, None, "1700000000", "abc")
    assert not check_signature(TOKEN, signature, None, "abc")
    assert not check_signature(TOKEN, "中文", "1700000000", "abc")
