"""What a change request carries (new address, phone), notes on a filed request and the circuit breaker's states,
without servers."""

from __future__ import annotations

import time

import pytest

from actions.service import FILED_REQUEST_OPEN_SECONDS, _filed_lately
from bot.dialogue.product_answers import exchange_stock_note
from bot.orders.circuit_breaker import CircuitBreaker
from bot.orders.models import Order, OrderItem
from bot.service.after_sales import cancels_part, new_contact


@pytest.mark.parametrize("text, address, phone", [
    ("地址改成上海市浦东新区张江路88号3栋1202室", "上海市浦东新区张江路88号3栋1202室", None),
    ("新地址：广东省广州市天河区天河路385号18楼", "广东省广州市天河区天河路385号18楼", None),
    ("电话改成13912345678", None, "13912345678"),
    ("收货电话换成 139 1234 5678", None, None),  # spaced digits are not read as a number: ask again
    ("地址改为北京市朝阳区望京街道阜通东大街6号院，电话13812345678",
     "北京市朝阳区望京街道阜通东大街6号院", "13812345678"),
    ("寄到杭州市西湖区文三路478号5幢602室吧", "杭州市西湖区文三路478号5幢602室吧", None),
    ("固话 0571-88886666", None, "0571-88886666"),
    ("收货地址填错了", None, None),
    ("能改成周末送吗", None, None),
    ("改成黑色42码", None, None),
    ("ＤＤ２０２６ 地址改成上海市徐汇区漕溪北路１号", "上海市徐汇区漕溪北路1号", None),  # full-width
])
def test_new_contact(text, address, phone):
    assert new_contact(text) == (address, phone)


def test_the_breaker_opens_after_repeated_failures_and_lets_one_trial_through():
    now = [0.0]
    breaker = CircuitBreaker(failure_threshold=3, reset_seconds=10, clock=lambda: now[0])
    for _ in range(2):
        assert breaker.allow()
        breaker.failed()
    breaker.succeeded()  # a success in between starts the count again
    for _ in range(3):
        assert breaker.allow()
        breaker.failed()
    assert breaker.state == "open" and not breaker.allow()
    now[0] = 10.5
    assert breaker.state == "half-open"
    assert breaker.allow() and not breaker.allow()  # one trial at a time
    breaker.failed()
    assert breaker.state == "open" and not breaker.allow()
    now[0] = 21
    assert breaker.allow()
    breaker.succeeded()
    assert breaker.state == "closed" and breaker.allow()
    with pytest.raises(ValueError):
        CircuitBreaker(failure_threshold=0)


def _order(*titles):
    return Order(id="DD2026120100001", customer_id="demo-1001", state="待发货", total=100.0, created_at=0.0,
                 items=[{"product_id": f"SKU{n}", "title": t, "price": 50.0, "quantity": 1}
                        for n, t in enumerate(titles)])


@pytest.mark.parametrize("titles, text, part", [
    (("潘婷 乳液修护洗发露 750ml", "优衣库 女装 A 字连衣裙"), "潘婷洗发水不要了 裙子留着", True),
    (("鸭鸭 过膝羽绒服", "耐克 空军一号"), "羽绒服不要了 鞋照常发", True),
    (("潘婷 乳液修护洗发露 750ml", "优衣库 女装 A 字连衣裙"), "潘婷那单取消了吧", False),  # names the order
    (("潘婷 乳液修护洗发露 750ml", "优衣库 女装 A 字连衣裙"), "这单不要了 取消吧", False),
    (("潘婷 乳液修护洗发露 750ml",), "潘婷不要了 别的留着", False),  # one item: the order is the item
    (("鸭鸭 过膝羽绒服", "耐克 空军一号"), "物流一直不动 取消吧 还要等多久退款", False),
    (("鸭鸭 过膝羽绒服", "耐克 空军一号"), "取消订单 其他的照常发", True),
    (("潘婷 乳液修护洗发露 750ml", "优衣库 女装 A 字连衣裙"), "潘婷跟裙子一起的那单 洗发水不要了 裙子要", True),
    (("潘婷 乳液修护洗发露 750ml", "优衣库 女装 A 字连衣裙"), "那单洗发水取消 裙子我还要", True),
    (("潘婷 乳液修护洗发露 750ml", "优衣库 女装 A 字连衣裙"), "那单取消吧 我不想要了", False),
    # one item named by its kind only: the other stays
    (("鸭鸭 中长款羽绒服", "耐克 Air Force 1 '07 空军一号板鞋"), "羽绒服不想要了", True),
    (("鸭鸭 中长款羽绒服", "耐克 Air Force 1 '07 空军一号板鞋"), "羽绒服跟板鞋都不要了", False),
    # the order named by both items, then one let go; both let go is the whole order
    (("苹果 Apple Watch Series 9 智能手表", "优衣库 男装 高级轻型羽绒服"), "手表羽绒服那个 羽绒服不要了", True),
    (("苹果 Apple Watch Series 9 智能手表", "优衣库 男装 高级轻型羽绒服"), "手表羽绒服那个 都不要了", False),
    (("苹果 Apple Watch Series 9 智能手表", "优衣库 男装 高级轻型羽绒服"), "手表羽绒服那个 取消吧", False),
    (("苹果 Apple Watch Series 9 智能手表", "优衣库 男装 高级轻型羽绒服"), "手表和羽绒服那单 优衣库的不要了", True),
    (("苹果 Apple Watch Series 9 智能手表", "优衣库 男装 高级轻型羽绒服"), "手表羽绒服那单 羽绒服不要了 手表也不要了", False),
    (("苹果 Apple Watch Series 9 智能手表", "优衣库 男装 高级轻型羽绒服"), "那单都取消 羽绒服不要 手表也不要", False),
])
def test_part_of_an_order_to_cancel(titles, text, part):
    assert cancels_part(_order(*titles), text) is part


def test_part_named_by_the_catalog_category_of_an_item_whose_title_names_no_kind():
    order = Order("DD1", "c", "待发货", (OrderItem("SKU10162", "三只松鼠 奶油味夏威夷果 265g", 29.9, 1, category="零食"),
                                         OrderItem("SKU10132", "理肤泉 B5 多效修复霜 40ml", 118, 1, category="面霜")),
                  147.9, created_at=1)
    assert cancels_part(order, "零食不要了")


def test_a_note_on_an_exchange_says_whether_the_variant_asked_is_in_stock():
    row = {"title": "雪中飞 女士连帽短款面包羽绒服", "colors": ["粉色", "黑色"], "sizes": ["M", "XL"], "stock": 9,
           "variant_stock": {"黑色/XL": 7, "粉色/M": 2}}
    assert "黑色XL目前有货" in exchange_stock_note(row, "黑色", "XL")
    assert "粉色XL目前暂时缺货" in exchange_stock_note(row, "粉色", "XL")
    assert "下单" not in exchange_stock_note(row, "黑色", "XL")  # an exchange, no new order


def test_more_words_count_as_part_of_a_filed_request_only_for_a_while_and_of_its_kind():
    now = int(time.time())
    assert _filed_lately(f"DD1:exchange:{now}", "DD1:exchange")
    assert not _filed_lately(f"DD1:exchange:{now}", "DD1:return_refund")  # 算了不换了 直接退吧: its own request
    assert not _filed_lately(f"DD1:exchange:{now - FILED_REQUEST_OPEN_SECONDS - 1}", "DD1:exchange")
    assert not _filed_lately(None, "DD1:exchange")
