"""Test support: real databases built by `alembic upgrade head`, for SQLite and PostgreSQL.

Import the fixtures into a `conftest.py`
(`from tests.support.databases import db, migrated_url`) and every test that takes `db` runs
twice, once per backend. Each backend is migrated once per test session (a temporary SQLite
file; a uniquely named PostgreSQL schema, see tests.support.postgres, so parallel runs and
other suites sharing the server never collide) and every table is emptied before each test.
Tests therefore commit for real, which the concurrency and crash tests need.

PostgreSQL comes from `TEST_DATABASE_URL` (default: the local server, database `test`). When it
cannot be reached the PostgreSQL half is skipped with the reason, except under `CI=true`,
where it fails: CI must not go green by skipping half the suite.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.db import models  # noqa: F401  (registers the tables)
from bot.db.base import Base
from bot.db.engine import Database, open_database
from bot.db.migrate import upgrade
from tests.support.postgres import (
    migrated_postgres_schema,
    postgres_base_url,
    postgres_unreachable_reason,
)


def skip_or_fail_without_postgres(url: str) -> None:
    reason = postgres_unreachable_reason(url)
    if reason is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: PostgreSQL tests must run)", pytrace=False)
    pytest.skip(f"{reason}; set TEST_DATABASE_URL or start PostgreSQL")


async def empty_tables(db: Database) -> None:
    """Delete every row (not the schema), children first; keeps `alembic_version`."""
    tables = [table.name for table in reversed(Base.metadata.sorted_tables)]
    async with db.transaction() as session:
        if db.is_sqlite:
            for name in tables:
                await session.execute(text(f'DELETE FROM "{name}"'))
        else:
            names = ", ".join(f'"{name}"' for name in tables)
            await session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(
    scope="session",
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ],
)
def migrated_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """URL of a database at `alembic upgrade head`, one per backend and test session."""
    if request.param == "sqlite":
        path: Path = tmp_path_factory.mktemp("db") / "desk.sqlite3"
        url = f"sqlite:///{path}"
        asyncio.run(upgrade(url))
        yield url
        return
    base_url = postgres_base_url()
    skip_or_fail_without_postgres(base_url)
    with migrated_postgres_schema(base_url) as url:
        yield url


@pytest.fixture
async def db(migrated_url: str) -> AsyncIterator[Database]:
    """An open `Database` on an empty, migrated schema (real commits)."""
    database = open_database(migrated_url)
    await empty_tables(database)
    try:
        yield database
    finally:
        await database.dispose()
