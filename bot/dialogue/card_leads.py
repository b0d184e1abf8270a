"""The words above product cards: they answer what was asked (有货吗 → 有的), or say what was relaxed.

``body`` is the recommender's answer (bot/recommender/service.py): its ``message``
explains a relaxed condition, a wider kind searched (电脑 → 平板电脑) or an empty result, ``wanted_tags_missing`` names the
attributes none of the new products has after every product with them was shown.
"""

from __future__ import annotations

import re
from typing import Any, Mapping, Sequence


def cards_lead(body: Mapping[str, Any], products: Sequence[Mapping[str, Any]], more: bool, text: str) -> str:
    """The words above the cards. The recommender's own message is kept where it explains something
    (what was relaxed, that nothing was found); the plain lead is the bot's to word."""
    if body.get("relaxed") or body.get("widened") or not products:
        message = body.get("message") or ""
        # (游戏低延迟 · 300以内 → 还有别的吗): the wish the closest ones miss is named with the ones that had it
        missing = "、".join(body.get("wanted_tags_missing") or [])
        all_shown = f"符合您全部条件{f'（{missing}）' if missing else ''}的就是刚才那几款了。" \
            if more and body.get("relaxed") else ""
        return all_shown + message
    if more and body.get("wanted_tags_missing"):
        # every product with the wanted attribute was shown: these others do not have it, and say so
        return f"{'、'.join(body['wanted_tags_missing'])}的就是刚才那几款了，这几款也可以看看："
    if not more and _ASKS_IF_AVAILABLE.search(text):  # 还有吗 asks for more, not whether they are in stock
        return "有的，这几款有货："  # 灰色的有货吗: yes first, then the cards
    if not more and _ASKS_ABOUT_STOCK.search(text):
        return "这几款现在有货："  # 万斯那双是不是没货了: what is in stock, the cards say which
    return "为你挑了这几款："


# 灰色的有货吗 · 粉色的XL还有吗 · 有高腰的吗 · 有M码吗 · 有没有现货啊: whether there are such products,
# answered with them.
_ASKS_IF_AVAILABLE = re.compile(r"(?:有货|还有|有|有现货|现货|库存)[^，。？?！!\s推荐啥什么区别好]{0,6}?(?:吗|嘛|么|咩|没|没有|不)[？?～~。!！\s啊呀]*$"
                                r"|有没有(?:现货|货|库存)|有木有[？?～~。!！\s]*$|(?:有货|有现货)吧[？?～~。!！\s]*$"
                                # 那黑色41呢 · 41呢 · 那藏青32 · 米色L呢 没有就算了: another size or colour of these, asked
                                r"|^(?:那|那个|那就)?\s*[^\s，。,.]{0,4}?"
                                r"(?:[0-9]{2}(?:\.5)?|(?<![A-Za-z])(?:XXL|XL|S|M|L)(?![A-Za-z]))"
                                r"(?:码|号)?的?\s*(?:呢|有吗|有没有)?[？?～~。!！\s]*(?:没有就算了)?$"
                                r"|^(?:那|那个)?\s*[\u4e00-\u9fff]{1,3}(?:色|的)+\s*呢[？?～~。!！\s]*$", re.IGNORECASE)
# 是不是没货了 · 断货了吗 · 啥时候补货: stock asked about, not whether there are such products
# 黑色31还剩几条 · 那黄色还剩哪些码 · 库存多少: how many are left, the cards say which are
# 主播说的那款还有货吗 要黑的: stock asked, the message going on after it
_ASKS_ABOUT_STOCK = re.compile(r"没货|断货|缺货|补货|售罄|卖完|卖光|(?:什么|啥)时候(?:能|才)?(?:有货|到货|上)|还会(?:上|有|补)"
                               r"|还剩|剩(?:几|多少|哪些|啥)|库存(?:多少|还有)?|有货|现货")
