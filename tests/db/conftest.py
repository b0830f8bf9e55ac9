"""Database fixtures: every test taking `db` runs on SQLite and on PostgreSQL."""

from tests.support.databases import db, migrated_url

__all__ = ["db", "migrated_url"]
