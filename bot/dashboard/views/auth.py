"""Signing in and out. Failed attempts are throttled per login and per address."""

from __future__ import annotations

import logging
import math

from starlette.responses import Response

from bot.dashboard.core import Ctx
from bot.services import staff
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


async def login(ctx: Ctx) -> Response:
    """Check the password; on success a fresh session (and CSRF token) for the account."""
    login_name = ctx.field("login").lower()
    password = ctx.field("password")
    address = ctx.request.client.host if ctx.request.client else "unknown"
    throttle = ctx.state.throttle
    wait = throttle.retry_after(login=login_name, address=address)
    if wait > 0:
        log.warning("dashboard: login throttled for %s", address)
        message = t.LOGIN_THROTTLED.format(minutes=math.ceil(wait / 60))
        return await ctx.render(
            "login.html", status=429, next=ctx.field("next"), login=login_name, error=message
        )
    async with ctx.db.transaction() as session:
        user = await staff.authenticate(session=session, login=login_name, password=password)
        version = staff.password_version(user) if user else ""
        user_id = user.id if user else None
    if user_id is None:
        throttle.failed(login=login_name, address=address)
        log.info("dashboard: failed login from %s", address)
        return await ctx.render(
            "login.html", status=401, next=ctx.field("next"), login=login_name, error=t.LOGIN_FAILED
        )
    throttle.succeeded(login=login_name)
    ctx.session.sign_in(user_id, version)
    log.info("dashboard: staff %s signed in", user_id)
    return ctx.redirect(_safe_next(ctx, ctx.field("next")))


async def logout(ctx: Ctx) -> Response:
    """End the session; the browser keeps only an anonymous one (for the login form)."""
    ctx.session.sign_in(0, "")
    ctx.session.user_id = None
    ctx.flash(t.LOGGED_OUT, "info")
    return ctx.redirect(ctx.url("login"))


async def home(ctx: Ctx) -> Response:
    return ctx.redirect(ctx.url("overview"))
