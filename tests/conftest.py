"""Shared fixtures: the real NLU server (Rasa, started once per test session)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.nlu_tools import model_store, rasa_process

IN_CI = os.environ.get("CI", "").lower() == "true"


def skip_or_fail(reason: str) -> None:
    """Skip on a laptop without the service; in CI a missing service is a failure."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: this must not be skipped)")
    pytest.skip(reason)


def current_model() -> Path:
    """The trained model, when there is one made from today's config.yml and nlu/ (else skip,
    or fail in CI): what every test that starts a real NLU server loads."""
    record = model_store.current_record()
    if not rasa_process.RASA_BIN.exists() or record is None:
        skip_or_fail("no NLU environment or trained model: run `make model`")
    assert record is not None
    if record.fingerprint != model_store.fingerprint():
        skip_or_fail("the trained model is older than config.yml/nlu/: run `make model`")
    return record.model


@pytest.fixture(scope="session")
def nlu_server() -> Iterator[rasa_process.RasaServer]:
    """A real `rasa run --enable-api` on the current model, on a free port."""
    server = rasa_process.start_server(current_model())
    try:
        yield server
    finally:
        server.stop()
