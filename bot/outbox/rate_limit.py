"""Pacing for Telegram's limits: at most 30 messages per second overall, 1 per second per chat.

python-telegram-bot's `AIORateLimiter` limits the overall rate and group chats, but not the
per-private-chat rate, so the dispatcher uses this limiter instead. Each message books the
earliest moment that is at least 1/N s away from every other booking and at least
`per_chat_interval` after the previous message to the same chat. Booking moments (instead of a
token bucket) means a message that must wait for its chat does not hold up messages to other
chats, and no 1-second window ever holds more than N sends.

Telegram (and the local stand-in) count arrivals in a sliding one-second window, so the
limiter keeps a margin for jitter between our clock and their door:
- the default rate is 29/s and 1.05 s per chat (a window then tolerates ~34 ms of jitter);
- sends are also kept 1/N s apart by their actual times, so a sender that wakes up late (the
  event loop stalled, e.g. in a garbage collection) cannot go out right next to another;
- a 429 (`back_off`) pauses everything for `retry_after` and lowers the rate by 10 % (never below
  `min_per_second`); the rate climbs back by 0.5/s per 30 s without a 429. On a busy machine or
  a jittery network the limiter thus settles just under the rate that Telegram accepts.
"""

from __future__ import annotations

import asyncio
import bisect
import time
from collections.abc import Awaitable, Callable


class RateLimiter:
    BACKOFF_FACTOR = 0.9
    RECOVERY_STEP = 0.5  # messages per second regained ...
    RECOVERY_AFTER = 30.0  # ... per this many seconds without a 429

    def __init__(
        self,
        *,
        per_second: float = 29.0,
        per_chat_interval: float = 1.05,
        min_per_second: float = 20.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if per_second <= 0 or per_chat_interval < 0:
            raise ValueError(f"bad limits: {per_second=} {per_chat_interval=}")
        self.max_per_second = per_second
        self.per_second = per_second
        self.min_per_second = min(min_per_second, per_second)
        self.per_chat_interval = per_chat_interval
        self._clock = clock
        self._sleep = sleep
        self._booked: list[float] = []  # sorted booking moments
        self._chat_next: dict[int, float] = {}
        self._paused_until = 0.0
        self._rate_changed_at = clock()
        self._last_sent = float("-inf")

    def reserve(self, chat_id: int) -> float:
        """Book the next allowed moment for `chat_id`; returns it (clock time)."""
        return self._book(chat_id)[0]

    def _book(self, chat_id: int) -> tuple[float, float | None]:
        now = self._clock()
        self._recover(now)
        previous = self._chat_next.get(chat_id)
        spacing = 1.0 / self.per_second
        at = max(now, self._paused_until, previous or 0.0, self._last_sent + spacing)
        index = bisect.bisect_left(self._booked, at - spacing + 1e-9)
        while index < len(self._booked) and self._booked[index] < at + spacing - 1e-9:
            at = max(at, self._booked[index] + spacing)
            index += 1
        bisect.insort(self._booked, at)
        self._chat_next[chat_id] = at + self.per_chat_interval
        self._forget_before(now)
        return at, previous

    def _unbook(self, chat_id: int, at: float, previous: float | None) -> None:
        """Give a booking back (its moment was missed); the chat's last booking is restored."""
        index = bisect.bisect_left(self._booked, at)
        if index < len(self._booked) and self._booked[index] == at:
            del self._booked[index]
        if self._chat_next.get(chat_id) != at + self.per_chat_interval:
            return  # a later message to the same chat booked meanwhile: keep its spacing
        if previous is None:
            del self._chat_next[chat_id]
        else:
            self._chat_next[chat_id] = previous

    def _forget_before(self, now: float) -> None:
        if self._booked and self._booked[0] < now - 1.0:
            del self._booked[: bisect.bisect_left(self._booked, now - 1.0)]
        if len(self._chat_next) > 4096:
            self._chat_next = {chat: at for chat, at in self._chat_next.items() if at > now}

    def _recover(self, now: float) -> None:
        if self.per_second < self.max_per_second and now - self._rate_changed_at >= (
            self.RECOVERY_AFTER
        ):
            self.per_second = min(self.max_per_second, self.per_second + self.RECOVERY_STEP)
            self._rate_changed_at = now

    async def acquire(self, chat_id: int) -> None:
        """Wait until a message to `chat_id` may be sent.

        Bookings plan the sends; the last *actual* send time has the final say. A caller that
        wakes up late (the event loop stalled, e.g. in a garbage collection) still goes if no
        one has sent within the last 1/N s, and otherwise books again: so late senders released
        together never crowd into one moment and overrun Telegram's window.
        """
        while True:
            at, previous = self._book(chat_id)
            delay = at - self._clock()
            if delay > 0:
                await self._sleep(delay)
            if at < self._paused_until:  # a 429 arrived while we slept
                self._unbook(chat_id, at, previous)
                continue
            now = self._clock()
            # 10 % slack absorbs the ordinary ~1 ms wake-up lag of the previous sender.
            if now - self._last_sent >= 0.9 / self.per_second:
                self._last_sent = max(self._last_sent, now)
                chat_next = self._chat_next.get(chat_id, 0.0)
                self._chat_next[chat_id] = max(chat_next, now + self.per_chat_interval)
                return
            self._unbook(chat_id, at, previous)  # someone else just went: book again

    def pause(self, seconds: float) -> None:
        """Send nothing for `seconds` (e.g. at start-up, while the last process's window ages)."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)

    def back_off(self, retry_after: float) -> None:
        """Telegram answered 429: send nothing for `retry_after`, then go on a little slower."""
        self.pause(retry_after)
        self.per_second = max(self.min_per_second, self.per_second * self.BACKOFF_FACTOR)
        self._rate_changed_at = self._clock()
