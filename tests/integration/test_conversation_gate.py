"""The conversation gate with a real Redis: who answers a message, after-hours notes, kept REST messages.

The two Rasa calls the gate makes (answer the message, or only store it) are
recorded here; the whole path through a real rasa server is in
test_handoff_flow.py.
"""

from __future__ import annotations

import functools

import pytest
import redis.asyncio
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot.channels.conversation_gate import ConversationGate, _answer_ticket, _file_handoff_ticket
from bot.channels.outbound.outbox import Outbox
from bot.handoff import texts
from bot.service import texts as service_texts
from bot.service.tickets import TicketStore
from bot.settings import ServiceHours
from bot.store.conversations import ConversationIndex


class Rasa:
    """Records what the gate asked of Rasa."""

    def __init__(self) -> None:
        self.answered, self.stored = [], []

    async def answer(self, message: UserMessage) -> None:
        self.answered.append(message.text)
        await message.output_channel.send_text_message(message.sender_id, f"bot: {message.text}")

    async def store(self, message: UserMessage) -> None:
        self.stored.append(message.text)


@pytest.fixture
def rasa():
    return Rasa()


@pytest.fixture
def index(private_redis):
    return ConversationIndex(private_redis, "shop")


@pytest.fixture
def gate(private_redis, index, rasa):
    tickets = TicketStore(private_redis, "shop")
    return ConversationGate(index, Outbox(private_redis, "shop"), functools.partial(_file_handoff_ticket, tickets),
                            ServiceHours.parse("09:00-22:00"), log_only=rasa.store,
                            answer_ticket=functools.partial(_answer_ticket, tickets))


async def send(gate, rasa, sender: str, text: str, channel: str = "rest") -> list:
    output = CollectingOutputChannel()
    await gate.handle(UserMessage(text, output, sender, input_channel=channel), rasa.answer)
    return [message["text"] for message in output.messages]


async def test_the_bot_answers_a_conversation_nobody_took(gate, rasa):
    assert await send(gate, rasa, "c1", "你好") == ["bot: 你好"]
    assert rasa.answered == ["你好"] and rasa.stored == []


async def test_with_an_agent_the_message_is_stored_and_the_bot_is_silent(gate, rasa, index):
    await index.record("c1", "customer", "转人工", "rest")
    await index.take_over("c1", "alice")
    assert await send(gate, rasa, "c1", "我的耳机坏了") == []
    assert rasa.stored == ["我的耳机坏了"] and rasa.answered == []


async def test_a_waiting_customer_hears_their_place_and_can_go_back_to_the_bot(gate, rasa, index):
    await index.request_agent("first", "asked", "rest")
    await index.request_agent("c1", "asked", "rest")
    assert await send(gate, rasa, "c1", "有人吗") == [texts.still_waiting(2)]
    assert rasa.stored == ["有人吗"]
    # a question the bot can answer meanwhile: answered once (not also stored), the place in the queue kept
    assert await send(gate, rasa, "c1", "羽绒服能机洗吗") == ["bot: 羽绒服能机洗吗", texts.served_while_waiting(2)]
    assert rasa.answered == ["羽绒服能机洗吗"] and rasa.stored == ["有人吗"]
    assert (await index.get("c1")).status == "waiting"
    assert await send(gate, rasa, "c1", "算了，推荐个耳机") == [texts.CANCELLED, "bot: 算了，推荐个耳机"]
    assert rasa.answered == ["羽绒服能机洗吗", "算了，推荐个耳机"]
    assert (await index.get("c1")).status == "bot" and await index.queue_position("first") == 1


async def test_after_hours_the_first_message_becomes_one_ticket_and_later_ones_are_added_to_it(
        gate, rasa, index, private_redis):
    await index.request_agent("night", "asked", "wechat", after_hours=True)
    first = await send(gate, rasa, "night", "订单 2026 的发票开错了，抬头应该是公司", channel="wechat")
    tickets = await TicketStore(private_redis, "shop").of_conversation("night")
    assert len(tickets) == 1 and tickets[0].kind == "handoff" and "发票" in tickets[0].detail
    assert first == [texts.message_left(tickets[0].id, ServiceHours.parse("09:00-22:00"))]
    assert await send(gate, rasa, "night", "税号是 123") == [texts.note_added(tickets[0].id)]
    after = await TicketStore(private_redis, "shop").of_conversation("night")
    assert len(after) == 1 and after[0].detail.endswith("发票开错了，抬头应该是公司\n税号是 123")
    assert rasa.stored == ["订单 2026 的发票开错了，抬头应该是公司", "税号是 123"] and rasa.answered == []
    # courtesy is answered, not added to the ticket
    thanks = await send(gate, rasa, "night", "好的谢谢", channel="wechat")
    assert thanks == [texts.courtesy_after_hours("好的谢谢", ServiceHours.parse("09:00-22:00"))]
    assert (await TicketStore(private_redis, "shop").of_conversation("night"))[0].detail.endswith("税号是 123")


async def test_an_alert_wechat_refused_comes_before_the_answer_to_the_next_message(gate, rasa, private_redis):
    outbox = Outbox(private_redis, "shop")
    await outbox.push("oUser1", {"text": "【降价提醒】您关注的跑鞋降价了", "card": {"type": "product_cards", "products": []}})
    assert await send(gate, rasa, "oUser1", "在吗", channel="wechat") == ["【降价提醒】您关注的跑鞋降价了", "bot: 在吗"]
    assert await send(gate, rasa, "oUser1", "好的", channel="wechat") == ["bot: 好的"]


async def test_messages_kept_for_a_rest_client_come_before_the_answer_once(gate, rasa, private_redis):
    outbox = Outbox(private_redis, "shop")
    await outbox.push("c1", {"text": "客服：您的退款已到账", "agent": "alice"})
    assert await send(gate, rasa, "c1", "好的") == ["客服：您的退款已到账", "bot: 好的"]
    assert await send(gate, rasa, "c1", "谢谢") == ["bot: 谢谢"]


async def test_without_redis_the_bot_still_answers(rasa):
    dead = redis.asyncio.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.5)
    gate = ConversationGate(ConversationIndex(dead, "shop"), Outbox(dead, "shop"), None,
                            ServiceHours(), log_only=rasa.store)
    assert await send(gate, rasa, "c1", "你好") == ["bot: 你好"]
    await dead.close()


async def test_kept_messages_given_back_come_first_again(private_redis):
    outbox = Outbox(private_redis, "shop")
    for text in ("第一条", "第二条"):
        await outbox.push("c1", {"text": text})
    taken = await outbox.take("c1")
    await outbox.push("c1", {"text": "第三条"})
    await outbox.give_back("c1", taken[1:])  # the first went out, the second did not
    assert [message["text"] for message in await outbox.take("c1")] == ["第二条", "第三条"]


async def test_the_answer_to_a_tickets_question_goes_to_the_ticket_once(gate, rasa, index, private_redis):
    tickets = TicketStore(private_redis, "shop")
    await index.record("c1", "customer", "能换个颜色吗", "rest")
    ticket = await tickets.create("c1", "change_spec", "能换个颜色吗")
    await tickets.change(ticket.id, "alice", status="waiting_customer", assignee="alice", message="要什么颜色？")
    await index.set_fields("c1", ticket_question=ticket.id)
    assert await send(gate, rasa, "c1", "白色的") == [service_texts.answer_added_to_ticket(ticket.id)]
    after = await tickets.get(ticket.id)
    assert after.status == "in_progress" and after.detail.endswith("白色的") and rasa.stored == ["白色的"]
    assert await send(gate, rasa, "c1", "谢谢") == ["bot: 谢谢"]  # only the first message answers it


async def test_a_question_no_longer_open_does_not_swallow_the_message(gate, rasa, index, private_redis):
    tickets = TicketStore(private_redis, "shop")
    await index.record("c2", "customer", "退货", "rest")
    ticket = await tickets.create("c2", "complaint", "退货")
    await index.set_fields("c2", ticket_question=ticket.id)  # but the ticket is open, not waiting
    assert await send(gate, rasa, "c2", "在吗") == ["bot: 在吗"]
    await index.set_fields("c2", ticket_question="TK-of-another-chat")
    assert await send(gate, rasa, "c2", "你好") == ["bot: 你好"]
