"""Entity repairs after the NLU model (实体修正): a budget range as one entity, refused conditions marked,
kinds named only as what goes with the product dropped.

Plain functions over Rasa's entity dicts, used by the components in bot/nlu/ and tested without Rasa.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Iterable, List

from bot.language.budget import budget_text, find_budget, names_a_price_at
from bot.language.colors import color_family, colour_spans, is_a_colour_word
from bot.language.negation import REJECTED, is_rejected, is_rejected_kind
from bot.language.sizes import beyond_any_size

# What a customer can take back (不要蓝色 · 耐克的算了); budgets and order numbers are replaced instead.
REJECTABLE = frozenset({"color", "brand", "size", "product_category"})
# Entities the model may run into a budget (智能手表 1000-1500): cut at the budget's start.
TRIMMABLE = frozenset({"product_category", "brand", "color"})


def merged_entities(text: str, entities: Iterable[Dict[str, Any]], overrides: frozenset,
                    extractor: str) -> List[Dict[str, Any]]:
    """``entities`` with the budget the grammar finds in ``text`` as one entity over its span."""
    # 399那双篮球鞋咋付款啊 · 159那双: a price pointing at something, never its size (篮球鞋要250码的 is one)
    entities = [entity for entity in entities if not _price_taken_for_a_size(text, entity)]
    span = find_budget(text)
    if span is None:
        return [entity for entity in entities if not _names_no_price(text, entity)]
    start, end = span
    kept = []
    for entity in entities:
        overlaps = entity["start"] < end and entity["end"] > start
        if overlaps and entity.get("entity") in overrides:
            continue
        if entity.get("entity") in TRIMMABLE and start <= entity["start"] and entity["end"] <= end:
            continue  # 两千到三千的佳明和华为: the model read the price as a brand; a price is no brand
        if not overlaps and _names_no_price(text, entity):
            continue  # 3岁以上能玩的 100以内: the age is no second budget beside the price
        if not overlaps and entity.get("entity") == "budget" and _REFUSED_PRICE.search(text[:entity["start"]]):
            continue  # 预算就五百 别给我推两千的: the price refused is no second budget
        if not overlaps and entity.get("entity") == "budget" and _BARE_SIZE_NUMBER.fullmatch(str(entity["value"])) \
                and not _PRICE_CUE_AFTER.match(text, entity["end"]):
            # 跑鞋 六百左右 43: beside the price, a bare shoe or clothes number is the size
            entity = {**entity, "entity": "size"}
        if overlaps and entity.get("entity") in TRIMMABLE and entity["start"] < start:
            # 智能手表 1000 | -1500: the category ran into the budget; it ends where the budget begins
            trimmed = text[entity["start"]:start].rstrip()
            entity = {**entity, "end": entity["start"] + len(trimmed), "value": trimmed}
        kept.append(entity)
    if any(entity["start"] < end and entity["end"] > start for entity in kept):
        return entities  # the span covers another kind of entity (型号, 订单号): trust the model
    # The pieces' extractor stays (an evaluation per extractor still counts DIET's budget, now whole);
    # "processors" names who changed it, as Rasa's EntitySynonymMapper does.
    pieces = [entity for entity in entities if entity.get("entity") == "budget" and entity["start"] < end
              and entity["end"] > start]
    merged = {"entity": "budget", "start": start, "end": end, "value": budget_text(text, start, end),
              "extractor": pieces[0].get("extractor", extractor) if pieces else extractor,
              "confidence_entity": max((piece.get("confidence_entity") or 1.0) for piece in pieces) if pieces else 1.0}
    if pieces:
        merged["processors"] = [*pieces[0].get("processors", []), extractor]
    kept.append(merged)
    return sorted(kept, key=lambda entity: entity["start"])


# A number that may be a size (shoes 35-48, waists 25-34, kids' 20s) and what would make it a price after it.
_BARE_SIZE_NUMBER = re.compile(r"[2-4][0-9](?:\.5)?")
_PRICE_CUE_AFTER = re.compile(r"\s*(?:块|元|rmb|以内|以下|以上|左右|上下|多|出头|到|至|-|~|～)", re.IGNORECASE)
# 别给我推两千的 · 不要上千的: a price said to be refused, beside the budget the grammar found.
_REFUSED_PRICE = re.compile(r"(?:别|不要|不想要|甭)(?:给我|再)?(?:推|推荐|看|要|来|整)?(?:那种|这种)?(?:上)?$")


# 399那双 · 159块那件 · 2699的那个: a sum pointing at a product or an order; 码 · 号 · mm after it make it a size
_POINTED_AFTER = re.compile(r"\s*(?:块|元)?(?:的)?那(?:双|件|个|款|条|台|部|单|瓶)")
_SIZE_WORD_AFTER = re.compile(r"\s*(?:码|号|mm|cm|厘米)", re.IGNORECASE)


def _price_taken_for_a_size(text: str, entity: Dict[str, Any]) -> bool:
    if entity.get("entity") != "size" or _SIZE_WORD_AFTER.match(text, entity["end"]) \
            or re.search(r"码|号", str(entity.get("value") or "")):
        return False
    pointed = _POINTED_AFTER.match(text, entity["end"])
    # (42那双 is the pair in 42: only a number no shoe or waist reaches, or a sum in 块, points as a price)
    return beyond_any_size(str(entity.get("value") or "")) or bool(pointed and (
        re.match(r"\s*(?:块|元)", text[entity["end"]:]) or re.fullmatch(r"[1-9][0-9]{2,}", str(entity.get("value")))))


def _names_no_price(text: str, entity: Dict[str, Any]) -> bool:
    """The model's budget that is no price where it stands (3岁以上 · 一起发 · 个子一米 · 体重一百三)."""
    return entity.get("entity") == "budget" and not names_a_price_at(text, entity["start"], entity["end"])


# Words for the body that hold a colour character (白屑 · 黑眼圈 · 红血丝 · 她皮肤白): what a product treats or
# whom it suits, not its colour.
_BODY_WORDS_WITH_COLOUR = re.compile(r"白屑|头皮屑|黑头|黑眼圈|红血丝|痘印|白发|白头发|黄牙|红肿|红疹|发红|发黄|泛红|暗黄"
                                     r"|(?:皮肤|肤色|脸)(?:很|比较|挺|特别|偏|有点)?[白黑黄]|白皙|显白|黄皮|黑皮")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _overlaps(start: int, end: int, spans: Iterable[tuple]) -> bool:
    return any(other_start < end and other_end > start for other_start, other_end in spans)


def with_missed_colours(text: str, entities: Iterable[Dict[str, Any]], extractor: str) -> List[Dict[str, Any]]:
    """``entities`` and the colours the model did not mark (偏棕一点 · 米白色 · 棕调的), where no entity is;
    without a colour the model marked that names none beside one that does (有粉色的吗，是个女宝)."""
    # 头皮老是痒 还掉白屑: a colour character in a word for the body is no colour wished for
    body = [(found.start(), found.end()) for found in _BODY_WORDS_WITH_COLOUR.finditer(text)]
    entities = [entity for entity in entities
                if not (entity.get("entity") == "color" and _overlaps(entity["start"], entity["end"], body))]
    # 豆沙色那种有吗: a colour the model took for a kind, which 色 after it shows it is
    entities = [{**entity, "entity": "color"} if entity.get("entity") == "product_category"
                and text[entity["end"]:entity["end"] + 1] == "色" and text[entity["end"] + 1:entity["end"] + 2] != "号"
                and is_a_colour_word(text[entity["start"]:entity["end"]]) else entity for entity in entities]
    colours = [entity for entity in entities if entity.get("entity") == "color"]
    if any(color_family(str(entity.get("value") or "")) for entity in colours):
        entities = [entity for entity in entities
                    if entity.get("entity") != "color" or color_family(str(entity.get("value") or ""))]
    added = [{"entity": "color", "start": start, "end": end, "value": text[start:end], "extractor": extractor,
              "confidence_entity": 1.0}
             for start, end in colour_spans(text)
             if not any(entity["start"] < end and entity["end"] > start
                        and not _colour_of_kind_word(text, entity, start) for entity in entities)
             and not _overlaps(start, end, body)]
    return sorted(entities + added, key=lambda entity: entity["start"]) if added else entities


def _colour_of_kind_word(text: str, entity: Dict[str, Any], start: int) -> bool:
    """Whether the colour at ``start`` opens the kind word ``entity`` marks (白T: a white T-shirt), and is still
    wished for beside the kind."""
    return entity.get("entity") == "product_category" and entity["start"] == start \
        and re.fullmatch(r"[\u4e00-\u9fff]{1,2}(?:t|t恤|t桖)", text[start:entity["end"]].lower()) is not None


# Pinyin initials shoppers write for people (lg 老公 · lp 老婆 · npy 男朋友 · xjj 小姐姐) and sounds typed while thinking
# (emmm · hhh · okk), which the model may mark as brands the shop does not sell.
_NO_BRAND = re.compile(r"lg|lp|bf|gf|npy|ld|xjj|xgg|233+|666+"
                       r"|e+m+|h*m{2,}|ok+|okay|h{2,}|(?:ha){2,}|(?:he){2,}|en{2,}|o{2,}|a{2,}", re.IGNORECASE)


def with_missed_brands(text: str, entities: Iterable[Dict[str, Any]], spans: Iterable[tuple],
                       extractor: str, kind_words: frozenset = frozenset()) -> List[Dict[str, Any]]:
    """``entities`` and the brands at ``spans`` (start, end, canonical name) that no entity covers: DIET
    learned the aliases of its examples, and 有没有杨树林的口红 left YSL unmarked.  A brand the model
    marked on one Chinese character or letter that no span covers (塞耳朵里听歌用的 → 塞 · u) is dropped: no
    brand is one character, and an unknown one would be refused as a brand the shop does not sell.  A brand the
    model marked on a kind's word (``kind_words``, lower-case) that no brand span covers (那pad呢) is
    that kind."""
    spans = list(spans)

    def covered(entity: Dict[str, Any]) -> bool:
        return any(start <= entity["start"] and end >= entity["end"] for start, end, _ in spans)

    entities = [entity for entity in entities
                if not (entity.get("entity") == "brand" and entity["end"] - entity["start"] == 1
                        and (_CJK.match(text[entity["start"]:entity["end"]]) or text[entity["start"]].isascii())
                        and not covered(entity))]
    entities = [entity for entity in entities  # 给我lg看个手机 · emmm 法式的吧: no brand
                if not (entity.get("entity") == "brand" and not covered(entity)
                        and _NO_BRAND.fullmatch(text[entity["start"]:entity["end"]].strip()))]
    entities = [{**entity, "entity": "product_category", "value": text[entity["start"]:entity["end"]]}
                if entity.get("entity") == "brand" and not covered(entity)
                and text[entity["start"]:entity["end"]].strip().lower() in kind_words else entity
                for entity in entities]
    added = [{"entity": "brand", "start": start, "end": end, "value": brand, "extractor": extractor,
              "confidence_entity": 1.0}
             for start, end, brand in spans
             if not any(entity["start"] < end and entity["end"] > start for entity in entities)]
    return sorted(entities + added, key=lambda entity: entity["start"]) if added else entities


def mark_rejected(text: str, entities: Iterable[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Marks ``rejected: true`` on conditions the customer said no to (蓝色不要了).

    UnderstandingPolicy then sets the slot to the wanted value of the message, or clears
    it, so a refused colour never becomes the colour wanted.
    """
    entities = list(entities)
    marked = []
    for entity in entities:
        next_start = min((other["start"] for other in entities if other.get("entity") in REJECTABLE
                          and other["start"] >= entity["end"]), default=None)
        refused = is_rejected_kind if entity.get("entity") == "product_category" else is_rejected
        if entity.get("entity") in REJECTABLE and not entity.get(REJECTED) \
                and refused(text, entity["start"], entity["end"], next_start):
            entity = {**entity, REJECTED: True}
        marked.append(entity)
    return marked


# 好搭衣服 · 配裙子穿: the kind named after 搭/配 is what the product goes with, not what is bought
_GOES_WITH = re.compile(r"(?:搭|配)(?:各种|什么|啥)?$")
# 苹果手机 · 安卓的: a phone told by its platform or brand
_PHONE_MAKERS = r"(?:安卓|苹果|iphone|ios|鸿蒙|华为|小米|荣耀|vivo|oppo|三星)"
# 耳机 配苹果手机用的 · 配我的华为手机用: the phone the product is to work with (给孩子配华为手机 buys one)
_WORKS_WITH = re.compile(rf"(?<![给帮替])配(?:我|他|她)?的?{_PHONE_MAKERS}$", re.IGNORECASE)
# 我是用手机号下的单: 手机 is part of 手机号, no kind at all
_PART_OF_ANOTHER_WORD = re.compile(r"^(?:号|卡|壳|膜|套|支架)")


def part_of_another_word(following: str) -> bool:
    """Whether a kind's word followed by ``following`` is only part of another word (手机 in 手机号)."""
    return _PART_OF_ANOTHER_WORD.match(following) is not None


# 我是安卓手机 · 他用的华为手机 · 我安卓手机 (while choosing earphones or a watch): what someone has, not what is bought
_OWNED = re.compile(r"(?:我|他|她)(?:是|用的是|用的|用)[^，。,.！？!?\s买要想看换推挑选]{0,5}$"
                    # 我安卓手机 苹果那个连得上不: the platform of one's own phone
                    rf"|(?:我|他|她)(?:的|这|这个)?{_PHONE_MAKERS}的?$"
                    # 能单独打电话的 不带手机也能用 (choosing a watch): what the product works without
                    r"|(?:不带|不用带|不拿|不用拿|不需要|脱离|离开|没带)$")


# 她手机是苹果的 · 我电脑用的是华为 (while choosing a watch): one's own, told by what it is
_OWNER_BEFORE = re.compile(r"(?:我|他|她)的?$")
_WHAT_IT_IS_AFTER = re.compile(r"^(?:是|用的是|用的)")


def without_companion_kinds(text: str, entities: Iterable[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """``entities`` without a category the product is to go with (要好搭衣服的 · 搭配裙子的鞋), that someone
    already uses (我是华为手机), or that is only part of another word (手机号): that kind is no condition, so
    the search keeps the kind it had."""
    return [entity for entity in entities
            if not (entity.get("entity") == "product_category" and (
                _GOES_WITH.search(text[:entity["start"]]) or _OWNED.search(text[:entity["start"]])
                or (_WORKS_WITH.search(text[:entity["start"]]) and text[entity["end"]:].startswith("用"))
                or (_OWNER_BEFORE.search(text[:entity["start"]]) and _WHAT_IT_IS_AFTER.match(text[entity["end"]:]))
                or part_of_another_word(text[entity["end"]:])
                or re.search(r"(?<![防耐抗])撞$", text[:entity["start"]])))]  # 撞鞋太多: worn by everyone
