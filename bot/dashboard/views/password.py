"""Changing one's own password: the current one first (throttled like a sign-in), the new one
must pass the policy, and every other session of the account ends.

The current password is checked by services.staff_login.sign_in, so guessing it from a
stolen session meets the same throttle and audit as guessing at the login form; the new hash
is made in the hashing pool, off the event loop.
"""

from __future__ import annotations

from starlette.responses import Response

from bot.dashboard.core import Ctx
from bot.services import staff, staff_login, staff_sessions
from bot.services.actors import staff as staff_actor
from bot.services.clock import utcnow
from bot.services.staff_login import Outcome
from bot.texts import dashboard as t


async def password_form(ctx: Ctx) -> Response:
    return await ctx.render("password.html", error=None)


async def change_password(ctx: Ctx) -> Response:
    me = ctx.me
    current, new, again = ctx.field("current")[:1024], ctx.field("new")[:1024], ctx.field("again")
    if new != again[:1024]:
        return await ctx.render("password.html", status=400, error=t.PASSWORD_MISMATCH)
    checked = await staff_login.sign_in(
        ctx.db,
        login=me.login,
        password=current,
        address=ctx.client_address,
        trusted_device=ctx.state.sessions.trusted_device(ctx.request, me.login),
        pool=ctx.state.hashing,
    )
    if checked.outcome is not Outcome.SIGNED_IN or checked.session_token is None:
        status = {Outcome.THROTTLED: 429, Outcome.BUSY: 503}.get(checked.outcome, 400)
        return await ctx.render("password.html", status=status, error=t.PASSWORD_WRONG_CURRENT)
    now = utcnow()
    try:
        staff.check_password(new, login=me.login, full_name=me.full_name)
    except staff.AccountRefused as refused:
        async with ctx.db.transaction() as session:
            await staff_sessions.revoke_token(
                session, checked.session_token, now=now, reason="check_only"
            )
        message = t.ACCOUNT_PROBLEMS[refused.problem.value].format(
            min=staff.MIN_PASSWORD_LENGTH, max=staff.MAX_PASSWORD_LENGTH
        )
        return await ctx.render("password.html", status=400, error=message)
    hashed = await ctx.state.hashing.run(lambda: staff.hash_password(new))
    async with ctx.db.transaction() as session:
        user = await staff.set_password(
            session=session,
            login=me.login,
            password=new,
            actor=staff_actor(me.login),
            now=now,
            hashed=hashed,
        )
        token = await staff_sessions.open_session(
            session, user_id=user.id, now=now, address=ctx.client_address
        )
        version = staff.password_version(user)
    ctx.session.sign_in(token, version)  # this browser stays signed in; every other one ends
    ctx.flash(t.PASSWORD_CHANGED)
    return ctx.redirect(ctx.url("overview"))
