"""Fixtures for suites built on the services: import them into a `conftest.py`.

`factory` writes citizens and events into the test's database; `sender` is a `FakeSender`
that records what the dispatcher would have sent.
"""

from __future__ import annotations

import pytest

from bot.db.engine import Database
from tests.support.factories import Factory, FakeSender


@pytest.fixture
def factory(db: Database) -> Factory:
    return Factory(db)


@pytest.fixture
def sender() -> FakeSender:
    return FakeSender()
