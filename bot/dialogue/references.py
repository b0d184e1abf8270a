"""Which of the products just shown a customer means (指代消解): ``第二个``, ``2号``, ``这两款``, ``华为那个``."""

from __future__ import annotations

import re
from typing import Mapping, Sequence

from bot.catalog.model import fold

_NUMBERS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_DIGIT = r"([一二两三四五六七八九十]|[1-9]|10)"
_MEASURE = r"(?:个|款|件|双|台|部|条|支|瓶|种|只|套|盒|罐|个商品)"
_ORDINAL = re.compile(rf"第\s*{_DIGIT}\s*{_MEASURE}?")
_NUMBERED = re.compile(rf"(?<![0-9]){_DIGIT}\s*号(?![码])")
_LETTERED = re.compile(r"(?<![a-z])([a-e])\s*款")
_LAST = re.compile(rf"最后(?:一|那)\s*{_MEASURE}|最后面那")
# 最便宜那个 · 贵的那款: the cheapest or dearest of the shown products.
_CHEAPEST = re.compile(r"最便宜|(?<!再)便宜(?:的)?那|价格最低")
_DEAREST = re.compile(r"最贵|(?<![再太])贵(?:的)?那|价格最高")
_FIRST_TWO = re.compile(rf"(?:这|那|前)\s*(?:两|2)\s*{_MEASURE}")
_ALL = re.compile(rf"(?:这|那)?(?:几|三|3)\s*{_MEASURE}(?:都|全部|一起)|全部|都比较")
# Pointing at one or some of the shown products (这款 · 第二个 · 它 · 2号), so a question is about them.
# (那双 · 那台 point at a card; 那部分 · 那条件 · 那只能 do not)
# (还是那个价 · 这个价位 · 那个预算 point at a budget said, not at a product; 这价 能不能少点 bargains over one)
_A_BUDGET_POINTED_AT = r"(?!个?(?:价位|预算))"
POINTING = re.compile(r"这" + _A_BUDGET_POINTED_AT + r"|那款|那个" + _A_BUDGET_POINTED_AT
                      + r"(?!价(?:$|[\s，,。.!！吧的呀啊就也]))"
                      + r"|那[双件台条支瓶部罐套盒](?![子事件分])|那只(?![能好是有])|它|第\s*[一二两三四五1-5]"
                      r"|(?<![大小])[1-5一二三四五]\s*号|[a-e]\s*款")
_LATIN_WORD = re.compile(r"[a-z][a-z0-9+]{2,}|[0-9]{2,}[a-z]*")
# Words many products share say nothing about which one is meant.
_SHARED_MODEL_WORDS = frozenset({"pro", "max", "plus", "air", "mini", "ultra", "lite", "new", "wlan", "gb", "128gb",
                                 "256gb", "512gb", "5g", "4g", "ml", "100ml", "120g"})


def _number(token: str) -> int:
    return _NUMBERS[token] if token in _NUMBERS else int(token)


def referenced_positions(text: str, shown: Sequence[Mapping[str, object]]) -> list[int]:
    """0-based positions in ``shown`` the text refers to, in the order mentioned; [] when none."""
    folded = fold(text)
    count = len(shown)
    found: list[int] = []

    def add(position: int) -> None:
        if 0 <= position < count and position not in found:
            found.append(position)

    if _ALL.search(folded):
        return list(range(count))
    for match in sorted([*_ORDINAL.finditer(folded), *_NUMBERED.finditer(folded)], key=lambda m: m.start()):
        add(_number(match.group(1)) - 1)
    for match in _LETTERED.finditer(folded):
        add(ord(match.group(1)) - ord("a"))
    if _LAST.search(folded):
        add(count - 1)
    prices = [float(product.get("price") or 0) for product in shown]  # type: ignore[arg-type]
    if prices and any(prices) and (_CHEAPEST.search(folded) or _DEAREST.search(folded)):
        add(prices.index(min(prices) if _CHEAPEST.search(folded) else max(prices)))
    if _FIRST_TWO.search(folded) and len(found) < 2:
        add(0)
        add(1)
    for position, product in enumerate(shown):
        if _names(product, folded):
            add(position)
    if not found:
        for position in _described(shown, folded) or _of_gender(shown, folded):
            add(position)
    return found


# 女款那个 · 男士的那件: the products made for one sex, where the titles say 女士/女款/女子 (not 男女同款).
_GENDER_SAID = re.compile(r"(?<!男)([男女])(?:款|士|式|生|子|装|的)(?:的)?(?:那|这)")


def _of_gender(shown: Sequence[Mapping[str, object]], folded_text: str) -> list[int]:
    said = _GENDER_SAID.search(folded_text)
    if not said:
        return []
    titles = [str(product.get("title", "")) for product in shown]
    holding = [position for position, title in enumerate(titles)
               if re.search(rf"(?<!男){said.group(1)}(?:士|款|子|装|式)", title) and "男女" not in title]
    return holding if len(holding) < len(titles) else []


# 头戴那个 · 碎花的那款: a word of the title before 那个, said of some of the shown products, not all.
_DESCRIBED = re.compile(r"([\u4e00-\u9fff]{2,4}?)(?:的)?(?:那个|那款|那双|那台|那件|那条|那支|那瓶|那部)")


def _described(shown: Sequence[Mapping[str, object]], folded_text: str) -> list[int]:
    titles = [fold(str(product.get("title", ""))) for product in shown]
    for match in _DESCRIBED.finditer(folded_text):
        word = match.group(1)
        for start in range(len(word) - 1):  # 要头戴 → 头戴: the shortest tail of two or more the titles hold
            tail = word[start:]
            holding = [position for position, title in enumerate(titles) if tail in title]
            if holding and len(holding) < len(titles):
                return holding
    return []


def _names(product: Mapping[str, object], folded_text: str) -> bool:
    """Whether the text names this product by brand or by a model word of its title (``Pegasus``, ``mate60``)."""
    title = fold(str(product.get("title", "")))
    brand = fold(str(product.get("brand", "")))
    if brand and brand in folded_text:
        return True
    said = set(_LATIN_WORD.findall(folded_text))
    return any(word in said for word in _LATIN_WORD.findall(title) if word not in _SHARED_MODEL_WORDS)


def product_seen_before(events: Sequence[Mapping[str, object]], shown_slot: str = "shown_products",
                        focus_slot: str = "focus_product") -> str:
    """The product the customer looked at before the products on the screen now, or "".

    俩哪个更显白 after 迪奥999 then 小金条: the two meant are the one shown now and the one before.
    That is the earlier product in focus (asked about), or the earlier set's only product; an
    earlier set of several with none asked about names no one product.
    """
    slot_events = [event for event in events if event.get("event") == "slot"]
    current = next((i for i in range(len(slot_events) - 1, -1, -1)
                    if slot_events[i].get("name") == shown_slot and slot_events[i].get("value")), None)
    if current is None:
        return ""
    on_screen = set(slot_events[current].get("value") or [])  # type: ignore[arg-type]
    for event in reversed(slot_events[:current]):
        value = event.get("value")
        if event.get("name") == focus_slot and value and value not in on_screen:
            return str(value)
        if event.get("name") == shown_slot and value:
            earlier = [str(product) for product in value if product not in on_screen]  # type: ignore[union-attr]
            return earlier[0] if len(earlier) == 1 and len(value) == 1 else ""  # type: ignore[arg-type]
    return ""
