"""The recommender (推荐引擎) without HTTP: catalog index, request embeddings, profiles, ranking, reasons.

The HTTP service (:mod:`bot.recommender.service`) is a thin layer over
:class:`Recommender`; tests and benchmarks may drive either.

Request texts are embedded with the encoder spec's query prefix and product
texts with its passage prefix (:mod:`bot.encoder.spec`: ``"query: "`` /
``"passage: "`` for e5, none for a plain BERT).
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import replace
from typing import Any, Callable, Optional, Sequence

import numpy as np
import redis.exceptions

from bot.catalog.model import Catalog
from bot.encoder.spec import EncoderSpec, configured_spec
from bot.recommender.embedding_batcher import EmbeddingBatcher
from bot.recommender.index import CatalogIndex
from bot.recommender.query import ProductQuery, RequestError, is_finite_number, resolve_query
from bot.recommender.ranking import rank, wanted_tags_held
from bot.recommender.reasons import reason_for, reason_kind
from bot.store.customer_activity import CustomerActivityStore, CustomerEvent, CustomerProfile

logger = logging.getLogger(__name__)

EmbedTexts = Callable[[Sequence[str], str], np.ndarray]  # (texts, prefix) -> normalised vectors
PROFILE_TIMEOUT_SECONDS = 0.5


class Recommender:
    """``spec`` gives the prefixes; without one, the spec of ``ENCODER_MODEL`` (what the service loads)."""

    def __init__(self, index: CatalogIndex, embed: EmbedTexts, encoder_key: str,
                 activity: CustomerActivityStore, cache_dir=None, spec: Optional[EncoderSpec] = None) -> None:
        self.spec = spec or configured_spec()
        self._index = index
        self._embed = embed
        self._encoder_key = _with_prefixes(encoder_key, self.spec)
        self._cache_dir = cache_dir
        self._activity = activity
        query_prefix = self.spec.query_prefix
        self._queries = EmbeddingBatcher(lambda texts: embed(texts, query_prefix))
        self._swap_lock = asyncio.Lock()
        self._background: set = set()

    @classmethod
    def build(cls, catalog: Catalog, embed: EmbedTexts, encoder_key: str,
              activity: CustomerActivityStore, cache_dir=None, spec: Optional[EncoderSpec] = None) -> "Recommender":
        spec = spec or configured_spec()
        index = CatalogIndex.build(catalog, _passages(embed, spec), _with_prefixes(encoder_key, spec), cache_dir)
        return cls(index, embed, encoder_key, activity, cache_dir, spec)

    @property
    def index(self) -> CatalogIndex:
        return self._index

    async def recommend(self, body: Any) -> dict[str, Any]:
        """Answers a ``POST /recommend`` body; raises :class:`RequestError` for a bad one."""
        index = self._index  # one catalog for the whole request, even if a swap lands meanwhile
        query = resolve_query(body, index.catalog)
        vector = await self._queries.embed(query.text) if query.text else None
        profile = await self._profile(query.customer_id)
        result = rank(index, query, vector, profile)
        if result.budget_reached is not None:  # (三百出头 up to 400: the cards' reasons say the range searched)
            query = replace(query, budget=result.budget_reached)
        cards = []
        held: set[str] = set()
        for item in result.items:
            reason = reason_for(item.product, query, profile, result.relaxed, item.affinity)
            cards.append(item.product.to_card(reason))
            held |= wanted_tags_held(item.product, query.wanted_tags)
        response: dict[str, Any] = {
            "type": "product_cards",
            "products": cards,
            "matched": result.matched,
            "conditions": query.describe(),
            "catalog_version": index.version,
            "message": _message(query, result.relaxed, bool(cards), result.widened),
        }
        if result.relaxed:
            response["relaxed"] = list(result.relaxed)
        if result.widened:
            response["widened"] = list(result.widened)
        # a need no card meets is named by its main tag (显腿细 → 显瘦)
        missing = sorted(query.wanted_tags - held) + [
            need[0] for need in query.needs if not any(wanted_tags_held(item.product, need) for item in result.items)]
        if cards and missing:
            # 还有别的吗 after every 去屑 shampoo was shown: the caller can say these are not 去屑
            response["wanted_tags_missing"] = missing
        if body.get("record_shown") is True and cards:
            self._in_background(self._record_shown(query.customer_id, cards, query.text))
        return response

    def _in_background(self, coroutine) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._background.add(task)  # a task nobody references may be collected before it runs
        task.add_done_callback(self._background.discard)

    async def _record_shown(self, customer_id: str, cards: list, text: str) -> None:
        """曝光 events, off the request path: the customer's reply never waits for analytics."""
        for card in cards:
            product = self._index.catalog.by_id(card["id"])
            if product is None:
                continue
            try:
                await self._activity.record(CustomerEvent(
                    customer_id=customer_id, type="shown", product_id=product.id, category=product.category,
                    brand=product.brand, price=product.price, text=text, reason=reason_kind(card.get("reason", ""))))
            except (redis.exceptions.RedisError, OSError) as error:
                logger.warning("shown event not recorded: %s", error)
                return

    async def _profile(self, customer_id: str) -> CustomerProfile:
        """The customer's profile; an empty one when Redis is slow or down (ranking still works)."""
        try:
            return await asyncio.wait_for(self._activity.profile(customer_id), PROFILE_TIMEOUT_SECONDS)
        except (asyncio.TimeoutError, redis.exceptions.RedisError, OSError) as error:
            logger.warning("profile of %s unavailable, ranking without it: %s", customer_id, error)
            return CustomerProfile()

    async def record_event(self, body: Any) -> str:
        if not isinstance(body, dict):
            raise RequestError("invalid_body", "请求体必须是 JSON 对象")
        product_id = body.get("product_id", "") or ""
        if not isinstance(product_id, str):
            raise RequestError("invalid_product_id", "product_id 必须是字符串", "product_id")
        product = self._index.catalog.by_id(product_id) if product_id else None
        if product_id and product is None:
            raise RequestError("unknown_product", f"没有商品 {product_id}", "product_id")
        text = body.get("text", "") or ""
        if not isinstance(text, str):
            raise RequestError("invalid_text", "text 必须是字符串", "text")
        when = body.get("timestamp", time.time())
        # A shop may report a purchase some time after it happened; never one in the future.
        if not is_finite_number(when) or not 0 < when <= time.time() + 300:
            raise RequestError("invalid_timestamp", "timestamp 必须是不晚于现在的 unix 秒数", "timestamp")
        try:
            event = CustomerEvent(
                customer_id=body.get("customer_id"), type=body.get("type"), product_id=product_id,
                category=product.category if product else "", brand=product.brand if product else "",
                price=product.price if product else None, text=text, timestamp=float(when),
            )
        except (ValueError, TypeError) as error:
            raise RequestError("invalid_event", str(error)) from None
        return await self._activity.record(event)

    def products(self, ids: Sequence[str]) -> list[dict[str, Any]]:
        catalog = self._index.catalog
        return [product.to_dict() for product_id in ids if (product := catalog.by_id(product_id))]

    def named(self, name: str) -> list[dict[str, Any]]:
        """The products that are the model ``name`` (小米平板6), in or out of stock."""
        return [product.to_dict() for product in self._index.catalog.named(name)]

    async def swap_catalog(self, catalog: Catalog) -> CatalogIndex:
        """Encodes only new or changed products, then replaces the index in one assignment."""
        async with self._swap_lock:
            previous = self._index
            loop = asyncio.get_running_loop()
            index = await loop.run_in_executor(None, lambda: CatalogIndex.build(
                catalog, _passages(self._embed, self.spec), self._encoder_key, self._cache_dir, previous,
            ))
            self._index = index
            logger.info("catalog swapped: %s → %s (%d products)", previous.version, index.version, len(catalog))
            return index

    async def close(self) -> None:
        await self._queries.close()


def _passages(embed: EmbedTexts, spec: EncoderSpec):
    """Product texts are passages: the spec's passage prefix."""
    return lambda texts: embed(texts, spec.passage_prefix)


def _with_prefixes(encoder_key: str, spec: EncoderSpec) -> str:
    """The cached product vectors depend on the prefixes too (``encoder_key`` may not say which)."""
    return f"{encoder_key}|{spec.vector_key}"


def _message(query: ProductQuery, relaxed: Sequence[str], found: bool, widened: Sequence[str] = ()) -> str:
    """What the bot can say above the cards."""
    names = {"budget": "预算", "brand": "品牌", "color": "颜色", "size": "尺码"}
    if not found:
        return "抱歉，暂时没有符合条件、还有货的商品。"
    if widened:
        # 两三千的电脑: no laptop fits, tablets do; the customer hears which kind the cards are
        return f"没有符合条件的{'、'.join(query.categories)}，这几款{'、'.join(widened)}符合您的条件："
    if relaxed:
        loosened = "、".join(names[name] for name in relaxed)
        # say what has no stock (耐克 · 黑色 · 43码): the customer may have asked just that
        size = f"{query.size}码" if query.size and query.size.isdigit() else query.size
        budget = query.budget.describe() if query.budget is not None else None  # 500元以内, not 降到五百以内
        wanted = " · ".join(value for value in (query.category_word, query.brand, query.color, size, budget) if value)
        missing = f"（{wanted}）" if wanted else ""
        return f"没有完全符合条件的现货{missing}，放宽了{loosened}，这几款最接近："
    return "为你挑了这几款："
