"""Officers' published edits of the knowledge (facts and answer texts), one row per version.

The YAML in bot/knowledge/data is the reviewed seed; a row here overrides one fact or one answer
variant from the moment it is published, without a restart. Rows are never changed or deleted:
a rollback is a new row restoring an earlier body (or the seed, `body` = None), so the history
of what citizens were told, by whom and on which source, stays complete.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UtcDateTime
from bot.db.models import utcnow


class KnowledgeVersion(Base):
    """One published version of a fact ("fact", name) or an answer variant ("answer",
    "intent/variant key"); the newest row per (kind, key) is in force."""

    __tablename__ = "knowledge_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(120))
    # The fact or variant as the YAML would hold it; None = back to the seed YAML.
    body: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(300))
    checked_on: Mapped[dt.date] = mapped_column(Date)
    author: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(20))  # publish | rollback
    restores_id: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)

    __table_args__ = (Index(None, "kind", "key", "id"),)
