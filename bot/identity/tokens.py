"""Customer tokens: JWTs signed by the shop with HS256 and ``CUSTOMER_TOKEN_SECRET`` (PyJWT).

Claims: ``sub`` (the shop's customer id, a string), ``exp`` (required),
optional ``name``.  Only HS256 is accepted, so neither ``alg: none`` nor a
token signed with another algorithm gets through.  Every refusal says why, in
words a shop's developer can act on.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import Any, Dict, Mapping, Optional

import jwt

from bot.store.redis_client import storable_text

ALGORITHM = "HS256"
METADATA_KEY = "shopbot_customer"  # where channels put the verified identity in a message's metadata
MAX_TOKEN_CHARS = 4096
MAX_CUSTOMER_ID_CHARS = 128


class TokenRejected(ValueError):
    """A customer token that must not be trusted; the message says why."""


@dataclass(frozen=True)
class CustomerIdentity:
    customer_id: str
    name: Optional[str] = None

    def as_metadata(self) -> Dict[str, Any]:
        return {"id": self.customer_id, "name": self.name}


def token_secret(environ: Mapping[str, str] = os.environ) -> Optional[str]:
    return environ.get("CUSTOMER_TOKEN_SECRET") or None


def verify_customer_token(token: Any, secret: Optional[str]) -> CustomerIdentity:
    if not secret:
        raise TokenRejected("customer tokens are not accepted here: CUSTOMER_TOKEN_SECRET is not set")
    if not isinstance(token, str) or not token.strip():
        raise TokenRejected("the token is empty")
    if len(token) > MAX_TOKEN_CHARS:
        raise TokenRejected("the token is too long")
    try:
        claims = jwt.decode(token.strip(), secret, algorithms=[ALGORITHM], options={"require": ["exp", "sub"]})
    except jwt.ExpiredSignatureError:
        raise TokenRejected("the token has expired") from None
    except jwt.MissingRequiredClaimError as error:
        raise TokenRejected(f"the token has no {error.claim!r} claim") from None
    except jwt.InvalidAlgorithmError:
        raise TokenRejected(f"the token must be signed with {ALGORITHM}") from None
    except jwt.InvalidSignatureError:
        raise TokenRejected("the token's signature is not the shop's") from None
    except jwt.InvalidTokenError as error:
        raise TokenRejected(f"the token is not valid: {error.__class__.__name__}") from None
    except UnicodeError:  # a lone surrogate or a byte that is not UTF-8: jwt cannot even encode it
        raise TokenRejected("the token is not valid: it is not plain text") from None
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject.strip() or len(subject) > MAX_CUSTOMER_ID_CHARS \
            or not subject.isprintable():  # a lone surrogate ("\ud800" in the JSON) could key nothing in Redis
        raise TokenRejected("the token's 'sub' must be the customer id, a non-empty printable string")
    name = claims.get("name")
    # the name is only shown: a lone surrogate in it is mended, not a reason to refuse the customer
    return CustomerIdentity(subject.strip(),
                            storable_text(name) if isinstance(name, str) and name.strip() else None)


def sign_customer_token(customer_id: str, secret: str, lifetime_seconds: int = 3600,
                        name: Optional[str] = None, now: Optional[float] = None) -> str:
    """What a shop's site does when its customer is logged in (the demo shop page, tests)."""
    issued = int(time.time() if now is None else now)
    claims: Dict[str, Any] = {"sub": customer_id, "iat": issued, "exp": issued + lifetime_seconds}
    if name:
        claims["name"] = name
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def with_identity(metadata: Optional[Mapping[str, Any]], identity: Optional[CustomerIdentity]) -> Dict[str, Any]:
    """The message metadata with the verified identity, never with one a client wrote there itself."""
    cleaned = {key: value for key, value in (metadata or {}).items() if key != METADATA_KEY}
    if identity is not None:
        cleaned[METADATA_KEY] = identity.as_metadata()
    return cleaned


def identity_in_metadata(metadata: Optional[Mapping[str, Any]]) -> Optional[CustomerIdentity]:
    """The identity a channel verified for this message (None: a guest)."""
    value = (metadata or {}).get(METADATA_KEY)
    if isinstance(value, Mapping) and isinstance(value.get("id"), str) and value["id"]:
        return CustomerIdentity(value["id"], value.get("name") if isinstance(value.get("name"), str) else None)
    return None
