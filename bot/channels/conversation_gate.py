"""Every channel's messages pass this gate before the bot: it decides who answers.

The conversation index (:mod:`bot.store.conversations`) says who owns the
conversation, and the gate acts on it:

* ``bot`` or ``closed``: the bot answers (a closed conversation reopens);
* ``agent``: the message is parsed and stored by Rasa (``Agent.log_message``,
  no prediction), so the bot stays silent; the tracker store then puts it on
  the agents' event stream;
* ``waiting``: the customer can change their mind (算了 / 不用了, see
  :mod:`bot.handoff.wishes`): the queue is left and the bot answers this very
  message; anything else is stored and answered with the place in the queue,
  or, outside working hours, becomes a ticket (留言);
* a ticket an agent marked "waiting for the customer" (``ticket_question``):
  the customer's next message is their answer; it is added to the ticket,
  which goes back to the agent (in progress), and the customer is told so;
* REST clients cannot be called, and WeChat refuses messages outside its
  window, so messages kept for them (agent replies and notices on REST,
  alerts on both) are put before the bot's answer to their next message.

Before all of that, 导出我的数据 / 删除我的数据 and their confirmations are
answered by the privacy desk (bot/privacy/requests.py), on every channel and
whoever owns the conversation; erasure runs under the conversation's lock.

If Redis cannot be read the bot answers as usual: a customer is never left
without an answer because the console's index is down.
"""

from __future__ import annotations

import functools
import logging
from typing import Any, Awaitable, Callable, Optional

from rasa.core.channels.channel import UserMessage

from bot.channels.outbound.outbox import Outbox
from bot.dialogue.understanding import complains_of_waiting
from bot.handoff import texts
from bot.handoff.wishes import wants_bot_again
from bot.identity import identity_in_metadata
from bot.privacy import requests as privacy_requests
from bot.service import texts as service_texts
from bot.service.tickets import TicketError, TicketStore
from bot.settings import RedisSettings, ServiceHours
from bot.store.conversations import Conversation, ConversationIndex
from bot.store.redis_client import async_client, redis_unavailable

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]
# (the message, the ticket of an earlier message or "") -> the ticket id the text went to
FileTicket = Callable[[UserMessage, str], Awaitable[str]]
# (the message, the ticket waiting for the customer) -> whether the message answered it
AnswerTicket = Callable[[UserMessage, str], Awaitable[bool]]


# Channels that cannot be written to at any time: what waits in the outbox goes out before the
# answer to the customer's next message (REST cannot be called at all; WeChat refuses outside its
# 48-hour window, so alerts that met that refusal wait here).
KEPT_FOR_NEXT_MESSAGE = ("rest", "wechat", "wecom")

# The names Rasa 3.6 gives its Sanic app: with the HTTP API (rasa.server) and without (rasa.core.run).
RASA_APP_NAMES = ("rasa_server", "rasa_core_no_api")


def _rasa_agent():
    """The Rasa agent of this server (Rasa keeps it on its Sanic app's context)."""
    from sanic import Sanic
    from sanic.exceptions import SanicException

    for name in RASA_APP_NAMES:
        try:
            agent = getattr(Sanic.get_app(name).ctx, "agent", None)
        except SanicException:
            continue
        if agent is not None:
            return agent
    raise RuntimeError("no Rasa agent is loaded in this process")


async def log_without_answer(message: UserMessage) -> None:
    """Parses and stores the customer's message under the conversation's lock; the bot says nothing."""
    agent = _rasa_agent()
    async with agent.lock_store.lock(message.sender_id):
        await agent.log_message(message)



def about_the_wait(said: str) -> bool:
    """What only the queue answers for a customer waiting for a person: words about the wait, courtesy, anger
    (bot/handoff/texts.py) and grievances about waiting (快递一周了还没到), which the person awaited takes up,
    never a second handover or a complaint ticket of the bot's."""
    return texts.about_the_wait(said) or complains_of_waiting(said)

class ConversationGate:
    def __init__(self, index: ConversationIndex, outbox: Outbox, file_ticket: FileTicket,
                 hours: ServiceHours, log_only: Callable[[UserMessage], Awaitable[None]] = log_without_answer,
                 answer_ticket: Optional[AnswerTicket] = None,
                 privacy: Optional[privacy_requests.PrivacyDesk] = None) -> None:
        self.privacy = privacy
        self.index = index
        self.outbox = outbox
        self.file_ticket = file_ticket
        self.answer_ticket = answer_ticket
        self.hours = hours
        self.log_only = log_only

    def wrap(self, on_new_message: OnNewMessage) -> OnNewMessage:
        async def gated(message: UserMessage) -> Any:
            return await self.handle(message, on_new_message)

        return gated

    async def handle(self, message: UserMessage, on_new_message: OnNewMessage) -> Any:
        sender = message.sender_id
        if self.privacy is not None and await self._privacy_answered(message):
            return None
        try:
            conversation = await self.index.get(sender)
            if message.input_channel in KEPT_FOR_NEXT_MESSAGE:
                await self._deliver_kept(message)
        except Exception as error:  # the index is down: the bot answers as if nobody took over
            if not redis_unavailable(error):
                raise
            logger.warning("conversation index unavailable (%s): the bot answers %s", error, sender)
            return await on_new_message(message)
        status = conversation.status if conversation else "bot"
        if status == "agent":
            await self.log_only(message)
            return None
        if status == "waiting":
            return await self._while_waiting(conversation, message, on_new_message)
        if conversation is not None and conversation.ticket_question and self.answer_ticket is not None:
            if await self._answers_ticket(message, conversation.ticket_question):
                return None
        return await on_new_message(message)

    async def _privacy_answered(self, message: UserMessage) -> bool:
        identity = identity_in_metadata(message.metadata)

        async def tell(text: str) -> None:
            await message.output_channel.send_text_message(message.sender_id, text)

        async def locked(work):
            async with _rasa_agent().lock_store.lock(message.sender_id):
                return await work()

        try:
            return await self.privacy.answer(message.sender_id, identity.customer_id if identity else None,
                                             message.text or "", tell, locked)
        except Exception as error:
            if not redis_unavailable(error):
                logger.exception("the privacy request of %s failed", message.sender_id)
            if privacy_requests.privacy_request(message.text or "") is None:
                return False
            await tell(privacy_requests.UNAVAILABLE)
            return True

    async def _answers_ticket(self, message: UserMessage, ticket_id: str) -> bool:
        await self.index.set_fields(message.sender_id, ticket_question="")  # one answer per question
        try:
            answered = await self.answer_ticket(message, ticket_id)
        except Exception:
            logger.exception("the answer of %s to ticket %s could not be kept", message.sender_id, ticket_id)
            return False
        if answered:
            await self.log_only(message)
            await self._tell(message, service_texts.answer_added_to_ticket(ticket_id))
            await self.index.publish("message", message.sender_id)
        return answered

    async def _while_waiting(self, conversation: Conversation, message: UserMessage,
                             on_new_message: OnNewMessage) -> Any:
        sender = message.sender_id
        if wants_bot_again(message.text or ""):
            if await self.index.cancel_waiting(sender):
                await self._tell(message, texts.CANCELLED)
                await self.index.publish("status", sender)
            return await on_new_message(message)
        if not conversation.after_hours and not about_the_wait(message.text or ""):
            # 我的订单到哪了 · 羽绒服能机洗吗 while waiting: the bot answers meanwhile, the place in the queue is kept
            answered = await on_new_message(message)
            await self._tell(message, texts.served_while_waiting(await self.index.queue_position(sender)))
            return answered
        await self.log_only(message)
        if conversation.after_hours and texts.only_courtesy(message.text or ""):
            # 好的谢谢 after the after-hours notice: answered, not filed as a message for a person
            await self._tell(message, texts.courtesy_after_hours(message.text or "", self.hours))
            return None
        if conversation.after_hours:
            try:
                ticket_id = await self.file_ticket(message, conversation.note_ticket)
            except Exception:
                logger.exception("the after-hours message of %s could not become a ticket", sender)
                await self._tell(message, texts.still_waiting(await self.index.queue_position(sender)))
                return None
            if ticket_id == conversation.note_ticket:
                await self._tell(message, texts.note_added(ticket_id))
            else:
                await self.index.set_fields(sender, note_ticket=ticket_id)
                await self._tell(message, texts.message_left(ticket_id, self.hours))
            return None
        await self._tell(message, texts.still_waiting(await self.index.queue_position(sender), message.text or ""))
        return None

    async def _tell(self, message: UserMessage, text: str) -> None:
        """A notice from the gate itself: sent on the customer's channel and kept for the transcript."""
        await message.output_channel.send_text_message(message.sender_id, text)
        await self.index.append_log(message.sender_id, {"role": "bot", "kind": "notice", "text": text})

    async def _deliver_kept(self, message: UserMessage) -> None:
        for kept in await self.outbox.take(message.sender_id):
            text = kept.get("text")
            if isinstance(text, str) and text:
                await message.output_channel.send_text_message(message.sender_id, text)
            if isinstance(kept.get("card"), dict) and message.input_channel == "rest":
                await message.output_channel.send_custom_json(message.sender_id, kept["card"])


async def _file_handoff_ticket(tickets: TicketStore, message: UserMessage, earlier: str) -> str:
    """The first after-hours message opens a ticket; later ones are added to it."""
    text = message.text or ""
    if earlier and await tickets.add_words(earlier, message.sender_id, text):
        return earlier
    identity = identity_in_metadata(message.metadata)
    return (await tickets.create(message.sender_id, "handoff", text, channel=message.input_channel or "",
                                 customer_id=identity.customer_id if identity else "")).id


async def _answer_ticket(tickets: TicketStore, message: UserMessage, ticket_id: str) -> bool:
    """Adds the customer's answer to the ticket and gives it back to its agent; False if it no longer waits."""
    ticket = await tickets.get(ticket_id)
    if ticket is None or ticket.status != "waiting_customer" or ticket.conversation_id != message.sender_id:
        return False
    await tickets.add_words(ticket_id, message.sender_id, message.text or "")
    try:
        await tickets.change(ticket_id, "customer", status="in_progress")
    except TicketError:
        pass  # resolved meanwhile: the words are still on it
    return True


@functools.lru_cache(maxsize=1)
def default_gate() -> Optional[ConversationGate]:
    """The gate of this rasa server, from the environment; None when Redis is not configured."""
    try:
        settings = RedisSettings.from_env()
        hours = ServiceHours.from_env()
    except ValueError as error:
        logger.error("the conversation gate is off: %s", error)
        return None
    client = async_client(settings)
    tickets = TicketStore(client, settings.key_prefix)
    return ConversationGate(
        ConversationIndex(client, settings.key_prefix),
        Outbox(client, settings.key_prefix),
        functools.partial(_file_handoff_ticket, tickets),
        hours,
        answer_ticket=functools.partial(_answer_ticket, tickets),
        privacy=privacy_requests.privacy_desk(client, settings.key_prefix),
    )


def gated(on_new_message: OnNewMessage) -> OnNewMessage:
    """``on_new_message`` behind the default gate (each channel's ``blueprint`` calls this)."""
    gate = default_gate()
    return gate.wrap(on_new_message) if gate is not None else on_new_message
