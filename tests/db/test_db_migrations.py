"""Alembic migrations: they build the schema the models describe, and can be undone."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from bot.db import migrate
from bot.db.base import Base
from bot.db.cli import main as db_cli
from bot.db.engine import Database, create_engine
from tests.support.databases import skip_or_fail_without_postgres
from tests.support.postgres import create_postgres_schema, drop_postgres_schema, postgres_base_url

MODEL_TABLES = {table.name for table in Base.metadata.sorted_tables}
HEAD = ScriptDirectory.from_config(migrate.alembic_config()).get_current_head()


async def _table_names(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            names = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
    finally:
        await engine.dispose()
    return names


async def test_migrations_and_models_agree(db: Database, migrated_url: str) -> None:
    assert await migrate.pending_model_changes(migrated_url) == []


async def test_upgrade_head_creates_every_model_table(migrated_url: str) -> None:
    assert MODEL_TABLES | {"alembic_version"} <= await _table_names(migrated_url)
    assert HEAD is not None
    assert await migrate.current_revision(migrated_url) == HEAD


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_downgrade_to_base_removes_tables_and_upgrade_restores_them(
    backend: str, tmp_path: Path
) -> None:
    schema = None
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'roundtrip.sqlite3'}"
    else:
        skip_or_fail_without_postgres(postgres_base_url())
        schema, url = create_postgres_schema(postgres_base_url())
    try:
        asyncio.run(migrate.upgrade(url))
        asyncio.run(migrate.downgrade(url, "base"))
        assert asyncio.run(_table_names(url)) <= {"alembic_version"}
        asyncio.run(migrate.upgrade(url))
        assert asyncio.run(_table_names(url)) >= MODEL_TABLES
    finally:
        if schema is not None:
            drop_postgres_schema(postgres_base_url(), schema)


def test_cli_upgrade_then_check_reports_agreement(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'var' / 'cli.sqlite3'}"
    assert db_cli(["--database-url", url, "current"]) == 0
    assert "empty" in capsys.readouterr().out
    assert db_cli(["--database-url", url, "upgrade"]) == 0
    assert f"database at {HEAD}" in capsys.readouterr().out
    assert db_cli(["--database-url", url, "check"]) == 0
    assert "agree" in capsys.readouterr().out
