"""Colour words (颜色) as customers write them, read as colour families.

``白的``, ``纯白``, ``white`` and ``奶白色`` all mean the family ``白色``; a product
listed in ``米白`` belongs to the family ``米色``.  Requests and catalog colours
go through the same function, so a shop's own colour names match as well as
the demo catalog's.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Optional

# Most specific first: 藏青 before 青, 米白 before 白, 玫红 before 红.
_FAMILIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("藏青", ("藏青", "藏蓝", "海军蓝", "深藏青", "navy")),
    ("卡其", ("卡其", "khaki")),
    ("米色", ("米白", "米黄", "米色", "杏色", "燕麦", "奶茶色", "beige", "米")),
    ("银色", ("银灰", "银白", "银", "silver")),
    ("金色", ("香槟金", "玫瑰金", "金", "gold")),
    ("粉色", ("粉红", "樱花粉", "豆沙", "粉", "pink")),  # 豆沙色: the pinkish brown of lipsticks
    ("紫色", ("紫", "purple")),
    ("红色", ("玫红", "酒红", "大红", "正红", "枣红", "砖红", "红", "red")),
    ("橙色", ("橘", "橙", "orange")),
    ("黄色", ("鹅黄", "姜黄", "黄", "yellow")),
    ("绿色", ("军绿", "墨绿", "薄荷绿", "橄榄绿", "绿", "green")),
    ("蓝色", ("天蓝", "宝蓝", "湖蓝", "深蓝", "浅蓝", "雾霾蓝", "克莱因蓝", "蓝", "blue")),
    ("棕色", ("咖啡色", "咖色", "驼色", "焦糖", "褐", "棕", "brown")),
    ("灰色", ("深灰", "浅灰", "烟灰", "灰", "grey", "gray")),
    ("黑色", ("曜石黑", "纯黑", "黑", "black")),
    ("白色", ("奶白", "纯白", "雪白", "象牙白", "白", "white")),
)
COLOR_FAMILIES = tuple(family for family, _ in _FAMILIES)


def is_a_colour_word(word: str) -> bool:
    """Whether ``word`` is itself one of the colour words (豆沙 · 藏青), not a word holding one (口红)."""
    folded = unicodedata.normalize("NFKC", word or "").strip().casefold()
    return any(folded in words for _, words in _FAMILIES)


def color_family(text: str) -> Optional[str]:
    """The colour family ``text`` names (``白的`` → ``白色``), or None if it names no colour."""
    folded = unicodedata.normalize("NFKC", text or "").strip().casefold()
    if not folded:
        return None
    for family, words in _FAMILIES:
        if any(word in folded for word in words):
            return family
    return None


# Colour words as a wish says them even where the NLU marked no colour (偏棕一点 · 米白色 · 橘色系 ·
# 棕调的 · 粉一点的): after 偏, or before 色/调/系/一点.  A bare 白 or 金 is too often something else (白天 · 金额);
# 米 is left out (1米8).
_COLOUR_WORDS = sorted({word for _, words in _FAMILIES for word in words if not word.isascii() and word != "米"},
                       key=len, reverse=True)
_WORD = "|".join(map(re.escape, _COLOUR_WORDS))
_WHOLE = "|".join(re.escape(word) for word in _COLOUR_WORDS if word.endswith("色"))  # 米色 · 驼色 · 奶茶色
# 正红 · 酒红 · 藏青: a colour of two characters needs no 色 (大红瓶 · 大红袍 are a face cream and a tea); 棕的不要 ·
# 红的吧: one character as the thing itself, where a wish or a refusal follows (明白的 is no colour)
_TWO_CHARACTERS = "|".join(re.escape(word) for word in _COLOUR_WORDS  # (燕麦 · 焦糖 · 豆沙 are also flavours)
                           if len(word) >= 2 and not word.endswith("色") and word not in ("燕麦", "焦糖", "豆沙"))
_COLOUR_PHRASE = re.compile(rf"(?<=偏)(?:一点|一些|点)?({_WORD})|(?:{_WORD})(?:色系|色调|色|调|系)|{_WHOLE}"
                            rf"|(?<![显美])({_WORD})(?=一点|一些)"  # 要粉一点的 (显白一点 is no colour)
                            rf"|(?:{_TWO_CHARACTERS})(?![瓶袍缸])"  # (烟灰缸 is an ashtray)
                            rf"|(?<![明坦空美显亮口网蛋])({_WORD})(?=的(?:不要|也行|都行|就行|吧|呢|好看|还有|有没有|有吗))"
                            # 白 · 黑的吧 · 要粉的: a colour the whole message says, the answer to the cards shown
                            rf"|^(?:要|来个|换|换成)?({_WORD})(?=(?:的|色)?(?:吧|呢|啊|呀|哦|嘛)?[!！。.~～]*$)"
                            # 白T · 黑t恤: the colour of a T-shirt said with it
                            rf"|({_WORD})(?=[tT](?:恤|桖)?(?![A-Za-z]))")


# 要black的 · white或者grey: an English colour word typed among Chinese, as a whole word
_ENGLISH_COLOUR = re.compile(r"(?<![a-z])(?<!bobbi )(?:" + "|".join(
    sorted({word for _, words in _FAMILIES for word in words if word.isascii()}, key=len, reverse=True))
    + r")(?![a-z])(?!\s*(?:friday|tooth))", re.IGNORECASE)  # (black friday · blue tooth · Bobbi Brown name no colour)


def colour_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` names a colour in the ways above: (start, end) of 棕 in 偏棕, of 米白色 in 米白色的, of
    black in 要black的."""
    spans = []
    for match in _COLOUR_PHRASE.finditer(text):
        group = next((number for number in (1, 2, 3, 4, 5) if match.group(number)), 0)
        spans.append(match.span(group))
    spans += [match.span() for match in _ENGLISH_COLOUR.finditer(text)]
    return sorted(spans)


# 红色不要了 白的还要: a colour said as the thing itself (白的), besides the ways above; 明白的 is no colour.
_COLOUR_AS_THING = re.compile(rf"(?<!明)(?:{_WORD})的")


def names_a_colour(text: str) -> bool:
    """Whether ``text`` names a colour: 米白色 · 偏棕一点 · 白的."""
    return bool(colour_spans(text) or _COLOUR_AS_THING.search(text))
