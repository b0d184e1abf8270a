"""Shopping conditions (购物条件) that a customer has given so far, and how we say them back."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, fields
from typing import Any, Iterable, Mapping, Optional

from bot.catalog.needs import owned_brand_at
from bot.catalog.vocabulary import (GENERIC_PRODUCT_WORDS, category_words, leaves_named, shipped_product_line,
                                    sold_kinds)
from bot.language.budget import measure_follows, parse_budget
from bot.language.colors import color_family
from bot.language.negation import is_rejected_kind
from bot.language.sizes import canonical_size

# Slot name → how a shop assistant would name the condition in Chinese.
CONDITION_LABELS = {
    "product_category": "品类",
    "brand": "品牌",
    "color": "颜色",
    "size": "尺码",
    "budget": "预算",
}


@dataclass(frozen=True)
class ShoppingConditions:
    product_category: Optional[str] = None
    brand: Optional[str] = None
    color: Optional[str] = None
    size: Optional[str] = None
    budget: Optional[str] = None

    @classmethod
    def from_slots(cls, slots: Mapping[str, Any]) -> "ShoppingConditions":
        values = {}
        for field in fields(cls):
            value = slots.get(field.name)
            if isinstance(value, list):  # two entities of one type in a message: the last wins
                value = value[-1] if value else None
            values[field.name] = str(value).strip() if value not in (None, "") else None
        if values.get("product_category") in GENERIC_PRODUCT_WORDS:  # 买点东西 names no kind
            values["product_category"] = None
        return cls(**values)

    def given(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}


# mac: Apple's computers to most shoppers, the MAC lipstick brand to others; what else is said decides.
_MAC = re.compile(r"(?<![a-z])i?mac(?![a-z])", re.IGNORECASE)
_COSMETICS_WORDS = re.compile(r"口红|唇|色号|试色|化妆|彩妆|魅可|子弹头|粉底|眼影|腮红|高光|散粉|气垫|遮瑕|眉笔|睫毛|卸妆|定妆|香水"
                              r"|护手霜|礼盒|套装|chili|ruby|显白|斩男|女朋友|女友|老婆|闺蜜", re.IGNORECASE)
_COMPUTER_WORDS = re.compile(r"电脑|笔记本|本子|轻薄本|macbook|imac|pro|air|mini|studio|m[1-4](?![0-9])|剪视频|剪辑|编程"
                             r"|写代码|设计|修图|内存|硬盘|屏幕|苹果|系统", re.IGNORECASE)
# Above any lipstick's price: a budget this high for "mac" is a computer's.
_COMPUTER_BUDGET = 1000


def mac_computer_meant(text: str, budget: Optional[str]) -> bool:
    """想买个mac 七千以内 · 大学生用mac够吗: "mac" (which the brands file gives the lipstick brand) meant as Apple's
    computer, by computer words or a budget no lipstick needs; never beside words of make-up (mac口红 · mac的色号)."""
    if not _MAC.search(text) or _COSMETICS_WORDS.search(text):
        return False
    parsed = parse_budget(budget) if budget else None
    top = (parsed.high if parsed.high is not None else parsed.low) if parsed else None
    return bool(re.search(r"imac", text, re.IGNORECASE) or _COMPUTER_WORDS.search(_MAC.sub(" ", text))
                or (top is not None and top >= _COMPUTER_BUDGET))


def names_a_price(budget: str) -> bool:
    """Whether a budget entity the NLU marked is a price at all: 俩一起买包邮吗 has 一起 marked, which
    reads as 1 yuan.  Under 10 yuan a budget is only believed with digits or a unit (5块)."""
    parsed = parse_budget(budget)
    if parsed is None:
        return False
    top = parsed.high if parsed.high is not None else parsed.low
    return top is None or top >= 10 or bool(re.search(r"[0-9]|块|元|钱|毛", budget))


def is_a_price(entity: Mapping[str, Any], text: str) -> bool:
    """Whether a budget entity the NLU marked in ``text`` is a price where it stands: not 一起, and not a
    count the grammar took for one (十来天前签收的那单 · 两三岁的孩子: a measure word follows · 2段: the
    stage of infant formula, inside the span)."""
    if not names_a_price(str(entity.get("value") or "")) or _FORMULA_STAGE.search(str(entity.get("value") or "")):
        return False
    start, end = entity.get("start"), entity.get("end")
    if not (isinstance(start, int) and isinstance(end, int) and text[start:end] == entity.get("value")):
        return True  # offsets of other words (a repaired value): the value alone decides
    number = re.match(r"[0-9]+", text[start:end])
    if _DISCOUNT_BEFORE.search(text[:start]):
        return False  # 能优惠个几十块不 · 再减50: how much off, no price wished for
    # 小米14多少钱: the grammar reads 14多 as "fourteen-odd yuan", but 14 is the model's number
    return not measure_follows(text, end) and not (number and _ends_a_model(text, start, number.group(0)))


# 能优惠个 · 再便宜 · 减 · 少: the amount after them is taken off a price (降到 sets a new ceiling: a price)
# (再便宜点 一百左右 · 比爱他美便宜点 200以内: a wish for cheaper, then the budget itself)
_DISCOUNT_BEFORE = re.compile(r"(?:优惠|便宜|减|(?<![至最不])少|让|降)(?:个|了|掉)?$")  # (至少3000 · 最少两千 are floors)


# 300以内 2段: the NLU may mark a formula's stage as a budget
_FORMULA_STAGE = re.compile(r"[0-9一二三四]\s*段$")
# 28也行 · 那28吧 · 43的呢: a size alone, said again after one was given (the NLU reads 28 as a price)
_BARE_SIZE = re.compile(r"^(?:那|那就|那要|换成?|改成?|要|还是|试试)?\s*([1-4][0-9](?:\.5)?)\s*(?:码|号|腰|的)?\s*"
                        r"(?:也行|也可以|也ok|也成|吧|呢|试试|看看|的呢|有吗|有没有|有不)?[吧呢啊呀嘛～~!！?？。\s]*$",
                        re.IGNORECASE)
# How far from the size given a number may be and still be a size: a waist 27 → 28, a shoe 42 → 44.
_SIZE_STEPS = 4


def size_said_again(text: str, size_before: Any) -> Optional[str]:
    """The size in ``text`` when it is a number alone near ``size_before`` (腰围27 → 28也行), else None."""
    said = _BARE_SIZE.match(text.strip())
    try:  # the slot holds the size as said (27码)
        before = float(canonical_size(str(size_before or "")) or "")
    except ValueError:
        return None
    if said is None or abs(float(said.group(1)) - before) > _SIZE_STEPS:
        return None
    return said.group(1)


def is_a_size(entity: Mapping[str, Any], text: str) -> bool:
    """Whether a size entity the NLU marked in ``text`` is a size: not the number of a model it ends (小米14 ·
    赤兔6, which with the words before them name a product line of the catalog), nor a letter of a model's
    name (三星s24); 小米14 42码 keeps 42."""
    start, end = entity.get("start"), entity.get("end")
    value = str(entity.get("value") or "")
    if value.strip() in ("码", "号", "尺码", "码数"):
        return False  # 还剩哪些码: the word for sizes, no size
    if not (isinstance(start, int) and isinstance(end, int) and text[start:end] == value):
        return True
    if not value.isdigit():
        # 三星s24: a letter inside a model's name is no size
        return not re.match(r"[A-Za-z]{1,4}$", value) or not (
            re.search(r"[A-Za-z0-9]$", text[:start]) or re.match(r"[A-Za-z0-9]", text[end:]))
    if re.match(r"\s*(?:码|号|cm|CM|寸)", text[end:]):
        return True
    return not _ends_a_model(text, start, value)


def _ends_a_model(text: str, start: int, number: str) -> bool:
    """Whether ``number``, written at ``start``, is a model's number: with the words right before it, it names
    a product line of the catalog (小米14 · 赤兔6)."""
    head = re.search(r"[\u4e00-\u9fffA-Za-z]{1,8}$", text[:start])
    if head is None:
        return False
    words = head.group(0)
    kinds = category_words()
    # the end of a kind's name is no line's (洗发水80到120: 水80 is in a title, as 水 800ml)
    return any(shipped_product_line(words[cut:] + number) for cut in range(len(words) - 1)
               if not any(kind.endswith(words[cut:]) for kind in kinds))


# Parts of the body the NLU may mark as a kind (耳道小 · 脚背高): what a product must suit, never a kind.
_BODY_PARTS = frozenset({"耳道", "耳朵", "脚", "脚背", "脸", "头皮", "皮肤", "腰", "腿", "手", "嘴唇", "眼睛", "脖子",
                         "肩膀"})


# Where else one buys (直播间 · 拼多多 · 奥莱 · 官网): never a brand of the shop's (奥莱才三百 marked a brand).
SHOPPING_PLACES = (r"(?:直播间|主播|直播价|看直播|刷直播|直播里|拼多多|pdd|京东|jd|淘宝|某宝|天猫|抖音|快手|得物|闲鱼|唯品会"
                   r"|旗舰店|官网|官方店|专柜|奥莱|实体店|别家|别的店|其他店|别人家|别的平台|其他平台|外面卖)")
_A_SHOPPING_PLACE = re.compile(SHOPPING_PLACES, re.IGNORECASE)


def is_a_condition(entity: Mapping[str, Any], text: str) -> bool:
    """Whether an entity the NLU marked fills its condition where it stands (a price, a size)."""
    kind = entity.get("entity")
    if kind == "budget":
        return is_a_price(entity, text)
    if kind == "size":
        return is_a_size(entity, text)
    if kind == "color" and len(str(entity.get("value") or "").strip()) == 1 \
            and color_family(str(entity.get("value"))) is None:
        return False  # 猪 of 猪肉脯, marked a colour: no colour (姨妈色, unknown, is still told back)
    if kind == "product_category" and str(entity.get("value") or "") in _BODY_PARTS:
        return False  # 降噪不要了 耳道小: where it is worn, no kind of the shop's
    if kind == "brand" and _A_SHOPPING_PLACE.search(str(entity.get("value") or "")):
        return False  # 奥莱才三百: where a price was seen, no brand
    if kind == "brand" and isinstance(entity.get("start"), int) and isinstance(entity.get("end"), int):
        # 我自己用的iphone13 想给我妈换个手机: what the customer has is the setting, not the brand wanted;
        # 华为那个有点贵 一千以内的有没: the brand complained of is not the one asked for
        # 比爱他美便宜点: the brand measured against; bose那单取消吧: the brand of an order
        return not (owned_brand_at(text, entity["start"], entity["end"])
                    or brand_complained_of(text, entity["end"])
                    or re.search(r"比(?:起)?\s*$", text[:entity["start"]])
                    or re.match(r"(?:的)?(?:那|这)?(?:单|个订单|笔订单)|的订单", text[entity["end"]:]))
    return True


# 华为那个有点贵 · 索尼的太贵了 · 苹果家价格偏贵 · 大鹅买不起: the brand just named is too dear (贵点也行 · 贵一点的 wish for more).
_COMPLAINT_AFTER_BRAND = re.compile(r"(?:家|的)?(?:那|这)?(?:个|款|台|部|双|件|只|套|瓶|副|种)?(?:的)?\s?"
                                    r"(?:价格|价钱|价)?(?:(?:有点|有些|也太|太|好|偏|还是|略|实在)*贵(?!(?:一)?点|些|的)"
                                    r"|(?:实在|真)?(?:买不起|消费不起|太奢侈))")


def brand_complained_of(text: str, brand_end: int) -> bool:
    """Whether the brand named just before ``text[brand_end:]`` is said to cost too much."""
    return bool(_COMPLAINT_AFTER_BRAND.match(text, brand_end))


def summarise(conditions: ShoppingConditions) -> str:
    """One line such as ``品类：跑步鞋 · 预算：三百以内``, empty when nothing was given."""
    return " · ".join(
        f"{CONDITION_LABELS[name]}：{value}" for name, value in conditions.given().items()
    )


# Words that say the purchase is a present, not what kind of product it is (送老婆的生日礼物).
# (生日送啥好 · 随个礼 are left to the search: read as presents, a budget answered after them picked presents
# for a reviewer who judged them by the person, one unread conversation lost)
GIFT_WORDS = re.compile(r"礼物|礼品|送礼|送人|伴手礼")
# 送两岁小朋友 · 侄子满月 送点啥: a present for a child, whose kinds are few (toys, snacks): shown as a present's
_CHILD = r"(?:小朋友|小孩|孩子|宝宝|侄子|侄女|外甥女?|儿子|女儿)"
PRESENT_FOR_A_CHILD = re.compile(rf"送(?![货到达])给?[^，。,.!！?？\s]{{0,4}}{_CHILD}(?!上学|去|回|到)"
                                 rf"|{_CHILD}[^，。,.!！?？]{{0,8}}送(?:点|个|些)?(?:啥|什么)")
# The gift words that are category words (礼物 names six kinds); 送礼 is also a wanted attribute (a tag).
GIFT_KIND_WORDS = re.compile(r"礼物|礼品")


def is_gift_without_category(category: Optional[str], text: str, kind_words: Iterable[str] = ()) -> bool:
    """A present with no kind of product named: ask what the person likes before showing anything.

    ``kind_words`` (the catalog's category words): 送男朋友礼物 他平时喜欢跑步 names the kind already.
    """
    if names_a_kind(text, kind_words):
        return False
    return (category is None or GIFT_WORDS.fullmatch(category) is not None) and (
        category is not None or GIFT_WORDS.search(text) is not None or PRESENT_FOR_A_CHILD.search(text) is not None)


def names_a_kind(text: str, kind_words: Iterable[str]) -> bool:
    """Whether the text names a kind of product besides the present itself (礼物 names six kinds); a kind
    refused names none (耳机就算了 他有好几个 · 口红她一堆了)."""
    said = _kinds_said(text, kind_words)
    # 护肤品都用专柜的 … 护肤的别推: a kind refused once is refused where it is said before too
    refused = {leaf for word, refusals in said.items() if True in refusals for leaf in leaves_named(word)}
    return any(False in refusals and not set(leaves_named(word)) <= refused for word, refusals in said.items())


def refused_elsewhere(text: str, word: str, kind_words: Iterable[str]) -> bool:
    """Whether the category word ``word`` is refused where another word for the same kinds stands in ``text``
    (女票护肤品都用专柜的 … 护肤的别推 想送点别的: no skin care); a broader word refused leaves the narrower one
    wanted (电子产品他都有了 就差个耳机)."""
    leaves = set(leaves_named(word))
    contrast = re.search(re.escape(word.lower()) + r"(?:的|哈|啊|呀)?[\s，,]*(?:不是|而不是)([^，。,.!！?？]{1,6})",
                         text.lower())
    if contrast and any(said in contrast.group(1) for said in kind_words):
        return False  # 四百以内的手环 不是手表哈: set against another word for the same kinds, this one is wanted
    refused = [said for said, refusals in _kinds_said(text, kind_words).items()
               if True in refusals and set(leaves_named(said)) <= leaves]
    return bool(leaves) and leaves <= {leaf for said in refused for leaf in leaves_named(said)}


def _kinds_said(text: str, kind_words: Iterable[str]) -> dict:
    """Each kind word the text says (the present's own words aside), with whether it is refused at each place."""
    words = GIFT_WORDS.sub(" ", text).lower()
    return {word: _refusals(words, word) for word in kind_words if word in words}


def _refusals(text: str, word: str) -> list:
    """For each place ``word`` stands in ``text``, whether it is refused there."""
    found, start = [], text.find(word)
    while start >= 0:
        found.append(is_rejected_kind(text, start, start + len(word)))
        start = text.find(word, start + 1)
    return found


def ask_for_gift_category() -> str:
    return ("送礼物呀～先按常送的挑了几样。TA平时喜欢什么呢？美妆护肤、数码，还是零食、玩具？"
            "告诉我TA的喜好和预算，我再帮您换。")


def ask_for_category(conditions: ShoppingConditions) -> str:
    """The question when a customer wants something but has not said what kind of product."""
    summary = summarise(conditions)
    if summary:
        return f"好的，记下了（{summary}）。您想看哪一类商品呢？比如跑步鞋、蓝牙耳机、连衣裙。"
    return "您想看哪一类商品呢？比如跑步鞋、蓝牙耳机、连衣裙、面霜……告诉我预算和喜欢的品牌，我帮您挑。"


def kind_not_sold(kind: str) -> str:
    """The shop has none of ``kind`` (充电宝): said, with the kinds it does sell to choose from."""
    return f"本店暂时没有卖{kind}😅 店里目前有{'、'.join(sold_kinds())}。您想看哪一类？"


# 预算再往上加一千 · 多加500 · 加个两百: the ceiling moves up by an amount (加到800 sets it instead).
_RAISED_BY = re.compile(r"(?:再|往上|多)?加(?:个|上)?\s*([0-9]+(?:\.[0-9]+)?[kKwW千百万]?|[一二两三四五六七八九十百千万]+)\s*(?:块钱|块|元)?"
                        r"(?![0-9到个件双条瓶罐盒台支部套份只袋样款])")  # (再加一个 · 加两瓶: more items, no money)


def raised_budget(text: str, budget: Optional[str]) -> Optional[str]:
    """The budget ``budget`` raised by the amount the text adds (4000到5000 + 加一千 → 4000到6000)."""
    added = _RAISED_BY.search(text)
    current = parse_budget(budget) if budget else None
    amount = parse_budget(f"{added.group(1)}以内") if added else None
    if not (current and current.high and amount and amount.high):
        return None
    high = current.high + amount.high
    return f"{current.low:g}到{high:g}" if current.low else f"{high:g}以内"


# 平替: a stand-in costs a fraction of the product it stands in for, not just less than the average shown.
_STAND_IN = re.compile(r"平替")
STAND_IN_SHARE = 1 / 3
# 两千多 有没有平替 · 一万多太贵了: the price of what is on the screen, said while complaining of it.
# (别太贵 一千多 · 不要太贵: a ceiling wished for, no complaint)
_PRICE_COMPLAINT = re.compile(r"平替|(?<!别)(?<!不要)(?<!不用)(?<!不能)太贵|好贵|这么贵|那么贵|贵死|(?<!太)贵了|贵得|买不起")
_APPROXIMATE_PRICE = re.compile(r"^[0-9一二两三四五六七八九十百千万kw.]+(?:多|几)(?:块|元|块钱)?$", re.IGNORECASE)


# A price said with a complaint is the one wished for when it is this far under every price shown.
_UNDER_THE_SHOWN = 0.8


def names_the_price_complained_of(text: str, budget: Optional[str], shown_prices: Iterable[float] = ()) -> bool:
    """两千多 有没有平替: ``budget`` (as the NLU read it) is the shown product's price, not a budget; 太贵了
    一百多的有吗, well under every price shown, is the price wished for."""
    if not (budget and _APPROXIMATE_PRICE.match(budget.strip()) and _PRICE_COMPLAINT.search(text)):
        return False
    said, prices = parse_budget(budget), [price for price in shown_prices if price > 1]
    return not (said and said.low and prices and said.low < min(prices) * _UNDER_THE_SHOWN)


# 便宜一半的 · 半价的 · 一半的价钱: half the price.
_HALF = re.compile(r"便宜一半|一半(?:的)?(?:价|价格|价钱|钱)|价格减半|砍半|砍一半")  # 第二件半价 is an offer


def shifted_budget(shift_cheaper: bool, text: str, earlier: Optional[str],
                   shown_prices: Iterable[float]) -> Optional[str]:
    """The budget after 便宜点 · 平替 (``shift_cheaper``) or 贵点也行 · 好一点的, from the budget said before and
    the prices on the screen; None when neither gives a bound (a pricier wish then lifts the budget).

    Cheaper is under the shown products' average, a third of it for a 平替, and under the floor of the
    range said before (五百左右 → 便宜点 → 400以内); pricier is over the ceiling said before, or over the
    shown products' average (300以内 → 贵点也行 → 300以上)."""
    prices = [price for price in shown_prices if price > 1]
    average = sum(prices) / len(prices) if prices else None
    before = parse_budget(earlier) if earlier else None
    if shift_cheaper:
        ceilings = []
        if _HALF.search(text) and (average or (before and before.high)):
            # 便宜一半的有吗: half the ceiling said before, or of what the shown products cost
            return f"{math.floor((before.high if before and before.high else average) / 2)}以内"
        if average:
            ceilings.append(math.floor(average * STAND_IN_SHARE) if _STAND_IN.search(text) else math.ceil(average) - 1)
        if before and before.low and before.high:
            ceilings.append(int(before.low))
        return f"{min(ceilings)}以内" if ceilings else None
    if before and before.high:
        return f"{before.high:g}以上"
    return f"{math.floor(average) + 1}以上" if average else None


# A range said with both ends (2000到3000 · 1.5k-2k · 三百以上五百以下), not a ± window around one price.
_SAID_RANGE = re.compile(r"[0-9一二两三四五六七八九十百千万kw]\s*(?:到|至|-|~|—|–|〜)|以上|之间|起")


def combined_budget(new: Optional[str], old: Optional[str], text: str = "") -> Optional[str]:
    """A floor said after a ceiling, or a ceiling after a floor, is the other end of one range
    (800以内, then 五百往上 太便宜的不放心 → 500到800), and a raised ceiling keeps the floor
    (2000到3000, then 上限提到3500 → 2000到3500); None when the new budget simply replaces the old.
    ``text`` is the whole message ``new`` was said in (预算提到500: the verb is outside the budget's words)."""
    said, before = (parse_budget(new) if new else None), (parse_budget(old) if old else None)
    if not (said and before):
        return None
    if said.low and said.high is None and before.high and before.low is None and said.low < before.high:
        return f"{said.low:g}到{before.high:g}"
    if said.high and said.low is None and before.low and before.high is None and before.low < said.high:
        return f"{before.low:g}到{said.high:g}"
    if said.high and said.low is None and before.low and before.high and said.high > before.high \
            and _SAID_RANGE.search(old):
        # 2000到3000 → 上限提到3500: the ceiling rises, the floor said stays (500左右 only guessed one)
        return f"{before.low:g}到{said.high:g}"
    told_range = before.low and before.high and not _GUESSED_RANGE.search(old) and not _BARE_AMOUNT.match(old.strip())
    if told_range and said.high and said.low is None and _NAMES_CEILING.search(text or new) and before.low < said.high:
        # 一两百的 → 上限放到三百吧 · 大几百 → 上限压到七百: one end named, the other stays
        return f"{before.low:g}到{said.high:g}"
    if told_range and said.low and said.high is None and _NAMES_FLOOR.search(text or new) and said.low < before.high:
        # 两三百的 → 下面放到一百五 上面不变
        return f"{said.low:g}到{before.high:g}"
    if _BARE_AMOUNT.match(new.strip()) and (before.high is None) != (before.low is None):
        # 一千五以内 → 不对 一千二 说多了: the amount said alone takes the place of the one bound said before
        amount = parse_budget(f"{new.strip()}以内")
        if amount and amount.high:
            return f"{amount.high:g}以内" if before.high else f"{amount.high:g}以上"
    return None


# 上限 · 下限: the end of a range named, which leaves the other end where it was; 五百左右 only guessed its ends.
# (两三百的 → 预算提到500: the ceiling raised; 4000起 · 不能低于两百: the floor)
# (加到购物车 · 一起 name no end)
_NAMES_CEILING = re.compile(r"上限|最高|封顶|顶多|最多|(?:提|提高|加|涨|放宽|调|升)到\s*[0-9一二两三四五六七八九十百千万]")
_NAMES_FLOOR = re.compile(r"下限|下面|最低|起码|至少|最少|不(?:能|要)?(?:低于|少于)|别(?:低于|少于)"
                          r"|[0-9二两三四五六七八九十百千万]起(?:步)?(?![来床])")
_GUESSED_RANGE = re.compile(r"左右|上下|差不多|大概|大约|附近|来|把|档")
# 一千二 · 800 · 1.2k: an amount with no word saying which bound it is (左右 · 以内 · 多 say one).
# (一两百 · 三四百 are two amounts, a range of their own: not bare)
_BARE_AMOUNT = re.compile(r"^(?!.*[一二两三四五六七八九][一二两三四五六七八九])[0-9一二两三四五六七八九十百千万kKwW.]+(?:块钱|块|元)?$")


# 换个牌子看看 · 有别的品牌吗 · 看看别家的: the same products from other brands than those shown.
_OTHER_BRAND = re.compile(r"(?:别的|其他|其它|另外的?|另一个|不同的?)(?:牌子|品牌)|换(?:个|一个|一|下|别的)?(?:牌子|品牌)"
                          r"|别家(?:的)?|换(?:一)?家")
# 颜色无所谓了 · 价格不限 · 尺码都行 · 牌子也不挑了: words that let a condition go.
_LET_GO = r"(?:无所谓|都行|都可以|随便|不限|不重要|不讲究|不挑|没要求|不要求)"
# 不限牌子 · 什么牌子都行 · 牌子也不限了 · 有没有平替 (a cheaper stand-in, of another brand): the brand is no
# condition any more.
_ANY_BRAND = re.compile(rf"平替|不限(?:牌子|品牌)|(?:什么|啥|哪个|哪家|任何)(?:牌子|品牌)都(?:行|可以|好|中|ok)"
                        rf"|(?:牌子|品牌)(?:上|方面)?(?:也|就|都)?{_LET_GO}|不(?:挑|认|看|在乎)(?:牌子|品牌)", re.IGNORECASE)
# 腰围27 · 27腰: a waist size said the way jeans are sold (the NLU reads 42码, not these).
# (束腰 40元 · 护腰 25以内 · 40的腰包 · 30的腰带: no waist size)
_WAIST = re.compile(r"腰围(?:换成|改成|要|是)?\s*([2-4][0-9])(?![0-9])|(?<![束护弯扭闪])腰([2-4][0-9])(?![0-9元块以左到岁秒])"
                    r"|(?<![0-9])([2-4][0-9])\s*(?:的)?腰(?![包带])")
# 她穿37 · 平时穿42码的: a shoe size someone wears, which the NLU may leave unmarked or read as a price.
_WEARS_SHOE = re.compile(r"穿(?:的是)?\s*(3[4-9]|4[0-6])(?![0-9])(?:\.5)?"
                         # 帆布鞋 37 白色 200以内: a shoe size alone after the shoes (no price word after it)
                         r"|鞋子?[^0-9，。,.]{0,6}?(?<![0-9.])(3[4-9]|4[0-6])(?![0-9.])(?!\s*(?:块|元|以内|以下|左右|多|k|w|出头))",
                         re.IGNORECASE)
# 宝宝刚出生 一段那种: the stage of infant formula (奶粉的段), which the NLU may leave unmarked.
_MILK_STAGE = re.compile(r"(?<![0-9一二三四五六七八九十])([1-4一二三四])段")
_STAGES = {"1": 1, "2": 2, "3": 3, "4": 4, "一": 1, "二": 2, "三": 3, "四": 4}
# 三十八码的 · 四十二号: a size said in Chinese numerals, which the NLU may leave unmarked (三十号之前 is a date)
_SPOKEN_SIZE = re.compile(r"(?<![零一二两三四五六七八九十百千万])([二三四]十[一二三四五六七八九]?)\s*(码|号)")
# 二尺一 · 腰围二尺三: a waist in 尺 and 寸 (市尺), as the waist size of jeans (inches) it is sold as
_WAIST_IN_CHI = re.compile(r"(一尺九|[二两]尺[一二三四五六]|(?<=腰)[二两]尺|(?<=腰围)[二两]尺)(?![一二三四五六七八九])")
_CHI_TO_WAIST = {"一尺九": "25", "二尺": "26", "二尺一": "27", "二尺二": "29", "二尺三": "30", "二尺四": "32",
                 "二尺五": "33", "二尺六": "34"}


def asks_other_brand(text: str) -> bool:
    return bool(_OTHER_BRAND.search(text))


def drops_brand(text: str) -> bool:
    return bool(_ANY_BRAND.search(text))


# The conditions a customer lets go by name (the brand: _ANY_BRAND).
# (颜色 · 尺码, never a bare 色 or 码: 黑色都行 · 42码都行 accept a value, they let nothing go)
_CONDITION_WORDS = {"color": r"颜色", "size": r"尺码|码数|大小", "budget": r"价格|价钱|价位|预算|贵不贵"}
# 什么色都可以 · 多大码都行 · 多少钱都行: any value will do (here a bare 色 or 码 is the condition's name)
_ANY_VALUE_WORDS = {"color": r"颜色|色", "size": r"尺码|码", "budget": r"价位|价格|价钱|钱"}


def dropped_conditions(text: str) -> set:
    """The conditions the message lets go: brand, color, size, budget (不限牌子 · 颜色无所谓了)."""
    dropped = {"brand"} if drops_brand(text) else set()
    for name, words in _CONDITION_WORDS.items():
        # (不看价格 · 不管预算 · 不考虑价钱 最好的是哪个: the budget let go)
        if re.search(rf"(?:{words})(?:上|方面)?(?:也|就|都)?{_LET_GO}|(?:不限|不挑|不在乎|不看|不管|不考虑)(?:{words})", text):
            dropped.add(name)
    for name, words in _ANY_VALUE_WORDS.items():  # 什么色都可以 · 多大码都行
        if re.search(rf"(?:什么|啥|哪个|任何|多少|多大)(?:{words})都(?:行|可以|好|中|ok|成)", text, re.IGNORECASE):
            dropped.add(name)
    return dropped


# 洁面也来一个 同牌子 · 要他家的 · 再看看他家耳机: the brand stays for the next kind of product.
_SAME_BRAND = re.compile(r"同(?:一个|一|个)?(?:牌子|品牌)|一样的(?:牌子|品牌)|还是这个牌子|也要这个牌子|(?:他|它|她)(?:们)?家"
                         r"|(?:这|那)(?:个牌子|家)(?:的|还有|有没有|有啥|有什么)"
                         # 这个牌子别的呢 · 这牌子其他款有吗
                         # (这牌子还有点小贵 换个牌子吧 · 这个牌子别的都挺好 就是太贵: the brand dropped)
                         r"|(?:这|那)个?(?:牌子|品牌)(?:的)?(?:别的|其他|其它|别款|还有)(?!点|别的(?:牌子|品牌)|都|也)")
# 同样的预算，篮球鞋也看看 · 咖啡也要这个价位的 · 耳机也按这个预算 · 差不多价位的: the budget goes with the next kind.
_SAME_BUDGET = re.compile(r"(?:同样|一样|相同|这个|同一个?|差不多|类似|相近)的?(?:预算|价位|价格|价钱|价)"
                          r"|也按这个(?:预算|价)|预算(?:也)?(?:一样|不变|照旧)|(?:价位|价格|价钱|预算)(?:也)?差不多"
                          # 口红也看看 还是那个价 · 价格还是那个
                          r"|(?:还是|也是|就)(?:那个|这个)(?:预算|价位|价格|价钱|价)|(?:价位|价格|价钱|预算)(?:还是|也是)(?:那个|这个|一样)"
                          # 送双跑鞋 还是那个钱 · 钱还是那么多 · 别超预算: the money for the present stays
                          r"|(?:还是|也是|同样的?|一样的?)(?:那个|这个|那些|这些|那么多)?钱(?!包)|钱(?:还是|也是|就)(?:那么多|那些|这些|那个数)"
                          r"|(?:钱|价钱|价格|预算)(?:也|都)?(?:一样|不变|照旧)(?![吗么嘛不没])"  # 要不还是整个平板吧 钱一样
                          r"|(?:别|不|不要|不能|不会)超(?:过|出)?(?:预算|这个数|这个钱|那个数)")
# 板鞋 一样的码和预算 · 同样的尺码跟颜色: several conditions named to go with the next kind
_SAME_NAMED = re.compile(r"(?:同样|一样|相同|同一个?)的?((?:(?:尺码|码数|码|颜色|预算|价位|价格|价钱|牌子|品牌)(?:和|跟|、|,|，)?){1,4})")
_NAMED_CONDITIONS = (("size", "码"), ("color", "颜色"), ("budget", "预算|价"), ("brand", "牌"))


# 算了还是刚才那个价位吧 · 预算还是按原来的: the budget said before the last change, back again
_EARLIER_BUDGET = re.compile(r"(?:还是|回到|就按|按|还按|用回)(?:刚才|之前|原来|开始|一开始|最开始|最早)(?:那个|的|说的)?"
                             r"(?:价位|预算|价格|价钱|价)|(?:价位|预算)(?:还是|就)?(?:按|用)?(?:刚才|之前|原来)的")


def goes_back_to_earlier_budget(text: str) -> bool:
    return bool(_EARLIER_BUDGET.search(text))


def earlier_budget(events: Iterable[Mapping[str, Any]], current: Optional[str]) -> Optional[str]:
    """The budget in force before ``current`` in this session, read from the tracker's events
    (None if there was none): what 算了还是刚才那个价位吧 goes back to."""
    budgets: list = []
    for event in events:
        if event.get("event") == "session_started":
            budgets = []
        elif event.get("event") == "slot" and event.get("name") == "budget":
            budgets.append(event.get("value"))
    for value in reversed(budgets):
        if value and value != current:
            return value
    return None


# 打错字了 我说的是耳机不是手表 · 搞错了 要的是平板: the kind was misheard or mistyped; what else was said stands
_CORRECTS_THE_KIND = re.compile(r"(?:打|说|写|搞|弄|看|听)错了?|口误|不对[，,\s]*(?:是|应该是)|应该是"
                                r"|我(?:说|要|问|找)的(?:是|明明是)"
                                # 不是手表 是耳机 (不是给我自己用 是送人 · 不是很懂 are no kind corrected)
                                r"|不是(?![给很太特别都为])[^，。,.]{1,6}[，,\s]*(?:是|而是)(?![送给为])"
                                r"|是[^，。,.]{1,6}[，,\s]*不是(?![给很太特别都为])")


# 跟AirPods Pro差不多价位的 · 和索尼那款价格差不多的: the price of a product named is the budget; the product itself
# (its brand) is no condition
_PRICED_LIKE = re.compile(r"(?:跟|和|与|同|像)([^，。,.？?\s][^，。,.？?]{1,19}?)(?:差不多|一样|相近|类似)的?(?:价位|价格|价钱|价)"
                          r"|(?:跟|和|与|同)([^，。,.？?\s][^，。,.？?]{1,19}?)的?(?:价位|价格|价钱)(?:差不多|一样|相近)")


def priced_like(text: str) -> Optional[str]:
    """``AirPods Pro`` of 跟AirPods Pro差不多价位的: what the budget is to be like, or None."""
    found = _PRICED_LIKE.search(text)
    return (found.group(1) or found.group(2)).strip() if found else None


def corrects_the_kind(text: str) -> bool:
    """打错字了 我说的是耳机不是手表: the kind named replaces one misheard, the budget said for it stays."""
    return bool(_CORRECTS_THE_KIND.search(text))


# 有没有更百搭一点的 休闲鞋也行: another kind allowed beside the one searched, for the same budget and size
# (贵点也行 · 颜色深一点也行 allow no kind)
_ALSO_FINE = re.compile(r"(?:的)?(?:也行|也可以|也成|也ok)(?:吧|啊|哈)?(?:[\s，,。.!！]|$)", re.IGNORECASE)


def another_kind_allowed(text: str) -> bool:
    """有没有更百搭一点的 休闲鞋也行: the kind named is allowed beside the one searched, with its budget and size."""
    folded = text.lower()
    return any(any(folded[:found.start()].endswith(word) for word in category_words())
               for found in _ALSO_FINE.finditer(folded))


# (手表 cards →) 你们这还有啥好东西 推荐推荐 · 别的东西也看看: other kinds than the one looked at, none named
# (还有别的吗 · 有别的颜色吗 want more of the same kind)
_ANYTHING_ELSE = re.compile(r"(?:还有|还卖|别的|其他|其它)(?:啥|什么|些|哪些)?(?:好东西|好物|东西|宝贝)")


def asks_for_anything_else(text: str) -> bool:
    """你们这还有啥好东西: other things than the kind looked at, without naming one (the kind is asked).
    (还有什么东西比这个便宜 · 还有什么东西能送女朋友 · 我还有东西没收到 ask something else)"""
    return bool(_ANYTHING_ELSE.search(text)) and not names_a_kind(text, category_words()) \
        and not GIFT_WORDS.search(text) and not re.search(r"比|送|没收到|没到|没发", text)


def kept_conditions(text: str) -> set:
    """The conditions said to go with the next kind of product (同牌子 · 同样的预算 · 一样的码和预算)."""
    kept = {"brand"} if _SAME_BRAND.search(text) else set()
    if _SAME_BUDGET.search(text):
        kept.add("budget")
    for found in _SAME_NAMED.finditer(text):
        kept.update(name for name, word in _NAMED_CONDITIONS if re.search(word, found.group(1)))
    return kept


def size_in_words(text: str) -> Optional[str]:
    """``腰围27`` → ``27`` · ``她穿37`` → ``37`` · ``三十八码`` → ``38`` · ``二尺二`` → ``29`` · ``一段那种`` → ``1段``;
    None when no such size is said."""
    found = _WAIST.search(text)
    if found:
        return next(group for group in found.groups() if group)
    worn = _WEARS_SHOE.search(text)
    if worn:
        return worn.group(1) or worn.group(2)
    spoken = _SPOKEN_SIZE.search(text)
    size = canonical_size(spoken.group(1)) if spoken else None
    if size and (spoken.group(2) == "码" or float(size) > 31):  # no month has a 32nd
        return size
    chi = _WAIST_IN_CHI.search(text)
    if chi:
        return _CHI_TO_WAIST[chi.group(1).replace("两", "二")]
    stage = _MILK_STAGE.search(text)
    return f"{_STAGES[stage.group(1)]}段" if stage else None
