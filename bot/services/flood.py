"""A per-person flood limit: at most `limit` messages per `window` are answered.

One person pasting 30 messages in 2 seconds would otherwise cost 30 NLU parses and 30 replies
(and, past about one message a second per chat, Telegram's own 429s). The gate answers the
first `limit` messages of a burst, sends one "bạn gửi nhanh quá" notice, and ignores the rest
until the person has paused for a `window`.

State is a bounded in-memory structure, not a database table, on purpose:
- it is consulted on every message before anything else, so it must cost nothing (no I/O, no
  lock shared with the real work);
- it is worth nothing after a few seconds: losing it in a restart at worst answers one more
  burst;
- the bot runs as one process (polling or one webhook app), so one memory sees every message.
Memory is bounded by `max_people` (least recently active people forgotten first) and each
person keeps at most `limit` timestamps, so a flood from many accounts cannot grow it.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

DEFAULT_LIMIT = 5
DEFAULT_WINDOW_SECONDS = 4.0
DEFAULT_MAX_PEOPLE = 10_000


class Verdict(StrEnum):
    ANSWER = "answer"
    NOTIFY = "notify"  # the first message over the limit: say "too fast" once
    IGNORE = "ignore"  # further messages of the same burst


@dataclass
class _Person:
    times: deque[float]
    notified: bool = False


@dataclass
class FloodGate:
    """Decides, per message, whether a person's message is answered (see the module doc)."""

    limit: int = DEFAULT_LIMIT
    window: float = DEFAULT_WINDOW_SECONDS
    max_people: int = DEFAULT_MAX_PEOPLE
    clock: Callable[[], float] = time.monotonic
    _people: OrderedDict[int, _Person] = field(default_factory=OrderedDict, repr=False)

    def __post_init__(self) -> None:
        if self.limit < 1 or self.window <= 0 or self.max_people < 1:
            raise ValueError("limit, window and max_people must be positive")

    def check(self, person_id: int, *, at: float | None = None) -> Verdict:
        """Record one message from `person_id` and say what to do with it.

        `at` is when the person sent it (seconds; default: the gate's clock). The chat passes
        Telegram's send time, so a burst is seen as a burst even when its messages are
        processed one by one over a longer time (a person's updates are handled in order).
        """
        now = self.clock() if at is None else at
        person = self._people.get(person_id)
        if person is None:
            person = _Person(deque(maxlen=self.limit))
            self._people[person_id] = person
            while len(self._people) > self.max_people:
                self._people.popitem(last=False)
        else:
            self._people.move_to_end(person_id)
        if person.notified:
            # In a burst after the notice: quiet until they pause for a whole window.
            last = person.times[-1] if person.times else now
            person.times.append(now)
            if now - last < self.window:
                return Verdict.IGNORE
            person.notified = False
            person.times.clear()
            person.times.append(now)
            return Verdict.ANSWER
        if len(person.times) == self.limit and now - person.times[0] < self.window:
            person.notified = True
            person.times.append(now)
            return Verdict.NOTIFY
        person.times.append(now)
        return Verdict.ANSWER

    def __len__(self) -> int:
        return len(self._people)
