"""Try the bot: an officer writes as a citizen and reads exactly what the bot answers.

The message goes through the callable the composition root injected, which runs the same
pipeline as a Telegram update (NLU, flows, knowledge). Each staff member talks from a chat id
of their own far above real Telegram ids (those have at most 52 significant bits), so the
conversation state of a test chat never mixes with a citizen's.
"""

from __future__ import annotations

import logging

from starlette.responses import JSONResponse, Response

from bot.dashboard import telegram_html
from bot.dashboard.core import Ctx
from bot.dashboard.forms import nfc
from bot.texts import dashboard as t

log = logging.getLogger(__name__)

TRY_BOT_CHAT_ID_BASE = 2**52
MAX_TEXT = 1000


def chat_id_for(staff_id: int) -> int:
    return TRY_BOT_CHAT_ID_BASE + staff_id


async def try_page(ctx: Ctx) -> Response:
    return await ctx.render(
        "try_bot.html", connected=ctx.state.try_bot is not None, exchange=None, error=None
    )


async def send(ctx: Ctx) -> Response:
    """Post one message; JSON for the page's script, a full page without JavaScript."""
    wants_json = "application/json" in ctx.request.headers.get("accept", "")
    text = nfc(ctx.field("text"))[:MAX_TEXT]
    bot = ctx.state.try_bot
    error = None
    replies: list[str] = []
    if bot is None:
        error = t.TRY_NOT_CONNECTED
    elif text:
        try:
            replies = await bot(text, chat_id_for(ctx.me.id))
        except Exception:  # the page must report any pipeline failure, not crash with it
            log.exception("dashboard: try-bot pipeline failed for staff %s", ctx.me.id)
            error = t.TRY_FAILED
    rendered = [telegram_html.render(reply) for reply in replies] or (
        [] if error or not text else [telegram_html.render(t.TRY_NO_REPLY)]
    )
    if wants_json:
        return JSONResponse(
            {"text": text, "replies": [str(r) for r in rendered], "error": error},
            status_code=200 if error is None else 503,
        )
    return await ctx.render(
        "try_bot.html",
        status=200 if error is None else 503,
        connected=bot is not None,
        exchange={"text": text, "replies": rendered} if text else None,
        error=error,
    )
