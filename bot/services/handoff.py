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

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import HandoffAuthor, HandoffStatus, OutboxKind, OutboxStatus
from bot.db.models import Citizen, HandoffMessage, HandoffTicket, OutboxMessage
from bot.outbox.queue import Template
from bot.services import answer_quality, audit, retraction
from bot.services.actors import staff
from bot.services.clock import utcnow
from bot.services.communes import COMMUNES, OUTSIDE, communes_named_in, resolve_commune
from bot.services.office_hours import DEFAULT_OFFICE_HOURS, expected_answer_time
from bot.services.reachability import BLOCKED_PREFIX, HELD, queue_or_hold, requeue

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
    """Record an officer's answer and queue it to the citizen.

    Returns the pending outbox row, or None when it cannot be sent now: the person blocked the
    bot (the answer is held and goes out when they return; `answer_deliveries` says so) or
    erased their data.
    """
    ticket = await _ticket(session, ticket_id)
    citizen = await session.get(Citizen, ticket.citizen_id) if ticket.citizen_id else None
    row = None
    if citizen is not None:
        # Held back (not dropped) when they blocked the bot: sent when they come back.
        row = queue_or_hold(
            session,
            citizen=citizen,
            kind=OutboxKind.NOTICE,
            template=Template.HANDOFF_REPLY,
            params={"ticket_id": ticket.id, "text": text[:MAX_TEXT]},
            now=now,
        )
        await session.flush()
    outbox = row if row is not None and row.status == OutboxStatus.PENDING else None
    session.add(
        HandoffMessage(
            ticket_id=ticket.id,
            author=HandoffAuthor.STAFF,
            staff_login=staff_login,
            text=text[:MAX_TEXT],
            outbox_id=row.id if row else None,
            created_at=now,
        )
    )
    ticket.status = HandoffStatus.ANSWERED
    ticket.updated_at = now
    after = {"outbox_id": outbox.id if outbox else None}
    _audit(session, ticket, staff_login, "handoff.reply", None, after, now)
    return outbox


def _audit(
    session: AsyncSession,
    ticket: HandoffTicket,
    staff_login: str,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any],
    now: datetime,
) -> None:
    """An officer changed this ticket: one audit entry, scoped to the ticket's commune."""
    audit.record(
        session,
        actor=staff(staff_login),
        action=action,
        entity_type="handoff_ticket",
        entity_id=ticket.id,
        before=before,
        after=after,
        at=now,
        commune=ticket.commune,
    )


async def close(session: AsyncSession, *, ticket_id: int, staff_login: str, now: datetime) -> None:
    """Close a ticket; the citizen's next request opens a new one."""
    ticket = await _ticket(session, ticket_id)
    before = {"status": ticket.status.value}
    ticket.status = HandoffStatus.CLOSED
    ticket.closed_at = now
    ticket.closed_by = staff_login
    ticket.updated_at = now
    after = {"status": HandoffStatus.CLOSED.value}
    _audit(session, ticket, staff_login, "handoff.close", before, after, now)


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
    _audit(session, ticket, staff_login, "handoff.assign", before, {"assigned_to": assignee}, now)
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
    """Tickets (newest activity first) with their messages; `commune` scopes an officer
    (their commune's tickets and the unassigned ones, see `in_commune_scope`).

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
        query = query.where(in_commune_scope(commune))
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


# -- which officers see a ticket ---------------------------------------------------------------


def in_commune_scope(commune: str) -> ColumnElement[bool]:
    """An officer of `commune` sees its tickets and those whose commune is not known yet
    (someone has to read them; the person may never say where they live)."""
    return or_(HandoffTicket.commune == commune, HandoffTicket.commune.is_(None))


def ticket_commune(*, entity: str | None, text: str, profile_commune: str | None) -> str | None:
    """The commune a question belongs to: the one it names (the NLU's `commune` entity, else
    exactly one commune found in the words), else the person's profile, else None (ask)."""
    if entity:
        code = resolve_commune(entity)
        if code is not None and code != OUTSIDE:
            return code
    named = communes_named_in(text)
    if len(named) == 1:
        return named.pop()
    if profile_commune in COMMUNES and profile_commune != OUTSIDE:
        return profile_commune
    return None


async def set_ticket_commune(
    session: AsyncSession, *, ticket_id: int, chat_id: int, commune: str, now: datetime
) -> HandoffTicket | None:
    """The person chose their commune for their own ticket (buttons); None if not theirs."""
    if commune not in COMMUNES or commune == OUTSIDE:
        raise ValueError(f"unknown commune {commune!r}")
    ticket = await session.get(HandoffTicket, ticket_id)
    if ticket is None or ticket.telegram_chat_id != chat_id:
        return None
    ticket.commune = commune
    ticket.updated_at = now
    return ticket


# -- did the answer reach the person? ----------------------------------------------------------


class Delivery(StrEnum):
    """What staff are told about an answer; never "sent" before Telegram accepted it."""

    QUEUED = "queued"  # waiting for the dispatcher (or retrying after a network error)
    SENT = "sent"
    HELD = "held"  # the person blocked the bot: goes out when they write again
    FAILED = "failed"  # given up: `reason` says why; staff may resend


#: Reason codes of a failed or held delivery (bot.texts names them for staff).
REASON_BLOCKED = "blocked"
REASON_ERASED = "erased"
REASON_REFUSED = "refused"  # Telegram refused the request (400)
REASON_NETWORK = "network"  # retries exhausted
REASON_EXPIRED = "expired"
REASON_OTHER = "other"


@dataclass(frozen=True)
class DeliveryStatus:
    state: Delivery
    reason: str | None = None
    sent_at: datetime | None = None
    outbox_id: int | None = None

    @property
    def can_resend(self) -> bool:
        """Staff may try again: the answer failed and the person is not known to block us."""
        return self.state is Delivery.FAILED and self.reason not in (REASON_ERASED,)


def _reason(error: str | None) -> str:
    error = error or ""
    if error.startswith((BLOCKED_PREFIX, HELD)):
        return REASON_BLOCKED
    if error.startswith("permanent"):
        return REASON_REFUSED
    if error in ("no_chat", "erased"):
        return REASON_ERASED
    if error == "expired":
        return REASON_EXPIRED
    if error:
        return REASON_NETWORK
    return REASON_OTHER


def delivery_of(row: OutboxMessage | None, citizen: Citizen | None) -> DeliveryStatus:
    """The delivery state of one answer's outbox row (None: nothing could be queued)."""
    if row is None:
        return DeliveryStatus(Delivery.FAILED, REASON_ERASED)
    if row.status == OutboxStatus.SENT:
        return DeliveryStatus(Delivery.SENT, sent_at=row.sent_at, outbox_id=row.id)
    if row.status in (OutboxStatus.PENDING, OutboxStatus.SENDING):
        return DeliveryStatus(Delivery.QUEUED, outbox_id=row.id)
    if citizen is not None and citizen.erased_at is not None:
        return DeliveryStatus(Delivery.FAILED, REASON_ERASED, outbox_id=row.id)
    reason = _reason(row.last_error)
    if reason == REASON_BLOCKED and citizen is not None and not citizen.reachable:
        return DeliveryStatus(Delivery.HELD, REASON_BLOCKED, outbox_id=row.id)
    return DeliveryStatus(Delivery.FAILED, reason, outbox_id=row.id)


async def answer_deliveries(
    session: AsyncSession, ticket_ids: Iterable[int]
) -> dict[int, DeliveryStatus]:
    """Delivery state of every officer answer on these tickets, by handoff message id."""
    ids = list(ticket_ids)
    if not ids:
        return {}
    rows = await session.execute(
        select(HandoffMessage.id, OutboxMessage, Citizen)
        .join(HandoffTicket, HandoffTicket.id == HandoffMessage.ticket_id)
        .outerjoin(OutboxMessage, OutboxMessage.id == HandoffMessage.outbox_id)
        .outerjoin(Citizen, Citizen.id == HandoffTicket.citizen_id)
        .where(HandoffMessage.ticket_id.in_(ids), HandoffMessage.author == HandoffAuthor.STAFF)
    )
    return {message_id: delivery_of(row, citizen) for message_id, row, citizen in rows.tuples()}


async def latest_answer_held(session: AsyncSession, ticket_id: int) -> bool:
    """The ticket's newest officer answer waits for the person to unblock the bot."""
    statuses = await answer_deliveries(session, [ticket_id])
    return bool(statuses) and statuses[max(statuses)].state is Delivery.HELD


async def delivery_of_outbox(session: AsyncSession, outbox_id: int) -> DeliveryStatus:
    """The state of one queued answer (the staff chat's confirmation follows it)."""
    row = await session.get(OutboxMessage, outbox_id, populate_existing=True)
    citizen = (
        await session.get(Citizen, row.citizen_id) if row is not None and row.citizen_id else None
    )
    return delivery_of(row, citizen)


async def resend_answer(
    session: AsyncSession, *, handoff_message_id: int, staff_login: str, now: datetime
) -> DeliveryStatus:
    """Queue a failed answer again (audited). Anything else is returned unchanged: a sent or
    queued answer needs nothing, a held one goes out by itself when the person returns."""
    message = await session.get(HandoffMessage, handoff_message_id)
    if message is None or message.author != HandoffAuthor.STAFF or message.outbox_id is None:
        raise TicketNotFound(f"no officer answer {handoff_message_id}")
    row = await session.get(OutboxMessage, message.outbox_id)
    citizen = await session.get(Citizen, row.citizen_id) if row and row.citizen_id else None
    status = delivery_of(row, citizen)
    if not status.can_resend or row is None or citizen is None or not citizen.reachable:
        return status
    requeue(row, chat_id=citizen.telegram_user_id or 0, now=now)
    audit.record(
        session,
        actor=staff(staff_login),
        action="handoff.resend",
        entity_type="handoff_ticket",
        entity_id=message.ticket_id,
        before={"outbox_status": status.state.value, "reason": status.reason},
        after={"outbox_id": row.id},
        at=now,
    )
    await session.flush()
    return DeliveryStatus(Delivery.QUEUED, outbox_id=row.id)
