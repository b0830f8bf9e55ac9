"""Signing a staff member in: throttle, check the password off the event loop, open a session.

The steps, each in its own short transaction so no database transaction stays open while
Argon2 runs:
1. reserve the attempt in the throttle buckets (services.login_throttle: atomic, so
   concurrent guesses cannot all pass) and read the account's hash;
2. check the password in the hashing pool (services.password_hashing), never on the loop;
3. settle the buckets, and on success record the login time and open a server-side session.
Every attempt that reaches the throttle is in the audit log: success, wrong password or
throttled, with the client address and never the password. Attempts refused for overload
(all sign-in slots busy: answered 503 before any database work) are logged, not audited.
A login name that matches no account is not recorded (people sometimes type their password
into the login field).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.engine import Database
from bot.db.models import StaffUser
from bot.services import audit, login_throttle, staff, staff_sessions
from bot.services.actors import Actor
from bot.services.actors import staff as staff_actor
from bot.services.clock import utcnow
from bot.services.password_hashing import HashingBusy, HashingPool, shared_pool
from bot.services.staff import StaffIdentity

log = logging.getLogger(__name__)

UNKNOWN_ACCOUNT = Actor("system", "login")


class Outcome(StrEnum):
    SIGNED_IN = "signed_in"
    WRONG_PASSWORD = "wrong_password"
    THROTTLED = "throttled"
    BUSY = "busy"


@dataclass(frozen=True)
class LoginResult:
    outcome: Outcome
    user: StaffIdentity | None = None
    session_token: str | None = None
    password_version: str = ""
    retry_after: float = 0.0


def _audit(
    session: AsyncSession,
    *,
    user: StaffUser | None,
    outcome: Outcome,
    address: str,
    trusted: bool,
    now: datetime,
) -> None:
    audit.record(
        session,
        actor=staff_actor(user.login) if user is not None else UNKNOWN_ACCOUNT,
        action="staff.login" if outcome is Outcome.SIGNED_IN else "staff.login_failed",
        entity_type="staff_user",
        entity_id=user.id if user is not None else None,
        before=None,
        after={"outcome": outcome.value, "address": address, "trusted_browser": trusted},
        at=now,
        security=True,
    )


async def sign_in(
    db: Database,
    *,
    login: str,
    password: str,
    address: str,
    trusted_device: str | None = None,
    pool: HashingPool | None = None,
    now: datetime | None = None,
) -> LoginResult:
    """Try one sign-in; `trusted_device` is the device-cookie id valid for this login."""
    pool = pool or shared_pool()
    try:
        with pool.admit(trusted=trusted_device is not None):
            return await _sign_in(
                db,
                login=login,
                password=password,
                address=address,
                trusted_device=trusted_device,
                pool=pool,
                now=now,
            )
    except HashingBusy:
        # Overload: refused before any database work or password check. Not audited (an
        # attacker must not turn the audit log into a write amplifier); logged instead.
        _log_overload(pool.admitted)
        return LoginResult(Outcome.BUSY, retry_after=2.0)


_last_overload_log = [0.0, 0]


def _log_overload(in_progress: int) -> None:
    """At most one warning every 10 s during a storm (the log must not become the attack)."""
    _last_overload_log[1] += 1
    now = time.monotonic()
    if now - _last_overload_log[0] >= 10:
        log.warning(
            "sign-in refused for overload (%d in the last period, %d in progress)",
            _last_overload_log[1],
            in_progress,
        )
        _last_overload_log[0], _last_overload_log[1] = now, 0


async def _sign_in(
    db: Database,
    *,
    login: str,
    password: str,
    address: str,
    trusted_device: str | None,
    pool: HashingPool,
    now: datetime | None,
) -> LoginResult:
    login = login.strip().lower()[:80]
    buckets = login_throttle.buckets_for(
        login=login, address=address, trusted_device=trusted_device
    )
    trusted = trusted_device is not None
    start = now or utcnow()
    async with db.transaction() as session:
        wait = await login_throttle.reserve(session, buckets, now=start)
        user = await staff.find_by_login(session, login) if login else None
        if wait > 0:
            _audit(
                session,
                user=user,
                outcome=Outcome.THROTTLED,
                address=address,
                trusted=trusted,
                now=start,
            )
            return LoginResult(Outcome.THROTTLED, retry_after=wait)
        user_id = user.id if user is not None and user.active else None
        stored = user.password_hash if user is not None and user.active else None
    matches = await pool.run(lambda: staff.verify_password(password, stored or staff.dummy_hash()))
    ok = matches and stored is not None
    end = now or utcnow()
    async with db.transaction() as session:
        user = await session.get(StaffUser, user_id) if user_id is not None else None
        # The account may have been disabled or its password changed while we hashed.
        ok = ok and user is not None and user.active and user.password_hash == stored
        await login_throttle.settle(session, buckets, succeeded=ok, now=end)
        if not ok or user is None:
            _audit(
                session,
                user=user,
                outcome=Outcome.WRONG_PASSWORD,
                address=address,
                trusted=trusted,
                now=end,
            )
            return LoginResult(Outcome.WRONG_PASSWORD)
        user.last_login_at = end
        token = await staff_sessions.open_session(
            session, user_id=user.id, now=end, address=address
        )
        _audit(
            session, user=user, outcome=Outcome.SIGNED_IN, address=address, trusted=trusted, now=end
        )
        return LoginResult(
            Outcome.SIGNED_IN,
            user=staff.identity(user),
            session_token=token,
            password_version=staff.password_version(user),
        )
