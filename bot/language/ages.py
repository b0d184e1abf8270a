"""A child's age (年龄) said in words: 宝宝7个月 · 刚满一岁 · 一岁半 · 半岁 · 过周岁 · 外甥三岁 · 刚满月.

Read for two things: which stage of infant formula (奶粉分段) fits, and which toys a child is old enough for
(the catalog tags a toy with the age it suits from: 3岁以上 · 6个月以上 · 1.5岁以上).
"""

from __future__ import annotations

import re
from typing import Iterable, Optional

from bot.language.budget import spoken_number

_NUMBER = r"1[0-8]|[0-9]|十[一二三四五六七八九]?|[一两二三四五六七八九]"
_MONTH_COUNT = r"[0-9]{1,2}|二十[一二三四]?|十[一二三四五六七八九]?|[一两二三四五六七八九]"
_NOT_AFTER_A_NUMBER = r"(?<![0-9一二两三四五六七八九十])"
# 7个月 · 十个月大 · 5月龄 · 8月了: an age; 3月份 · 12月生日 · 宝宝是3月的 · 5月1号 are dates.
_MONTHS = re.compile(rf"{_NOT_AFTER_A_NUMBER}({_MONTH_COUNT})\s*(?:个(?:多)?月|多个?月|月(?=大|龄|了))")
_YEARS = re.compile(rf"{_NOT_AFTER_A_NUMBER}({_NUMBER})\s*(?:周)?岁(半)?(?:零)?(?:({_MONTH_COUNT})\s*个(?:多)?月)?|(半)岁"
                    rf"|{_NOT_AFTER_A_NUMBER}(周岁)")
# 刚满月 · 满月宝宝: one month old; 刚出生 · 新生儿 · 闺蜜生娃了: none yet.
_ONE_MONTH = re.compile(r"满月")
_NEWBORN = re.compile(r"刚出生|新生儿|新生宝宝|刚生|生娃|生宝宝|生孩子|生了个|坐月子")
# Who a child's age is said of: without one, 用了一个月 is no age.
_A_CHILD = re.compile(r"宝宝|生娃|生孩子|坐月子|宝贝|孩子|小孩|小朋友|娃|儿子|女儿|闺女|外甥|侄|孙|男孩|女孩|男宝|女宝|婴儿|幼儿|满月|周岁|半岁|月大|月龄"
                      r"|[0-9一两二三四五六七八九十]岁")
# A toy's tag for the age it suits from: 3岁以上 · 1.5岁以上 · 6个月以上.
_SUITS_FROM = re.compile(r"^([0-9]+(?:\.[0-9]+)?)(岁|个月)以上$")


def _number(word: str) -> int:
    return int(spoken_number(word.replace("两", "二")) or 0)


def _months_of(found: re.Match) -> float:
    if found.re is _MONTHS:
        return float(_number(found.group(1)))
    if found.group(4):  # 半岁
        return 6.0
    if found.group(5):  # 周岁
        return 12.0
    extra = _number(found.group(3)) if found.group(3) else 6 if found.group(2) else 0
    return float(_number(found.group(1)) * 12 + extra)


def baby_age_in_months(text: str) -> Optional[float]:
    """宝宝7个月 · 刚满一岁 · 一岁半 · 半岁 · 刚满月: the first age said, in months; None when none is."""
    found = _YEARS.search(text) or _MONTHS.search(text)
    if found:
        return _months_of(found)
    if _ONE_MONTH.search(text):
        return 1.0
    return 0.0 if _NEWBORN.search(text) else None


def child_age_in_months(text: str) -> Optional[float]:
    """The age of a child spoken of in ``text``, the latest said (朋友家宝宝过周岁 … 其实是十个月大 → 10); None when no
    child is spoken of (耳机用了一个月) or no age is said."""
    if not _A_CHILD.search(text):
        return None
    years = list(_YEARS.finditer(text))
    months = [found for found in _MONTHS.finditer(text)  # (1岁2个月: the months are part of the years)
              if not any(year.start() <= found.start() < year.end() for year in years)]
    ages = sorted(years + months, key=lambda found: found.start())
    if ages:
        return _months_of(ages[-1])
    if _ONE_MONTH.search(text):
        return 1.0
    return 0.0 if _NEWBORN.search(text) else None


def child_ages_removed(text: str) -> str:
    """``text`` without the ages said in it (宝宝十个月大 → 宝宝大)."""
    return _MONTHS.sub("", _YEARS.sub("", _ONE_MONTH.sub("", _NEWBORN.sub("", text))))


def suits_from_months(tags: Iterable[str]) -> Optional[float]:
    """The age a product suits from (3岁以上 → 36), from its tags; None when no tag says one."""
    for tag in tags:
        found = _SUITS_FROM.match(tag)
        if found:
            return float(found.group(1)) * (12 if found.group(2) == "岁" else 1)
    return None
