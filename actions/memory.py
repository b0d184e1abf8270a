"""Memory across visits (记住的偏好): greet a returning customer with what they looked at, forget on request.

Whom to remember is :func:`bot.store.customer_memory.memory_key`: a proven
customer or a WeChat / Telegram account, never a guest of the widget or REST.
The recommender's profile of the customer is kept under the same key, so
recommendations use their history too.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import slots
from actions.common import customer_memory, customer_of, recommender, sender_of
from bot.dialogue.commands import FORGETS, RESUMES_PERSONALISING, STOPS_PERSONALISING
from bot.dialogue.recommender_client import RecommenderRefused, RecommenderUnavailable
from bot.store.customer_memory import memory_key

logger = logging.getLogger(__name__)

RETURNING_AFTER_SECONDS = 30 * 60  # a greeting within half an hour of the last search is the same visit
FORGOTTEN = "好的，已经忘掉您的偏好和浏览记录了，之后的推荐不会再参考它们。"
NOTHING_TO_FORGET = "我这边没有记住您的偏好或浏览记录，不用担心～"
PERSONALISING_OFF = ("好的，已关闭个性化推荐：之前记下的偏好和浏览记录已清除，之后也不再根据您看过、买过的东西推荐，"
                     "只按您每次说的条件挑。想恢复时说“打开个性化推荐”。")
PERSONALISING_ON = "好的，已打开个性化推荐：之后会参考您看过、买过的商品，推荐更合您口味的。"
GUEST_NOT_REMEMBERED = "好的，这次聊天里记下的浏览记录已经清掉了；您现在没有登录，我本来就不会在下次来访时记住您的偏好。"


def who_is(tracker: Tracker) -> Optional[str]:
    return memory_key(customer_of(tracker), tracker.get_latest_input_channel() or "", sender_of(tracker))


def recommendation_customer(tracker: Tracker) -> str:
    """The id the recommender keeps the profile under and the analytics count as one person:
    the remembered customer, else this chat (bot/analytics/turns.py: person_of says the same)."""
    return who_is(tracker) or f"chat:{sender_of(tracker)}"


async def remember_search(tracker: Tracker, conditions: Dict[str, Any], shown: List[Dict[str, Any]]) -> None:
    who = who_is(tracker)
    if who is None or not shown:
        return
    try:
        await customer_memory().remember_search(who, conditions, shown)
    except Exception as error:  # memory is a nicety: never cost the customer the reply
        logger.warning("search not remembered: %s", error)


async def manage_memory(dispatcher: CollectingDispatcher, tracker: Tracker) -> Optional[List[Dict[Text, Any]]]:
    """忘掉我的偏好 · 关闭/打开个性化推荐, whatever intent the NLU saw; None when the message asks neither."""
    text = tracker.latest_message.get("text") or ""
    stops, resumes = STOPS_PERSONALISING.search(text), RESUMES_PERSONALISING.search(text)
    if not (stops or resumes or FORGETS.search(text)):
        return None
    who = who_is(tracker)
    # a guest has no memory across visits, only this chat's profile
    customer = recommendation_customer(tracker)
    try:
        if stops:
            await customer_memory().stop_personalising(customer)
            reply = PERSONALISING_OFF
        elif resumes:
            await customer_memory().resume_personalising(customer)
            reply = PERSONALISING_ON
        else:
            forgot = await customer_memory().forget(customer)
            reply = GUEST_NOT_REMEMBERED if who is None else FORGOTTEN if forgot else NOTHING_TO_FORGET
    except Exception as error:
        logger.warning("memory not changed: %s", error)
        reply = "抱歉，暂时没能办好，请稍后再说一次。"
    dispatcher.utter_message(text=reply)
    return [slots.offer_cleared()]


async def welcome_back(tracker: Tracker) -> Optional[Dict[str, Any]]:
    """The greeting for a returning customer (text and maybe a card), or None for a plain greeting."""
    who = who_is(tracker)
    if who is None:
        return None
    try:
        memory = await customer_memory().recall(who)
    except Exception as error:
        logger.warning("memory unavailable: %s", error)
        return None
    if memory is None or time.time() - memory.last_at < RETURNING_AFTER_SECONDS:
        return None
    remembered = {item["id"]: item for item in memory.viewed}
    try:
        rows = await recommender().products(list(remembered)[:5]) if remembered else []
    except (RecommenderUnavailable, RecommenderRefused):
        rows = []
    for row in rows:
        before = float(remembered[row["id"]].get("price") or 0)
        if before and float(row["price"]) < before - 0.005:
            card = {key: row.get(key) for key in ("id", "title", "category", "brand", "price", "image", "colors",
                                                  "sizes", "stock")}
            card["reason"] = f"您上次看过，降价了：原价 ¥{before:g}"
            return {"text": f"欢迎回来～上次看的{row['title']}降价了：¥{before:g} → ¥{float(row['price']):g}，要不要再看看？",
                    "json_message": {"type": "product_cards", "products": [card]}}
    what = " ".join(memory.conditions[name] for name in ("brand", "category") if memory.conditions.get(name))
    if what:
        budget = f"（{memory.conditions['budget']}）" if memory.conditions.get("budget") else ""
        return {"text": f"欢迎回来～上次您在看{what}{budget}，要继续帮您挑吗？想看别的也可以直接告诉我。"}
    return None
