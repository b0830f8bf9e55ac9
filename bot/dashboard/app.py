"""The dashboard as one Starlette app, mounted by the web app at /staff.

Every route is wrapped by `core.page` or `core.action` (session, role, CSRF); the role each
route needs is stated here, in one table, so it can be reviewed at a glance. URLs are built
from route names plus the mount's root_path, so the app works at /staff, behind a proxy
prefix, or at / in tests.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.dashboard.core import (
    ADMINS,
    CHANGERS,
    EVERYONE,
    Ctx,
    DashboardState,
    action,
    page,
)
from bot.dashboard.secret import dashboard_secret
from bot.dashboard.session import SessionCodec
from bot.dashboard.templating import build_environment
from bot.dashboard.views import (
    attendance,
    audit,
    auth,
    broadcast,
    events,
    handoff,
    nlu,
    overview,
    registrations,
    try_bot,
)
from bot.db.engine import Database
from bot.services.staff import LoginThrottle
from bot.settings import Settings
from bot.texts import dashboard as t

STATIC_DIR = Path(__file__).resolve().parent / "static"
_EVENT = "/events/{event_id:int}"

_SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        b"frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    ),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
]


class _SecurityHeaders:
    """Headers for every response: no framing, no foreign scripts, no caching of personal data."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_static = scope.get("path", "").startswith(scope.get("root_path", "") + "/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start" and not is_static:
                message["headers"] = list(message.get("headers", [])) + _SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _routes() -> list[BaseRoute]:
    return [
        Route("/", page(auth.home), name="home"),
        Route("/login", page(auth.login_form, public=True), name="login"),
        Route("/login", action(auth.login, public=True), methods=["POST"], name="login_submit"),
        Route("/logout", action(auth.logout, roles=EVERYONE), methods=["POST"], name="logout"),
        Route("/overview", page(overview.overview), name="overview"),
        # events: everyone reads; only admins change (events are district-wide)
        Route("/events", page(events.event_list), name="events"),
        Route("/events", action(events.create_event, roles=ADMINS), methods=["POST"],
              name="event_create"),
        Route("/events/new", page(events.new_event_form, roles=ADMINS), name="event_new"),
        Route(_EVENT, page(events.event_detail), name="event_detail"),
        Route(_EVENT, action(events.update_event, roles=ADMINS), methods=["POST"],
              name="event_update"),
        Route(_EVENT + "/edit", page(events.edit_event_form, roles=ADMINS), name="event_edit"),
        Route(_EVENT + "/status", action(events.set_event_status, roles=ADMINS),
              methods=["POST"], name="event_status"),
        Route(_EVENT + "/cancel", action(events.cancel_event, roles=ADMINS), methods=["POST"],
              name="event_cancel"),
        Route(_EVENT + "/attendance", page(attendance.attendance_sheet), name="attendance"),
        Route(_EVENT + "/poster", page(events.event_poster), name="poster"),
        # registrations: officers act inside their commune; viewers read and export
        Route("/registrations", page(registrations.registration_list), name="registrations"),
        Route("/registrations/export.csv", page(registrations.export_csv), name="export_csv"),
        Route("/registrations/export.xlsx", page(registrations.export_xlsx), name="export_xlsx"),
        Route("/registrations/decide", action(registrations.decide, roles=CHANGERS),
              methods=["POST"], name="registrations_decide"),
        Route("/handoff", page(handoff.inbox), name="handoff"),
        Route("/handoff/{ticket_id:int}/reply", action(handoff.reply, roles=CHANGERS),
              methods=["POST"], name="handoff_reply"),
        Route("/handoff/{ticket_id:int}/close", action(handoff.close, roles=CHANGERS),
              methods=["POST"], name="handoff_close"),
        Route("/handoff/{ticket_id:int}/resend/{message_id:int}",
              action(handoff.resend, roles=CHANGERS), methods=["POST"], name="handoff_resend"),
        Route("/nlu", page(nlu.review_list), name="nlu"),
        Route("/nlu/{item_id:int}/label", action(nlu.label, roles=CHANGERS), methods=["POST"],
              name="nlu_label"),
        Route("/nlu/export.yml", page(nlu.export_yaml), name="nlu_export"),
        # broadcasts reach every commune's citizens: admins only
        Route("/broadcast", page(broadcast.broadcast_form, roles=ADMINS), name="broadcast"),
        Route("/broadcast/preview", action(broadcast.preview, roles=ADMINS), methods=["POST"],
              name="broadcast_preview"),
        Route("/broadcast/send", action(broadcast.send, roles=ADMINS), methods=["POST"],
              name="broadcast_send"),
        Route("/try-bot", page(try_bot.try_page, roles=CHANGERS), name="try_bot"),
        Route("/try-bot", action(try_bot.send, roles=CHANGERS), methods=["POST"],
              name="try_bot_send"),
        Route("/audit", page(audit.audit_log, roles=ADMINS), name="audit"),
        Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
    ]  # fmt: skip


async def _not_found(request: Request, _exc: Exception) -> Response:
    state: DashboardState = request.app.state.dashboard
    ctx = Ctx(request, state, state.sessions.load(request), None)
    return await ctx.render("error.html", status=404, message=t.ERROR_NOT_FOUND)


def create_dashboard_app(
    *,
    db: Database,
    settings: Settings,
    try_bot: Callable[[str, int], Awaitable[list[str]]] | None = None,
    bot_username: str | None = None,
    message_counter: Callable[[datetime], Awaitable[int]] | None = None,
) -> Starlette:
    """The staff dashboard.

    `try_bot(text, chat_id)` runs a message through the bot's pipeline and returns the reply
    texts (Telegram HTML); without it the "try the bot" page says the bot is not connected.
    `bot_username` makes the deep links of the QR posters. `message_counter(since)` returns
    how many citizen messages the bot received since then, for the NLU fallback rate.
    """
    app = Starlette(routes=_routes(), exception_handlers={404: _not_found})

    def route_path(name: str, params: Any) -> str:
        return str(app.router.url_path_for(name, **params))

    app.state.dashboard = DashboardState(
        db=db,
        settings=settings,
        sessions=SessionCodec(dashboard_secret(settings)),
        templates=build_environment(),
        throttle=LoginThrottle(),
        try_bot=try_bot,
        bot_username=bot_username,
        message_counter=message_counter,
        route_names=route_path,
    )
    app.add_middleware(_SecurityHeaders)
    return app
