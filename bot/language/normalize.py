"""Text normalisation (文本规范化) that keeps every character at its offset.

Entity extraction maps token offsets back onto the customer's original text,
so every step here replaces one character with exactly one character:

* full-width ASCII and the ideographic space become half-width (``３００`` → ``300``);
* Latin letters are case-folded (``iPhone`` → ``iphone``);
* traditional characters are read as simplified with OpenCC's ``t2s`` tables
  (``訂單`` → ``订单``);
* control characters become spaces (so they end up as dropped whitespace);
* a lone surrogate (half of an emoji cut by a client) becomes U+FFFD: OpenCC
  cannot encode it, and the message must still be understood;
* a few shoppers' spellings of product words become the word (``T桖`` → ``t恤``).

A conversion that would change the length of the text (rare OpenCC phrase
rules, a few Unicode case mappings) is applied character by character instead,
keeping the original character where even that would change the length.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_FULLWIDTH_FIRST, _FULLWIDTH_LAST, _FULLWIDTH_SHIFT = 0xFF01, 0xFF5E, 0xFEE0
_IDEOGRAPHIC_SPACE = "\u3000"
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


@functools.lru_cache(maxsize=1)
def _traditional_to_simplified():
    from opencc import OpenCC

    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional characters read as simplified (訂單 → 订单), one character for one."""
    text = _LONE_SURROGATE.sub("\ufffd", text)  # OpenCC cannot encode half an emoji
    converter = _traditional_to_simplified()
    converted = converter.convert(text)
    if len(converted) == len(text):
        return converted
    chars = []
    for char in text:
        single = converter.convert(char)
        chars.append(single if len(single) == 1 else char)
    return "".join(chars)


def _normalize_char(char: str) -> str:
    code = ord(char)
    if _FULLWIDTH_FIRST <= code <= _FULLWIDTH_LAST:
        char = chr(code - _FULLWIDTH_SHIFT)
    elif char == _IDEOGRAPHIC_SPACE:
        return " "
    elif unicodedata.category(char) in ("Cc", "Cf") and char not in "\u200d\ufe0f":
        # Zero-width joiner and variation selector 16 belong to emoji sequences.
        return " "
    lowered = char.lower()
    return lowered if len(lowered) == 1 else char


# Shoppers' spellings of a word, each as long as the word: T桖 is T恤, 连衣群 is 连衣裙, 蓝芽 (Taiwan's
# 藍芽) is 蓝牙, 包油 is 包邮, 优惠卷 is 优惠券, 有木有 is 有没有.  Read after case folding.
_SPELLINGS = {"t桖": "t恤", "t血": "t恤", "连衣群": "连衣裙", "洗面乃": "洗面奶", "蓝芽": "蓝牙", "羽戎": "羽绒",
              "包油": "包邮", "优惠卷": "优惠券", "领卷": "领券", "新人卷": "新人券", "红包卷": "红包券",
              "跑布鞋": "跑步鞋", "有木有": "有没有", "肿么": "怎么", "神马": "什么", "平版": "平板", "篮求": "篮球",
              # homophones a pinyin keyboard offers first for kinds (跑不鞋 · 羽容服 · 蓝牙耳鸡 · 智能首表 · 洗发谁),
              # none inside an ordinary word (面双 is in 里面双层, 扣红 in 扣红包, 手标 in 手标注: left out)
              "泡步鞋": "跑步鞋", "跑不鞋": "跑步鞋", "休闲写": "休闲鞋", "t需": "t恤", "t序": "t恤", "t绪": "t恤",
              "牛崽裤": "牛仔裤", "牛仔库": "牛仔裤", "雨绒服": "羽绒服", "羽容服": "羽绒服", "羽绒府": "羽绒服",
              "首机": "手机", "耳鸡": "耳机", "平扳": "平板", "电恼": "电脑", "首表": "手表", "智能手标": "智能手表",
              "洗面耐": "洗面奶", "西面奶": "洗面奶", "口虹": "口红", "洗发谁": "洗发水", "卡啡": "咖啡", "咖非": "咖啡",
              "奶份": "奶粉", "玩据": "玩具",
              # and for what a product does (降躁 · 显廋 · 亚光 · 保暧: a voice slip, a look-alike character)
              "降躁": "降噪", "将噪": "降噪", "显廋": "显瘦", "亚光": "哑光", "保暧": "保暖",
              # service words (查下物留 · 啥时候发获) and dialect (甭改了 is 别改了; 啥辰光, Shanghainese, is 啥时候)
              "查物留": "查物流", "下物留": "下物流", "的物留": "的物流", "物留信息": "物流信息", "发获": "发货", "甭": "别",
              "辰光": "时候",  # (衣物留香珠 · 礼物留着 keep 物留)
              # and for brands (耐可 · 安塔 · 花为手机 · 三只松树; 花为 alone is in 这花为什么; brands.yml lists the
              # spellings that are aliases of their own, 奈克 · 兰寇)
              "耐可": "耐克", "亚瑟式": "亚瑟士", "安塔": "安踏", "森玛": "森马", "海兰之家": "海澜之家",
              "花为手": "华为手", "花为平": "华为平", "漫布者": "漫步者", "潘停": "潘婷", "阿道副": "阿道夫",
              "三只松树": "三只松鼠", "鹊巢": "雀巢", "飞贺": "飞鹤"}
# (a Latin key only at a word's start: fitbit需要充电吗 holds no t需)
_SPELLING = re.compile("|".join(("(?<![a-z])" if key[0].isascii() else "") + re.escape(key) for key in _SPELLINGS))


# Shop words typed as their pinyin initials (yf多少 · xyk能付吗 · jd配送还是别的kd), each as long as the word it
# stands for; only a whole Latin word is one (iphone15 holds no hb).
_INITIALS = {"yf": "运费", "kd": "快递", "fh": "发货", "wl": "物流", "sf": "顺丰", "jd": "京东", "tb": "淘宝",
             "pdd": "拼多多", "sh": "售后", "tk": "退款", "thh": "退换货", "kf": "客服", "rg": "人工", "dz": "地址",
             "zfb": "支付宝", "wx": "微信", "hb": "花呗", "xyk": "信用卡", "hdfk": "货到付款", "yhq": "优惠券",
             "mj": "满减"}
_INITIAL = re.compile(r"(?<![A-Za-z0-9])(?:" + "|".join(_INITIALS) + r")(?![A-Za-z0-9])", re.IGNORECASE)


def respelled(text: str) -> str:
    """``text`` with shoppers' misspellings of shop words, and the pinyin initials they type for them, put
    right (same length)."""
    return _INITIAL.sub(lambda found: _INITIALS[found[0].lower()], respelled_words(text))


def respelled_words(text: str) -> str:
    """``text`` with shoppers' misspellings of shop words put right (same length); no initials (1 TB stays)."""
    return _SPELLING.sub(lambda found: _SPELLINGS[found[0]], text)


def normalize(text: str) -> str:
    """Returns ``text`` normalised, with ``len(normalize(text)) == len(text)``."""
    if not text:
        return ""
    return respelled("".join(_normalize_char(char) for char in to_simplified(text)))
