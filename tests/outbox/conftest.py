"""Outbox tests run against real migrated databases (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from bot.db.engine import Database
from bot.db.testing import db, migrated_url
from bot.services.testing import Factory, FakeSender

__all__ = ["db", "factory", "migrated_url", "sender"]


@pytest.fixture
def factory(db: Database) -> Factory:
    return Factory(db)


@pytest.fixture
def sender() -> FakeSender:
    return FakeSender()
