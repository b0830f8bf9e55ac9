""" "Delete my data": erase a citizen's personal data, keep only what statistics need.

What is erased: Telegram id, name, phone, birth year, target groups (they can reveal health or
poverty status), consent record, opt-in; pending and in-flight messages to the person are
deleted, the chat id is removed from messages already sent, and staff audit entries about the
person keep which fields changed but not the values; the person's unfinished forms are
deleted and the texts of their questions to officers blanked (the tickets stay, closed, for
the statistics), the staff-chat notices quoting those questions deleted (outbox `retract`
rows), the texts of their messages kept for NLU review blanked. Every erasure is in the audit
log, whoever asked for it. What is kept: the anonymous citizen row
with its commune (two communes only, too coarse to identify anyone) and the registrations'
statuses and dates, so attendance figures for past events stay right. Future registrations
are cancelled first, which frees their seats for the waitlist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import HandoffStatus, OutboxStatus, RegistrationStatus
from bot.db.models import (
    AuditEntry,
    Citizen,
    ConversationState,
    Event,
    HandoffMessage,
    HandoffTicket,
    NluReviewItem,
    OutboxMessage,
    Registration,
)
from bot.services import audit, retraction, subscriptions
from bot.services.actors import Actor, citizen_actor
from bot.services.clock import utcnow
from bot.services.registrations import cancel_registration

_UNSENT = (OutboxStatus.PENDING, OutboxStatus.SENDING)
_CANCELLABLE = (
    RegistrationStatus.PENDING,
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
)


@dataclass(frozen=True)
class ErasureReport:
    citizen_id: int
    registrations_cancelled: int
    messages_dropped: int
    audit_entries_scrubbed: int


async def _cancel_future_registrations(
    session: AsyncSession, citizen: Citizen, actor: Actor, now: datetime
) -> int:
    registrations = await session.scalars(
        select(Registration)
        .join(Event, Event.id == Registration.event_id)
        .where(
            Registration.citizen_id == citizen.id,
            Registration.status.in_(_CANCELLABLE),
            Event.starts_at > now,
        )
        .order_by(Registration.id)
    )
    cancelled = 0
    for registration in list(registrations):
        await cancel_registration(session=session, registration=registration, actor=actor, now=now)
        cancelled += 1
    return cancelled


async def _scrub_audit(session: AsyncSession, citizen_id: int) -> int:
    entries = await session.scalars(
        select(AuditEntry).where(
            AuditEntry.entity_type == "citizen", AuditEntry.entity_id == citizen_id
        )
    )
    scrubbed = 0
    for entry in entries:
        entry.before = None if entry.before is None else dict.fromkeys(entry.before)
        entry.after = None if entry.after is None else dict.fromkeys(entry.after)
        scrubbed += 1
    return scrubbed


async def _erase_dialogue(session: AsyncSession, citizen: Citizen, now: datetime) -> None:
    """Forms in progress, handoff texts and the chat id on tickets."""
    chat_id = citizen.telegram_user_id
    if chat_id is not None:
        await session.execute(
            delete(ConversationState).where(ConversationState.telegram_user_id == chat_id)
        )
    owners = [HandoffTicket.citizen_id == citizen.id]
    if chat_id is not None:
        owners.append(HandoffTicket.telegram_chat_id == chat_id)
    owned = or_(*owners)
    ticket_ids = select(HandoffTicket.id).where(owned).scalar_subquery()
    # Pending officer replies are deleted below with the rest of the outbox: unlink them first.
    await session.execute(
        update(HandoffMessage)
        .where(HandoffMessage.ticket_id.in_(ticket_ids))
        .values(text=None, text_erased_at=now, outbox_id=None)
        .execution_options(synchronize_session=False)
    )
    # The staff-chat notices quote the questions (an ID-card number, a phone): take them back.
    await retraction.queue_retractions(session, ticket_ids, now=now)
    await session.execute(
        update(HandoffTicket)
        .where(owned)
        .values(
            telegram_chat_id=None, status=HandoffStatus.CLOSED, closed_at=now, closed_by="erased"
        )
        .execution_options(synchronize_session=False)
    )


async def erase_citizen(
    *,
    session: AsyncSession,
    citizen: Citizen,
    actor: Actor | None = None,
    now: datetime | None = None,
) -> ErasureReport:
    """Erase `citizen`'s personal data (idempotent); `actor` defaults to the citizen."""
    now = now or utcnow()
    actor = actor or citizen_actor(citizen.id)
    cancelled = await _cancel_future_registrations(session, citizen, actor, now)
    await _erase_dialogue(session, citizen, now)
    dropped = await session.execute(
        delete(OutboxMessage)
        .where(OutboxMessage.citizen_id == citizen.id, OutboxMessage.status.in_(_UNSENT))
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.citizen_id == citizen.id)
        .values(chat_id=None)
        .execution_options(synchronize_session=False)
    )
    # Messages the bot did not understand: the text goes, the intent statistics stay.
    await session.execute(
        update(NluReviewItem)
        .where(NluReviewItem.citizen_id == citizen.id)
        .values(text=None, text_erased_at=now, citizen_id=None)
        .execution_options(synchronize_session=False)
    )
    scrubbed = await _scrub_audit(session, citizen.id)
    await subscriptions.forget(session=session, citizen_id=citizen.id)
    citizen.telegram_user_id = None
    citizen.full_name = None
    citizen.phone = None
    citizen.birth_year = None
    citizen.target_groups = []
    citizen.consent_at = None
    citizen.consent_text_version = None
    citizen.broadcast_opt_in = False
    citizen.unreachable_at = citizen.unreachable_at or now
    citizen.unreachable_reason = "erased"
    citizen.erased_at = citizen.erased_at or now
    citizen.updated_at = now
    await session.flush()
    audit.record(
        session,
        actor=actor,
        action="citizen.erase",
        entity_type="citizen",
        entity_id=citizen.id,
        before=None,
        after={"erased": True, "registrations_cancelled": cancelled},
        at=now,
        security=True,  # the citizen's own /riengtu too, not only staff erasures
    )
    return ErasureReport(
        citizen_id=citizen.id,
        registrations_cancelled=cancelled,
        messages_dropped=int(dropped.rowcount),  # type: ignore[attr-defined]
        audit_entries_scrubbed=scrubbed,
    )
