"""Argon2 checks off the event loop, a bounded number at a time.

An Argon2id check costs ~0.1 s of CPU and 64 MiB. Run on the event loop that also serves the
bot, 40 concurrent failed logins froze every citizen's reply for seconds. Here checks run in a
small thread pool (argon2-cffi releases the GIL while hashing), sized to leave a core to the
event loop. Admission is bounded too: a whole sign-in (throttle transactions, hash, session)
holds a slot from `admit()`, and past `workers + max_waiting` slots a login is answered
"busy, try again" at once, before touching the database, instead of piling up memory,
database writes and latency (measured: bench/login_storm.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


class HashingBusy(RuntimeError):
    """Too many password checks are already waiting; the caller answers "try again"."""


def default_workers() -> int:
    """One thread per two cores (at least one): the other core stays with the event loop."""
    return max(1, (os.cpu_count() or 2) // 2)


#: Niceness of the hashing threads: the event loop (nice 0) gets the CPU first when both want it.
HASHING_NICENESS = 10


def _lower_priority() -> None:
    """Lower this thread's CPU priority (Linux: a thread id is a PRIO_PROCESS target).

    Under a login storm one core stays busy hashing; without this, citizens' requests queued
    behind it for the CPU whenever the machine was also busy with anything else.
    """
    with contextlib.suppress(OSError, AttributeError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HASHING_NICENESS)


class HashingPool:
    """A thread pool for password hashing with a bounded queue."""

    def __init__(
        self, *, workers: int | None = None, max_waiting: int = 4, trusted_reserve: int = 2
    ) -> None:
        self.workers = workers or default_workers()
        self.max_waiting = max_waiting
        # Slots only a browser an officer already signed in from may take: a storm of
        # guesses from strangers fills the others, and the real officer still gets in.
        self.trusted_reserve = trusted_reserve
        self._executor = ThreadPoolExecutor(
            self.workers, thread_name_prefix="argon2", initializer=_lower_priority
        )
        self._admitted = 0

    @property
    def admitted(self) -> int:
        """Sign-ins (or checks) in progress right now."""
        return self._admitted

    @contextlib.contextmanager
    def admit(self, *, trusted: bool = False) -> Iterator[None]:
        """Hold one of the bounded slots; `HashingBusy` at once when all are taken.

        `trusted` (a device cookie valid for the login) may also take the reserved slots.
        """
        limit = self.workers + self.max_waiting + (self.trusted_reserve if trusted else 0)
        if self._admitted >= limit:
            raise HashingBusy(f"{self._admitted} sign-ins in progress")
        self._admitted += 1
        try:
            yield
        finally:
            self._admitted -= 1

    async def run(self, function: Callable[[], T]) -> T:
        """`function()` in the pool (callers hold a slot from `admit()`)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, function)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


_shared: HashingPool | None = None


def shared_pool() -> HashingPool:
    """The process's pool (created on first use; threads start lazily)."""
    global _shared
    if _shared is None:
        _shared = HashingPool()
    return _shared
