"""Tables of the officers' daily work: notes on citizens, duplicate decisions, working hours
per commune, and the persisted answer-quality figures.

Kept apart from the desk (`bot.db.models`) and the dialogue tables because they change with
how the commune offices work, not with events or conversations.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UtcDateTime
from bot.db.models import utcnow


class CitizenNote(Base):
    """A note an officer keeps on a citizen ("đã gọi điện, hẹn nộp hồ sơ thứ Hai")."""

    __tablename__ = "citizen_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), index=True)
    author: Mapped[str] = mapped_column(String(80))  # staff login
    text: Mapped[str | None] = mapped_column(Text)  # None once the citizen's data is erased
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class DuplicateDecision(Base):
    """Staff decided about two citizen records that look like one person.

    `decision` is `not_same` (keep both, stop flagging the pair) or `merged` (`other_id` was
    merged into `citizen_id`). The pair is stored with the smaller id first for `not_same`.
    """

    __tablename__ = "duplicate_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"))
    other_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"))
    decision: Mapped[str] = mapped_column(String(20))
    decided_by: Mapped[str] = mapped_column(String(80))
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("citizen_id", "other_id"),
        CheckConstraint("decision IN ('not_same', 'merged')", "decision_known"),
    )


class OfficeHours(Base):
    """One working period of a commune office on one weekday (0 = Monday), local time.

    A commune without rows uses the default hours from the settings.
    """

    __tablename__ = "office_hours"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune: Mapped[str] = mapped_column(String(40), index=True)
    weekday: Mapped[int] = mapped_column(Integer)
    opens_minute: Mapped[int] = mapped_column(Integer)  # minutes after local midnight
    closes_minute: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", "weekday_range"),
        CheckConstraint("opens_minute >= 0 AND closes_minute <= 1440", "minute_range"),
        CheckConstraint("closes_minute > opens_minute", "closes_after_opens"),
    )


class AnswerOutcome(Base):
    """What the bot did with one citizen question: answered, clarified, sent to officers,
    or fell back to the menu. No text, no person: a topic (intent) and a time only."""

    __tablename__ = "answer_outcomes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    topic: Mapped[str | None] = mapped_column(String(40))
    outcome: Mapped[str] = mapped_column(String(20))

    __table_args__ = (
        Index(None, "at"),
        CheckConstraint(
            "outcome IN ('answered', 'clarified', 'handoff', 'fallback')", "outcome_known"
        ),
    )


# Notes about a citizen are personal data: when the citizen's data is erased (services.privacy
# sets `erased_at`), their texts are blanked in the same flush, whoever did the erasure.
from sqlalchemy import event as orm_event  # noqa: E402
from sqlalchemy import update  # noqa: E402

from bot.db.models import Citizen  # noqa: E402


@orm_event.listens_for(Citizen, "before_update")
def _erase_notes(_mapper: object, connection: object, citizen: Citizen) -> None:
    if citizen.erased_at is not None:
        connection.execute(  # type: ignore[attr-defined]
            update(CitizenNote).where(CitizenNote.citizen_id == citizen.id).values(text=None)
        )
