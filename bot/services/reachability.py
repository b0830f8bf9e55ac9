"""Reachability that heals itself: a person who blocked the bot and came back is served again.

When Telegram answers 403 the dispatcher marks the citizen unreachable and cancels their
pending messages (services.citizens.mark_unreachable). Any later update from that person (a
message, a button, the `my_chat_member` update Telegram sends when they unblock) proves they
can be reached again; the chat edge then calls `note_contact`, which:

- costs one indexed SELECT when the person is reachable (the common case: nothing is written);
- otherwise clears the flag under a row lock (two updates at once heal once) and restores what
  is still relevant: the future reminders of their confirmed registrations (re-created from
  the registrations, so a time changed meanwhile is honoured), and the messages held or
  failed while they were away (officers' answers always; event notices while the event has not
  started and the registration is still in the state the notice talks about; announcements
  while they have not expired). A notice that was never queued because they were unreachable
  at the time (their class was cancelled, or a seat freed up for them) is queued now.

The `my_chat_member` update Telegram sends when they *block* the bot is the opposite news, and
it may arrive after a reminder already bounced: `note_blocked` marks them unreachable at once
(holding what is pending), so it neither heals them nor waits for the next 403 to find out.

Messages are re-queued by resetting the same outbox row to pending, so a handoff answer keeps
its link (`HandoffMessage.outbox_id`) and the dashboard shows its true state throughout.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import (
    ACTIVE,
    EventStatus,
    OutboxKind,
    OutboxStatus,
    RegistrationStatus,
)
from bot.db.models import Citizen, Event, OutboxMessage, Registration, RegistrationChange
from bot.outbox.queue import Template, event_params, queue_message
from bot.services.citizens import mark_unreachable
from bot.services.clock import utcnow
from bot.services.reminders import restore_reminders

#: `last_error` of rows held back because the recipient could not be reached.
HELD = "recipient_unreachable"
BLOCKED_PREFIX = "recipient_blocked"
#: Announcements and other notices older than this are not worth sending after a return.
NOTICE_MAX_AGE = timedelta(days=14)


@dataclass(frozen=True)
class Healed:
    """What came back when a person who had blocked the bot wrote again."""

    citizen_id: int
    reminders: int
    messages: int  # held or failed rows re-queued (officers' answers included)
    missed: int  # notices queued now that could not be queued while they were away

    @property
    def queued(self) -> int:
        return self.reminders + self.messages + self.missed


#: `unreachable_reason` when Telegram told us (my_chat_member) rather than a send failing.
BLOCKED_BY_PERSON = "my_chat_member: kicked"


async def note_blocked(
    session: AsyncSession, *, telegram_user_id: int, now: datetime | None = None
) -> bool:
    """Telegram says this person blocked the bot: mark them unreachable and hold their messages.

    False (nothing written) when they are unknown, erased or already unreachable.
    """
    found = (
        await session.execute(
            select(Citizen.id, Citizen.unreachable_at, Citizen.erased_at).where(
                Citizen.telegram_user_id == telegram_user_id
            )
        )
    ).first()
    if found is None or found.unreachable_at is not None or found.erased_at is not None:
        return False
    await mark_unreachable(
        session=session, citizen_id=found.id, reason=BLOCKED_BY_PERSON, now=now or utcnow()
    )
    return True


def is_held(row: OutboxMessage) -> bool:
    """The row did not go out because its recipient had blocked the bot."""
    error = row.last_error or ""
    return (row.status == OutboxStatus.CANCELLED and error == HELD) or (
        row.status == OutboxStatus.FAILED and error.startswith(BLOCKED_PREFIX)
    )


def requeue(row: OutboxMessage, *, chat_id: int, now: datetime) -> None:
    """Make a finished row pending again, due now, with a fresh attempt count."""
    row.status = OutboxStatus.PENDING
    row.chat_id = chat_id
    row.next_attempt_at = now
    row.attempts = 0
    row.last_error = None
    row.claim_token = None
    row.claimed_by = None
    row.lease_until = None
    row.updated_at = now


def queue_or_hold(
    session: AsyncSession,
    *,
    citizen: Citizen,
    kind: OutboxKind,
    template: Template,
    params: Mapping[str, Any],
    now: datetime,
) -> OutboxMessage | None:
    """Queue a message that must not be lost (an officer's answer) even if they blocked us.

    Reachable: a pending row. Blocked (not erased): a row held back (`cancelled`, `HELD`) that
    `note_contact` sends when they return. Erased or never on Telegram: None.
    """
    row = queue_message(
        session, citizen=citizen, kind=kind, template=template, params=params, due_at=now
    )
    if row is not None or citizen.erased_at is not None or citizen.telegram_user_id is None:
        return row
    held = OutboxMessage(
        kind=kind,
        template=template.value,
        params=dict(params),
        citizen_id=citizen.id,
        chat_id=citizen.telegram_user_id,
        status=OutboxStatus.CANCELLED,
        due_at=now,
        next_attempt_at=now,
        attempts=0,
        last_error=HELD,
        created_at=now,
        updated_at=now,
    )
    session.add(held)
    return held


async def note_contact(
    session: AsyncSession, *, telegram_user_id: int, now: datetime | None = None
) -> Healed | None:
    """The person behind `telegram_user_id` just sent an update: heal them if they need it.

    None (and nothing written) when they are unknown, reachable or erased.
    """
    found = (
        await session.execute(
            select(Citizen.id, Citizen.unreachable_at, Citizen.erased_at).where(
                Citizen.telegram_user_id == telegram_user_id
            )
        )
    ).first()
    if found is None or found.unreachable_at is None or found.erased_at is not None:
        return None
    return await heal(session, citizen_id=found.id, now=now)


async def heal(
    session: AsyncSession, *, citizen_id: int, now: datetime | None = None
) -> Healed | None:
    """Clear "unreachable" and restore what is still relevant (see the module docstring)."""
    now = now or utcnow()
    citizen = (
        await session.execute(
            select(Citizen)
            .where(Citizen.id == citizen_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).scalar_one_or_none()
    if citizen is None or citizen.unreachable_at is None or citizen.erased_at is not None:
        return None  # someone else healed them first, or there is nobody to heal
    if citizen.telegram_user_id is None:
        return None
    since = citizen.unreachable_at
    citizen.unreachable_at = None
    citizen.unreachable_reason = None
    citizen.updated_at = now
    reminders = await restore_reminders(session, citizen=citizen, now=now)
    messages = await _requeue_held(session, citizen, now)
    missed = await _queue_missed(session, citizen, since, now)
    await session.flush()
    return Healed(citizen.id, reminders, messages, missed)


# -- messages held or failed while away ---------------------------------------------------------


async def _requeue_held(session: AsyncSession, citizen: Citizen, now: datetime) -> int:
    rows = (
        await session.scalars(
            select(OutboxMessage)
            .where(
                OutboxMessage.citizen_id == citizen.id,
                OutboxMessage.kind != OutboxKind.REMINDER,  # re-created from registrations
                or_(
                    and_(
                        OutboxMessage.status == OutboxStatus.CANCELLED,
                        OutboxMessage.last_error == HELD,
                    ),
                    and_(
                        OutboxMessage.status == OutboxStatus.FAILED,
                        OutboxMessage.last_error.like(f"{BLOCKED_PREFIX}%"),
                    ),
                ),
            )
            .order_by(OutboxMessage.id)
        )
    ).all()
    if not rows:
        return 0
    events = await _events(session, {r.event_id for r in rows if r.event_id is not None})
    registrations = await _registrations(
        session, {r.registration_id for r in rows if r.registration_id is not None}
    )
    requeued = 0
    for row in rows:
        event = events.get(row.event_id) if row.event_id is not None else None
        registration = (
            registrations.get(row.registration_id) if row.registration_id is not None else None
        )
        if _still_relevant(row, event, registration, now):
            requeue(row, chat_id=citizen.telegram_user_id or 0, now=now)
            requeued += 1
        else:
            row.last_error = f"{HELD}: no longer relevant"  # not looked at again
    return requeued


def _still_relevant(
    row: OutboxMessage, event: Event | None, registration: Registration | None, now: datetime
) -> bool:
    """Whether a message that could not be delivered is still worth sending now."""
    if row.template == Template.HANDOFF_REPLY:
        return True  # the answer to the person's own question: always
    if row.expires_at is not None and row.expires_at <= now:
        return False
    if now - row.created_at > NOTICE_MAX_AGE:
        return False
    if event is not None and event.starts_at <= now:
        return False
    template = row.template
    if template == Template.PROMOTED:
        return registration is not None and registration.status == RegistrationStatus.CONFIRMED
    if template in (Template.APPROVED, Template.EVENT_CHANGED):
        return registration is not None and registration.status in ACTIVE
    if template == Template.EVENT_CANCELLED:
        return event is not None and event.status == EventStatus.CANCELLED
    return True


async def _events(session: AsyncSession, ids: set[int]) -> dict[int, Event]:
    if not ids:
        return {}
    found = await session.scalars(select(Event).where(Event.id.in_(ids)))
    return {event.id: event for event in found}


async def _registrations(session: AsyncSession, ids: set[int]) -> dict[int, Registration]:
    if not ids:
        return {}
    found = await session.scalars(select(Registration).where(Registration.id.in_(ids)))
    return {registration.id: registration for registration in found}


# -- notices never queued while away -------------------------------------------------------------

#: Registration changes the citizen is told about, and the message that tells them.
_TOLD_ABOUT: dict[str, tuple[RegistrationStatus, Template, OutboxKind]] = {
    "promoted": (RegistrationStatus.CONFIRMED, Template.PROMOTED, OutboxKind.PROMOTION),
    "event_cancelled": (
        RegistrationStatus.EVENT_CANCELLED,
        Template.EVENT_CANCELLED,
        OutboxKind.NOTICE,
    ),
}


async def _queue_missed(
    session: AsyncSession, citizen: Citizen, since: datetime, now: datetime
) -> int:
    """A seat freed up or the event was cancelled while they were away, and no row says so."""
    changes = (
        await session.execute(
            select(RegistrationChange.reason, Registration, Event)
            .join(Registration, Registration.id == RegistrationChange.registration_id)
            .join(Event, Event.id == Registration.event_id)
            .where(
                Registration.citizen_id == citizen.id,
                RegistrationChange.changed_at >= since,
                RegistrationChange.reason.in_(tuple(_TOLD_ABOUT)),
                Event.starts_at > now,
            )
            .order_by(RegistrationChange.id)
        )
    ).tuples()
    queued = 0
    seen: set[tuple[int, str]] = set()
    for reason, registration, event in changes:
        if reason is None:
            continue
        status, template, kind = _TOLD_ABOUT[reason]
        key = (registration.id, template.value)
        if registration.status != status or key in seen:
            continue
        seen.add(key)
        already = await session.scalar(
            select(OutboxMessage.id).where(
                OutboxMessage.registration_id == registration.id,
                OutboxMessage.template == template.value,
                OutboxMessage.status.in_(
                    (OutboxStatus.PENDING, OutboxStatus.SENDING, OutboxStatus.SENT)
                ),
            )
        )
        if already is not None:
            continue
        row = queue_message(
            session,
            citizen=citizen,
            kind=kind,
            template=template,
            params=event_params(event),
            due_at=now,
            expires_at=event.starts_at,
            event_id=event.id,
            registration_id=registration.id,
        )
        queued += row is not None
    return queued
