"""Going back to the budget said before the last change (算了还是刚才那个价位吧)."""

import pytest
from rasa_sdk import Tracker

from actions.shopping import _earlier_budget
from bot.dialogue.conditions import goes_back_to_earlier_budget


def tracker(*budgets, session_restart_at=None):
    events = []
    for index, budget in enumerate(budgets):
        if index == session_restart_at:
            events.append({"event": "session_started"})
        events += [{"event": "user", "text": "…"}, {"event": "slot", "name": "budget", "value": budget}]
    return Tracker("c", {"budget": budgets[-1] if budgets else None}, {}, events, False, None, {}, "action_listen")


def test_the_budget_before_the_current_one_is_found():
    assert _earlier_budget(tracker("500以内", "八百以内"), "八百以内") == "500以内"
    # a budget said twice in a row is one budget; one cleared in between is skipped
    assert _earlier_budget(tracker("三百以内", None, "三百以内", "一千以内"), "一千以内") == "三百以内"


def test_no_earlier_budget_in_this_session_is_none():
    assert _earlier_budget(tracker("八百以内"), "八百以内") is None
    assert _earlier_budget(tracker("500以内", "八百以内", session_restart_at=1), "八百以内") is None


@pytest.mark.parametrize("text, back", [
    ("算了还是刚才那个价位吧", True), ("还是之前的预算", True), ("预算还是按原来的", True),
    ("刚才那个还有吗", False), ("预算加到八百", False),
])
def test_words_that_take_the_budget_back(text, back):
    assert goes_back_to_earlier_budget(text) is back
