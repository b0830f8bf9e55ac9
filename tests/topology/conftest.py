"""What the topology test needs from the machine: HAProxy, PostgreSQL, openssl, the NLU model.

Each missing piece skips the test with the reason on a laptop, and fails it when `CI=true`
(tests/conftest.py `skip_or_fail`): CI must not go green by skipping the one test of the
several-machine layout.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.db.migrate import upgrade
from bot.nlu_tools import model_store, rasa_process
from tests.conftest import skip_or_fail
from tests.support.postgres import (
    create_postgres_schema,
    drop_postgres_schema,
    postgres_base_url,
    postgres_unreachable_reason,
)
from tests.topology.cluster import make_certificate


@pytest.fixture
def haproxy_binary() -> str:
    binary = shutil.which("haproxy")
    if binary is None:
        skip_or_fail("haproxy is not installed: `make proxy` (apt-get install haproxy)")
    assert binary is not None
    if shutil.which("openssl") is None:
        skip_or_fail("openssl is not installed (the test's TLS certificate)")
    return binary


@pytest.fixture
def database_url() -> Iterator[str]:
    """A fresh, migrated PostgreSQL schema for this run (parallel runs never meet: the
    scheduler lock's key includes the schema), dropped afterwards."""
    base_url = postgres_base_url()
    reason = postgres_unreachable_reason(base_url)
    if reason is not None:
        skip_or_fail(f"{reason}; set TEST_DATABASE_URL or start PostgreSQL")
    schema, url = create_postgres_schema(base_url)
    try:
        asyncio.run(upgrade(url))
        yield url
    finally:
        drop_postgres_schema(base_url, schema)


@pytest.fixture
def nlu_model() -> Path:
    """The trained model both NLU servers load (as copied to each app machine)."""
    record = model_store.current_record()
    if not rasa_process.RASA_BIN.exists() or record is None:
        skip_or_fail("no NLU environment or trained model: run `make model`")
    assert record is not None
    if record.fingerprint != model_store.fingerprint():
        skip_or_fail("the trained model is older than config.yml/nlu/: run `make model`")
    return record.model


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    """(HAProxy's PEM, the CA file clients trust) for https://localhost."""
    directory = tmp_path / "tls"
    directory.mkdir()
    return make_certificate(directory)
