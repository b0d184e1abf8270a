"""The one interface between the bot and a shop's order system (订单系统).

Everything the bot needs from the shop: a customer's orders, one order with its
logistics, the requests that change an order (cancel, return or exchange,
change of address), and the link between a WeChat or Telegram account and a
shop customer (customer-identity.md).  ``HttpOrderSystem`` (http_adapter.py)
speaks the documented HTTP API (docs/order-system.md); a shop with another API
writes one class with these methods.

Every call names the customer: an order system must answer only with that
customer's orders, so even a bug in the bot cannot show someone else's.
Calls that change something carry an idempotency key, so a retried request is
carried out once.
"""

from __future__ import annotations

from typing import Optional, Protocol

from bot.orders.models import Confirmation, Order


class OrderSystemError(Exception):
    """The order system could not be asked, or answered something unusable."""


class OrderSystemUnavailable(OrderSystemError):
    """No usable answer: down, too slow, a 5xx, malformed JSON, or the circuit breaker is open."""


class OrderSystemRefused(OrderSystemError):
    """The order system answered and said no (for example: the order has shipped meanwhile).

    ``message`` is the order system's own explanation, meant for the customer.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class OrderSystem(Protocol):
    async def orders_of(self, customer_id: str) -> list[Order]:
        """The customer's orders, newest first; [] for a customer the shop does not know."""

    async def order_of(self, customer_id: str, order_id: str) -> Optional[Order]:
        """The customer's order with its logistics; None if it does not exist or is not theirs."""

    async def cancel(self, customer_id: str, order_id: str, reason: str, idempotency_key: str) -> Confirmation:
        """Cancels an order not yet shipped (a paid one is refunded)."""

    async def request_after_sales(self, customer_id: str, order_id: str, kind: str, reason: str,
                                  idempotency_key: str) -> Confirmation:
        """Files a return-and-refund (``return_refund``) or exchange (``exchange``) request (售后申请)."""

    async def change_address(self, customer_id: str, order_id: str, address: Optional[str], phone: Optional[str],
                             idempotency_key: str) -> Confirmation:
        """Changes the delivery address and/or phone of an order not yet shipped."""

    async def customer_for_account(self, channel: str, account_id: str) -> Optional[str]:
        """The shop customer a channel account (WeChat openid, Telegram user id) is linked to, if any."""

    async def link_account(self, channel: str, account_id: str, code: str) -> str:
        """Links a channel account with the one-time code the shop showed its logged-in customer; the customer id.

        OrderSystemRefused for an unknown or expired code.
        """

    async def close(self) -> None:
        """Releases connections."""
