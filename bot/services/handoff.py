"""Handoff: a citizen's question becomes a ticket that an officer answers.

One open ticket per chat: further messages while it is open join the same ticket, so the
officer sees one conversation. Officers answer from the dashboard or by replying in the staff
Telegram chat; either way the answer goes through the outbox like every message the system
sends on its own (rate limits, retries, delivery record), and the audit log records who
answered or closed, whichever way they worked. Question texts are personal data:
`erase_old_texts` blanks them after the retention period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import HandoffAuthor, HandoffStatus, OutboxKind
from bot.db.models import Citizen, HandoffMessage, HandoffTicket, OutboxMessage
from bot.services import audit, retraction
from bot.services.actors import staff
from bot.services.clock import utcnow
from bot.services.outbox import Template, queue_message

MAX_TEXT = 4000


class TicketNotFound(LookupError):
    """No ticket with that id (or not visible to the caller)."""


@dataclass(frozen=True)
class TicketView:
    """A ticket with its messages, oldest first, for the dashboard and tests."""

    ticket: HandoffTicket
    messages: tuple[HandoffMessage, ...]


async def open_ticket_for_chat(session: AsyncSession, chat_id: int) -> HandoffTicket | None:
    """The chat's ticket that is not closed yet, if any."""
    result = await session.execute(
        select(HandoffTicket)
        .where(
            HandoffTicket.telegram_chat_id == chat_id,
            HandoffTicket.status != HandoffStatus.CLOSED,
        )
        .order_by(HandoffTicket.id.desc())
        .limit(1)
    )
    return result.scalar_one_or_none()


async def ask_officer(
    session: AsyncSession,
    *,
    chat_id: int,
    text: str,
    now: datetime,
    citizen: Citizen | None = None,
    topic: str | None = None,
    commune: str | None = None,
) -> tuple[HandoffTicket, bool]:
    """Record the citizen's message on their open ticket, or open one; (ticket, is_new)."""
    ticket = await open_ticket_for_chat(session, chat_id)
    is_new = ticket is None
    if ticket is None:
        ticket = HandoffTicket(
            citizen_id=citizen.id if citizen else None,
            telegram_chat_id=chat_id,
            commune=commune or (citizen.commune if citizen else None),
            topic=topic,
            status=HandoffStatus.OPEN,
            created_at=now,
            updated_at=now,
        )
        session.add(ticket)
        await session.flush()
    else:
        ticket.status = HandoffStatus.OPEN
        ticket.updated_at = now
    session.add(
        HandoffMessage(
            ticket_id=ticket.id, author=HandoffAuthor.CITIZEN, text=text[:MAX_TEXT], created_at=now
        )
    )
    return ticket, is_new


async def set_staff_chat_message(
    session: AsyncSession,
    *,
    ticket_id: int,
    message_id: int,
    chat_id: int | None = None,
    now: datetime | None = None,
) -> None:
    """Remember the staff-chat notification, so a Telegram reply to it finds the ticket.

    With `chat_id` the notice is also recorded (services.retraction), so erasing the
    citizen deletes it from the staff chat: it quotes their question.
    """
    if chat_id is not None:
        await retraction.record_notice(
            session,
            ticket_id=ticket_id,
            chat_id=chat_id,
            message_id=message_id,
            now=now or utcnow(),
        )
    await session.execute(
        update(HandoffTicket)
        .where(HandoffTicket.id == ticket_id)
        .values(staff_chat_message_id=message_id)
    )


async def ticket_for_staff_message(session: AsyncSession, message_id: int) -> HandoffTicket | None:
    """The ticket whose staff-chat notification has this message id."""
    result = await session.execute(
        select(HandoffTicket).where(HandoffTicket.staff_chat_message_id == message_id)
    )
    return result.scalars().first()


async def reply(
    session: AsyncSession, *, ticket_id: int, staff_login: str, text: str, now: datetime
) -> OutboxMessage | None:
    """Record an officer's answer and queue it to the citizen (None if unreachable)."""
    ticket = await session.get(HandoffTicket, ticket_id)
    if ticket is None:
        raise TicketNotFound(f"handoff ticket {ticket_id} does not exist")
    citizen = await session.get(Citizen, ticket.citizen_id) if ticket.citizen_id else None
    outbox = None
    if citizen is not None:
        outbox = queue_message(
            session,
            citizen=citizen,
            kind=OutboxKind.NOTICE,
            template=Template.HANDOFF_REPLY,
            params={"ticket_id": ticket.id, "text": text[:MAX_TEXT]},
            due_at=now,
        )
        await session.flush()
    session.add(
        HandoffMessage(
            ticket_id=ticket.id,
            author=HandoffAuthor.STAFF,
            staff_login=staff_login,
            text=text[:MAX_TEXT],
            outbox_id=outbox.id if outbox else None,
            created_at=now,
        )
    )
    ticket.status = HandoffStatus.ANSWERED
    ticket.updated_at = now
    audit.record(
        session,
        actor=staff(staff_login),
        action="handoff.reply",
        entity_type="handoff_ticket",
        entity_id=ticket.id,
        before=None,
        after={"outbox_id": outbox.id if outbox else None},
        at=now,
    )
    return outbox


async def close(session: AsyncSession, *, ticket_id: int, staff_login: str, now: datetime) -> None:
    """Close a ticket; the citizen's next request opens a new one."""
    ticket = await session.get(HandoffTicket, ticket_id)
    if ticket is None:
        raise TicketNotFound(f"handoff ticket {ticket_id} does not exist")
    before = {"status": ticket.status.value}
    ticket.status = HandoffStatus.CLOSED
    ticket.closed_at = now
    ticket.closed_by = staff_login
    ticket.updated_at = now
    audit.record(
        session,
        actor=staff(staff_login),
        action="handoff.close",
        entity_type="handoff_ticket",
        entity_id=ticket.id,
        before=before,
        after={"status": HandoffStatus.CLOSED.value},
        at=now,
    )


async def list_tickets(
    session: AsyncSession,
    *,
    statuses: tuple[HandoffStatus, ...] = (HandoffStatus.OPEN, HandoffStatus.ANSWERED),
    commune: str | None = None,
    limit: int = 100,
) -> list[TicketView]:
    """Tickets (newest activity first) with their messages; `commune` scopes an officer."""
    query = select(HandoffTicket).where(HandoffTicket.status.in_(statuses))
    if commune is not None:
        query = query.where(HandoffTicket.commune == commune)
    tickets = list(
        (await session.execute(query.order_by(HandoffTicket.updated_at.desc()).limit(limit)))
        .scalars()
        .all()
    )
    if not tickets:
        return []
    messages = (
        await session.execute(
            select(HandoffMessage)
            .where(HandoffMessage.ticket_id.in_([t.id for t in tickets]))
            .order_by(HandoffMessage.id)
        )
    ).scalars()
    by_ticket: dict[int, list[HandoffMessage]] = {}
    for message in messages:
        by_ticket.setdefault(message.ticket_id, []).append(message)
    return [TicketView(t, tuple(by_ticket.get(t.id, []))) for t in tickets]


async def erase_old_texts(session: AsyncSession, *, older_than: datetime, now: datetime) -> int:
    """Blank message texts older than the retention limit; returns how many."""
    result = await session.execute(
        update(HandoffMessage)
        .where(HandoffMessage.created_at < older_than, HandoffMessage.text.is_not(None))
        .values(text=None, text_erased_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
