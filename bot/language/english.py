"""English service words typed among Chinese (能开invoice吗 · refund多久到账 · 有coupon吗), read as the
Chinese words the shop's knowledge base is written in.

Kinds, colours and budgets said in English are read where those are read (bot/catalog/data/categories.yml,
bot/language/colors.py, bot/language/budget.py); this table is for matching a question against the FAQ, whose
questions are Chinese, so the rewritten text need not keep the message's length or offsets.
"""

from __future__ import annotations

import re

# Longest first, so that "free shipping" is not read as "free" and "shipping".
_SERVICE_WORDS = {
    "return policy": "退货政策", "refund policy": "退款政策", "free shipping": "包邮", "tracking number": "运单号",
    "credit card": "信用卡", "shipping fee": "运费", "invoice": "发票", "receipt": "发票", "refund": "退款",
    "return": "退货", "exchange": "换货", "delivery": "配送", "deliver": "送到", "shipping": "发货",
    "ship": "发货", "discount": "折扣", "coupon": "优惠券", "voucher": "优惠券", "promotion": "活动",
    "promo": "活动", "sale": "促销", "quality": "质量", "warranty": "保修", "installment": "分期",
    "instalment": "分期", "payment": "付款", "pay": "付款", "order": "订单", "package": "包裹", "parcel": "包裹",
    "cancel": "取消", "express": "快递", "price": "价格", "size": "尺码",
}
_WORD = re.compile(r"(?<![A-Za-z])(" + "|".join(sorted(map(re.escape, _SERVICE_WORDS), key=len, reverse=True))
                   + r")s?(?![A-Za-z])", re.IGNORECASE)


def service_words_in_chinese(text: str) -> str:
    """``text`` with its English service words replaced by the shop's Chinese words (能开invoice吗 → 能开发票吗)."""
    return _WORD.sub(lambda found: _SERVICE_WORDS[found.group(1).lower()], text)
