"""Broadcasts: one outbox row per reachable recipient, audited, through the same dispatcher."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.db.engine import Database
from bot.db.enums import OutboxKind, RegistrationStatus
from bot.db.models import AuditEntry, Event, OutboxMessage
from bot.services.actors import staff
from bot.services.broadcast import broadcast_to_event, broadcast_to_opted_in
from bot.services.errors import BroadcastRefused, Reason
from tests.support.factories import Factory

MAI = staff("mai")


async def _broadcast_rows(db: Database) -> list[OutboxMessage]:
    async with db.transaction() as session:
        rows = await session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.kind == OutboxKind.BROADCAST)
            .order_by(OutboxMessage.id)
        )
        return list(rows)


async def test_event_broadcast_reaches_confirmed_registrants_only(
    db: Database, factory: Factory
) -> None:
    event = await factory.event(capacity=2)
    people = await factory.citizens(3)
    for person in people:
        await factory.register(person, event)  # two confirmed, one waitlisted
    async with db.transaction() as session:
        loaded = await session.get_one(Event, event.id)
        result = await broadcast_to_event(
            session=session, event=loaded, text="  Mang theo CCCD  ", actor=MAI, now=factory.now
        )
    rows = await _broadcast_rows(db)
    assert result.queued == 2
    assert [r.citizen_id for r in rows] == [people[0].id, people[1].id]
    assert rows[0].params["text"] == "Mang theo CCCD"
    assert rows[0].expires_at == event.ends_at
    async with db.transaction() as session:
        entry = await session.scalar(select(AuditEntry))
    assert entry is not None and entry.action == "broadcast.event"
    assert entry.after is not None and entry.after["queued"] == 2


async def test_event_broadcast_can_include_the_waitlist(db: Database, factory: Factory) -> None:
    event = await factory.event(capacity=1)
    for person in await factory.citizens(2):
        await factory.register(person, event)
    async with db.transaction() as session:
        loaded = await session.get_one(Event, event.id)
        result = await broadcast_to_event(
            session=session,
            event=loaded,
            text="x",
            actor=MAI,
            now=factory.now,
            statuses=(RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED),
        )
    assert result.queued == 2


async def test_opt_in_broadcast_skips_unreachable_and_erased(
    db: Database, factory: Factory
) -> None:
    keen = await factory.citizen(broadcast_opt_in=True)
    await factory.citizen(broadcast_opt_in=True, unreachable_at=factory.now)
    await factory.citizen(broadcast_opt_in=True, telegram_user_id=None, erased_at=factory.now)
    await factory.citizen(broadcast_opt_in=False)
    async with db.transaction() as session:
        result = await broadcast_to_opted_in(
            session=session, text="Phiên việc làm mới", actor=MAI, now=factory.now
        )
    assert (result.queued, result.skipped_unreachable) == (1, 2)
    assert [r.citizen_id for r in await _broadcast_rows(db)] == [keen.id]


@pytest.mark.parametrize(
    ("text", "reason"), [("   ", Reason.EMPTY_MESSAGE), ("x" * 4097, Reason.MESSAGE_TOO_LONG)]
)
async def test_unsendable_text_is_refused(
    db: Database, factory: Factory, text: str, reason: Reason
) -> None:
    with pytest.raises(BroadcastRefused) as caught:
        async with db.transaction() as session:
            await broadcast_to_opted_in(session=session, text=text, actor=MAI, now=factory.now)
    assert caught.value.reason == reason
