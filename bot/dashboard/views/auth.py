"""Signing in and out, and the admins' list of open sessions.

Throttling, hashing and sessions are services.staff_login / staff_sessions; this module only
reads the form, the client address (trusted proxies only) and the device cookie, and words the
outcome.
"""

from __future__ import annotations

import logging
import math

from starlette.responses import Response

from bot.dashboard.core import Ctx, not_found
from bot.services import audit, staff_login, staff_sessions
from bot.services.actors import staff as staff_actor
from bot.services.clock import utcnow
from bot.services.staff_login import Outcome
from bot.texts import dashboard as t

log = logging.getLogger(__name__)


def _safe_next(ctx: Ctx, target: str) -> str:
    """Only a path inside the dashboard: an open redirect would help phishing."""
    root = ctx.request.scope.get("root_path", "")
    if target.startswith(root + "/") and not target.startswith("//") and "\\" not in target:
        return target
    return ctx.url("overview")


async def login_form(ctx: Ctx) -> Response:
    """The sign-in form (already signed in: straight to the overview)."""
    if ctx.staff is not None:
        return ctx.redirect(ctx.url("overview"))
    return await ctx.render(
        "login.html", next=ctx.request.query_params.get("next", ""), login="", error=None
    )


def _wait_text(seconds: float) -> str:
    if seconds < 60:
        return t.LOGIN_THROTTLED_SECONDS.format(seconds=max(1, math.ceil(seconds)))
    return t.LOGIN_THROTTLED.format(minutes=math.ceil(seconds / 60))


async def login(ctx: Ctx) -> Response:
    """Check the password; on success a fresh server-side session and CSRF token."""
    login_name = ctx.field("login").lower()[:80]
    password = ctx.field("password")[:1024]
    address = ctx.client_address
    sessions = ctx.state.sessions
    result = await staff_login.sign_in(
        ctx.db,
        login=login_name,
        password=password,
        address=address,
        trusted_device=sessions.trusted_device(ctx.request, login_name),
        pool=ctx.state.hashing,
    )
    if result.outcome is not Outcome.SIGNED_IN or result.session_token is None:
        status, error = 401, t.LOGIN_FAILED
        if result.outcome is Outcome.THROTTLED:
            log.warning("dashboard: login throttled (%.0f s)", result.retry_after)
            status, error = 429, _wait_text(result.retry_after)
        elif result.outcome is Outcome.BUSY:
            status, error = 503, t.LOGIN_BUSY
        if status != 401:
            await ctx.state.tarpit.hold(result.retry_after)
        response = await ctx.render(
            "login.html", status=status, next=ctx.field("next"), login=login_name, error=error
        )
        if status != 401:
            response.headers["Retry-After"] = str(max(1, math.ceil(result.retry_after)))
        return response
    assert result.user is not None
    ctx.session.sign_in(result.session_token, result.password_version)
    log.info("dashboard: staff %s signed in", result.user.id)
    response = ctx.redirect(_safe_next(ctx, ctx.field("next")))
    device = sessions.trusted_device(ctx.request, result.user.login)
    sessions.remember_device(ctx.request, response, result.user.login, device)
    return response


async def logout(ctx: Ctx) -> Response:
    """End the server-side session; the browser keeps only an anonymous one (for the form)."""
    if ctx.session.token is not None:
        async with ctx.db.transaction() as session:
            await staff_sessions.revoke_token(
                session, ctx.session.token, now=utcnow(), reason="logout"
            )
    ctx.session.sign_out()
    ctx.flash(t.LOGGED_OUT, "info")
    return ctx.redirect(ctx.url("login"))


async def home(ctx: Ctx) -> Response:
    return ctx.redirect(ctx.url("overview"))


async def session_list(ctx: Ctx) -> Response:
    """Admins: every open session, with a button to end it."""
    async with ctx.db.transaction() as session:
        live = await staff_sessions.live_sessions(session, now=utcnow())
    return await ctx.render("sessions.html", sessions=live)


async def revoke(ctx: Ctx) -> Response:
    """Admins: end one session at once (audited)."""
    session_id = int(ctx.request.path_params["session_id"])
    now = utcnow()
    async with ctx.db.transaction() as session:
        row = await staff_sessions.revoke_session(session, session_id, now=now, reason="admin")
        if row is None:
            raise not_found()
        audit.record(
            session,
            actor=staff_actor(ctx.me.login),
            action="staff.session_revoke",
            entity_type="staff_user",
            entity_id=row.staff_user_id,
            before=None,
            after={"session_id": session_id},
            at=now,
        )
    ctx.flash(t.SESSION_REVOKED.format(id=session_id))
    return ctx.redirect(ctx.url("sessions"))
