"""UnderstandingPolicy on real Rasa trackers and the project's domain."""

from pathlib import Path

import pytest
import yaml
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from actions import slots
from bot.policies.understanding_policy import (ACTION_FOR_INTENT, names_any, HANDOFF_OFFER, UNDERSTOOD_INTENT_SLOT,
                                              UnderstandingPolicy)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def domain():
    return Domain.load(str(ROOT / "domain.yml"))


@pytest.fixture
def policy(tmp_path):
    return UnderstandingPolicy.create(UnderstandingPolicy.get_default_config(), LocalModelStorage(tmp_path),
                                      Resource("understanding"), ExecutionContext(GraphSchema({}), "test"))


def tracker(domain, *events):
    return DialogueStateTracker.from_events("customer", [ActionExecuted("action_listen"), *events],
                                            slots=domain.slots)


def said(text, intent, entities=()):
    return UserUttered(text, {"name": intent, "confidence": 0.9}, list(entities))


def predicted(prediction, domain):
    if prediction.max_confidence == 0:
        return None
    return domain.action_names_or_texts[prediction.max_confidence_index]


def test_the_slot_and_actions_agree_with_the_domain_and_rules(domain):
    assert UNDERSTOOD_INTENT_SLOT == slots.UNDERSTOOD_INTENT
    assert UNDERSTOOD_INTENT_SLOT in [slot.name for slot in domain.slots]
    rules = yaml.safe_load((ROOT / "nlu_data" / "rules.yml").read_text("utf-8"))["rules"]
    by_rule = {rule["steps"][0]["intent"]: rule["steps"][1]["action"] for rule in rules
               if rule["steps"][0].get("intent") and len(rule["steps"]) > 1}
    for intent, action in ACTION_FOR_INTENT.items():
        assert by_rule.get(intent, action) == action


def test_a_refinement_with_cards_on_screen_goes_to_the_recommender(domain, policy):
    state = tracker(domain, SlotSet("shown_products", ["SKU1", "SKU2"]), ActionExecuted("action_listen"),
                    said("改成蓝色的吧", "change_order_info",
                         [{"entity": "color", "value": "蓝色", "start": 2, "end": 4}]))
    prediction = policy.predict_action_probabilities(state, domain)
    assert predicted(prediction, domain) == "action_recommend_products"
    assert SlotSet(UNDERSTOOD_INTENT_SLOT, "inform_preference") in prediction.events


def test_after_its_action_the_policy_waits_for_the_customer(domain, policy):
    state = tracker(domain, SlotSet("shown_products", ["SKU1"]), ActionExecuted("action_listen"),
                    said("还有别的吗", "request_recommendation"), SlotSet(UNDERSTOOD_INTENT_SLOT, "request_more"),
                    ActionExecuted("action_recommend_products"))
    assert predicted(policy.predict_action_probabilities(state, domain), domain) == "action_listen"


def test_the_policy_still_waits_when_its_action_found_another_request(domain, policy):
    # 太平鸟这裤子掉色了 给我换条新的 (heard as size advice, read as a search): the search action found the
    # exchange of the jeans bought and recorded it, so the next message follows an exchange
    state = tracker(domain, ActionExecuted("action_listen"), said("太平鸟这裤子掉色了 给我换条新的", "ask_size_advice"),
                    SlotSet(UNDERSTOOD_INTENT_SLOT, "request_recommendation"),
                    ActionExecuted("action_recommend_products"), SlotSet(UNDERSTOOD_INTENT_SLOT, "request_exchange"))
    assert predicted(policy.predict_action_probabilities(state, domain), domain) == "action_listen"
    unfinished = tracker(domain, ActionExecuted("action_listen"), said("给我换条新的", "ask_size_advice"),
                         SlotSet(UNDERSTOOD_INTENT_SLOT, "request_exchange"), ActionExecuted("action_size_advice"))
    assert predicted(policy.predict_action_probabilities(unfinished, domain), domain) is None


def test_an_intent_that_stands_is_left_to_the_rules_but_still_recorded(domain, policy):
    state = tracker(domain, said("我的快递到哪了", "query_order_status"))
    prediction = policy.predict_action_probabilities(state, domain)
    assert predicted(prediction, domain) is None
    assert SlotSet(UNDERSTOOD_INTENT_SLOT, "query_order_status") in prediction.events


def test_an_order_named_after_the_cards_keeps_the_exchange(domain, policy):
    state = tracker(domain, SlotSet("shown_products", ["SKU1"]), SlotSet("order_id", "DD2026112800012"),
                    ActionExecuted("action_listen"),
                    said("能换个颜色吗", "request_exchange", [{"entity": "color", "value": "蓝色", "start": 0, "end": 1}]))
    prediction = policy.predict_action_probabilities(state, domain)
    assert predicted(prediction, domain) is None
    assert SlotSet(UNDERSTOOD_INTENT_SLOT, "request_exchange") in prediction.events


def test_a_refused_colour_never_stays_the_wanted_one(domain, policy):
    entities = [{"entity": "color", "value": "黑色", "start": 3, "end": 5},
                {"entity": "color", "value": "蓝色", "start": 7, "end": 9, "rejected": True}]
    state = tracker(domain, SlotSet("shown_products", ["SKU1"]), ActionExecuted("action_listen"),
                    said("还是要黑色吧，蓝色不要了", "inform_preference", entities),
                    SlotSet("color", ["黑色", "蓝色"]))
    prediction = policy.predict_action_probabilities(state, domain)
    assert SlotSet("color", "黑色") in prediction.events
    only_refused = tracker(domain, ActionExecuted("action_listen"),
                           said("不要耐克的", "inform_preference",
                                [{"entity": "brand", "value": "耐克", "start": 2, "end": 4, "rejected": True}]))
    assert SlotSet("brand", None) in policy.predict_action_probabilities(only_refused, domain).events


def test_brands_compared_do_not_become_a_filter(domain, policy):
    entities = [{"entity": "brand", "value": "惠氏", "start": 0, "end": 2},
                {"entity": "brand", "value": "爱他美", "start": 3, "end": 6}]
    state = tracker(domain, SlotSet("brand", "飞鹤"), ActionExecuted("action_listen"),
                    said("惠氏和爱他美哪个好", "compare_products", entities), SlotSet("brand", ["惠氏", "爱他美"]))
    assert SlotSet("brand", "飞鹤") in policy.predict_action_probabilities(state, domain).events


def test_a_brand_that_points_at_a_product_shown_is_no_filter(domain, policy):
    nike = [{"entity": "brand", "value": "耐克", "start": 2, "end": 4}]
    shown = (SlotSet("shown_products", ["SKU10028", "SKU10029"]), ActionExecuted("action_listen"))
    state = tracker(domain, *shown, said("那个耐克的偏码吗", "ask_size_advice", nike), SlotSet("brand", "耐克"))
    assert SlotSet("brand", None) in policy.predict_action_probabilities(state, domain).events
    # said as a wish, the brand filters
    state = tracker(domain, *shown, said("要耐克的", "inform_preference", nike), SlotSet("brand", "耐克"))
    assert SlotSet("brand", None) not in policy.predict_action_probabilities(state, domain).events


def test_a_follow_up_after_a_comparison_is_compared_again(domain, policy):
    state = tracker(domain, SlotSet("shown_products", ["SKU1", "SKU2"]),
                    SlotSet(UNDERSTOOD_INTENT_SLOT, "compare_products"), ActionExecuted("action_listen"),
                    said("续航呢？", "inform_preference"))
    assert predicted(policy.predict_action_probabilities(state, domain), domain) == "action_compare_products"


def test_every_intent_the_rules_arrive_at_has_an_action():
    import inspect
    from bot.dialogue import understanding
    source = inspect.getsource(understanding.understand) + inspect.getsource(understanding._shopping)
    produced = set(__import__("re").findall(r'Understanding\("([a-z_]+)"', source))
    produced |= {understanding.REQUEST_MORE} | set(understanding._FOLLOW_UP_INTENTS)
    produced |= {said for said, _ in understanding._SMALL_TALK}
    # the rules that keep the previous message's intent (续航呢？ · 大概多久能开出来 · the order's reason)
    produced |= set(understanding._FAQ_INTENTS) | set(understanding._SERVICE_INTENTS)
    assert produced <= set(ACTION_FOR_INTENT)


def test_the_offer_of_a_person_lapses_when_the_customer_moves_on(domain, policy):
    offered = (SlotSet("pending_offer", slots.HANDOFF), ActionExecuted("action_listen"))
    moved_on = policy.predict_action_probabilities(tracker(domain, *offered, said("顺丰要加钱不", "ask_shipping_policy")),
                                                   domain)
    assert SlotSet("pending_offer", None) in moved_on.events
    answered = policy.predict_action_probabilities(tracker(domain, *offered, said("好的", "affirm")), domain)
    assert SlotSet("pending_offer", None) not in answered.events
    assert slots.HANDOFF == HANDOFF_OFFER  # the policy's copy of the name (bot/ does not import actions/)


def test_a_kind_only_inside_another_word_is_not_named():
    assert names_any("改手机号也可以吗", ["手机"]) is False
    assert names_any("手机号换了 想买个新手机", ["手机"]) is True


def test_what_names_an_order_is_no_condition_of_the_next_search(domain, policy):
    state = tracker(domain, ActionExecuted("action_listen"),
                    said("就买了条森马牛仔裤那单", "query_order_status",
                         [{"entity": "brand", "value": "森马", "start": 4, "end": 6},
                          {"entity": "product_category", "value": "牛仔裤", "start": 6, "end": 9}]),
                    SlotSet("brand", "森马"), SlotSet("product_category", "牛仔裤"))
    events = policy.predict_action_probabilities(state, domain).events
    assert SlotSet("brand", None) in events
    assert not any(event.key == "product_category" for event in events if isinstance(event, SlotSet))  # the kind stays


def test_a_number_that_is_no_price_leaves_the_budget_to_the_price_said(domain, policy):
    text = "那先推荐个别的进口奶粉 300以内 2段"
    entities = [{"entity": "budget", "value": "300以内", "start": 12, "end": 17},
                {"entity": "budget", "value": "2段", "start": 18, "end": 20}]
    state = tracker(domain, ActionExecuted("action_listen"), said(text, "request_recommendation", entities),
                    SlotSet("budget", ["300以内", "2段"]))
    assert SlotSet("budget", "300以内") in policy.predict_action_probabilities(state, domain).events


def test_a_bare_number_after_a_size_is_the_size_not_a_budget(domain, policy):
    shown = (SlotSet("shown_products", ["SKU10055"]), SlotSet("size", "27"), SlotSet("budget", "三百以内"),
             ActionExecuted("action_listen"))
    state = tracker(domain, *shown, said("28也行", "inform_preference",
                                         [{"entity": "budget", "value": "28", "start": 0, "end": 2}]),
                    SlotSet("budget", "28"))
    events = policy.predict_action_probabilities(state, domain).events
    assert SlotSet("size", "28") in events and SlotSet("budget", "三百以内") in events


def test_a_kind_named_by_the_first_words_is_no_search_under_way(domain, policy):
    text = "李维斯那条连衣裙能换个大一码吗"
    entities = [{"entity": "brand", "value": "李维斯", "start": 0, "end": 3},
                {"entity": "product_category", "value": "连衣裙", "start": 5, "end": 8}]
    first = tracker(domain, said(text, "request_exchange", entities), SlotSet("brand", "李维斯"),
                    SlotSet("product_category", "连衣裙"))
    prediction = policy.predict_action_probabilities(first, domain)
    assert SlotSet(UNDERSTOOD_INTENT_SLOT, "inform_preference") not in prediction.events
    # with a search of dresses under way (the bot asked a question, no card shown), 换 refines it
    searching = tracker(domain, SlotSet("product_category", "连衣裙"), SlotSet("searched_category", "连衣裙"),
                        ActionExecuted("action_listen"), said("换成蓝色的吧", "request_exchange",
                                                              [{"entity": "color", "value": "蓝色", "start": 2,
                                                                "end": 4}]))
    assert SlotSet(UNDERSTOOD_INTENT_SLOT, "inform_preference") in policy.predict_action_probabilities(
        searching, domain).events


def test_products_asked_beside_an_order_request_are_searched_after_it(domain, policy):
    text = "我待付款那个bose耳塞帮我取消了吧 太贵了 想看看一千以内的降噪耳机"
    state = tracker(domain, ActionExecuted("action_listen"), said(text, "cancel_order"),
                    SlotSet(UNDERSTOOD_INTENT_SLOT, "cancel_order"), ActionExecuted("action_order_service"))
    assert predicted(policy.predict_action_probabilities(state, domain), domain) == "action_recommend_products"
    alone = tracker(domain, ActionExecuted("action_listen"), said("那单帮我取消了吧 太贵了", "cancel_order"),
                    SlotSet(UNDERSTOOD_INTENT_SLOT, "cancel_order"), ActionExecuted("action_order_service"))
    assert predicted(policy.predict_action_probabilities(alone, domain), domain) in (None, "action_listen")


def test_after_the_order_and_the_products_are_answered_the_policy_waits(domain, policy):
    text = "我待付款那个bose耳塞帮我取消了吧 太贵了 想看看一千以内的降噪耳机"
    state = tracker(domain, ActionExecuted("action_listen"), said(text, "cancel_order"),
                    SlotSet(UNDERSTOOD_INTENT_SLOT, "cancel_order"), ActionExecuted("action_order_service"),
                    ActionExecuted("action_recommend_products"))
    assert predicted(policy.predict_action_probabilities(state, domain), domain) == "action_listen"


def test_anger_said_again_after_a_grievance_goes_to_the_complaint_flow(domain, policy):
    # (下单三天了还是待发货 搞什么啊, answered with the order's status →) 我真的生气了: the second outburst, whatever
    # the NLU heard, is a complaint, and the complaint flow fetches a person
    state = tracker(domain, said("下单三天了还是待发货 搞什么啊", "query_order_status"),
                    SlotSet(UNDERSTOOD_INTENT_SLOT, "query_order_status"), ActionExecuted("action_order_status"),
                    ActionExecuted("action_listen"), said("我真的生气了 你们就是这么对老顾客的？", "bot_challenge"))
    prediction = policy.predict_action_probabilities(state, domain)
    assert predicted(prediction, domain) == "action_handle_complaint"
    calm_before = tracker(domain, said("那单到哪了", "query_order_status"),
                          SlotSet(UNDERSTOOD_INTENT_SLOT, "query_order_status"), ActionExecuted("action_order_status"),
                          ActionExecuted("action_listen"), said("我真的生气了 你们就是这么对老顾客的？", "bot_challenge"))
    assert SlotSet(UNDERSTOOD_INTENT_SLOT, "complain") not in policy.predict_action_probabilities(
        calm_before, domain).events  # a first outburst is answered as what it asks


def test_anger_after_a_wait_only_asked_after_is_the_first_and_gets_the_status(domain, policy):
    # 订单怎么还没到 → 都一个礼拜了!!! 你们到底发没发: no displeasure before, so this is the first anger
    state = tracker(domain, said("订单怎么还没到", "query_order_status"),
                    SlotSet(UNDERSTOOD_INTENT_SLOT, "query_order_status"), ActionExecuted("action_order_status"),
                    ActionExecuted("action_listen"), said("都一个礼拜了!!! 你们到底发没发", "query_order_status"))
    assert SlotSet(UNDERSTOOD_INTENT_SLOT, "complain") not in policy.predict_action_probabilities(state, domain).events
