"""Customer tokens (customer-identity.md): what is accepted, what is refused and why."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest

from bot.channels.rest import identity_from_header
from bot.channels.socketio_widget import WidgetMessageError, parse_user_message
from bot.channels.texts import LOGIN_AGAIN_REPLY
from bot.identity import (
    METADATA_KEY, CustomerIdentity, TokenRejected, identity_in_metadata, sign_customer_token, verify_customer_token,
    with_identity,
)

SECRET = "the-shops-secret-0123456789abcdef"


def unsigned(claims: dict) -> str:
    encode = lambda part: base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()  # noqa: E731
    return f"{encode({'alg': 'none', 'typ': 'JWT'})}.{encode(claims)}."


def test_a_token_the_shop_signed_names_the_customer():
    token = sign_customer_token("c-42", SECRET, name="王小明")
    assert verify_customer_token(token, SECRET) == CustomerIdentity("c-42", "王小明")


@pytest.mark.parametrize("token, reason", [
    (sign_customer_token("c-42", SECRET, now=time.time() - 7200), "expired"),
    (sign_customer_token("c-42", "another-secret-0123456789abcdef"), "signature"),
    (unsigned({"sub": "c-42", "exp": int(time.time()) + 24 * 3600}), "HS256"),
    (jwt.encode({"sub": "c-42", "exp": int(time.time()) + 24 * 3600}, SECRET, algorithm="HS512"), "HS256"),
    (jwt.encode({"exp": int(time.time()) + 24 * 3600}, SECRET, algorithm="HS256"), "'sub'"),
    (jwt.encode({"sub": "c-42"}, SECRET, algorithm="HS256"), "'exp'"),
    (jwt.encode({"sub": 42, "exp": int(time.time()) + 24 * 3600}, SECRET, algorithm="HS256"), "not valid"),
    (jwt.encode({"sub": "", "exp": int(time.time()) + 24 * 3600}, SECRET, algorithm="HS256"), "sub"),
    ("not.a.token", "not valid"),
    ("garbage", "not valid"),
    ("", "empty"),
    (None, "empty"),
    ("x" * 5000, "too long"),
])
def test_tokens_that_fail_verification_are_refused_with_a_reason(token, reason):
    with pytest.raises(TokenRejected, match=reason):
        verify_customer_token(token, SECRET)


def test_without_a_secret_no_token_is_trusted():
    with pytest.raises(TokenRejected, match="CUSTOMER_TOKEN_SECRET"):
        verify_customer_token(sign_customer_token("c-42", SECRET), None)


def test_an_identity_a_client_wrote_into_the_metadata_is_removed():
    forged = {METADATA_KEY: {"id": "somebody-else"}, "page": "/shop/"}
    assert with_identity(forged, None) == {"page": "/shop/"}
    assert identity_in_metadata(with_identity(forged, None)) is None
    proven = with_identity(forged, CustomerIdentity("c-42"))
    assert identity_in_metadata(proven) == CustomerIdentity("c-42") and proven["page"] == "/shop/"


def test_the_rest_header_is_bearer_or_nothing():
    assert identity_from_header(None, SECRET) is None and identity_from_header("  ", SECRET) is None
    token = sign_customer_token("c-42", SECRET)
    assert identity_from_header(f"Bearer {token}", SECRET).customer_id == "c-42"
    assert identity_from_header(f"bearer {token}", SECRET).customer_id == "c-42"
    for header in (f"Basic {token}", "Bearer", token):
        with pytest.raises(TokenRejected):
            identity_from_header(header, SECRET)


def test_the_widget_takes_the_token_from_custom_data_and_refuses_a_bad_one_politely():
    token = sign_customer_token("c-42", SECRET)
    message = parse_user_message({"message": "我的订单", "session_id": "s1", "customData": {"token": token}},
                                 secret=SECRET)
    assert identity_in_metadata(message.metadata) == CustomerIdentity("c-42")
    inside = parse_user_message({"message": "我的订单", "session_id": "s1",
                                 "metadata": {"customData": {"token": token, "lang": "zh"}}}, secret=SECRET)
    assert identity_in_metadata(inside.metadata).customer_id == "c-42"
    assert "token" not in json.dumps(inside.metadata["customData"])
    guest = parse_user_message({"message": "你好", "session_id": "s1",
                                "metadata": {METADATA_KEY: {"id": "c-42"}}}, secret=SECRET)
    assert identity_in_metadata(guest.metadata) is None
    with pytest.raises(WidgetMessageError) as refused:
        parse_user_message({"message": "我的订单", "session_id": "s1",
                            "customData": {"token": sign_customer_token("c-42", "wrong-secret-0123456789")}},
                           secret=SECRET)
    assert refused.value.reply == LOGIN_AGAIN_REPLY


def test_a_lone_surrogate_in_a_tokens_name_is_mended_and_in_its_subject_refused():
    assert verify_customer_token(sign_customer_token("c1", SECRET, name="王\ud800"), SECRET).name == "王\ufffd"
    with pytest.raises(TokenRejected):
        verify_customer_token(sign_customer_token("c\ud800", SECRET), SECRET)
