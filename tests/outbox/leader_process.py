"""Helper process for test_scheduler_takeover: a bot's timed work, leading only with the lock.

    python leader_process.py DATABASE_URL LOG_FILE

Runs the outbox dispatcher and its scheduler (0.2 s ticks) under `SchedulerLock`, as the
composition root does. Its sender appends "chat_id" lines to LOG_FILE, standing in for
Telegram's record of what it received. Prints "leading" when it takes the lock.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence

from bot.db.engine import open_database
from bot.outbox.dispatcher import Dispatcher
from bot.outbox.queue import Button
from bot.outbox.rate_limit import RateLimiter
from bot.outbox.scheduler import build_scheduler
from bot.services.scheduler_lock import SchedulerLock, lead
from tests.support.factories import debug_renderer


class LoggingSender:
    def __init__(self, log_path: str) -> None:
        self.log_path = log_path
        self.calls = 0

    async def send(
        self, *, chat_id: int, text: str, buttons: Sequence[Sequence[Button]] = ()
    ) -> int:
        self.calls += 1
        with open(self.log_path, "a", encoding="utf-8") as log:
            log.write(f"{chat_id}\n")
        return self.calls


async def main(url: str, log_path: str) -> None:
    db = open_database(url)
    dispatcher = Dispatcher(
        db,
        LoggingSender(log_path),
        renderer=debug_renderer,
        limiter=RateLimiter(per_second=1000, per_chat_interval=0),
        startup_pause=0,
    )
    dispatcher.follow()
    scheduler = build_scheduler(dispatcher, interval_seconds=0.2)
    scheduler.start(paused=True)

    async def elected() -> None:
        dispatcher.lead()
        scheduler.resume()
        print("leading", flush=True)

    async def deposed() -> None:
        dispatcher.follow()
        scheduler.pause()

    lock = SchedulerLock(url, retry_seconds=0.2, check_seconds=0.2)
    await lead(lock, elected=elected, deposed=deposed)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
