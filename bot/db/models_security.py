"""Tables of the security work: staff sessions, login throttling, staff-chat notices, stops.

Kept apart from the desk's and the dialogue's tables because they change for different
reasons (threats and operations, not features):
- `staff_sessions`: server-side sessions, so logout, a new password or an admin can end a
  session at once, even if someone copied the cookie (it only names a row here);
- `login_throttle`: one row per throttle bucket (client address, account, trusted browser),
  updated inside one transaction per attempt so concurrent guesses cannot all pass the check;
- `staff_chat_notices`: every notice posted in the staff Telegram chat about a citizen's
  question, so erasing the citizen can delete (or blank) those messages too;
- `answer_stops`: the staff's emergency stop of knowledge answers, per topic or for all.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UtcDateTime
from bot.db.models import utcnow


class StaffSession(Base):
    """One signed-in browser. The cookie carries a random token; only its SHA-256 is stored,
    so a copy of this table cannot be replayed as cookies."""

    __tablename__ = "staff_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    staff_user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked_reason: Mapped[str | None] = mapped_column(String(40))
    client_address: Mapped[str | None] = mapped_column(String(64))


class LoginThrottleBucket(Base):
    """Failed-login counter of one key (`addr:…`, `acct:…` or `device:…`), with back-off.

    `inflight` counts attempts that passed the check and are still hashing: they count as
    failures until they are settled, so 30 concurrent guesses cannot all get through a limit
    of 5. A crash between check and settle leaves `inflight` up; it is ignored once
    `inflight_at` is older than a minute.
    """

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    inflight: Mapped[int] = mapped_column(Integer, default=0)
    inflight_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_failure_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    lock_level: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class StaffChatNotice(Base):
    """A message the bot posted in the staff chat about a ticket (it quotes the question)."""

    __tablename__ = "staff_chat_notices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("handoff_tickets.id"), index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    retracted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (Index(None, "chat_id", "message_id"),)


class AnswerStop(Base):
    """Knowledge answers of `topic` (or of every topic: `*`) are switched off by staff."""

    __tablename__ = "answer_stops"

    topic: Mapped[str] = mapped_column(String(40), primary_key=True)
    stopped_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    stopped_by: Mapped[str] = mapped_column(String(80))
