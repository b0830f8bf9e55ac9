"""Webhook delivery: POST each pending update to the bot until it answers 2xx.

Like Telegram, an update leaves the queue only after a successful answer; anything else is
recorded in getWebhookInfo (`last_error_*`) and retried after an increasing pause, so a bot
that answers 500 once still gets the update — exactly once.
"""

from __future__ import annotations

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
    """Runs as one task next to the HTTP server; delivers updates in order, one at a time."""

    def __init__(self, world: World, stats: Stats, policy: RetryPolicy | None = None) -> None:
        self.world = world
        self.stats = stats
        self.policy = policy or RetryPolicy()

    def _next_job(self) -> tuple[WebhookConfig, dict[str, Any]] | None:
        world = self.world
        if world.webhook.url and world.updates:
            return replace(world.webhook), world.updates[0]
        return None

    async def run(self) -> None:
        world = self.world
        delay = self.policy.first_delay
        async with httpx.AsyncClient(timeout=self.policy.request_timeout) as client:
            while not world.closing:
                job = await world.wait_until(self._next_job, timeout=3600)
                if job is None:
                    continue
                config, update = job
                if await self._deliver(client, config, update):
                    delay = self.policy.first_delay
                    continue
                # Sleep, but wake at once if the webhook is changed or removed.
                await world.wait_until(self._webhook_changed(config.generation), delay)
                delay = min(delay * self.policy.factor, self.policy.max_delay)

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
