"""Fixtures of the chat's tests.

`db` (and `migrated_url`) is the shared two-backend database of tests.support.databases (SQLite and
PostgreSQL, emptied per test), for unit tests of the desk, the state and the retention job.
`harness` runs the conversation driver (driver.Harness) on a SQLite file of its own, so a
test can restart the bot on the same data; `harness.factory` makes rows in that database.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from driver import Harness

from bot.db.engine import Database, open_database
from bot.db.migrate import upgrade
from bot.knowledge import KnowledgeBase, load_knowledge
from telegram_standin import BotApiStandIn, RateLimits
from tests.support.databases import db, migrated_url
from tests.support.factories import Factory

__all__ = ["db", "migrated_url"]


@pytest.fixture(scope="session")
def knowledge() -> KnowledgeBase:
    return load_knowledge()


@pytest.fixture
def factory(db: Database) -> Factory:
    return Factory(db)


@pytest.fixture
async def conversation_db(tmp_path: Path) -> AsyncIterator[Database]:
    url = f"sqlite:///{tmp_path / 'chat.sqlite3'}"
    await upgrade(url)
    database = open_database(url)
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture
async def harness(conversation_db: Database, knowledge: KnowledgeBase) -> AsyncIterator[Harness]:
    async with BotApiStandIn(rate_limits=RateLimits.off()) as standin:
        running_harness = Harness(standin, conversation_db, knowledge, Factory(conversation_db))
        await running_harness.start()
        try:
            yield running_harness
        finally:
            await running_harness.stop()
