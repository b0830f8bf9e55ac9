"""Emergency stop of the assistant's answers: everyone sees what is stopped, admins toggle.

The state and the audit are services.answer_stops; the chat side is bot.answer_pause.
"""

from __future__ import annotations

from starlette.responses import Response

from bot.dashboard.core import Ctx
from bot.services import answer_stops
from bot.services.actors import staff as staff_actor
from bot.services.clock import utcnow
from bot.texts import dashboard as t


async def stops_page(ctx: Ctx) -> Response:
    async with ctx.db.transaction() as session:
        stopped = await answer_stops.stopped_topics(session)
    topics = [answer_stops.ALL, *answer_stops.TOPICS]
    return await ctx.render(
        "answers.html", topics=topics, stopped=stopped, all_topic=answer_stops.ALL
    )


async def toggle(ctx: Ctx) -> Response:
    """Stop or resume one topic (or all answers); audited by the service."""
    topic = ctx.field("topic")
    action = ctx.field("action")
    if action not in ("stop", "resume") or (
        topic != answer_stops.ALL and topic not in answer_stops.TOPICS
    ):
        ctx.flash(t.ANSWERS_UNKNOWN, "error")
        return ctx.redirect(ctx.url("answers"))
    change = answer_stops.stop if action == "stop" else answer_stops.resume
    async with ctx.db.transaction() as session:
        await change(session, topic=topic, actor=staff_actor(ctx.me.login), now=utcnow())
    label = t.ANSWER_TOPICS[topic]
    ctx.flash((t.ANSWERS_STOPPED if action == "stop" else t.ANSWERS_RESUMED).format(topic=label))
    return ctx.redirect(ctx.url("answers"))
