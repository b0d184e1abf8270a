"""你好: the greeting, with context for a returning customer (actions/memory.py)."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.commands import commands_first
from actions.memory import welcome_back


class ActionGreet(Action):
    """你好: a returning customer hears what they looked at last (上次看的那双跑鞋降价了); others the usual greeting."""

    def name(self) -> Text:
        return "action_greet"

    @commands_first
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        greeting = await welcome_back(tracker)
        if greeting is None:
            dispatcher.utter_message(response="utter_greet")
        else:
            dispatcher.utter_message(**greeting)
        return []
