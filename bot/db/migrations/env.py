"""Alembic environment: migrate with the project's own engine (same drivers and pragmas).

Called two ways: from `bot.db.migrate` with an open connection in
`config.attributes["connection"]` (tests, `python -m bot db upgrade`), or by the `alembic`
command line, in which case the URL comes from `config.attributes["database_url"]` or the
settings.
"""

from __future__ import annotations

import asyncio
from typing import Any

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.pool import NullPool

from bot.db import models  # noqa: F401  (registers the tables on Base.metadata)
from bot.db.base import Base, UtcDateTime
from bot.db.engine import async_url, create_engine

config = context.config
target_metadata = Base.metadata


def _database_url() -> str:
    url = config.attributes.get("database_url")
    if url:
        return str(url)
    from bot.settings import get_settings

    return get_settings().database_url


def _render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Write `UtcDateTime` columns as plain `sa.DateTime(timezone=True)` in migrations."""
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        render_as_batch=connection.dialect.name == "sqlite",
        render_item=_render_item,
    )


def _run_with_connection(connection: Connection) -> None:
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()


async def _run_async() -> None:
    engine = create_engine(_database_url(), poolclass=NullPool)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_run_with_connection)
    finally:
        await engine.dispose()


def _run_offline() -> None:
    context.configure(
        url=async_url(_database_url()),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    _run_offline()
elif config.attributes.get("connection") is not None:
    _run_with_connection(config.attributes["connection"])
else:
    asyncio.run(_run_async())
