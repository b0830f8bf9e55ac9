"""The dispatcher: due rows are sent once, within limits; every failure ends in a clear state."""

from __future__ import annotations

import asyncio
import itertools
from datetime import datetime, timedelta

from sqlalchemy import select, update

from bot.db.engine import Database
from bot.db.enums import OutboxKind, OutboxStatus
from bot.db.models import Citizen, OutboxMessage
from bot.outbox.dispatcher import Dispatcher, RetryPolicy
from bot.outbox.port import (
    PermanentSendError,
    RecipientBlocked,
    RetryAfter,
    TransientSendError,
)
from bot.outbox.queue import Template, queue_message
from bot.outbox.rate_limit import RateLimiter
from bot.outbox.scheduler import build_scheduler
from tests.support.factories import Factory, FakeSender, debug_renderer


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _fast_limiter() -> RateLimiter:
    return RateLimiter(per_second=10_000, per_chat_interval=0)


def _dispatcher(db: Database, sender: FakeSender, clock: Clock, **kwargs: object) -> Dispatcher:
    options: dict[str, object] = {
        "renderer": debug_renderer,
        "limiter": _fast_limiter(),
        "clock": clock,
        "startup_pause": 0,
    }
    options.update(kwargs)
    return Dispatcher(db, sender, **options)  # type: ignore[arg-type]


async def _queue(
    db: Database, citizens: list[Citizen], *, due_at: datetime, expires_at: datetime | None = None
) -> list[int]:
    async with db.transaction() as session:
        rows = [
            queue_message(
                session,
                citizen=await session.get_one(Citizen, c.id),
                kind=OutboxKind.BROADCAST,
                template=Template.BROADCAST,
                params={"text": f"hello {c.id}"},
                due_at=due_at,
                expires_at=expires_at,
            )
            for c in citizens
        ]
        await session.flush()
        return [row.id for row in rows if row is not None]


async def _rows(db: Database) -> list[OutboxMessage]:
    async with db.transaction() as session:
        return list(await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def test_due_reminders_are_sent_and_marked_with_the_message_id(
    db: Database, factory: Factory, sender: FakeSender
) -> None:
    citizen, event = await factory.citizen(), await factory.event()
    await factory.register(citizen, event)
    clock = Clock(event.starts_at - timedelta(days=1) + timedelta(minutes=1))

    report = await _dispatcher(db, sender, clock).run_once()

    assert report.sent == 2  # the 3-day and 1-day reminders; the 2-hour one is not due yet
    rows = await _rows(db)
    sent = [r for r in rows if r.status == OutboxStatus.SENT]
    assert sorted(r.telegram_message_id for r in sent) == [1, 2]  # type: ignore[type-var]
    assert all(r.sent_at == clock.now and r.claim_token is None for r in sent)
    assert [r.status for r in rows].count(OutboxStatus.PENDING) == 1
    assert {m.chat_id for m in sender.sent} == {citizen.telegram_user_id}
    assert all(Template.REMINDER.value in m.text for m in sender.sent)


async def test_reminders_overdue_at_start_up_are_sent_if_the_event_has_not_started(
    db: Database, factory: Factory, sender: FakeSender
) -> None:
    citizen, event = await factory.citizen(), await factory.event()
    await factory.register(citizen, event)
    clock = Clock(event.starts_at - timedelta(hours=1))  # bot was down for three days

    report = await _dispatcher(db, sender, clock).run_once()

    assert report.sent == 3
    assert {r.status for r in await _rows(db)} == {OutboxStatus.SENT}


async def test_reminders_overdue_after_the_start_are_skipped(
    db: Database, factory: Factory, sender: FakeSender
) -> None:
    citizen, event = await factory.citizen(), await factory.event()
    await factory.register(citizen, event)
    clock = Clock(event.starts_at + timedelta(minutes=5))

    report = await _dispatcher(db, sender, clock).run_once()

    assert report.sent == 0 and sender.calls == 0
    rows = await _rows(db)
    assert {(r.status, r.last_error) for r in rows} == {(OutboxStatus.SKIPPED, "expired")}


async def test_retry_after_pauses_sending_and_does_not_count_an_attempt(
    db: Database, factory: Factory, sender: FakeSender
) -> None:
    citizen = await factory.citizen()
    clock = Clock(factory.now)
    [row_id] = await _queue(db, [citizen], due_at=factory.now)
    sender.failures[citizen.telegram_user_id] = [RetryAfter(0.3)]  # type: ignore[index]
    dispatcher = _dispatcher(db, sender, clock)

    first = await dispatcher.run_once()
    [row] = await _rows(db)
    assert first.rate_limited == 1
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 0)
    assert row.next_attempt_at == factory.now + timedelta(seconds=0.3)
    assert dispatcher.limiter._paused_until > 0

    clock.now += timedelta(seconds=0.3)
    second = await dispatcher.run_once()
    [row] = await _rows(db)
    assert second.sent == 1 and row.status == OutboxStatus.SENT and row.attempts == 1
    assert row.id == row_id


async def test_blocked_recipient_becomes_unreachable_and_is_not_retried(
    db: Database, factory: Factory, sender: FakeSender
) -> None:
    citizen = await factory.citizen()
    clock = Clock(factory.now)
    await _queue(db, [citizen], due_at=factory.now)
    later = await _queue(db, [citizen], due_at=factory.now + timedelta(days=1))
    sender.failures[citizen.telegram_user_id] = [  # type: ignore[index]
        RecipientBlocked("Forbidden: bot was blocked by the user")
    ]

    report = await _dispatcher(db, sender, clock).run_once()

    assert report.blocked == 1
    rows = {r.id: r for r in await _rows(db)}
    assert rows[later[0]].status == OutboxStatus.CANCELLED
    failed = [r for r in rows.values() if r.status == OutboxStatus.FAILED]
    assert failed and failed[0].last_error is not None
    assert failed[0].last_error.startswith("recipient_blocked")
    async with db.transaction() as session:
        stored = await session.get_one(Citizen, citizen.id)
    assert stored.unreachable_at == factory.now and not stored.reachable


async def test_transient_errors_back_off_then_fail_with_the_reason(
    db: Database, factory: Factory, sender: FakeSender
) -> None:
    citizen = await factory.citizen()
    clock = Clock(factory.now)
    await _queue(db, [citizen], due_at=factory.now)
    sender.failures[citizen.telegram_user_id] = [  # type: ignore[index]
        TransientSendError(f"NetworkError: reset {n}") for n in range(3)
    ]
    policy = RetryPolicy(max_attempts=3, base_delay=timedelta(seconds=10), jitter=0)
    dispatcher = _dispatcher(db, sender, clock, retry=policy)

    waits = []
    for _ in range(3):
        await dispatcher.run_once()
        [row] = await _rows(db)
        waits.append(row.next_attempt_at - clock.now)
        clock.now = row.next_attempt_at

    assert waits[:2] == [timedelta(seconds=10), timedelta(seconds=20)]
    [row] = await _rows(db)
    assert (row.status, row.attempts) == (OutboxStatus.FAILED, 3)
    assert row.last_error == "TransientSendError: NetworkError: reset 2"


async def test_permanent_error_fails_at_once(
    db: Database, factory: Factory, sender: FakeSender
) -> None:
    citizen = await factory.citizen()
    await _queue(db, [citizen], due_at=factory.now)
    sender.failures[citizen.telegram_user_id] = [  # type: ignore[index]
        PermanentSendError("Bad Request: chat not found")
    ]
    report = await _dispatcher(db, sender, Clock(factory.now)).run_once()
    [row] = await _rows(db)
    assert report.failed == 1 and row.status == OutboxStatus.FAILED and row.attempts == 1


async def test_unexpected_exception_is_retried_like_a_transient_error(
    db: Database, factory: Factory, sender: FakeSender
) -> None:
    citizen = await factory.citizen()
    await _queue(db, [citizen], due_at=factory.now)
    sender.failures[citizen.telegram_user_id] = [RuntimeError("bug")]  # type: ignore[index]
    report = await _dispatcher(db, sender, Clock(factory.now)).run_once()
    [row] = await _rows(db)
    assert report.retried == 1 and row.status == OutboxStatus.PENDING
    assert row.last_error == "RuntimeError: bug"


async def test_sending_respects_global_and_per_chat_limits(
    db: Database, factory: Factory, sender: FakeSender
) -> None:
    # Scaled down 5x so the test is quick: 150 msg/s overall, 0.2 s between messages per chat
    # (the strict rule: no burst). The times checked are the moments the limiter granted,
    # taken from its own clock: a loaded CPU delays what happens after a grant, not the grant.
    people = await factory.citizens(4)
    for _ in range(5):
        await _queue(db, people, due_at=factory.now)
    granted: list[tuple[int, float]] = []
    limiter = RateLimiter(
        per_second=150,
        per_chat_interval=0.2,
        per_chat_burst=1,
        on_grant=lambda chat, at, _priority: granted.append((chat, at)),
    )
    dispatcher = _dispatcher(db, sender, Clock(factory.now), limiter=limiter, concurrency=6)

    report = await dispatcher.run_once()

    assert report.sent == 20 and len(granted) == 20
    for chat, grants in itertools.groupby(sorted(granted), key=lambda grant: grant[0]):
        times = [at for _, at in grants]
        gaps = [b - a for a, b in itertools.pairwise(times)]
        assert min(gaps) >= 0.2 - 0.01, f"chat {chat}: {gaps}"
    starts = sorted(at for _, at in granted)
    assert starts[-1] - starts[0] >= 19 / 150 - 0.01  # 20 sends need 19 slot intervals


async def test_officer_answers_go_before_reminders_and_broadcasts(
    db: Database, factory: Factory, sender: FakeSender
) -> None:
    people = await factory.citizens(6)
    async with db.transaction() as session:
        for index, person in enumerate(people):
            kind, template = [
                (OutboxKind.BROADCAST, Template.BROADCAST),
                (OutboxKind.REMINDER, Template.REMINDER),
                (OutboxKind.NOTICE, Template.HANDOFF_REPLY),
            ][index % 3]
            queue_message(
                session,
                citizen=await session.get_one(Citizen, person.id),
                kind=kind,
                template=template,
                params={"text": "x"},
                due_at=factory.now - timedelta(minutes=index),  # older rows first by time
            )
    granted: list[int] = []
    limiter = RateLimiter(
        per_second=100, on_grant=lambda chat, _at, _priority: granted.append(chat)
    )
    limiter.pause(0.5)  # every worker is waiting when the first slot opens
    dispatcher = _dispatcher(db, sender, Clock(factory.now), limiter=limiter, concurrency=6)

    assert (await dispatcher.run_once()).sent == 6

    order = [people.index(next(p for p in people if p.telegram_user_id == c)) % 3 for c in granted]
    assert order == [2, 2, 1, 1, 0, 0]  # officers' answers, reminders, broadcasts


async def test_two_dispatchers_never_send_the_same_row(db: Database, factory: Factory) -> None:
    people = await factory.citizens(60)
    await _queue(db, people, due_at=factory.now)
    first, second = FakeSender(), FakeSender()
    clock = Clock(factory.now)
    reports = await asyncio.gather(
        _dispatcher(db, first, clock, batch_size=5).run_once(),
        _dispatcher(db, second, clock, batch_size=5).run_once(),
    )
    chats = [m.chat_id for m in first.sent + second.sent]
    assert sorted(chats) == sorted(p.telegram_user_id for p in people)  # type: ignore[type-var]
    assert sum(r.sent for r in reports) == 60


async def test_row_claimed_on_another_host_is_resent_after_its_lease(
    db: Database, factory: Factory, sender: FakeSender
) -> None:
    citizen = await factory.citizen()
    [row_id] = await _queue(db, [citizen], due_at=factory.now)
    async with db.transaction() as session:
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id)
            .values(
                status=OutboxStatus.SENDING,
                claim_token="x",
                claimed_by="elsewhere:1",
                lease_until=factory.now + timedelta(seconds=60),
                attempts=1,
            )
        )
    clock = Clock(factory.now + timedelta(seconds=30))
    assert (await _dispatcher(db, sender, clock).run_once()).sent == 0  # lease still valid
    clock.now = factory.now + timedelta(seconds=61)
    assert (await _dispatcher(db, sender, clock).run_once()).sent == 1
    [row] = await _rows(db)
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 2)


async def test_kick_drains_in_the_background(
    db: Database, factory: Factory, sender: FakeSender
) -> None:
    await _queue(db, await factory.citizens(3), due_at=factory.now)
    dispatcher = _dispatcher(db, sender, Clock(factory.now))
    dispatcher.kick()
    dispatcher.kick()  # while running: asks for one more pass, starts nothing new
    await dispatcher.wait_idle()
    assert len(sender.sent) == 3


async def test_scheduler_runs_the_dispatcher_at_start_up(
    db: Database, factory: Factory, sender: FakeSender
) -> None:
    await _queue(db, await factory.citizens(2), due_at=factory.now - timedelta(hours=1))
    dispatcher = _dispatcher(db, sender, Clock(factory.now))
    scheduler = build_scheduler(dispatcher, interval_seconds=60)
    scheduler.start()
    try:
        for _ in range(100):
            if len(sender.sent) == 2:
                break
            await asyncio.sleep(0.05)
    finally:
        scheduler.shutdown(wait=False)
        await dispatcher.aclose()
    assert len(sender.sent) == 2
