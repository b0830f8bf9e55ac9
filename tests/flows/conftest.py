"""Fixtures for the flows' tests: a migrated SQLite file per test, and a running flows bot."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from flowbot import Harness

from bot.db.engine import Database, open_database
from bot.db.migrate import upgrade
from bot.knowledge import KnowledgeBase, load_knowledge
from telegram_standin import BotApiStandIn, RateLimits
from tests.support.factories import Factory


@pytest.fixture(scope="session")
def knowledge() -> KnowledgeBase:
    return load_knowledge()


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    url = f"sqlite:///{tmp_path / 'flows.sqlite3'}"
    await upgrade(url)
    database = open_database(url)
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture
def factory(db: Database) -> Factory:
    return Factory(db)


@pytest.fixture
async def harness(
    db: Database, knowledge: KnowledgeBase, factory: Factory
) -> AsyncIterator[Harness]:
    async with BotApiStandIn(rate_limits=RateLimits.off()) as standin:
        running_harness = Harness(standin, db, knowledge, factory)
        await running_harness.start()
        try:
            yield running_harness
        finally:
            await running_harness.stop()
