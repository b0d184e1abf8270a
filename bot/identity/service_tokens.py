"""Which process may call our internal services: a shared token per service, when one is configured.

``ACTION_SERVER_TOKEN`` guards the action server (Rasa sends it as ``?token=``,
endpoints.yml); ``RECOMMENDER_TOKEN`` guards the recommender (``Authorization:
Bearer``, which RecommenderClient sends).  Without a token a service answers
anyone who can reach it, which on one machine is loopback only; a shop that
exposes them sets the tokens (docs/operations.md).  ``/health`` stays open for
load balancers.
"""

from __future__ import annotations

import hmac
import os
from typing import Mapping, Optional

OPEN_PATHS = ("/health",)


def configured(variable: str, environ: Mapping[str, str] = os.environ) -> Optional[str]:
    value = (environ.get(variable) or "").strip()
    return value or None


def presented(authorization: Optional[str], query_token: Optional[str]) -> str:
    """The token a caller presented: a Bearer header, else ``?token=``."""
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return query_token or ""


def secret_matches(given: str, expected: str) -> bool:
    """Constant-time comparison that also takes what a client can send: lone surrogates, bytes that are not UTF-8."""
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"), expected.encode("utf-8", "surrogatepass"))


def allowed(path: str, given: str, expected: Optional[str]) -> bool:
    if expected is None or path in OPEN_PATHS:
        return True
    return secret_matches(given, expected)


__all__ = ["OPEN_PATHS", "allowed", "configured", "presented", "secret_matches"]
