""" "Đăng ký của tôi", cancelling, the waitlist moving up, reminder buttons, forged buttons."""

from __future__ import annotations

from datetime import timedelta

import pytest
from driver import GREETING, Harness
from sqlalchemy import select

from bot.db.enums import OutboxKind, OutboxStatus, RegistrationStatus
from bot.db.models import Citizen, OutboxMessage, Registration
from bot.outbox.queue import Template

pytestmark = pytest.mark.timeout(30)


async def _consented(harness: Harness, first_name: str) -> tuple[int, Citizen]:
    """A Telegram user who sent /start (so consented), and their citizen row."""
    user_id = harness.citizen(first_name)
    await harness.command(user_id, "start", expect=GREETING)
    async with harness.db.transaction() as session:
        person = await session.scalar(select(Citizen).where(Citizen.telegram_user_id == user_id))
    assert person is not None
    return user_id, person


async def _status(harness: Harness, registration_id: int) -> tuple[RegistrationStatus, int | None]:
    async with harness.db.transaction() as session:
        row = await session.get_one(Registration, registration_id)
        return row.status, row.waitlist_position


async def test_list_shows_status_local_time_venue_and_map(harness: Harness) -> None:
    starts = harness.factory.now.replace(hour=1, minute=30) + timedelta(days=5)  # 08:30 local
    event = await harness.factory.event(
        title="Phiên việc làm <tháng 12>", starts_at=starts, venue="Nhà văn hoá xã Đầm Hà"
    )
    lan, person = await _consented(harness, "Lan")
    await harness.factory.register(person, event)

    listing = await harness.command(lan, "dangky", expect="Đăng ký của bạn")
    text = listing.text or ""
    assert "Phiên việc làm <tháng 12>" in text and "Đã có chỗ" in text
    local = starts + timedelta(hours=7)
    assert local.strftime("%d/%m/%Y 08:30") in text
    assert "Nhà văn hoá xã Đầm Hà" in text
    assert any(e.get("url") == "https://maps.example/dam-ha" for e in listing.entities)
    assert listing.button_texts == ["Hủy 1. Phiên việc làm <tháng 12>"]


async def test_nothing_registered(harness: Harness) -> None:
    lan, _ = await _consented(harness, "Lan")
    await harness.command(lan, "dangky", expect="chưa có đăng ký nào")


async def test_waitlist_then_promotion_after_another_citizen_cancels(harness: Harness) -> None:
    event = await harness.factory.event(title="Lớp may công nghiệp", capacity=1)
    an, an_citizen = await _consented(harness, "An")
    await harness.factory.register(an_citizen, event)
    binh = harness.citizen("Bình")

    await harness.command(binh, "start", f"ev_{event.id}", expect="Họ và tên")
    await harness.say(binh, "Trần Văn Bình", expect="Số điện thoại")
    harness.standin.share_contact(binh)
    await harness.reply(binh, expect="sinh năm")
    await harness.say(binh, "1985", expect="xã nào")
    await harness.press(binh, "Xã Quảng Tân", expect="thuộc nhóm nào")
    await harness.press(binh, "Không thuộc nhóm nào", expect="kiểm tra lại")
    waitlisted = await harness.press(binh, "✅ Xác nhận", expect="danh sách chờ")
    assert "vị trí thứ 1" in (waitlisted.text or "")

    await harness.command(an, "dangky", expect="Đăng ký của bạn")
    await harness.press(an, "Hủy 1. Lớp may công nghiệp", expect="chắc chắn muốn hủy")
    await harness.press(an, "Có, hủy đăng ký", expect="Đã hủy đăng ký", edited=True)

    async with harness.db.transaction() as session:
        [binh_registration] = await session.scalars(
            select(Registration).join(Citizen).where(Citizen.telegram_user_id == binh)
        )
        assert binh_registration.status == RegistrationStatus.CONFIRMED
        promotion = await session.scalar(
            select(OutboxMessage).where(OutboxMessage.template == Template.PROMOTED.value)
        )
    assert promotion is not None and promotion.chat_id == binh
    report = await harness.dispatch()
    assert report.sent == 1 and report.failed == 0
    message = await harness.standin.wait_for_message(binh, lambda m: "Tin vui" in (m.text or ""))
    assert "Lớp may công nghiệp" in (message.text or "")
    assert message.button_texts == ["Đăng ký của tôi"]


async def test_cancel_can_be_called_off(harness: Harness) -> None:
    event = await harness.factory.event()
    lan, person = await _consented(harness, "Lan")
    result = await harness.factory.register(person, event)
    await harness.command(lan, "dangky", expect="Đăng ký của bạn")
    await harness.press(lan, "Hủy 1. Lớp may công nghiệp", expect="chắc chắn")
    await harness.press(lan, "Không, giữ lại", expect="vẫn giữ nguyên", edited=True)
    assert (await _status(harness, result.registration.id))[0] == RegistrationStatus.CONFIRMED


async def test_reminder_buttons_acknowledge_and_cancel(harness: Harness) -> None:
    event = await harness.factory.event(title="Lớp nấu ăn", capacity=1)
    lan, lan_citizen = await _consented(harness, "Lan")
    _, waiting = await _consented(harness, "Mai")
    mine = await harness.factory.register(lan_citizen, event)
    theirs = await harness.factory.register(waiting, event)
    assert theirs.status == RegistrationStatus.WAITLISTED

    day_before = event.starts_at - timedelta(hours=23)
    report = await harness.dispatch(at=day_before)  # the 3-day and 1-day reminders fall due
    assert report.sent == 2
    reminder = await harness.standin.wait_for_message(lan, lambda m: "Nhắc lịch" in (m.text or ""))
    assert reminder.button_texts == ["✅ Tôi vẫn tham dự", "Hủy đăng ký"]

    answer = await harness.press_for_answer(
        lan, text="✅ Tôi vẫn tham dự", message_id=reminder.message_id
    )
    assert answer["text"] == "Đã ghi nhận, cảm ơn bạn!"
    await harness.reply(lan, expect="Hẹn gặp bạn")

    await harness.press(lan, "Hủy đăng ký", expect="chắc chắn muốn hủy")
    await harness.press(lan, "Có, hủy đăng ký", expect="Đã hủy", edited=True)
    assert (await _status(harness, mine.registration.id))[0] == RegistrationStatus.CANCELLED
    assert await _status(harness, theirs.registration.id) == (RegistrationStatus.CONFIRMED, None)
    async with harness.db.transaction() as session:
        left = await session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.registration_id == mine.registration.id,
                OutboxMessage.kind == OutboxKind.REMINDER,
                OutboxMessage.status == OutboxStatus.PENDING,
            )
        )
        assert list(left) == []  # the 2-hour reminder will not come


async def test_forged_registration_id_of_another_citizen_is_refused(harness: Harness) -> None:
    event = await harness.factory.event()
    _, other = await _consented(harness, "An")
    theirs = await harness.factory.register(other, event)
    mallory, _ = await _consented(harness, "Mallory")

    for action in ("c", "cy", "cn"):
        answer = await harness.forge(mallory, f"MYREG|{action}|{theirs.registration.id}")
        assert answer["text"] == "Không tìm thấy đăng ký này trong danh sách của bạn."
        assert answer["show_alert"] is True
    answer = await harness.forge(mallory, f"REM|c|{event.id}")
    assert answer["text"] == "Không tìm thấy đăng ký này trong danh sách của bạn."
    for junk in ("MYREG|cy|-1", "MYREG|cy|1e9", "MYREG|cy", "MYREG|zz|1", "REG|cm|hanoi"):
        answer = await harness.forge(mallory, junk)
        assert answer["text"] == "Nút này đã cũ. Bạn dùng tin nhắn mới nhất nhé."
    assert (await _status(harness, theirs.registration.id))[0] == RegistrationStatus.CONFIRMED


async def test_stale_buttons_are_answered_politely(harness: Harness) -> None:
    event = await harness.factory.event()
    lan, _ = await _consented(harness, "Lan")
    await harness.command(lan, "start", f"ev_{event.id}", expect="Họ và tên")
    await harness.command(lan, "huy", expect="Đã dừng")

    answer = await harness.forge(lan, "REG|ok")
    assert answer["text"] == "Nút này đã cũ. Bạn dùng tin nhắn mới nhất nhé."
    async with harness.db.transaction() as session:
        assert list(await session.scalars(select(Registration))) == []


async def test_cancelling_twice_says_it_is_already_cancelled(harness: Harness) -> None:
    event = await harness.factory.event()
    lan, person = await _consented(harness, "Lan")
    await harness.factory.register(person, event)
    await harness.command(lan, "dangky", expect="Đăng ký của bạn")
    await harness.press(lan, "Hủy 1. Lớp may công nghiệp", expect="chắc chắn")
    await harness.press(lan, "Có, hủy đăng ký", expect="Đã hủy", edited=True)

    # The list message still shows its cancel button.
    answer = await harness.press_for_answer(lan, text="Hủy 1. Lớp may công nghiệp")
    assert answer["text"] == "Đăng ký này đã được hủy trước đó."
