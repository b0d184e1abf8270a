"""The slots actions share, and the one question the bot is waiting for an answer to (pending offer).

Two actions ask, and the next message's action may answer:

* an order request without an order number: the bot asks for it
  (``awaiting_order(kind)``); a bare order number, read by the NLU as anything,
  finishes the request (``order_kind_awaited``);
* a complaint: the bot offers a person (``offering_handoff``); 是的 / 不用了 then
  answer that offer (``handoff_offered``).

Any other turn clears the question (``offer_cleared``), so an old offer is never
answered by a later 是的.  Every action reads and writes the slot through here.
"""

from __future__ import annotations

from typing import Optional

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

PENDING_OFFER = "pending_offer"
HANDOFF = "handoff"
ORDER_PREFIX = "order:"

# Slots that more than one module of actions reads or writes.
ORDER_ID = "order_id"
SHOWN_PRODUCTS = "shown_products"
FOCUS_PRODUCT = "focus_product"
SEARCHED_CATEGORY = "searched_category"
PRODUCT_CATEGORY = "product_category"
UNDERSTOOD_INTENT = "understood_intent"  # set by bot/policies/understanding_policy.py
SHOPPING_NEED = "shopping_need"
SEEN_PRODUCTS = "seen_products"
AFTER_SALES_FILED = "after_sales_filed"  # "<order id>:<kind>" of the return or exchange this conversation filed


def offer_cleared() -> SlotSet:
    return SlotSet(PENDING_OFFER, None)


def awaiting_order(kind: str) -> SlotSet:
    """The bot asked for the order number of a request of ``kind`` (status, return_refund, …)."""
    return SlotSet(PENDING_OFFER, f"{ORDER_PREFIX}{kind}")


def offering_handoff() -> SlotSet:
    return SlotSet(PENDING_OFFER, HANDOFF)


def order_kind_awaited(tracker: Tracker) -> Optional[str]:
    pending = tracker.get_slot(PENDING_OFFER) or ""
    return pending[len(ORDER_PREFIX):] if pending.startswith(ORDER_PREFIX) else None


def handoff_offered(tracker: Tracker) -> bool:
    return (tracker.get_slot(PENDING_OFFER) or "") == HANDOFF
