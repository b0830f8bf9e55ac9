"""A person's short-lived conversation memory, kept in the database so any process can serve them.

The chat face keeps a small JSON-safe dict per person (bot.chat.memory: unclear messages in a
row, the question awaited for an officer, what to do after consent, the last topic). The
composition root loads it before each update of that person and saves it after
(bot.application); one update per person runs at a time in a process
(bot.update_processor). Empty memory is no row. Texts in it are personal data: /riengtu
clears the memory (and so deletes the row) and `forget_stale` deletes what nobody touched for
a day.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import ConversationMemory


async def load(session: AsyncSession, telegram_user_id: int) -> dict[str, Any]:
    """The person's memory (a copy), or an empty dict."""
    data = await session.scalar(
        select(ConversationMemory.data).where(
            ConversationMemory.telegram_user_id == telegram_user_id
        )
    )
    return dict(data) if isinstance(data, dict) else {}


async def save(
    session: AsyncSession, telegram_user_id: int, data: dict[str, Any], *, now: datetime
) -> None:
    """Replace the person's memory; an empty one deletes the row."""
    row = await session.get(ConversationMemory, telegram_user_id)
    if not data:
        if row is not None:
            await session.delete(row)
        return
    if row is None:
        row = ConversationMemory(telegram_user_id=telegram_user_id, data=data, updated_at=now)
        session.add(row)
    else:
        row.data = dict(data)
        row.updated_at = now


async def forget_stale(session: AsyncSession, *, older_than: datetime) -> int:
    """Delete memories untouched since `older_than`; returns how many."""
    result = await session.execute(
        delete(ConversationMemory)
        .where(ConversationMemory.updated_at < older_than)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
