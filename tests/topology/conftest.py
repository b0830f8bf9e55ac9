"""What the topology test needs from the machine: HAProxy, PostgreSQL, openssl, the NLU model.

Each missing piece skips the test with the reason on a laptop, and fails it when `CI=true`
(tests/conftest.py `skip_or_fail`): CI must not go green by skipping the one test of the
several-machine layout.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import current_model, skip_or_fail
from tests.support.postgres import (
    migrated_postgres_schema,
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
    with migrated_postgres_schema(base_url) as url:
        yield url


@pytest.fixture
def nlu_model() -> Path:
    """The trained model both NLU servers load (as copied to each app machine)."""
    return current_model()


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    """(HAProxy's PEM, the CA file clients trust) for https://localhost."""
    directory = tmp_path / "tls"
    directory.mkdir()
    return make_certificate(directory)
