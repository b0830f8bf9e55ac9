"""PostgreSQL schemas for tests and benchmarks: one uniquely named schema per run.

Plain functions without pytest, so the benchmarks under bench/ can use them too. The server
comes from `TEST_DATABASE_URL` (default: the local server, database `test`).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import Iterator

import psycopg
from sqlalchemy.engine import make_url

DEFAULT_TEST_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/test"


def postgres_base_url() -> str:
    return os.environ.get("TEST_DATABASE_URL", DEFAULT_TEST_DATABASE_URL)


def _libpq_dsn(url: str) -> str:
    parsed = make_url(url).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


def postgres_unreachable_reason(url: str) -> str | None:
    """None if PostgreSQL at `url` answers, else why not."""
    try:
        with psycopg.connect(_libpq_dsn(url), connect_timeout=3) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as error:
        return f"PostgreSQL at {make_url(url).render_as_string()} unreachable: {error}".strip()
    return None


def _schema_url(base_url: str, schema: str) -> str:
    url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


def create_postgres_schema(base_url: str) -> tuple[str, str]:
    """A fresh, empty schema; returns (its name, a URL whose search_path points at it)."""
    schema = f"test_desk_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_libpq_dsn(base_url), autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    return schema, _schema_url(base_url, schema)


def drop_postgres_schema(base_url: str, schema: str) -> None:
    with psycopg.connect(_libpq_dsn(base_url), autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@contextlib.contextmanager
def migrated_postgres_schema(base_url: str) -> Iterator[str]:
    """The URL of a fresh schema at `alembic upgrade head`, dropped on exit."""
    from bot.db.migrate import upgrade  # the product's migrations (imported when used)

    schema, url = create_postgres_schema(base_url)
    try:
        asyncio.run(upgrade(url))
        yield url
    finally:
        drop_postgres_schema(base_url, schema)
