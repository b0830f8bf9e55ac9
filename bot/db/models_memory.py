"""The short-lived memory of a conversation, in the database instead of process memory.

With several bot processes behind a proxy, a person's next message may reach another process:
how many messages in a row were unclear, the question they were asked to type for an officer,
what to do once they consent — all must be where every process sees them. One row per person,
a JSON object (bot.chat.memory decides what is in it), deleted when empty; the retention job
deletes rows nobody touched for a day (everything in them expires after 30 minutes anyway).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UtcDateTime
from bot.db.models import utcnow


class ConversationMemory(Base):
    __tablename__ = "conversation_memory"

    telegram_user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
