"""Engine and sessions: turn the URL a person types into a correctly configured async engine.

`DATABASE_URL` is written the way people write it (`sqlite:///var/x.sqlite3`,
`postgresql://user@host/db`); the async driver is chosen here. SQLite gets what it needs to
behave like a multi-user database: WAL (readers do not block the writer), foreign keys on, a
busy timeout, and `BEGIN IMMEDIATE` for every transaction so that two writers are serialised
at the start of their transaction instead of failing half-way with "database is locked". That
serialisation is also what makes capacity checks atomic on SQLite; on PostgreSQL the services
lock the event row (`SELECT … FOR UPDATE`) instead.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

SQLITE_BUSY_TIMEOUT_MS = 30_000

_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+pysqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
    "postgres": "postgresql+psycopg",
    "postgresql": "postgresql+psycopg",
    "postgresql+psycopg": "postgresql+psycopg",
    "postgresql+psycopg2": "postgresql+psycopg",
    "postgresql+asyncpg": "postgresql+psycopg",
}


def async_url(url: str | URL) -> URL:
    """The URL with the async driver this project uses (aiosqlite or psycopg 3)."""
    parsed = make_url(url) if isinstance(url, str) else url
    driver = _ASYNC_DRIVERS.get(parsed.drivername)
    if driver is None:
        supported = ", ".join(sorted({name.split("+")[0] for name in _ASYNC_DRIVERS}))
        raise ValueError(
            f"DATABASE_URL scheme {parsed.drivername!r} is not supported (use one of: {supported})"
        )
    return parsed.set(drivername=driver)


def is_sqlite(url: str | URL) -> bool:
    return async_url(url).get_backend_name() == "sqlite"


def create_engine(url: str | URL, **kwargs: Any) -> AsyncEngine:
    """An async engine for `url`; creates the directory of a SQLite file if it is missing."""
    target = async_url(url)
    if target.get_backend_name() == "sqlite":
        return _create_sqlite_engine(target, **kwargs)
    return create_async_engine(target, **({"pool_pre_ping": True} | kwargs))


def _create_sqlite_engine(url: URL, **kwargs: Any) -> AsyncEngine:
    if url.database and url.database != ":memory:" and not url.database.startswith("file:"):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(url, **kwargs)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the driver so that we can say BEGIN IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


@dataclass(frozen=True)
class Database:
    """An engine with its session factory: the one object the application passes around."""

    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One unit of work: commits when the block ends, rolls back if it raises."""
        async with self.sessions.begin() as session:
            yield session

    async def dispose(self) -> None:
        await self.engine.dispose()


def open_database(url: str | URL, **engine_kwargs: Any) -> Database:
    """Engine + `async_sessionmaker(expire_on_commit=False)` for `url`."""
    engine = create_engine(url, **engine_kwargs)
    return Database(engine, async_sessionmaker(engine, expire_on_commit=False))
