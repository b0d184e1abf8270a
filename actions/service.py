"""Actions of customer service (客服): orders, after-sales tickets, FAQ, complaints and handing over to people."""

from __future__ import annotations

import logging
import re
import time
from itertools import islice
from typing import Any, Dict, Iterator, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import slots
from actions.commands import commands_first
from actions.common import (
    after_sales, brands, conversations, customer_of, latest_entities, order_system, previous_user_text,
    privacy_records, recommender, sender_of, service_hours, slot_before_message, tickets, understood_intent,
)
from bot.catalog.vocabulary import kinds_in_words
from bot.dialogue.conditions import CONDITION_LABELS
from bot.dialogue.recommender_client import RecommenderRefused, RecommenderUnavailable
from bot.dialogue.order_references import (
    ANOTHER_ORDER, ORDER_REFERENCE, STATUS_QUESTION, holds_item_named, item_talked_about, leaves_order_request,
    names_an_item_by_title, order_asked_about, order_under_way_named, referenced_order,
)
from bot.dialogue.product_answers import exchange_stock_note
from bot.dialogue.references import referenced_positions
from bot.dialogue.understanding import (
    ASK_AFTER_SALES_POLICY, FAQ_TOPICS, INTENT_OF_KIND, about_ones_purchase, accuses_the_shop,
    admires_a_shown_product, asks_about_the_rules, asks_before_buying, asks_of_own_account, complaint_topic,
    complains_about_own_order, complains_of_waiting, grieved_lately, grieves, names_a_service_topic,
    service_topic_words, tracks_a_parcel,
)
from bot.handoff import texts as handoff_texts
from bot.language.colors import color_family
from bot.language.sizes import canonical_size
from bot.handoff.wishes import demands_action, files_complaint, furious, needs_a_person
from bot.orders.models import Order
from bot.orders.order_ids import find_order_ids
from bot.orders.system import OrderSystemError
from bot.service.after_sales import Requester, new_contact
from bot.service.policy import decide, orders_a_request_fits
from bot.service.texts import (
    KIND_LABELS, describe_status, log_in_first_reply, no_orders_reply, order_not_found_reply,
)

logger = logging.getLogger(__name__)

UNSURE = "这个问题我暂时答不上来，不想随便说错。需要的话说“转人工”，客服会给您准确答复。"
# Orders offered as buttons when the bot asks which one; 第一个 counts in this list.
LISTED_ORDERS = 5
# Orders a reply may name by item, time or state (半个月前买的那双万斯), beyond the five listed: a regular's
# month, cancellations and refunds included (ten let a few of those push a parcel still on its way out of reach).
REFERABLE_ORDERS = 30
HANDOFF_UNAVAILABLE = ("抱歉，转接人工客服的系统暂时不可用，请稍后再说一次“转人工”。"
                       "也可以先告诉我您的问题，我尽量帮您。")
# After-sales intents → the policy kind of bot.service.policy.decide.
SERVICE_KINDS = {intent: kind for kind, intent in INTENT_OF_KIND.items()}
# Knowledge-base entries whose answer offers to carry the request out (要退的话，告诉我是哪个订单), by id
# (bot/knowledge/data/faq.yml), and the request.
OFFERS_AN_ORDER_REQUEST = {"after_sales_seven_day_return": "return_refund", "after_sales_exchange_policy": "exchange"}
# 换鞋要怎么弄 · 父亲节有活动吗 match no entry in their own words: the question the NLU's reading (换货 ·
# 活动) stands for asks the knowledge base instead.  Not for shipping or payment, whose entries answer
# narrow questions (能送国外吗 must not get the delivery times).
TOPIC_QUESTIONS = {"request_exchange": "怎么换货", "request_return_refund": "怎么退货", "ask_promotion": "有什么活动吗"}
# Anger repeated over several turns (three grievances, a parcel or refund still awaited counted too, or
# two grievances when the second demands that someone act), or two misunderstandings in a row: a person
# should take over.  A second outburst alone gets the apology and the offer of a person again: of the
# conversations written apart from the code, most expect the handover at the third outburst or when a
# person is asked for.
COMPLAINTS_BEFORE_HANDOFF = 3
FALLBACKS_BEFORE_HANDOFF = 2


def _customer_messages(tracker: Tracker) -> Iterator[Dict[Text, Any]]:
    """The customer's message events since the session started, newest first, each with what the message was
    understood as (``understood``: the last reading set after it, by the policy or an action)."""
    understood = None
    for event in reversed(tracker.events):
        if event.get("event") == "session_started":
            return
        if event.get("event") == "slot" and event.get("name") == slots.UNDERSTOOD_INTENT and understood is None:
            understood = event.get("value")
        if event.get("event") == "user":
            yield {**event, "understood": understood}
            understood = None


def _intent_of(event: Dict[Text, Any]) -> Optional[str]:
    """What the message was understood as (买了快两个礼拜了, heard as a complaint, asked the after-sales rules),
    else the NLU's intent."""
    return event.get("understood") or ((event.get("parse_data") or {}).get("intent") or {}).get("name")


def recent_intents(tracker: Tracker) -> List[str]:
    """Intents of the customer's messages since the session started, newest first."""
    return [_intent_of(event) for event in _customer_messages(tracker)]


def _is_grievance(event: Dict[Text, Any]) -> bool:
    heard = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
    return grieves(event.get("text") or "", heard, event.get("understood"))


def grievances(tracker: Tracker) -> int:
    """The customer's complaints since the session started, and the messages grieving a wait (快递一周了还没到)
    or accusing the shop (骗子 · 报警)."""
    return sum(_is_grievance(event) for event in _customer_messages(tracker))


def _grieved_lately(tracker: Tracker) -> bool:
    return grieved_lately(
        (event.get("text") or "", ((event.get("parse_data") or {}).get("intent") or {}).get("name"),
         event.get("understood")) for event in islice(_customer_messages(tracker), 1, None))


def _streak(intents: List[str], name: str) -> int:
    count = 0
    for intent in intents:
        if intent != name:
            break
        count += 1
    return count


async def resume_pending_order(dispatcher: CollectingDispatcher, tracker: Tracker) -> Optional[List[Dict[Text, Any]]]:
    """When the bot asked for an order id and this message carries one, finish that request."""
    awaited = slots.order_kind_awaited(tracker)
    if awaited is None:
        return None
    text = tracker.latest_message.get("text") or ""
    intent = understood_intent(tracker) or ""
    # 那单地址写错了 能改吗 · 那单到哪了, asked which order to cancel: that request now, never the cancel (就是上周
    # 到的那个 is no status question, though the NLU may read it as one)
    kind = SERVICE_KINDS.get(intent) or (
        "status" if intent == "query_order_status" and STATUS_QUESTION.search(text) else awaited)
    if {kind, awaited} <= {"return_refund", "exchange"}:
        kind = awaited  # the NLU mixes the two up; the customer's first words chose
    order_id = order_id_in(tracker)
    if order_id is None and leaves_order_request(text, intent):
        return None  # the action answers what was asked instead, and its events clear the wait
    if order_id is None and kind == "status" and await _order_referenced(tracker, unique=False):
        # 鞋子那个: the order the words fit best, told with the others one tap away (空军一号 corrects it)
        return await handle_order_request(dispatcher, tracker, kind, None)
    order_id = order_id or await _order_referenced(tracker, unique=kind != "status")
    if order_id is None and understood_intent(tracker) == "affirm" and customer_of(tracker) \
            and ORDER_REFERENCE.search(text):
        # 就是还没发货的那个, and none is: say so and list the orders again, rather than drop the request
        dispatcher.utter_message(text="没找到您说的那一单。")
        return await handle_order_request(dispatcher, tracker, kind, None)
    if order_id is None:
        return None
    return await handle_order_request(dispatcher, tracker, kind, order_id)


async def _order_referenced(tracker: Tracker, unique: bool) -> Optional[str]:
    """The listed order a reply such as 第一个 · 最近那单 · 笔记本那单 means (a proven customer's own);
    ``unique``: none when the words fit several equally (a change is made only on the order chosen)."""
    customer = customer_of(tracker)
    if customer is None:
        return None
    try:
        orders = await order_system().orders_of(customer)
    except OrderSystemError:
        return None
    order = referenced_order(tracker.latest_message.get("text") or "", orders[:REFERABLE_ORDERS],
                             focus=order_in_focus(tracker), unique=unique, asked_with=previous_user_text(tracker) or "")
    return order.id if order else None


async def order_meant(tracker: Tracker, unique: bool, kind: Optional[str] = None) -> Optional[str]:
    """The order a request without an order number means: the one talked about (that order's 大概什么时候能到),
    unless the words name an item it does not hold (那连衣裙呢 · 没发货那件羽绒服能改成M码吗) or another order
    (另一单呢): then the order holding that item, or None to ask which.  ``unique``: none when several fit, unless
    only one of them is in a state the ``kind`` of request fits (羽绒服换XL, one down jacket delivered and one
    still to ship: the delivered one)."""
    text = tracker.latest_message.get("text") or ""
    focus = None if ANOTHER_ORDER.search(text) else order_in_focus(tracker)
    customer = customer_of(tracker)
    if focus is None and kind in ("exchange", "return_refund") and not kinds_in_words(text) \
            and not ORDER_REFERENCE.search(text):
        earlier = list(islice(_customer_messages(tracker), 1, 2))
        if earlier and _intent_of(earlier[0]) == "complain":
            # 白色羽绒服实物有点发黄 跟图片不一样 → 想换个黑色的 还是XXL: the thing complained of is the one to exchange
            text = f"{earlier[0].get('text') or ''} {text}"
    # 我那个bose还没付款 能换成黑色的么: a change picks the one order by its item's brand or model too (where a
    # status is asked, the words' best match is told with the other orders a tap away: handle_order_request)
    named = kinds_in_words(text) or (unique and brands().named_in(text))
    if customer is None or not (named or (unique and focus is None)):
        return focus
    try:
        orders = await order_system().orders_of(customer)
    except OrderSystemError:
        return focus
    if not named and not any(names_an_item_by_title(text, order) for order in orders[:REFERABLE_ORDERS]):
        return focus  # (空军一号能改码吗, no order talked about: the one holding that model)
    focused = next((order for order in orders if order.id == focus), None)
    if focused is not None and holds_item_named(text, focused):
        return focus
    order = referenced_order(text, orders[:REFERABLE_ORDERS], unique=unique)
    if order is None and kind:
        fitting = orders_a_request_fits(kind, orders[:REFERABLE_ORDERS])
        order = referenced_order(text, fitting, unique=unique) if fitting else None
    return order.id if order is not None and holds_item_named(text, order) else None


def order_in_focus(tracker: Tracker) -> Optional[str]:
    """The order talked about last; the slot also takes what the NLU marked as an order id, which may be a phone
    number (改手机号 15800001234), so only a number that looks like an order counts."""
    found = find_order_ids(tracker.get_slot(slots.ORDER_ID) or "")
    return found[0] if found else None


def order_id_in(tracker: Tracker) -> Optional[str]:
    """The order id of the newest message (entity or pattern), else the one given earlier."""
    mentioned = latest_entities(tracker).get("order_id")
    found = find_order_ids(mentioned or "") or find_order_ids(tracker.latest_message.get("text") or "")
    return found[0] if found else None


def _requester(tracker: Tracker, customer: str) -> Requester:
    return Requester(customer, sender_of(tracker), tracker.get_latest_input_channel() or "")


def _request_key(tracker: Tracker, kind: str, order_id: str) -> str:
    """One request = one message: a retried call for the same message is carried out once."""
    message = tracker.latest_message.get("message_id") or str(tracker.latest_message.get("text"))
    return f"{sender_of(tracker)}:{message}:{kind}:{order_id}"


async def handle_order_request(dispatcher: CollectingDispatcher, tracker: Tracker, kind: str,
                               order_id: Optional[str]) -> List[Dict[Text, Any]]:
    """Order status (kind ``status``) or an after-sales request for the customer's own order.

    Only for a customer the channel proved (a shop's token, customer-identity.md): a
    guest is asked to log in and never sees anyone's orders.  The orders come from
    the shop's order system; when it cannot answer, the customer is told so and a
    ticket is filed (bot/service/after_sales.py).
    """
    customer = customer_of(tracker)
    text = tracker.latest_message.get("text") or ""
    if customer is None:
        rule = await _rule_asked_by_a_guest(text, previous_user_text(tracker) or "", kind)
        if rule:  # 付了款能不能先别发 · 下完单还能换个收货地址吗: the rule, and how to have it done
            dispatcher.utter_message(text=f"{rule}\n{GUEST_ACTS_AFTER_LOGIN}")
        else:
            dispatcher.utter_message(text=log_in_first_reply(tracker.get_latest_input_channel() or ""))
        return [slots.offer_cleared()]
    orders: List[Order] = []
    try:
        order = None
        if order_id is None:
            orders = await order_system().orders_of(customer)
            if not orders:
                dispatcher.utter_message(text=no_orders_reply())
                return [slots.offer_cleared()]
            # 我昨天买的耳机到哪了 · 没发货的那单呢: where a parcel is, for the order the words pick; a change
            # (cancel, return) is only ever made on the order the customer chose
            referable = orders[:REFERABLE_ORDERS]
            order = (referenced_order(text, referable, focus=order_in_focus(tracker))
                     or order_asked_about(text, referable)) if kind == "status" else None
        if order_id is None and order is None:
            said = latest_entities(tracker)
            if (kind == "change_info" and any(new_contact(text))) or (kind == "exchange" and (
                    said.get("color") or said.get("size"))):
                # The new address stays whole only sealed, for this flow (bot/store/privacy_records.py); the
                # colour or size wanted in exchange (藏青M码) goes with the exchange once the order is named.
                await privacy_records().hold(sender_of(tracker), {kind: text})
            dispatcher.utter_message(
                text=f"好的，帮您{KIND_LABELS[kind]}。请告诉我订单号（在“我的订单”里能看到），或者直接点下面您最近的订单：",
                buttons=_order_buttons(orders))
            return [slots.awaiting_order(kind)]
        order = order or await order_system().order_of(customer, order_id)
        if order is None:
            # The same reply for a missing order and someone else's: nobody learns which it was.
            dispatcher.utter_message(text=order_not_found_reply(order_id, await order_system().orders_of(customer)))
            return [slots.awaiting_order(kind), SlotSet(slots.ORDER_ID, None)]
    except OrderSystemError as error:
        dispatcher.utter_message(text=await after_sales().lookup_failed(_requester(tracker, customer), text, error))
        return [slots.offer_cleared()]
    if kind == "status":
        dispatcher.utter_message(text=describe_status(order, time.time()))
        if order_id is None and len(orders) > 1:
            # the order was inferred from the words (我的快递到哪了): the others stay one tap away, and a reply
            # such as 不是这个 第二个 picks among them
            dispatcher.utter_message(text="不是这一单的话，点下面的订单或告诉我是哪一单：",
                                     buttons=_order_buttons(orders))
            return [slots.awaiting_order(kind), SlotSet(slots.ORDER_ID, order.id)]
    else:
        filed = f"{order.id}:{kind}"
        if _filed_lately(tracker.get_slot(slots.AFTER_SALES_FILED), filed):
            # 换黑色XL 有吗 · 一起买的那件T恤也换L, after the exchange was filed: passed on to it, not filed again
            dispatcher.utter_message(text=await after_sales().add_to_request(
                _requester(tracker, customer), order, kind, text))
            if kind == "exchange":
                await _say_variant_stock(dispatcher, tracker, order, text)
            return [slots.offer_cleared(), SlotSet(slots.ORDER_ID, order.id)]
        if kind == "change_info" and not any(new_contact(text)) and decide(order, kind, time.time()).allowed:
            earlier = await _change_ticket_lately(tracker, order.id)
            if earlier is not None and await _joined(earlier, tracker, text):
                # (空军一号能改码吗 →) 43的: the size the change is to bring, for the person already asked
                dispatcher.utter_message(text=f"好的，已经补充到订单 {order.id} 的修改工单 {earlier} 里，客服会一并处理，"
                                              f"处理进度会在这里通知您。")
                return [slots.offer_cleared(), SlotSet(slots.ORDER_ID, order.id)]
        if (kind == "change_info" and not any(new_contact(text))) or kind == "exchange":
            text = "\n".join(filter(None, [(await privacy_records().held(sender_of(tracker))).get(kind), text]))
        outcome = await after_sales().carry_out(
            _requester(tracker, customer), order, kind, text, _request_key(tracker, kind, order.id))
        dispatcher.utter_message(text=outcome.reply)
        await privacy_records().flow_ended(sender_of(tracker))
        if outcome.filed:
            return [slots.offer_cleared(), SlotSet(slots.ORDER_ID, order.id),
                    SlotSet(slots.AFTER_SALES_FILED, f"{filed}:{int(time.time())}")]
    return [slots.offer_cleared(), SlotSet(slots.ORDER_ID, order.id)]


async def _joined(ticket_id: str, tracker: Tracker, text: str) -> bool:
    try:
        return await tickets().add_words(ticket_id, sender_of(tracker), text)
    except Exception as error:  # the store down: the change is filed anew, never lost
        logger.warning("ticket %s not added to: %s", ticket_id, error)
        return False


async def _change_ticket_lately(tracker: Tracker, order_id: str) -> Optional[str]:
    """The open ticket this chat filed lately for a change of ``order_id`` only a person makes (colour, size,
    delivery day), so that more words on it join it; None when there is none or the tickets cannot be read."""
    try:
        filed = await tickets().of_conversation(sender_of(tracker), limit=5)
    except Exception as error:  # the store down: the change is filed anew, never lost
        logger.warning("tickets unavailable: %s", error)
        return None
    return next((ticket.id for ticket in filed if ticket.order_id == order_id and ticket.status == "open"
                 and ticket.kind in ("change_spec", "change_info")
                 and time.time() - ticket.created_at < FILED_REQUEST_OPEN_SECONDS), None)


# More words on a return or exchange count as part of it for this long after it was filed; later (换回来的那双
# 还是不合适 再换一次, days on) it is a request of its own.
FILED_REQUEST_OPEN_SECONDS = 6 * 3600


def _filed_lately(slot_value: Optional[str], filed: str) -> bool:
    """Whether ``filed`` ("<order id>:<kind>") is the request the slot holds, filed less than
    FILED_REQUEST_OPEN_SECONDS ago."""
    request, _, stamp = (slot_value or "").rpartition(":")
    return request == filed and stamp.isdigit() and time.time() - int(stamp) < FILED_REQUEST_OPEN_SECONDS


async def _say_variant_stock(dispatcher: CollectingDispatcher, tracker: Tracker, order: Order, text: str) -> None:
    """换黑色XL 有吗: whether the colour or size asked in exchange is in stock, of the item meant."""
    said = latest_entities(tracker)
    colour, size = color_family(str(said.get("color") or "")), canonical_size(str(said.get("size") or ""))
    if not (colour or size):
        return
    item = item_talked_about(order, [text, previous_user_text(tracker) or ""])
    try:
        rows = await recommender().products([item.product_id] if item else [i.product_id for i in order.items])
    except (RecommenderUnavailable, RecommenderRefused):
        return  # the exchange is in a person's hands already; stock is only a courtesy here
    # (换39的 藏青还有吗, of an order of shoes and a T-shirt: the one item made in that size and colour, of the kind
    # named if one is: 羽绒服换XXL 有吗 with two jackets and a T-shirt is no T-shirt's)
    said_kinds = kinds_in_words(text)
    rows = rows if item else [row for row in rows if (not size or size in [str(s) for s in row.get("sizes") or []])
                              and (not colour or any(color_family(str(c)) == colour for c in row.get("colors") or []))
                              and (not said_kinds or row.get("category") in said_kinds)]
    if len(rows) == 1:
        dispatcher.utter_message(text=exchange_stock_note(rows[0], colour, size))


def _order_buttons(orders: List[Order]) -> List[Dict[str, str]]:
    return [{"title": f"{order.id}（{order.state}）", "payload": order.id} for order in orders[:LISTED_ORDERS]]


class ActionOrderStatus(Action):
    def name(self) -> Text:
        return "action_order_status"

    @commands_first
    async def run(self, dispatcher, tracker, domain):
        text = tracker.latest_message.get("text") or ""
        order_id = order_id_in(tracker)
        if order_id and len(text.replace(order_id, "").strip()) <= 4:
            resumed = await resume_pending_order(dispatcher, tracker)  # a bare id answers the bot's question
            if resumed is not None:
                return resumed
        # 大概什么时候能到, just after an order was looked at: that order (另一单呢 · 那连衣裙呢: not that one)
        meant = order_id or await order_meant(tracker, False)
        if meant and meant == order_in_focus(tracker) and not order_id and tracks_a_parcel(text) \
                and not kinds_in_words(text) and not ORDER_REFERENCE.search(text) \
                and await _awaits_payment(tracker, meant):
            # 我kd到哪了 after the unpaid tablet: no parcel is on its way for it, so the one that is (平板那单到哪了
            # names it: told it is unpaid)
            meant = None
        return await handle_order_request(dispatcher, tracker, "status", meant) + search_kept(tracker)


async def _awaits_payment(tracker: Tracker, order_id: str) -> bool:
    customer = customer_of(tracker)
    try:
        orders = await order_system().orders_of(customer) if customer else []
    except OrderSystemError:
        return False
    return any(order.id == order_id and order.state == "待付款" for order in orders)


class ActionOrderService(Action):
    """退货退款 / 换货 / 取消订单 / 修改订单信息, each by policy, each leaving a ticket."""

    def name(self) -> Text:
        return "action_order_service"

    @commands_first
    async def run(self, dispatcher, tracker, domain):
        intent = understood_intent(tracker)
        kind = SERVICE_KINDS.get(intent, "return_refund")
        order_id = order_id_in(tracker) or await order_meant(tracker, unique=True, kind=kind)
        return await handle_order_request(dispatcher, tracker, kind, order_id) + search_kept(tracker)


def search_kept(tracker: Tracker) -> List[Dict[Text, Any]]:
    """The search's conditions as they were before a message about one's orders (我那单空军一号和羽绒服能取消不):
    the kinds, brands and sizes it names are the order's, not what is searched next."""
    return [SlotSet(name, slot_before_message(tracker, name)) for name in CONDITION_LABELS
            if tracker.get_slot(name) != slot_before_message(tracker, name)]


# For a guest told a rule of the orders (cancel, change, return, exchange): acting on one needs who they are.
GUEST_ACTS_AFTER_LOGIN = "要办理的话，请先在店铺网站登录，再告诉我是哪个订单。"
# For a guest asking a rule about something already bought: the order itself opens only after logging in.
GUEST_OWN_ORDER_AFTER_LOGIN = "要我帮您查这笔订单的话，请先在店铺网站登录。"
# 我的优惠券还剩几张 · 我有多少积分: the account's own coupons and points, which the order system does not give the bot.
GUEST_OWN_ACCOUNT = "您自己账户里有哪些券和积分，要先在店铺网站登录，再到“我的”页面的优惠券、积分里查看。"
OWN_ACCOUNT_WHERE = "您账户里的券和积分我这边查不到，在店铺“我的”页面的优惠券、积分里能看到。"


async def _rule_asked_by_a_guest(text: str, earlier: str, kind: str) -> Optional[str]:
    """The shop's rule a guest's question on an order asks (万一下单时手机号填错一位 还有救吗; 要是在路上了呢, read
    with the question before it), when the words ask about the rules and name no order of their own; None
    otherwise (a guest's own order needs a login first)."""
    if kind == "status" or not asks_about_the_rules(text):
        return None
    try:
        found = await _search_with_earlier(text, earlier, FAQ_TOPICS[ASK_AFTER_SALES_POLICY])
        request = TOPIC_QUESTIONS.get(INTENT_OF_KIND.get(kind, ""))
        if request and (found.get("match") or {}).get("topic") != FAQ_TOPICS[ASK_AFTER_SALES_POLICY]:
            # M换L的话要补运费吗: 运费 drew the shipping rules, the exchange is what the postage is asked of
            within = await recommender().search_knowledge(f"{request} {text}", FAQ_TOPICS[ASK_AFTER_SALES_POLICY])
            found = within if within.get("match") else found
    except (RecommenderUnavailable, RecommenderRefused) as error:
        logger.warning("knowledge base unavailable: %s", error)
        return None
    match = found.get("match")
    return match["answer"] if match else None


def _score(result: Dict[Text, Any]) -> float:
    """How close the knowledge base's match is (0 without one)."""
    return float((result.get("match") or {}).get("score") or 0.0)


# 那换货呢 能换几次 after a question on returns: the message names its own service, read alone
_NAMES_ITS_SERVICE = re.compile(r"换货|退货|退款|取消|改地址|改(?:尺码|码|颜色|规格|数量)|发票|运费|邮费|保价|价保|分期|花呗"
                                r"|优惠券|满减")


async def _search_with_earlier(text: str, earlier: Optional[str], topic: Optional[str],
                               follows_up: bool = False) -> Dict[Text, Any]:
    """The knowledge base's answer to ``text``, or to it read with the customer's message before: 大概多久能开出来
    · 要是已经发出来了呢 mean the question asked just before, and the closer entry answers (a question whole
    in itself stays closer alone; one naming its own service is read alone).  ``follows_up``: the message
    is on the topic just answered, so an entry of another topic is a near miss, not the answer."""
    result = await recommender().search_knowledge(text, topic)
    if earlier and not (result.get("match") and _NAMES_ITS_SERVICE.search(text)):
        with_earlier = await recommender().search_knowledge(f"{earlier} {text}", topic)
        if _score(with_earlier) > _score(result):
            result = with_earlier
    if follows_up and topic and (result.get("match") or {}).get("topic") not in (None, topic):
        # 用了过敏也不行？ after the return rules was closest to an invoice question
        readings = [text] + ([f"{earlier} {text}"] if earlier else [])
        result = max([await recommender().search_knowledge(reading, topic, only_topic=True) for reading in readings],
                     key=_score)
    return result


# Words that ask one entry when the closest entry answers another: (whether the entry drawn is the near miss,
# the words, a question of the entry meant).  吊牌剪了还能换吗 drew the return rules; 退款会退回花呗吗 drew the
# 花呗 instalments.
_ENTRIES_MEANT = (
    (lambda match: match.get("id") == "after_sales_seven_day_return",
     re.compile(r"^(?!.*退)(?=.*换(?!购|新))"), TOPIC_QUESTIONS["request_exchange"]),
    # 要是没有小一码了 能退吗 drew the change of an order not shipped: a return asked
    (lambda match: match.get("id") == "after_sales_change_spec",
     re.compile(r"^(?!.*改)(?=.*(?:能|可以|能不能|可不可以)退)"), TOPIC_QUESTIONS["request_return_refund"]),
    # 能换别的款吗 我补差价 drew the price protection (补差价): an exchange asked
    (lambda match: match.get("id") == "promotion_price_protection",
     re.compile(r"^(?!.*退)(?=.*换(?:货|成|的话|别的款|(?:个|一)?(?:款|码|大|小|颜色|尺码)))"), TOPIC_QUESTIONS["request_exchange"]),
    # 换的话多久能收到 drew the delivery times: the exchange's (换货期限是几天 · 退换货几天内 ask the time limit)
    (lambda match: match.get("id") != "after_sales_exchange_duration",
     re.compile(r"^(?!.*期限)(?:.*)(?:换货|换的(?:话)?)[^，。,.？?]{0,4}(?:多久|几天(?!内)|啥时候|什么时候)"), "换货要多久才能收到"),
    (lambda match: match.get("id") not in ("after_sales_refund_time", "promotion_price_protection"),
     re.compile(r"(?:退款|退的钱|退钱)[^，。,.？?]{0,6}(?:退回|退到|回到|原路|到哪|退哪)|钱[^，。,.？?]{0,3}(?:原路退|退回|退到)"
                r"|退(?:回|到)(?:原路|花呗|支付宝|微信|银行卡|信用卡|余额|零钱)"), "退款退到哪里"),
)


def _entry_meant(text: str, match: Dict[Text, Any]) -> Optional[str]:
    """A question of the entry the words ask for, when the entry drawn answers another; else None."""
    return next((question for drawn_wrong, words, question in _ENTRIES_MEANT
                 if match and drawn_wrong(match) and words.search(text)), None)


class ActionAnswerFaq(Action):
    """Shipping, payment and promotion questions from the shop's knowledge base (bot/knowledge/data/faq.yml)."""

    def name(self) -> Text:
        return "action_answer_faq"

    @commands_first
    async def run(self, dispatcher, tracker, domain):
        intent = understood_intent(tracker)
        text = tracker.latest_message.get("text") or ""
        try:
            # (能用花呗吗 after the return rules names its own topic: answered from any)
            follows_up = slot_before_message(tracker, slots.UNDERSTOOD_INTENT) == intent \
                and not names_a_service_topic(text) and not _NAMES_ITS_SERVICE.search(text)
            result = await _search_with_earlier(text, previous_user_text(tracker), FAQ_TOPICS.get(intent), follows_up)
            topic_words = service_topic_words(text, intent)
            if topic_words and (result.get("match") or {}).get("topic") != FAQ_TOPICS.get(intent):
                # 最便宜那个今天能发吗: 便宜 drew a bargaining entry, but the words ask when it ships
                on_topic = await recommender().search_knowledge(topic_words, FAQ_TOPICS.get(intent))
                result = on_topic if on_topic.get("match") else result
            meant = _entry_meant(text, result.get("match") or {})
            if meant:
                again = await recommender().search_knowledge(meant, None)  # (the words' topic, not the NLU's)
                result = again if again.get("match") else result
            nlu_intent = (tracker.latest_message.get("intent") or {}).get("name")
            topic_question = TOPIC_QUESTIONS.get(nlu_intent if intent == ASK_AFTER_SALES_POLICY else intent)
            if not result.get("match") and topic_question:
                result = await recommender().search_knowledge(topic_question, FAQ_TOPICS.get(intent))
        except (RecommenderUnavailable, RecommenderRefused) as error:
            logger.warning("knowledge base unavailable: %s", error)
            result = {}
        if intent == "ask_shipping_policy" and not tracker.get_slot(slots.SHOWN_PRODUCTS) \
                and not asks_before_buying(text):
            parcel = await _parcel_named(tracker, text)
            if parcel:
                # 奶粉几天能到 from a customer whose formula is on its way: that parcel (a guest, or nothing of
                # that kind under way: the shop's delivery times)
                return await handle_order_request(dispatcher, tracker, "status", parcel) + search_kept(tracker)
        match = result.get("match")
        answer = match["answer"] if match else result.get("fallback") or UNSURE
        if customer_of(tracker) is None and about_ones_purchase(text):
            # 上个月买的鞋能补开发票吗 (a guest): the rule, and that this order is theirs to open after logging in
            answer = f"{answer}\n{GUEST_OWN_ORDER_AFTER_LOGIN}"
        elif asks_of_own_account(text):
            # personal: a guest is asked to log in first (customer-identity.md); nobody is told a count the bot
            # cannot see
            answer = f"{answer}\n{GUEST_OWN_ACCOUNT if customer_of(tracker) is None else OWN_ACCOUNT_WHERE}"
        dispatcher.utter_message(text=answer)
        offered = OFFERS_AN_ORDER_REQUEST.get((match or {}).get("id", ""))
        if offered and customer_of(tracker):
            # the answer ends 要退的话，告诉我是哪个订单: the next message naming an order is that request
            return [slots.awaiting_order(offered)]
        return []


async def _parcel_named(tracker: Tracker, text: str) -> Optional[str]:
    """The one order of the logged-in customer still under way (待发货 · 已发货) that holds an item the words
    name (奶粉几天能到), or None."""
    customer = customer_of(tracker)
    if customer is None or not kinds_in_words(text):
        return None
    try:
        orders = await order_system().orders_of(customer)
    except OrderSystemError:
        return None
    parcel = order_under_way_named(text, orders)
    return parcel.id if parcel is not None else None


async def hand_over(dispatcher: CollectingDispatcher, tracker: Tracker, reason: str) -> List[Dict[Text, Any]]:
    """Puts the customer in the agents' queue and tells them their place (or, after hours, to leave a message).

    From here the conversation gate of the rasa server (bot/channels/conversation_gate.py)
    answers the customer's messages until an agent takes over or they change their mind.
    """
    hours = service_hours()
    after_hours = not hours.is_open(time.time())
    index = conversations()
    try:
        before, position = await index.request_agent(sender_of(tracker), reason,
                                                     tracker.get_latest_input_channel() or "", after_hours)
        if before != "waiting" and position:
            await index.publish("handoff", sender_of(tracker))
            await index.publish("status", sender_of(tracker))
    except Exception as error:
        # Never promise a person the queue does not hold.
        logger.warning("handoff not queued: %s", error)
        dispatcher.utter_message(text=HANDOFF_UNAVAILABLE)
        return [slots.offer_cleared()]
    if not position:
        dispatcher.utter_message(text=handoff_texts.ALREADY_WITH_AGENT)
    elif after_hours:
        dispatcher.utter_message(text=handoff_texts.after_hours(hours))
    else:
        dispatcher.utter_message(text=handoff_texts.queued(position, hours))
    return [slots.offer_cleared()]


class ActionHandoff(Action):
    def name(self) -> Text:
        return "action_handoff"

    @commands_first
    async def run(self, dispatcher, tracker, domain):
        return await hand_over(dispatcher, tracker, "customer asked for a human")


class ActionHandleComplaint(Action):
    """An apology, a ticket and an offer of a person; repeated anger hands over at once."""

    def name(self) -> Text:
        return "action_handle_complaint"

    @commands_first
    async def run(self, dispatcher, tracker, domain):
        complaints = recent_intents(tracker).count("complain")
        text = tracker.latest_message.get("text") or ""
        grieved = grievances(tracker)
        if grieved >= COMPLAINTS_BEFORE_HANDOFF or (max(complaints, grieved) >= 2 and demands_action(text)) \
                or ((furious(text) or accuses_the_shop(text)) and _grieved_lately(tracker)):
            # what happens next (a place in the queue, after hours, the queue down) is hand_over's to say
            dispatcher.utter_message(text="非常抱歉让您这么不愉快，我请人工客服来处理。")
            events = []
            meant = await order_meant(tracker, unique=True) if customer_of(tracker) \
                and complains_of_waiting(text) else None
            if meant:  # 快递一周了还没到 到底怎么回事: where the parcel stands, while the person is fetched
                events = await handle_order_request(dispatcher, tracker, "status", meant)
            return events + await hand_over(dispatcher, tracker, "repeated complaint")
        awaited = slots.order_kind_awaited(tracker)
        # 订单 DD… 你们什么破质量, asked which order to return: the return is what helps.  An order only
        # inferred from angry words (那双鞋) is not acted on: the orders are listed again below
        referenced = await _order_referenced(tracker, unique=False) if awaited == "status" else None
        named = (order_id_in(tracker) or referenced) if awaited else None
        if named:
            dispatcher.utter_message(text="非常抱歉给您带来不好的体验。")
            return await handle_order_request(dispatcher, tracker, awaited, named)
        try:
            # a second outburst adds to the complaint this chat already opened, not a ticket of its own
            earlier = next((ticket for ticket in await tickets().of_conversation(sender_of(tracker), limit=5)
                            if ticket.kind == "complaint" and ticket.status == "open"), None) if complaints > 1 else None
            if earlier is not None and await tickets().add_words(earlier.id, sender_of(tracker), text):
                recorded = f"您说的我已经补充到工单 {earlier.id} 里，店铺的客服会处理并在这里告诉您结果。"
            else:
                ticket = await tickets().create(sender_of(tracker), "complaint", text,
                                                customer_id=customer_of(tracker) or "",
                                                channel=tracker.get_latest_input_channel() or "")
                recorded = f"您的反馈我已经记录成工单 {ticket.id}，店铺的客服会处理并在这里告诉您结果。"
        except Exception as error:  # never claim a record that was not kept
            logger.warning("complaint ticket not stored: %s", error)
            recorded = ""
        if files_complaint(text):  # 我要投诉: recorded, and a person takes it now
            dispatcher.utter_message(text=f"非常抱歉给您带来不好的体验，{recorded}我请人工客服来处理。")
            return await hand_over(dispatcher, tracker, "formal complaint")
        if needs_a_person(text):  # 扣了两笔钱 · 图我拍好了发哪: only a person can check and settle it
            dispatcher.utter_message(text=f"非常抱歉给您带来不好的体验，{recorded}这个需要人工客服核实处理，我请人工客服来接手。")
            return await hand_over(dispatcher, tracker, "a problem only a person can settle")
        before = recent_intents(tracker)[1:2]
        # 凭什么不能退 right after a return was asked: the after-sales rule is what the grievance is about
        asked_before = before and before[0] in _AFTER_SALES_REQUESTS
        rule = await _rule_for(text, (previous_user_text(tracker) or "") if asked_before else "")
        # 急死了 你们到底行不行 right after a guest asked after their order (and was asked to log in): that
        # order is the grievance, and logging in is still what finds it
        # (我登录了啊 还是让我登录 什么破系统 is a grievance about the login itself: a person is offered)
        guest_asked_of_an_order = customer_of(tracker) is None and not re.search(r"登录|登陆", text) \
            and slot_before_message(tracker, slots.UNDERSTOOD_INTENT) in _ORDER_REQUESTS
        if complains_about_own_order(text) or awaited or guest_asked_of_an_order:
            # 快递一周了还没到 什么破服务 · 收到的面霜是漏的: the order found (its status tells where a parcel or
            # refund stands) is what helps the customer, and the agent reading the ticket
            dispatcher.utter_message(text=f"非常抱歉给您带来不好的体验，{recorded}{rule}")
            kind = awaited or "status"  # a change is made only on an order named by its number here
            meant = await order_meant(tracker, unique=True) if kind == "status" else None
            return await handle_order_request(dispatcher, tracker, kind, order_id_in(tracker) or meant)
        if await _waiting_for_a_person(tracker):
            # answered while already queued (bot/channels/conversation_gate.py): no second offer of a person
            dispatcher.utter_message(text=f"非常抱歉给您带来不好的体验，{recorded}{rule}人工客服接入后会一并处理。")
            return []
        dispatcher.utter_message(
            text=f"非常抱歉给您带来不好的体验，{recorded}{rule}需要我帮您转人工客服处理吗？",
            buttons=[{"title": "转人工", "payload": "/request_human"}, {"title": "不用了", "payload": "/deny"}])
        return [slots.offering_handoff()]


async def _waiting_for_a_person(tracker: Tracker) -> bool:
    try:
        conversation = await conversations().get(sender_of(tracker))
    except Exception as error:  # the index down: the offer is made as ever
        logger.warning("conversation index unavailable: %s", error)
        return False
    return conversation is not None and conversation.status == "waiting"


_AFTER_SALES_REQUESTS = frozenset({"request_return_refund", "request_exchange", "cancel_order"})
_ORDER_REQUESTS = _AFTER_SALES_REQUESTS | {"query_order_status", "change_order_info"}


async def _rule_for(complaint: str, request_before: str = "") -> str:
    """The shop's rule for what the complaint is about (降价了 → 价保, 收到是坏的 → 质量问题的退换; naming none,
    the after-sales request made just before it), as a sentence to tell with the apology; '' when it names no
    topic or the knowledge base has nothing close."""
    topic, asked = complaint_topic(complaint), complaint
    if topic is None and request_before:
        topic, asked = "after_sales", f"{request_before} {complaint}"
    if topic is None:
        return ""
    try:
        match = (await recommender().search_knowledge(asked, topic)).get("match")
    except (RecommenderUnavailable, RecommenderRefused) as error:
        logger.warning("knowledge base unavailable: %s", error)
        return ""
    if not match:
        return ""
    # the apology is said once, before the ticket
    return re.sub(r"^(?:非常)?抱歉[^。！!]*[。！!]\s*", "", match["answer"].strip()) + "\n"


class ActionHandleFallback(Action):
    """Did not understand: ask to rephrase; the second time in a row, offer and make the handover."""

    def name(self) -> Text:
        return "action_handle_fallback"

    @commands_first
    async def run(self, dispatcher, tracker, domain):
        resumed = await resume_pending_order(dispatcher, tracker)
        if resumed is not None:
            return resumed
        if _streak(recent_intents(tracker), "nlu_fallback") >= FALLBACKS_BEFORE_HANDOFF:
            dispatcher.utter_message(text="抱歉，我好像一直没理解您的意思，我请人工客服来帮您。")
            return await hand_over(dispatcher, tracker, "repeated fallback")
        dispatcher.utter_message(response="utter_default")
        return []


async def _chosen_product(tracker: Tracker, shown: List[str]) -> Optional[dict]:
    """``要第二个`` / ``就1号``: the shown product picked by position or name, if any."""
    text = tracker.latest_message.get("text") or ""
    if not shown:
        return None
    try:
        rows = await recommender().products(shown)
    except (RecommenderUnavailable, RecommenderRefused):
        return None
    positions = referenced_positions(text, rows)
    return rows[positions[0]] if positions else None


class ActionAffirmOrDeny(Action):
    """是的 / 不用了: answers whatever the bot offered last (a human, an order)."""

    def name(self) -> Text:
        return "action_affirm_or_deny"

    @commands_first
    async def run(self, dispatcher, tracker, domain):
        intent = understood_intent(tracker)
        resumed = await resume_pending_order(dispatcher, tracker)
        if resumed is not None:
            return resumed
        if slots.handoff_offered(tracker):
            if intent == "affirm":
                return await hand_over(dispatcher, tracker, "complaint, customer accepted a human")
            dispatcher.utter_message(text="好的，那我继续为您服务。还有什么可以帮您？")
            return [slots.offer_cleared()]
        if intent == "affirm":
            shown = tracker.get_slot(slots.SHOWN_PRODUCTS) or []
            chosen = await _chosen_product(tracker, shown)
            if chosen:
                text = tracker.latest_message.get("text") or ""
                thanked = "不客气～" if "谢" in text else ""  # 那就它吧 谢了哈
                picked = f"{chosen['title']}（¥{float(chosen['price']):g}）"
                if admires_a_shown_product(text):  # 第一个颜值好高: liked, not yet chosen
                    said = f"眼光不错～{picked}！喜欢的话"
                else:
                    said = f"{thanked}好的，就选{picked}！"
                dispatcher.utter_message(text=f"{said}点它的卡片就能下单；尺码、库存、材质有疑问都可以问我。")
                return [slots.offer_cleared(), SlotSet(slots.FOCUS_PRODUCT, chosen["id"])]
            if shown:
                dispatcher.utter_message(text="好的！点商品卡片就能下单；想看细节也可以问我，比如“第一个什么材质”。")
            else:
                dispatcher.utter_message(text="好的～想买什么可以直接告诉我，比如“五百左右的蓝牙耳机”。")
        else:
            dispatcher.utter_message(text="好的，没问题。还需要什么随时叫我～")
        return [slots.offer_cleared()]
