"""A bot process for benchmarks and multi-process tests: `running(...)` against any Bot API.

    python -m tests.support.bot_process

Settings come from the environment as for `python -m bot run` (DATABASE_URL, NLU_HOST,
NLU_PORT, WEB_PORT, DASHBOARD_SECRET_KEY, ...), plus where the Bot API is and, for webhook
mode, the URL Telegram should call:
    BOT_API_TOKEN, BOT_API_BASE_URL   the stand-in's token and base URL (required)
    LOCAL_WEBHOOK_URL, LOCAL_WEBHOOK_SECRET   webhook mode with a plain-http URL on loopback
                                       (a reverse proxy in front, or this process itself)
`python -m bot run` only accepts an https WEBHOOK_URL (Telegram's rule); the stand-in accepts
http on loopback, which is what these set-ups use. SIGTERM stops it gracefully.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal

from bot.application import BotApi, running
from bot.settings import Settings
from bot.web import WebhookConfig


async def serve() -> None:
    settings = Settings()
    base = os.environ["BOT_API_BASE_URL"].rstrip("/")
    api = BotApi(os.environ["BOT_API_TOKEN"], base, base.removesuffix("/bot") + "/file/bot")
    webhook = None
    if os.environ.get("LOCAL_WEBHOOK_SECRET"):
        webhook = WebhookConfig(
            os.environ["LOCAL_WEBHOOK_SECRET"], os.environ.get("LOCAL_WEBHOOK_URL") or None
        )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    async with running(settings, api=api, webhook=webhook):
        print("ready", flush=True)
        await asyncio.Event().wait()


def main() -> None:
    logging.basicConfig(
        level=os.environ.get("LOG_LEVEL", "WARNING"),
        format="%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s",
    )
    loop = asyncio.new_event_loop()
    task = loop.create_task(serve())
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, task.cancel)
    with contextlib.suppress(asyncio.CancelledError):
        loop.run_until_complete(task)
    loop.close()


if __name__ == "__main__":
    main()
