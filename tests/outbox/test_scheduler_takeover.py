"""One process runs the timed work; when it dies another takes over, and nothing goes twice.

On PostgreSQL two real processes compete for the scheduler lock (bot.services.scheduler_lock);
the leader is killed with SIGKILL in the middle of a stream of due reminders. The follower
must lead within a few seconds and every reminder must arrive exactly once. On SQLite (one
process only) the lock is trivially held.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.db.engine import Database
from bot.db.enums import OutboxKind
from bot.db.models import Citizen
from bot.outbox.queue import Template, queue_message
from bot.services.clock import utcnow
from bot.services.scheduler_lock import SchedulerLock
from tests.support.factories import Factory

HELPER = Path(__file__).with_name("leader_process.py")
REPO_ROOT = Path(__file__).resolve().parents[2]
REMINDERS = 30
SPACING = 0.25  # seconds between due times: the leader is idle most of the time

pytestmark = pytest.mark.timeout(120)


def _url(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=False)


async def test_only_one_lock_holder_until_it_lets_go(db: Database) -> None:
    first, second = SchedulerLock(_url(db)), SchedulerLock(_url(db))
    try:
        assert await first.try_acquire()
        if db.is_sqlite:  # one process per SQLite file: the lock is trivially held
            assert await second.try_acquire()
            return
        assert not await second.try_acquire()
        assert await first.still_held()
        await first.release()
        assert await second.try_acquire()
    finally:
        await first.release()
        await second.release()


async def test_a_leader_whose_connection_dies_knows_it_no_longer_leads(db: Database) -> None:
    if db.is_sqlite:
        pytest.skip("SQLite has no server session to lose")
    lock, other = SchedulerLock(_url(db)), SchedulerLock(_url(db))
    try:
        assert await lock.try_acquire()
        async with db.transaction() as session:  # an admin (or a failover) ends the session
            await session.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_locks "
                    "WHERE locktype = 'advisory' AND pid <> pg_backend_pid() "
                    "AND granted AND objid = (hashtextextended(:name || ':' || "
                    "current_schema(), 0) & 4294967295)::oid"
                ),
                {"name": "tro-ly-an-sinh:scheduler"},
            )
        assert not await lock.still_held()
        assert await other.try_acquire()
    finally:
        await lock.release()
        await other.release()


async def _start(url: str, log: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        str(HELPER),
        url,
        str(log),
        env=dict(os.environ, PYTHONPATH=str(REPO_ROOT)),
        cwd=REPO_ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )


async def _leads_within(process: asyncio.subprocess.Process, seconds: float) -> bool:
    assert process.stdout is not None
    try:  # a timed-out readline leaves what it read buffered for the next call
        line = await asyncio.wait_for(process.stdout.readline(), seconds)
    except TimeoutError:
        return False
    return line.strip() == b"leading"


def _delivered(log: Path) -> list[int]:
    if not log.exists():
        return []
    return [int(line) for line in log.read_text().split()]


async def test_the_follower_takes_over_when_the_leader_is_killed(
    db: Database, factory: Factory, tmp_path: Path
) -> None:
    if db.is_sqlite:
        pytest.skip("SQLite runs one bot process; two processes need PostgreSQL")
    people = await factory.citizens(REMINDERS)
    start = utcnow() + timedelta(seconds=3)
    async with db.transaction() as session:
        for index, person in enumerate(people):
            queue_message(
                session,
                citizen=await session.get_one(Citizen, person.id),
                kind=OutboxKind.REMINDER,
                template=Template.BROADCAST,
                params={"text": f"nhắc {index}"},
                due_at=start + timedelta(seconds=index * SPACING),
            )
    log = tmp_path / "telegram.log"
    leader = await _start(_url(db), log)
    follower: asyncio.subprocess.Process | None = None
    try:
        assert await _leads_within(leader, 20), "the first process never took the lock"
        follower = await _start(_url(db), log)
        assert not await _leads_within(follower, 2.0), "two processes lead at once"
        while len(_delivered(log)) < REMINDERS // 3:  # the leader is sending
            await asyncio.sleep(0.02)
        seen = len(_delivered(log))
        while len(_delivered(log)) == seen:  # just after a send, well before the next
            await asyncio.sleep(0.005)
        await asyncio.sleep(0.05)
        leader.send_signal(signal.SIGKILL)
        killed_at = time.monotonic()

        assert await _leads_within(follower, 10), "no takeover after the leader died"
        takeover = time.monotonic() - killed_at
        deadline = time.monotonic() + 20
        while len(set(_delivered(log))) < REMINDERS and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.0)  # anything sent twice would show up by now
    finally:
        for process in (leader, follower):
            if process is not None and process.returncode is None:
                process.kill()
            if process is not None:
                await process.wait()

    counts = Counter(_delivered(log))
    expected = {p.telegram_user_id for p in people}
    assert set(counts) == expected, f"lost: {expected - set(counts)}"
    assert [chat for chat, n in counts.items() if n > 1] == [], "a reminder was sent twice"
    assert takeover < 5.0, f"takeover took {takeover:.1f} s"
