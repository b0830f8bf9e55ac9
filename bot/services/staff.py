"""Dashboard accounts: creation, password checks, login throttling and what each role may do.

Passwords are hashed with Argon2id (argon2-cffi: memory-hard, salted per account); the cost
parameters are stored in the hash, so raising them later only affects new hashes and
`needs_rehash` tells when an old hash should be replaced. A failed login for an unknown
account still spends the same hashing time, so response times do not reveal which logins
exist. Signing in from the dashboard (throttling, hashing off the event loop, sessions) is
services.staff_login; passwords must pass services.password_policy. A new password or a
disabled account ends the account's open sessions (services.staff_sessions).

Roles: an admin sees and changes everything; an officer works only on the citizens of their
commune; a viewer reads (scoped to a commune if one is set) and changes nothing.
"""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import StaffRole
from bot.db.models import StaffUser
from bot.services import audit, staff_sessions
from bot.services.actors import Actor
from bot.services.clock import utcnow
from bot.services.communes import COMMUNES, OUTSIDE
from bot.services.password_policy import MAX_LENGTH as MAX_PASSWORD_LENGTH
from bot.services.password_policy import MIN_LENGTH as MIN_PASSWORD_LENGTH
from bot.services.password_policy import PasswordWeakness, weakness

__all__ = ["MAX_PASSWORD_LENGTH", "MIN_PASSWORD_LENGTH"]
# Argon2id cost (RFC 9106's second recommended profile): 64 MiB, 3 passes, ~0.1 s per check.
ARGON2_TIME_COST = 3
ARGON2_MEMORY_KIB = 64 * 1024
ARGON2_PARALLELISM = 1
_LOGIN_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")


class AccountProblem(StrEnum):
    """Why an account could not be created or changed (the dashboard and CLI word it)."""

    INVALID_LOGIN = "invalid_login"
    LOGIN_TAKEN = "login_taken"
    PASSWORD_TOO_SHORT = "password_too_short"
    PASSWORD_TOO_LONG = "password_too_long"
    PASSWORD_GUESSABLE = "password_guessable"
    INVALID_NAME = "invalid_name"
    COMMUNE_REQUIRED = "commune_required"
    UNKNOWN_COMMUNE = "unknown_commune"
    UNKNOWN_ACCOUNT = "unknown_account"


class AccountRefused(ValueError):
    def __init__(self, problem: AccountProblem, detail: str = "") -> None:
        super().__init__(f"{problem.value}" + (f" ({detail})" if detail else ""))
        self.problem = problem


@functools.cache
def _hasher(time_cost: int, memory_kib: int) -> PasswordHasher:
    return PasswordHasher(
        time_cost=time_cost,
        memory_cost=memory_kib,
        parallelism=ARGON2_PARALLELISM,
        type=Type.ID,
    )


def hash_password(
    password: str, *, time_cost: int = ARGON2_TIME_COST, memory_kib: int = ARGON2_MEMORY_KIB
) -> str:
    """An Argon2id hash in the standard `$argon2id$v=19$m=…,t=…,p=…$salt$hash` form.

    Lower costs are only for tests, which create many accounts; the cost travels in the hash.
    """
    return _hasher(time_cost, memory_kib).hash(password)


def verify_password(password: str, stored: str) -> bool:
    """True if `password` matches `stored`; a malformed hash never matches."""
    try:
        return _hasher(ARGON2_TIME_COST, ARGON2_MEMORY_KIB).verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """True when `stored` was made with weaker parameters than the current ones."""
    try:
        return _hasher(ARGON2_TIME_COST, ARGON2_MEMORY_KIB).check_needs_rehash(stored)
    except InvalidHashError:
        return True


@functools.cache
def dummy_hash() -> str:
    """Checked against when the login does not exist, so that case costs the same time."""
    return hash_password(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class StaffIdentity:
    """Who is signed in and what they may do; built from the account on every request."""

    id: int
    login: str
    full_name: str
    role: StaffRole
    commune: str | None

    @property
    def is_admin(self) -> bool:
        return self.role == StaffRole.ADMIN

    @property
    def can_change(self) -> bool:
        """Viewers only read."""
        return self.role in (StaffRole.ADMIN, StaffRole.OFFICER)

    @property
    def commune_scope(self) -> str | None:
        """The only commune whose citizens this person may see; None means all."""
        return None if self.role == StaffRole.ADMIN else self.commune

    def may_see_commune(self, commune: str | None) -> bool:
        scope = self.commune_scope
        return scope is None or commune == scope


def identity(user: StaffUser) -> StaffIdentity:
    return StaffIdentity(user.id, user.login, user.full_name, user.role, user.commune)


def password_version(user: StaffUser) -> str:
    """A short fingerprint of the password hash: sessions carry it, so a new password
    (or a reset) ends the sessions opened with the old one."""
    return hashlib.sha256(user.password_hash.encode("ascii")).hexdigest()[:16]


_WEAKNESS_PROBLEMS = {
    PasswordWeakness.TOO_SHORT: AccountProblem.PASSWORD_TOO_SHORT,
    PasswordWeakness.TOO_LONG: AccountProblem.PASSWORD_TOO_LONG,
    PasswordWeakness.GUESSABLE: AccountProblem.PASSWORD_GUESSABLE,
}


def check_password(password: str, *, login: str, full_name: str) -> None:
    """Refuse (AccountRefused) a password that is too short, too long or easy to guess."""
    problem = weakness(password, related=(login, full_name))
    if problem is not None:
        raise AccountRefused(_WEAKNESS_PROBLEMS[problem])


def _check_account_fields(
    *, login: str, full_name: str, password: str, role: StaffRole, commune: str | None
) -> None:
    if not _LOGIN_PATTERN.match(login):
        raise AccountRefused(AccountProblem.INVALID_LOGIN, login)
    if not full_name.strip() or len(full_name) > 200:
        raise AccountRefused(AccountProblem.INVALID_NAME)
    check_password(password, login=login, full_name=full_name)
    if commune is not None and (commune not in COMMUNES or commune == OUTSIDE):
        raise AccountRefused(AccountProblem.UNKNOWN_COMMUNE, commune)
    if role == StaffRole.OFFICER and commune is None:
        raise AccountRefused(AccountProblem.COMMUNE_REQUIRED, login)


async def find_by_login(session: AsyncSession, login: str) -> StaffUser | None:
    user: StaffUser | None = await session.scalar(
        select(StaffUser).where(StaffUser.login == login.strip().lower())
    )
    return user


async def create_staff(
    *,
    session: AsyncSession,
    login: str,
    full_name: str,
    password: str,
    role: StaffRole,
    commune: str | None,
    actor: Actor,
    now: datetime | None = None,
) -> StaffUser:
    """Add an account (audited, without the hash); officers must have a commune."""
    now = now or utcnow()
    login = login.strip().lower()
    full_name = " ".join(full_name.split())
    if role == StaffRole.ADMIN:
        commune = None
    _check_account_fields(
        login=login, full_name=full_name, password=password, role=role, commune=commune
    )
    if await find_by_login(session, login) is not None:
        raise AccountRefused(AccountProblem.LOGIN_TAKEN, login)
    user = StaffUser(
        login=login,
        full_name=full_name,
        password_hash=hash_password(password),
        role=role,
        commune=commune,
        active=True,
        created_at=now,
    )
    session.add(user)
    await session.flush()
    audit.record(
        session,
        actor=actor,
        action="staff.create",
        entity_type="staff_user",
        entity_id=user.id,
        before=None,
        after={"login": login, "role": role.value, "commune": commune},
        at=now,
    )
    return user


async def set_password(
    *,
    session: AsyncSession,
    login: str,
    password: str,
    actor: Actor,
    now: datetime | None = None,
    hashed: str | None = None,
) -> StaffUser:
    """Replace the password (audited); open sessions of the account end.

    `hashed` is `hash_password(password)` made by the caller off the event loop (the
    dashboard); the command line lets this function hash.
    """
    now = now or utcnow()
    user = await find_by_login(session, login)
    if user is None:
        raise AccountRefused(AccountProblem.UNKNOWN_ACCOUNT, login)
    check_password(password, login=user.login, full_name=user.full_name)
    user.password_hash = hashed or hash_password(password)
    ended = await staff_sessions.revoke_all(session, user.id, now=now, reason="password_changed")
    audit.record(
        session,
        actor=actor,
        action="staff.set_password",
        entity_type="staff_user",
        entity_id=user.id,
        before=None,
        after={"login": user.login, "sessions_ended": ended},
        at=now,
    )
    return user


async def set_active(
    *, session: AsyncSession, login: str, active: bool, actor: Actor, now: datetime | None = None
) -> StaffUser:
    """Enable or disable an account (audited); a disabled account cannot sign in."""
    now = now or utcnow()
    user = await find_by_login(session, login)
    if user is None:
        raise AccountRefused(AccountProblem.UNKNOWN_ACCOUNT, login)
    before = {"active": user.active}
    user.active = active
    if not active:
        await staff_sessions.revoke_all(session, user.id, now=now, reason="account_disabled")
    audit.record(
        session,
        actor=actor,
        action="staff.set_active",
        entity_type="staff_user",
        entity_id=user.id,
        before=before,
        after={"active": active},
        at=now,
    )
    return user


async def list_staff(session: AsyncSession) -> list[StaffUser]:
    return list((await session.scalars(select(StaffUser).order_by(StaffUser.login))).all())


async def load_active(session: AsyncSession, user_id: int) -> StaffUser | None:
    """The account behind a session, if it still exists and is active."""
    user = await session.get(StaffUser, user_id)
    if user is None or not user.active:
        return None
    return user
