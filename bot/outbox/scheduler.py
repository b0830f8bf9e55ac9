"""APScheduler wiring only: a timer that triggers the outbox dispatcher.

What is due lives in the database (outbox rows with `next_attempt_at`), so the scheduler keeps
no state worth persisting and a restart loses nothing: the first run happens at start-up and
picks up whatever fell due while the bot was down (reminders for events that have already
started are skipped by the dispatcher). The job only kicks the dispatcher, which drains in its
own task; a long drain (thousands of reminders at 30 per second) therefore never makes
APScheduler skip runs or warn.
"""

from __future__ import annotations

from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.outbox.dispatcher import Dispatcher

DISPATCH_JOB_ID = "outbox-dispatch"


async def _kick(dispatcher: Dispatcher) -> None:
    dispatcher.kick()


def build_scheduler(
    dispatcher: Dispatcher,
    *,
    interval_seconds: float = 5.0,
    timezone: str = "Asia/Ho_Chi_Minh",
) -> AsyncIOScheduler:
    """A scheduler (not started) that kicks `dispatcher` now and every `interval_seconds`."""
    scheduler = AsyncIOScheduler(timezone=timezone)
    scheduler.add_job(
        _kick,
        IntervalTrigger(seconds=interval_seconds, timezone=timezone),
        args=[dispatcher],
        id=DISPATCH_JOB_ID,
        name="send due outbox messages",
        next_run_time=datetime.now(UTC),
        max_instances=1,
        coalesce=True,
        replace_existing=True,
    )
    return scheduler
