"""The FAQ entry the words ask for, when the matcher's closest entry answers another question."""

import pytest

from actions.service import TOPIC_QUESTIONS, _entry_meant


@pytest.mark.parametrize("text, drawn, meant", [
    ("吊牌剪了还能换吗", "after_sales_seven_day_return", TOPIC_QUESTIONS["request_exchange"]),
    ("吊牌剪了还能退吗", "after_sales_seven_day_return", None),
    ("退款会退回花呗吗 我是花呗付的", "payment_huabei", "退款退到哪里"),
    ("钱会原路退回吗", "payment_methods", "退款退到哪里"),
    ("退款会退回花呗吗", "after_sales_refund_time", None),  # drawn right already
    ("能用花呗吗", "payment_huabei", None),
    ("花呗分期退货的话手续费退吗", "payment_huabei", None),
    ("我支付宝付的 会退回支付宝吗", "payment_methods", "退款退到哪里"),
    ("退回花呗还是余额", "payment_huabei", "退款退到哪里"),
    ("换的话多久能收到", "shipping_delivery_time", "换货要多久才能收到"),
    ("能换别的款吗 我补差价", "promotion_price_protection", TOPIC_QUESTIONS["request_exchange"]),
    ("换的话要补差价吗", "promotion_price_protection", TOPIC_QUESTIONS["request_exchange"]),
    ("要是没有小一码了 能退吗", "after_sales_change_spec", TOPIC_QUESTIONS["request_return_refund"]),
    ("没发货能改成退款吗", "after_sales_change_spec", None),
    ("以旧换新能抵多少", "promotion_trade_in", None),
    ("换个手机号能改吗", "after_sales_change_address", None),
    ("能换个付款方式吗", "payment_methods", None),
    # the review's near misses: a right answer of another topic, a time limit, a paid order's parcel, price protection
    ("可以换成顺丰给我寄吗", "shipping_sf_express", None), ("发票能换成公司的吗", "payment_invoice_change", None),
    ("换货期限是几天", "after_sales_exchange_policy", None), ("退换货几天内可以申请", "after_sales_exchange_policy", None),
    ("以旧换新什么时候开始", "promotion_trade_in", None), ("付完钱了 货到哪了", "shipping_tracking_stuck", None),
    ("价保的差价退到余额吗", "promotion_price_protection", None), ("退回原地址", "after_sales_return_address", None),
])
def test_the_entry_meant(text, drawn, meant):
    assert _entry_meant(text, {"id": drawn, "topic": drawn.split("_")[0].replace("after", "after_sales")}) == meant


def test_no_entry_drawn_is_left_alone():
    assert _entry_meant("退款会退回花呗吗", {}) is None
