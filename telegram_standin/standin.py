"""`BotApiStandIn`: the local Telegram Bot API, in-process, for tests, benchmarks and the sandbox.

    async with BotApiStandIn() as standin:
        app = ApplicationBuilder().token(standin.token).base_url(standin.base_url).build()
        citizen = standin.create_citizen(first_name="Lan")
        standin.send_command(citizen.user_id, "start")
        menu = await standin.wait_for_message(citizen.user_id)

It is the `Simulator` (people, reading, waiting, faults) plus the HTTP server and the
webhook sender, all running as tasks in the caller's event loop.
"""

from __future__ import annotations

import asyncio
import contextlib

from bot.asgi_server import LocalServer
from telegram_standin.engine import DEFAULT_TOKEN, Engine
from telegram_standin.http_app import build_app
from telegram_standin.limits import RateLimits
from telegram_standin.simulation import Simulator
from telegram_standin.webhook import RetryPolicy, WebhookSender


class BotApiStandIn(Simulator):
    """A Bot API server on 127.0.0.1 with the simulation API attached."""

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        host: str = "127.0.0.1",
        port: int = 0,
        bot_first_name: str = "Trợ lý An sinh",
        bot_username: str = "tro_ly_an_sinh_bot",
        rate_limits: RateLimits | None = None,
        webhook_retry: RetryPolicy | None = None,
        strict_html_entities: bool = True,
    ) -> None:
        super().__init__(
            Engine(
                token=token,
                bot_first_name=bot_first_name,
                bot_username=bot_username,
                rate_limits=rate_limits,
                strict_html_entities=strict_html_entities,
            )
        )
        self._server = LocalServer(build_app(self), host=host, port=port)
        self._sender = WebhookSender(self.world, self.stats, webhook_retry)
        self._sender_task: asyncio.Task[None] | None = None

    @property
    def token(self) -> str:
        return self.engine.token

    @property
    def bot_id(self) -> int:
        return self.world.bot.user_id

    @property
    def port(self) -> int:
        return self._server.port

    @property
    def url(self) -> str:
        """Root URL; the control surface is under `{url}/_sandbox/`."""
        return self._server.url

    @property
    def base_url(self) -> str:
        """For `ApplicationBuilder().base_url(...)`: PTB appends the token."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """For `ApplicationBuilder().base_file_url(...)` (downloads via getFile)."""
        return f"{self.url}/file/bot"

    async def start(self) -> None:
        self.world.closing = False
        await self._server.start()
        self._sender_task = asyncio.create_task(self._sender.run(), name="standin:webhook")

    async def stop(self) -> None:
        """Wake long polls so they answer at once, then stop the sender and the server."""
        self.world.closing = True
        self.world.notify()
        if self._sender_task is not None:
            self._sender_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sender_task
            self._sender_task = None
        await self._server.stop()

    async def __aenter__(self) -> BotApiStandIn:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()
