"""Customer commands that are not shopping intents (我的工单, 我的提醒 / 退订, 忘掉我的偏好), and card choices.

The NLU taxonomy has no intents for these (nlu-taxonomy.md is binding), so the
NLU reads them as whatever is nearest (退订降价提醒 as subscribe_alert,
取消全部提醒 as cancel_order, 忘掉我的偏好 as a fallback or even request_human).
Every action therefore asks :func:`answer_command` first (the
:func:`commands_first` decorator on its ``run``): the words decide, not the intent.
"""

from __future__ import annotations

import functools
import logging
import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import slots
from actions.alerts import manage_alerts
from actions.common import customer_of, recommender, sender_of, tickets
from actions.memory import manage_memory, recommendation_customer
from bot.dialogue.commands import asks_about_tickets
from bot.service.texts import tickets_overview

logger = logging.getLogger(__name__)

async def answer_about_tickets(dispatcher: CollectingDispatcher, tracker: Tracker) -> Optional[List[Dict[Text, Any]]]:
    """我的工单怎么样了 (whatever intent the NLU saw): the tickets of this chat, and of the proven
    customer from any chat; None when the message is not about tickets."""
    if not asks_about_tickets(tracker.latest_message.get("text") or ""):
        return None
    customer = customer_of(tracker)
    try:
        found = {ticket.id: ticket for ticket in await tickets().of_conversation(sender_of(tracker))}
        if customer:
            found.update({ticket.id: ticket for ticket in await tickets().of_customer(customer)})
    except Exception as error:
        logger.warning("tickets unavailable: %s", error)
        dispatcher.utter_message(text="抱歉，工单系统暂时查不到，请过几分钟再问我一次。")
        return [slots.offer_cleared()]
    newest_first = sorted(found.values(), key=lambda ticket: ticket.updated_at, reverse=True)
    dispatcher.utter_message(text=tickets_overview(newest_first))
    return [slots.offer_cleared()]


async def answer_command(dispatcher: CollectingDispatcher, tracker: Tracker) -> Optional[List[Dict[Text, Any]]]:
    """Answers the message if it is one of the commands; None when it is not."""
    for command in (manage_memory, manage_alerts, answer_about_tickets):
        answered = await command(dispatcher, tracker)
        if answered is not None:
            return answered
    return None


# What choosing a product card sends on every channel (bot/channels/rendering.py: card_choice_payload,
# the widget's 选这款): a click (点击), whatever the NLU makes of the sentence.
CARD_CHOICE = re.compile(r"^我想了解这款：.+（([^（）]+)）$")


async def record_card_choice(tracker: Tracker) -> None:
    chosen = CARD_CHOICE.match(tracker.latest_message.get("text") or "")
    if chosen:
        await recommender().record_event(recommendation_customer(tracker), "clicked", chosen.group(1))


def commands_first(run):
    """For an action's ``run``: a card choice is recorded as a click; a command is answered as such,
    anything else by the action."""

    @functools.wraps(run)
    async def run_after_commands(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain):
        await record_card_choice(tracker)
        answered = await answer_command(dispatcher, tracker)
        return answered if answered is not None else await run(self, dispatcher, tracker, domain)

    return run_after_commands
