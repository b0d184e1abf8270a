"""Which listed order a reply means, and sizes one up or down."""

import pytest

from bot.dialogue.order_references import referenced_order
from bot.language.sizes import next_size
from bot.orders.models import Order, OrderItem

ORDERS = [
    Order("DD1", "c", "已发货", (OrderItem("S1", "联想 小新 Pro 14 笔记本电脑", 4999, 1),), 4999, created_at=300),
    Order("DD2", "c", "待发货", (OrderItem("S2", "飞鹤 星飞帆 婴儿奶粉 2段", 299, 1),), 299, created_at=200),
    Order("DD3", "c", "已签收", (OrderItem("S3", "索尼 WH-1000XM5 头戴式耳机", 2499, 1),), 2499, created_at=100),
]


@pytest.mark.parametrize("text, order_id", [
    ("第一个", "DD1"), ("第三个", "DD3"), ("最近那单", "DD1"), ("对 就是刚才那个", "DD1"),
    ("还没发货的那个 啥时候能发", "DD2"), ("笔记本那单", "DD1"), ("奶粉", "DD2"), ("耳机那个", "DD3"),
])
def test_the_order_a_reply_means(text, order_id):
    assert referenced_order(text, ORDERS).id == order_id


@pytest.mark.parametrize("text", ["随便", "你好"])
def test_no_order_named(text):
    assert referenced_order(text, ORDERS) is None


@pytest.mark.parametrize("size, step, expected", [
    ("41", 1, "42"), ("M", 1, "L"), ("XXXL", 1, None), ("2段", 1, "3段"), ("30", -1, "29"), ("均码", 1, None),
])
def test_next_size(size, step, expected):
    assert next_size(size, step) == expected
