"""Hard filters and ranking (筛选与排序).

Every product returned satisfies every condition of the query (category, budget,
brand, colour, size, in stock in that colour and size) unless the result says
which conditions were loosened (``relaxed``), and only when nothing matched.
Among matching products the order mixes semantic closeness to the request text,
popularity and rating priors, and the customer's own history.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, replace
from typing import Iterable, Optional

import numpy as np

from bot.catalog.model import Product, fold
from bot.catalog.needs import AUDIENCE_TAGS
from bot.language.ages import suits_from_months
from bot.language.budget import BudgetRange
from bot.language.colors import color_family
from bot.recommender.index import CatalogIndex
from bot.recommender.query import ProductQuery
from bot.store.customer_activity import CustomerProfile

# The order in which conditions are loosened when nothing matches: a size or
# colour that is sold out matters less to most customers than brand or budget.
RELAXATION_ORDER = ("size", "color", "budget", "brand")

SEMANTIC_WEIGHT = 1.0
POPULARITY_WEIGHT = 0.35
QUALITY_WEIGHT = 0.25
CATEGORY_AFFINITY_WEIGHT = 0.6
BRAND_AFFINITY_WEIGHT = 0.9
PRICE_LEVEL_WEIGHT = 0.3
BUDGET_CENTRE_WEIGHT = 0.15
REBUY_WEIGHT = 0.3
# Each attribute the customer asked for (降噪) that the product has, in its tags or title.
WANTED_TAG_WEIGHT = 1.2
# Each need said in the customer's words (老人用 → 长辈 · 大屏) the product meets, however many of its tags do.
NEEDED_TAG_WEIGHT = 1.0
# A loosened budget ranks the closest prices first: a relative distance of 10% costs this much.
BUDGET_DISTANCE_WEIGHT = 3.0
# 便宜的 / 好一点的 without a budget: one standard deviation of log-price among the matches is
# worth as much as the words' meaning (SEMANTIC_WEIGHT), so a ¥2499 pair no longer leads 便宜的耳机.
PRICE_WISH_WEIGHT = 1.0


@dataclass(frozen=True)
class Ranked:
    product: Product
    score: float
    affinity: float  # share of the score owed to the customer's history


@dataclass(frozen=True)
class RankedResult:
    items: tuple[Ranked, ...]
    relaxed: tuple[str, ...] = ()
    matched: int = 0  # products satisfying every condition
    widened: tuple[str, ...] = ()  # the wider kinds searched because none of the word's own fitted
    # the budget searched when it reached past its range (三百出头 to 400) because nothing was in it
    budget_reached: Optional[BudgetRange] = None


def satisfies(product: Product, query: ProductQuery, relaxed: Iterable[str] = (),
              color_families: Optional[frozenset[str]] = None) -> bool:
    """Whether ``product`` meets every condition of ``query`` except the ``relaxed`` ones."""
    relaxed = frozenset(relaxed)
    if query.categories and product.category not in query.categories:
        return False
    if query.budget is not None and "budget" not in relaxed and not query.budget.contains(product.price):
        return False
    if query.brand and "brand" not in relaxed and product.brand != query.brand:
        return False
    color = query.color if "color" not in relaxed else None
    size = query.size if "size" not in relaxed else None
    if color:
        families = color_families if color_families is not None else frozenset(
            filter(None, map(color_family, product.colors)))
        if color not in families:
            return False
    if size and size not in product.sizes:
        return False
    colors = [c for c in product.colors if color_family(c) == color] if color else [None]
    return any(product.in_stock(c, size) for c in colors)


def candidate_positions(index: CatalogIndex, query: ProductQuery, relaxed: Iterable[str] = (),
                        profile: Optional[CustomerProfile] = None) -> np.ndarray:
    relaxed = frozenset(relaxed)
    if query.categories:
        pools = [index.by_category.get(leaf, np.zeros(0, dtype=int)) for leaf in query.categories]
        positions = np.concatenate(pools) if pools else np.zeros(0, dtype=int)
    else:
        positions = np.arange(len(index.products))
    if query.budget is not None and "budget" not in relaxed and len(positions):
        prices = index.prices[positions]
        keep = np.ones(len(positions), dtype=bool)
        if query.budget.low is not None:
            keep &= prices >= query.budget.low
        if query.budget.high is not None:
            keep &= prices <= query.budget.high
        positions = positions[keep]
    if len(positions):
        keep = index.available[positions]
        if query.brand and "brand" not in relaxed:
            keep &= index.brands[positions] == query.brand
        if query.exclude_brands:
            keep &= ~np.isin(index.brands[positions], list(query.exclude_brands))
        positions = positions[keep]
    bought = profile.bought if profile else frozenset()
    needs_variant_check = bool(query.color or query.size)
    if not (needs_variant_check or query.exclude or bought):
        return positions  # the vectorised filters above were every condition
    kept = []
    for position in positions.tolist():
        product = index.products[position]
        if product.id in query.exclude:
            continue
        if product.id in bought and not product.consumable:
            continue  # a durable product the customer already owns is not pushed again
        if satisfies(product, query, relaxed, index.color_families[position]):
            kept.append(position)
    return np.array(kept, dtype=int)


def rank(index: CatalogIndex, query: ProductQuery, query_vector: Optional[np.ndarray],
         profile: CustomerProfile) -> RankedResult:
    """The best ``query.limit`` products, loosening conditions only when none matches them all, and
    only after the wider kinds of the customer's word (电脑 → 平板电脑) were searched too."""
    positions = candidate_positions(index, query, profile=profile)
    widened: tuple[str, ...] = ()
    if not len(positions) and query.wider_categories:
        wider_query = replace(query, categories=query.categories + query.wider_categories)
        positions = candidate_positions(index, wider_query, profile=profile)
        if len(positions):
            query, widened = wider_query, query.wider_categories
    budget, reached = query.budget, None
    if not len(positions) and budget is not None and (budget.loose_high is not None or budget.soft_floor):
        # 三百出头 with nothing between 300 and 360: up to 400 is still what was said, nothing is loosened
        # (一千五六 with nothing between 1500 and 1600: anything up to 1600)
        loosest = replace(budget, high=budget.loose_high or budget.high, low=None if budget.soft_floor else budget.low,
                          loose_high=None, soft_floor=False)
        loose_query = replace(query, budget=loosest)
        positions = candidate_positions(index, loose_query, profile=profile)
        if len(positions):
            query, reached = loose_query, loose_query.budget
    relaxed: tuple[str, ...] = ()
    matched = len(positions)
    if not matched:
        for loosened in relaxations(query.given(), query.newest, query.loosen_first):
            positions = candidate_positions(index, query, loosened, profile)
            if len(positions):
                relaxed = loosened
                break
    if not len(positions):
        return RankedResult((), relaxed=(), matched=0)
    if query.child_age_months is not None:
        positions = _old_enough_for(index, positions, query.child_age_months, query.wanted_tags)
    scores, affinity = _scores(index, query, query_vector, profile, positions, relaxed)
    order = np.argsort(-scores, kind="stable")[: query.limit]
    items = tuple(
        Ranked(index.products[positions[i]], float(scores[i]), float(affinity[i])) for i in order
    )
    return RankedResult(items, relaxed=relaxed, matched=matched, widened=widened, budget_reached=reached)


# A toy for a child a little older is still a fair present (闺蜜生娃了: a 学步车 from six months).
GROWS_INTO_MONTHS = 6


def _old_enough_for(index: CatalogIndex, positions: np.ndarray, age_months: float,
                    wanted: frozenset[str] = frozenset()) -> np.ndarray:
    """The products a child of ``age_months`` is, or soon will be, old enough for (a toy tagged 3岁以上 is not for
    a one-year-old), or all of them when none is: a product with no age of its own suits any, and so does one the
    customer asked for by a tag of its own (给三岁儿子买个变形金刚: the card tells its age), though not by one any
    product may carry (送礼 · 性价比: 给一岁宝宝送礼 still wants a toy for a one-year-old)."""
    own_tags = wanted - AUDIENCE_TAGS
    suited = [position for position in positions.tolist()
              if (suits_from_months(index.products[position].tags) or 0) <= age_months + GROWS_INTO_MONTHS
              or wanted_tags_held(index.products[position], own_tags)]
    return np.array(suited, dtype=int) if suited else positions


def relaxations(given: Iterable[str], newest: Iterable[str] = (),
                loosen_first: Iterable[str] = ()) -> Iterable[tuple[str, ...]]:
    """Sets of conditions to loosen, smallest first, each in ``RELAXATION_ORDER``.

    The ``newest`` conditions (what the customer just said) are loosened only when loosening every
    older one is not enough: 三千以内 after 苹果 紫色 平板 drops the brand and the colour together
    before the new budget.  ``loosen_first`` come before all (and count as older): 要黑色 after cards
    that loosened the brand keeps it loosened.
    """
    given, newest, first = set(given), set(newest) - set(loosen_first), set(loosen_first)
    older = ([name for name in RELAXATION_ORDER if name in given and name in first]
             + [name for name in RELAXATION_ORDER if name in given and name not in newest | first])
    names = older + [name for name in RELAXATION_ORDER if name in given and name in newest]
    for size in range(1, len(older) + 1):
        yield from itertools.combinations(older, size)
    for size in range(1, len(names) + 1):
        yield from (loosened for loosened in itertools.combinations(names, size) if not set(loosened) <= set(older))


def _scores(index: CatalogIndex, query: ProductQuery, query_vector: Optional[np.ndarray],
            profile: CustomerProfile, positions: np.ndarray,
            relaxed: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    scores = POPULARITY_WEIGHT * index.popularity[positions] + QUALITY_WEIGHT * index.quality[positions]
    if query_vector is not None and len(positions) > 1:
        semantic = index.vectors[positions] @ query_vector
        spread = semantic.std()
        # e5 similarities sit in a narrow band; standardising makes the weight mean the same everywhere.
        if spread > 1e-6:
            scores = scores + SEMANTIC_WEIGHT * (semantic - semantic.mean()) / spread
    if query.wanted_tags:
        scores = scores + WANTED_TAG_WEIGHT * np.array(
            [_wanted_tags_held(index.products[position], query.wanted_tags) for position in positions.tolist()])
    if query.needs:
        scores = scores + NEEDED_TAG_WEIGHT * np.array(
            [sum(bool(wanted_tags_held(index.products[position], need)) for need in query.needs)
             for position in positions.tolist()])
    prices = index.prices[positions]
    budget = query.budget
    if query.price_wish and budget is None and len(positions) > 1:
        log_prices = np.log(np.maximum(prices, 1.0))
        if log_prices.std() > 1e-6:
            scores = scores + PRICE_WISH_WEIGHT * query.price_wish * (log_prices - log_prices.mean()) / log_prices.std()
    if budget is not None and "budget" in relaxed:
        scores = scores - BUDGET_DISTANCE_WEIGHT * 10 * _relative_distance(prices, budget.low, budget.high)
    elif budget is not None and budget.low is not None and budget.high is not None and budget.high > budget.low:
        centre = (budget.low + budget.high) / 2
        scores = scores + BUDGET_CENTRE_WEIGHT * (1 - np.abs(prices - centre) / (budget.high - centre))
    affinity = np.zeros(len(positions))
    if not profile.is_empty:
        for row, position in enumerate(positions.tolist()):
            product = index.products[position]
            boost = (CATEGORY_AFFINITY_WEIGHT * profile.category_affinity(product.category)
                     + BRAND_AFFINITY_WEIGHT * profile.brand_affinity(product.brand))
            if profile.price_level:
                closeness = 1 - min(1.0, abs(math.log(max(product.price, 1) / max(profile.price_level, 1))))
                boost += PRICE_LEVEL_WEIGHT * closeness
            if product.consumable and product.id in profile.bought:
                boost += REBUY_WEIGHT
            affinity[row] = boost
        scores = scores + affinity
    return scores, affinity


def _wanted_tags_held(product: Product, wanted: frozenset[str]) -> int:
    return len(wanted_tags_held(product, wanted))


def wanted_tags_held(product: Product, wanted: Iterable[str]) -> set[str]:
    """The wanted attributes (降噪 · 去屑) the product's tags or title carry."""
    described = fold(" ".join(product.tags) + " " + product.title)
    return {tag for tag in wanted if tag in described}


def _relative_distance(prices: np.ndarray, low: Optional[float], high: Optional[float]) -> np.ndarray:
    """How far outside [low, high] each price lies, relative to the bound it misses (0 inside)."""
    distance = np.zeros(len(prices))
    if low is not None:
        distance += np.maximum(0, low - prices) / max(low, 1)
    if high is not None:
        distance += np.maximum(0, prices - high) / max(high, 1)
    return distance
