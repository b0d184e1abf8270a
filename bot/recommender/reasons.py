"""One short Chinese reason per recommended product (推荐理由).

A reason joins the two most telling facts about *this* product for *this*
request: a feature the customer asked for, a condition it meets, the
customer's own history, or what other buyers say (rating, sales).  Products
differ in tags, prices and ratings, so their reasons differ too.
"""

from __future__ import annotations

from typing import Optional

from bot.catalog.model import Product, fold
from bot.catalog.needs import needed_tags
from bot.recommender.query import ProductQuery
from bot.store.customer_activity import CustomerProfile

_COLOR_FRAGMENT = "有你要的{color}"


def reason_for(product: Product, query: ProductQuery, profile: CustomerProfile,
               relaxed: tuple[str, ...] = (), affinity: float = 0.0) -> str:
    fragments: list[str] = []
    wanted = _wanted_tags(product, query.text)
    if wanted:
        fragments.append(f"{'、'.join(wanted[:2])}正合你的需求")
    personal = _personal_fragment(product, profile, affinity)
    if personal:
        fragments.append(personal)
    condition = _condition_fragment(product, query, relaxed)
    if condition:
        fragments.append(condition)
    if len(fragments) < 2:
        fragments.append(_feature_fragment(product, exclude=wanted))
    if len(fragments) < 2:
        fragments.append(_crowd_fragment(product))
    return "，".join(fragment for fragment in fragments[:2] if fragment)


def _wanted_tags(product: Product, text: str) -> list[str]:
    folded = fold(text)
    if not folded:
        return []
    hits = [tag for tag in product.tags if fold(tag) in folded]
    needed = needed_tags(folded)
    hits.extend(tag for tag in product.tags if tag not in hits and any(need in fold(tag) for need in needed))
    return hits


def _personal_fragment(product: Product, profile: CustomerProfile, affinity: float) -> Optional[str]:
    if profile.is_empty or affinity <= 0:
        return None
    if product.consumable and product.id in profile.bought:
        return "你之前买过，用完可以放心回购"
    if profile.brand_affinity(product.brand) >= 0.3:
        return f"你常看{product.brand}，这款是它家的{product.category}"
    if profile.price_level and abs(product.price - profile.price_level) <= 0.25 * profile.price_level:
        return "价位和你平时看的差不多"
    return None


def _condition_fragment(product: Product, query: ProductQuery, relaxed: tuple[str, ...]) -> Optional[str]:
    if "budget" in relaxed and query.budget is not None:
        return f"¥{product.price:g}，价格最接近你的预算"
    if relaxed:
        return None
    if query.color and query.size:
        return f"{query.color}{query.size}{'码' if query.size.isdigit() else ''}有现货"
    if query.budget is not None and query.budget.high is not None:
        spare = query.budget.high - product.price
        if spare >= 0.3 * query.budget.high:
            return f"¥{product.price:g}，比你的预算还省不少"
        return f"¥{product.price:g}，在你的预算（{query.budget.describe()}）内"
    if query.brand:
        return f"正是你要的{product.brand}"
    if query.color:
        return _COLOR_FRAGMENT.format(color=query.color)
    return None


def _feature_fragment(product: Product, exclude: list[str]) -> str:
    tags = [tag for tag in product.tags if tag not in exclude]
    if not tags:
        return _crowd_fragment(product)
    return f"主打{'、'.join(tags[:2])}"


def _crowd_fragment(product: Product) -> str:
    if product.rating >= 4.7:
        return f"评分{product.rating:g}，买过的人都说好"
    if product.sales >= 10000:
        return f"已售{product.sales / 10000:.1f}万件，很受欢迎"
    return f"评分{product.rating:g}，已售{product.sales}件"


# The kinds of reasons, for the analytics' funnel by reason (推荐理由类型), from the fragments above.
REASON_KINDS = (
    ("个人偏好", ("你之前买过", "你常看", "你平时看的")),
    ("需求匹配", ("正合你的需求",)),
    ("预算", ("预算",)),
    ("品牌", ("正是你要的",)),
    ("颜色尺码", ("有现货", "有你要的")),
)


def reason_kind(reason: str) -> str:
    """The kind of a reason this module wrote: 个人偏好, 需求匹配, 预算, 品牌, 颜色尺码, else 口碑及其他."""
    for kind, markers in REASON_KINDS:
        if any(marker in reason for marker in markers):
            return kind
    return "口碑及其他"
