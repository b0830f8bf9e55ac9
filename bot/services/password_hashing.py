"""Argon2 checks off the event loop, a bounded number at a time.

An Argon2id check costs ~0.1 s of CPU and 64 MiB. Run on the event loop that also serves the
bot, 40 concurrent failed logins froze every citizen's reply for seconds. Here checks run in a
small thread pool (argon2-cffi releases the GIL while hashing), sized to leave a core to the
event loop, and at most `max_waiting` checks may queue: past that a login is answered "busy,
try again" at once instead of piling up memory and latency. Throttled attempts never reach
this pool (the throttle answers them before any hashing).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


class HashingBusy(RuntimeError):
    """Too many password checks are already waiting; the caller answers "try again"."""


def default_workers() -> int:
    """One thread per two cores (at least one): the other core stays with the event loop."""
    return max(1, (os.cpu_count() or 2) // 2)


class HashingPool:
    """A thread pool for password hashing with a bounded queue."""

    def __init__(self, *, workers: int | None = None, max_waiting: int = 16) -> None:
        self.workers = workers or default_workers()
        self.max_waiting = max_waiting
        self._executor = ThreadPoolExecutor(self.workers, thread_name_prefix="argon2")
        self._admitted = 0

    @property
    def admitted(self) -> int:
        """Checks running or waiting right now."""
        return self._admitted

    async def run(self, function: Callable[[], T]) -> T:
        """`function()` in the pool; `HashingBusy` when the queue is already full."""
        if self._admitted >= self.workers + self.max_waiting:
            raise HashingBusy(f"{self._admitted} password checks in progress")
        self._admitted += 1
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._executor, function)
        finally:
            self._admitted -= 1

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


_shared: HashingPool | None = None


def shared_pool() -> HashingPool:
    """The process's pool (created on first use; threads start lazily)."""
    global _shared
    if _shared is None:
        _shared = HashingPool()
    return _shared
