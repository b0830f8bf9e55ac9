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
from bot.dashboard.tarpit import Tarpit
from bot.dashboard.templating import build_environment
from bot.dashboard.views import (
    answers,
    attendance,
    audit,
    auth,
    broadcast,
    citizens,
    events,
    handoff,
    knowledge,
    nlu,
    office_hours,
    overview,
    password,
    registrations,
    try_bot,
)
from bot.db.engine import Database
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.store import KnowledgeStore, LiveKnowledgeBase
from bot.proxy import TrustedProxies
from bot.security_headers import SecurityHeaders, SecurityPolicy
from bot.services.password_hashing import HashingPool, shared_pool
from bot.services.reporting import export_pool
from bot.settings import Settings
from bot.texts import dashboard as t

STATIC_DIR = Path(__file__).resolve().parent / "static"
_EVENT = "/events/{event_id:int}"
_CITIZEN = "/citizens/{citizen_id:int}"

#: The dashboard's pages: only its own scripts, styles and images; never framed; never cached
#: (they show personal data). Static files get the same policy but may be cached.
_PAGE_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        b"frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    ),
]
_NO_STORE = (b"cache-control", b"no-store")


class _DashboardHeaders:
    """The dashboard's CSP on every response (static files too), no-store on all but files;
    the rest (nosniff, framing, referrer, HSTS) comes from bot.security_headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_static = scope.get("path", "").startswith(scope.get("root_path", "") + "/static/")
        extra = _PAGE_HEADERS if is_static else [*_PAGE_HEADERS, _NO_STORE]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                message["headers"] = headers + [(n, v) for n, v in extra if n not in present]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _routes() -> list[BaseRoute]:
    return [
        Route("/", page(auth.home), name="home"),
        Route("/login", page(auth.login_form, public=True), name="login"),
        Route("/login", action(auth.login, public=True), methods=["POST"], name="login_submit"),
        Route("/logout", action(auth.logout, roles=EVERYONE), methods=["POST"], name="logout"),
        Route("/overview", page(overview.overview), name="overview"),
        # events: everyone reads; officers change their commune's, admins every one
        # (views.events checks the ownership of each event)
        Route("/events", page(events.event_list), name="events"),
        Route("/events", action(events.create_event, roles=CHANGERS), methods=["POST"],
              name="event_create"),
        Route("/events/new", page(events.new_event_form, roles=CHANGERS), name="event_new"),
        Route(_EVENT, page(events.event_detail), name="event_detail"),
        Route(_EVENT, action(events.update_event, roles=CHANGERS), methods=["POST"],
              name="event_update"),
        Route(_EVENT + "/edit", page(events.edit_event_form, roles=CHANGERS), name="event_edit"),
        Route(_EVENT + "/status", action(events.set_event_status, roles=CHANGERS),
              methods=["POST"], name="event_status"),
        Route(_EVENT + "/cancel", action(events.cancel_event, roles=CHANGERS), methods=["POST"],
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
        Route("/handoff/{ticket_id:int}/assign", action(handoff.assign, roles=CHANGERS),
              methods=["POST"], name="handoff_assign"),
        Route("/handoff/hours", page(office_hours.hours_form, roles=CHANGERS),
              name="office_hours"),
        Route("/handoff/hours", action(office_hours.save_hours, roles=CHANGERS),
              methods=["POST"], name="office_hours_save"),
        Route("/handoff/{ticket_id:int}/resend/{message_id:int}",
              action(handoff.resend, roles=CHANGERS), methods=["POST"], name="handoff_resend"),
        Route("/nlu", page(nlu.review_list), name="nlu"),
        Route("/nlu/{item_id:int}/label", action(nlu.label, roles=CHANGERS), methods=["POST"],
              name="nlu_label"),
        Route("/nlu/export.yml", page(nlu.export_yaml), name="nlu_export"),
        # broadcasts: officers reach their commune's citizens, admins everyone's
        Route("/broadcast", page(broadcast.broadcast_form, roles=CHANGERS), name="broadcast"),
        Route("/broadcast/preview", action(broadcast.preview, roles=CHANGERS), methods=["POST"],
              name="broadcast_preview"),
        Route("/broadcast/send", action(broadcast.send, roles=CHANGERS), methods=["POST"],
              name="broadcast_send"),
        # citizens: inside the commune scope (another commune's citizen is "not found")
        Route(_CITIZEN, page(citizens.citizen_page), name="citizen"),
        Route(_CITIZEN, action(citizens.update_profile, roles=CHANGERS), methods=["POST"],
              name="citizen_update"),
        Route(_CITIZEN + "/notes", action(citizens.add_note, roles=CHANGERS), methods=["POST"],
              name="citizen_note"),
        Route(_CITIZEN + "/duplicates/{other_id:int}", action(citizens.decide_duplicate,
              roles=CHANGERS), methods=["POST"], name="citizen_duplicate"),
        Route("/try-bot", page(try_bot.try_page, roles=CHANGERS), name="try_bot"),
        Route("/try-bot", action(try_bot.send, roles=CHANGERS), methods=["POST"],
              name="try_bot_send"),
        # the audit log: officers read their commune's part, admins all of it
        Route("/audit", page(audit.audit_log, roles=CHANGERS), name="audit"),
        # knowledge: admins edit facts and answers, officers their commune's contact answer
        Route("/knowledge", page(knowledge.knowledge_home, roles=CHANGERS), name="knowledge"),
        Route("/knowledge/export.yml", page(knowledge.export_yaml, roles=ADMINS),
              name="knowledge_export"),
        Route("/knowledge/facts/{fact}", page(knowledge.fact_form, roles=ADMINS),
              name="knowledge_fact"),
        Route("/knowledge/facts/{fact}/preview", action(knowledge.fact_preview, roles=ADMINS),
              methods=["POST"], name="knowledge_fact_preview"),
        Route("/knowledge/facts/{fact}/publish", action(knowledge.fact_publish, roles=ADMINS),
              methods=["POST"], name="knowledge_fact_publish"),
        Route("/knowledge/answers/{intent}", page(knowledge.answer_form, roles=CHANGERS),
              name="knowledge_answer"),
        Route("/knowledge/answers/{intent}/preview", action(knowledge.answer_preview),
              methods=["POST"], name="knowledge_answer_preview"),
        Route("/knowledge/answers/{intent}/publish", action(knowledge.answer_publish),
              methods=["POST"], name="knowledge_answer_publish"),
        Route("/knowledge/versions/{version_id:int}/rollback", action(knowledge.rollback),
              methods=["POST"], name="knowledge_rollback"),
        Route("/sessions", page(auth.session_list, roles=ADMINS), name="sessions"),
        Route("/password", page(password.password_form), name="password"),
        Route("/password", action(password.change_password, roles=EVERYONE), methods=["POST"],
              name="password_change"),
        Route("/answers", page(answers.stops_page), name="answers"),
        Route("/answers", action(answers.toggle, roles=ADMINS), methods=["POST"],
              name="answers_toggle"),
        Route("/sessions/{session_id:int}/revoke", action(auth.revoke, roles=ADMINS),
              methods=["POST"], name="session_revoke"),
        Mount("/static", StaticFiles(directory=STATIC_DIR), name="static"),
    ]  # fmt: skip


async def _not_found(request: Request, _exc: Exception) -> Response:
    state: DashboardState = request.app.state.dashboard
    ctx = Ctx(request, state, state.sessions.load(request), None)
    return await ctx.render("error.html", status=404, message=t.ERROR_NOT_FOUND)


def _knowledge_store(
    knowledge: KnowledgeBase | KnowledgeStore | None, db: Database
) -> KnowledgeStore:
    if isinstance(knowledge, KnowledgeStore):
        return knowledge
    if isinstance(knowledge, LiveKnowledgeBase):
        return knowledge.store
    return KnowledgeStore(db)


def create_dashboard_app(
    *,
    db: Database,
    settings: Settings,
    try_bot: Callable[[str, int], Awaitable[list[str]]] | None = None,
    bot_username: str | None = None,
    message_counter: Callable[[datetime], Awaitable[int]] | None = None,
    knowledge: KnowledgeBase | KnowledgeStore | None = None,
    hashing: HashingPool | None = None,
    exports: export_pool.ExportPool | None = None,
) -> Starlette:
    """The staff dashboard.

    `try_bot(text, chat_id)` runs a message through the bot's pipeline and returns the reply
    texts (Telegram HTML); without it the "try the bot" page says the bot is not connected.
    `bot_username` makes the deep links of the QR posters. `message_counter(since)` returns
    how many citizen messages the bot received since then, for the NLU fallback rate.
    `knowledge` is the bot's live knowledge (or its store): edits published here reach the
    bot at once. Without it the dashboard keeps its own store over the same database, and a
    bot in another process sees the edits at its next poll. `exports` builds the export files
    (default: the process's shared pool, stopped by `export_pool.shutdown_shared`).
    """
    app = Starlette(routes=_routes(), exception_handlers={404: _not_found})

    # A table page builds a few thousand links; asking each route in turn (Starlette's
    # router) costs more than the rest of the page, so a named route is asked directly.
    named = {route.name: route for route in app.routes if isinstance(route, Route)}

    def route_path(name: str, params: Any) -> str:
        route = named.get(name)
        if route is not None:
            return str(route.url_path_for(name, **params))
        return str(app.router.url_path_for(name, **params))

    proxies = TrustedProxies.parse(settings.trusted_proxies)
    app.state.dashboard = DashboardState(
        db=db,
        settings=settings,
        sessions=SessionCodec(dashboard_secret(settings), proxies),
        templates=build_environment(),
        proxies=proxies,
        hashing=hashing or shared_pool(),
        try_bot=try_bot,
        bot_username=bot_username,
        message_counter=message_counter,
        knowledge=_knowledge_store(knowledge, db),
        route_names=route_path,
        exports=exports or export_pool.shared_pool(),
        tarpit=Tarpit(hold_seconds=settings.login_refusal_hold_seconds),
    )
    app.add_middleware(_DashboardHeaders)  # inner: its CSP is set first and kept
    app.add_middleware(
        SecurityHeaders,
        policy=SecurityPolicy(https_only=settings.served_over_https, proxies=proxies),
    )
    return app
