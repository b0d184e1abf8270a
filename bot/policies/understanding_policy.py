"""``UnderstandingPolicy``: the NLU's intent read in the conversation's state (bot/dialogue/understanding.py).

On the first prediction after a customer's message it records, in the slot
``understood_intent``, what the message means here (always, so actions never read a
stale value), corrects the slots of refused conditions (蓝色不要了), and, where that
differs from the NLU's intent, predicts the action for it with a priority above the
rules; after that action it predicts ``action_listen``.
Where the NLU's intent stands it predicts nothing and the rules decide as before.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Iterator, List, Optional, Text

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from bot.catalog.needs import needed_tags
from bot.catalog.vocabulary import attribute_words, category_words, kinds_for_needs, kinds_wanted_instead
from bot.dialogue.conditions import is_a_condition, size_said_again
from bot.dialogue.references import POINTING
from bot.dialogue.understanding import (ASK_AFTER_SALES_POLICY, ASK_SHOP_INFO, CUSTOMER_COMMAND,
                                        INTENTS_A_NEED_MAY_OVERRULE, ORDER_CHANGES_BESIDE_PRODUCTS, ORDER_INTENTS,
                                        REQUEST_MORE, DialogueState, displeased_lately, products_asked_beside,
                                        understand)
from bot.language.entity_repair import part_of_another_word
from bot.language.negation import REJECTED

# Questions asked of one product (第二个偏码吗 · 那个华为的多少钱), never a new condition of the search.
QUESTIONS_ABOUT_A_PRODUCT = frozenset({"ask_product_info", "ask_size_advice", "check_stock"})
UNDERSTOOD_INTENT_SLOT = "understood_intent"  # actions/slots.py names it too; a test keeps them equal
# The action that answers each intent this policy can arrive at (the same as nlu_data/rules.yml).
ACTION_FOR_INTENT = {
    "request_recommendation": "action_recommend_products",
    "inform_preference": "action_recommend_products",
    REQUEST_MORE: "action_recommend_products",
    CUSTOMER_COMMAND: "action_handle_fallback",  # any action of ours answers a command first
    ASK_AFTER_SALES_POLICY: "action_answer_faq",
    ASK_SHOP_INFO: "action_answer_faq",
    "query_order_status": "action_order_status",
    "request_return_refund": "action_order_service",
    "request_exchange": "action_order_service",
    "cancel_order": "action_order_service",
    "change_order_info": "action_order_service",
    "request_human": "action_handoff",
    "complain": "action_handle_complaint",
    "bot_challenge": "utter_iamabot",
    "greet": "action_greet",
    "goodbye": "utter_goodbye",
    "thank": "utter_thank",
    "affirm": "action_affirm_or_deny",
    "deny": "action_affirm_or_deny",
    "out_of_scope": "utter_out_of_scope",
    "compare_products": "action_compare_products",
    "ask_product_info": "action_answer_product_question",
    "ask_size_advice": "action_size_advice",
    "ask_promotion": "action_answer_faq",
    "ask_shipping_policy": "action_answer_faq",
    "ask_payment": "action_answer_faq",
    "check_stock": "action_check_stock",
    "subscribe_alert": "action_subscribe_alert",
}
# The bot's offer of a person (actions/slots.py), and what may still answer it.
HANDOFF_OFFER = "handoff"
ANSWERS_TO_AN_OFFER = frozenset({"affirm", "deny", "request_human", "complain"})
# Conditions an order's description names (森马 · 白色 · 31) that are no condition of the next search.
ORDER_DETAILS = ("brand", "color", "size", "budget")
# Conditions a comparison names without asking to filter by them.
COMPARED_SLOTS = ("brand", "product_category")
# Actions Rasa runs on its own between a message and the first prediction.
_HOUSEKEEPING_ACTIONS = frozenset({ACTION_LISTEN_NAME, "action_extract_slots", "action_session_start"})


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class UnderstandingPolicy(Policy):
    """Corrects the intent where the conversation's state decides it; the rules do the rest."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # Above RulePolicy (6): a correction must win over the rule for the NLU's intent.
            "priority": 7,
        }

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        return self._resource  # nothing to learn: the corrections are written in understanding.py

    def predict_action_probabilities(self, tracker: DialogueStateTracker, domain: Domain,
                                     rule_only_data: Optional[Dict[Text, Any]] = None,
                                     **kwargs: Any) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        actions_since = _actions_since_message(tracker)
        if actions_since is None:
            return self._prediction(probabilities)
        nlu_intent = tracker.latest_message.intent.get("name")
        if actions_since == [ACTION_FOR_INTENT["cancel_order"]] \
                and (_understood_since_message(tracker) or [None])[0] in ORDER_CHANGES_BESIDE_PRODUCTS \
                and products_asked_beside(tracker.latest_message.text or ""):
            # 那单帮我取消了吧 想看看一千以内的降噪耳机: the order's answer given, the products asked for too
            probabilities[domain.index_for_action(ACTION_FOR_INTENT["request_recommendation"])] = 1.0
            return self._prediction(probabilities)
        if actions_since[-2:] == [ACTION_FOR_INTENT["cancel_order"], ACTION_FOR_INTENT["request_recommendation"]]:
            probabilities[domain.index_for_action(ACTION_LISTEN_NAME)] = 1.0  # both asked, both answered
            return self._prediction(probabilities)
        if actions_since:  # our action has run: wait for the customer
            # (the action may have set another: 太平鸟这裤子掉色了 给我换条新的, heard as a search, was an exchange)
            if any(understood != nlu_intent and actions_since[-1] == ACTION_FOR_INTENT.get(understood)
                   for understood in _understood_since_message(tracker)):
                probabilities[domain.index_for_action(ACTION_LISTEN_NAME)] = 1.0
            return self._prediction(probabilities)
        text = tracker.latest_message.text or ""
        entities = [entity for entity in tracker.latest_message.entities if is_a_condition(entity, text)]
        size_again = size_said_again(text, tracker.get_slot("size"))
        if size_again:  # 腰围27 → 28也行: a size, though the NLU read a price
            entities = [entity for entity in entities if entity.get("entity") not in ("budget", "size")] \
                + [{"entity": "size", "value": size_again}]
        overrulable = nlu_intent in INTENTS_A_NEED_MAY_OVERRULE
        understanding = understand(
            nlu_intent, entities, text, dialogue_state(tracker), names_category=names_any(text, category_words()),
            names_attribute=names_any(text, attribute_words()) or bool(needed_tags(text)),
            needs_a_kind=overrulable and bool(kinds_for_needs(text)),
            wants_another_kind=overrulable and bool(kinds_wanted_instead(text)))
        events = [SlotSet(UNDERSTOOD_INTENT_SLOT, understanding.intent), *refused_slot_corrections(entities)]
        if size_again:
            events.append(SlotSet("size", size_again))
        if tracker.get_slot("pending_offer") == HANDOFF_OFFER and understanding.intent not in ANSWERS_TO_AN_OFFER:
            # 需要转人工吗？→ 顺丰要加钱不 → 行吧 知道了: the offer lapsed when the customer moved on, also
            # through a canned reply that clears no slot, so a later 行吧 takes nobody to the queue
            events.append(SlotSet("pending_offer", None))
        for name in {entity.get("entity") for entity in tracker.latest_message.entities if entity not in entities}:
            # 俩一起买包邮吗 · 小米14: 一起 marked as a budget, 14 as a size, filled the slot; what was said before
            # stays, or what else the message said of it (300以内 2段: the stage, marked last, is no budget)
            kept = [entity.get("value") for entity in entities
                    if entity.get("entity") == name and not entity.get(REJECTED)]
            events.append(SlotSet(name, kept[-1] if kept else slot_before_message(tracker, name)))
        if understanding.intent in ("compare_products", "affirm") or (
                understanding.intent in QUESTIONS_ABOUT_A_PRODUCT and POINTING.search(text)):
            # 惠氏和爱他美哪个好 · 那个耐克的偏码吗 · 那就欧莱雅那个吧 name brands to point with, they filter nothing
            events += [SlotSet(name, slot_before_message(tracker, name)) for name in COMPARED_SLOTS
                       if tracker.get_slot(name) != slot_before_message(tracker, name)]
        if understanding.intent in ORDER_INTENTS:
            # 就买了条森马牛仔裤那单 names an order: 森马 is no brand to search by next (给男朋友看条牛仔裤); the kind
            # stays, as reviewers expect a new one bought after 我那条牛仔裤31小了 to be jeans
            events += [SlotSet(name, slot_before_message(tracker, name)) for name in ORDER_DETAILS
                       if tracker.get_slot(name) != slot_before_message(tracker, name)]
        action = ACTION_FOR_INTENT.get(understanding.intent) if understanding.changed else None
        if action is not None:
            probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities, events=events,
                                diagnostic_data={"understood": understanding.intent, "reason": understanding.reason})


def slot_before_message(tracker: DialogueStateTracker, name: str) -> Any:
    """The slot's value before the customer's latest message filled it."""
    seen_message = False
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            seen_message = True
        elif seen_message and isinstance(event, SlotSet) and event.key == name:
            return event.value
    return None


def refused_slot_corrections(entities: List[Dict[Text, Any]]) -> List[SlotSet]:
    """还是要黑色吧，蓝色不要了: the slot takes the wanted value of the message, or is cleared (不要耐克的)."""
    corrections = []
    for name in {entity["entity"] for entity in entities if entity.get(REJECTED)}:
        wanted = [entity.get("value") for entity in entities if entity["entity"] == name and not entity.get(REJECTED)]
        corrections.append(SlotSet(name, wanted[-1] if wanted else None))
    return corrections


def _understood_since_message(tracker: DialogueStateTracker) -> List[Any]:
    """What the customer's latest message was understood as, newest first: by the action that ran, by this policy."""
    understood: List[Any] = []
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, SlotSet) and event.key == UNDERSTOOD_INTENT_SLOT:
            understood.append(event.value)
    return understood


def _actions_since_message(tracker: DialogueStateTracker) -> Optional[List[str]]:
    """The bot's own actions since the customer's latest message (oldest first); None if none is waiting."""
    actions: List[str] = []
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return list(reversed(actions))
        if isinstance(event, ActionExecuted) and event.action_name:
            if event.action_name == ACTION_LISTEN_NAME:
                return None
            if event.action_name not in _HOUSEKEEPING_ACTIONS:
                actions.append(event.action_name)
    return None


def dialogue_state(tracker: DialogueStateTracker) -> DialogueState:
    """Cards on the screen, an order in focus, a search under way, from the slots and their order."""
    cards_shown = bool(tracker.get_slot("shown_products"))
    pending = tracker.get_slot("pending_offer") or ""
    order_in_focus = pending.startswith("order:")
    if not order_in_focus and tracker.get_slot("order_id"):
        # the order counts when it was named after the cards were shown
        for event in reversed(tracker.events):
            if isinstance(event, SlotSet) and event.key == "shown_products" and event.value:
                break
            if isinstance(event, SlotSet) and event.key == "order_id" and event.value:
                order_in_focus = True
                break
    # shopping_need alone: the bot asked what kind of product (送男朋友礼物 → 他喜欢打篮球 answers it); a kind
    # the message itself names counts too, as the NLU often hears a first search as an order question
    shopping = bool(tracker.get_slot("searched_category") or tracker.get_slot("product_category")
                    or tracker.get_slot("shopping_need"))
    return DialogueState(cards_shown=cards_shown, order_in_focus=order_in_focus, shopping=shopping,
                         searched=bool(tracker.get_slot("searched_category")),
                         product_in_focus=bool(tracker.get_slot("focus_product")),
                         awaiting_order=pending.startswith("order:"),
                         awaited_kind=pending[len("order:"):] if pending.startswith("order:") else None,
                         # not yet overwritten for this message: the previous turn's understanding
                         last_intent=tracker.get_slot(UNDERSTOOD_INTENT_SLOT),
                         searched_kind=tracker.get_slot("searched_category"),
                         displeased_lately=displeased_lately(_earlier_messages(tracker)))


def _earlier_messages(tracker: DialogueStateTracker) -> Iterator[str]:
    """The texts of the customer's messages before the latest one in this session, newest first."""
    latest_seen = False
    for event in reversed(tracker.events):
        if isinstance(event, SessionStarted):
            return
        if isinstance(event, UserUttered):
            if latest_seen:
                yield event.text or ""
            latest_seen = True


def names_any(text: str, words) -> bool:
    """Whether the text holds one of the catalog's ``words`` (lower-case), not only as part of another word
    (改手机号也可以吗 names no phone)."""
    text = text.lower()
    return any(not part_of_another_word(text[found.end():])
               for word in words if word in text for found in re.finditer(re.escape(word), text))
