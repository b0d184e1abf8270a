"""Actions of the shopping guide (导购)."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.dialogue.conditions import ShoppingConditions, acknowledgement


class ActionNoteShoppingConditions(Action):
    """Says back the conditions collected so far and asks for the category when it is missing."""

    def name(self) -> Text:
        return "action_note_shopping_conditions"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        conditions = ShoppingConditions.from_slots(tracker.current_slot_values())
        dispatcher.utter_message(text=acknowledgement(conditions))
        return []
