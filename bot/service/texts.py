"""What the bot says about orders (订单) and after-sales requests: every reply Chinese and ready to send.

The outcome texts report only what happened: ``confirmed`` what the order
system confirmed, ``passed_to_person`` a ticket that exists, ``not_done`` a
failure or refusal told plainly, with the ticket that a person will work.
"""

from __future__ import annotations

from typing import Optional, Sequence

from bot.orders.models import Confirmation, Order
from bot.service.formatting import DAY, day, minute, money
from bot.service.policy import (
    EXCHANGE_WINDOW_DAYS, PAYMENT_WINDOW_HOURS, REFUND_WORKING_DAYS, RETURN_WINDOW_DAYS, SHIP_WITHIN_HOURS,
    TRANSIT_DAYS, PolicyDecision,
)

# After-sales kinds as the customer would name them.
KIND_LABELS = {"status": "查询订单", "return_refund": "退货退款", "exchange": "换货", "cancel": "取消订单",
               "change_info": "修改订单信息", "change_spec": "修改颜色尺码", "complaint": "投诉", "handoff": "人工客服留言"}


def describe_status(order: Order, now: float) -> str:
    """A natural Chinese answer to "where is my order": state, items and what happens next."""
    head = f"订单 {order.id}（{order.summary()}，实付 {money(order.total)}）"
    if order.state == "待付款":
        deadline = order.created_at + PAYMENT_WINDOW_HOURS * 3600
        if now < deadline:
            return (f"{head}还没有付款哦。请在 {minute(deadline)} 前完成支付，"
                    f"超时订单会自动取消；付款后 {SHIP_WITHIN_HOURS} 小时内发货。")
        return f"{head}已经超过 {PAYMENT_WINDOW_HOURS} 小时付款时限，订单会自动取消，需要的话可以重新下单。"
    if order.state == "待发货":
        paid = order.paid_at or order.created_at
        promise = paid + SHIP_WITHIN_HOURS * 3600
        if now <= promise:
            return (f"{head}还没发货：已于 {minute(paid)} 付款，仓库正在打包，"
                    f"预计 {minute(promise)} 前发货。发出后再来问我，就能查到快递单号和物流。")  # no shipment notice is sent
        return (f"{head}还没发货：已于 {minute(paid)} 付款，但超过了 {SHIP_WITHIN_HOURS} 小时还没有发出，非常抱歉😣 "
                "着急的话可以回复\"转人工\"，客服会找仓库核实什么时候发出。")  # nothing here hurries the warehouse
    if order.state == "已发货":
        lines = [f"{head}已于 {minute(order.shipped_at or now)} 发货，"
                 f"{order.courier or '快递'}运单号 {order.tracking_number or '暂无'}。"]
        latest = list(order.tracking_events[-2:])[::-1]
        if latest:
            lines.append("最新物流：" + "；".join(f"{minute(ts)} {text}" for ts, text in latest) + "。")
        expected = (order.shipped_at or now) + TRANSIT_DAYS * DAY
        if now < expected:
            lines.append(f"预计 {day(expected)} 左右送达，请保持电话畅通。")
        else:
            lines.append("包裹已在派送途中，预计很快送达；如果明天还没收到，可以回复\"转人工\"帮您联系快递。")
        return "".join(lines)
    if order.state == "已签收":
        signed = order.signed_at or now
        text = f"{head}已于 {minute(signed)} 签收"
        return_deadline = signed + RETURN_WINDOW_DAYS * DAY
        exchange_deadline = signed + EXCHANGE_WINDOW_DAYS * DAY
        if now <= return_deadline:
            return text + f"。如果不满意，{day(return_deadline)} 前都可以申请 7 天无理由退货。"
        if now <= exchange_deadline:
            return text + (f"。7 天无理由退货期已于 {day(return_deadline)} 结束，"
                           f"尺码颜色不合适的话 {day(exchange_deadline)} 前还可以换货。")
        return text + "。如果商品有质量问题，可以随时找我申请售后。"
    if order.state == "退款中":
        return (f"{head}正在退款中，款项会原路退回您的付款账户，"
                f"一般 {REFUND_WORKING_DAYS} 个工作日到账，请留意账户通知。")
    return f"{head}已取消，不会再发货；如果已经付款，款项会原路退回。"


def ask_for_order_id(orders: Sequence[Order], limit: int = 5) -> str:
    """Asks which order the customer means, listing their newest orders to pick from."""
    if not orders:
        return "请问是哪个订单呢？把订单号发给我就好（在\"我的订单\"里可以看到，以 DD 开头）。"
    lines = [f"· {order.id}  {order.state}  {order.summary()}" for order in orders[:limit]]
    return "请问是哪个订单呢？您最近的订单有：\n" + "\n".join(lines) + "\n直接回复订单号就好。"


def order_not_found_reply(order_id: str, own_orders: Sequence[Order] = ()) -> str:
    """For an id that does not exist or is someone else's: the same words for both,
    so nobody learns that another customer's order number exists."""
    text = (f"抱歉，在您的账户下没有找到订单 {order_id} 😥 "
            "请核对一下订单号是否完整（我们的订单号以 DD 开头，后面是 13 位数字）。")
    if own_orders:
        lines = [f"· {order.id}  {order.state}  {order.summary()}" for order in own_orders[:5]]
        text += "\n您名下最近的订单有：\n" + "\n".join(lines)
    return text


# Channels whose accounts are linked to shop customers with a code (bot/identity/linked_accounts.py).
LINKED_CHANNELS = ("wechat", "wecom", "telegram")


def log_in_first_reply(channel: str = "") -> str:
    """For a guest (no proven identity) asking about orders: never anyone's orders; how to prove who they are."""
    if channel in LINKED_CHANNELS:
        return ("查询订单、退换货需要先绑定店铺账号：在店铺网站登录后，在“我的账户”里获取 6 位绑定码，"
                "然后在这里发送“绑定 123456”（换成您的绑定码）。不绑定也可以继续让我推荐商品、回答发货和售后规则的问题。")
    return ("查询订单、退换货需要先确认您的身份：请在店铺网站登录后再问我。"
            "不登录也可以继续让我推荐商品、回答发货和售后规则的问题。")


def no_orders_reply() -> str:
    return "您的账户下还没有订单哦。如果是在别的账号下的单，请用下单的账号来咨询，我才能帮您查询。"



def _reference(label: str, number: str) -> str:
    return f"（{label} {number}）" if number else ""


def confirmed(decision: PolicyDecision, confirmation: Confirmation) -> str:
    """The order system did it: the policy's reason, then what was confirmed, in its numbers."""
    order = confirmation.order
    refund = confirmation.refund_amount
    if decision.operation == "cancel":
        if refund:
            return (f"{decision.reply}已经为您取消订单并申请退款{_reference('退款单号', confirmation.reference)}，"
                    f"货款 {money(refund)} 会原路退回，一般 {REFUND_WORKING_DAYS} 个工作日到账。")
        return f"{decision.reply}已经帮您取消了，订单现在是“{order.state}”，不会产生任何费用。"
    if decision.operation == "return_refund":
        amount = f"，退款金额 {money(refund)}" if refund else ""
        return (f"{decision.reply}已经为您提交退货退款申请{_reference('售后单号', confirmation.reference)}{amount}。"
                "请保持商品和包装完好；退货地址和审核进度以售后单为准，需要帮忙可以回复“转人工”。")
    if decision.operation == "exchange":
        return (f"{decision.reply}已经为您提交换货申请{_reference('售后单号', confirmation.reference)}。"
                "您这条消息已作为换货说明附在售后单里；商品请保持完好、吊牌齐全。"
                "还没说想换的颜色或尺码的话，回复“转人工”告诉客服。")
    changed = "、".join(part for part in (f"收货地址：{order.address}" if order.address else "",
                                         f"电话：{order.phone}" if order.phone else "") if part)
    return f"{decision.reply}已经帮您改好了，订单现在的{changed}。仓库会按新信息发货。"


def added_to_request(kind: str, order_id: str, ticket_id: Optional[str]) -> str:
    """More words on a return or exchange already asked in this conversation: passed on, not asked twice."""
    label = KIND_LABELS[kind]
    if ticket_id:
        return (f"订单 {order_id} 的{label}申请已经提交过了，不用重复申请。您补充的这条已转给处理售后的客服核实"
                f"（工单 {ticket_id}），处理结果会在这里告诉您。")
    return f"订单 {order_id} 的{label}申请已经提交过了，不用重复申请。补充的内容请回复“转人工”告诉客服。"


def ask_new_contact(decision: PolicyDecision) -> str:
    """change_info without a new address or phone in the message: ask for them."""
    return (f"{decision.reply}请把新的收货地址（省市区和详细地址）或电话直接发给我，"
            "比如“地址改成上海市浦东新区张江路88号”或“电话改成13912345678”，我马上帮您改。")


def passed_to_person(decision: PolicyDecision, ticket_id: str) -> str:
    """A change only a person can make (colour, size, delivery day): the ticket that now exists."""
    return (f"{decision.reply}已经为您登记工单 {ticket_id}，客服会尽快处理，"
            "处理进度会在这里通知您，也可以随时问我“我的工单怎么样了”。")


def part_cancel_passed(order: Order, ticket_id: str) -> str:
    """Part of a several-item order to cancel: the whole order is left alone and a person takes the items off."""
    return (f"订单 {order.id} 里有 {len(order.items)} 件商品（{order.summary()}），系统只能整单取消，所以我没有动这个订单。"
            f"只取消其中一部分，已经为您登记工单 {ticket_id}，客服会帮您办理，进度会在这里通知您。")


def not_done(kind: str, ticket_id: Optional[str], refusal: Optional[str] = None) -> str:
    """The order system failed (``refusal`` None) or said no: nothing was done, and what happens next."""
    label = KIND_LABELS.get(kind, "这个请求")
    if refusal:
        head = f"抱歉，订单系统没有接受这次{label}：{refusal}。"
    else:
        head = f"抱歉，订单系统暂时没有响应，这次{label}还没有办理成功，订单没有任何变化。"
    if ticket_id:
        return head + f"我已经为您登记工单 {ticket_id}，客服会跟进处理，结果会在这里通知您。"
    return head + "请稍后再跟我说一次，或者回复“转人工”。"


def lookup_failed(ticket_id: Optional[str]) -> str:
    """The order system could not be asked about the customer's orders."""
    if ticket_id:
        return (f"抱歉，订单系统暂时查不到您的订单信息。我已经登记工单 {ticket_id}，"
                "客服查到后会在这里回复您；也可以过几分钟再问我一次。")
    return "抱歉，订单系统暂时查不到您的订单信息，请过几分钟再问我一次，或者回复“转人工”。"


def ticket_update(ticket, message: str = "") -> str:
    """What the customer is sent when an agent changes their ticket (状态更新)."""
    about = f"（订单 {ticket.order_id}）" if ticket.order_id else ""
    text = f"【工单 {ticket.id} 更新】您的{KIND_LABELS.get(ticket.kind, '')}工单{about}现在是“{ticket.status_label}”。"
    if message:
        text += f"\n客服留言：{message}"
    if ticket.status == "waiting_customer":
        text += "\n需要您补充信息，直接在这里回复就好。"
    return text


def answer_added_to_ticket(ticket_id: str) -> str:
    """The customer answered a ticket's question: their words went to the person working on it."""
    return f"收到，已经把您的回复补充到工单 {ticket_id}，客服会继续处理，有进展会在这里通知您。"


def tickets_overview(tickets: Sequence) -> str:
    """我的工单怎么样了: each open ticket's number, what it is about and its status."""
    if not tickets:
        return "您目前没有工单哦。需要售后或人工帮忙的话，直接告诉我就好。"
    lines = []
    for ticket in tickets[:5]:
        about = f" 订单 {ticket.order_id}" if ticket.order_id else ""
        handler = "，已有客服在处理" if ticket.assignee and ticket.status != "resolved" else ""
        lines.append(f"· {ticket.id} {KIND_LABELS.get(ticket.kind, ticket.kind)}{about}：{ticket.status_label}{handler}"
                     f"（{minute(ticket.updated_at)} 更新）")
    return "您的工单：\n" + "\n".join(lines) + "\n有进展时我会在这里通知您。"
