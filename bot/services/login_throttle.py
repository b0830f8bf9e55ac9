"""Login throttling in the database: atomic check-and-record, back-off, no officer locked out.

Policy (and why):
- **Per client address** (`addr:`): 5 failures within 15 minutes lock that address for 1 min,
  then 2, 4, … up to 1 h each time it happens again (the level decays after a quiet day).
  This stops one machine guessing many accounts.
- **Per account, for browsers the account has not signed in from** (`acct:`): 5 failures
  lock *untrusted* attempts on that account with the same back-off. This stops a botnet
  guessing one account from many addresses.
- **Trusted browsers** (`device:`): after a successful sign-in the browser gets a signed
  "device cookie" for that account (OWASP's device-cookie defence). Its attempts skip the two
  buckets above and count only against their own (10 failures, then back-off), so an attacker
  guessing an officer's password from elsewhere, or from the same office NAT, never locks the
  officer out on the PC they normally use. A new PC is the only case that has to wait.

Atomicity: one transaction per attempt takes each bucket's row lock (`SELECT … FOR UPDATE` on
PostgreSQL; SQLite transactions start with `BEGIN IMMEDIATE`, one writer at a time), checks it
and records the attempt as *in flight* before any password is hashed. In-flight attempts count
as failures until settled, so 30 concurrent guesses against a limit of 5 let at most 5 through
to the password check.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import LoginThrottleBucket

INFLIGHT_STALE = timedelta(minutes=1)
LEVEL_DECAY = timedelta(days=1)


@dataclass(frozen=True)
class BucketRule:
    max_failures: int
    window: timedelta
    first_lock: timedelta
    max_lock: timedelta

    def lock_for(self, level: int) -> timedelta:
        """Lock length at `level` (0 = first lock): doubling, capped."""
        doubled: timedelta = self.first_lock * (2 ** min(level, 20))
        return min(doubled, self.max_lock)


ADDRESS_RULE = BucketRule(5, timedelta(minutes=15), timedelta(minutes=1), timedelta(hours=1))
ACCOUNT_RULE = BucketRule(5, timedelta(minutes=15), timedelta(minutes=1), timedelta(hours=1))
DEVICE_RULE = BucketRule(10, timedelta(minutes=15), timedelta(seconds=30), timedelta(minutes=15))


@dataclass(frozen=True)
class Bucket:
    key: str
    rule: BucketRule


def buckets_for(*, login: str, address: str, trusted_device: str | None) -> list[Bucket]:
    """The buckets one attempt counts against (see the module docstring)."""
    if trusted_device is not None:
        return [Bucket(f"device:{trusted_device}"[:120], DEVICE_RULE)]
    return [
        Bucket(f"addr:{address}"[:120], ADDRESS_RULE),
        Bucket(f"acct:{login.strip().lower()}"[:120], ACCOUNT_RULE),
    ]


async def _locked_rows(
    session: AsyncSession, keys: Sequence[str], now: datetime
) -> dict[str, LoginThrottleBucket]:
    """The buckets' rows, created if missing, locked for this transaction (sorted: no
    deadlock between two attempts taking the same two rows)."""
    dialect = session.bind.dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    ordered = sorted(set(keys))
    await session.execute(
        insert(LoginThrottleBucket)
        .values(
            [
                {"key": key, "failures": 0, "inflight": 0, "lock_level": 0, "updated_at": now}
                for key in ordered
            ]
        )
        .on_conflict_do_nothing(index_elements=["key"])
    )
    rows = await session.scalars(
        select(LoginThrottleBucket)
        .where(LoginThrottleBucket.key.in_(ordered))
        .order_by(LoginThrottleBucket.key)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return {row.key: row for row in rows}


def _refresh(row: LoginThrottleBucket, rule: BucketRule, now: datetime) -> None:
    """Forget what has aged out: old failures, stale in-flight marks, an old lock level."""
    if row.last_failure_at is not None and now - row.last_failure_at > rule.window:
        row.failures = 0
    if row.inflight and (row.inflight_at is None or now - row.inflight_at > INFLIGHT_STALE):
        row.inflight = 0
    if row.lock_level and row.last_failure_at and now - row.last_failure_at > LEVEL_DECAY:
        row.lock_level = 0


async def reserve(session: AsyncSession, buckets: Sequence[Bucket], *, now: datetime) -> float:
    """Check and record one attempt atomically; returns 0 if it may go on, else seconds to wait.

    On 0 the attempt is in flight in every bucket and MUST be settled with `settle`.
    """
    rows = await _locked_rows(session, [b.key for b in buckets], now)
    wait = 0.0
    for bucket in buckets:
        row = rows[bucket.key]
        _refresh(row, bucket.rule, now)
        if row.locked_until is not None and row.locked_until > now:
            wait = max(wait, (row.locked_until - now).total_seconds())
        elif row.failures + row.inflight >= bucket.rule.max_failures:
            # Earlier attempts still being checked would reach the limit: wait for them.
            wait = max(wait, 1.0)
    if wait > 0:
        return wait
    for bucket in buckets:
        row = rows[bucket.key]
        row.inflight += 1
        row.inflight_at = now
        row.updated_at = now
    return 0.0


async def settle(
    session: AsyncSession, buckets: Sequence[Bucket], *, succeeded: bool, now: datetime
) -> None:
    """Turn the in-flight attempt into a success (clears the count) or a failure (may lock)."""
    rows = await _locked_rows(session, [b.key for b in buckets], now)
    for bucket in buckets:
        row = rows[bucket.key]
        row.inflight = max(row.inflight - 1, 0)
        _refresh(row, bucket.rule, now)
        row.updated_at = now
        if succeeded:
            row.failures = 0
            row.lock_level = 0
            row.locked_until = None
            continue
        row.failures += 1
        row.last_failure_at = now
        if row.failures >= bucket.rule.max_failures:
            row.locked_until = now + bucket.rule.lock_for(row.lock_level)
            row.lock_level += 1
            row.failures = 0
