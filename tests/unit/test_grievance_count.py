"""Grievances are counted by what each message was understood as, not by the NLU's first reading."""

from rasa_sdk import Tracker

from actions.service import grievances, recent_intents


def _said(text: str, nlu_intent: str, understood: str = None) -> list:
    events = [{"event": "user", "text": text, "parse_data": {"intent": {"name": nlu_intent}}}]
    if understood:
        events.append({"event": "slot", "name": "understood_intent", "value": understood})
    return events + [{"event": "action", "name": "action_listen"}]


def test_a_message_read_again_by_the_policy_is_counted_as_read():
    events = [{"event": "session_started"},
              *_said("KT9走路咯吱咯吱响 能换双新的不", "request_exchange", "request_exchange"),
              *_said("买了快两个礼拜了", "complain", "ask_after_sales_policy"),
              *_said("ok等你们消息", "complain", "thank"),
              *_said("你们这质量也太差了", "complain")]  # no reading set: the NLU's stands
    tracker = Tracker("c1", {}, {"text": "你们这质量也太差了"}, events, False, None, {}, "action_listen")
    assert recent_intents(tracker) == ["complain", "thank", "ask_after_sales_policy", "request_exchange"]
    assert grievances(tracker) == 1


def test_a_complaint_read_again_as_an_order_question_still_counts():
    events = [{"event": "session_started"}, *_said("真的无语 你们快递比蜗牛还慢 我那单到哪了", "complain", "query_order_status")]
    tracker = Tracker("c1", {}, {"text": "x"}, events, False, None, {}, "action_listen")
    assert grievances(tracker) == 1
