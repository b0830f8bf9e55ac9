"""Updates of different people processed in parallel, each person's updates in order.

PTB processes one update at a time by default: one citizen waiting for a slow NLU answer or
for the rate limiter holds up everybody. `concurrent_updates=N` fixes that but loses order:
a person who types "đăng ký" and then their phone number could have the number handled
first. This processor gives both:

- updates with the same key (the chat, or the user when there is no chat) run one after
  another, in the order PTB received them (each key has a FIFO lock, created on demand and
  dropped when nobody holds or waits for it, so memory does not grow with the number of
  people);
- updates with different keys run concurrently, at most `max_running` at once;
- at most `max_pending` updates are admitted at all (PTB's own semaphore); beyond that PTB
  keeps them in its update queue.

The per-person lock is taken *before* a running slot, so one person who sends fifty messages
occupies one slot, not fifty: the other people keep being served.

`around(update)` (optional) wraps the processing of each update inside its person's lock: the
composition root uses it to load the person's conversation memory from the database before
and save it after, so no per-person state stays in process memory.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Hashable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

Around = Callable[[object], AbstractAsyncContextManager[None]]


@dataclass
class _KeyLock:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0  # holders + waiters; the entry is dropped at zero


def person_key(update: object) -> Hashable | None:
    """Whose update this is: the chat (private chat = the person), else the user; or None."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return ("chat", update.effective_chat.id)
    if update.effective_user is not None:
        return ("user", update.effective_user.id)
    return None


class PersonOrderedUpdateProcessor(BaseUpdateProcessor):
    """Concurrent across people, sequential per person, bounded."""

    def __init__(
        self, *, max_running: int = 32, max_pending: int = 1024, around: Around | None = None
    ) -> None:
        if max_running < 1 or max_pending < max_running:
            raise ValueError(f"need 1 <= max_running <= max_pending ({max_running}, {max_pending})")
        super().__init__(max_concurrent_updates=max_pending)
        self.max_running = max_running
        self._running = asyncio.Semaphore(max_running)
        self._locks: dict[Hashable, _KeyLock] = {}
        self.around: Around = around or (lambda _update: contextlib.nullcontext())

    @property
    def people_in_progress(self) -> int:
        """How many people have an update being processed or waiting (for tests, health)."""
        return len(self._locks)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = person_key(update)
        if key is None:
            async with self._running, self.around(update):
                await coroutine
            return
        entry = self._locks.setdefault(key, _KeyLock())
        entry.users += 1
        try:
            async with entry.lock, self._running, self.around(update):
                await coroutine
        finally:
            entry.users -= 1
            if entry.users == 0 and self._locks.get(key) is entry:
                del self._locks[key]

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close: PTB waits for running updates itself."""
