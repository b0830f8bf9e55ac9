"""The dashboard's "try the bot": the citizen's pipeline, nothing stored; the message count."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.chat.preview import MessageCounter, Preview
from bot.db.engine import Database
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.services import answer_stops
from bot.services.actors import staff
from bot.services.clock import utcnow
from tests.support.databases import db, migrated_url

__all__ = ["db", "migrated_url"]


@pytest.fixture(scope="module")
def knowledge() -> KnowledgeBase:
    return load_knowledge()


async def test_preview_answers_with_sources_and_lists_the_buttons(knowledge: KnowledgeBase) -> None:
    preview = Preview(nlu=None, knowledge=knowledge, threshold=0.55)  # keywords only

    [reply] = await preview("tro cap bao nhieu", chat_id=1)

    assert "Nguồn:" in reply and "[Menu]" in reply


async def test_preview_shows_the_menu_when_nothing_is_understood(knowledge: KnowledgeBase) -> None:
    preview = Preview(nlu=None, knowledge=knowledge, threshold=0.55)

    [reply] = await preview("abc xyz", chat_id=1)

    assert "chưa hiểu" in reply and "[Hỗ trợ nhà ở] [Trợ cấp xã hội]" in reply


async def test_preview_shows_the_maintenance_notice_of_a_stopped_topic(
    knowledge: KnowledgeBase, db: Database
) -> None:
    """Officers trying the bot see what citizens see while the emergency stop is on."""
    preview = Preview(nlu=None, knowledge=knowledge, threshold=0.55, db=db)
    async with db.transaction() as session:
        await answer_stops.stop(session, topic="allowance", actor=staff("lan"), now=utcnow())

    [stopped] = await preview("tro cap bao nhieu", chat_id=1)

    assert "đang bảo trì" in stopped and "Nguồn:" not in stopped
    async with db.transaction() as session:
        await answer_stops.resume(session, topic="allowance", actor=staff("lan"), now=utcnow())
    [answered] = await preview("tro cap bao nhieu", chat_id=1)
    assert "Nguồn:" in answered


async def test_message_counter_counts_from_a_moment() -> None:
    counter = MessageCounter(keep=3)
    now = utcnow()
    for minutes in (50, 40, 30, 20):
        counter.record(now - timedelta(minutes=minutes))

    assert await counter(now - timedelta(minutes=35)) == 2
    assert await counter(now - timedelta(hours=2)) == 3  # only the newest `keep` are kept
