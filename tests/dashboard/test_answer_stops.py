"""The emergency stop: admins stop and resume answers (audited); others only look."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.answer_pause import paused_reply
from bot.db.engine import Database
from bot.db.models import AuditEntry
from bot.services import answer_stops
from bot.services.actors import staff
from bot.services.clock import utcnow
from bot.services.communes import DAM_HA
from tests.dashboard.support import StaffClient
from tests.support.factories import Factory


async def test_topics_stop_alone_or_all_together_and_chit_chat_never(db: Database) -> None:
    async with db.transaction() as session:
        assert await answer_stops.stop(session, topic="housing", actor=staff("a"), now=utcnow())
        assert not await answer_stops.stop(session, topic="housing", actor=staff("a"), now=utcnow())
    async with db.transaction() as session:
        assert await answer_stops.is_stopped(session, "housing_amount")
        assert not await answer_stops.is_stopped(session, "allowance_amount")
        await answer_stops.stop(session, topic=answer_stops.ALL, actor=staff("a"), now=utcnow())
    async with db.transaction() as session:
        assert await answer_stops.is_stopped(session, "allowance_amount")
        assert await answer_stops.is_stopped(session, "contact_office")
        for intent in ("greet", "register_vocational", "my_registrations", "human_handoff"):
            assert not await answer_stops.is_stopped(session, intent)
    with pytest.raises(answer_stops.UnknownTopic):
        async with db.transaction() as session:
            await answer_stops.stop(session, topic="weather", actor=staff("a"), now=utcnow())


async def test_the_notice_names_the_commune_mentioned_or_the_persons_own(
    db: Database, factory: Factory
) -> None:
    person = await factory.citizen(commune=DAM_HA)
    assert await paused_reply(db, "allowance_amount", commune=None, telegram_user_id=None) is None
    async with db.transaction() as session:
        await answer_stops.stop(session, topic="allowance", actor=staff("a"), now=utcnow())
    own = await paused_reply(
        db, "allowance_amount", commune=None, telegram_user_id=person.telegram_user_id
    )
    named = await paused_reply(db, "allowance_payment", commune="Dực Yên", telegram_user_id=None)
    unknown = await paused_reply(db, "allowance_amount", commune=None, telegram_user_id=None)
    assert own is not None and "UBND xã Đầm Hà" in own
    assert named is not None and "UBND xã Quảng Tân" in named  # a former commune's new one
    assert unknown is not None and "UBND xã nơi bạn cư trú" in unknown
    assert await paused_reply(db, "greet", commune=None, telegram_user_id=None) is None


@pytest.mark.usefixtures("accounts")
async def test_admin_toggles_in_the_dashboard_audited_officers_only_see(
    signed_in, db: Database
) -> None:  # type: ignore[no-untyped-def]
    admin: StaffClient = await signed_in("admin")
    page = await admin.get("/answers")
    assert page.status_code == 200 and "Tạm dừng trả lời tự động" in page.text
    done = await admin.post("/answers", {"topic": "allowance", "action": "stop"})
    assert done.status_code == 303
    page = await admin.get("/answers")
    assert "Đã tạm dừng trả lời: Trợ cấp xã hội, mai táng phí, thẻ BHYT." in page.text
    assert "Đã tạm dừng (staff:admin" in page.text
    officer: StaffClient = await signed_in("canbo_dh")
    seen = await officer.get("/answers")
    assert "Đã tạm dừng (staff:admin" in seen.text and "Cho trả lời lại" not in seen.text
    refused = await officer.post("/answers", {"topic": "allowance", "action": "resume"})
    assert refused.status_code == 403
    assert (
        await admin.post("/answers", {"topic": "allowance", "action": "resume"})
    ).status_code == 303
    assert (await admin.post("/answers", {"topic": "x", "action": "stop"})).status_code == 303
    async with db.transaction() as session:
        assert await answer_stops.stopped_topics(session) == {}
        actions = (
            await session.scalars(
                select(AuditEntry.action).where(AuditEntry.entity_type == "answer_topic")
            )
        ).all()
    assert actions == ["answers.stop", "answers.resume"]
