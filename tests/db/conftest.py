"""Database fixtures: every test taking `db` runs on SQLite and on PostgreSQL."""

from bot.db.testing import db, migrated_url

__all__ = ["db", "migrated_url"]
