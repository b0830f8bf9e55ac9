"""Hold a refused sign-in's answer for a moment before sending it.

Under a storm of guesses the refusals themselves were the load: 40 scripts retrying at once
got ~150-240 "wait" pages a second, each a throttle transaction, an audit row and a page
render on the event loop that also takes Telegram's webhook, and citizens' replies slowed
from ~0.35 s to 4-10 s at p99 (bench/load.py, staff-load). A client that waits for its answer
before trying again (every script in a loop, a browser) is slowed to one try per hold by a
sleep that costs no CPU. A hold is bounded in number: past `max_held` refusals waiting at
once the rest are answered at once, so a flood cannot turn the holds into a memory problem.
A flood that does not wait for answers is the reverse proxy's to limit (docs/deployment.md).
"""

from __future__ import annotations

import asyncio


class Tarpit:
    """Delays refusals, at most `max_held` at a time."""

    def __init__(self, *, hold_seconds: float, max_held: int = 256) -> None:
        self.hold_seconds = hold_seconds
        self.max_held = max_held
        self._held = 0

    @property
    def held(self) -> int:
        """How many refusals are being held now."""
        return self._held

    async def hold(self, retry_after: float) -> None:
        """Wait up to `hold_seconds` (never longer than the client is told to wait)."""
        seconds = min(self.hold_seconds, max(0.0, retry_after))
        if seconds <= 0 or self._held >= self.max_held:
            return
        self._held += 1
        try:
            await asyncio.sleep(seconds)
        finally:
            self._held -= 1
