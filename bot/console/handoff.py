"""What agents do with a conversation, and what the customer is told each time.

Every change goes through the conversation index's atomic transitions, then
the customer hears of it through the outbound layer, the console's log keeps
it for the transcript, and the event stream tells the other agents.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import List, Optional

from bot.channels.outbound import Delivery, Outbound
from bot.handoff import texts
from bot.store.conversations import Conversation, ConversationIndex, ConversationNotFound, TransitionRefused

logger = logging.getLogger(__name__)

MAX_AGENT_MESSAGE_CHARS = 2000
DEFAULT_IDLE_RETURN_SECONDS = 15 * 60


class NotYours(PermissionError):
    """The caller does not own the conversation (403)."""


class Conflict(RuntimeError):
    """The conversation's state does not allow this (409); the message says why."""


class HandoffDesk:
    def __init__(self, index: ConversationIndex, outbound: Outbound,
                 idle_return_seconds: float = DEFAULT_IDLE_RETURN_SECONDS, clock=time.time) -> None:
        self.index = index
        self.outbound = outbound
        self.idle_return_seconds = idle_return_seconds
        self._clock = clock

    async def _conversation(self, conversation_id: str) -> Conversation:
        conversation = await self.index.get(conversation_id)
        if conversation is None:
            raise ConversationNotFound(conversation_id)
        return conversation

    async def _tell(self, conversation_id: str, text: str) -> Delivery:
        delivery = await self.outbound.send(conversation_id, text)
        await self.index.append_log(conversation_id, {"role": "bot", "kind": "notice", "text": text,
                                                      "delivered": delivery.delivered, "detail": delivery.detail})
        return delivery

    async def _changed(self, conversation_id: str, text: str, agent: str = "") -> None:
        await self.index.append_log(conversation_id, {"role": "event", "text": text, "agent": agent})
        await self.index.publish("status", conversation_id)

    async def take_over(self, conversation_id: str, agent: str) -> Conversation:
        conversation = await self._conversation(conversation_id)
        if conversation.status == "closed":
            raise Conflict("the conversation is closed")
        try:
            before = await self.index.take_over(conversation_id, agent)
        except TransitionRefused as refused:
            raise Conflict(f"{refused.owner} already owns this conversation") from None
        if before != "agent":
            await self.index.touch(conversation_id)
            await self._changed(conversation_id, f"{agent} 接入", agent)
            await self._tell(conversation_id, texts.agent_joined(agent))
        return await self._conversation(conversation_id)

    async def send(self, conversation_id: str, agent: str, text: str) -> Delivery:
        conversation = await self._conversation(conversation_id)
        if conversation.status == "closed":
            raise Conflict("the conversation is closed")
        if conversation.status != "agent" or conversation.assigned_to != agent:
            raise NotYours("take the conversation over first" if conversation.status != "agent"
                           else f"{conversation.assigned_to} owns this conversation")
        delivery = await self.outbound.send(conversation_id, text, agent=agent)
        await self.index.append_log(conversation_id, {"role": "agent", "agent": agent, "text": text,
                                                      "delivered": delivery.delivered, "detail": delivery.detail})
        await self.index.touch(conversation_id)
        return delivery

    async def hand_back(self, conversation_id: str, agent: str) -> Conversation:
        conversation = await self._conversation(conversation_id)
        if conversation.status != "agent":
            raise Conflict(f"the conversation is {conversation.status}, not with an agent")
        return await self._let_go(conversation_id, agent, self.index.hand_back, "交回机器人", texts.HANDED_BACK)

    async def close(self, conversation_id: str, agent: str) -> Conversation:
        conversation = await self._conversation(conversation_id)
        if conversation.status == "closed":
            raise Conflict("the conversation is already closed")
        return await self._let_go(conversation_id, agent, self.index.close, "结束会话", texts.CLOSED)

    async def _let_go(self, conversation_id: str, agent: str, move, what: str, notice: str) -> Conversation:
        """Hand back or close: only the owning agent may; the customer hears of it."""
        try:
            await move(conversation_id, agent)
        except TransitionRefused as refused:
            raise NotYours(f"{refused.owner} owns this conversation") from None
        await self._changed(conversation_id, f"{agent} {what}", agent)
        await self._tell(conversation_id, notice)
        return await self._conversation(conversation_id)

    async def return_idle(self) -> List[str]:
        """Agent-owned conversations quiet for the idle time go back to the bot; returns their ids."""
        cutoff = self._clock() - self.idle_return_seconds
        returned = []
        for conversation_id in await self.index.stale_agent_conversations(cutoff):
            try:
                await self.index.hand_back(conversation_id, "", idle_before=cutoff)
            except (TransitionRefused, ConversationNotFound):
                continue  # active again, handed back meanwhile, or another console replica did it
            await self._changed(conversation_id, "长时间无消息，自动交回机器人")
            await self._tell(conversation_id, texts.IDLE_RETURNED)
            returned.append(conversation_id)
        return returned

    async def run_idle_return(self, interval: float = 5.0, stopped: Optional[asyncio.Event] = None) -> None:
        while not (stopped and stopped.is_set()):
            try:
                returned = await self.return_idle()
                if returned:
                    logger.info("returned %d idle conversations to the bot", len(returned))
            except asyncio.CancelledError:
                raise
            except Exception as error:
                logger.warning("idle return skipped: %s", error)
            await asyncio.sleep(interval)
