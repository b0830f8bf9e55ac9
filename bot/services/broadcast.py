"""Announcements from staff to many citizens, through the same outbox and rate limits.

Two audiences: the registrants of one event (confirmed by default), or every citizen who opted
in to general announcements. Unreachable and erased citizens are skipped at queue time. The
staff-written text travels in `params["text"]`; the renderer escapes it for HTML.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import OutboxKind, RegistrationStatus
from bot.db.models import Citizen, Event, Registration
from bot.outbox.queue import Template, event_params, queue_message
from bot.services import audit
from bot.services.actors import Actor
from bot.services.clock import utcnow
from bot.services.errors import BroadcastRefused, Reason

TELEGRAM_MAX_TEXT = 4096


@dataclass(frozen=True)
class BroadcastResult:
    broadcast_id: str
    queued: int
    skipped_unreachable: int


def _check_text(text: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise BroadcastRefused(Reason.EMPTY_MESSAGE)
    if len(cleaned) > TELEGRAM_MAX_TEXT:
        raise BroadcastRefused(Reason.MESSAGE_TOO_LONG, length=len(cleaned))
    return cleaned


def _queue_all(
    session: AsyncSession,
    citizens: Iterable[Citizen],
    *,
    params: dict[str, object],
    now: datetime,
    event: Event | None,
) -> tuple[int, int]:
    queued = skipped = 0
    for citizen in citizens:
        row = queue_message(
            session,
            citizen=citizen,
            kind=OutboxKind.BROADCAST,
            template=Template.BROADCAST,
            params=params,
            due_at=now,
            expires_at=None if event is None else event.ends_at,
            event_id=None if event is None else event.id,
        )
        if row is None:
            skipped += 1
        else:
            queued += 1
    return queued, skipped


async def broadcast_to_event(
    *,
    session: AsyncSession,
    event: Event,
    text: str,
    actor: Actor,
    statuses: tuple[RegistrationStatus, ...] = (RegistrationStatus.CONFIRMED,),
    now: datetime | None = None,
) -> BroadcastResult:
    """Queue `text` to the event's registrants with one of `statuses` (audited)."""
    now = now or utcnow()
    cleaned = _check_text(text)
    broadcast_id = uuid.uuid4().hex
    citizens = await session.scalars(
        select(Citizen)
        .join(Registration, Registration.citizen_id == Citizen.id)
        .where(Registration.event_id == event.id, Registration.status.in_(statuses))
        .order_by(Citizen.id)
    )
    params = event_params(event) | {"text": cleaned, "broadcast_id": broadcast_id}
    queued, skipped = _queue_all(session, citizens, params=params, now=now, event=event)
    audit.record(
        session,
        actor=actor,
        action="broadcast.event",
        entity_type="event",
        entity_id=event.id,
        before=None,
        after={
            "broadcast_id": broadcast_id,
            "statuses": [status.value for status in statuses],
            "queued": queued,
            "text": cleaned,
        },
        at=now,
    )
    return BroadcastResult(broadcast_id, queued, skipped)


async def broadcast_to_opted_in(
    *, session: AsyncSession, text: str, actor: Actor, now: datetime | None = None
) -> BroadcastResult:
    """Queue `text` to every citizen who opted in to announcements (audited)."""
    now = now or utcnow()
    cleaned = _check_text(text)
    broadcast_id = uuid.uuid4().hex
    citizens = await session.scalars(
        select(Citizen).where(Citizen.broadcast_opt_in.is_(True)).order_by(Citizen.id)
    )
    params: dict[str, object] = {"text": cleaned, "broadcast_id": broadcast_id}
    queued, skipped = _queue_all(session, citizens, params=params, now=now, event=None)
    audit.record(
        session,
        actor=actor,
        action="broadcast.opted_in",
        entity_type="broadcast",
        entity_id=None,
        after={"broadcast_id": broadcast_id, "queued": queued, "text": cleaned},
        before=None,
        at=now,
    )
    return BroadcastResult(broadcast_id, queued, skipped)
