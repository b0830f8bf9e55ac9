"""Webhook delivery: POST each pending update to the bot until it answers 2xx.

Like Telegram, an update leaves the queue only after a successful answer; anything else is
recorded in getWebhookInfo (`last_error_*`) and retried after an increasing pause, so a bot
that answers 500 once still gets the update — exactly once. Like Telegram, up to the
webhook's `max_connections` (setWebhook, default 40) updates are in flight at once, handed
out in order: a bot that answers only once it has processed an update (so a crash loses
nothing) is not reduced to one update at a time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from http import HTTPStatus
from typing import Any

import httpx

from telegram_standin.limits import Stats
from telegram_standin.world import WebhookConfig, World, now

_LOGGER = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass(frozen=True)
class RetryPolicy:
    """Backoff between attempts: `first_delay`, times `factor` each failure, capped."""

    first_delay: float = 0.1
    factor: float = 2.0
    max_delay: float = 5.0
    request_timeout: float = 10.0


class WebhookSender:
    """Runs as one task next to the HTTP server; hands updates out in order, up to
    `max_connections` at a time."""

    def __init__(self, world: World, stats: Stats, policy: RetryPolicy | None = None) -> None:
        self.world = world
        self.stats = stats
        self.policy = policy or RetryPolicy()
        self._delay = self.policy.first_delay
        self._in_flight: dict[int, asyncio.Task[None]] = {}

    def _next_job(self) -> tuple[WebhookConfig, dict[str, Any]] | None:
        world = self.world
        if not world.webhook.url or len(self._in_flight) >= world.webhook.max_connections:
            return None
        for update in world.updates:
            if update["update_id"] not in self._in_flight:
                return replace(world.webhook), update
        return None

    async def run(self) -> None:
        world = self.world
        limits = httpx.Limits(max_connections=None, max_keepalive_connections=100)
        async with httpx.AsyncClient(timeout=self.policy.request_timeout, limits=limits) as client:
            try:
                while not world.closing:
                    job = await world.wait_until(self._next_job, timeout=3600)
                    if job is None:
                        continue
                    config, update = job
                    self._in_flight[update["update_id"]] = asyncio.create_task(
                        self._attempt(client, config, update)
                    )
            finally:
                for task in self._in_flight.values():
                    task.cancel()

    async def _attempt(
        self, client: httpx.AsyncClient, config: WebhookConfig, update: dict[str, Any]
    ) -> None:
        try:
            if await self._deliver(client, config, update):
                self._delay = self.policy.first_delay
                return
            # Sleep, but wake at once if the webhook is changed or removed.
            delay = self._delay
            self._delay = min(delay * self.policy.factor, self.policy.max_delay)
            await self.world.wait_until(self._webhook_changed(config.generation), delay)
        finally:
            self._in_flight.pop(update["update_id"], None)
            self.world.notify()

    def _webhook_changed(self, generation: int) -> Callable[[], bool | None]:
        return lambda: self.world.webhook.generation != generation or None

    async def _deliver(
        self, client: httpx.AsyncClient, config: WebhookConfig, update: dict[str, Any]
    ) -> bool:
        headers = {SECRET_HEADER: config.secret_token} if config.secret_token else {}
        self.stats.webhook_attempts += 1
        try:
            response = await client.post(config.url, json=update, headers=headers)
        except httpx.TimeoutException:
            return self._failed("Read timeout expired")
        except httpx.HTTPError as exc:
            return self._failed(f"Connection failed: {type(exc).__name__}")
        if 200 <= response.status_code < 300:
            if update in self.world.updates:
                self.world.updates.remove(update)
            self.stats.webhook_deliveries += 1
            self.world.notify()
            return True
        try:
            reason = HTTPStatus(response.status_code).phrase
        except ValueError:
            reason = ""
        status = f"{response.status_code} {reason}".strip()
        return self._failed(f"Wrong response from the webhook: {status}")

    def _failed(self, message: str) -> bool:
        hook = self.world.webhook
        hook.last_error_date = now()
        hook.last_error_message = message
        self.stats.webhook_failures += 1
        _LOGGER.info("webhook delivery failed: %s", message)
        self.world.notify()
        return False
