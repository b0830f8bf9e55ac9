"""The outbox dispatcher: sends due rows within Telegram's limits and records the outcome.

Delivery guarantee: **at least once**, with one small window for duplicates. Each row is
claimed in its own short transaction, sent, and marked `sent` with Telegram's message id in
another short transaction right after Telegram answers. If the process dies after Telegram has
accepted a message but before that commit (a few milliseconds: the HTTP response travelling
back plus one commit), the row is still `sending`; once its lease expires, or at once when the
dead process was on this host (`recover_orphans`), it is sent again and the citizen gets that
message twice. A timeout while Telegram did process the request has the same effect. Nothing
is ever lost: a row leaves `sending` only as `sent`, `failed` (with the reason), `skipped` or
back to `pending`. Telegram offers no idempotency key for sendMessage, so "exactly once" is not
achievable; the window is kept to a single commit and tested (tests/outbox).

Outcomes per row:
- sent: `sent`, `telegram_message_id`, `sent_at`.
- 429 `RetryAfter`: the limiter pauses all sending for `retry_after`; the row is due again
  then and the attempt is not counted.
- 403 `RecipientBlocked`: the citizen is marked unreachable, their other pending rows are
  cancelled, this row is `failed` — no retries.
- 400 `PermanentSendError`: `failed` at once (a retry would get the same answer).
- anything else: retried with exponential backoff; after `max_attempts` it is `failed` with the
  last error.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.db.engine import Database
from bot.db.enums import OutboxKind, OutboxStatus
from bot.outbox import store
from bot.outbox.port import (
    MessageSender,
    PermanentSendError,
    RecipientBlocked,
    RetryAfter,
)
from bot.outbox.queue import Renderer, Template
from bot.outbox.rate_limit import Priority, RateLimiter
from bot.services import retraction
from bot.services.citizens import mark_unreachable
from bot.services.clock import utcnow

log = logging.getLogger(__name__)


def priority_of(message: store.ClaimedMessage) -> Priority:
    """Officers' answers before reminders and notices, broadcasts last (see rate_limit)."""
    if message.template == Template.HANDOFF_REPLY.value:
        return Priority.OFFICER_ANSWER
    if message.kind == OutboxKind.BROADCAST:
        return Priority.BROADCAST
    return Priority.REMINDER


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    base_delay: timedelta = timedelta(seconds=10)
    max_delay: timedelta = timedelta(hours=1)
    jitter: float = 0.1  # ± fraction, so retries after an outage do not arrive in one burst

    def delay(self, attempts: int) -> timedelta:
        """Wait before attempt `attempts + 1`: base × 2^(attempts-1), capped, with jitter."""
        raw: timedelta = min(self.base_delay * 2 ** max(attempts - 1, 0), self.max_delay)
        factor = 1 + random.uniform(-self.jitter, self.jitter)
        return raw * factor


@dataclass
class DispatchReport:
    sent: int = 0
    retried: int = 0
    rate_limited: int = 0
    blocked: int = 0
    failed: int = 0
    skipped: int = 0
    lost_claims: int = 0  # settle found the claim gone (lease taken over): possible duplicate
    errors: list[str] = field(default_factory=list)


class Dispatcher:
    """Drains the outbox; `run_once()` sends everything due, `kick()` does it in the background."""

    def __init__(
        self,
        db: Database,
        sender: MessageSender,
        *,
        renderer: Renderer,
        limiter: RateLimiter | None = None,
        retry: RetryPolicy | None = None,
        lease: timedelta = timedelta(seconds=60),
        send_timeout: float = 30.0,
        batch_size: int = 30,
        concurrency: int = 8,
        startup_pause: float = 1.0,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        if lease.total_seconds() <= send_timeout:
            raise ValueError(f"lease ({lease}) must be longer than send_timeout ({send_timeout}s)")
        self._db = db
        self._sender = sender
        self._render = renderer
        self.limiter = limiter or RateLimiter()
        self._retry = retry or RetryPolicy()
        self._lease = lease
        self._send_timeout = send_timeout
        self._batch_size = batch_size
        self._concurrency = concurrency
        self._clock = clock
        self._worker = store.worker_identity()
        self._task: asyncio.Task[None] | None = None
        self._again = False
        self._stopping = False
        self._following = False  # another process leads (bot.services.scheduler_lock)
        self._recovered = False
        self._startup_pause = startup_pause

    # -- running ---------------------------------------------------------------------------

    async def run_once(self) -> DispatchReport:
        """Send every row that is due now (and those that fall due meanwhile); then return."""
        report = DispatchReport()
        queue: asyncio.Queue[store.ClaimedMessage | None] = asyncio.Queue(self._batch_size)
        workers = [asyncio.create_task(self._work(queue, report)) for _ in range(self._concurrency)]
        try:
            await self._recover_once()
            while not self._stopping and not self._following:
                batch = await self._claim()
                if not batch:
                    break
                for message in batch:
                    await queue.put(message)
        finally:
            for _ in workers:
                await queue.put(None)
            await asyncio.gather(*workers)
        return report

    def follow(self) -> None:
        """Another process leads: claim nothing more (a drain under way finishes its rows)."""
        self._following = True

    def lead(self) -> None:
        """This process leads again: `kick` drains."""
        self._following = False

    def kick(self) -> None:
        """Start draining in the background, or ask the running drain for one more pass."""
        if self._stopping or self._following:
            return
        if self._task is not None and not self._task.done():
            self._again = True
            return
        self._task = asyncio.create_task(self._drain(), name="outbox-drain")

    async def wait_idle(self) -> None:
        """Wait for the background drain started by `kick()` (if any) to finish."""
        while self._task is not None and not self._task.done():
            await asyncio.shield(self._task)

    async def aclose(self, timeout: float = 10.0) -> None:
        """Stop claiming; let claimed rows finish (or hand them back), then return."""
        self._stopping = True
        if self._task is not None:
            try:
                await asyncio.wait_for(asyncio.shield(self._task), timeout)
            except TimeoutError:
                self._task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._task

    async def _drain(self) -> None:
        while True:
            self._again = False
            try:
                report = await self.run_once()
                if report.sent or report.failed or report.retried:
                    log.info("outbox drained: %s", report)
            except Exception:
                log.exception("outbox drain failed; the next trigger retries")
            if not self._again or self._stopping:
                return

    # -- database steps (each its own short transaction) -------------------------------------

    async def _recover_once(self) -> None:
        """At the first run: take back orphaned claims, and let the flood window age out.

        Telegram counts messages per bot, not per process: right after a restart the previous
        process's last second of sends still counts, so nothing goes out until `startup_pause`
        after the process started (a dispatcher that starts later does not pause at all).
        """
        if self._recovered:
            return
        self.limiter.pause_after_start(self._startup_pause)
        async with self._db.transaction() as session:
            freed = await store.recover_orphans(session, now=self._clock())
        self._recovered = True
        if freed:
            log.warning("took back %d outbox rows claimed by a dead dispatcher", freed)

    async def _claim(self) -> list[store.ClaimedMessage]:
        now = self._clock()
        async with self._db.transaction() as session:
            await store.skip_expired(session, now=now)
            return await store.claim_due(
                session, now=now, limit=self._batch_size, lease=self._lease, worker=self._worker
            )

    # -- one message ---------------------------------------------------------------------------

    async def _work(
        self, queue: asyncio.Queue[store.ClaimedMessage | None], report: DispatchReport
    ) -> None:
        while (message := await queue.get()) is not None:
            try:
                if self._stopping:
                    async with self._db.transaction() as session:
                        await store.release(session, [message], now=self._clock())
                    continue
                await self._deliver(message, report)
            except Exception as error:  # keep the worker alive; the lease brings the row back
                log.exception("outbox row %d: unexpected error", message.id)
                report.errors.append(f"{message.id}: {error!r}")

    async def _deliver(self, message: store.ClaimedMessage, report: DispatchReport) -> None:
        if message.chat_id is None:
            await self._finish(message, report, status=OutboxStatus.SKIPPED, error="no_chat")
            return
        if message.attempts > self._retry.max_attempts:
            await self._finish(message, report, error="too_many_attempts")
            return
        try:
            if message.kind is OutboxKind.RETRACT:  # take back a staff-chat notice (erasure)
                action = retraction.retract(self._sender, message.chat_id, message.params)
            else:
                rendered = self._render(message.template, message.params)
                action = self._sender.send(
                    chat_id=message.chat_id, text=rendered.text, buttons=rendered.buttons
                )
        except Exception as error:
            log.exception("outbox row %d: template %s failed", message.id, message.template)
            await self._finish(message, report, error=f"render_error: {error!r}")
            return
        try:
            async with self.limiter.sending(message.chat_id, priority_of(message)):
                message_id = await asyncio.wait_for(action, self._send_timeout)
        except RetryAfter as error:
            await self._rate_limited(message, report, error.seconds)
        except RecipientBlocked as error:
            await self._blocked(message, report, str(error))
        except PermanentSendError as error:
            await self._finish(message, report, error=f"permanent: {error}")
        except Exception as error:  # TransientSendError, timeouts, anything unexpected
            await self._transient(message, report, error)
        else:
            # The at-least-once window: Telegram has the message; commit before anything else.
            async with self._db.transaction() as session:
                kept = await store.mark_sent(
                    session, message, telegram_message_id=message_id, now=self._clock()
                )
            report.sent += 1
            if not kept:
                report.lost_claims += 1
                log.warning("outbox row %d sent but its claim was taken over", message.id)

    async def _finish(
        self,
        message: store.ClaimedMessage,
        report: DispatchReport,
        *,
        error: str,
        status: OutboxStatus = OutboxStatus.FAILED,
    ) -> None:
        async with self._db.transaction() as session:
            await store.mark_failed(session, message, error=error, now=self._clock(), status=status)
        if status == OutboxStatus.SKIPPED:
            report.skipped += 1
        else:
            report.failed += 1
            log.warning("outbox row %d failed: %s", message.id, error[:120])

    async def _rate_limited(
        self, message: store.ClaimedMessage, report: DispatchReport, seconds: float
    ) -> None:
        self.limiter.back_off(seconds)
        now = self._clock()
        async with self._db.transaction() as session:
            await store.mark_retry(
                session,
                message,
                at=now + timedelta(seconds=seconds),
                error="429 retry_after",
                now=now,
                count_attempt=False,
            )
        report.rate_limited += 1
        log.warning("Telegram flood control: pausing %.1f s (row %d)", seconds, message.id)

    async def _blocked(
        self, message: store.ClaimedMessage, report: DispatchReport, why: str
    ) -> None:
        now = self._clock()
        async with self._db.transaction() as session:
            await store.mark_failed(session, message, error=f"recipient_blocked: {why}", now=now)
            if message.citizen_id is not None:
                await mark_unreachable(
                    session=session, citizen_id=message.citizen_id, reason=why, now=now
                )
        report.blocked += 1

    async def _transient(
        self, message: store.ClaimedMessage, report: DispatchReport, error: BaseException
    ) -> None:
        reason = f"{type(error).__name__}: {error}"
        if message.attempts >= self._retry.max_attempts:
            await self._finish(message, report, error=reason)
            return
        now = self._clock()
        async with self._db.transaction() as session:
            await store.mark_retry(
                session,
                message,
                at=now + self._retry.delay(message.attempts),
                error=reason,
                now=now,
            )
        report.retried += 1
