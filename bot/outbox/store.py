"""Claiming and settling outbox rows: the only SQL the dispatcher runs.

Claim: in one short transaction, due rows (pending and due, or `sending` with an expired lease)
get `status='sending'`, a fresh `claim_token`, `claimed_by` and `lease_until`. On PostgreSQL the
candidate rows are selected `FOR UPDATE SKIP LOCKED`, so two dispatchers never claim the same
row and never wait for each other. On SQLite the transaction starts with `BEGIN IMMEDIATE`
(one writer at a time) and the UPDATE repeats the "still claimable" condition, so a row is
only ever taken by one claimer. Every settle statement (`mark_sent`, `mark_failed`, …)
matches on the claim token, so a dispatcher whose lease was taken over cannot overwrite the
new owner's result.
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import OutboxKind, OutboxStatus
from bot.db.models import OutboxMessage
from bot.outbox.queue import Template

_HOST = socket.gethostname()


def worker_identity() -> str:
    """`host:pid` of this process, stored in `claimed_by`."""
    return f"{_HOST}:{os.getpid()}"


@dataclass(frozen=True)
class ClaimedMessage:
    id: int
    kind: OutboxKind
    template: str
    params: dict[str, Any]
    chat_id: int | None
    citizen_id: int | None
    attempts: int  # including this one
    claim_token: str
    next_attempt_at: datetime


def _claimable(now: datetime) -> ColumnElement[bool]:
    return or_(
        and_(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now),
        and_(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.lease_until < now),
    )


def _urgency() -> ColumnElement[int]:
    """Claim officers' answers first and broadcasts last (the limiter's priorities)."""
    return case(
        (OutboxMessage.template == Template.HANDOFF_REPLY.value, 0),
        (OutboxMessage.kind == OutboxKind.BROADCAST, 2),
        else_=1,
    )


async def skip_expired(session: AsyncSession, *, now: datetime) -> int:
    """Rows that can no longer be useful (e.g. a reminder after the start) become skipped."""
    result = await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.expires_at <= now,
            or_(
                OutboxMessage.status == OutboxStatus.PENDING,
                and_(
                    OutboxMessage.status == OutboxStatus.SENDING,
                    OutboxMessage.lease_until < now,
                ),
            ),
        )
        .values(status=OutboxStatus.SKIPPED, last_error="expired", claim_token=None, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def claim_due(
    session: AsyncSession, *, now: datetime, limit: int, lease: timedelta, worker: str
) -> list[ClaimedMessage]:
    """Claim up to `limit` due rows for `lease`; returns them oldest-due first."""
    token = str(uuid.uuid4())
    candidates = (
        select(OutboxMessage.id)
        .where(_claimable(now))
        .order_by(_urgency(), OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(candidates), _claimable(now))
        .values(
            status=OutboxStatus.SENDING,
            claim_token=token,
            claimed_by=worker,
            lease_until=now + lease,
            attempts=OutboxMessage.attempts + 1,
            updated_at=now,
        )
        .returning(
            OutboxMessage.id,
            OutboxMessage.kind,
            OutboxMessage.template,
            OutboxMessage.params,
            OutboxMessage.chat_id,
            OutboxMessage.citizen_id,
            OutboxMessage.attempts,
            OutboxMessage.next_attempt_at,
        )
        .execution_options(synchronize_session=False)
    )
    claimed = [
        ClaimedMessage(
            id=row.id,
            kind=OutboxKind(row.kind),
            template=row.template,
            params=dict(row.params or {}),
            chat_id=row.chat_id,
            citizen_id=row.citizen_id,
            attempts=row.attempts,
            claim_token=token,
            next_attempt_at=row.next_attempt_at,
        )
        for row in result
    ]
    return sorted(claimed, key=lambda message: (message.next_attempt_at, message.id))


def _owned(message: ClaimedMessage) -> ColumnElement[bool]:
    return and_(
        OutboxMessage.id == message.id,
        OutboxMessage.claim_token == message.claim_token,
        OutboxMessage.status == OutboxStatus.SENDING,
    )


async def _settle(session: AsyncSession, message: ClaimedMessage, **values: Any) -> bool:
    result = await session.execute(
        update(OutboxMessage)
        .where(_owned(message))
        .values(claim_token=None, lease_until=None, **values)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def mark_sent(
    session: AsyncSession, message: ClaimedMessage, *, telegram_message_id: int, now: datetime
) -> bool:
    """Record the delivery; False if the claim was lost meanwhile (lease taken over)."""
    return await _settle(
        session,
        message,
        status=OutboxStatus.SENT,
        telegram_message_id=telegram_message_id,
        sent_at=now,
        last_error=None,
        updated_at=now,
    )


async def mark_retry(
    session: AsyncSession,
    message: ClaimedMessage,
    *,
    at: datetime,
    error: str,
    now: datetime,
    count_attempt: bool = True,
) -> bool:
    """Back to pending, due again at `at` (429s do not count as an attempt)."""
    values: dict[str, Any] = {
        "status": OutboxStatus.PENDING,
        "next_attempt_at": at,
        "last_error": error[:500],
        "updated_at": now,
    }
    if not count_attempt:
        values["attempts"] = OutboxMessage.attempts - 1
    return await _settle(session, message, **values)


async def mark_failed(
    session: AsyncSession,
    message: ClaimedMessage,
    *,
    error: str,
    now: datetime,
    status: OutboxStatus = OutboxStatus.FAILED,
) -> bool:
    """Give up on the row (or `status=SKIPPED` when there is nobody to send to)."""
    return await _settle(session, message, status=status, last_error=error[:500], updated_at=now)


async def release(session: AsyncSession, messages: list[ClaimedMessage], *, now: datetime) -> int:
    """Hand back claimed rows that were never tried (graceful shutdown)."""
    released = 0
    for message in messages:
        released += await mark_retry(
            session,
            message,
            at=message.next_attempt_at,
            error="released",
            now=now,
            count_attempt=False,
        )
    return released


def _pid_is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


async def recover_orphans(session: AsyncSession, *, now: datetime) -> int:
    """Free rows claimed by dead dispatcher processes on this host, without waiting for the lease.

    A row claimed by a process that no longer exists is either unsent or in the at-least-once
    window; both cases are resent, as after a lease expiry. Rows claimed on other hosts are
    left to their lease.
    """
    owners = await session.scalars(
        select(OutboxMessage.claimed_by)
        .where(OutboxMessage.status == OutboxStatus.SENDING)
        .distinct()
    )
    dead: list[str] = []
    for owner in owners:
        host, _, pid = (owner or "").rpartition(":")
        mine = host == _HOST and pid.isdigit() and int(pid) != os.getpid()
        if owner is not None and mine and not _pid_is_alive(int(pid)):
            dead.append(owner)
    if not dead:
        return 0
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.claimed_by.in_(dead))
        .values(status=OutboxStatus.PENDING, claim_token=None, lease_until=None, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
