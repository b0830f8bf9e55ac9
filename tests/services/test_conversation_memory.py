"""A person's conversation memory in the database: read back by any process, gone when empty."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.db.engine import Database
from bot.db.models import ConversationMemory
from bot.services import conversation_memory
from tests.support.factories import Factory


async def _rows(db: Database) -> int:
    async with db.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(ConversationMemory)) or 0)


async def test_what_one_update_saves_the_next_one_reads(db: Database, factory: Factory) -> None:
    memory = {"misses": 1, "question": ["hồ sơ bị trả lại", {"commune": "dam_ha"}, 1.5e9]}
    async with db.transaction() as session:
        assert await conversation_memory.load(session, 42) == {}
        await conversation_memory.save(session, 42, memory, now=factory.now)
    async with db.transaction() as session:
        assert await conversation_memory.load(session, 42) == memory
        await conversation_memory.save(session, 42, {"misses": 2}, now=factory.now)
    async with db.transaction() as session:
        assert await conversation_memory.load(session, 42) == {"misses": 2}
        assert await conversation_memory.load(session, 43) == {}  # nobody else's


async def test_an_empty_memory_leaves_no_row(db: Database, factory: Factory) -> None:
    async with db.transaction() as session:
        await conversation_memory.save(session, 7, {"misses": 1}, now=factory.now)
    async with db.transaction() as session:
        await conversation_memory.save(session, 7, {}, now=factory.now)  # e.g. /riengtu
    assert await _rows(db) == 0


async def test_memories_nobody_touched_for_a_day_are_deleted(
    db: Database, factory: Factory
) -> None:
    async with db.transaction() as session:
        await conversation_memory.save(session, 1, {"misses": 1}, now=factory.now)
        await conversation_memory.save(
            session, 2, {"misses": 1}, now=factory.now - timedelta(days=2)
        )
    async with db.transaction() as session:
        gone = await conversation_memory.forget_stale(
            session, older_than=factory.now - timedelta(days=1)
        )
    assert gone == 1 and await _rows(db) == 1
