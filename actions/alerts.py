"""我的提醒 and 退订: the customer's alerts, listed or cancelled, whatever intent the NLU saw.

Setting an alert needs the shown products (actions/shopping.py); listing and
cancelling do not, and the words for them (取消全部提醒, 不要再提醒了) are read by
the NLU as several intents, so every action they can land in asks here first.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import slots
from actions.common import last_bot_text, sender_of, subscriptions
from bot.alerts import texts as alert_texts
from bot.alerts.subscriptions import Subscription
from bot.catalog.model import fold
from bot.dialogue.alert_requests import alert_kind_in
from bot.dialogue.commands import ASKS_HOW, CANCELS_ALERTS, CANCELS_ONE, LISTS_ALERTS

logger = logging.getLogger(__name__)

# 退订第2个提醒 / 取消第一个: a number from the 我的提醒 list
NUMBERED = re.compile(r"第\s*([1-9]\d?|[一二两三四五六七八九十])\s*(?:个|条|项)?")
CHINESE_NUMBERS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
async def _cancel_numbered(conversation: str, number: str) -> str:
    """退订第N个: the N-th alert of the 我的提醒 list."""
    position = int(number) if number.isdigit() else CHINESE_NUMBERS[number]
    active = await subscriptions().of_conversation(conversation)
    if not 1 <= position <= len(active):
        return alert_texts.listing(active) if active else alert_texts.cancelled([])
    chosen = active[position - 1]
    await subscriptions().finish(chosen, "cancelled")
    return alert_texts.cancelled([chosen])


def _named(text: str, active: List[Subscription]) -> List[Subscription]:
    """小米那个 · 跑鞋那个: the listed alerts whose product, brand or kind the text names."""
    folded = fold(text)
    # 平板那个 names 平板电脑: a word's first two characters are enough
    return [sub for sub in active
            if any(len(word) >= 2 and (word in folded or (not word.isascii() and word[:2] in folded))
                   for part in (sub.title, sub.brand, sub.category) if part
                   for word in fold(part).split())]


async def _cancel_after_listing(conversation: str, text: str) -> Optional[str]:
    """算了 把那个取消吧 just after 我的提醒's list: the one it names, the only one, or all (全部)."""
    active = await subscriptions().of_conversation(conversation)
    named = _named(text, active)
    if re.search(r"全部|都|所有", text):
        chosen = active
    elif len(named) == 1 or len(active) == 1:
        chosen = named or active
    else:
        return alert_texts.listing(active) if active else alert_texts.cancelled([])
    for sub in chosen:
        await subscriptions().finish(sub, "cancelled")
    return alert_texts.cancelled(chosen)


async def manage_alerts(dispatcher: CollectingDispatcher, tracker: Tracker) -> Optional[List[Dict[Text, Any]]]:
    """Lists or cancels the chat's alerts when the message asks for that; None when it does not."""
    text = tracker.latest_message.get("text") or ""
    lists, cancels = LISTS_ALERTS.search(text), CANCELS_ALERTS.search(text)
    after_listing = alert_texts.is_listing(last_bot_text(tracker)) and CANCELS_ONE.search(text)
    if not (lists or cancels or after_listing):
        return None
    try:
        if after_listing and not cancels and not NUMBERED.search(text):
            reply = await _cancel_after_listing(sender_of(tracker), text)
        elif lists or ASKS_HOW.search(text):
            reply = alert_texts.listing(await subscriptions().of_conversation(sender_of(tracker)))
        elif NUMBERED.search(text):
            reply = await _cancel_numbered(sender_of(tracker), NUMBERED.search(text).group(1))
        else:
            kind = alert_kind_in(text)
            reply = alert_texts.cancelled(await subscriptions().cancel(sender_of(tracker), kind), kind or "")
    except Exception as error:  # Redis briefly down
        logger.warning("alerts unavailable: %s", error)
        reply = "抱歉，提醒暂时查不到，请稍后再试一次。"
    dispatcher.utter_message(text=reply)
    return [slots.offer_cleared()]
