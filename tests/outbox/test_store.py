"""The outbox store's lease: a worker whose claim was taken over cannot settle the row.

The README promises that a lost lease cannot overwrite: a dispatcher that stalled past its
lease (GC pause, slow network) may still get Telegram's answer and try to record it, while
another dispatcher has meanwhile claimed the row again. Only the current claimant may mark it
sent, failed or due again; the stale worker's write must change nothing.
"""

from __future__ import annotations

from datetime import timedelta

from bot.db.engine import Database
from bot.db.enums import OutboxKind, OutboxStatus
from bot.db.models import Citizen, OutboxMessage
from bot.outbox import store
from bot.outbox.queue import Template, queue_message
from tests.support.factories import Factory

LEASE = timedelta(seconds=60)


async def _queue_one(db: Database, factory: Factory) -> int:
    citizen = await factory.citizen()
    async with db.transaction() as session:
        row = queue_message(
            session,
            citizen=await session.get_one(Citizen, citizen.id),
            kind=OutboxKind.BROADCAST,
            template=Template.BROADCAST,
            params={"text": "Xin chào"},
            due_at=factory.now,
        )
        assert row is not None
        await session.flush()
        return row.id


async def _claim(
    db: Database, factory: Factory, *, after: timedelta, worker: str
) -> store.ClaimedMessage:
    async with db.transaction() as session:
        [claimed] = await store.claim_due(
            session, now=factory.now + after, limit=10, lease=LEASE, worker=worker
        )
    return claimed


async def _taken_over(
    db: Database, factory: Factory
) -> tuple[store.ClaimedMessage, store.ClaimedMessage]:
    """Worker A claims the row, stalls past its lease, and worker B claims it again."""
    await _queue_one(db, factory)
    stale = await _claim(db, factory, after=timedelta(0), worker="host-a:1")
    current = await _claim(db, factory, after=LEASE + timedelta(seconds=1), worker="host-b:2")
    assert current.id == stale.id and current.claim_token != stale.claim_token
    return stale, current


async def _row(db: Database, row_id: int) -> OutboxMessage:
    async with db.transaction() as session:
        return await session.get_one(OutboxMessage, row_id)


async def test_a_worker_that_lost_its_lease_cannot_mark_the_row_sent(
    db: Database, factory: Factory
) -> None:
    stale, current = await _taken_over(db, factory)
    late = factory.now + LEASE + timedelta(seconds=2)
    async with db.transaction() as session:
        refused = await store.mark_sent(session, stale, telegram_message_id=111, now=late)
    row = await _row(db, stale.id)
    assert refused is False
    assert (row.status, row.claim_token, row.claimed_by) == (
        OutboxStatus.SENDING,
        current.claim_token,
        "host-b:2",
    )
    assert row.telegram_message_id is None and row.sent_at is None

    async with db.transaction() as session:
        accepted = await store.mark_sent(session, current, telegram_message_id=222, now=late)
    row = await _row(db, stale.id)
    assert accepted is True
    assert (row.status, row.telegram_message_id, row.claim_token) == (OutboxStatus.SENT, 222, None)


async def test_a_worker_that_lost_its_lease_cannot_fail_or_reschedule_the_row(
    db: Database, factory: Factory
) -> None:
    stale, current = await _taken_over(db, factory)
    late = factory.now + LEASE + timedelta(seconds=2)
    async with db.transaction() as session:
        failed = await store.mark_failed(session, stale, error="chat not found", now=late)
        retried = await store.mark_retry(
            session, stale, at=late + timedelta(minutes=5), error="timeout", now=late
        )
    row = await _row(db, stale.id)
    assert (failed, retried) == (False, False)
    assert (row.status, row.claim_token, row.last_error, row.attempts) == (
        OutboxStatus.SENDING,
        current.claim_token,
        None,
        2,
    )


async def test_a_settled_row_cannot_be_settled_again_with_the_same_claim(
    db: Database, factory: Factory
) -> None:
    await _queue_one(db, factory)
    claimed = await _claim(db, factory, after=timedelta(0), worker="host-a:1")
    async with db.transaction() as session:
        first = await store.mark_sent(session, claimed, telegram_message_id=7, now=factory.now)
    async with db.transaction() as session:
        again = await store.mark_failed(session, claimed, error="late", now=factory.now)
    row = await _row(db, claimed.id)
    assert (first, again) == (True, False)
    assert (row.status, row.telegram_message_id, row.last_error) == (OutboxStatus.SENT, 7, None)
