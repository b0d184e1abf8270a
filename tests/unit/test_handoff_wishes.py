"""Fury told from displeasure (bot/handoff/wishes.py): right after another grievance, a person takes over."""

import pytest

from bot.handoff.wishes import furious


@pytest.mark.parametrize("text, is_furious", [("什么破系统 一直让我登录 烦不烦", True), ("无语 越问越气 什么破玩意儿 浪费我半小时", True),
                                              ("而且扣了两次！！！", True), ("收到的杯子包装破了", False), ("有点失望", False)])
def test_fury_is_told_from_displeasure(text, is_furious):
    assert furious(text) is is_furious
