"""Closed sets of values stored as short strings (VARCHAR + CHECK, not native enums).

Plain strings keep migrations identical on SQLite and PostgreSQL and let a new value be added
with an ordinary constraint change instead of `ALTER TYPE`.
"""

from __future__ import annotations

from enum import StrEnum


class EventKind(StrEnum):
    VOCATIONAL_CLASS = "vocational_class"
    JOB_FAIR = "job_fair"


class EventStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class RegistrationStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    REJECTED = "rejected"
    ATTENDED = "attended"
    NO_SHOW = "no_show"
    # The organiser cancelled the event: not the citizen's doing, and no seat to come to.
    EVENT_CANCELLED = "event_cancelled"


#: Statuses that occupy one of the event's seats.
SEAT_HOLDING = frozenset(
    {RegistrationStatus.CONFIRMED, RegistrationStatus.ATTENDED, RegistrationStatus.NO_SHOW}
)
#: Statuses of a registration that is still "on" for the citizen.
ACTIVE = SEAT_HOLDING | {RegistrationStatus.PENDING, RegistrationStatus.WAITLISTED}
#: What "Đăng ký của tôi" lists: the registrations still on, and those the organiser
#: cancelled (the citizen must see that the class they signed up for is off).
SHOWN_TO_CITIZEN = ACTIVE | {RegistrationStatus.EVENT_CANCELLED}


class OutboxKind(StrEnum):
    """Why a message is sent; the renderer picks the wording from `template`, not from this."""

    REMINDER = "reminder"
    PROMOTION = "promotion"
    NOTICE = "notice"
    BROADCAST = "broadcast"
    # Not a message: delete (or blank) an earlier staff-chat notice; params name it.
    RETRACT = "retract"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"


class HandoffStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    CLOSED = "closed"


class HandoffAuthor(StrEnum):
    CITIZEN = "citizen"
    STAFF = "staff"


class ReviewStatus(StrEnum):
    NEW = "new"
    LABELLED = "labelled"
    OUT_OF_SCOPE = "out_of_scope"


class StaffRole(StrEnum):
    ADMIN = "admin"
    OFFICER = "officer"
    VIEWER = "viewer"
