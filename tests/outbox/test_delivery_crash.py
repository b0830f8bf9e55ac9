"""Crash tests for the delivery guarantee (at least once; see outbox.dispatcher).

A real dispatcher process is killed with SIGKILL in the middle of sending, then a new one
starts on the same database. Killed inside the window between Telegram's answer and the
commit, the message in flight is delivered twice and nothing is lost; killed before the
request left, nothing is duplicated and nothing is lost.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.db.engine import Database
from bot.db.enums import OutboxKind, OutboxStatus
from bot.db.models import Citizen, OutboxMessage
from bot.outbox.dispatcher import Dispatcher
from bot.outbox.queue import Template, queue_message
from bot.outbox.rate_limit import RateLimiter
from tests.support.factories import Factory, FakeSender, debug_renderer

HELPER = Path(__file__).with_name("crash_dispatcher.py")
REPO_ROOT = Path(__file__).resolve().parents[2]


async def _queue_three(db: Database, factory: Factory) -> list[int]:
    people = await factory.citizens(3)
    async with db.transaction() as session:
        for person in people:
            queue_message(
                session,
                citizen=await session.get_one(Citizen, person.id),
                kind=OutboxKind.BROADCAST,
                template=Template.BROADCAST,
                params={"text": "hi"},
                due_at=factory.now,
            )
    return [p.telegram_user_id for p in people if p.telegram_user_id is not None]


def _run_dying_dispatcher(url: str, log: Path, mode: str) -> int:
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    process = subprocess.run(
        [sys.executable, str(HELPER), url, str(log), mode],
        env=env,
        cwd=REPO_ROOT,
        timeout=120,
        capture_output=True,
        text=True,
        check=False,
    )
    assert process.returncode == -signal.SIGKILL, process.stderr[-2000:]
    return process.returncode


async def _restart_and_count(db: Database, log: Path) -> tuple[Counter[int], list[OutboxMessage]]:
    sender = FakeSender()
    limiter = RateLimiter(per_second=1000, per_chat_interval=0)
    await Dispatcher(
        db, sender, renderer=debug_renderer, limiter=limiter, startup_pause=0
    ).run_once()
    received = Counter(int(line) for line in log.read_text().split())
    received.update(message.chat_id for message in sender.sent)
    async with db.transaction() as session:
        rows = list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    return received, rows


@pytest.mark.timeout(120)
async def test_kill_between_telegram_answer_and_commit_duplicates_one_message_loses_none(
    db: Database, factory: Factory, migrated_url: str, tmp_path: Path
) -> None:
    chats = await _queue_three(db, factory)
    log = tmp_path / "telegram.log"

    _run_dying_dispatcher(migrated_url, log, "after_send")

    async with db.transaction() as session:
        states = [
            r.status
            for r in await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        ]
    assert states == [OutboxStatus.SENT, OutboxStatus.SENDING, OutboxStatus.SENDING]

    received, rows = await _restart_and_count(db, log)

    assert received == Counter({chats[0]: 1, chats[1]: 2, chats[2]: 1})  # one duplicate
    assert {r.status for r in rows} == {OutboxStatus.SENT}  # nothing lost
    assert rows[0].telegram_message_id == 1001  # the first answer was committed before the kill


@pytest.mark.timeout(120)
async def test_kill_before_the_request_leaves_duplicates_nothing_and_loses_nothing(
    db: Database, factory: Factory, migrated_url: str, tmp_path: Path
) -> None:
    chats = await _queue_three(db, factory)
    log = tmp_path / "telegram.log"

    _run_dying_dispatcher(migrated_url, log, "before_send")
    received, rows = await _restart_and_count(db, log)

    assert received == Counter(dict.fromkeys(chats, 1))
    assert {r.status for r in rows} == {OutboxStatus.SENT}
