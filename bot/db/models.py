"""The tables of the registration desk: citizens, events, registrations, outbox, audit log.

Every timestamp is a `UtcDateTime` (stored in UTC, shown in Asia/Ho_Chi_Minh by the callers).
Relationships are `lazy="raise"`: under asyncio an implicit lazy load would fail at an awkward
moment, so every query says what it loads.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import event as orm_event
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db.base import Base, UtcDateTime
from bot.db.enums import (
    EventKind,
    EventStatus,
    OutboxKind,
    OutboxStatus,
    RegistrationStatus,
)
from bot.services.names import name_key


def utcnow() -> datetime:
    """Current time, aware, in UTC (the only clock the models use for defaults)."""
    return datetime.now(UTC)


def _enum(enum_class: type[Any], name: str) -> Enum:
    """A VARCHAR with a CHECK constraint listing the enum's values (same on both databases)."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=20,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


def _name_key_default(context: DefaultExecutionContext) -> str | None:
    """The search key of the inserted name (also for bulk inserts that bypass the ORM)."""
    parameters: dict[str, Any] = context.get_current_parameters()  # type: ignore[no-untyped-call]
    return name_key(parameters.get("full_name"))


class Citizen(Base):
    """A person who talked to the bot or was registered by staff.

    `telegram_user_id` doubles as the chat id: the bot only talks in private chats, where
    Telegram uses the same number for both. After "delete my data" the personal columns are
    NULL and `erased_at` is set; the row stays so that statistics keep their counts.
    """

    __tablename__ = "citizens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    full_name: Mapped[str | None] = mapped_column(String(200))
    # services.names.name_key(full_name): kept in step on insert (column default) and on
    # every ORM update (listener below), so an erased name leaves no key behind.
    name_key: Mapped[str | None] = mapped_column(String(200), default=_name_key_default, index=True)
    phone: Mapped[str | None] = mapped_column(String(16), index=True)  # E.164, always "+84…"
    birth_year: Mapped[int | None] = mapped_column(Integer)
    commune: Mapped[str | None] = mapped_column(String(40))  # code from services.communes
    target_groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    consent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    consent_text_version: Mapped[str | None] = mapped_column(String(40))
    broadcast_opt_in: Mapped[bool] = mapped_column(Boolean, default=False)
    unreachable_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    unreachable_reason: Mapped[str | None] = mapped_column(String(200))
    erased_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Set when staff merged this record into another one (same person, two accounts).
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("citizens.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        CheckConstraint("birth_year IS NULL OR birth_year BETWEEN 1900 AND 2100", "birth_year"),
    )

    @property
    def reachable(self) -> bool:
        """Whether the bot may message this person at all."""
        return (
            self.telegram_user_id is not None
            and self.unreachable_at is None
            and self.erased_at is None
        )


@orm_event.listens_for(Citizen, "before_insert")
@orm_event.listens_for(Citizen, "before_update")
def _keep_name_key(_mapper: Any, _connection: Any, citizen: Citizen) -> None:
    citizen.name_key = name_key(citizen.full_name)


class Event(Base):
    """A vocational class or job fair people can register for."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[EventKind] = mapped_column(_enum(EventKind, "kind"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    organiser: Mapped[str] = mapped_column(String(200), default="")
    venue: Mapped[str] = mapped_column(String(300), default="")
    venue_map_url: Mapped[str | None] = mapped_column(String(500))
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    registration_deadline: Mapped[datetime] = mapped_column(UtcDateTime)
    capacity: Mapped[int | None] = mapped_column(Integer)  # None: no limit
    requires_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    eligible_target_groups: Mapped[list[str]] = mapped_column(JSON, default=list)  # []: everyone
    what_to_bring: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[EventStatus] = mapped_column(
        _enum(EventStatus, "status"), default=EventStatus.DRAFT
    )
    # The commune that organises it (its officers manage it); None: district-wide, admins only.
    commune: Mapped[str | None] = mapped_column(String(40), index=True)
    # Minutes before the start; None means services.reminders.DEFAULT_OFFSETS.
    reminder_offsets_minutes: Mapped[list[int] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        CheckConstraint("ends_at > starts_at", "ends_after_start"),
        CheckConstraint("registration_deadline <= starts_at", "deadline_not_after_start"),
        CheckConstraint("capacity IS NULL OR capacity > 0", "capacity_positive"),
        Index(None, "status", "starts_at"),
    )


class Registration(Base):
    """One citizen's place (or place in line) at one event; one row per pair, reused."""

    __tablename__ = "registrations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"))
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"))
    status: Mapped[RegistrationStatus] = mapped_column(_enum(RegistrationStatus, "status"))
    waitlist_position: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    status_changed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    status_changed_by: Mapped[str] = mapped_column(String(80))
    # Why staff refused it (chosen or typed), sent to the citizen; cleared when re-opened.
    decision_reason: Mapped[str | None] = mapped_column(String(500))

    citizen: Mapped[Citizen] = relationship(lazy="raise")
    event: Mapped[Event] = relationship(lazy="raise")

    __table_args__ = (
        UniqueConstraint("citizen_id", "event_id"),
        UniqueConstraint("event_id", "waitlist_position"),
        CheckConstraint(
            "(status = 'waitlisted') = (waitlist_position IS NOT NULL)", "waitlist_has_position"
        ),
        Index(None, "event_id", "status"),
    )


class RegistrationChange(Base):
    """History of a registration: every status change, who made it and when."""

    __tablename__ = "registration_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    waitlist_position: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(String(40))
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    changed_by: Mapped[str] = mapped_column(String(80))


class AuditEntry(Base):
    """One staff change: who, when, what, and the record before and after."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(60))
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The commune the change concerns (officers read their commune's log); None: district.
    commune: Mapped[str | None] = mapped_column(String(40))

    __table_args__ = (Index(None, "entity_type", "entity_id"), Index(None, "commune", "id"))


class OutboxMessage(Base):
    """A message the system sends on its own initiative, written before it is sent.

    `template` + `params` say what to say; the wording is rendered at send time by the texts
    layer, so services never hold citizen-facing sentences. The dispatcher claims a row by
    setting `status='sending'`, a fresh `claim_token` and a `lease_until`; a row whose lease ran
    out (the process died) is claimed again. See outbox.dispatcher for the guarantee.
    """

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[OutboxKind] = mapped_column(_enum(OutboxKind, "kind"))
    template: Mapped[str] = mapped_column(String(60))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizens.id"), index=True)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"), index=True)
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registrations.id"), index=True)
    status: Mapped[OutboxStatus] = mapped_column(
        _enum(OutboxStatus, "status"), default=OutboxStatus.PENDING
    )
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # skip if not sent by then
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claim_token: Mapped[str | None] = mapped_column(String(36))
    claimed_by: Mapped[str | None] = mapped_column(String(120))  # "host:pid" of the dispatcher
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (Index(None, "status", "next_attempt_at"),)


# The dialogue/dashboard tables live in their own module; importing them here registers them
# on the shared metadata wherever `bot.db.models` is imported (Alembic, tests, services).
from bot.db.models_conversations import Subscription  # noqa: E402
from bot.db.models_dialogue import (  # noqa: E402
    ConversationState,
    HandoffMessage,
    HandoffTicket,
    NluReviewItem,
    StaffUser,
)
from bot.db.models_knowledge import KnowledgeVersion  # noqa: E402
from bot.db.models_memory import ConversationMemory  # noqa: E402
from bot.db.models_officer import (  # noqa: E402
    AnswerOutcome,
    CitizenNote,
    DuplicateDecision,
    OfficeHours,
)
from bot.db.models_security import (  # noqa: E402
    AnswerStop,
    LoginThrottleBucket,
    StaffChatNotice,
    StaffSession,
)

__all__ = [
    "AnswerOutcome",
    "AnswerStop",
    "AuditEntry",
    "Citizen",
    "CitizenNote",
    "ConversationMemory",
    "ConversationState",
    "DuplicateDecision",
    "Event",
    "HandoffMessage",
    "HandoffTicket",
    "KnowledgeVersion",
    "LoginThrottleBucket",
    "NluReviewItem",
    "OfficeHours",
    "OutboxMessage",
    "Registration",
    "RegistrationChange",
    "StaffChatNotice",
    "StaffSession",
    "StaffUser",
    "Subscription",
]
