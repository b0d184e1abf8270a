"""Agents work tickets (工单) here: take one, change its status, write to the customer.

Every change that the customer should know of reaches them through the
outbound layer (live in the widget, WeChat inside its window, Telegram, or
with the next REST answer) and is kept in the conversation's console log, so
the transcript shows what the customer was told.  Who may do what: any agent
takes an unassigned ticket; the assignee or a supervisor changes it; only a
supervisor assigns a ticket to someone else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from bot.channels.outbound import Delivery, Outbound
from bot.console.accounts import AgentAccount
from bot.service import texts
from bot.service.tickets import STATUSES, Ticket, TicketError, TicketStore
from bot.store.conversations import ConversationIndex


class TicketNotYours(PermissionError):
    pass


@dataclass(frozen=True)
class TicketChange:
    ticket: Ticket
    delivery: Optional[Delivery]

    def as_dict(self) -> dict:
        return {"ticket": self.ticket.to_dict(),
                "delivery": self.delivery.as_dict() if self.delivery else None}


class TicketDesk:
    def __init__(self, store: TicketStore, index: ConversationIndex, outbound: Outbound) -> None:
        self.store = store
        self.index = index
        self.outbound = outbound

    async def _ticket(self, ticket_id: str) -> Ticket:
        ticket = await self.store.get(ticket_id)
        if ticket is None:
            raise TicketError("not_found", f"no ticket {ticket_id}")
        return ticket

    async def assign(self, ticket_id: str, agent: AgentAccount, to: Optional[str] = None) -> TicketChange:
        """Takes the ticket (``to`` None) or, for a supervisor, gives it to ``to``; an open ticket starts."""
        ticket = await self._ticket(ticket_id)
        to = to or agent.name
        if to != agent.name and not agent.is_supervisor:
            raise TicketNotYours("only a supervisor assigns tickets to someone else")
        if ticket.assignee and ticket.assignee != agent.name and not agent.is_supervisor:
            raise TicketNotYours(f"{ticket.assignee} is working on this ticket")
        status = "in_progress" if ticket.status == "open" else None
        _, after = await self.store.change(ticket_id, agent.name, status=status, assignee=to)
        delivery = await self._tell(after) if status else None
        return TicketChange(after, delivery)

    async def update(self, ticket_id: str, agent: AgentAccount, status: Optional[str], message: str = "",
                     note: str = "") -> TicketChange:
        """A new status and/or a message to the customer; a note stays internal."""
        if status is not None and status not in STATUSES:
            raise TicketError("bad_status", f"status must be one of {', '.join(STATUSES)}")
        ticket = await self._ticket(ticket_id)
        if ticket.assignee != agent.name and not agent.is_supervisor:
            raise TicketNotYours("take the ticket first" if not ticket.assignee
                                 else f"{ticket.assignee} is working on this ticket")
        if status is None and not message and not note:
            raise TicketError("bad_request", "send a status, a message or a note")
        before, after = await self.store.change(ticket_id, agent.name, status=status, note=note, message=message)
        await self._mark_question(before, after)
        delivery = await self._tell(after, message) if (after.status != before.status or message) else None
        return TicketChange(after, delivery)

    async def _mark_question(self, before: Ticket, after: Ticket) -> None:
        """A ticket waiting for the customer: their next message in that chat answers it (conversation gate)."""
        conversation = await self.index.get(after.conversation_id)
        if conversation is None:
            return
        if after.status == "waiting_customer":
            await self.index.set_fields(after.conversation_id, ticket_question=after.id)
        elif before.status == "waiting_customer" and conversation.ticket_question == after.id:
            await self.index.set_fields(after.conversation_id, ticket_question="")

    async def _tell(self, ticket: Ticket, message: str = "") -> Delivery:
        text = texts.ticket_update(ticket, message)
        delivery = await self.outbound.send(ticket.conversation_id, text)
        if await self.index.get(ticket.conversation_id) is not None:
            await self.index.append_log(ticket.conversation_id, {
                "role": "bot", "kind": "notice", "text": text, "ticket": ticket.id,
                "delivered": delivery.delivered, "detail": delivery.detail})
        return delivery
