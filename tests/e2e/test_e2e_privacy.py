"""/riengtu: what is stored, and "Xóa dữ liệu của tôi" after a confirmation."""

from __future__ import annotations

import pytest
from e2e_helpers import Person
from sqlalchemy import select

from bot.application import Running
from bot.db.models import Citizen

pytestmark = pytest.mark.usefixtures("bot")


@pytest.fixture
def nlu_url() -> str:
    return "http://127.0.0.1:9"


async def test_delete_my_data_after_confirming(bot: Running, person: Person) -> None:
    await person.agree()
    info = await person.command("riengtu")
    assert "Bạn đã đồng ý lúc" in info.text and "Xóa dữ liệu của tôi" in info.button_texts

    confirm = await person.press("Xóa dữ liệu của tôi")
    assert "không hoàn tác được" in confirm.text
    done = await person.press("Có, xóa hết")

    assert "Đã xóa dữ liệu cá nhân của bạn" in done.text
    async with bot.db.transaction() as session:
        [citizen] = (await session.scalars(select(Citizen))).all()
    assert citizen.erased_at is not None
    assert citizen.telegram_user_id is None and citizen.full_name is None
    assert citizen.consent_at is None
    after = await person.command("riengtu")
    assert "không lưu thông tin cá nhân nào" in after.text


async def test_keeping_my_data(bot: Running, person: Person) -> None:
    await person.agree()
    await person.command("riengtu")
    await person.press("Xóa dữ liệu của tôi")

    kept = await person.press("Không xóa")

    assert "giữ nguyên" in kept.text
    async with bot.db.transaction() as session:
        [citizen] = (await session.scalars(select(Citizen))).all()
    assert citizen.erased_at is None and citizen.telegram_user_id == person.user_id
