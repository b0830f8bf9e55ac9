"""Time helpers: store UTC, show Asia/Ho_Chi_Minh.

Vietnam has had no daylight-saving time since 1975, but the zone database is still used (not a
fixed +07:00) so that the rule lives in one place.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def ensure_utc(value: datetime) -> datetime:
    """`value` converted to UTC; refuses naive datetimes, whose zone is a guess."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value!r}: give it a time zone")
    return value.astimezone(UTC)


def to_local(value: datetime) -> datetime:
    """`value` in Asia/Ho_Chi_Minh, for display."""
    return ensure_utc(value).astimezone(LOCAL_TZ)


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A wall-clock time in Đầm Hà as an aware UTC datetime (what staff type in forms)."""
    return datetime(year, month, day, hour, minute, tzinfo=LOCAL_TZ).astimezone(UTC)
