"""A circuit breaker for the NLU server: stop waiting for it while it is known to be slow.

Without one, every citizen's message waited for the NLU's timeout (twice, with the retry)
while the server was paused or overloaded, and the waits added up. The breaker counts
consecutive failures (timeouts, refused connections, 5xx); at `threshold` it opens: parses
fail at once (the caller falls back to keywords) and a background probe asks the server's
`/status` every `probe_interval` seconds, after at least `cool_down`. The first good answer
closes it. One success in normal operation resets the count.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)

Probe = Callable[[], Awaitable[bool]]


class CircuitBreaker:
    def __init__(
        self,
        *,
        threshold: int = 2,
        cool_down: float = 10.0,
        probe_interval: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.threshold = threshold
        self.cool_down = cool_down
        self.probe_interval = probe_interval
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None
        self._probe_task: asyncio.Task[None] | None = None
        self.times_opened = 0

    @property
    def is_open(self) -> bool:
        return self._opened_at is not None

    def record_success(self) -> None:
        self._failures = 0
        if self._opened_at is not None:
            self._close()

    def record_failure(self, probe: Probe) -> None:
        """Count a failure; at the threshold open and start probing with `probe`."""
        self._failures += 1
        if self._opened_at is None and self._failures >= self.threshold:
            self._opened_at = self._clock()
            self.times_opened += 1
            log.warning(
                "NLU circuit open after %d failures: keywords only until the server answers",
                self._failures,
            )
            self._probe_task = asyncio.create_task(self._probe_until_closed(probe))

    def _close(self) -> None:
        opened = self._opened_at
        self._opened_at = None
        self._failures = 0
        if opened is not None:
            log.info("NLU circuit closed after %.1f s", self._clock() - opened)

    async def _probe_until_closed(self, probe: Probe) -> None:
        await asyncio.sleep(self.cool_down)
        while self._opened_at is not None:
            try:
                healthy = await probe()
            except Exception:  # a probe must never kill the loop that closes the breaker
                healthy = False
            if healthy:
                self._close()
                return
            await asyncio.sleep(self.probe_interval)

    async def aclose(self) -> None:
        if self._probe_task is not None and not self._probe_task.done():
            self._probe_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._probe_task
