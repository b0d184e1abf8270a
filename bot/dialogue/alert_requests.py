"""How shoppers ask for an alert (到货/降价/上新提醒) in their own words, read in one place.

The understanding (bot/dialogue/understanding.py) decides from these that a
message asks for an alert whatever intent the NLU gave it; the alert action
(actions/shopping.py) reads which kind and which product.
"""

from __future__ import annotations

import re
from typing import Optional

# What should happen before the customer hears again (降价 · 到货 · 上新), shared by the patterns below.
# (那藏青的要是到了叫我一声: the colour or size missing comes in; 快递要是到了叫我 · 如果到了通知我 我去取: a parcel)
_EVENTS = r"降价|降了|便宜|打折|补货|到货|来货|有货|上新|出新|(?<=的)(?:要是|如果|等)(?:到|有|来)了"

# 等它便宜点再买 降了喊我 · 跑鞋出新款了推给我 · 小米平板6也帮我盯着: an alert asked for in everyday words
ASKS_ALERT = re.compile(
    rf"(?:{_EVENTS}|新款|上架)(?:点|款)?(?![吗么没不])了?"
    r"[^，。！？,.!?]{0,6}(?:(?:提醒|通知|告诉|喊|叫|戳|推给|推送给|发消息给)我|(?:(?:跟|和|给)我)?说(?:一声|下)|吱一声)"
    r"|(?:降|便宜)到[^，。！？,.!?]{0,8}(?:提醒|通知|告诉|喊|叫)我|帮我盯(?:着|一下|下)|盯着点"
    # 有没有那种一降价就自动通知的功能: alerts asked about, as a service of the shop
    rf"|(?:有没有|有|能不能|可以|能)[^，。！？,.!?]{{0,8}}(?:{_EVENTS})[^，。！？,.!?]{{0,4}}(?:提醒|通知)(?:的|我的)?"
    r"(?:功能|服务|吗|么|不|没)"
    # 如日后有降价，烦请告知: a letter's close, the event and then the request to be told
    rf"|(?:如|若|日后|以后|一旦|如果|要是)[^。！？!?吗么哪]{{0,6}}(?:{_EVENTS})[^。！？!?吗么哪]{{0,6}}(?:烦请|请|麻烦|务必)(?:及时)?"
    r"(?:告知|通知|告诉)(?:一声|一下)?(?:我)?[。！!～~\s]*$"
    # 没货了? 到了提醒我下 (退款到了告诉我 is no alert)
    r"|(?:没货|缺货|断货|卖完)[^，。！,.!]{0,6}(?:到了|来了)(?:记得)?(?:提醒|通知|告诉|喊|叫)我")

# 再加一个 · 再帮我订个星冰乐的 · 这个也帮我盯着, just after an alert was set: one more
ANOTHER_ALERT = re.compile(r"^(?:那|还有)?(?:再|也)(?:帮我)?(?:加|订|设|来)(?:一)?个|(?:这个|那个|它)也(?:帮我)?(?:加|订|设|盯)")

# Where the product named for an alert ends: 雅诗兰黛面霜|有货了告诉我 · 还有小米平板6|也帮我盯着
_REQUEST_STARTS = re.compile(rf"{_EVENTS}|降到|(?:也|就)?帮我盯|盯着|提醒|通知|告诉我|喊我|戳我")

ALERT_KIND_WORDS = (("price_drop", re.compile(r"降价|便宜|优惠|打折|降到|降了|低于|跌")),  # 降了喊我
                    ("new_arrival", re.compile(r"上新|新款|新品|新到|出新")),
                    ("restock", re.compile(r"到货|补货|有货|货到|上架|(?<=的)(?:要是|如果|等)(?:到|有|来)了")))


def alert_kind_in(text: str) -> Optional[str]:
    """The kind of alert a message names (降价 → price_drop, 上新 → new_arrival, 到货 → restock), if any."""
    for kind, words in ALERT_KIND_WORDS:
        if words.search(text):
            return kind
    return None


def product_said_for_alert(text: str) -> str:
    """The words before the alert is asked for (加拿大鹅那件女款降到五千以下提醒我 → 加拿大鹅那件女款), without
    the words asking for one more (再帮我订个星冰乐的 → 星冰乐的)."""
    return _REQUEST_STARTS.split(ANOTHER_ALERT.sub("", text, count=1).strip())[0]
