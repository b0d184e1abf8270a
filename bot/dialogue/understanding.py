"""Understanding a message in its conversation (结合上下文理解): the NLU's intent, corrected by state.

The NLU reads one message alone.  Some messages only make sense with what is on the
customer's screen, and the NLU, trained on messages alone, reads them the wrong way:

| message (with this state)                          | NLU alone             | understood as                |
| -------------------------------------------------- | --------------------- | ---------------------------- |
| 改成蓝色的吧 · 换个便宜点的 (cards shown, no order) | change / exchange     | ``inform_preference``        |
| 还有别的吗 · 换几款 · 再来几个 (cards shown)         | anything              | ``request_more`` (new cards) |
| 有耐克的吗 (cards shown, no product referred to)     | check_stock / info    | ``inform_preference``        |
| 她喜欢护肤 · 要降噪的 (a condition or product word)  | fallback / chit-chat  | a shopping request           |

Everything else keeps the NLU's intent.  ``understand`` is a plain function of the
message and :class:`DialogueState`; the Rasa side is :mod:`bot.policies.understanding_policy`,
which reads the state from the tracker, records the result in the ``understood_intent``
slot (actions read that, not the raw NLU intent) and picks the action for a changed intent.
docs/understanding.md explains the whole path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Optional

# Not a taxonomy intent: a shopping request for other products under the same conditions.
REQUEST_MORE = "request_more"

# Intents the NLU gives a refinement (改成蓝色的) when it thinks of an order instead of the cards.
_ORDER_CHANGE_INTENTS = frozenset({"request_exchange", "change_order_info", "cancel_order"})
# Intents the NLU gives 有耐克的吗 when it thinks of the shown products' stock or properties.
_SHOWN_PRODUCT_INTENTS = frozenset({"check_stock", "ask_product_info"})
# Intents that carry no request of their own: a condition in them is the request.
_WEAK_INTENTS = frozenset({"nlu_fallback", "out_of_scope", "affirm", "greet", "thank"})
CONDITION_ENTITIES = frozenset({"product_category", "brand", "color", "size", "budget"})

# Words that are about an order or a parcel, never about cards on the screen.
_ORDER_WORDS = re.compile(
    r"订单|单号|下单|下的单|买的|买过|收到|到货了|快递|物流|包裹|寄|退|发票|地址|电话|手机号|收货|签收|质量|坏|破|漏")
_MORE = re.compile(
    r"还有(?:别的|其他|其它|什么|没有|吗|嘛|么)|别的(?:款|呢|吗|看看)|其他(?:的|款)|其它(?:的|款)|"
    r"换(?:几|一批|一些|些|点|别的)(?:款|个|样)?|再来(?:几|一些|点)|再(?:推荐|看看|给我看)|多(?:推荐|看)几|"
    r"不喜欢这(?:几|些)|这(?:几|些)(?:款)?都不(?:喜欢|太喜欢|行|要)|下一批|更多")
# 还有别的颜色吗 asks about a shown product's variants, not for other products.
_VARIANTS = re.compile(r"颜色|色|尺码|码|号|配色|款式")
# A refinement of shown products: a new value for a condition, in words.
_REFINE = re.compile(
    r"改成|换成|换个|换一个|要个|要一个|来个|便宜|实惠|贵一?点|高端|预算|以内|以下|左右|大一码|小一码|"
    r"大一号|小一号|颜色|色的|码的|号的")
# Pointing at one of the shown products (这款 · 第二个 · 它), so the question is about that product.
_POINTING = re.compile(r"这|那|它|第\s*[一二两三四五1-5]|[1-5一二三四五]\s*号|[a-e]\s*款")


@dataclass(frozen=True)
class DialogueState:
    """What the conversation has on the table when a message arrives."""

    cards_shown: bool = False  # product cards are on the screen
    order_in_focus: bool = False  # an order was named or the bot asked for one
    shopping: bool = False  # a product search is under way (a category was searched)


@dataclass(frozen=True)
class Understanding:
    intent: str
    reason: str = ""  # why it differs from the NLU's intent; empty when it does not

    @property
    def changed(self) -> bool:
        return bool(self.reason)


def understand(intent: Optional[str], entities: Iterable[Mapping[str, Any]], text: str,
               state: DialogueState, mentions_product_words: bool = False) -> Understanding:
    """The intent of this message in this state.

    ``mentions_product_words``: the text names a category, need or attribute the catalog
    knows (护肤 · 降噪 · 无硅油) even where the NLU marked no entity.
    """
    intent = intent or "nlu_fallback"
    wanted = {entity.get("entity") for entity in entities
              if entity.get("entity") in CONDITION_ENTITIES and entity.get("role") != "rejected"}
    rejected = any(entity.get("role") == "rejected" for entity in entities)
    about_order = bool(_ORDER_WORDS.search(text))
    if state.cards_shown and not state.order_in_focus and not about_order:
        if _MORE.search(text) and not (wanted - {"budget"}) and not _VARIANTS.search(text):
            return Understanding(REQUEST_MORE, "more products under the same conditions")
        if intent in _ORDER_CHANGE_INTENTS and (wanted or rejected or _REFINE.search(text)):
            return Understanding("inform_preference", "a refinement of the products shown, not an order change")
        if intent in _SHOWN_PRODUCT_INTENTS and wanted & {"brand", "product_category"} \
                and not _POINTING.search(text):
            return Understanding("inform_preference", "a brand or category filter over the products shown")
    if intent in _WEAK_INTENTS and (wanted or rejected or mentions_product_words) and not about_order:
        if wanted & {"product_category"} or not (state.shopping or state.cards_shown):
            return Understanding("request_recommendation", "names products to buy")
        return Understanding("inform_preference", "a condition for the search under way")
    return Understanding(intent)
