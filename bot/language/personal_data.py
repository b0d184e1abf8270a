"""Finding personal data (个人信息) in what Chinese shoppers type.

Recognisers for mobile numbers (手机号), landlines (座机) and 400/800 service
numbers, resident ID numbers (身份证号, GB 11643 check digit), bank cards
(银行卡号, Luhn), e-mail, postal addresses (收货地址: province/city/district
plus street detail) and names after 收件人 / 姓名 / 联系人 / 我叫.

Written here rather than taken from a library: jionlp, measured on
``bench/data/pii_labelled.jsonl`` (``make bench-privacy``, docs/benchmarks.md),
has no recogniser for bank cards, addresses inside chat text or names after
收件人, and its landline extractor takes parts of card and order numbers for
phones (precision 0.35); Presidio ships no Chinese recognisers at all.

Every recogniser works on the original text (``\\d`` also matches full-width
digits, which ``int`` reads), so spans index the text as the customer wrote it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Sequence

KINDS = ("mobile", "landline", "id_card", "bank_card", "email", "address", "name")


@dataclass(frozen=True)
class Found:
    """One piece of personal data: its kind and where it is in the text."""

    kind: str
    start: int
    end: int
    value: str


_EDGE_BEFORE = r"(?<![0-9A-Za-z０-９Ａ-Ｚａ-ｚ_.@-])"
_EDGE_AFTER = r"(?![0-9A-Za-z０-９Ａ-Ｚａ-ｚ_@])"
_SEP = r"[ \u3000-]?"

_MOBILE = re.compile(
    _EDGE_BEFORE + r"(?:(?:\+|＋|00)?86" + _SEP + r"|[(（](?:\+|＋)?86[)）]" + _SEP + r")?"
    r"1[3-9]\d" + _SEP + r"\d{4}" + _SEP + r"\d{4}" + _EDGE_AFTER)
_LANDLINE = re.compile(
    _EDGE_BEFORE + r"(?:"
    r"[48]00" + _SEP + r"\d{3}" + _SEP + r"\d{4}"  # 400 / 800 service numbers
    r"|[(（]0\d{2,3}[)）]" + _SEP + r"\d{3,4}" + _SEP + r"\d{4}"
    r"|0\d{2,3}" + _SEP + r"[2-9]\d{2,3}" + _SEP + r"\d{4}"
    r")" r"(?:(?:转|-|ext\.?)\d{1,5})?" + _EDGE_AFTER)
# A landline without its area code counts only where the customer says it is a phone.
_LOCAL_NUMBER = re.compile(r"(?:电话|座机|固话|手机|tel|TEL|Tel)[号码是为:： ]{0,4}([2-9]\d{2,3}" + _SEP + r"\d{4})" + _EDGE_AFTER)
_ID_CARD = re.compile(
    _EDGE_BEFORE + r"\d{6}" + _SEP + r"(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])" + _SEP
    + r"\d{3}[\dXxＸｘ]" + _EDGE_AFTER)
_OLD_ID_CARD = re.compile(_EDGE_BEFORE + r"\d{8}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}" + _EDGE_AFTER)
_ID_WORDS = re.compile(r"身份证|证件")
# 16–19 digits, in groups of four or not (6217 8515 3184 1496 1); the digit count is checked after.
_CARD_NUMBER = re.compile(_EDGE_BEFORE + r"\d{4}(?:[ \u3000-]?\d{1,4}){3,5}(?:\d{1,3})?" + _EDGE_AFTER)
_CARD_WORDS = re.compile(r"卡号|银行卡|储蓄卡|借记卡|信用卡|卡[:：]|账号|账户|打到|退到|转到")
_ORDER_WORDS = re.compile(r"订单|单号|运单|快递|物流|编号|流水|券|码")
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")

_NAME_INTRO = re.compile(
    r"(?:(?:收件人|收货人|联系人|取件人|寄件人|姓名|名字(?:是|叫)?|我叫|她叫|他叫|本人叫|真实姓名|持卡人|开户人|户名|"
    r"开户名)(?:是|为|叫|写|填|改成|改为|换成|应该是|还是)?[:：， ]{0,2})+")
# What follows 收件人 / 我叫 … that is not a name (写错了, 一栏, 可以, 就是我, 了好几遍 …).
_NOT_A_NAME_START = re.compile(r"^(?:[不了就跟一可写是名电开还也都在要的和把给被让我你他她它这那哪什怎有没]|姓名|名字|先生|女士)")
_HAN = "\u4e00-\u9fff"
_NAME = re.compile(rf"[{_HAN}](?:[·•][{_HAN}]{{1,6}}|[{_HAN}]{{1,3}})")
# Where a name ends when the customer goes on without punctuation (收件人王小明电话139…).
_AFTER_NAME = re.compile(r"电话|手机|地址|联系|号码|收货|收件|身份|邮箱|先生|女士|小姐|的|在|是|和|，|寄|送|发|改|谢|麻|吧|呢|啊|哈|吗|"
                         r"就|行|收|名下|个人|帮")
_NOT_NAMES = {"我自己", "本人", "自己", "我", "我的", "我老婆", "老婆", "老公", "我妈", "我爸", "家人", "朋友", "同事",
              "不变", "不用改", "一样", "同上", "没变", "写错", "写错了", "填错", "填错了", "不对"}

# Addresses: a clause with an administrative place (省/市/区/县…) and street-level detail.
_CLAUSE_END = re.compile(r"[，,。；;！!？?\n]|(?:电话|手机|联系人|收件人|收货人|姓名|邮编)")
_ADDRESS_INTRO = re.compile(
    r"(?:地址|寄到|送到|发到|邮到|寄往|送往|发往|改到|改成|改为|换成|换为|住在|住址|位于|在|是)[是为:：]?\s*")
ADMIN_UNIT = re.compile(r"(?:省|自治区|特别行政区|市|自治州|地区|盟|区|县|旗|镇|乡|街道)")
_PROVINCE_START = re.compile(
    r"北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|贵州|"
    r"云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门")
STREET_DETAIL = re.compile(r"\d+号|\d+栋|\d+幢|\d+单元|\d+室|\d+楼|\d+层|\d+弄|\d+号楼|[路街巷弄道]\S*?\d|小区|大厦|花园|公寓|"
                     r"家园|新村|村\S*?\d*组|[一二三四五六七八九十\d]+号|广场|中心\S*?\d|苑|宿舍")
_ADDRESS_TRAILER = re.compile(r"(?:谢谢|麻烦了|麻烦|哈|啊|呀|吧|呢|哦|噢|嘛|～|~|。|！|!|\s)+$")


def _digits(value: str) -> str:
    return "".join(str(int(ch)) if ch.isdigit() else ch for ch in value if ch.isdigit() or ch in "Xx")


def id_check_digit_ok(number: str) -> bool:
    """GB 11643-1999: the 18th character is the ISO 7064 MOD 11-2 check of the first 17."""
    number = _digits(number).upper()
    if len(number) != 18 or not number[:17].isdigit():
        return False
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(d) * w for d, w in zip(number[:17], weights))
    return "10X98765432"[total % 11] == number[17]


def luhn_ok(number: str) -> bool:
    digits = [int(d) for d in _digits(number) if d.isdigit()]
    if not digits:
        return False
    total = 0
    for position, digit in enumerate(reversed(digits)):
        if position % 2:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def _before(text: str, start: int, width: int = 10) -> str:
    return text[max(0, start - width):start]


def _structured(text: str) -> List[Found]:
    found: List[Found] = []
    for match in _EMAIL.finditer(text):
        found.append(Found("email", match.start(), match.end(), match.group()))
    for match in _ID_CARD.finditer(text):
        if id_check_digit_ok(match.group()):
            found.append(Found("id_card", match.start(), match.end(), match.group()))
    for match in _OLD_ID_CARD.finditer(text):
        if _ID_WORDS.search(_before(text, match.start(), 12)):
            found.append(Found("id_card", match.start(), match.end(), match.group()))
    for match in _CARD_NUMBER.finditer(text):
        digits = _digits(match.group())
        if not 16 <= len(digits) <= 19:
            continue
        context = _before(text, match.start(), 12)
        said_card = bool(_CARD_WORDS.search(context))
        looks_like_card = digits[0] in "34569" and not _ORDER_WORDS.search(context)
        if luhn_ok(digits) and (said_card or looks_like_card):
            found.append(Found("bank_card", match.start(), match.end(), match.group()))
    for match in _MOBILE.finditer(text):
        found.append(Found("mobile", match.start(), match.end(), match.group()))
    for match in _LANDLINE.finditer(text):
        found.append(Found("landline", match.start(), match.end(), match.group()))
    for match in _LOCAL_NUMBER.finditer(text):
        found.append(Found("landline", match.start(1), match.end(1), match.group(1)))
    return found


# 魏国栋收 / （姜涛收）: a name the parcel is addressed to.
_ADDRESSEE = re.compile(rf"(?<![{_HAN}])([{_HAN}]{{2,3}})收(?=[，,。；;）)\s]|$)")


def _names(text: str) -> List[Found]:
    found = [Found("name", m.start(1), m.end(1), m.group(1)) for m in _ADDRESSEE.finditer(text)
             if not _NOT_A_NAME_START.match(m.group(1))]
    for intro in _NAME_INTRO.finditer(text):
        name = _NAME.match(text, intro.end())
        if not name:
            continue
        value = name.group()
        cut = _AFTER_NAME.search(text, name.start() + 2, name.end() + 1)
        if cut and cut.start() < name.end():
            value = value[:cut.start() - name.start()]
        if len(value) < 2 or value in _NOT_NAMES or _NOT_A_NAME_START.match(value):
            continue
        found.append(Found("name", name.start(), name.start() + len(value), value))
    return found


def _clauses(text: str, taken: Sequence[Found]) -> List[tuple]:
    """(start, end) of the stretches of ``text`` between punctuation, contact words and found data."""
    cuts = sorted([(m.start(), m.end()) for m in _CLAUSE_END.finditer(text)] + [(f.start, f.end) for f in taken])
    stretches, position = [], 0
    for cut_start, cut_end in cuts:
        if cut_start > position:
            stretches.append((position, cut_start))
        position = max(position, cut_end)
    if position < len(text):
        stretches.append((position, len(text)))
    return stretches


def _addresses(text: str, taken: Sequence[Found]) -> List[Found]:
    found = []
    for clause_start, clause_end in _clauses(text, taken):
        clause = text[clause_start:clause_end]
        admin = ADMIN_UNIT.search(clause)
        if not admin or not STREET_DETAIL.search(clause, admin.end()):
            continue
        offset = max([0] + [m.end() for m in _ADDRESS_INTRO.finditer(clause) if m.end() <= admin.start()])
        province = _PROVINCE_START.search(clause, offset)
        if province and province.start() < admin.start():
            offset = province.start()
        value = clause[offset:]
        trailer = _ADDRESS_TRAILER.search(value)
        if trailer:
            value = value[:trailer.start()]
        stripped = value.lstrip(" \u3000:：")
        offset += len(value) - len(stripped)
        value = stripped.rstrip()
        if len(value) >= 6 and ADMIN_UNIT.search(value) and STREET_DETAIL.search(value):
            found.append(Found("address", clause_start + offset, clause_start + offset + len(value), value))
    return found


def _overlaps(a: Found, b: Found) -> bool:
    return a.start < b.end and b.start < a.end


_PRIORITY = {kind: rank for rank, kind in enumerate(("email", "id_card", "bank_card", "mobile", "landline",
                                                     "name", "address"))}
# Nothing personal can be in a text without a digit, an @ or one of these words: most messages stop here.
_MAY_HOLD = re.compile(r"[\d@]|收件|收货|联系人|姓名|名字|我叫|本人叫|户名|开户|持卡|取件|寄件")


def find_personal_data(text: str) -> List[Found]:
    """The personal data in ``text``, in order, without overlaps."""
    if not text or not _MAY_HOLD.search(text):
        return []
    candidates = sorted(_structured(text), key=lambda f: (_PRIORITY[f.kind], f.start))
    chosen: List[Found] = []
    for candidate in candidates + _names(text):
        if not any(_overlaps(candidate, other) for other in chosen):
            chosen.append(candidate)
    chosen.extend(_addresses(text, chosen))
    return sorted(chosen, key=lambda f: f.start)


__all__ = ["ADMIN_UNIT", "STREET_DETAIL", "KINDS", "Found", "find_personal_data", "id_check_digit_ok", "luhn_ok"]
