"""Service tests run against real migrated databases (SQLite and PostgreSQL)."""

from __future__ import annotations

from tests.support.databases import db, migrated_url
from tests.support.fixtures import factory, sender

__all__ = ["db", "factory", "migrated_url", "sender"]
