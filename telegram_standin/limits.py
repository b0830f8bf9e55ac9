"""Flood limits, injected faults and counters — the knobs tests and benchmarks turn.

Telegram documents about 30 messages per second overall and one per second per private chat;
a broadcast (reminders to every registered citizen) must survive that, so the stand-in
answers 429 with `retry_after` exactly when a sliding one-second window is over the limit.
Telegram also says it "may allow short bursts" in a chat: `per_private_chat_burst=N` (N > 1)
models that as a bucket of N messages refilled at `per_private_chat_per_second`; the default
(1) is the strict sliding window.
"""

from __future__ import annotations

import math
import time
from collections import Counter, deque
from dataclasses import dataclass, field

from telegram_standin import errors


@dataclass
class RateLimits:
    """Messages allowed per sliding second; `enabled=False` switches limiting off."""

    enabled: bool = True
    overall_per_second: int = 30
    per_private_chat_per_second: int = 1
    per_private_chat_burst: int = 1

    @classmethod
    def off(cls) -> RateLimits:
        return cls(enabled=False)


class RateLimiter:
    """Sliding 1-second windows: one over all chats, one per private chat."""

    WINDOW = 1.0

    def __init__(self, limits: RateLimits) -> None:
        self.limits = limits
        self._overall: deque[float] = deque()
        self._per_chat: dict[int, deque[float]] = {}
        self._chat_tat: dict[int, float] = {}  # bucket full again from this moment (bursts)
        # Which limit refused a message ("overall" or "chat"): a benchmark's 429s explained.
        self.refusals: Counter[str] = Counter()

    def check_and_count(self, chat_id: int, *, private: bool) -> None:
        """Count one message to `chat_id`, or raise 429 without counting it."""
        if not self.limits.enabled:
            return
        moment = time.monotonic()
        windows = [(self._overall, self.limits.overall_per_second)]
        burst = self.limits.per_private_chat_burst
        if private and burst > 1:
            self._check_burst(chat_id, moment, windows, burst)
            return
        if private:
            windows.append(
                (
                    self._per_chat.setdefault(chat_id, deque()),
                    self.limits.per_private_chat_per_second,
                )
            )
        wait = 0.0
        for kind, (window, limit) in zip(("overall", "chat"), windows, strict=False):
            while window and window[0] <= moment - self.WINDOW:
                window.popleft()
            if len(window) >= limit:
                wait = max(wait, window[len(window) - limit] + self.WINDOW - moment)
                self.refusals[kind] += 1
        if wait > 0:
            raise errors.too_many_requests(max(1, math.ceil(wait)))
        for window, _ in windows:
            window.append(moment)

    def _check_burst(
        self, chat_id: int, moment: float, windows: list[tuple[deque[float], int]], burst: int
    ) -> None:
        interval = 1.0 / self.limits.per_private_chat_per_second
        tat = self._chat_tat.get(chat_id, moment)
        wait = tat - (burst - 1) * interval - moment
        if wait > 0:
            self.refusals["chat"] += 1
        overall, limit = windows[0]
        while overall and overall[0] <= moment - self.WINDOW:
            overall.popleft()
        if len(overall) >= limit:
            wait = max(wait, overall[len(overall) - limit] + self.WINDOW - moment)
            self.refusals["overall"] += 1
        if wait > 0:
            raise errors.too_many_requests(max(1, math.ceil(wait)))
        overall.append(moment)
        self._chat_tat[chat_id] = max(tat, moment) + interval


@dataclass
class Fault:
    """What the next `times` calls of `method` ("*" = any) get instead of a normal answer."""

    method: str
    times: int = 1
    status: int | None = None
    description: str | None = None
    retry_after: int | None = None
    delay: float = 0.0

    def error(self) -> errors.ApiError | None:
        if self.retry_after is not None:
            return errors.too_many_requests(self.retry_after)
        if self.status is not None:
            return errors.ApiError(self.status, self.description or _reason(self.status))
        return None


def _reason(status: int) -> str:
    return {
        500: "Internal Server Error",
        502: "Bad Gateway",
        503: "Service Unavailable",
        504: "Gateway Timeout",
    }.get(status, "Error")


class FaultInjector:
    """Faults queued by tests; each is consumed by the calls it targets."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> None:
        if fault.times < 1:
            raise ValueError(f"times must be >= 1 (got {fault.times})")
        self._faults.append(fault)

    def clear(self) -> None:
        self._faults.clear()

    def take(self, method: str) -> Fault | None:
        """The first fault for `method` (case-insensitive) or "*", consuming one use."""
        for fault in self._faults:
            if fault.method == "*" or fault.method.lower() == method.lower():
                fault.times -= 1
                if fault.times == 0:
                    self._faults.remove(fault)
                return fault
        return None


@dataclass
class Stats:
    """Counters for benchmarks and assertions."""

    calls: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    too_many_requests: int = 0
    webhook_attempts: int = 0
    webhook_deliveries: int = 0
    webhook_failures: int = 0

    def as_dict(self) -> dict[str, object]:
        return {
            "calls": dict(self.calls),
            "statuses": {str(code): count for code, count in self.statuses.items()},
            "errors": dict(self.errors),
            "too_many_requests": self.too_many_requests,
            "webhook_attempts": self.webhook_attempts,
            "webhook_deliveries": self.webhook_deliveries,
            "webhook_failures": self.webhook_failures,
        }
