"""Run Alembic from Python: `upgrade(url)` is what `make run`, the CLI and the tests call.

Migrations run on the project's async engine through `run_sync`, so SQLite gets the same
pragmas (WAL, foreign keys) during a migration as at run time, and no `alembic.ini` is needed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy.engine import URL, Connection
from sqlalchemy.pool import NullPool

from bot.db import models  # noqa: F401  (registers the tables)
from bot.db.base import Base
from bot.db.engine import create_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str | URL | None = None) -> Config:
    """An Alembic `Config` pointing at this package's migrations (and `url`, if given)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        config.attributes["database_url"] = (
            url.render_as_string(hide_password=False) if isinstance(url, URL) else url
        )
    return config


async def _with_connection(url: str | URL, work: Callable[[Connection], Any]) -> Any:
    engine = create_engine(url, poolclass=NullPool)
    try:
        async with engine.begin() as connection:
            return await connection.run_sync(work)
    finally:
        await engine.dispose()


async def upgrade(url: str | URL, revision: str = "head") -> None:
    """Apply migrations up to `revision` (default: the newest)."""

    def work(connection: Connection) -> None:
        config = alembic_config(url)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    await _with_connection(url, work)


async def downgrade(url: str | URL, revision: str) -> None:
    """Undo migrations down to `revision` (`base` removes every table)."""

    def work(connection: Connection) -> None:
        config = alembic_config(url)
        config.attributes["connection"] = connection
        command.downgrade(config, revision)

    await _with_connection(url, work)


async def current_revision(url: str | URL) -> str | None:
    """The revision the database is at, or None for an empty database."""

    def work(connection: Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    result: str | None = await _with_connection(url, work)
    return result


async def pending_model_changes(url: str | URL) -> list[Any]:
    """What autogenerate would still write: empty when migrations and models agree."""

    def work(connection: Connection) -> list[Any]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))

    result: list[Any] = await _with_connection(url, work)
    return result
