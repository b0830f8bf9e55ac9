"""The limiter: ≤ N sends in any 1-second window, a small per-chat burst then one per interval,
the most urgent waiter first."""

from __future__ import annotations

import asyncio
import itertools
import time

from bot.outbox.rate_limit import Priority, RateLimiter


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


def _max_in_any_window(times: list[float], window: float = 1.0) -> int:
    ordered = sorted(times)
    best = 0
    start = 0
    for end, at in enumerate(ordered):
        while at - ordered[start] >= window - 1e-9:
            start += 1
        best = max(best, end - start + 1)
    return best


def test_distinct_chats_are_paced_at_the_global_rate() -> None:
    clock = FakeClock()
    limiter = RateLimiter(per_second=30, per_chat_interval=1.0, clock=clock)
    times = [limiter.reserve(chat) for chat in range(300)]
    assert _max_in_any_window(times) == 30
    assert max(times) - min(times) < 10.0  # 300 messages in ~10 s: nothing wasted


def test_one_chat_gets_at_most_one_message_per_second() -> None:
    clock = FakeClock()
    limiter = RateLimiter(per_second=30, per_chat_interval=1.0, per_chat_burst=1, clock=clock)
    times = [limiter.reserve(42) for _ in range(5)]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert all(gap >= 1.0 - 1e-9 for gap in gaps)


def test_a_busy_chat_does_not_hold_up_other_chats() -> None:
    clock = FakeClock()
    limiter = RateLimiter(per_second=30, per_chat_interval=1.0, per_chat_burst=1, clock=clock)
    busy = [limiter.reserve(1) for _ in range(3)]
    others = [limiter.reserve(chat) for chat in range(2, 12)]
    assert max(others) < busy[1]  # the others used the slots between chat 1's messages


def test_acquire_waits_and_pause_delays_everything() -> None:
    clock = FakeClock()
    limiter = RateLimiter(per_second=10, clock=clock, sleep=clock.sleep)

    async def scenario() -> list[float]:
        sent: list[float] = []
        await limiter.acquire(1)
        sent.append(clock.now)
        limiter.pause(5.0)
        await limiter.acquire(2)
        sent.append(clock.now)
        return sent

    first, second = asyncio.run(scenario())
    assert second - first >= 5.0


def test_the_start_up_pause_counts_from_the_process_start_not_from_its_caller() -> None:
    """A restarted bot waits for its predecessor's last window; an outbox that starts after
    the bot has been answering for a while must not hold replies back (and release them as
    one burst that makes the next window's replies wait too)."""
    clock = FakeClock()
    fresh = RateLimiter(clock=clock)
    fresh.pause_after_start(1.0)
    assert fresh.reserve(1) == 1001.0  # just started: the predecessor's window ages first

    running = RateLimiter(clock=clock)
    clock.now += 5.0  # answering citizens for five seconds before the outbox starts
    running.pause_after_start(1.0)
    assert running.reserve(2) == clock.now  # nothing to wait for


def test_senders_woken_late_by_a_stalled_loop_never_overrun_the_window() -> None:
    limiter = RateLimiter(per_second=20, per_chat_interval=0)
    sent: list[float] = []

    async def sender(chat: int) -> None:
        for _ in range(10):
            await limiter.acquire(chat)
            sent.append(time.monotonic())
            if len(sent) % 7 == 0:
                time.sleep(0.03)  # block the event loop, as a garbage collection does

    async def scenario() -> None:
        await asyncio.gather(*(sender(chat) for chat in range(6)))

    asyncio.run(scenario())
    assert len(sent) == 60
    assert _max_in_any_window(sent) <= 20  # Telegram's door counts actual arrivals


def test_the_429s_of_one_burst_slow_the_rate_down_once() -> None:
    """Sends already in flight when the first 429 came back are answered 429 too; counting
    each one compounded the slow-down below the demand."""
    clock = FakeClock()
    limiter = RateLimiter(per_second=29, clock=clock)
    for _ in range(8):
        limiter.back_off(1.0)
        clock.now += 0.01
    assert limiter.per_second == 29 * 0.9
    clock.now += 1.0  # the pause is over: a later 429 is news
    limiter.back_off(1.0)
    assert limiter.per_second == 29 * 0.9 * 0.9


def test_defaults_stay_inside_telegrams_limits_with_a_margin() -> None:
    limiter = RateLimiter()
    assert 28 <= limiter.per_second < 30
    assert limiter.per_chat_interval > 1.0


def test_a_429_slows_the_rate_down_which_recovers_after_quiet_time() -> None:
    clock = FakeClock()
    limiter = RateLimiter(per_second=29, clock=clock)
    limiter.pause(1.0)  # a plain pause (start-up) keeps the rate
    assert limiter.per_second == 29
    limiter.back_off(1.0)
    assert limiter.per_second == 29 * 0.9
    for _ in range(4):
        clock.now += 1.0  # each 429 after the pause ended: a new event
        limiter.back_off(1.0)
    assert limiter.per_second == 20.0  # never below the floor
    clock.now += 31
    limiter.reserve(1)
    assert limiter.per_second == 20.5
    for _ in range(40):
        clock.now += 31
        limiter.reserve(1)
    assert limiter.per_second == 29


def test_a_person_gets_a_short_burst_then_one_message_per_interval() -> None:
    clock = FakeClock()
    limiter = RateLimiter(per_second=30, per_chat_interval=1.05, per_chat_burst=3, clock=clock)
    times = [limiter.reserve(42) for _ in range(6)]
    assert times[2] - times[0] < 0.1  # an answer and its follow-ups go out at once
    assert times[3] - times[0] >= 1.05 - 1e-9  # then the budget refills one per 1.05 s
    gaps = [b - a for a, b in itertools.pairwise(times[3:])]
    assert all(gap >= 1.05 - 1e-9 for gap in gaps)
    # A token bucket of 3 refilled every 1.05 s: never more than 3 + t/1.05 in t seconds.
    for start, at in enumerate(times):
        for end in range(start, len(times)):
            span = times[end] - at
            assert end - start + 1 <= 3 + span / 1.05 + 1e-9


def test_group_chats_get_about_twenty_messages_a_minute() -> None:
    clock = FakeClock()
    limiter = RateLimiter(per_second=30, per_chat_burst=1, clock=clock)
    times = [limiter.reserve(-100123) for _ in range(21)]
    assert times[-1] - times[0] >= 60.0


def test_replies_go_before_reminders_and_broadcasts() -> None:
    clock = FakeClock()
    limiter = RateLimiter(per_second=10, clock=clock, sleep=clock.sleep)
    order: list[str] = []

    async def send(chat: int, priority: Priority, name: str) -> None:
        await limiter.acquire(chat, priority)
        order.append(name)

    async def scenario() -> None:
        limiter.pause(1.0)
        await asyncio.gather(
            send(1, Priority.BROADCAST, "broadcast"),
            send(2, Priority.REMINDER, "reminder"),
            send(3, Priority.OFFICER_ANSWER, "officer"),
            send(4, Priority.REPLY, "reply"),
        )

    asyncio.run(scenario())
    assert order == ["reply", "officer", "reminder", "broadcast"]


def test_a_stream_of_replies_does_not_starve_a_reminder() -> None:
    clock = FakeClock()
    limiter = RateLimiter(per_second=2, per_chat_interval=0, clock=clock, sleep=clock.sleep)
    order: list[str] = []

    async def send(chat: int, priority: Priority, name: str) -> None:
        await limiter.acquire(chat, priority)
        order.append(name)

    async def scenario() -> None:
        limiter.pause(0.5)
        tasks = [asyncio.create_task(send(0, Priority.REMINDER, "reminder"))]
        for n in range(40):  # twice the rate the limiter grants: replies never run out
            tasks.append(asyncio.create_task(send(n + 1, Priority.REPLY, f"reply {n}")))
            tasks.append(asyncio.create_task(send(n + 100, Priority.REPLY, f"reply b{n}")))
            await clock.sleep(0)
            await asyncio.sleep(0)
        await asyncio.gather(*tasks)

    asyncio.run(scenario())
    assert order.index("reminder") < len(order) - 1


def test_a_waiting_chat_does_not_hold_up_other_chats() -> None:
    clock = FakeClock()
    limiter = RateLimiter(
        per_second=100, per_chat_interval=1.0, per_chat_burst=1, clock=clock, sleep=clock.sleep
    )
    sent: dict[str, float] = {}

    async def send(chat: int, name: str) -> None:
        await limiter.acquire(chat)
        sent[name] = clock.now

    async def scenario() -> None:
        await send(1, "first to 1")
        await asyncio.gather(send(1, "second to 1"), send(2, "first to 2"))

    asyncio.run(scenario())
    assert sent["first to 2"] - sent["first to 1"] < 0.1
    assert sent["second to 1"] - sent["first to 1"] >= 1.0


def test_a_send_still_on_its_way_counts_until_its_answer_is_back() -> None:
    """A request that leaves late (busy loop) may reach Telegram inside a later second: it
    counts there until answered, then at the moment of its answer."""
    clock = FakeClock()
    limiter = RateLimiter(per_second=3, per_chat_interval=0.0, clock=clock, sleep=clock.sleep)

    async def scenario() -> tuple[list[int], float]:
        slow_send_done = asyncio.Event()

        async def slow_send() -> None:
            async with limiter.sending(1):
                await slow_send_done.wait()

        slow = asyncio.create_task(slow_send())
        for chat in (2, 3):
            async with limiter.sending(chat):
                pass
        clock.now += 2.0  # every grant is more than a window old; one send is still going
        granted: list[int] = []

        async def later(chat: int) -> None:
            await limiter.acquire(chat)
            granted.append(chat)

        waiting = [asyncio.create_task(later(chat)) for chat in (4, 5, 6)]
        await asyncio.sleep(0)
        early = list(granted)
        answered_at = clock.now
        slow_send_done.set()
        await slow
        await asyncio.gather(*waiting)
        return early, answered_at

    early, answered_at = asyncio.run(scenario())
    assert early == [4, 5]  # the third slot is the send in flight's
    assert limiter.reserve(7) >= answered_at + RateLimiter.WINDOW  # booked at its answer


def test_sends_answered_at_once_cost_one_slot_each() -> None:
    """A send is counted once: at its grant while on its way, then at its answer instead."""
    clock = FakeClock()
    limiter = RateLimiter(per_second=29, clock=clock, sleep=clock.sleep)

    async def scenario() -> float:
        async def send(chat: int) -> None:
            async with limiter.sending(chat):
                pass

        await asyncio.gather(*(send(chat) for chat in range(87)))
        return clock.now - 1000.0

    assert asyncio.run(scenario()) < 2 * RateLimiter.WINDOW + 0.1  # three full windows
