"""Tables of the conversation side: form state, officer handoff, NLU review, staff accounts.

Kept apart from the registration desk's tables (`bot.db.models`) because they change for
different reasons: these follow the dialogue and the dashboard, those follow the events.
Free text a citizen typed (a handoff question, a message the NLU did not understand) is
personal data: it lives only here, is never logged, and `text_erased_at` records when the
retention job blanked it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UtcDateTime
from bot.db.enums import HandoffAuthor, HandoffStatus, ReviewStatus, StaffRole
from bot.db.models import _enum, utcnow


class ConversationState(Base):
    """Where a citizen is in a multi-step flow (registration form, eligibility check).

    Stored in the database, not in memory, so a restart or crash mid-form loses nothing:
    the citizen's next message continues at `step` with the answers kept in `data`.
    """

    __tablename__ = "conversation_states"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    flow: Mapped[str] = mapped_column(String(40))
    step: Mapped[str] = mapped_column(String(40))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class HandoffTicket(Base):
    """A citizen's request to talk to an officer, answered from the dashboard or staff chat."""

    __tablename__ = "handoff_tickets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizens.id"), index=True)
    telegram_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    commune: Mapped[str | None] = mapped_column(String(40))  # for officers' commune scope
    topic: Mapped[str | None] = mapped_column(String(40))  # the intent that led here, if any
    status: Mapped[HandoffStatus] = mapped_column(
        _enum(HandoffStatus, "handoff_status"), default=HandoffStatus.OPEN
    )
    staff_chat_message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_by: Mapped[str | None] = mapped_column(String(80))
    assigned_to: Mapped[str | None] = mapped_column(String(80))  # staff login
    # Asked outside the commune's working hours: when the citizen was told to expect an answer.
    expected_answer_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (Index(None, "status", "created_at"),)


class HandoffMessage(Base):
    """One message of a handoff conversation, from the citizen or from an officer."""

    __tablename__ = "handoff_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("handoff_tickets.id"), index=True)
    author: Mapped[HandoffAuthor] = mapped_column(_enum(HandoffAuthor, "handoff_author"))
    staff_login: Mapped[str | None] = mapped_column(String(80))
    text: Mapped[str | None] = mapped_column(Text)
    text_erased_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class NluReviewItem(Base):
    """A message the bot did not understand well enough, kept for staff to label.

    Labelled items are exported as Rasa training data; the text is blanked after the
    retention period whether or not anyone reviewed it.
    """

    __tablename__ = "nlu_review_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str | None] = mapped_column(Text)
    text_erased_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Who wrote it (so erasing the citizen erases it) and their commune (officers' scope).
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizens.id"), index=True)
    commune: Mapped[str | None] = mapped_column(String(40))
    predicted_intent: Mapped[str | None] = mapped_column(String(40))
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    ranking: Mapped[list[Any]] = mapped_column(JSON, default=list)
    reason: Mapped[str] = mapped_column(String(40))  # low_confidence | unclear | nlu_down
    status: Mapped[ReviewStatus] = mapped_column(
        _enum(ReviewStatus, "review_status"), default=ReviewStatus.NEW
    )
    labelled_intent: Mapped[str | None] = mapped_column(String(40))
    reviewed_by: Mapped[str | None] = mapped_column(String(80))
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    __table_args__ = (Index(None, "status", "created_at"),)


class StaffUser(Base):
    """A dashboard account. Officers see only their commune; viewers change nothing."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[StaffRole] = mapped_column(_enum(StaffRole, "staff_role"))
    commune: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
