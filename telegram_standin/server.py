"""Entry point for the process supervisor: run the stand-in until cancelled.

`bot.runner` starts this when no TELEGRAM_BOT_TOKEN is set, then points the bot at
`base_url(host, port)` with the same token, and the terminal chat at `control_url(...)`.
"""

from __future__ import annotations

import asyncio
import logging

from telegram_standin.limits import RateLimits
from telegram_standin.standin import BotApiStandIn

_LOGGER = logging.getLogger(__name__)


def base_url(host: str, port: int) -> str:
    """What the bot passes to `ApplicationBuilder().base_url(...)`."""
    return f"http://{host}:{port}/bot"


def control_url(host: str, port: int) -> str:
    """What `python -m bot chat --url` expects."""
    return f"http://{host}:{port}"


async def serve(host: str, port: int, *, token: str, rate_limits: RateLimits | None = None) -> None:
    """Serve the Bot API stand-in on host:port forever; returns only by cancellation."""
    standin = BotApiStandIn(token=token, host=host, port=port, rate_limits=rate_limits)
    await standin.start()
    _LOGGER.info(
        "Bot API stand-in listening on %s (bot @%s)", standin.url, standin.world.bot.username
    )
    try:
        await asyncio.Event().wait()
    finally:
        await standin.stop()
