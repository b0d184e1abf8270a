"""Customer service (客服) in plain Python: orders, after-sales policy and tickets; the actions call it."""

from bot.service.orders import (
    ALL_ORDER_STATES, CANCELLED, EXCHANGE_WINDOW_DAYS, ORDER_STATES, RETURN_WINDOW_DAYS, TICKET_ID_PLACEHOLDER,
    TICKET_KINDS, AppliedDecision, Order, OrderItem, OrderStore, PolicyDecision, Ticket, ask_for_order_id,
    decide, describe_status, find_order_ids, no_orders_reply, order_not_found_reply,
)

__all__ = [
    "ALL_ORDER_STATES", "CANCELLED", "EXCHANGE_WINDOW_DAYS", "ORDER_STATES", "RETURN_WINDOW_DAYS",
    "TICKET_ID_PLACEHOLDER", "TICKET_KINDS", "AppliedDecision", "Order", "OrderItem", "OrderStore",
    "PolicyDecision", "Ticket", "ask_for_order_id", "decide", "describe_status", "find_order_ids",
    "no_orders_reply", "order_not_found_reply",
]
