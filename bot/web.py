"""The one web app: Telegram's webhook, a health check, and the staff dashboard under /staff.

One server for everything public (as PTB's Starlette example does): in webhook mode Telegram
POSTs updates here and PTB runs with `updater=None`; the dashboard (bot.dashboard, when
present) is mounted by the composition root with `mount`. The webhook checks Telegram's
`X-Telegram-Bot-Api-Secret-Token` in constant time before reading the body, so a stranger who
finds the URL cannot inject updates. This module knows nothing of databases or the NLU: the
health probe is passed in.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp
from telegram import Update
from telegram.ext import Application

from bot.security_headers import SecurityHeaders, SecurityPolicy
from bot.settings import Settings

log = logging.getLogger(__name__)

SECRET_HEADER: Final = "X-Telegram-Bot-Api-Secret-Token"
HEALTH_PATH: Final = "/healthz"
STAFF_PATH: Final = "/staff"
MAX_UPDATE_BYTES: Final = 1_000_000  # Telegram updates are a few KB; refuse anything absurd

DEFAULT_WEBHOOK_PATH: Final = "/telegram/webhook"
_SECRET_TOKEN: Final = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what Telegram accepts

AnyApplication = Application[Any, Any, Any, Any, Any, Any]
# (healthy, details): healthy decides 200 or 503; details are shown as JSON.
HealthProbe = Callable[[], Awaitable[tuple[bool, Mapping[str, Any]]]]


@dataclass(frozen=True)
class WebhookConfig:
    """Webhook mode: Telegram POSTs to `url` and proves itself with `secret_token`.

    `url=None` means this web server's own address, which only the local stand-in can reach
    (it accepts plain http on loopback); Telegram needs the public https URL of WEBHOOK_URL.
    """

    secret_token: str
    url: str | None = None

    def __post_init__(self) -> None:
        if not _SECRET_TOKEN.fullmatch(self.secret_token):
            raise ValueError("WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -")

    @property
    def path(self) -> str:
        return (urlsplit(self.url).path if self.url else "") or DEFAULT_WEBHOOK_PATH

    @classmethod
    def from_settings(cls, settings: Settings) -> WebhookConfig | None:
        if not settings.webhook_url:
            return None
        if not settings.webhook_secret:
            raise ValueError(
                "WEBHOOK_URL is set but WEBHOOK_SECRET is not: without it anyone who learns "
                "the URL could send the bot fake updates"
            )
        return cls(settings.webhook_secret, settings.webhook_url)


@dataclass(frozen=True)
class WebhookEndpoint:
    """Where Telegram POSTs updates, the secret it must send, and who gets them."""

    path: str
    secret_token: str
    application: AnyApplication


class _WebApp(Starlette):
    """Starlette with the security headers outside its error handling, so that every
    response, a 500 page included, carries them (bot.security_headers)."""

    def __init__(self, *, policy: SecurityPolicy, **kwargs: Any) -> None:
        self._policy = policy
        super().__init__(**kwargs)

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeaders(super().build_middleware_stack(), self._policy)


def create_web_app(
    *,
    health: HealthProbe,
    webhook: WebhookEndpoint | None = None,
    mounts: Mapping[str, ASGIApp] | None = None,
    policy: SecurityPolicy | None = None,
) -> Starlette:
    """The ASGI app: /healthz, the webhook route (webhook mode), and mounted sub-apps."""
    routes = [Route(HEALTH_PATH, _health_route(health), methods=["GET"])]
    if webhook is not None:
        routes.append(Route(webhook.path, _webhook_route(webhook), methods=["POST"]))
    app = _WebApp(routes=routes, policy=policy or SecurityPolicy())
    for path, sub_app in (mounts or {}).items():
        mount(app, path, sub_app)
    return app


def mount(app: Starlette, path: str, sub_app: ASGIApp) -> None:
    """Serve `sub_app` under `path` (e.g. the dashboard at /staff); fixed routes come first.

    The server runs without ASGI lifespan events, so a mounted app must be ready when built.
    """
    if not path.startswith("/") or path == "/":
        raise ValueError(f"mount path must be a sub-path like /staff, got {path!r}")
    app.mount(path, sub_app)


def _health_route(health: HealthProbe) -> Callable[[Request], Awaitable[Response]]:
    async def healthz(request: Request) -> Response:
        healthy, details = await health()
        return JSONResponse(
            {"status": "ok" if healthy else "unavailable", **details},
            status_code=200 if healthy else 503,
        )

    return healthz


class SeenUpdates:
    """Update ids this process has taken, so a redelivery is answered without a second run.

    Telegram delivers an update again when the first POST gets no answer in time, which a
    webhook that answers only once processed can cause on a slow moment: the same "Đồng ý" or
    "/huy" must not run twice. A redelivery of an update still running waits for it; one that
    finished is answered at once. Bounded: the last `capacity` ids are remembered. Another
    process behind the proxy does not share this memory; a redelivery there is the rare,
    accepted at-least-once case (see bot.web `_webhook_route`).
    """

    def __init__(self, capacity: int = 4096) -> None:
        self._capacity = capacity
        self._running: dict[int, asyncio.Future[None]] = {}
        self._done: OrderedDict[int, None] = OrderedDict()

    async def run_once(self, update_id: int, work: Callable[[], Awaitable[None]]) -> bool:
        """Run `work` unless this update was taken already; True when it ran here."""
        if update_id in self._done:
            return False
        running = self._running.get(update_id)
        if running is not None:
            await asyncio.shield(running)
            return False
        finished: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._running[update_id] = finished
        try:
            await work()
        finally:
            del self._running[update_id]
            self._done[update_id] = None
            while len(self._done) > self._capacity:
                self._done.popitem(last=False)
            finished.set_result(None)
        return True


def _webhook_route(endpoint: WebhookEndpoint) -> Callable[[Request], Awaitable[Response]]:
    expected = endpoint.secret_token.encode()
    seen = SeenUpdates()

    async def telegram_webhook(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            log.warning("webhook call without the right secret token refused")
            return Response(status_code=403)
        body = await request.body()
        if len(body) > MAX_UPDATE_BYTES:
            return Response(status_code=413)
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):  # RecursionError: absurdly deep nesting
            return Response(status_code=400)
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            return Response(status_code=400)
        application = endpoint.application
        try:
            update = Update.de_json(data, application.bot)
        except Exception:  # any shape PTB cannot read is a bad request, never a 500
            log.warning("webhook: update %s refused (unreadable)", data.get("update_id"))
            return Response(status_code=400)
        # Answered once processed, not when queued: if this process dies meanwhile, Telegram
        # gets no 200 and delivers the update again (to the other process behind the proxy),
        # so no update is lost; a reply may then go twice (at least once). Telegram keeps up
        # to max_connections updates in flight, and the update processor runs different
        # people concurrently and each person's in order (bot.update_processor).

        async def process() -> None:
            try:
                await application.update_processor.process_update(
                    update, application.process_update(update)
                )
            except Exception:  # the error handler has seen it; a redelivery would fail the same
                log.exception("webhook update %s failed", update.update_id)

        if not await seen.run_once(update.update_id, process):
            log.info("webhook update %s delivered again: already taken", update.update_id)
        return Response()

    return telegram_webhook
