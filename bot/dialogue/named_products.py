"""Products a customer names before any were shown (指名商品): ``小米14和vivoX100哪个拍照好``.

A question about stock, properties or a comparison usually refers to cards on the
screen; with none shown, customers name the model.  ``name_fragments`` splits the
message into the named things, the recommender searches each, and ``pick_named``
keeps a result only when its title holds every model token of the fragment
(``x100`` · ``mate60`` · ``14``), so a search never answers about the wrong model.
"""

from __future__ import annotations

import re
from typing import Mapping, Optional, Sequence

from bot.catalog.model import fold, model_tokens, title_names, with_model_names
from bot.catalog.vocabulary import names_a_line

_SPLIT = re.compile(r"和|跟|与|还是|对比|比较|比起|比|vs\.?|、|，|,|/|；|;", re.IGNORECASE)
_QUESTION_TAIL = re.compile(r"(?:哪个|哪款|哪一个|谁|怎么选|有什么区别|区别|还有货|有现货|现货|有货|还有吗|有吗|有没|多少钱|"
                            r"现在|目前|啥价|什么价|价格|价钱|多钱|几块|卖多少|怎么卖|"
                            r"怎么样|咋样|好|更|拍照|续航|呢|抢不到|没货|缺货|断货|卖完|售罄|补货|到货|"
                            r"啥时候|什么时候|哪天|会不会|降价|打折).*$")  # mate60pro啥时候降价啊


# Words around a name that are no part of it: 那就看看Mate60 · 李宁赤兔6 白色42码还有吗.
_NOT_THE_NAME = re.compile(
    r"^(?:那就|那|就|我想|我要|想要|想|要|再|帮我)?(?:看看|看下|看一下|瞧瞧|查查|查一下|问下|问一下|来个|来台|来部|来双|买|入手|入)?"
    # (KT9白色44: the size after a colour goes with it)
    r"|[0-9]{2}(?:\.5)?\s*(?:码|号)|[\u4e00-\u9fff]{0,2}色(?:的)?(?:\s*[0-9]{2}(?:\.5)?(?![0-9]))?|这个|那个|这款|那款")


def name_fragments(text: str) -> list[str]:
    """The things named in ``text``, one per product (up to three)."""
    head = _QUESTION_TAIL.sub("", fold(text))
    fragments = [_NOT_THE_NAME.sub("", part).strip(" 的了吗呢啊?？!！。.") for part in _SPLIT.split(head)]
    return [fragment for fragment in fragments if len(fragment) >= 2][:3]


# A model name with letters and digits (iPhone15 · Mate60 · X100 · 15 Pro); digits alone are prices or sizes.
_NAMED_MODEL = re.compile(r"[a-z]+\s?[0-9]+[a-z0-9]*|[0-9]+\s?(?:pro|max|plus|ultra|mini)(?![a-z])")


# 小米14 · 平板6 · 赤兔6: a model in Chinese, but only before no price, size or count word (写篇800字).
_CHINESE_MODEL = re.compile(r"[\u4e00-\u9fff][0-9]{1,3}(?![0-9.kKwW千百万块元以到左码号个天岁段件双折字%-])")


def names_a_model(text: str) -> bool:
    """iPhone15 · Mate60 · 15pm (a model by its nickname, read as its titles write it: iphone 15 pro max)."""
    return _NAMED_MODEL.search(fold(with_model_names(text))) is not None


def names_a_chinese_model(text: str) -> bool:
    """小米14 · 平板6: a Chinese name with a model number (callers rule out budgets)."""
    return _CHINESE_MODEL.search(text) is not None


def names_a_model_to_buy(text: str, number_said: bool) -> bool:
    """A model named in Latin or Chinese; a Chinese one only when no budget or size was said, whose
    digits it might be (小米14 三千以内 · 白色41)."""
    return names_a_model(text) or (not number_said and names_a_chinese_model(text))


def names_a_product(text: str) -> bool:
    """利拉德8 · mate60 · 空军一号: a model by its number, or a product line of the catalog by its name."""
    return names_a_model(text) or names_a_chinese_model(text) or names_a_line(text)


def pick_named(fragment: str, rows: Sequence[Mapping[str, object]]) -> Optional[Mapping[str, object]]:
    """The first row whose title is the model the fragment names; the first row when it names none."""
    if not model_tokens(fragment):
        return rows[0] if rows else None
    return next((row for row in rows if title_names(fragment, str(row.get("title", "")))), None)
