"""The one pacer for everything the bot sends: Telegram's limits, with priorities.

Telegram allows a bot about 30 messages per second overall and about one per second per
private chat, tolerating short bursts in a chat. Replies to a person who is waiting and the
outbox (officers' answers, reminders, broadcasts) share those limits, so they share this one
limiter: the PTB adapter (`bot.outbox.ptb_limiter`) paces replies, the dispatcher paces the
outbox, and a free slot goes to the most urgent waiter:

    Priority.REPLY > Priority.OFFICER_ANSWER > Priority.REMINDER > Priority.BROADCAST

Rules:
- overall: no window of 1.05 s holds more than N sends (default N = 29: one message and 50 ms
  of margin against jitter between our clock and Telegram's door, which counts 30 per sliding
  second). A burst of replies goes out at once instead of 1/N s apart: spacing every send
  made replies queue behind each other at 20 messages/s (p99 270 ms waiting for the limiter
  alone, 1 s when updates arrive in batches, as long polling delivers them);
- per chat: a budget of `per_chat_burst` messages that refills one per `per_chat_interval`
  (a token bucket, computed as GCRA): a person who asks gets the answer and its follow-up at
  once, a chat that keeps receiving falls back to one message per 1.05 s. `per_chat_burst=1`
  is the strict one-per-interval rule; group chats (the staff chat) refill one per 3.1 s,
  under Telegram's 20 per minute;
- a waiter that cannot go yet (its chat's budget is spent) does not hold up other chats;
- among equals, first come first served; a waiter gains one priority level for every
  `AGING_SECONDS` it waits, so a stream of replies never starves a reminder for long;
- a 429 (`back_off`) pauses everything for `retry_after` and lowers the rate by 10 % (never
  below `min_per_second`; 429s arriving during that pause are the same event and lower it
  no further); the rate climbs back by 0.5/s per 30 s without a 429.

Grants happen at the moment they are handed out (never booked ahead) and are counted then, so
waiters released late by a stalled event loop cannot overrun the window. `reserve` books a
future moment without waiting, for planning and tests.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import itertools
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from enum import IntEnum


class Priority(IntEnum):
    """Who goes first when the budget is short (lower value = more urgent)."""

    REPLY = 0  # a person is waiting for the answer to what they just wrote or pressed
    OFFICER_ANSWER = 1  # an officer's answer to a citizen's question
    REMINDER = 2  # reminders, waitlist promotions, event notices
    BROADCAST = 3  # announcements to many people


GrantObserver = Callable[[int, float, Priority], None]


def _quantile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@dataclass
class _Waiter:
    priority: Priority
    seq: int
    chat_id: int
    since: float
    future: asyncio.Future[float] = field(repr=False)  # resolves to the grant's moment


@dataclass
class _Chat:
    tat: float  # GCRA theoretical arrival time: the bucket is full again from this moment
    last: float  # the chat's latest grant or booking (messages to one chat stay in order)


class RateLimiter:
    WINDOW = 1.05  # seconds: N sends per 1.05 s stay under N per second with 50 ms of jitter
    BACKOFF_FACTOR = 0.9
    RECOVERY_STEP = 0.5  # messages per second regained ...
    RECOVERY_AFTER = 30.0  # ... per this many seconds without a 429
    AGING_SECONDS = 5.0

    def __init__(
        self,
        *,
        per_second: float = 29.0,
        per_chat_interval: float = 1.05,
        per_chat_burst: int = 3,
        group_interval: float = 3.1,
        min_per_second: float = 20.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        on_grant: GrantObserver | None = None,
    ) -> None:
        if per_second <= 0 or per_chat_interval < 0 or per_chat_burst < 1:
            raise ValueError(f"bad limits: {per_second=} {per_chat_interval=} {per_chat_burst=}")
        self.max_per_second = per_second
        self.per_second = per_second
        self.min_per_second = min(min_per_second, per_second)
        self.per_chat_interval = per_chat_interval
        self.per_chat_burst = per_chat_burst
        self.group_interval = max(group_interval, per_chat_interval)
        self._clock = clock
        self._sleep = sleep
        self._on_grant = on_grant
        self._booked: list[float] = []  # sorted moments granted or booked (last second+)
        # Grant moments of sends still on their way (see `sending`): Telegram may count each
        # at any moment until its answer comes back.
        self._in_flight: list[float] = []
        self._chats: dict[int, _Chat] = {}
        self._paused_until = 0.0
        self._backed_off_until = 0.0  # the pause of the latest 429 event
        self._started = clock()
        self._rate_changed_at = self._started
        self._waiters: list[_Waiter] = []
        self._seq = itertools.count()
        self._timer: asyncio.Task[None] | None = None
        self._timer_at = float("inf")
        # Recent waits per priority (seconds): what /healthz and bench/load.py report as
        # "queueing", apart from the time spent understanding and answering.
        self._waits: dict[Priority, deque[float]] = {p: deque(maxlen=10_000) for p in Priority}

    # -- queries ----------------------------------------------------------------------------

    @property
    def waiting(self) -> int:
        """How many senders are waiting for a slot now."""
        return len(self._waiters)

    def wait_summary(self) -> dict[str, dict[str, float]]:
        """Per priority: grants counted (recent 10,000), p50/p99/max wait in milliseconds."""
        summary: dict[str, dict[str, float]] = {}
        for priority, waits in self._waits.items():
            if not waits:
                continue
            ordered = sorted(waits)
            summary[priority.name.lower()] = {
                "count": len(ordered),
                "p50_ms": round(_quantile(ordered, 0.50) * 1000, 1),
                "p99_ms": round(_quantile(ordered, 0.99) * 1000, 1),
                "max_ms": round(ordered[-1] * 1000, 1),
            }
        return summary

    def _spacing(self) -> float:
        return 1.0 / self.per_second

    def _interval(self, chat_id: int) -> float:
        """Groups (negative ids, e.g. the staff chat) get ~20 per minute, as Telegram asks."""
        return self.group_interval if chat_id < 0 else self.per_chat_interval

    def _chat_ready(self, chat_id: int) -> float:
        """The earliest moment `chat_id` has budget for one more message."""
        chat = self._chats.get(chat_id)
        if chat is None:
            return float("-inf")
        slack = (self.per_chat_burst - 1) * self._interval(chat_id)
        return max(chat.tat - slack, chat.last)

    def _limit(self) -> int:
        return max(1, int(self.per_second))

    def _fits(self, at: float) -> bool:
        """Whether one more send at `at` keeps every `WINDOW` within the overall limit."""
        window, limit = self.WINDOW, self._limit()
        near = self._booked[
            bisect.bisect_right(self._booked, at - window) : bisect.bisect_left(
                self._booked, at + window
            )
        ]
        for start in [b for b in near if b <= at] + [at]:
            inside = bisect.bisect_left(near, start + window) - bisect.bisect_left(near, start)
            # A send granted before this window and not answered yet may arrive inside it.
            inside += sum(1 for granted in self._in_flight if granted < start)
            if inside + 1 > limit:
                return False
        return True

    def _global_slot(self, at: float) -> float:
        """The earliest moment >= `at` at which one more send keeps the overall limit."""
        at = max(at, self._paused_until)
        while at != float("inf") and not self._fits(at):
            at = min(
                (
                    b + self.WINDOW + 1e-6
                    for b in self._booked[bisect.bisect_right(self._booked, at - self.WINDOW) :]
                    if b + self.WINDOW > at
                ),
                default=float("inf"),  # only sends in flight fill it: the next answer frees it
            )
        return at

    # -- booking ----------------------------------------------------------------------------

    def _record(self, chat_id: int, at: float) -> None:
        bisect.insort(self._booked, at)
        chat = self._chats.get(chat_id)
        tat = max(chat.tat if chat else at, at) + self._interval(chat_id)
        self._chats[chat_id] = _Chat(tat=tat, last=at)

    def reserve(self, chat_id: int, priority: Priority = Priority.REPLY) -> float:
        """Book the next allowed moment for `chat_id` without waiting; returns it (clock time).

        Bookings ignore priorities (there is nobody to overtake); `acquire` is what senders use.
        """
        now = self._clock()
        self._recover(now)
        at = self._global_slot(max(now, self._chat_ready(chat_id)))
        self._record(chat_id, at)
        self._forget_before(now)
        return at

    def _forget_before(self, now: float) -> None:
        if self._booked and self._booked[0] < now - self.WINDOW:
            del self._booked[: bisect.bisect_left(self._booked, now - self.WINDOW)]
        if len(self._chats) > 4096:  # a chat whose bucket is full again is like a new one
            self._chats = {c: s for c, s in self._chats.items() if max(s.tat, s.last) > now}

    def _recover(self, now: float) -> None:
        if self.per_second < self.max_per_second and now - self._rate_changed_at >= (
            self.RECOVERY_AFTER
        ):
            self.per_second = min(self.max_per_second, self.per_second + self.RECOVERY_STEP)
            self._rate_changed_at = now

    # -- waiting ----------------------------------------------------------------------------

    async def acquire(self, chat_id: int, priority: Priority = Priority.REPLY) -> float:
        """Wait until a message to `chat_id` may be sent; more urgent waiters go first.

        Returns the moment the send was granted (and booked), on this limiter's clock."""
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        waiter = _Waiter(priority, next(self._seq), chat_id, self._clock(), future)
        self._waiters.append(waiter)
        self._pump()
        try:
            return await future
        except asyncio.CancelledError:
            if waiter in self._waiters:  # granted just before the cancellation: slot unused
                self._waiters.remove(waiter)
            raise

    @contextlib.asynccontextmanager
    async def sending(
        self, chat_id: int, priority: Priority = Priority.REPLY
    ) -> AsyncIterator[None]:
        """`acquire`, then count the send until its answer is back, not only when granted.

        The moment Telegram counts a send is not the moment we granted it: on a busy event
        loop the request may leave 100 ms later, after sends granted after it, and 30 of them
        then reach Telegram within one second although no 1.05 s of grants held more than 29
        (measured: 2-8 answers 429 per 20 s under a sign-in storm, each pausing every reply
        for a second). Until the answer is back a send counts in every window that may hold
        its arrival; then it is booked at the answer's moment, the latest it can have arrived.
        """
        granted = await self.acquire(chat_id, priority)
        self._in_flight.append(granted)
        try:
            yield
        finally:
            self._in_flight.remove(granted)
            index = bisect.bisect_left(self._booked, granted)
            if index < len(self._booked) and self._booked[index] == granted:
                del self._booked[index]
            bisect.insort(self._booked, self._clock())
            if self._waiters:
                self._pump()

    def _rank(self, waiter: _Waiter, now: float) -> tuple[float, int]:
        aged = int((now - waiter.since) / self.AGING_SECONDS)
        return (waiter.priority - aged, waiter.seq)

    def _pump(self) -> None:
        """Hand out every slot that is free now, best waiter first; set a timer for the next."""
        while self._waiters:
            now = self._clock()
            self._recover(now)
            slot = self._global_slot(now)
            if slot == float("inf"):
                return  # the end of a send in flight pumps again
            if slot > now:
                self._wake_at(slot)
                return
            ranked = sorted(self._waiters, key=lambda w: self._rank(w, now))
            chosen = next((w for w in ranked if self._chat_ready(w.chat_id) <= now), None)
            if chosen is None:
                self._wake_at(min(self._chat_ready(w.chat_id) for w in self._waiters))
                return
            self._waiters.remove(chosen)
            if chosen.future.done():  # cancelled meanwhile
                continue
            self._record(chosen.chat_id, now)
            self._forget_before(now)
            chosen.future.set_result(now)
            self._waits[chosen.priority].append(now - chosen.since)
            if self._on_grant is not None:
                self._on_grant(chosen.chat_id, now, chosen.priority)

    def _wake_at(self, at: float) -> None:
        if self._timer is not None and not self._timer.done():
            if self._timer_at <= at:
                return
            self._timer.cancel()
        self._timer_at = at
        self._timer = asyncio.get_running_loop().create_task(self._sleep_then_pump(at))

    async def _sleep_then_pump(self, at: float) -> None:
        delay = at - self._clock()
        if delay > 0:
            await self._sleep(delay)
        self._timer_at = float("inf")
        self._timer = None
        self._pump()

    # -- Telegram said so -------------------------------------------------------------------

    def pause(self, seconds: float) -> None:
        """Send nothing for `seconds` (e.g. at start-up, while the last process's window ages)."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)

    def pause_after_start(self, seconds: float) -> None:
        """Send nothing until `seconds` after this limiter (this process) started.

        A restarted bot's predecessor may have sent a full window just before it stopped, and
        Telegram counts per bot: that window ages from the moment this process started, not
        from whenever the outbox first runs. Pausing later (the outbox starts after the bot
        already answers people) only held back replies and released them as one burst whose
        echo, a window later, made the next replies wait (p99 queueing 450-600 ms at 21
        messages/s in bench/load.py).
        """
        self._paused_until = max(self._paused_until, self._started + seconds)

    def back_off(self, retry_after: float) -> None:
        """Telegram answered 429: send nothing for `retry_after`, then go on a little slower.

        Several 429s that answer sends already in flight when the first came back are one
        event, not several: they lower the rate once (as TCP counts one loss per round trip).
        Counting each compounded the slow-down: 8 answers to one burst took the rate from
        29/s to its 20/s floor, below the demand of 21/s, and every reply queued for seconds
        (bench/load.py, staff-load).
        """
        now = self._clock()
        same_event = now < self._backed_off_until
        self.pause(retry_after)
        self._backed_off_until = max(self._backed_off_until, now + retry_after)
        if same_event:
            return
        self.per_second = max(self.min_per_second, self.per_second * self.BACKOFF_FACTOR)
        self._rate_changed_at = now
