"""Exactly one process runs the timed work (scheduler and outbox dispatcher) at a time.

With several bot processes behind a proxy, each would otherwise start its own scheduler and
dispatcher: reminders would be claimed by whichever process got there first (claims keep that
safe), but Telegram's 30 messages/s are per bot, so two dispatchers would each pace at 29/s
and draw 429s, and nightly jobs would run twice. The first process to take a PostgreSQL
*session-level advisory lock* leads; the others wait and try again every `retry_seconds`.

The lock lives on a dedicated connection (its own engine without a pool, autocommit, TCP
keepalives), not on a pooled one, so no transaction of the bot can ever release it. When the
leader dies, PostgreSQL ends its session and releases the lock at once (SIGKILL, crash) or
within ~15 s (a machine that vanished: keepalives); a follower then takes over. The leader
checks its connection every `check_seconds`: if it is gone the lock is gone too, and it stops
leading before someone else starts.

The lock key includes the current schema, so separate deployments (or test runs) sharing one
PostgreSQL database never block each other. SQLite allows one process only, so there the lock
is trivially held.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Final

from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.pool import NullPool

from bot.db.engine import create_engine, is_sqlite

log = logging.getLogger(__name__)

LOCK_NAME: Final = "tro-ly-an-sinh:scheduler"
_KEY_SQL: Final = "hashtextextended(:name || ':' || current_schema(), 0)"
# Dead peers are noticed by the kernel: 5 s idle, then 3 probes 3 s apart.
_KEEPALIVES: Final = {"keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 3,
                      "keepalives_count": 3}  # fmt: skip


class SchedulerLock:
    """Leadership among the bot processes sharing one database."""

    def __init__(
        self, url: str | URL, *, retry_seconds: float = 1.0, check_seconds: float = 1.0
    ) -> None:
        self.retry_seconds = retry_seconds
        self.check_seconds = check_seconds
        self._sqlite = is_sqlite(url)
        self._engine: AsyncEngine | None = None
        if not self._sqlite:
            self._engine = create_engine(
                url, poolclass=NullPool, isolation_level="AUTOCOMMIT", connect_args=_KEEPALIVES
            )
        self._connection: AsyncConnection | None = None
        self._held = False

    @property
    def held(self) -> bool:
        return self._held

    async def try_acquire(self) -> bool:
        """Take the lock if it is free; True if this process now leads."""
        if self._sqlite:
            self._held = True
            return True
        if self._held:
            return True
        assert self._engine is not None
        try:
            if self._connection is None:
                self._connection = await self._engine.connect()
            taken = await self._connection.scalar(
                text(f"SELECT pg_try_advisory_lock({_KEY_SQL})"), {"name": LOCK_NAME}
            )
        except Exception as error:  # database down: not leading, try again later
            log.warning("scheduler lock: database unavailable (%s)", type(error).__name__)
            await self._drop_connection()
            return False
        self._held = bool(taken)
        return self._held

    async def still_held(self) -> bool:
        """False once the lock's connection is gone (and with it the lock)."""
        if self._sqlite or not self._held:
            return self._held
        assert self._connection is not None
        try:
            await self._connection.execute(text("SELECT 1"))
        except Exception as error:
            log.warning("scheduler lock lost: its connection failed (%s)", type(error).__name__)
            self._held = False
            await self._drop_connection()
        return self._held

    async def wait_until_held(self) -> None:
        while not await self.try_acquire():
            await asyncio.sleep(self.retry_seconds)

    async def release(self) -> None:
        """Give the lock up (graceful stop) so a follower takes over without waiting."""
        if self._connection is not None and self._held:
            with contextlib.suppress(Exception):
                await self._connection.execute(
                    text(f"SELECT pg_advisory_unlock({_KEY_SQL})"), {"name": LOCK_NAME}
                )
        self._held = False
        await self._drop_connection()
        if self._engine is not None:
            await self._engine.dispose()

    async def _drop_connection(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Exception):
                await connection.invalidate()
            with contextlib.suppress(Exception):
                await connection.close()


async def lead(
    lock: SchedulerLock,
    *,
    elected: Callable[[], Awaitable[None]],
    deposed: Callable[[], Awaitable[None]],
) -> None:
    """Run forever (until cancelled): `elected()` when this process takes the lock,
    `deposed()` when it loses it; then wait for the lock again."""
    try:
        while True:
            await lock.wait_until_held()
            log.info("this process now runs the scheduler and the outbox dispatcher")
            await elected()
            while await lock.still_held():
                await asyncio.sleep(lock.check_seconds)
            await deposed()
    finally:
        if lock.held:
            await deposed()
