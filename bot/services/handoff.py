"""Handoff: a citizen's question becomes a ticket that an officer answers.

One open ticket per chat: further messages while it is open join the same ticket, so the
officer sees one conversation. Officers answer from the dashboard or by replying in the staff
Telegram chat; either way the answer goes through the outbox like every message the system
sends on its own (rate limits, retries, delivery record), and the audit log records who
answered or closed, whichever way they worked. Question texts are personal data:
`erase_old_texts` blanks them after the retention period.

A question asked outside the commune's working hours (services.office_hours) gets
`expected_answer_at`: the chat side tells the citizen when to expect an answer, and the inbox
shows the officer what the citizen was told. Tickets can be assigned to one officer; the
inbox filters them (open, answered, undelivered answers, mine, closed history).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import HandoffAuthor, HandoffStatus, OutboxKind, OutboxStatus
from bot.db.models import Citizen, HandoffMessage, HandoffTicket, OutboxMessage
from bot.outbox.queue import Template, queue_message
from bot.services import answer_quality, audit, retraction
from bot.services.actors import staff
from bot.services.clock import utcnow
from bot.services.office_hours import DEFAULT_OFFICE_HOURS, expected_answer_time

InboxFilter = Literal["open", "answered", "undelivered", "mine", "closed", "all"]
INBOX_FILTERS: tuple[InboxFilter, ...] = (
    "open",
    "answered",
    "undelivered",
    "mine",
    "closed",
    "all",
)
#: Outbox states in which an officer's answer did not reach the citizen.
UNDELIVERED = (OutboxStatus.FAILED, OutboxStatus.SKIPPED, OutboxStatus.CANCELLED)

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
    office_hours: str = DEFAULT_OFFICE_HOURS,
) -> tuple[HandoffTicket, bool]:
    """Record the citizen's message on their open ticket, or open one; (ticket, is_new).

    `ticket.expected_answer_at` is set when the message arrives outside the commune's
    working hours (`office_hours` is the default for communes without their own), so the
    reply to the citizen can say when an officer will answer.
    """
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
        answer_quality.record(session, outcome="handoff", topic=topic, now=now)
    else:
        ticket.status = HandoffStatus.OPEN
        ticket.updated_at = now
    ticket.expected_answer_at = await expected_answer_time(
        session, ticket.commune, now, default=office_hours
    )
    session.add(
        HandoffMessage(
            ticket_id=ticket.id, author=HandoffAuthor.CITIZEN, text=text[:MAX_TEXT], created_at=now
        )
    )
    return ticket, is_new


async def _ticket(session: AsyncSession, ticket_id: int) -> HandoffTicket:
    ticket = await session.get(HandoffTicket, ticket_id)
    if ticket is None:
        raise TicketNotFound(f"handoff ticket {ticket_id} does not exist")
    return ticket


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
    ticket = await _ticket(session, ticket_id)
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
        commune=ticket.commune,
    )
    return outbox


async def close(session: AsyncSession, *, ticket_id: int, staff_login: str, now: datetime) -> None:
    """Close a ticket; the citizen's next request opens a new one."""
    ticket = await _ticket(session, ticket_id)
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
        commune=ticket.commune,
    )


async def assign(
    session: AsyncSession,
    *,
    ticket_id: int,
    assignee: str | None,
    staff_login: str,
    now: datetime,
) -> HandoffTicket:
    """Give the ticket to one officer (by login; None: to nobody), audited."""
    ticket = await _ticket(session, ticket_id)
    if ticket.assigned_to == assignee:
        return ticket
    before = {"assigned_to": ticket.assigned_to}
    ticket.assigned_to = assignee
    ticket.updated_at = now
    audit.record(
        session,
        actor=staff(staff_login),
        action="handoff.assign",
        entity_type="handoff_ticket",
        entity_id=ticket.id,
        before=before,
        after={"assigned_to": assignee},
        at=now,
        commune=ticket.commune,
    )
    return ticket


async def list_tickets(
    session: AsyncSession,
    *,
    statuses: tuple[HandoffStatus, ...] = (HandoffStatus.OPEN, HandoffStatus.ANSWERED),
    commune: str | None = None,
    limit: int = 100,
    inbox: InboxFilter | None = None,
    me: str | None = None,
) -> list[TicketView]:
    """Tickets (newest activity first) with their messages; `commune` scopes an officer.

    `inbox` picks a view of the inbox instead of `statuses`: open, answered, undelivered (an
    answer that could not be sent), mine (assigned to `me`, not closed), closed, all.
    """
    query = select(HandoffTicket)
    if inbox is None:
        query = query.where(HandoffTicket.status.in_(statuses))
    elif inbox in ("open", "answered", "closed"):
        query = query.where(HandoffTicket.status == HandoffStatus(inbox))
    elif inbox == "mine":
        query = query.where(
            HandoffTicket.assigned_to == (me or ""), HandoffTicket.status != HandoffStatus.CLOSED
        )
    elif inbox == "undelivered":
        failed = (
            select(HandoffMessage.ticket_id)
            .join(OutboxMessage, OutboxMessage.id == HandoffMessage.outbox_id)
            .where(OutboxMessage.status.in_(UNDELIVERED))
        )
        unsent = select(HandoffMessage.ticket_id).where(
            HandoffMessage.author == HandoffAuthor.STAFF, HandoffMessage.outbox_id.is_(None)
        )
        query = query.where(HandoffTicket.id.in_(failed.union(unsent)))
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


async def delivery_states(
    session: AsyncSession, views: list[TicketView]
) -> dict[int, OutboxStatus]:
    """Outbox status of each officer answer shown (message id -> status)."""
    outbox_ids = [m.outbox_id for v in views for m in v.messages if m.outbox_id is not None]
    if not outbox_ids:
        return {}
    rows = await session.execute(
        select(OutboxMessage.id, OutboxMessage.status).where(OutboxMessage.id.in_(outbox_ids))
    )
    status_by_outbox = dict(rows.tuples().all())
    return {
        m.id: status_by_outbox[m.outbox_id]
        for v in views
        for m in v.messages
        if m.outbox_id is not None and m.outbox_id in status_by_outbox
    }


async def erase_old_texts(session: AsyncSession, *, older_than: datetime, now: datetime) -> int:
    """Blank message texts older than the retention limit; returns how many."""
    result = await session.execute(
        update(HandoffMessage)
        .where(HandoffMessage.created_at < older_than, HandoffMessage.text.is_not(None))
        .values(text=None, text_erased_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
