"""What every dashboard route shares: the signed-in staff member, CSRF, rendering, redirects.

Routes are plain `async def view(ctx) -> Response` functions wrapped by `page` (GET) or
`action` (POST). The wrappers, not the views, check the session, the role and the CSRF
token, so no route can forget them: `action` refuses a form without a valid token before
anything else runs, and refuses viewers unless the route says otherwise.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment
from sqlalchemy.exc import DataError
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from bot.dashboard.session import CSRF_FIELD, SessionCodec, SessionData
from bot.dashboard.tarpit import Tarpit
from bot.db.engine import Database
from bot.db.enums import StaffRole
from bot.knowledge.store import KnowledgeStore
from bot.proxy import TrustedProxies
from bot.services import reporting, staff, staff_sessions
from bot.services.clock import utcnow
from bot.services.password_hashing import HashingPool
from bot.services.reporting.export_pool import ExportPool, shared_pool
from bot.services.staff import StaffIdentity
from bot.settings import Settings
from bot.texts import dashboard as t

log = logging.getLogger(__name__)

TryBot = Callable[[str, int], Awaitable[list[str]]]
MessageCounter = Callable[[Any], Awaitable[int]]

EVERYONE: frozenset[StaffRole] = frozenset(StaffRole)
CHANGERS: frozenset[StaffRole] = frozenset({StaffRole.ADMIN, StaffRole.OFFICER})
ADMINS: frozenset[StaffRole] = frozenset({StaffRole.ADMIN})


@dataclass
class DashboardState:
    """Everything the routes need, built once by `create_dashboard_app`."""

    db: Database
    settings: Settings
    sessions: SessionCodec
    templates: Environment
    proxies: TrustedProxies
    hashing: HashingPool
    try_bot: TryBot | None
    bot_username: str | None
    message_counter: MessageCounter | None
    route_names: Callable[[str, Mapping[str, Any]], str] = field(repr=False)
    # The knowledge the bot answers from (seed YAML + published edits); None hides the pages.
    knowledge: KnowledgeStore | None = None
    # Builds export files in a worker process, off the event loop the bot shares.
    exports: ExportPool = field(default_factory=shared_pool)
    # Holds refused sign-ins' answers (a guessing script slows to one try per hold).
    tarpit: Tarpit = field(default_factory=lambda: Tarpit(hold_seconds=0.0))


class DashboardError(Exception):
    """Stop the view and show an error page with this status and message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def not_found() -> DashboardError:
    return DashboardError(404, t.ERROR_NOT_FOUND)


@dataclass
class Ctx:
    request: Request
    state: DashboardState
    session: SessionData
    staff: StaffIdentity | None
    form: FormData | None = None

    @property
    def me(self) -> StaffIdentity:
        """The signed-in staff member (the wrappers guarantee one outside public routes)."""
        assert self.staff is not None
        return self.staff

    @property
    def db(self) -> Database:
        return self.state.db

    @property
    def client_address(self) -> str:
        """The browser's address (X-Forwarded-For only from trusted proxies)."""
        return self.state.proxies.client_address(self.request.scope)

    def url(self, name: str, query: Mapping[str, Any] | None = None, **params: Any) -> str:
        """Path of a named route under wherever the dashboard is mounted, plus a query."""
        path = self.request.scope.get("root_path", "") + self.state.route_names(name, params)
        pairs = [(k, v) for k, v in (query or {}).items() if v not in (None, "", [])]
        return f"{path}?{urlencode(pairs, doseq=True)}" if pairs else path

    def field(self, name: str, default: str = "") -> str:
        value = self.form.get(name) if self.form is not None else None
        return value.strip() if isinstance(value, str) else default

    def fields(self, name: str) -> list[str]:
        if self.form is None:
            return []
        return [value for value in self.form.getlist(name) if isinstance(value, str)]

    def flash(self, message: str, kind: str = "ok") -> None:
        self.session.flash(kind, message)

    def redirect(self, url: str) -> Response:
        return RedirectResponse(url, status_code=303)

    async def render(self, template: str, status: int = 200, **context: Any) -> Response:
        counters = None
        if self.staff is not None:
            async with self.db.transaction() as session:
                counters = await reporting.counters(session, scope=self.staff.commune_scope)
        html = self.state.templates.get_template(template).render(
            url=self.url,
            me=self.staff,
            csrf=self.session.csrf,
            csrf_field=CSRF_FIELD,
            flashes=self.session.pop_flashes(),
            counters=counters,
            current=self.request.url.path,
            **context,
        )
        return HTMLResponse(html, status_code=status)


View = Callable[[Ctx], Awaitable[Response]]
Endpoint = Callable[[Request], Awaitable[Response]]


async def _current_staff(state: DashboardState, session: SessionData) -> StaffIdentity | None:
    """The staff member of a live server-side session (see bot.dashboard.session)."""
    if session.token is None:
        return None
    async with state.db.transaction() as db_session:
        user_id = await staff_sessions.user_for_token(db_session, session.token, now=utcnow())
        if user_id is None:
            return None
        user = await staff.load_active(db_session, user_id)
        if user is None or staff.password_version(user) != session.password_version:
            return None
        return staff.identity(user)


#: Ids are 32-bit integer columns; a larger id cannot exist (and PostgreSQL would refuse it).
MAX_ID = 2**31 - 1


def _bad_request_input(request: Request, form: FormData | None) -> tuple[int, str] | None:
    """(status, message) when the path, query or form cannot be meant: huge ids, NUL bytes."""
    for value in request.path_params.values():
        if isinstance(value, int) and not 0 <= value <= MAX_ID:
            return 404, t.ERROR_NOT_FOUND
    values = [v for _, v in request.query_params.multi_items()]
    if form is not None:
        values += [v for _, v in form.multi_items() if isinstance(v, str)]
    if any("\x00" in value for value in values):
        return 400, t.ERROR_BAD_REQUEST
    return None


async def _error_page(ctx: Ctx, status: int, message: str) -> Response:
    return await ctx.render("error.html", status=status, message=message)


def _wrap(view: View, *, roles: Collection[StaffRole], public: bool, post: bool) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        state: DashboardState = request.app.state.dashboard
        session = state.sessions.load(request)
        ctx = Ctx(request, state, session, None)
        if post:
            ctx.form = await request.form()
            if not session.valid_csrf(ctx.form.get(CSRF_FIELD)):
                log.warning("dashboard: refused %s without a valid CSRF token", request.url.path)
                response = await _error_page(ctx, 403, t.ERROR_CSRF)
                state.sessions.save(request, response, session)
                return response
        problem = _bad_request_input(request, ctx.form)
        ctx.staff = await _current_staff(state, session)
        if problem is not None and (ctx.staff is not None or public):
            response = await _error_page(ctx, *problem)
        elif ctx.staff is None and not public:
            if session.token is not None:
                session.sign_out()
                session.flash("info", t.SESSION_EXPIRED)
            target = request.url.path if not post else ""
            response = ctx.redirect(ctx.url("login", {"next": target}))
        elif ctx.staff is not None and not public and ctx.staff.role not in roles:
            response = await _error_page(ctx, 403, t.ERROR_FORBIDDEN)
        else:
            try:
                response = await view(ctx)
            except DashboardError as error:
                response = await _error_page(ctx, error.status, error.message)
            except (ValueError, OverflowError, DataError) as error:
                # Input no check foresaw (a number PostgreSQL cannot store, a date Python
                # cannot represent): the request is wrong, not the server.
                log.warning(
                    "dashboard: bad input on %s (%s)", request.url.path, type(error).__name__
                )
                response = await _error_page(ctx, 400, t.ERROR_BAD_REQUEST)
        if session.modified:
            state.sessions.save(request, response, session)
        return response

    endpoint.__name__ = view.__name__
    endpoint.__doc__ = view.__doc__
    return endpoint


def page(view: View, *, roles: Collection[StaffRole] = EVERYONE, public: bool = False) -> Endpoint:
    """A GET route: signed in with one of `roles` (viewers included by default)."""
    return _wrap(view, roles=roles, public=public, post=False)


def action(
    view: View, *, roles: Collection[StaffRole] = CHANGERS, public: bool = False
) -> Endpoint:
    """A POST route: valid CSRF token first, then signed in with one of `roles`."""
    return _wrap(view, roles=roles, public=public, post=True)
