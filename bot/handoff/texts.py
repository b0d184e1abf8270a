"""Every text a customer sees about people taking over; the working hours come from one setting."""

from __future__ import annotations

import re

from bot.handoff.wishes import furious
from bot.settings import ServiceHours


def queued(position: int, hours: ServiceHours) -> str:
    ahead = max(0, position - 1)
    queue = f"您前面还有 {ahead} 位" if ahead else "您是下一位"
    return (f"好的，正在为您转接人工客服，{queue}。客服接入后会在这里直接回复您"
            f"（人工客服工作时间每天 {hours.text}）。等待期间说“算了”可以取消排队，我继续为您服务。")


# While waiting, 谢谢 or 好的 我等着 is answered as such before the queue is told again.
_THANKS = re.compile(r"谢|thx|thank|xiexie|3q|辛苦", re.IGNORECASE)
_OK = re.compile(r"^(?:好|嗯|行|ok|okay|可以|收到|知道了|等着|我等)", re.IGNORECASE)


def still_waiting(position: int, said: str = "") -> str:
    ahead = max(0, position - 1)
    queue = f"您前面还有 {ahead} 位" if ahead else "您是下一位"
    said = said.strip()
    opening = "不客气～" if _THANKS.search(said) else "好的～" if _OK.match(said) else ""
    return f"{opening}您正在排队等待人工客服，{queue}，请稍候。不想等了说“算了”，我继续为您服务。"


def served_while_waiting(position: int) -> str:
    """Said after the bot answered a question of a customer still waiting for a person."""
    ahead = max(0, position - 1)
    queue = f"前面还有 {ahead} 位" if ahead else "您是下一位"
    return f"（您正在排队等待人工客服，{queue}；其间有问题也可以继续问我。）"


# 有人吗 · 还要多久 · 快点 · 好的 我等着: about the wait itself, which only the queue answers.
# (退款多久到账 · 羽绒服能机洗吗 are questions the bot answers meanwhile; a grievance, anger or a button's payload
# is for the person awaited, never a second handover or a complaint ticket of the bot's)
_ABOUT_THE_WAIT = re.compile(r"人呢|有人|在吗|在不在|还没人|没人(?:理|回|管)|排队|几位|轮到|人工|客服|真人|催|投诉|慢|还不来|还没好"
                             r"|^[^，。,.!?？！\s]{0,4}(?:多久|多长时间|快点|快些)[啊呀了吗嘛？?。!！～~\s]*$"
                             r"|等(?:了)?[^，。,.!?？！]{0,4}(?:好久|半天|这么久|很久|好一会|分钟|小时)"
                             r"|^[^，。,.!?？！\s]{0,3}[?？。.!！～~\s]*$|^/")


def about_the_wait(said: str) -> bool:
    """Whether a waiting customer's message is about the wait (or courtesy, or anger) rather than a question the
    bot can answer meanwhile (我的订单到哪了 · 羽绒服能机洗吗); the gate adds grievances about waiting."""
    said = said.strip()
    return not said or only_courtesy(said) or bool(_ABOUT_THE_WAIT.search(said)) or furious(said)


# 好的谢谢 · 嗯 · 收到: courtesy only, nothing to leave for a person.
_COURTESY = re.compile(r"^(?:(?:好的?|嗯+|行|ok|okay|可以|收到|知道了|明白了?)[，,\s]*)?(?:谢谢|谢了|多谢|谢啦|辛苦了?|thx|thanks)?"
                       r"[的啦呀哈哦～~!！。.\s]*$", re.IGNORECASE)


def only_courtesy(said: str) -> bool:
    said = said.strip()
    return bool(said) and bool(_COURTESY.match(said))


def courtesy_after_hours(said: str, hours: ServiceHours) -> str:
    opening = "不客气～" if _THANKS.search(said) else "好的～"
    return f"{opening}客服上班后（每天 {hours.text}）会在这里回复您；还有问题可以直接留言。说“算了”我继续为您服务。"


def after_hours(hours: ServiceHours) -> str:
    return (f"现在不是人工客服的工作时间（每天 {hours.text}）。您可以直接在这里留言，写下问题和订单号，"
            "留言会转成工单，客服上班后第一时间处理并回复您。不想留言的话说“算了”，我继续为您服务。")


def message_left(ticket_id: str, hours: ServiceHours) -> str:
    return (f"您的留言已记录，工单号 {ticket_id}。客服上班后（每天 {hours.text}）会尽快处理并回复您。"
            "还想补充可以继续留言；说“算了”我继续为您服务。")


def note_added(ticket_id: str) -> str:
    return f"已补充到工单 {ticket_id}，客服上班后会一起处理。"


CANCELLED = "好的，已为您取消人工排队，我继续为您服务～"
ALREADY_WITH_AGENT = "人工客服正在为您服务，请直接在这里说明您的问题。"


def agent_joined(agent: str) -> str:
    return f"人工客服「{agent}」已接入，接下来由我为您服务。"


HANDED_BACK = "人工客服已结束本次服务，接下来由智能助手继续为您服务。还有问题随时问我，需要人工再说“转人工”。"
IDLE_RETURNED = "这段时间没有新消息，人工服务先结束了，智能助手继续为您服务。需要人工随时说“转人工”。"
CLOSED = "本次服务已结束，感谢您的耐心！还有问题随时发消息给我。"
