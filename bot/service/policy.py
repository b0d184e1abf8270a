"""The shop's after-sales policy (售后规则): what a customer may ask for an order in each state.

Decided here, explained to the customer in the decision's words; carried out
only by the shop's order system (bot/orders/), whose confirmation is what the
bot then reports (after_sales.py).

* 7天无理由退货: return and refund within ``RETURN_WINDOW_DAYS`` × 24 h of ``signed_at``.
* 换货: exchange within ``EXCHANGE_WINDOW_DAYS`` × 24 h of ``signed_at``.
* 待付款: cancel → the order system cancels it; change of address or phone → the
  order system changes it; other changes (colour, size, delivery day) → a ticket
  for a person; nothing to refund.
* 待发货: cancel, return or refund → the order system cancels and refunds;
  changes as for 待付款.
* 已发货: nothing can be cancelled or changed any more (the parcel is with the
  courier); the reply explains refusing delivery (拒收) or returning after signing,
  and changing the address through the courier.
* 已签收: return/refund and exchange by the windows above, filed as after-sales
  requests in the order system; outside them a polite refusal naming the dates
  and pointing to quality after-sales (质量问题售后) or a person.
* 退款中 / 已取消: nothing more to do; the reply says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

from bot.orders.models import CANCELLED, Order
from bot.service.formatting import DAY, day, minute

POLICY_KINDS = ("return_refund", "exchange", "cancel", "change_info")
# What carries out an allowed request: the order system (cancel, return_refund,
# exchange, change_info with a new address or phone) or a person (change_spec,
# change_info without one), through a ticket.
OPERATIONS = ("cancel", "return_refund", "exchange", "change_info", "change_spec")

RETURN_WINDOW_DAYS = 7
EXCHANGE_WINDOW_DAYS = 15
PAYMENT_WINDOW_HOURS = 24  # an unpaid order is closed after this (faq.yml: payment_deadline)
SHIP_WITHIN_HOURS = 48  # promised dispatch time after payment (faq.yml: shipping_dispatch_time)
TRANSIT_DAYS = 3  # typical courier time, for the expected delivery date
REFUND_WORKING_DAYS = "1–3"


# The states in which each request is carried out as asked (an exchange of what came, a cancellation or change
# of what has not left): where the words fit several orders, the one the request can be about.  (A return is
# asked of orders still to ship too, 不要了 退了吧, so it picks none.)
STATES_A_REQUEST_FITS = {"exchange": ("已签收",), "cancel": ("待付款", "待发货"), "change_info": ("待付款", "待发货")}


def orders_a_request_fits(kind: str, orders: Sequence[Order]) -> list[Order]:
    """The orders of ``orders`` in a state where a ``kind`` request is carried out as asked."""
    states = STATES_A_REQUEST_FITS.get(kind, ())
    return [order for order in orders if order.state in states]


@dataclass(frozen=True)
class PolicyDecision:
    """What the policy says about a request (申请) on an order.

    Refused: ``reply`` is the whole answer.  Allowed: ``operation`` says what carries
    it out, ``reply`` is the policy's reason to start the answer with, and
    ``new_state`` is the state the order should be in once the order system did it.
    """

    allowed: bool
    reply: str
    operation: Optional[str] = None
    new_state: Optional[str] = None


def refused(reply: str) -> PolicyDecision:
    return PolicyDecision(False, reply)


def decide(order: Order, kind: str, now: float) -> PolicyDecision:
    """What the after-sales policy allows for ``kind`` on ``order`` at ``now`` (rules: module docstring)."""
    if kind not in POLICY_KINDS:
        raise ValueError(f"kind must be one of {', '.join(POLICY_KINDS)}, got {kind!r}")
    name = f"订单 {order.id}（{order.summary()}）"
    state = order.state

    if state == CANCELLED:
        return refused(f"{name}已经取消了，不需要再处理；如果已付款，款项会原路退回。需要的话可以重新下单哦。")
    if state == "退款中":
        if kind == "exchange":
            # 不退了 换个小一码: the return asked before stands in the way; whether it can be undone is a person's call
            return refused(f"{name}已经申请了退货退款，正在退款中，不能再同时换货。想改成换货的话，说“转人工”，"
                           "客服会核实这笔退款还能不能撤回、改成换货。")
        if kind == "cancel":  # 只取消洗发水: orders are cancelled whole, and this one already is being refunded
            return refused(f"{name}正在退款中，不需要再取消；款项会原路退回，一般 {REFUND_WORKING_DAYS} 个工作日到账。"
                           "订单是整单退款的，其中还想要的商品可以重新下单。")
        if kind == "change_info":
            return refused(f"{name}正在退款中，不会再发货，收货地址和电话也就不用改了。需要的话可以重新下单，填新的地址。")
        return refused(f"{name}正在退款中，退款已经在处理了，款项会原路退回，一般 {REFUND_WORKING_DAYS} 个工作日到账，"
                       "不需要重复申请。到账前有任何问题可以随时找我。")

    if state in ("待付款", "待发货"):
        unpaid = state == "待付款"
        not_yet = f"{name}还没有{'付款' if unpaid else '发货'}，"
        if kind == "cancel" or (kind == "return_refund" and not unpaid):
            return PolicyDecision(True, f"好的，{not_yet}", "cancel", CANCELLED if unpaid else "退款中")
        if kind == "change_info":
            return PolicyDecision(True, f"{not_yet}可以修改。", "change_info")
        if kind == "exchange":
            return PolicyDecision(True, f"{not_yet}不用退换，直接改颜色或尺码就好。", "change_spec")
        return refused(f"{not_yet}不会产生扣款，也就不需要退款啦。如果不想要了，可以跟我说\"取消订单\"，我帮您取消。")

    if state == "已发货":
        courier = order.courier or "快递"
        waybill = f"{courier}运单号 {order.tracking_number}" if order.tracking_number else courier
        if kind == "change_info":
            return refused(f"{name}已经发货了（{waybill}），我们这边没法再改订单信息了，抱歉😥 "
                           f"要改收货地址或电话，可以拨打{courier}客服电话或在快递 App 里申请改派，报运单号就行。")
        if kind == "exchange":
            return refused(f"{name}已经在路上了（{waybill}），暂时还不能换货。"
                           f"签收后 {EXCHANGE_WINDOW_DAYS} 天内跟我说一声，就可以申请换颜色或尺码。")
        return refused(f"{name}已经发货了（{waybill}），没法直接取消了，抱歉。您可以在快递派送时直接拒收，"
                       f"包裹退回仓库后会自动退款；也可以先签收，签收后 {RETURN_WINDOW_DAYS} 天内申请 7 天无理由退货。")

    # 已签收
    signed = order.signed_at if order.signed_at is not None else now
    days = max(0, int((now - signed) // DAY))
    return_deadline = signed + RETURN_WINDOW_DAYS * DAY
    exchange_deadline = signed + EXCHANGE_WINDOW_DAYS * DAY
    signed_text = f"{name}于 {day(signed)} 签收" + (f"，到今天已经 {days} 天" if days else "")
    quality_help = ("如果商品有质量问题，不受这个期限限制，可以申请质量问题售后（拍照发给我们即可）；"
                    "也可以回复\"转人工\"，让人工客服帮您看看。")
    if kind == "return_refund":
        if now <= return_deadline:
            return PolicyDecision(True, f"{signed_text}，还在 7 天无理由退货期内（{minute(return_deadline)} 截止）。",
                                  "return_refund", "退款中")
        exchange_hint = (f"尺码或颜色不合适的话，{day(exchange_deadline)} 前还可以换货。"
                         if now <= exchange_deadline else "")
        return refused(f"{signed_text}，已经超过 7 天无理由退货期（{day(return_deadline)} 截止），"
                       f"没法办理无理由退货了，非常抱歉🙏 {exchange_hint}{quality_help}")
    if kind == "exchange":
        if now <= exchange_deadline:
            return PolicyDecision(True, f"{signed_text}，在 {EXCHANGE_WINDOW_DAYS} 天换货期内（{day(exchange_deadline)} 截止）。",
                                  "exchange")
        return refused(f"{signed_text}，已经超过 {EXCHANGE_WINDOW_DAYS} 天换货期（{day(exchange_deadline)} 截止），"
                       f"没法办理换货了，非常抱歉🙏 {quality_help}")
    if kind == "cancel":
        if now <= return_deadline:
            return refused(f"{signed_text}，已经签收的订单没法取消了。不过还在 7 天无理由退货期内"
                           f"（{day(return_deadline)} 截止），跟我说\"我要退货\"就可以帮您申请退货退款。")
        return refused(f"{signed_text}，已经签收的订单没法取消，也过了 7 天无理由退货期。{quality_help}")
    return refused(f"{signed_text}，订单已经完成，收货信息没法再修改了。"
                   "如果是想换商品的颜色或尺码，可以跟我说\"我要换货\"。")


__all__ = ["POLICY_KINDS", "OPERATIONS", "PolicyDecision", "decide", "RETURN_WINDOW_DAYS",
           "EXCHANGE_WINDOW_DAYS", "PAYMENT_WINDOW_HOURS", "SHIP_WITHIN_HOURS", "TRANSIT_DAYS",
           "REFUND_WORKING_DAYS"]
