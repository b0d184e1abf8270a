"""After-sales policy (decide), order ids in free text, order-status and outcome replies, without Redis."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest
from hypothesis import given, settings, strategies as st

from bot.orders.models import ALL_ORDER_STATES, CANCELLED, Confirmation, MalformedOrder, Order, OrderItem
from bot.orders.order_ids import find_order_ids
from bot.service import texts
from bot.service.formatting import CHINA_TIME, DAY
from bot.dialogue.order_references import referenced_order
from bot.service.policy import (EXCHANGE_WINDOW_DAYS, OPERATIONS, POLICY_KINDS, RETURN_WINDOW_DAYS, decide,
                               orders_a_request_fits)
from bot.service.texts import ask_for_order_id, describe_status, order_not_found_reply

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=CHINA_TIME).timestamp()
SHOES = OrderItem("SKU10001", "耐克 Air Zoom Pegasus 40 男子缓震跑步鞋", 629.0, 1, "黑色", "42")
EVENTS = (
    (NOW - 30 * 3600, "【杭州市】顺丰速运已揽收"),
    (NOW - 20 * 3600, "【杭州市】快件已离开 杭州转运中心，发往 上海"),
    (NOW - 2 * 3600, "【上海市】快件已到达 上海转运中心"),
)


def order(state: str, signed_days_ago: float = 3, **fields) -> Order:
    signed = state == "已签收"
    shipped = state in ("已发货", "已签收")
    base = dict(
        id="DD2026112000001", customer_id="alice", state=state, items=(SHOES,), total=629.0,
        created_at=NOW - 3600, paid_at=None if state == "待付款" else NOW - 3500,
        shipped_at=NOW - 30 * 3600 if shipped else None,
        signed_at=NOW - signed_days_ago * DAY if signed else None,
        courier="顺丰速运" if shipped else None, tracking_number="SF1234567890123" if shipped else None,
        tracking_events=EVENTS if shipped else (), address="上海市浦东新区张江路 88 号", phone="138****5678",
    )
    return Order(**{**base, **fields})


# state, kind -> allowed, operation, new state
EXPECTED = {
    ("待付款", "cancel"): (True, "cancel", CANCELLED),
    ("待付款", "change_info"): (True, "change_info", None),
    ("待付款", "exchange"): (True, "change_spec", None),
    ("待付款", "return_refund"): (False, None, None),
    ("待发货", "cancel"): (True, "cancel", "退款中"),
    ("待发货", "return_refund"): (True, "cancel", "退款中"),
    ("待发货", "change_info"): (True, "change_info", None),
    ("待发货", "exchange"): (True, "change_spec", None),
    ("已发货", "cancel"): (False, None, None),
    ("已发货", "return_refund"): (False, None, None),
    ("已发货", "change_info"): (False, None, None),
    ("已发货", "exchange"): (False, None, None),
    ("已签收", "return_refund"): (True, "return_refund", "退款中"),  # signed 3 days ago
    ("已签收", "exchange"): (True, "exchange", None),
    ("已签收", "cancel"): (False, None, None),
    ("已签收", "change_info"): (False, None, None),
    **{("退款中", kind): (False, None, None) for kind in POLICY_KINDS},
    **{(CANCELLED, kind): (False, None, None) for kind in POLICY_KINDS},
}


@pytest.mark.parametrize("state,kind", sorted(EXPECTED))
def test_decide_by_state(state, kind):
    decision = decide(order(state), kind, NOW)
    assert (decision.allowed, decision.operation, decision.new_state) == EXPECTED[(state, kind)]
    assert "DD2026112000001" in decision.reply
    # the policy alone never claims anything was done: only the order system's confirmation does
    assert not any(word in decision.reply for word in ("已经为您", "已经帮您", "已提交", "工单"))


def test_shipped_order_explains_refusal_and_courier():
    cancel = decide(order("已发货"), "cancel", NOW).reply
    assert "拒收" in cancel and "签收后" in cancel
    change = decide(order("已发货"), "change_info", NOW).reply
    assert "顺丰速运" in change and "SF1234567890123" in change


def test_refund_in_progress_says_so():
    assert "正在退款中，退款已经在处理了" in decide(order("退款中"), "return_refund", NOW).reply


def test_an_exchange_asked_after_a_return_says_what_stands_in_the_way_and_who_can_undo_it():
    reply = decide(order("退款中"), "exchange", NOW).reply
    assert "换货" in reply and "转人工" in reply and "退款已经在处理了" not in reply


@pytest.mark.parametrize("days,allowed", [
    (0, True), (3, True), (RETURN_WINDOW_DAYS - 1 / 1440, True), (RETURN_WINDOW_DAYS + 1 / 1440, False), (12, False),
])
def test_seven_day_return_window_counts_from_signing(days, allowed):
    decision = decide(order("已签收", signed_days_ago=days), "return_refund", NOW)
    assert decision.allowed is allowed
    if allowed:
        assert decision.new_state == "退款中"
    else:
        assert decision.operation is None and decision.new_state is None
        assert "超过 7 天无理由退货期" in decision.reply
        if days == 12:
            assert "11月16日 签收" in decision.reply and "11月23日 截止" in decision.reply
        assert "质量问题" in decision.reply and "转人工" in decision.reply


def test_refused_return_points_to_exchange_while_that_window_is_open():
    inside_exchange = decide(order("已签收", signed_days_ago=12), "return_refund", NOW).reply
    assert "还可以换货" in inside_exchange
    past_both = decide(order("已签收", signed_days_ago=20), "return_refund", NOW).reply
    assert "还可以换货" not in past_both


@pytest.mark.parametrize("days,allowed", [(12, True), (EXCHANGE_WINDOW_DAYS - 0.01, True), (EXCHANGE_WINDOW_DAYS + 0.01, False)])
def test_exchange_window(days, allowed):
    decision = decide(order("已签收", signed_days_ago=days), "exchange", NOW)
    assert decision.allowed is allowed
    assert decision.operation == ("exchange" if allowed else None)


def test_confirmed_replies_report_the_order_systems_numbers():
    braced = order("待发货", items=(replace(SHOES, title="限量款 {联名} 跑鞋"),))
    decision = decide(braced, "cancel", NOW)
    reply = texts.confirmed(decision, Confirmation(replace(braced, state="退款中"), "RF20261128000007", 629.0))
    assert "RF20261128000007" in reply and "¥629" in reply and "{联名}" in reply and "退款" in reply
    unpaid = decide(order("待付款"), "cancel", NOW)
    assert "已取消" in texts.confirmed(unpaid, Confirmation(replace(order("待付款"), state=CANCELLED)))
    signed = decide(order("已签收"), "return_refund", NOW)
    assert "AS20261128000001" in texts.confirmed(signed, Confirmation(order("已签收"), "AS20261128000001", 629.0))
    moved = decide(order("待发货"), "change_info", NOW)
    assert "北京市朝阳区" in texts.confirmed(moved, Confirmation(order("待发货", address="北京市朝阳区望京 6 号")))


def test_failures_are_told_plainly_with_the_ticket_or_without_a_promise():
    down = texts.not_done("cancel", "TK20261128000009")
    assert "没有办理成功" in down and "TK20261128000009" in down and "已经" not in down.split("。")[0]
    refused = texts.not_done("return_refund", "TK20261128000010", "订单当前状态是“已发货”")
    assert "没有接受" in refused and "已发货" in refused and "TK20261128000010" in refused
    assert "工单" not in texts.not_done("cancel", None) and "稍后" in texts.not_done("cancel", None)


def test_unknown_kind_is_refused_loudly():
    with pytest.raises(ValueError):
        decide(order("待发货"), "complaint", NOW)


@settings(max_examples=200, deadline=None)
@given(state=st.sampled_from(ALL_ORDER_STATES), kind=st.sampled_from(POLICY_KINDS),
       days=st.floats(min_value=0, max_value=400, allow_nan=False))
def test_decisions_are_consistent(state, kind, days):
    decision = decide(order(state, signed_days_ago=days), kind, NOW)
    assert decision.reply.strip()
    assert (decision.operation in OPERATIONS) == decision.allowed
    assert decision.operation is None or decision.allowed
    assert decision.new_state is None or decision.new_state in ALL_ORDER_STATES


# ---------------------------------------------------------------- order ids in free text

@pytest.mark.parametrize("text,ids", [
    ("订单DD2026112800001发货了吗", ["DD2026112800001"]),
    ("dd2026112800001 到哪了", ["DD2026112800001"]),
    ("ＤＤ２０２６１１２８００００１", ["DD2026112800001"]),  # full-width, as some keyboards type it
    ("订单号：DD20261128001", ["DD20261128001"]),  # the contract's example id
    ("我的订单2026112800001怎么还没到", ["2026112800001"]),
    ("订单 123456789 和 DD2026112800002", ["123456789", "DD2026112800002"]),
    ("DD2026112800001 DD2026112800001", ["DD2026112800001"]),
    ("改一下电话 13812345678", []),  # a mobile number, not an order
    ("运单号SF1234567890123查一下", []),  # a tracking number
    ("订单123456发货了吗", []),  # too short to tell from a price or a size
    ("预算500左右 42码", []),
    ("", []),
])
def test_find_order_ids(text, ids):
    assert find_order_ids(text) == ids


# ---------------------------------------------------------------- status replies

def test_shipped_status_names_courier_tracking_and_latest_events():
    text = describe_status(order("已发货"), NOW)
    assert "顺丰速运" in text and "SF1234567890123" in text
    assert "上海转运中心" in text and "发往 上海" in text  # newest two events
    assert "已揽收" not in text  # older ones are left out
    assert "预计" in text and "送达" in text
    assert text.index("上海转运中心") < text.index("发往 上海")  # newest first


def test_unpaid_status_reminds_of_the_payment_deadline():
    text = describe_status(order("待付款"), NOW)
    assert "还没有付款" in text and "11月29日 11:00" in text  # created 11:00, 24 hours to pay


def test_unpaid_status_after_the_deadline():
    assert "超过 24 小时付款时限" in describe_status(order("待付款"), NOW + 2 * DAY)


def test_signed_status_gives_the_return_deadline():
    text = describe_status(order("已签收", signed_days_ago=3), NOW)
    assert "签收" in text and "7 天无理由退货" in text and "12月2日" in text


def test_a_paid_order_awaiting_shipment_promises_no_notice_nothing_sends():
    text = describe_status(order("待发货"), NOW)
    assert "快递单号" in text and "再来问我" in text
    assert "告诉您" not in text and "通知" not in text  # no shipment notice exists to keep such a promise


@pytest.mark.parametrize("state,words", [
    ("待发货", ["已于", "付款", "预计"]), ("退款中", ["退款中", "原路退回"]), (CANCELLED, ["已取消"]),
])
def test_other_states(state, words):
    text = describe_status(order(state), NOW)
    assert all(word in text for word in words)
    assert "耐克 Air Zoom Pegasus 40" in text and "黑色/42" in text


def test_order_json_round_trip_and_state_check():
    original = order("已发货")
    assert Order.from_json(original.to_json()) == original
    assert Order.from_dict(original.to_dict()) == original
    with pytest.raises(ValueError):
        order("已完成")
    for broken in ([], {"id": "DD1"}, {**original.to_dict(), "items": [{"title": 1}]},
                   {**original.to_dict(), "total": "a lot"}, {**original.to_dict(), "customer_id": ""}):
        with pytest.raises(MalformedOrder):
            Order.from_dict(broken)


def test_not_found_reply_is_polite_and_lists_own_orders():
    text = order_not_found_reply("DD2026000000000", [order("已发货")])
    assert "没有找到订单 DD2026000000000" in text and "DD2026112000001" in text
    assert "DD2026112000001" in ask_for_order_id([order("已发货")])
    assert "订单号" in ask_for_order_id([])


@pytest.mark.parametrize("kind, words", [("cancel", "不需要再取消"), ("change_info", "不用改")])
def test_a_cancellation_or_change_asked_of_an_order_being_refunded_says_why_none_is_needed(kind, words):
    assert words in decide(order("退款中"), kind, NOW).reply


def test_of_two_orders_with_the_item_named_the_request_picks_the_one_it_can_be_about():
    """羽绒服换XL with one down jacket delivered and one still to ship: the words alone fit both, the exchange only
    the delivered one; a cancellation only the one still to ship."""
    jacket = OrderItem("SKU10041", "李宁 男子运动保暖短款连帽羽绒服", 699.0, 1, "白色", "XXL", "羽绒服")
    waiting = order("待发货", id="DD2026112000002", items=(jacket,))
    delivered = order("已签收", id="DD2026112000003", items=(jacket,))
    listed = [waiting, delivered]
    assert referenced_order("羽绒服 XXL换XL", listed, unique=True) is None
    assert referenced_order("羽绒服 XXL换XL", orders_a_request_fits("exchange", listed), unique=True) == delivered
    assert referenced_order("羽绒服不要了", orders_a_request_fits("cancel", listed), unique=True) == waiting
    assert orders_a_request_fits("return_refund", listed) == []  # 不要了 退了吧 is said of both: the customer chooses
    assert orders_a_request_fits("status", listed) == []  # nothing to prefer: every order can be looked up


def test_an_item_is_named_by_its_title_not_by_one_piece_other_words_share():
    from bot.dialogue.order_references import names_an_item_by_title
    shoes = OrderItem("SKU10005", "耐克 Air Force 1 '07 空军一号男子小白鞋", 799.0, 1, "黑色", "42", "板鞋")
    jacket = OrderItem("SKU10041", "李宁 男子运动保暖短款连帽羽绒服", 699.0, 1, "白色", "XXL", "羽绒服")
    assert names_an_item_by_title("空军一号能改码吗 还没发货", order("待发货", items=(shoes,)))
    assert not names_an_item_by_title("算了 取消吧 天暖了用不着保暖的", order("已签收", items=(jacket,)))
