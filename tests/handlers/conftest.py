"""Handler-side unit tests; the retention job runs against real migrated databases."""

from __future__ import annotations

from tests.support.databases import db, migrated_url

__all__ = ["db", "migrated_url"]
