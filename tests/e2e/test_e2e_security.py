"""Through the real bot and the Bot API stand-in: erasure takes back the staff-chat notice;
the staff's emergency stop silences a topic's answers and nothing else."""

from __future__ import annotations

import pytest
from e2e_helpers import Person

from bot.application import Running
from bot.services import answer_stops
from bot.services.actors import staff
from bot.services.citizens import get_citizen_by_telegram_id
from bot.services.clock import utcnow
from bot.services.communes import QUANG_TAN
from telegram_standin import BotApiStandIn

pytestmark = pytest.mark.usefixtures("bot")


@pytest.fixture
def nlu_url() -> str:
    return "http://127.0.0.1:9"  # keywords are enough here (and fast)


async def test_erasing_my_data_deletes_the_staff_chat_notice_with_my_id_number(
    standin: BotApiStandIn, staff_chat: int, person: Person
) -> None:
    await person.agree()
    await person.command("canbo")
    await person.say(
        "Tôi ở xã Đầm Hà, số CCCD của tôi là 022190001234, hồ sơ trợ cấp của tôi đến đâu rồi?"
    )
    notice = await standin.wait_for_message(
        staff_chat, lambda m: "022190001234" in (m.text or ""), since=0
    )
    await person.command("riengtu")
    await person.press("Xóa dữ liệu của tôi")
    done = await person.press("Có, xóa hết")
    assert "Đã xóa dữ liệu cá nhân của bạn" in done.text

    await standin.wait_until(
        lambda: standin.world.message(staff_chat, notice.message_id).deleted or None, 10
    )
    visible = [m.text for m in standin.messages(staff_chat) if not m.deleted]
    assert not any("022190001234" in (text or "") for text in visible)


async def test_a_stopped_topic_gets_the_maintenance_notice_and_the_rest_still_works(
    bot: Running, person: Person
) -> None:
    await person.agree()
    async with bot.db.transaction() as session:
        citizen = await get_citizen_by_telegram_id(session=session, telegram_user_id=person.user_id)
        assert citizen is not None
        citizen.commune = QUANG_TAN
        await answer_stops.stop(session, topic="allowance", actor=staff("lan"), now=utcnow())

    paused = await person.say("trợ cấp bao nhiêu")
    assert "Trợ lý đang bảo trì phần này" in paused.text
    assert "UBND xã Quảng Tân" in paused.text and "Nguồn:" not in paused.text

    housing = await person.say("nhà tạm được hỗ trợ bao nhiêu")
    assert "Nguồn:" in housing.text and "bảo trì" not in housing.text

    registration = await person.say("đăng ký học nghề")
    assert "bảo trì" not in registration.text

    async with bot.db.transaction() as session:
        await answer_stops.resume(session, topic="allowance", actor=staff("lan"), now=utcnow())
    answered = await person.say("trợ cấp bao nhiêu")
    assert "Nguồn:" in answered.text
