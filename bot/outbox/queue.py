"""The outbox: every message the system sends on its own is a row here first.

Use cases queue rows inside their own transaction, so a registration and the messages it causes
commit (or roll back) together; the dispatcher (outbox.dispatcher) sends them later. A row
names a `Template` and JSON `params`; the wording is produced at send time by a `Renderer` that
the composition root takes from bot.texts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy import ColumnElement, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import OutboxKind, OutboxStatus
from bot.db.models import Citizen, Event, OutboxMessage


class Template(StrEnum):
    """What a queued message says; bot.texts has one entry per member."""

    REMINDER = "registration.reminder"
    PROMOTED = "registration.promoted"
    APPROVED = "registration.approved"
    REJECTED = "registration.rejected"
    EVENT_CHANGED = "event.changed"
    EVENT_CANCELLED = "event.cancelled"
    BROADCAST = "broadcast"
    HANDOFF_REPLY = "handoff.reply"
    EVENT_ANNOUNCED = "event.announced"  # a new event, to citizens subscribed to such news


@dataclass(frozen=True)
class Button:
    """An inline button: a link (`url`) or a callback (`callback_data`, prefix-matched)."""

    text: str
    url: str | None = None
    callback_data: str | None = None


@dataclass(frozen=True)
class RenderedMessage:
    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()


class Renderer(Protocol):
    """Turns a template key and its params into the message text (HTML-escaped)."""

    def __call__(self, template: str, params: Mapping[str, Any]) -> RenderedMessage: ...


def event_params(event: Event) -> dict[str, Any]:
    """What any message about `event` may mention (times in UTC ISO; texts show local)."""
    return {
        "event_id": event.id,
        "kind": event.kind.value,
        "title": event.title,
        "starts_at": event.starts_at.isoformat(),
        "ends_at": event.ends_at.isoformat(),
        "venue": event.venue,
        "venue_map_url": event.venue_map_url,
        "what_to_bring": event.what_to_bring,
    }


def queue_message(
    session: AsyncSession,
    *,
    citizen: Citizen,
    kind: OutboxKind,
    template: Template,
    params: Mapping[str, Any],
    due_at: datetime,
    expires_at: datetime | None = None,
    event_id: int | None = None,
    registration_id: int | None = None,
) -> OutboxMessage | None:
    """Add a pending row for `citizen`; None (nothing queued) if they cannot be reached."""
    if not citizen.reachable:
        return None
    message = OutboxMessage(
        kind=kind,
        template=template.value,
        params=dict(params),
        citizen_id=citizen.id,
        chat_id=citizen.telegram_user_id,
        event_id=event_id,
        registration_id=registration_id,
        status=OutboxStatus.PENDING,
        due_at=due_at,
        next_attempt_at=due_at,
        expires_at=expires_at,
        attempts=0,
    )
    session.add(message)
    return message


async def cancel_pending(
    session: AsyncSession, *conditions: ColumnElement[bool], reason: str
) -> int:
    """Mark pending rows matching `conditions` cancelled; returns how many."""
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING, *conditions)
        .values(status=OutboxStatus.CANCELLED, last_error=reason)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
