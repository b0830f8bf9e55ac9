"""Tables of issue 12's conversations: citizens' announcement subscriptions.

Kept in their own module (registered on the shared metadata by `bot.db.models`) because they
change with what citizens ask to be told, not with the registration desk or the dialogue.
A subscription is personal data (it says where someone lives and what they want to learn):
it exists only with consent and is deleted when the person erases their data.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UtcDateTime
from bot.db.models import utcnow


class Subscription(Base):
    """One citizen's wish to hear about new classes / job fairs (one row per citizen).

    `commune` None means "either commune"; `kinds` and `trades` empty mean "all of them".
    Trades are free phrases as the NLU canonicalises them ("may", "hàn"), matched against the
    event's title and description when an event opens.
    """

    __tablename__ = "subscriptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), unique=True)
    commune: Mapped[str | None] = mapped_column(String(40))
    kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    trades: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
