"""Going back to the budget said before the last change (算了还是刚才那个价位吧)."""

import pytest

from bot.dialogue.conditions import earlier_budget, goes_back_to_earlier_budget


def events(*budgets, session_restart_at=None):
    found = []
    for index, budget in enumerate(budgets):
        if index == session_restart_at:
            found.append({"event": "session_started"})
        found += [{"event": "user", "text": "…"}, {"event": "slot", "name": "budget", "value": budget}]
    return found


def test_the_budget_before_the_current_one_is_found():
    assert earlier_budget(events("500以内", "八百以内"), "八百以内") == "500以内"
    # a budget said twice in a row is one budget; one cleared in between is skipped
    assert earlier_budget(events("三百以内", None, "三百以内", "一千以内"), "一千以内") == "三百以内"


def test_no_earlier_budget_in_this_session_is_none():
    assert earlier_budget(events("八百以内"), "八百以内") is None
    assert earlier_budget(events("500以内", "八百以内", session_restart_at=1), "八百以内") is None


@pytest.mark.parametrize("text, back", [
    ("算了还是刚才那个价位吧", True), ("还是之前的预算", True), ("预算还是按原来的", True),
    ("刚才那个还有吗", False), ("预算加到八百", False),
])
def test_words_that_take_the_budget_back(text, back):
    assert goes_back_to_earlier_budget(text) is back
