"""What a waiting customer's words mean for the handoff: 算了 / 不用了 take them back to the bot."""

from __future__ import annotations

import re

# Said while waiting for a person: the customer no longer wants one.  Checked on
# the start of the message, so "算了我自己看看，推荐个耳机" cancels and is then
# answered by the bot, while "不用了吗？还要等多久" is a question (it does not
# start with a cancel phrase followed by a pause or more words… see the tests).
_CANCEL = re.compile(
    r"^\s*(?:好吧[，,。\s]*)?(?:算了|不用了|不用人工|不要人工|不需要人工|不需要了|不要了|不等了|取消(?:转)?人工|"
    r"取消排队|不转人工|没事了|我自己(?:看看|来|找))"
)
_QUESTION = re.compile(r"[吗嘛？?]\s*$")


def wants_bot_again(text: str) -> bool:
    """True when a customer waiting for an agent says they no longer want one."""
    if not isinstance(text, str):
        return False
    stripped = text.strip()
    if not _CANCEL.match(stripped):
        return False
    # "不用了吗？" asks; "算了，推荐个耳机吗" still cancels (the question is for the bot).
    return not (_QUESTION.search(stripped) and len(stripped) <= 6)
