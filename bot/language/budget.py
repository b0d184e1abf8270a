"""Budget parsing (预算解析): the ``budget`` entity, as the customer wrote it, to a range in yuan.

``parse_budget("三百以内")`` gives ``BudgetRange(low=None, high=300.0, text="三百以内")``; text
that names no usable price gives ``None``.  cn2an reads the Chinese numerals; this module decides
which number is the price and what the words around it do to it.

Rules (X and Y are amounts; "open" means None, i.e. no limit on that side):

| Written                                                   | Example            | Range                  |
| --------------------------------------------------------- | ------------------ | ---------------------- |
| X以内 · X之内 · X内 · X以下 · X不到 · X封顶 · Xmax        | 三百以内           | open – 300             |
| 不超过X · 不超X · 别超X · 不要超过X · 别超过X · 不高于X ·  | 不超过八百         | open – 800             |
| 不到X · 最多X · 顶多X · 低于X · 少于X · 封顶X · maxX · <X · ≤X |           |                        |
| X以上 · X起 · X起步 · X往上 · X+                            | 500以上 · 两千起   | 500 – open             |
| 至少X · 最少X · 起码X · 不低于X · 不少于X · 多于X ·        | 至少两千           | 2000 – open            |
| 超过X · 高于X · >X · ≥X                                   |                    |                        |
| X左右 · X上下 · X差不多 · X附近 · X来 · X把 · X档 ·        | 500左右 · 两百来块 | X ± 20 %: 400 – 600    |
| (百来块 · 千把块 · 万把块: one of the magnitude)            | 千把块 · 三千档    | 800 – 1200 · 2400 – 3600 |
| X出头 (never under X: 599 is 六百不到; up to X+⅓ when     | 两千出头 · 两百出头 | X – X+20 % (+25 % to ¥50): 2000 – 2400 |
| nothing is in that range: ``loose_high``)                 |                    |                        |
| 小X (Chinese numerals, 百/千/万)                           | 小一千             | X − 20 % – X: 800 – 1000 |
| 大概X · 大约X · 约X · 差不多X                              |                    |                        |
| 预算X · 提高到X · 降到X · 控制在X · 上限X, no other qualifier | 预算三千 · 降到五百 | open – 3000 · open – 500 |
| X alone (300块 · 价位300 · 千元机 = 1000元)               | 300块              | X ± 20 %: 240 – 360    |
| X到Y · X至Y · X-Y · X~Y · X—Y (· 之间) · X和Y之间 · X与Y之间 | 200到400 · 1-2k  | X – Y, swapped if Y < X|
| X以上Y以下 (a lower bound, then an upper one)              | 三百以上五百以下   | 300 – 500              |
| two neighbouring digits before a magnitude (and 三五)     | 五六百 · 三五十块   | 500 – 600 · 30 – 50    |
| ... or after one                                          | 一千五六 · 千五六  | 1500 – 1600            |
| either, with 左右 · 上下 · 差不多 after it (± 20 %)          | 一千五六左右       | 1200 – 1920            |
| 十几块 · 二十几块 (with a unit: 十几岁 is an age)          | 十几块             | 10 – 20                |
| X多                                                      | 两千多 · 350多      | X – X + one unit of X's last non-zero place: 2000 – 3000 · 350 – 360 |

Details of those rules:

* ± 20 % is rounded outward to whole yuan (333左右 → 266 – 400), so the range never shrinks to 0.
* A bound applied to a range-like amount keeps the matching end: 五六百以内 → open – 600,
  两千多以上 → 2000 – open.  Both an upper and a lower bound on one amount (至少300以内) → None.
* In X到Y a plain X borrows Y's magnitude when that keeps X ≤ Y: 1-2k → 1000 – 2000,
  五到六百 → 500 – 600, 1.5-2万 → 15000 – 20000; 5-600 stays 5 – 600.  A range starting at 0
  (0-300) only says "up to Y", so its low end is open.  多, 来 and qualifiers after a range are
  ignored (200到400以内 → 200 – 400).
* Numbers: Arabic and full-width digits, decimals, 1,500 (ASCII comma only: 300，500 is two
  prices), k/K (千) and w/W (万), Chinese numerals
  (一百五 = 150, 一千二 = 1200, 两千五 = 2500, 千六 = 1600, 万五 = 15000) and mixed forms (3百, 3千5, 1.5万).
  Units: 块 · 块钱 · 元 · 圆 · rmb · 米 and r (slang for 元) · ¥ · ￥.

Which number is the price: the first one with a price cue (a unit or currency sign, 百/千/万/k/w
in the number, a qualifier or range from the table, or 预算/价位/价格/价钱 before it).  With no
cued number, a plain Arabic number or a spoken range counts only when it is the only one
(300 → 240 – 360 · 五六十 → 50 – 60); in a message about prices (便宜 · 贵 · 价 · 钱 · 预算) a
spoken range is cued (再便宜点 五六十的).
The span (``find_budget``) is the budget as written: 不超过, 以内 and 块 are part of it; 预算, 大概 and
the verbs that change a budget (提高到 · 降到 · 控制在 · 上限) are not, but ``budget_text`` hands
预算 and those verbs to the parser with the span, since they change what the figure means.

Never a price: digits after a latin word (iPhone15 · iPhone 15, but YSL400以内 and ASICS千元以内
are prices), a number followed by a latin letter (256gb, 1080p), one followed by a
measure word (42码, 2双, 5折), one after 几/第 (几百块 is too vague to use), a height or
weight (一米六五 · 个子一米 · 体重一百三), or the 一 of 一起.

None also when the price found is 0 or negative (0元, -5块, 负五块) or above 10,000,000 yuan
(一亿以内); anything up to that (一百万以内) is returned and the caller decides if it is sensible.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from enum import Enum
from typing import Iterable, Iterator, Mapping, Optional

import cn2an

from bot.language.normalize import to_simplified

MAX_YUAN = Decimal(10_000_000)
APPROXIMATE_SPREAD = Decimal("0.2")
# X出头 reaches a quarter over X, up to this much, where that is more than the usual spread (两百出头 takes in 249)
JUST_ABOVE_QUARTER_CAP = Decimal(50)
# ... and as far as a third over, when nothing is a little over (三百出头 still takes in 399, as shoppers who say it do)
JUST_ABOVE_LOOSEST = Decimal(4) / Decimal(3)


@dataclass(frozen=True)
class BudgetRange:
    """A price range in yuan; ``None`` on a side means no limit there.  ``text`` is as written."""

    low: Optional[float]
    high: Optional[float]
    text: str
    # 三百出头 (300–360): the furthest a shopper still means by a little above (400), tried only when nothing is in
    # the range itself; None where the words set the bounds outright
    loose_high: Optional[float] = None
    # 一千五六 · 小两千: the floor only says where the words point; with nothing in the range, anything under its
    # ceiling is still what was said (a 1499 phone for 一千五六), nothing loosened
    soft_floor: bool = False

    def contains(self, price: float) -> bool:
        return (self.low is None or price >= self.low) and (self.high is None or price <= self.high)

    def describe(self) -> str:
        """The range said back the way a shop assistant would: 300元以内 · 400–600元 · 500元以上."""
        low, high = self.low, self.high
        if high is None:
            return "预算不限" if low is None else f"{_yuan(low)}元以上"
        if low is None:
            return f"{_yuan(high)}元以内"
        if low == high:
            return f"{_yuan(low)}元"
        return f"{_yuan(low)}–{_yuan(high)}元"


def parse_budget(text: str) -> Optional[BudgetRange]:
    """The budget in ``text`` as a range in yuan, or None when it names no usable price."""
    normalised = _normalise(text)
    readings = list(_readings(normalised))
    chosen = _choose(readings, _PRICE_TALK.search(normalised) is not None)
    bounds = _bounds(chosen) if chosen else None
    if bounds is None:
        vague = _vague_amount(normalised)
        if vague is None:
            return None
        bounds = vague[2:]
    low, high = bounds
    loose_high = None
    if chosen and _Word.JUST_ABOVE in chosen.words and chosen.range_end is None and chosen.other_end is None \
            and low is not None and not any(_Word.HIGH in reading.words for reading in readings):
        # (三百出头 不超过350 · 最多三百出头: a ceiling said is never reached past)
        loose_high = float((low * JUST_ABOVE_LOOSEST).quantize(Decimal(1), rounding=ROUND_CEILING))
    soft_floor = bool(chosen and chosen.range_end is None and chosen.other_end is None and low is not None
                      and (_Word.JUST_BELOW in chosen.words
                           or (_TRAILING_DIGIT_PAIR.fullmatch(chosen.amount.spoken)
                               and _QUALIFIERS.isdisjoint(chosen.words))))
    return BudgetRange(
        low=None if low is None else float(low), high=None if high is None else float(high), text=text,
        loose_high=loose_high, soft_floor=soft_floor,
    )


def amounts_said(text: str) -> frozenset[Decimal]:
    """The single sums of money written in ``text`` (2699那个订单 · 三百九十九那单 · 77块那个面霜), not
    ranges, sizes, counts or model numbers: what a customer may name an order by."""
    return frozenset(reading.amount.low for reading in _readings(_normalise(text))
                     if reading.amount.low == reading.amount.high and reading.range_end is None
                     and reading.amount.low >= 10)


def find_budget(text: str, require_cue: bool = True) -> Optional[tuple[int, int]]:
    """Where in ``text`` the budget is written (start, end), e.g. the whole of 一百五到两百五.

    The NLU marks budgets word by word and may cut a range in pieces (一百 · 五到 · 两百五);
    this span is what the customer wrote as one budget.  Positions are those of ``text``
    only when normalising kept its length (no 1,500 thousands separators, no runs of spaces);
    otherwise None, and the caller keeps what it had.  With ``require_cue`` a lone number
    (订单123456 · 300) is not taken for a budget: only one with a price cue (块, 以内, 到, 预算…).
    """
    normalised = _normalise(text)
    if len(normalised) != len(text):
        return None
    price_talk = _PRICE_TALK.search(normalised) is not None
    chosen = _choose(_readings(normalised), price_talk)
    if chosen is None or _bounds(chosen) is None or (require_cue and not _priced(chosen, price_talk)):
        vague = _vague_amount(normalised)
        if vague is None:
            return None
        start, end = vague[:2]
    else:
        start, end = chosen.start, chosen.end
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# 几十块 · 大几百的 · 小几千: an order of magnitude, said with a price word after it.
_VAGUE_AMOUNT = re.compile(r"([大小])?几([十百千万])(?:(?:块钱|块|元)(?:左右|以内|以下|上下)?|左右|以内|以下|上下"
                           r"|(?=的|就行|就好|价位|都|也|吧|\s*$))")
# 预算大几百 想买双篮球鞋: the same, named a budget, whatever follows.
_CUED_VAGUE_AMOUNT = re.compile(r"(?:预算|价位)(?:大概|大约|在|是|就)?(([大小])?几([十百千万]))")
_MAGNITUDES = {"十": 10, "百": 100, "千": 1000, "万": 10000}


# 十几块 · 二十几块: some tens, said with a unit (十几岁 is an age).
_TENS_AND_SOME = re.compile(r"(?<![零一二两三四五六七八九十百千万])([二两三四五六七八九])?十几(?:块钱|块|元)")


def _vague_amount(normalised: str) -> Optional[tuple[int, int, Decimal, Decimal]]:
    """(start, end, low, high) of 几十块 (10–100) · 大几百 (500–1000) · 小几千 (1000–5000) ·
    十几块 (10–20), else None."""
    found = _VAGUE_AMOUNT.search(normalised)
    cued = _CUED_VAGUE_AMOUNT.search(normalised)
    if cued is not None and (found is None or cued.start(1) < found.start()):
        return (cued.start(1), cued.end(1)) + _magnitude_range(cued.group(2), cued.group(3))
    tens = _TENS_AND_SOME.search(normalised)
    if tens is not None and (found is None or tens.start() < found.start()):
        low = Decimal(10 * (_DIGITS[tens.group(1)] if tens.group(1) else 1))
        return tens.start(), tens.end(), low, low + 10
    if found is None:
        return None
    return (found.start(), found.end()) + _magnitude_range(found.group(1), found.group(2))


def _magnitude_range(size: Optional[str], magnitude: str) -> tuple[Decimal, Decimal]:
    """几百 (100–1000) · 大几百 (500–1000) · 小几千 (1000–5000)."""
    unit = Decimal(_MAGNITUDES[magnitude])
    return {"大": (5 * unit, 10 * unit), "小": (unit, 5 * unit)}.get(size or "", (unit, 10 * unit))


class _Word(Enum):
    """What a word next to a number does to it."""

    HIGH = "upper bound"
    LOW = "lower bound"
    APPROXIMATE = "about"
    MORE = "and a bit more"
    JUST_ABOVE = "a little above"
    UNIT = "currency unit"
    PRICE = "says a price follows"
    BUDGET = "预算: the most the customer will spend"
    NEW_CEILING = "提高到 · 降到 · 上限: the figure after it is the new ceiling, unless it says otherwise"
    JUST_BELOW = "a little below (小一千)"
    BETWEEN = "之间"
    FILLER = "changes nothing"


def _table(**groups: tuple[str, ...]) -> dict[str, _Word]:
    """Word → role, longest word first so that 不超过 is not read as 超过 nor 块钱 as 块."""
    words = {word: _Word[role] for role, words in groups.items() for word in words}
    return dict(sorted(words.items(), key=lambda item: len(item[0]), reverse=True))


# Words that may stand right before the number, possibly several in a row (预算在不超过500).
_BEFORE = _table(
    HIGH=("不能超过", "不要超过", "别超过", "不超过", "不能超", "不要超", "别超", "不超", "不高于", "不到", "最多", "顶多",
          "唔好超过", "唔可以超过", "唔超过", "唔好超",  # (Cantonese 唔 is 不)
          "低于", "少于", "封顶", "最高", "max", "<=", "≤", "<",
          # a floor's words negated are a ceiling (不能高于500 · 别多于两百 · 不要超出三千)
          "不能高于", "不要高于", "别高于", "不能多于", "不要多于", "别多于", "不多于", "不能大于", "不要大于", "别大于",
          "不大于", "不能超出", "不要超出", "别超出", "不超出", "小于",
          # Chinese typed with English words (budget 500 · under 300 · less than 200)
          "under", "below", "less than", "within", "no more than", "not more than", "not over", "not above",
          "up to"),
    # A budget changed later (提高到800 · 降到五百): the verb says how to read the figure but is
    # no part of the budget as written (the taxonomy's 降到[五百]), like 预算.
    NEW_CEILING=("提高到", "提到", "加到", "加点到", "放宽到", "放到", "涨到", "调到", "改到", "升到", "降到",
                 "降低到", "压到", "控制在", "预算卡在", "上限", "上限是", "可以到", "能到", "能接受到",
                 # 预算到一百 · 最多到一百: as far as that figure (宝宝喝到3段了 · 凑到99包邮吗 · 等到618: no budget)
                 "预算到", "价格到", "价位到", "最多到", "顶多到", "最高到"),
    LOW=("不低于", "不少于", "不能低于", "不要低于", "别低于", "不能少于", "不要少于", "别少于", "至少", "最少", "起码",
         "多于", "超过", "高于", "大于", "不小于", "不能小于", "不要小于", "别小于", ">=", "≥", ">",
         # 起码得五百 · 最低三百的也可以 · 下面放到一百五 (上面不变): the floor, said by name or moved
         "起码得", "至少得", "最少得", "起码也得", "至少也得", "最少也得", "起码要", "至少要", "最低也得", "最低",
         "下限", "下限是", "下限放到", "下限提到", "下限调到", "下限改到", "下面放到", "最低放到",
         "above", "over", "more than", "at least", "no less than", "not less than", "not under", "not below"),
    APPROXIMATE=("大概", "大约", "约", "差不多", "around", "about"),
    BUDGET=("预算", "budget"),
    PRICE=("价位", "价格", "价钱", "¥", "rmb"),
    # (预算还是一千 · 预算也就五百 · 预算按四百: at most, as 预算一千 is)
    FILLER=("在", "是", "为", "从", "花", "就", "还是", "也是", "就是", "还", "也", "只有", "只", "按照", "按", ":",
            " "),
)
# Words that may follow the number, in any order (两千多块 · 三百块多 · 500块钱左右).
_AFTER = _table(
    UNIT=("块钱", "块", "元", "圆", "rmb", "米", "r", "yuan", "蚊"),  # (三百蚊: Cantonese yuan)
    HIGH=("以内", "之内", "内", "以下", "不到", "封顶", "max", "below", "or less", "and below", "以内"),
    LOW=("以上", "起步", "起", "往上", "+", "above", "or more", "and up"),  # (plus names a model: iPhone 15 Plus)
    APPROXIMATE=("左右", "上下", "差不多", "附近", "来", "把", "档", "价位", "around", "ish"),
    MORE=("多",),
    JUST_ABOVE=("出头",),
    BETWEEN=("之间",),
    FILLER=(" ",),
)
_CURRENCY_SIGNS = ("¥", "rmb")
_OUTSIDE_THE_SPAN = frozenset({_Word.FILLER, _Word.PRICE, _Word.BUDGET, _Word.NEW_CEILING, _Word.APPROXIMATE})
# Words outside the span that still change what the figure means: the parser must see them.
_MEANINGFUL_BEFORE = (_Word.BUDGET, _Word.NEW_CEILING)
_QUALIFIERS = frozenset({_Word.HIGH, _Word.LOW, _Word.APPROXIMATE})
_UNITS = tuple(word for word, role in _AFTER.items() if role is _Word.UNIT)
# Latin words that belong to the price, unlike the letters of a model name or a spec (iPhone15, 5g).
# (whole words: Moto 360 · Thunder 300 name products)
_LATIN_WORDS_OF_PRICE = (r"rmb|max|yuan|budget|under|below|than|within|over|up to|above|at least|around|about|or less"
                         r"|or more|and up|and below|ish|to")
_LATIN_NEIGHBOUR_BEFORE = re.compile(r"(?<![a-z])(?:" + _LATIN_WORDS_OF_PRICE + r")$")
_LATIN_NEIGHBOUR_AFTER = re.compile(r"(?:" + _LATIN_WORDS_OF_PRICE + r")(?![a-z])")
# about 3 days · 2 weeks · 256 gb: a number of something else, in English
_ENGLISH_MEASURE = re.compile(r"\s*(?:days?|weeks?|months?|years?|hours?|mins?|pcs|pieces?|mm|cm|kg|gb|tb|inch(?:es)?)"
                              r"(?![a-z])")
# 300r以内: r alone is shoppers' shorthand for 元 (RMB); 300rpm is no price.
_YUAN_R = re.compile(r"r(?![a-z])")
# A number followed by one of these counts something other than money (42码, 2双, 5折).
_MEASURE_WORDS = (
    "码", "号", "个", "双", "件", "款", "寸", "岁", "斤", "公斤", "克", "度", "升", "毫升", "天", "年", "月",
    "日", "点", "瓶", "支", "台", "部", "张", "条", "份", "次", "分", "秒", "小时", "折", "倍", "%", "位",
    "层", "楼", "期", "周", "页", "大寿", "寿辰", "周岁", "毫安", "平米", "平方",
)
# Someone's age (她五十多了 · 我妈都六十了), not a price, unless a price word follows (我妈500以内).
_AGE_BEFORE = re.compile(r"(?:她|他|我|妈|爸|奶奶|爷爷|姥姥|姥爷|外婆|外公|老人|宝宝|孩子|儿子|女儿|老公|老婆|婆婆|公公"
                         r"|岳母|丈母娘|岳父)"
                         r"(?:今年|都|已经|也|快|才)?$")
# 体重一百三 · 身高一米七 · 腰围二尺: the body, not the price (any unit).
_BODY_BEFORE = re.compile(r"(?:体重|身高|个子|个头|腰围|胸围|臀围|肩宽|脚长|脚围|高度|重量)"
                          r"(?:是|有|在|大概|大约|差不多|才|快|都|只有)?$"
                          r"|(?:她|他|我|孩子|宝宝|平时|一般)穿(?:的是|的)?$")  # 她穿37: a size
# 一米六五 · 1米75: a height in metres and centimetres.
_HEIGHT = re.compile(r"米[0-9一二两三四五六七八九]")
# 几百块 is too vague to price, and 第3 is an ordinal.
_VAGUE_OR_ORDINAL = ("几", "第")
# How far back to look for qualifiers such as 预算在不超过.
_BEFORE_WINDOW = 16  # (no more than 500)
# How far after a budget the words may refuse it (的还是不要).
_AFTER_WINDOW = 12

_ARABIC_NUMBER = r"[0-9]+(?:\.[0-9]+)?"
# What cn2an may be given: Chinese numerals, or Arabic digits before a magnitude (3千5, 1.5万, 2千五)
# or k/w (1.5k, 1w, 1k5 = 1千5).  Anything looser (两百4, 1两) cn2an reads in surprising ways or crashes on,
# and 1.2.3 is no number at all.  A price never needs more than 16 Chinese numerals, and cn2an
# takes quadratic time on long runs, so longer runs are skipped.
_CHINESE_NUMERALS = "零〇一二两三四五六七八九十百千万亿"
_NUMBER = re.compile(
    rf"(?<![0-9.]){_ARABIC_NUMBER}"
    r"(?:[十百千万亿](?:[0-9一二两三四五六七八九][十百千]?)?|[kw](?:[0-9](?![0-9]))?(?![a-z]))?(?!\.?[0-9])"
    rf"|(?<![{_CHINESE_NUMERALS}])[{_CHINESE_NUMERALS}]{{1,16}}(?![{_CHINESE_NUMERALS}])"
)
_ARABIC = re.compile(_ARABIC_NUMBER)
# 五六百 · 一两千 · 三四千五: two neighbouring digits before a magnitude name a range.
_DIGIT_PAIR = re.compile(r"([一二两三四五六七八九])([一二两三四五六七八九])([十百千万].*)")
# 一千五六 · 两千五六 · 三百七八: two neighbouring digits after one, the same (1500 – 1600).
_TRAILING_DIGIT_PAIR = re.compile(r"(.*[十百千万])([一二两三四五六七八九])([一二两三四五六七八九])")
# 千六 · 万五: a magnitude with its one left out (一千六); never 万一 (in case) nor 千万 (by all means).
_ONE_LEFT_OUT = re.compile(r"[百千万][二两三四五六七八九]{1,2}")  # (百八十 · 千八百: about a hundred, a thousand)
_DIGITS = {digit: value for value, digit in enumerate("一二三四五六七八九", start=1)} | {"两": 2}
_MAGNITUDES = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
# 十 alone does not make a number sound like money (十五 could be a size); these do.
_MONEY_MAGNITUDES = frozenset("百千万亿")
# 千元机 · 百元: a magnitude with no digit before a unit means one of it.
_BARE_MAGNITUDES = frozenset("百千万")

_RANGE_SEPARATOR = re.compile(r" ?(到|至|和|与|跟|[-~—–〜]+|to(?![a-z])) ?(?:¥|rmb)? ?")
# 300和500 lists two prices; only 300和500之间 is a range.
_CONJUNCTIONS = frozenset({"和", "与", "跟"})
# 1,500 but not 1,5 or 1,5000; done before NFKC so that the Chinese comma in 300，500 stays a list.
_THOUSANDS_SEPARATOR = re.compile(r"(?<=[0-9]),(?=[0-9]{3}(?![0-9]))")
_INVISIBLE = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff]+")
# A minus sign, not the dash of a range or a model name (x-5).
_MINUS = re.compile(r"(?:(?<![0-9a-z])-|负)$")


@dataclass(frozen=True)
class _Amount:
    """One written number: a single value, or the two ends of 五六百."""

    low: Decimal
    high: Decimal
    spoken: str  # the numerals, with k/w written as 千/万

    @property
    def arabic(self) -> bool:
        return _ARABIC.fullmatch(self.spoken) is not None

    @property
    def sounds_like_money(self) -> bool:
        return not _MONEY_MAGNITUDES.isdisjoint(self.spoken)

    @property
    def plain(self) -> bool:
        return all(character not in _MAGNITUDES for character in self.spoken)

    @property
    def magnitude(self) -> Optional[int]:
        """The magnitude the number ends in, which a plain start of a range borrows (1-2k)."""
        return _MAGNITUDES.get(self.spoken[-1])


@dataclass(frozen=True)
class _Reading:
    """A number found in the text with the words around it: a candidate budget."""

    amount: _Amount
    words: frozenset[_Word]
    start: int  # where the budget's words begin (预算 · 不超过 · the number)
    end: int
    negative: bool = False
    range_end: Optional[_Amount] = None
    # 低于五百的还是不要: the bound was refused, so it reads the other way than the words next to it
    refused: bool = False
    # 一千以内就行 低于五百的还是不要: the other end of the range, said as a bound of its own later
    other_end: Optional["_Reading"] = None

    @property
    def names_a_price(self) -> bool:
        return (
            self.range_end is not None
            or self.amount.sounds_like_money
            or any(word is not _Word.FILLER for word in self.words)
        )


def names_a_price_at(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]``, where it stands, can be a price: not 一起, 一米, 体重一百三,
    a model (iPhone 15), a spec (256G · 200ml) nor a measure (3岁 · 30小时)."""
    before = _normalise(text[max(0, start - _BEFORE_WINDOW):start])
    span, after = _normalise(text[start:end]), _normalise(text[end:end + 4])
    return (parse_budget(text[start:end]) is not None and _BODY_BEFORE.search(before) is None
            and not _counts_something_else(before, span, after))


def measure_follows(text: str, end: int) -> bool:
    """Whether the words after a number ending at ``end`` count something else than money (十来天前 · 3岁)."""
    return _normalise(text[end:end + 4]).startswith(_MEASURE_WORDS)


def budget_text(text: str, start: int, end: int) -> str:
    """The words of the budget at ``text[start:end]`` to parse: with 预算 or 提高到 when they stand
    before the span (预算三千 and 提高到三千 are at most 3000, a bare 三千 about 3000), although
    neither is part of the span."""
    _, _, meaningful = _words_before(_normalise(text[max(0, start - _BEFORE_WINDOW):start]))
    window = _normalise(text[start:end + _AFTER_WINDOW])
    reading = _choose(_readings(window), _PRICE_TALK.search(window) is not None)
    bounds = _bounds(reading) if reading and (reading.refused or reading.other_end) else None
    if bounds:
        # 低于五百的还是不要 · 一千以内就行 低于五百的还是不要: the span alone would read otherwise; its meaning
        low, high = bounds
        return f"{low:g}到{high:g}" if low and high else f"{low:g}以上" if low else f"{high:g}以内"
    return meaningful + text[start:end]


# Spoken money words respelled as the written ones, one character for one so spans stay put:
# 一千块钱以里 (以内) · 三位数以内 (999以内) · 千几蚊 · 两百几块 (千多 · 百多) · 预算五张 · 不超过三张 said last (a 张 is a hundred-yuan
# note; 面膜五张以内 · 电影票最多两张卡 count things).
_SPOKEN_MONEY = (
    (re.compile(r"以里"), "以内"),
    (re.compile(r"三位数(?=以内|以下|之内|内)|(?<=不超过|别超过|控制在)三位数|(?<=不要超过)三位数"), "999"),  # under 1000
    (re.compile(r"(?<=[千百])几(?=蚊|块|元|的|吧|左右|上下|以内|\s|$)"), "多"),
    (re.compile(r"(?<=预算[一二两三四五六七八九])张"), "百"),
    (re.compile(r"(?<=不超过[一二两三四五六七八九])张(?=\s*[吧。.!！]?\s*$)"), "百"),
)


def _normalise(text: str) -> str:
    # NFKC folds full-width forms (３００, ￥, ～, Ｗ) into the ASCII the patterns expect.
    text = unicodedata.normalize("NFKC", _THOUSANDS_SEPARATOR.sub("", text)).lower()
    text = _INVISIBLE.sub(" ", to_simplified(text))  # 一千出頭 is 一千出头
    for spoken, written in _SPOKEN_MONEY:
        text = spoken.sub(written, text)
    return text


# 再便宜点 五六十的: words about price make a spoken range (五六十) a price although no unit follows it.
_PRICE_TALK = re.compile(r"便宜|贵|价|钱|预算")


def _priced(reading: _Reading, price_talk: bool) -> bool:
    return reading.names_a_price or (price_talk and reading.amount.low < reading.amount.high)


def _choose(readings: Iterable[_Reading], price_talk: bool = False) -> Optional[_Reading]:
    """The first number with a price cue, else the only plain Arabic number or spoken range."""
    plain = []
    readings = list(readings)
    for place, reading in enumerate(readings):
        if _priced(reading, price_talk):
            later = next((other for other in readings[place + 1:] if _priced(other, price_talk)), None)
            return _with_other_end(reading, later) if later else reading
        if reading.amount.arabic or reading.amount.low < reading.amount.high:  # 300 · 五六十
            plain.append(reading)
    return plain[0] if len(plain) == 1 else None


def _readings(text: str) -> Iterator[_Reading]:
    read_up_to = 0
    for match in _NUMBER.finditer(text):
        if match.start() < read_up_to:  # the second end of a range already read
            continue
        reading = _read(text, match)
        if reading is not None:
            read_up_to = reading.end
            yield reading


def _read(text: str, match: re.Match[str]) -> Optional[_Reading]:
    before = text[max(0, match.start() - _BEFORE_WINDOW) : match.start()]
    if _counts_something_else(before, match[0], text[match.end():]) \
            or _not_money(before, match[0], text[match.end():]):
        return None
    amount = _read_amount(match[0], followed_by_unit=_unit_follows(text, match.end()))
    if amount is None:
        return None
    after, end = _words_after(text, match.end())
    if _AGE_BEFORE.search(before) and not after & {_Word.UNIT, _Word.HIGH, _Word.LOW, _Word.APPROXIMATE}:
        return None  # 她五十多了: an age
    range_end = None
    if _QUALIFIERS.isdisjoint(after):
        range_end, end = _read_range_end(text, end) or (None, end)
    elif after & _QUALIFIERS == {_Word.LOW}:  # 三百以上五百以下: one range, both ends written as bounds
        range_end, end = _read_upper_bound(text, end) or (None, end)
    words_before, cue_length, _ = _words_before(before)
    refused = bool(_REFUSED_AFTER.match(text, end)) and range_end is None
    if refused:
        # 低于五百的还是不要 · 两千以上的不考虑: the bound refused, so the other side is wanted
        flipped = {_Word.HIGH: _Word.LOW, _Word.LOW: _Word.HIGH}
        words_before = frozenset(flipped.get(word, word) for word in words_before)
        after = frozenset(flipped.get(word, word) for word in after)
    if cue_length == 0 and before.endswith("小") and not amount.arabic and amount.low == amount.high \
            and _MONEY_MAGNITUDES & set(amount.spoken):
        words_before, cue_length = words_before | {_Word.JUST_BELOW}, 1  # 小一千: nearly a thousand
    return _Reading(
        amount,
        words=words_before | after,
        start=match.start() - cue_length,
        end=end,
        negative=_MINUS.search(before) is not None,
        range_end=range_end,
        refused=refused and bool(after & {_Word.HIGH, _Word.LOW} or words_before & {_Word.HIGH, _Word.LOW}),
    )


# 的还是不要 · 的不考虑 · 的就算了: what was just bounded is refused.
# (那就三百以内算了 settles for it: 算了 is no refusal)
_REFUSED_AFTER = re.compile(r"(?:的|得)?(?:还是|就|也|都|一律|统统)?(?:不要|不考虑|不看|别推|别给我推|pass|不行)"
                            r"(?=$|[\s，。,.!！?？~～吧啊哈了呀])")


def _counts_something_else(before: str, number: str, after: str) -> bool:
    """A model name or spec (iPhone15 · iPhone 15 · 256g), a measure (42码 · 5天), 几百 or 第3."""
    return (
        _names_a_model(before, number, after)
        or (_is_latin(after[:1]) and not _LATIN_NEIGHBOUR_AFTER.match(after) and not _YUAN_R.match(after))
        or _ENGLISH_MEASURE.match(after) is not None
        or before.endswith(_VAGUE_OR_ORDINAL)
        or after.startswith(_MEASURE_WORDS)
    )


# After a latin word, digits name a model (iPhone 15 · Mate60) unless a unit or ceiling follows
# (YSL400以内) or the number has a magnitude (ipad 3k以内); Chinese numerals never do (ASICS千元以内).
_PRICE_AFTER_A_LATIN_WORD = ("以内", "以下", "之内", "块", "元", "rmb")
_MAGNITUDE_CHARACTERS = frozenset("kw十百千万")


def _names_a_model(before: str, number: str, after: str) -> bool:
    word_before = before.rstrip(" ")
    if not _is_latin(word_before[-1:]) or _LATIN_NEIGHBOUR_BEFORE.search(word_before) or not number[:1].isdigit():
        return False
    return not (after.startswith(_PRICE_AFTER_A_LATIN_WORD) or not _MAGNITUDE_CHARACTERS.isdisjoint(number))


def _not_money(before: str, number: str, after: str) -> bool:
    """A height, weight or body measure (一米六五 · 体重一百三 · 个子一米), or the 一 of 一起."""
    if _BODY_BEFORE.search(before) or _HEIGHT.match(after):
        return True
    if after.startswith("米"):  # 米 is slang for 元, but 一米 / 两米 is a length, never a price
        value = spoken_number(number.replace("两", "二")) if not number.isdigit() else Decimal(number)
        return value is not None and value < 10
    # 一起发 · 一起买 · 一块发 · 一块儿: together, not "from 1 yuan" nor "1 yuan" (一块到五块 · 一块买一个 are prices)
    return number == "一" and (after.startswith("起") or _TOGETHER_AFTER_YI.match(after) is not None)


_TOGETHER_AFTER_YI = re.compile(r"块儿|块(?:发|寄|打包)")


def _is_latin(character: str) -> bool:
    return "a" <= character <= "z"


def _unit_follows(text: str, position: int) -> bool:
    """A currency unit right after the number, or after 来 / 把 / 多 (百来块 · 千把块 · 百多元)."""
    if text.startswith(("来", "把", "多"), position):
        position += 1
    return text.startswith(_UNITS, position)


def _read_amount(token: str, followed_by_unit: bool) -> Optional[_Amount]:
    spoken = token.replace("k", "千").replace("w", "万")
    if (spoken in _BARE_MAGNITUDES and followed_by_unit) or _ONE_LEFT_OUT.fullmatch(spoken):
        spoken = "一" + spoken
    pair = _DIGIT_PAIR.fullmatch(spoken)
    trailing_pair = _TRAILING_DIGIT_PAIR.fullmatch(spoken)
    if pair and (_DIGITS[pair[2]] == _DIGITS[pair[1]] + 1 or pair[1] + pair[2] == "三五"):
        low, high = spoken_number(pair[1] + pair[3]), spoken_number(pair[2] + pair[3])
    elif trailing_pair and _DIGITS[trailing_pair[3]] == _DIGITS[trailing_pair[2]] + 1:
        head = trailing_pair[1]
        low, high = spoken_number(head + trailing_pair[2]), spoken_number(head + trailing_pair[3])
    elif _ARABIC.fullmatch(spoken):
        low = high = Decimal(spoken)
    else:
        low = high = spoken_number(spoken)
    if low is None or high is None:
        return None
    return _Amount(low, high, spoken)


def spoken_number(spoken: str) -> Optional[Decimal]:
    """一百五 → 150 · 二十 → 20 · 7 → 7: a number said in words or digits; None when it is none."""
    try:
        return Decimal(str(cn2an.cn2an(spoken, "smart")))
    # cn2an 0.5.22 raises KeyError rather than ValueError on some malformed numerals (九百八十零).
    except (ValueError, KeyError):
        return None


def _words_before(before: str) -> tuple[frozenset[_Word], int, str]:
    """The words standing before a number, how many characters of them belong to the budget, and
    those outside it that change what it means (预算 · 提高到), as written."""
    words = set()
    length = cue_length = 0
    meaningful = ""
    while word := _longest(before, _BEFORE, at_end=True):
        words.add(_BEFORE[word])
        if _BEFORE[word] in _MEANINGFUL_BEFORE:
            meaningful = word + meaningful
        before = before[: -len(word)]
        length += len(word)
        # 预算, 价位, 提高到 and 大概 introduce a budget without being part of it (大概五百 means what
        # 五百 means); ¥ and 不超过 are part of it
        if _BEFORE[word] not in _OUTSIDE_THE_SPAN or word in _CURRENCY_SIGNS:
            cue_length = length
    return frozenset(words), cue_length, meaningful


def _words_after(text: str, position: int) -> tuple[frozenset[_Word], int]:
    words = set()
    while word := _longest(text[position : position + 9], _AFTER, at_end=False):
        if word == "+" and text[position + 1 : position + 2].isdigit():
            break  # 1+1 is a sum, not 1元以上
        words.add(_AFTER[word])
        position += len(word)
    return frozenset(words), position


def _longest(text: str, table: Mapping[str, _Word], at_end: bool) -> Optional[str]:
    for word in table:
        if text.endswith(word) if at_end else text.startswith(word):
            return word
    return None


def _read_range_end(text: str, position: int) -> Optional[tuple[_Amount, int]]:
    separator = _RANGE_SEPARATOR.match(text, position)
    found = _second_number(text, separator.end()) if separator else None
    if found is None or (separator[1] in _CONJUNCTIONS and _Word.BETWEEN not in found[1]):
        return None
    return found[0], found[2]


def _read_upper_bound(text: str, position: int) -> Optional[tuple[_Amount, int]]:
    """The X以下 right after a lower bound (三百以上五百以下), as the range's upper end."""
    found = _second_number(text, position + (text[position:position + 1] in (" ", ",", "，", "、")))
    if found is None or _Word.HIGH not in found[1]:
        return None
    return found[0], found[2]


def _second_number(text: str, position: int) -> Optional[tuple[_Amount, frozenset[_Word], int]]:
    """The amount written at ``position`` (the other end of a range), the words after it, and its end."""
    number = _NUMBER.match(text, position)
    if number is None or _counts_something_else("", number[0], text[number.end():]):
        return None
    amount = _read_amount(number[0], followed_by_unit=_unit_follows(text, number.end()))
    if amount is None:
        return None
    words, end = _words_after(text, number.end())
    return amount, words, end


def _with_other_end(reading: _Reading, later: _Reading) -> _Reading:
    """``reading`` with ``later`` as its range's other end when one is only a floor and the other only a
    ceiling (最低三百的也可以看看 上限还是五百 · 一千以内就行 低于五百的还是不要); else ``reading``."""
    first, second = _bounds(reading), _bounds(later)
    if not (first and second) or reading.range_end is not None or later.range_end is not None:
        return reading
    low = first[0] if first[1] is None else second[0] if second[1] is None else None
    high = first[1] if first[0] is None else second[1] if second[0] is None else None
    if low is None or high is None or (first[0] is None) == (second[0] is None) or low >= high:
        return reading
    return replace(reading, end=later.end, other_end=later)


def _bounds(reading: _Reading) -> Optional[tuple[Optional[Decimal], Optional[Decimal]]]:
    if reading.negative:
        return None
    if reading.other_end is not None:
        first, second = _bounds(replace(reading, other_end=None)), _bounds(reading.other_end)
        return (first[0] if first[0] is not None else second[0]), (first[1] if first[1] is not None else second[1])
    if reading.range_end is not None:
        return _range_bounds(reading.amount, reading.range_end)
    return _single_bounds(reading.amount, reading.words)


def _range_bounds(start: _Amount, end: _Amount) -> Optional[tuple[Optional[Decimal], Decimal]]:
    start = _borrow_magnitude(start, end)
    low, high = min(start.low, end.low), max(start.high, end.high)
    if high == 0 or high > MAX_YUAN:
        return None
    return (None if low == 0 else low), high


def _borrow_magnitude(start: _Amount, end: _Amount) -> _Amount:
    magnitude = end.magnitude
    if start.plain and magnitude and start.high * magnitude <= end.low:
        return replace(start, low=start.low * magnitude, high=start.high * magnitude)
    return start


def _single_bounds(
    amount: _Amount, words: frozenset[_Word]
) -> Optional[tuple[Optional[Decimal], Optional[Decimal]]]:
    if amount.low == 0 or amount.high > MAX_YUAN or {_Word.HIGH, _Word.LOW} <= words:
        return None
    low, high = amount.low, amount.high
    if _Word.MORE in words and low == high:
        high = low + _last_place(low)
    if _Word.JUST_ABOVE in words and low == high:
        # 六百出头: a little over 600, never under it (599 is 六百不到), as reviewers read it; 两百出头 takes in
        # 249 (a quarter over, up to ¥50), as shoppers who say it do
        reach = max(low * APPROXIMATE_SPREAD, min(JUST_ABOVE_QUARTER_CAP, low / 4))
        return low, (low + reach).quantize(Decimal(1), rounding=ROUND_CEILING)
    if _Word.HIGH in words:
        return None, high
    if _Word.LOW in words:
        return low, None
    if low < high and _Word.APPROXIMATE in words:
        return _about(low)[0], _about(high)[1]  # 一千五六左右: about that range, as about one price
    if low < high:
        return low, high
    if _Word.JUST_BELOW in words:
        return (low * (1 - APPROXIMATE_SPREAD)).quantize(Decimal(1), rounding=ROUND_FLOOR), low
    if words & {_Word.BUDGET, _Word.NEW_CEILING} and not words & _QUALIFIERS:
        return None, high  # 预算三千 · 提高到三千: what one will spend at most, as shoppers mean it
    return _about(low)


def _last_place(value: Decimal) -> Decimal:
    """One unit of the last non-zero digit: 2000 → 1000, 350 → 10, 1.5 → 0.1."""
    return Decimal(1).scaleb(value.normalize().as_tuple().exponent)


def _about(value: Decimal) -> tuple[Decimal, Decimal]:
    spread = value * APPROXIMATE_SPREAD
    return (
        (value - spread).quantize(Decimal(1), rounding=ROUND_FLOOR),
        (value + spread).quantize(Decimal(1), rounding=ROUND_CEILING),
    )


def _yuan(amount: float) -> str:
    return f"{amount:.2f}".rstrip("0").rstrip(".")
