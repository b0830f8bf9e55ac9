"""Where a citizen is in a flow, kept in the database (`conversation_states`).

PTB's own `ConversationHandler` keeps its state in memory (or in a pickle file written now and
then); a restart or crash mid-form would lose the citizen's answers. Here every step is
committed before the bot answers, so the next message after a restart continues at the same
step. A form left alone for `STATE_TTL` is dropped: someone who comes back days later starts
afresh instead of being trapped in a half-remembered form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select

from bot.db.engine import Database
from bot.db.models import ConversationState
from bot.services.clock import utcnow

STATE_TTL = timedelta(days=2)


@dataclass(frozen=True)
class FlowState:
    flow: str
    step: str
    data: dict[str, Any] = field(default_factory=dict)


async def load_state(
    db: Database, telegram_user_id: int, *, now: datetime | None = None
) -> FlowState | None:
    """The citizen's current flow, or None (none, or expired and now removed)."""
    now = now or utcnow()
    async with db.transaction() as session:
        row = await session.scalar(
            select(ConversationState).where(ConversationState.telegram_user_id == telegram_user_id)
        )
        if row is None:
            return None
        if row.updated_at is not None and now - row.updated_at > STATE_TTL:
            await session.delete(row)
            return None
        return FlowState(row.flow, row.step, dict(row.data or {}))


async def save_state(
    db: Database, telegram_user_id: int, state: FlowState, *, now: datetime | None = None
) -> None:
    """Create or replace the citizen's flow state (one per citizen: a new flow replaces)."""
    now = now or utcnow()
    async with db.transaction() as session:
        row = await session.scalar(
            select(ConversationState).where(ConversationState.telegram_user_id == telegram_user_id)
        )
        if row is None:
            row = ConversationState(telegram_user_id=telegram_user_id)
            session.add(row)
        row.flow = state.flow
        row.step = state.step
        row.data = dict(state.data)  # a new object, so SQLAlchemy sees the JSON change
        row.updated_at = now


async def clear_state(db: Database, telegram_user_id: int) -> bool:
    """Forget the citizen's flow; True if there was one."""
    async with db.transaction() as session:
        result = await session.execute(
            delete(ConversationState).where(ConversationState.telegram_user_id == telegram_user_id)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]
