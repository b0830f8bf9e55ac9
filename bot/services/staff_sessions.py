"""Server-side dashboard sessions: a row per signed-in browser that can be ended at once.

The cookie carries a random token; the table keeps only its SHA-256, so the row decides
whether the cookie still means anything. Logout, a new password, disabling the account or an
admin's "end session" set `revoked_at`, and a cookie copied before that is refused after it.
Sessions also end `LIFETIME` after sign-in however active the person is (an office PC left
signed in overnight is signed out by morning).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import StaffSession, StaffUser

LIFETIME = timedelta(hours=12)
TOUCH_EVERY = timedelta(minutes=1)  # last_seen_at is informative; do not write every request


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


async def open_session(
    session: AsyncSession, *, user_id: int, now: datetime, address: str | None
) -> str:
    """A new session for `user_id`; returns the token for the cookie (never stored)."""
    token = secrets.token_urlsafe(32)
    session.add(
        StaffSession(
            token_hash=_digest(token),
            staff_user_id=user_id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + LIFETIME,
            client_address=(address or "")[:64] or None,
        )
    )
    await session.flush()
    return token


async def user_for_token(session: AsyncSession, token: str, *, now: datetime) -> int | None:
    """The staff user id of a live session with this token, else None."""
    if not token or len(token) > 200:
        return None
    row = await session.scalar(
        select(StaffSession).where(StaffSession.token_hash == _digest(token))
    )
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    if now - row.last_seen_at > TOUCH_EVERY:
        row.last_seen_at = now
    return row.staff_user_id


async def revoke_token(session: AsyncSession, token: str, *, now: datetime, reason: str) -> bool:
    """End the session with this token (logout); True if one was live."""
    result = await session.execute(
        update(StaffSession)
        .where(StaffSession.token_hash == _digest(token), StaffSession.revoked_at.is_(None))
        .values(revoked_at=now, revoked_reason=reason)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def revoke_session(
    session: AsyncSession, session_id: int, *, now: datetime, reason: str
) -> StaffSession | None:
    """End one session by id (an admin's button); None if there is no such session."""
    row = await session.get(StaffSession, session_id)
    if row is None:
        return None
    if row.revoked_at is None:
        row.revoked_at = now
        row.revoked_reason = reason
    return row


async def revoke_all(session: AsyncSession, user_id: int, *, now: datetime, reason: str) -> int:
    """End every live session of a user (new password, account disabled); returns how many."""
    result = await session.execute(
        update(StaffSession)
        .where(StaffSession.staff_user_id == user_id, StaffSession.revoked_at.is_(None))
        .values(revoked_at=now, revoked_reason=reason)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class LiveSession:
    id: int
    login: str
    full_name: str
    created_at: datetime
    last_seen_at: datetime
    client_address: str | None


async def live_sessions(session: AsyncSession, *, now: datetime) -> list[LiveSession]:
    """Sessions not ended nor expired, newest first (for the admins' page)."""
    rows = await session.execute(
        select(StaffSession, StaffUser.login, StaffUser.full_name)
        .join(StaffUser, StaffUser.id == StaffSession.staff_user_id)
        .where(StaffSession.revoked_at.is_(None), StaffSession.expires_at > now)
        .order_by(StaffSession.last_seen_at.desc())
        .limit(500)
    )
    return [
        LiveSession(s.id, login, name, s.created_at, s.last_seen_at, s.client_address)
        for s, login, name in rows
    ]
