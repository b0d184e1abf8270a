"""``HttpOrderSystem``: the order-system interface over the HTTP API of docs/order-system.md.

Time-outs on every attempt and an overall deadline per call, so a slow order
system costs a customer seconds, not minutes; retries (with a short back-off)
only for calls that are safe to repeat: reads, and changes that carry an
``Idempotency-Key``; a :class:`~bot.orders.circuit_breaker.CircuitBreaker`
so that an order system that is down fails fast.  Every failure becomes
:class:`OrderSystemUnavailable` or :class:`OrderSystemRefused`; nothing else
escapes to the caller.
"""

from __future__ import annotations

import asyncio
import hashlib
import functools
import json
import logging
import os
import time
from dataclasses import dataclass
from typing import Any, Mapping, Optional
from urllib.parse import quote

import aiohttp

from bot.orders.circuit_breaker import CircuitBreaker
from bot.orders.models import Confirmation, MalformedOrder, Order
from bot.orders.system import OrderSystemRefused, OrderSystemUnavailable
from bot.settings import SettingsError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class OrderSystemSettings:
    """``ORDER_SYSTEM_URL`` and how patiently to call it (docs/operations.md)."""

    url: str
    token: str = ""
    attempt_timeout_seconds: float = 2.0
    deadline_seconds: float = 5.0
    retries: int = 2
    breaker_failures: int = 5
    breaker_reset_seconds: float = 30.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> "OrderSystemSettings":
        url = (environ.get("ORDER_SYSTEM_URL") or "").strip().rstrip("/")
        if not url.startswith(("http://", "https://")):
            raise SettingsError("ORDER_SYSTEM_URL must be the http(s) base URL of the shop's order system "
                                f"(docs/order-system.md), got {url!r}")

        def number(name: str, default: float) -> float:
            raw = environ.get(name)
            try:
                value = float(raw) if raw not in (None, "") else default
            except ValueError:
                raise SettingsError(f"{name} must be a number of seconds, got {raw!r}") from None
            if value <= 0:
                raise SettingsError(f"{name} must be positive, got {raw!r}")
            return value

        return cls(url=url, token=(environ.get("ORDER_SYSTEM_TOKEN") or "").strip(),
                   attempt_timeout_seconds=number("ORDER_SYSTEM_TIMEOUT_SECONDS", cls.attempt_timeout_seconds),
                   deadline_seconds=number("ORDER_SYSTEM_DEADLINE_SECONDS", cls.deadline_seconds))


def _segment(value: str) -> str:
    return quote(str(value), safe="")


class _CircuitOpen(OrderSystemUnavailable):
    pass


def _guarded(call):
    """One call of the interface is one success or one failure for the circuit breaker.

    A refusal is an answer, so it counts as a success; a malformed answer is a failure
    even when the HTTP exchange itself went well.
    """

    @functools.wraps(call)
    async def guarded(self: "HttpOrderSystem", *args, **kwargs):
        if not self.breaker.allow():
            raise _CircuitOpen("the order system failed repeatedly; calls are paused (circuit open)")
        try:
            result = await call(self, *args, **kwargs)
        except OrderSystemRefused:
            self.breaker.succeeded()
            raise
        except OrderSystemUnavailable:
            self.breaker.failed()
            raise
        except BaseException:
            self.breaker.failed()  # cancelled mid-call: the trial (if any) must not stay taken
            raise
        self.breaker.succeeded()
        return result

    return guarded


class HttpOrderSystem:
    """The shop's order system over HTTP (the ``OrderSystem`` protocol of system.py)."""

    def __init__(self, settings: OrderSystemSettings, breaker: Optional[CircuitBreaker] = None) -> None:
        self.settings = settings
        self.breaker = breaker or CircuitBreaker(settings.breaker_failures, settings.breaker_reset_seconds)
        self._session: Optional[aiohttp.ClientSession] = None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            headers = {"Accept": "application/json"}
            if self.settings.token:
                headers["Authorization"] = f"Bearer {self.settings.token}"
            self._session = aiohttp.ClientSession(
                headers=headers, timeout=aiohttp.ClientTimeout(total=self.settings.attempt_timeout_seconds))
        return self._session

    # ---- the interface

    @_guarded
    async def orders_of(self, customer_id: str) -> list[Order]:
        status, body = await self._call("GET", f"/customers/{_segment(customer_id)}/orders")
        if status == 404:
            return []
        orders = body.get("orders") if isinstance(body, dict) else None
        if not isinstance(orders, list):
            raise self._malformed("GET orders", "'orders' must be a list")
        return [self._order(fields, customer_id) for fields in orders]

    @_guarded
    async def order_of(self, customer_id: str, order_id: str) -> Optional[Order]:
        status, body = await self._call("GET", f"/customers/{_segment(customer_id)}/orders/{_segment(order_id)}")
        if status == 404:
            return None
        return self._order(body, customer_id)

    @_guarded
    async def cancel(self, customer_id: str, order_id: str, reason: str, idempotency_key: str) -> Confirmation:
        return await self._change(customer_id, order_id, "cancel", {"reason": reason}, idempotency_key)

    @_guarded
    async def request_after_sales(self, customer_id: str, order_id: str, kind: str, reason: str,
                                  idempotency_key: str) -> Confirmation:
        return await self._change(customer_id, order_id, "after-sales", {"kind": kind, "reason": reason},
                                  idempotency_key)

    @_guarded
    async def change_address(self, customer_id: str, order_id: str, address: Optional[str], phone: Optional[str],
                             idempotency_key: str) -> Confirmation:
        body = {name: value for name, value in (("address", address), ("phone", phone)) if value}
        return await self._change(customer_id, order_id, "address", body, idempotency_key)

    @_guarded
    async def customer_for_account(self, channel: str, account_id: str) -> Optional[str]:
        status, body = await self._call("GET", f"/channel-accounts/{_segment(channel)}/{_segment(account_id)}")
        if status == 404:
            return None
        return self._customer_id(body)

    @_guarded
    async def link_account(self, channel: str, account_id: str, code: str) -> str:
        status, body = await self._call(
            "POST", "/channel-accounts", {"channel": channel, "account_id": account_id, "code": code},
            idempotency_key=hashlib.sha256(f"link:{channel}:{account_id}:{code}".encode("utf-8", "surrogatepass"))
            .hexdigest())  # a header: no CR, LF or other bytes of the account id in it
        if status == 404:
            raise OrderSystemRefused("invalid_code", "绑定码不存在或已过期")
        return self._customer_id(body)

    # ---- the wire

    async def _change(self, customer_id: str, order_id: str, action: str, body: dict,
                      idempotency_key: str) -> Confirmation:
        path = f"/customers/{_segment(customer_id)}/orders/{_segment(order_id)}/{action}"
        status, answer = await self._call("POST", path, body, idempotency_key=idempotency_key)
        if status == 404:
            raise OrderSystemRefused("not_found", "订单系统里找不到这个订单")
        try:
            confirmation = Confirmation.from_dict(answer)
        except MalformedOrder as error:
            raise self._malformed(f"POST {action}", str(error)) from None
        if confirmation.order.customer_id != customer_id or confirmation.order.id.upper() != order_id.upper():
            raise self._malformed(f"POST {action}", "the confirmation is about another order")
        return confirmation

    def _order(self, fields: Any, customer_id: str) -> Order:
        try:
            order = Order.from_dict(fields)
        except MalformedOrder as error:
            raise self._malformed("order", str(error)) from None
        if order.customer_id != customer_id:
            # Never trust an answer about someone else: treat it as a broken order system.
            raise self._malformed("order", "an order of another customer was returned")
        return order

    def _customer_id(self, body: Any) -> str:
        customer = body.get("customer_id") if isinstance(body, dict) else None
        if not isinstance(customer, str) or not customer:
            raise self._malformed("channel account", "'customer_id' must be a non-empty string")
        return customer

    @staticmethod
    def _malformed(what: str, detail: str) -> OrderSystemUnavailable:
        return OrderSystemUnavailable(f"the order system answered a malformed {what}: {detail}")

    async def _call(self, method: str, path: str, body: Optional[dict] = None,
                    idempotency_key: Optional[str] = None) -> tuple[int, Any]:
        """(status, JSON) for 2xx and 404; OrderSystemRefused for other 4xx; OrderSystemUnavailable otherwise."""
        repeatable = method == "GET" or idempotency_key is not None
        attempts = 1 + (self.settings.retries if repeatable else 0)
        deadline = time.monotonic() + self.settings.deadline_seconds
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        problem = ""
        for attempt in range(attempts):
            left = deadline - time.monotonic()
            if left <= 0:
                break
            try:
                async with self._client().request(
                        method, self.settings.url + path, json=body, headers=headers,
                        # a redirect is a misconfigured ORDER_SYSTEM_URL, and following one would resend
                        # the token and the body to wherever the answer points
                        allow_redirects=False, timeout=aiohttp.ClientTimeout(total=min(left, self.settings.attempt_timeout_seconds)),
                ) as response:
                    status = response.status
                    raw = await response.read()
            except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as error:
                problem = f"{method} {path}: {type(error).__name__} {error}".strip()
            else:
                if 300 <= status < 400:
                    logger.error("the order system redirected %s %s (HTTP %d): check ORDER_SYSTEM_URL", method, path, status)
                    raise OrderSystemUnavailable(f"{method} {path}: HTTP {status} (a redirect, not followed)")
                if status < 500:
                    return self._answer(method, path, status, raw)
                problem = f"{method} {path}: HTTP {status}"
            logger.warning("order system call failed (attempt %d of %d): %s", attempt + 1, attempts, problem)
            if attempt + 1 < attempts:
                await asyncio.sleep(min(0.1 * 3 ** attempt, max(0.0, deadline - time.monotonic())))
        raise OrderSystemUnavailable(problem or f"{method} {path}: no answer within the deadline")

    def _answer(self, method: str, path: str, status: int, raw: bytes) -> tuple[int, Any]:
        try:
            body = json.loads(raw.decode("utf-8")) if raw.strip() else {}
        except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: nested deeper than the stack
            raise self._malformed(f"answer to {method} {path}", f"HTTP {status} with a body that is not JSON")
        if 200 <= status < 300 or status == 404:
            return status, body
        if status in (401, 403):
            logger.error("the order system refused our credentials (ORDER_SYSTEM_TOKEN): HTTP %d", status)
            raise OrderSystemUnavailable(f"{method} {path}: HTTP {status} (credentials)")
        code = body.get("error") if isinstance(body, dict) else None
        message = body.get("message") if isinstance(body, dict) else None
        raise OrderSystemRefused(str(code or f"http_{status}"),
                                 str(message) if isinstance(message, str) and message else "订单系统没有接受这个请求")
