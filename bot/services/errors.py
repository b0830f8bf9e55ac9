"""Refusals with machine-readable reasons.

Callers translate `reason` into words (bot.texts for citizens, the dashboard for staff); the
services only decide. `details` carries the values involved (ids, statuses), never free text
or personal data, so the exception can be logged as it is.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class Reason(StrEnum):
    # registering
    EVENT_NOT_OPEN = "event_not_open"
    EVENT_CANCELLED = "event_cancelled"
    EVENT_STARTED = "event_started"
    EVENT_NOT_STARTED = "event_not_started"
    DEADLINE_PASSED = "deadline_passed"
    NOT_ELIGIBLE = "not_eligible"
    CONSENT_MISSING = "consent_missing"
    CITIZEN_ERASED = "citizen_erased"
    PREVIOUSLY_REJECTED = "previously_rejected"
    # staff actions on registrations
    INVALID_TRANSITION = "invalid_transition"
    # editing events
    ENDS_BEFORE_START = "ends_before_start"
    DEADLINE_AFTER_START = "deadline_after_start"
    CAPACITY_BELOW_CONFIRMED = "capacity_below_confirmed"
    INVALID_STATUS_CHANGE = "invalid_status_change"
    # citizens
    UNKNOWN_COMMUNE = "unknown_commune"
    UNKNOWN_TARGET_GROUP = "unknown_target_group"
    INVALID_BIRTH_YEAR = "invalid_birth_year"
    INVALID_NAME = "invalid_name"
    # broadcasts
    EMPTY_MESSAGE = "empty_message"
    MESSAGE_TOO_LONG = "message_too_long"


class DeskError(Exception):
    """A use case refused to do what was asked; `reason` says why."""

    def __init__(self, reason: Reason, **details: Any) -> None:
        detail_text = ", ".join(f"{key}={value!r}" for key, value in sorted(details.items()))
        super().__init__(f"{reason.value}" + (f" ({detail_text})" if detail_text else ""))
        self.reason = reason
        self.details = details


class RegistrationRefused(DeskError):
    """Registering, cancelling, approving… was refused."""


class EventChangeRefused(DeskError):
    """Creating or editing an event was refused."""


class CitizenDataRefused(DeskError):
    """A citizen's data did not pass validation (phones have their own `InvalidPhone`)."""


class BroadcastRefused(DeskError):
    """An announcement could not be queued as written."""
