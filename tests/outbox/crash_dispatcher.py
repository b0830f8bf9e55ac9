"""Helper process for test_delivery_crash: a dispatcher that dies at a chosen moment.

    python crash_dispatcher.py DATABASE_URL LOG_FILE MODE

Its sender appends "row-chat" lines to LOG_FILE, standing in for Telegram's record of what it
received. The second send kills the process with SIGKILL: in MODE `after_send` after the line
is written (Telegram has the message, the commit has not happened: the at-least-once window),
in MODE `before_send` before it (the request never reached Telegram).
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Sequence

from bot.db.engine import open_database
from bot.outbox.dispatcher import Dispatcher
from bot.outbox.queue import Button
from bot.outbox.rate_limit import RateLimiter
from tests.support.factories import debug_renderer


class DyingSender:
    def __init__(self, log_path: str, mode: str) -> None:
        self.log_path = log_path
        self.mode = mode
        self.calls = 0

    async def send(
        self, *, chat_id: int, text: str, buttons: Sequence[Sequence[Button]] = ()
    ) -> int:
        self.calls += 1
        if self.calls == 2 and self.mode == "before_send":
            os.kill(os.getpid(), signal.SIGKILL)
        with open(self.log_path, "a", encoding="utf-8") as log:
            log.write(f"{chat_id}\n")
            log.flush()
            os.fsync(log.fileno())
        if self.calls == 2 and self.mode == "after_send":
            os.kill(os.getpid(), signal.SIGKILL)
        return 1000 + self.calls


async def main(url: str, log_path: str, mode: str) -> None:
    db = open_database(url)
    limiter = RateLimiter(per_second=1000, per_chat_interval=0)
    dispatcher = Dispatcher(
        db,
        DyingSender(log_path, mode),
        renderer=debug_renderer,
        limiter=limiter,
        concurrency=1,
        startup_pause=0,
    )
    await dispatcher.run_once()
    await db.dispose()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
