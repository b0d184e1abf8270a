"""A product request (商品需求) as the recommender reads it: hard conditions resolved against the catalog.

The conditions arrive as customers wrote them (slot values from the NLU:
``Nike``, ``运动鞋``, ``三百以内``, ``白的``, ``42码``); :func:`resolve_query` turns them
into catalog terms (canonical brand, leaf categories, a yuan range, a colour
family, a size label) or raises :class:`RequestError` saying which one it cannot read.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional

from bot.catalog.model import KINDS_JOINER, Catalog, fold, load_domestic_brands, with_model_names
from bot.catalog.vocabulary import GENERIC_PRODUCT_WORDS, made_in_china_wanted
from bot.language.ages import child_age_in_months
from bot.language.budget import BudgetRange, parse_budget
from bot.language.colors import color_family
from bot.language.negation import is_rejected_kind
from bot.language.normalize import normalize, to_simplified
from bot.language.sizes import canonical_size
from bot.catalog.needs import AUDIENCE_TAGS, KINDS_A_NEED_MAY_NAME, kinds_meeting_needs, needs_in
from bot.store.customer_activity import check_customer_id

MAX_TEXT_LENGTH = 2000
MAX_LIMIT = 20
DEFAULT_LIMIT = 5
CONDITION_NAMES = ("product_category", "brand", "color", "size", "budget")
# An attribute shared by more kinds of product than this (送礼, 性价比) names no kind.
MAX_CATEGORIES_FROM_TAGS = KINDS_A_NEED_MAY_NAME


class RequestError(ValueError):
    """A request the recommender refuses: ``code`` for programs, ``message`` in Chinese for people."""

    def __init__(self, code: str, message: str, field_name: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field_name

    def to_json(self) -> dict[str, str]:
        return {"error": self.code, "field": self.field, "message": self.message}


@dataclass(frozen=True)
class ProductQuery:
    """Hard conditions in catalog terms plus the free text for semantic ranking."""

    customer_id: str
    text: str = ""
    categories: tuple[str, ...] = ()
    category_word: str = ""
    # Kinds the category word also covers (电脑 → 平板电脑): searched when none of ``categories`` fits.
    wider_categories: tuple[str, ...] = ()
    budget: Optional[BudgetRange] = None
    brand: Optional[str] = None
    color: Optional[str] = None
    size: Optional[str] = None
    limit: int = DEFAULT_LIMIT
    exclude: frozenset[str] = field(default_factory=frozenset)
    # Brands the customer wants other than (换个牌子: those of the products shown).
    exclude_brands: frozenset[str] = field(default_factory=frozenset)
    # Attributes the customer's words ask for (降噪 · 无硅油 · 油皮), as catalog tags: ranked up, not required.
    wanted_tags: frozenset[str] = field(default_factory=frozenset)
    # The needs in the customer's words, each as the tags that meet it (老人用 → {长辈, 大屏}): a product meeting
    # more of them ranks higher; never reported missing.
    needs: tuple[tuple[str, ...], ...] = ()
    # Conditions the customer stated last: loosened only after the older ones.
    newest: tuple[str, ...] = ()
    # 便宜的 (-1) / 好一点的 (+1): the price the words wish for when no budget was given; ranked, not required.
    price_wish: int = 0
    # Conditions the customer accepted loosened (relaxed on the cards just shown, not said again):
    # loosened before any other.
    loosen_first: tuple[str, ...] = ()
    # The age of the child the product is for (宝宝十个月 · 外甥三岁), in months: toys for older children give way.
    child_age_months: Optional[float] = None

    def given(self) -> tuple[str, ...]:
        """Names of the relaxable conditions the customer gave, in the contract's vocabulary."""
        names = []
        if self.budget is not None:
            names.append("budget")
        for name in ("brand", "color", "size"):
            if getattr(self, name):
                names.append(name)
        return tuple(names)

    def describe(self) -> dict[str, Any]:
        return {
            "categories": list(self.categories),
            "budget": None if self.budget is None else {
                "low": self.budget.low, "high": self.budget.high, "text": self.budget.text,
                "description": self.budget.describe(),
            },
            "brand": self.brand, "color": self.color, "size": self.size,
            "category_word": self.category_word or None,
            "wanted_tags": sorted(self.wanted_tags),
        }


# 买 · 要个 · 看看 · 找双 before a kind's word, which the NLU may mark with it (买鞋).
_VERB_BEFORE_A_KIND = re.compile(r"^(?:想|要|买|看看|看|找|挑|选|来|整|入)+(?:个|双|件|台|部|条|款|点|些|一[个双件台部条款])?")


def resolve_query(body: Any, catalog: Catalog) -> ProductQuery:
    """Validates a ``POST /recommend`` body (see docs/recommender.md) against ``catalog``."""
    if not isinstance(body, Mapping):
        raise RequestError("invalid_body", "请求体必须是 JSON 对象", "")
    try:
        customer_id = check_customer_id(body.get("customer_id"))
    except ValueError as error:
        raise RequestError("invalid_customer_id", f"customer_id 无效：{error}", "customer_id") from None
    text = _optional_text(body, "text", MAX_TEXT_LENGTH)
    conditions = body.get("conditions", {})
    if conditions is None:
        conditions = {}
    if not isinstance(conditions, Mapping):
        raise RequestError("invalid_conditions", "conditions 必须是对象", "conditions")
    unknown = sorted(set(conditions) - set(CONDITION_NAMES))
    if unknown:
        raise RequestError(
            "unknown_condition", f"不认识的条件：{', '.join(map(str, unknown))}", "conditions"
        )
    # 智能手錶 · 一千出頭: read as simplified, as the NLU reads them (fold() does width and case)
    values = {name: _simplified_or_none(_condition_text(conditions, name)) for name in CONDITION_NAMES}
    # (af1 · 飞马40: a model by its nickname is read as its titles write it)
    text = with_model_names(to_simplified(text)) if text else text

    categories: tuple[str, ...] = ()
    line_brand = None
    category_word = values["product_category"] or ""
    if category_word in GENERIC_PRODUCT_WORDS:  # 想给宝宝买点东西: no kind said; the words still rank
        category_word = ""
    if category_word:
        categories = catalog.leaf_categories_for(category_word)
        if not categories:
            # 洗面乃 氨基酸: a span past the kind's word, or the kind misspelt; a word of it may name one whole
            # (手机壳 stays unknown: no word of it is a kind)
            category_word, categories = next(
                ((word, catalog.leaf_categories_for(word)) for word in normalize(category_word).split()
                 if catalog.leaf_categories_for(word)), (category_word, ()))
        if not categories:
            # 买鞋 · 要个耳机: the verb marked with the kind
            bare = _VERB_BEFORE_A_KIND.sub("", category_word)
            if bare and catalog.leaf_categories_for(bare):
                category_word, categories = bare, catalog.leaf_categories_for(bare)
        line = None if categories else catalog.product_line(category_word)
        if line:  # 看看ThinkPad: a product line, read as its brand and its kind
            line_brand, categories = line
            category_word = categories[0] if len(categories) == 1 else ""
        if not categories:
            raise RequestError(
                "unknown_category", f"本店没有“{category_word}”这类商品", "conditions.product_category"
            )
    elif text:
        category_word, categories = categories_in_text(text, catalog)
    wanted_tags = catalog.tags_in(text)
    if len(categories) > 1 and KINDS_JOINER in category_word:
        # 跑鞋、篮球鞋: kinds the customer offered as alternatives; only a wanted tag some lack narrows them
        categories = _kinds_carrying(categories, wanted_tags, catalog)
    elif len(categories) > 1 and text:
        categories = narrowed_categories(categories, text, wanted_tags, catalog)
        category_word = categories[0] if len(categories) == 1 else category_word
    if not categories:
        categories = kinds_from_tags(text or "", wanted_tags, catalog)
        category_word = categories[0] if len(categories) == 1 else ""
    refused = refused_kinds(text or "", catalog)
    if refused and (not values["product_category"] or set(categories) - refused):
        # 送男朋友 五百以内 耳机就算了 他有好几个: kinds guessed from the words, or the kinds of a present
        # (礼物), less those the words refuse (他爱听歌 耳机就算了: none left of a guess, the kind is asked)
        categories = tuple(kind for kind in categories if kind not in refused)
        category_word = categories[0] if len(categories) == 1 else category_word

    budget = None
    if values["budget"]:
        budget = parse_budget(values["budget"])
        if budget is None or (budget.high is not None and budget.high <= 0):
            raise RequestError("invalid_budget", f"看不懂预算“{values['budget']}”", "conditions.budget")
    budget = _numeric_budget(body, budget)
    if not values["product_category"] and categories and budget is not None and _A_PRESENT.search(text or ""):
        # 兄弟生日 他天天打游戏 送点啥 三百以内: his liking points at laptops, the budget rules them out; a
        # present is chosen among what the budget buys, so the kinds read from the words that it cannot buy
        # were a wrong guess (a kind the NLU marked stays, and its budget is loosened as ever)
        categories = affordable_kinds(categories, budget, catalog) or tuple(
            kind for kind in affordable_kinds(kinds_from_tags(text or "", wanted_tags, catalog), budget, catalog)
            if kind not in refused)
        # (男朋友生日 他喜欢打游戏 一千五以内: no laptop within it; the kinds carrying 游戏 that it buys)
        category_word = categories[0] if len(categories) == 1 else ""

    brand = line_brand
    if values["brand"]:
        brand = catalog.canonical_brand(values["brand"])
        line = catalog.product_line(values["brand"])
        leading = catalog.leading_brand(values["brand"]) if brand is None and line is None else None
        if leading:  # nike空军一号: the brand, then its model, which may name the kind
            brand, rest = leading
            line = catalog.product_line(rest) if rest else None
            line = line if line and line[0] == brand else None
        # 赤兔 · 詹姆斯 · ThinkPad: a product line, read as its brand and its kind (a brand's own name
        # covers all its kinds, or too many of them to narrow anything)
        if line and brand in (None, line[0]) and fold(values["brand"]) != fold(line[0]) \
                and len(line[1]) <= MAX_CATEGORIES_FROM_TAGS:
            brand, line_categories = line
            narrowed = tuple(leaf for leaf in categories if leaf in line_categories)
            if narrowed or not categories:
                categories = narrowed or line_categories
                category_word = categories[0] if len(categories) == 1 else category_word
        if brand is None and text:  # canada goose, tagged as two brands: goose alone names none
            brand = catalog.brand_spelled_out(text, values["brand"])
        if brand is None:
            raise RequestError("unknown_brand", f"本店没有“{values['brand']}”这个品牌", "conditions.brand")
    if brand is None and text:
        # 他是汤普森的粉丝 有KT的吗 · 要ultraboost: a line in Latin letters, no brand said, names its brand
        # (brand names themselves are left to the NLU, which also reads their refusals: 不要oppo)
        line = catalog.line_in_words(text)
        if line and len(line[1]) <= MAX_CATEGORIES_FROM_TAGS and (not categories or set(categories) & set(line[1])):
            brand = line[0]
            categories = tuple(leaf for leaf in categories if leaf in line[1]) or line[1]
            category_word = categories[0] if len(categories) == 1 else category_word
    if brand and (not categories or (len(categories) > 1 and not values["product_category"])):
        # 看看ThinkPad · 李宁韦德之道有咩, the brand already read: the line in the words names the kind too,
        # also among the kinds a wish guessed (有thinkpad吗 办公用: 办公 is on laptops and tablets)
        for word in _line_words(text, catalog):
            line = catalog.product_line(word)
            if line and line[0] == brand and len(line[1]) <= MAX_CATEGORIES_FROM_TAGS \
                    and (not categories or set(line[1]) & set(categories)):
                categories = tuple(leaf for leaf in categories if leaf in line[1]) or line[1]
                category_word = categories[0] if len(categories) == 1 else category_word
                break

    if brand and categories and not values["product_category"]:
        made = catalog.brand_categories(brand)
        if made and not set(categories) & set(made):
            # garmin咋样 想入一个跑马拉松用: the brand was named, the kind only read from other words
            # (跑马拉松 → 跑步鞋); a kind the brand does not make gives way to its own (智能手表)
            categories = made
            category_word = made[0] if len(made) == 1 else ""

    color = None
    if values["color"]:
        color = color_family(values["color"])
        if color is None:
            raise RequestError("invalid_color", f"看不懂颜色“{values['color']}”", "conditions.color")

    size = None
    if values["size"]:
        size = canonical_size(values["size"])
        if size is None:
            raise RequestError("invalid_size", f"看不懂尺码“{values['size']}”", "conditions.size")
        if len(categories) > 1:
            # 宝宝 (奶粉 · 玩具) + 1段: only the kinds that come in that size
            sized = {product.category for product in catalog
                     if product.category in categories and size in product.sizes}
            if sized and len(sized) < len(categories):
                categories = tuple(leaf for leaf in categories if leaf in sized)
                category_word = categories[0] if len(categories) == 1 else category_word

    wider = tuple(leaf for leaf in catalog.wider_categories_for(category_word)
                  if leaf not in categories and leaf not in refused) if category_word else ()
    return ProductQuery(
        customer_id=customer_id, text=text, categories=categories, category_word=category_word,
        wider_categories=wider,
        budget=budget, brand=brand, color=color, size=size,
        limit=_limit(body), exclude=_exclude(body),
        exclude_brands=_exclude_brands(body, catalog) | (
            frozenset() if brand else brands_of_another_origin(text or "", categories, catalog)),
        wanted_tags=wanted_tags, needs=tuple(need for need in needs_in(text or "") if not wanted_tags.intersection(need)),
        newest=_condition_names(body, "newest"),
        loosen_first=_condition_names(body, "loosen_first"), price_wish=price_wish(text or ""),
        child_age_months=child_age_in_months(text or ""),
    )


def brands_of_another_origin(text: str, categories: tuple[str, ...], catalog: Catalog,
                             domestic: Optional[frozenset] = None) -> frozenset[str]:
    """The brands to leave out when the words say where a brand should be from: those made elsewhere for
    国产的就行, those made in China for 不要国产的 (``domestic``: the shop's list, domestic_brands.yml); none
    when that would leave the kinds no brand at all."""
    wanted = made_in_china_wanted(text)
    if wanted is None:
        return frozenset()
    domestic = load_domestic_brands() if domestic is None else domestic
    present = {product.brand for product in catalog if not categories or product.category in categories}
    left_out = present - domestic if wanted else present & domestic
    return frozenset(left_out) if present - left_out else frozenset()


def narrowed_categories(categories: tuple[str, ...], text: str, wanted_tags: frozenset,
                        catalog: Catalog) -> tuple[str, ...]:
    """A broad kind made narrower by the customer's other words (运动鞋 + 跑步穿的 → 跑步鞋;
    衣服 + 速干的 → T恤, the only clothes that are 速干), or the kinds as they were."""
    folded = fold(text)
    narrowest = categories
    for length in range(min(len(folded), _LONGEST_KIND_WORD), 0, -1):
        for start in range(0, len(folded) - length + 1):
            leaves = catalog.leaf_categories_for(folded[start:start + length])
            if leaves and set(leaves) < set(narrowest) and not _inside_latin_word(folded, start, start + length) \
                    and not is_rejected_kind(folded, start, start + length) \
                    and not (folded[start:start + length].endswith("表") and _KIN.match(folded[start + length:])):
                narrowest = tuple(leaf for leaf in categories if leaf in leaves)
    if len(narrowest) > 1:
        narrowest = _by_stem(narrowest, folded) or narrowest
    narrowest = _kinds_carrying(narrowest, wanted_tags, catalog)
    # 男装 + 过冬穿的 → 羽绒服: a need only some of the kinds meet (保暖) names those kinds too; not a need
    # that speaks of the person (送礼 · 长辈 · 学生), which every kind of a present can meet
    needed = {tag for need in needs_in(text) if not AUDIENCE_TAGS.intersection(need) for tag in need}
    narrowest = _kinds_carrying(narrowest, needed, catalog)
    if len(narrowest) > 1 and _FOR_A_MAN.search(folded):
        narrowest = tuple(leaf for leaf in narrowest if leaf not in _WOMENS_KINDS) or narrowest
    # a present (礼物: toys among six kinds) for a child is a toy or snacks; for a grown-up, no toy (宝宝 · 娃
    # alone, no present, keep the baby's milk)
    present = _A_PRESENT.search(folded) is not None or set(categories) == set(catalog.leaf_categories_for("礼物"))
    if len(narrowest) > 1 and present and _FOR_A_CHILD.search(folded):
        narrowest = tuple(leaf for leaf in narrowest if leaf in _CHILDRENS_KINDS) or narrowest
    elif len(narrowest) > 1 and present and _FOR_A_GROWN_UP.search(folded):
        narrowest = tuple(leaf for leaf in narrowest if leaf not in _CHILDRENS_ONLY_KINDS) or narrowest
    return narrowest


def kinds_from_tags(text: str, wanted_tags: frozenset, catalog: Catalog) -> tuple[str, ...]:
    """No kind named, but what is wanted belongs to one or two kinds of product: 有去屑的吗 → 洗发水 ·
    办公室饿了 要独立包装的 → 零食 (办公 speaks of the person, as in AUDIENCE_TAGS) · 冬天骑车穿的 → 羽绒服
    (a need, 保暖); () when it would be a guess among more."""
    for tags in (wanted_tags, wanted_tags - AUDIENCE_TAGS):
        tagged = catalog.categories_with_tags(tags) if tags else ()
        if 0 < len(tagged) <= MAX_CATEGORIES_FROM_TAGS:
            # the tags said count with the needs told (嘴唇颜色淡 拍照老显得没气色: 拍照 is a phone's tag, 嘴唇 and
            # 气色 outvote it for a lipstick); a tie among more kinds leaves the tags' kinds
            return kinds_meeting_needs(text, catalog.categories_with_tags, catalog.categories(),
                                       told_tags=tags) or tagged
    return kinds_meeting_needs(text, catalog.categories_with_tags, catalog.categories())


def affordable_kinds(categories: tuple[str, ...], budget: BudgetRange, catalog: Catalog) -> tuple[str, ...]:
    """The kinds of ``categories`` with a product in stock the ``budget``'s ceiling buys (all, without one)."""
    if budget.high is None:
        return categories
    return tuple(kind for kind in categories
                 if (cheapest := catalog.cheapest_in_stock(kind)) is not None and cheapest <= budget.high)


def _kinds_carrying(categories: tuple[str, ...], tags, catalog: Catalog) -> tuple[str, ...]:
    """The kinds whose products carry one of ``tags`` (衣服 + 速干 → T恤), when some but not all do."""
    if len(categories) <= 1 or not tags:
        return categories
    carried = set(catalog.categories_with_tags(tags))
    if carried & set(categories) and not set(categories) <= carried:
        return tuple(leaf for leaf in categories if leaf in carried)
    return categories


def _by_stem(categories: tuple[str, ...], folded: str) -> tuple[str, ...]:
    """鞋 + 要休闲一点的 → 休闲鞋: kinds named by what sets them apart from the others of a broad kind
    (跑步鞋 · 篮球鞋 · 休闲鞋 share 鞋; their stems are 跑步 · 篮球 · 休闲), unless refused (不要休闲的)."""
    ending = os.path.commonprefix([leaf[::-1] for leaf in categories])[::-1]
    if not ending:
        return ()
    named = []
    for leaf in categories:
        stem = leaf[:-len(ending)]
        at = folded.find(stem) if len(stem) >= 2 else -1
        if at >= 0 and not is_rejected_kind(folded, at, at + len(stem)):
            named.append(leaf)
    return tuple(named)


# 给我儿子买衣服 · 送男朋友的礼物: for a man or a boy, no dress and no lipstick.
# 送点啥 · 生日礼物 · 送他: a present (送货 · 送到 speak of delivery).
_A_PRESENT = re.compile(r"送(?![货到达])|礼物|礼品|生日")
_FOR_A_MAN = re.compile(r"儿子|老公|男朋友|男友|老爸|我爸|爸爸|爷爷|外公|姥爷|公公|岳父|弟弟|哥哥|男生|男孩|男士|男款|(?<!其)他"
                        r"|男(?:同事|同学|领导|老师|性|的)|兄弟|哥们")
_WOMENS_KINDS = frozenset({"连衣裙", "口红"})
_FOR_A_CHILD = re.compile(r"小孩|孩子|小朋友|宝宝|娃|侄子|侄女|外甥|表弟|表妹|堂弟|堂妹|上小学|幼儿园|(?<![0-9])(?:[1-9]|1[0-2])岁"
                          r"|(?<![十])[一二三四五六七八九十]岁")
_FOR_A_GROWN_UP = re.compile(r"老公|老婆|男朋友|女朋友|男友|女友|对象|闺蜜|同事|领导|老师|客户|爸|妈|爷爷|奶奶|外公|外婆|姥姥|姥爷"
                             r"|公公|婆婆|岳父|岳母|兄弟|哥们|朋友(?!家)")
_CHILDRENS_KINDS = frozenset({"儿童玩具", "零食"})
_CHILDRENS_ONLY_KINDS = frozenset({"儿童玩具", "婴儿奶粉"})
# 表弟 · 表姐: a cousin, not a watch (表)
_KIN = re.compile(r"(?:弟|妹|哥|姐|叔|姑|舅|侄)")


def categories_in_text(text: str, catalog: Catalog) -> tuple[str, tuple[str, ...]]:
    """The longest category word in free text (``想买双运动鞋`` → ``运动鞋``), for requests the NLU missed;
    not one the words refuse (``耳机就算了 他有好几个``)."""
    refused = refused_kinds(text, catalog)  # 护肤品都用专柜的 … 护肤的别推: refused where it is said again
    for word, start, leaves in _kind_words(text, catalog):
        if not is_rejected_kind(fold(text), start, start + len(word)) and not set(leaves) <= refused:
            return word, leaves
    return "", ()


def refused_kinds(text: str, catalog: Catalog) -> frozenset[str]:
    """The kinds of product the words refuse: 耳机就算了 · 他口红一堆了 · 手机刚换 · 不要零食."""
    folded = fold(text)
    return frozenset(leaf for word, start, leaves in _kind_words(text, catalog)
                     if is_rejected_kind(folded, start, start + len(word)) for leaf in leaves)


# (basketball shoes: English kind words are long)
_LONGEST_KIND_WORD = 16


def _kind_words(text: str, catalog: Catalog):
    """(word, start, kinds) of every category word in ``text``, longest first."""
    folded = fold(text)
    for length in range(min(len(folded), _LONGEST_KIND_WORD), 0, -1):
        for start in range(0, len(folded) - length + 1):
            word = folded[start:start + length]
            if word != word.strip():
                continue  # (提神的 别推零食: the refusal after the space is of 零食, not of a word that takes the space in)
            leaves = catalog.leaf_categories_for(word)
            if leaves and not _inside_latin_word(folded, start, start + length):
                yield word, start, leaves


def _inside_latin_word(text: str, start: int, end: int) -> bool:
    """pad in thinkpad: a latin word that is part of a longer one."""
    def letter(position: int) -> bool:
        return 0 <= position < len(text) and text[position].isascii() and text[position].isalpha()
    return letter(start) and (letter(start - 1) or letter(end))


def _optional_text(body: Mapping[str, Any], name: str, limit: int) -> str:
    value = body.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RequestError(f"invalid_{name}", f"{name} 必须是字符串", name)
    return value.strip()[:limit]


def _line_words(text: str, catalog: Catalog) -> list[str]:
    """Words of ``text`` that may be a product line: Latin words (thinkpad), model numbers (501), and the
    start of each Han run after a brand name (李宁韦德之道有咩 → 韦德之道, 韦德之, 韦德)."""
    folded = fold(text)
    # thinkpad · levis 501 · KT (a line of the brand already said, so two letters are enough)
    words = re.findall(r"(?<![a-z])[a-z][a-z0-9]+|(?<![0-9.])[0-9]{3,}(?![0-9.])", folded)
    for run in re.findall(r"[\u4e00-\u9fff]{2,}", folded):
        leading = catalog.leading_brand(run)
        rest = leading[1] if leading else run
        words += [rest[:length] for length in (4, 3, 2) if len(rest) >= length]
    return words


def _simplified_or_none(value: Optional[str]) -> Optional[str]:
    return to_simplified(value) if value else value


def _condition_text(conditions: Mapping[str, Any], name: str) -> Optional[str]:
    value = conditions.get(name)
    if isinstance(value, list):  # two entities of one kind in one message: the last wins
        value = value[-1] if value else None
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise RequestError("invalid_condition", f"条件 {name} 必须是文字", f"conditions.{name}")
    text = str(value).strip()
    if len(text) > 100:
        raise RequestError("invalid_condition", f"条件 {name} 太长了", f"conditions.{name}")
    return text or None


def _numeric_budget(body: Mapping[str, Any], budget: Optional[BudgetRange]) -> Optional[BudgetRange]:
    """``budget_min`` / ``budget_max`` in yuan, for clients that already have numbers."""
    low = _price(body, "budget_min")
    high = _price(body, "budget_max")
    if low is None and high is None:
        return budget
    if low is not None and high is not None and low > high:
        raise RequestError("invalid_budget", "budget_min 不能大于 budget_max", "budget_min")
    text = budget.text if budget else f"{low or 0:g}-{high:g}" if high is not None else f"{low:g}以上"
    return BudgetRange(low=low, high=high, text=text)


def is_finite_number(value: Any) -> bool:
    """A JSON number a float can hold (not a bool, not NaN or infinity, not an integer of 400 digits)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def _price(body: Mapping[str, Any], name: str) -> Optional[float]:
    value = body.get(name)
    if value is None:
        return None
    if not is_finite_number(value):
        raise RequestError("invalid_budget", f"{name} 必须是数字", name)
    if value < 0:
        raise RequestError("invalid_budget", f"{name} 不能是负数", name)
    return float(value)


def _limit(body: Mapping[str, Any]) -> int:
    value = body.get("limit", DEFAULT_LIMIT)
    if value is None:
        return DEFAULT_LIMIT
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_LIMIT:
        raise RequestError("invalid_limit", f"limit 必须是 1 到 {MAX_LIMIT} 的整数", "limit")
    return value


def _condition_names(body: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = body.get(key, [])
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(item, str) and item in CONDITION_NAMES for item in value):
        raise RequestError(f"invalid_{key}", f"{key} 必须是条件名的列表（{', '.join(CONDITION_NAMES)}）", key)
    return tuple(value)


def _exclude_brands(body: Mapping[str, Any], catalog: Catalog) -> frozenset[str]:
    value = body.get("exclude_brands", [])
    if value is None:
        return frozenset()
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise RequestError("invalid_exclude_brands", "exclude_brands 必须是品牌名的列表", "exclude_brands")
    return frozenset(catalog.canonical_brand(item) or item for item in value[:50])


def _exclude(body: Mapping[str, Any]) -> frozenset[str]:
    value = body.get("exclude", [])
    if value is None:
        return frozenset()
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise RequestError("invalid_exclude", "exclude 必须是商品 id 的列表", "exclude")
    return frozenset(value[:200])


_CHEAP = re.compile(r"便宜|实惠|平价|平替|性价比|学生党|省钱|白菜价|不贵|穷|预算(?:不多|有限|紧)")
_NOT_CHEAP = re.compile(r"太便宜|不要便宜|别太便宜|便宜的不|不求便宜|不差钱|不在乎价|贵点没事|贵一点也行")
_PRICEY = re.compile(r"高端|旗舰|顶配|贵一点|贵点的|好一点的|档次|不差钱|贵点没事|贵一点也行|最好的")


def price_wish(text: str) -> int:
    """-1 for 便宜的 · 学生党 · 平替, +1 for 高端 · 好一点的 · 不差钱, else 0 (太便宜的不放心 wishes no low price)."""
    if _PRICEY.search(text):
        return 1
    return -1 if _CHEAP.search(text) and not _NOT_CHEAP.search(text) else 0
