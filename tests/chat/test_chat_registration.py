"""Registration, as a citizen experiences it through the stand-in."""

from __future__ import annotations

import unicodedata
from datetime import timedelta

import pytest
from driver import GREETING, NOT_IN_FLOW, Harness
from sqlalchemy import select
from telegram import Update

from bot.chat.memory import AfterConsent
from bot.chat.registration import entry as registration_entry
from bot.db.enums import OutboxKind, RegistrationStatus
from bot.db.models import Citizen, ConversationState, OutboxMessage, Registration

pytestmark = pytest.mark.timeout(30)


async def _registrations(harness: Harness, user_id: int) -> list[Registration]:
    async with harness.db.transaction() as session:
        rows = await session.scalars(
            select(Registration)
            .join(Citizen, Citizen.id == Registration.citizen_id)
            .where(Citizen.telegram_user_id == user_id)
        )
        return list(rows)


async def _citizen(harness: Harness, user_id: int) -> Citizen:
    async with harness.db.transaction() as session:
        found = await session.scalar(select(Citizen).where(Citizen.telegram_user_id == user_id))
    assert found is not None
    return found


async def _fill_until_summary(
    harness: Harness, user_id: int, *, name: str = "Nguyễn Thị Lan"
) -> None:
    """From the name question to the summary, phone shared as a contact."""
    await harness.say(user_id, name, expect="Số điện thoại")
    keyboard = harness.standin.reply_keyboard(user_id)
    assert keyboard is not None and keyboard["keyboard"][0][0]["request_contact"] is True
    harness.standin.share_contact(user_id, "+84912345678")
    await harness.reply(user_id, expect="sinh năm")
    await harness.say(user_id, "1990", expect="sống ở xã nào")
    await harness.press(user_id, "Xã Đầm Hà", expect="thuộc nhóm nào")
    await harness.press(user_id, "Không thuộc nhóm nào", expect="kiểm tra lại thông tin")


async def test_deep_link_registration_with_contact_sharing(harness: Harness) -> None:
    event = await harness.factory.event(
        title="Lớp may công nghiệp", capacity=5, what_to_bring="CCCD"
    )
    lan = harness.citizen()

    intro = await harness.command(lan, "start", f"ev_{event.id}", expect="Đăng ký:")
    assert "Lớp may công nghiệp" in (intro.text or "")
    await harness.reply(lan, expect="Họ và tên")
    await _fill_until_summary(harness, lan)
    assert harness.standin.reply_keyboard(lan) is None  # the share button is gone

    summary = harness.standin.last_message(lan)
    assert summary is not None and summary.text is not None
    assert "Nguyễn Thị Lan" in summary.text and "0912 345 678" in summary.text
    assert "1990" in summary.text and "Xã Đầm Hà" in summary.text
    done = await harness.press(lan, "✅ Xác nhận", expect="Đăng ký thành công")

    assert "CCCD" in (done.text or "")
    [registration] = await _registrations(harness, lan)
    assert registration.status == RegistrationStatus.CONFIRMED
    person = await _citizen(harness, lan)
    assert (person.full_name, person.phone, person.birth_year, person.commune) == (
        "Nguyễn Thị Lan",
        "+84912345678",
        1990,
        "dam_ha",
    )
    async with harness.db.transaction() as session:
        reminders = await session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == OutboxKind.REMINDER)
        )
        assert len(list(reminders)) == 3
        assert await session.scalar(select(ConversationState)) is None


async def test_second_registration_skips_what_the_profile_knows(harness: Harness) -> None:
    first = await harness.factory.event(title="Lớp may công nghiệp")
    second = await harness.factory.event(title="Lớp nấu ăn")
    lan = harness.citizen()
    await harness.command(lan, "start", f"ev_{first.id}", expect="Họ và tên")
    await _fill_until_summary(harness, lan)
    await harness.press(lan, "✅ Xác nhận", expect="Đăng ký thành công")

    summary = await harness.command(lan, "start", f"ev_{second.id}", expect="kiểm tra lại")
    assert "Lớp nấu ăn" in (summary.text or "") and "Nguyễn Thị Lan" in (summary.text or "")


async def test_bad_phone_and_birth_year_are_asked_again_politely(harness: Harness) -> None:
    event = await harness.factory.event()
    lan = harness.citizen()
    await harness.command(lan, "start", f"ev_{event.id}", expect="Họ và tên")
    await harness.say(lan, "Nguyễn Thị Lan", expect="Số điện thoại")

    landline = await harness.say(lan, "0203 3880 123", expect="máy bàn")
    assert "ví dụ: 0912 345 678" in (landline.text or "")
    await harness.say(lan, "0912 34", expect="thiếu chữ số")
    await harness.say(lan, "số của tôi là 0912.345.678", expect="Đã nhận số 0912 345 678")
    await harness.reply(lan, expect="sinh năm")
    too_young = await harness.say(lan, "2020", expect="Năm sinh cần")
    assert "1930" in (too_young.text or "")
    await harness.say(lan, "tôi sinh năm 1975", expect="sống ở xã nào")


async def test_restart_mid_registration_continues_where_the_citizen_was(
    harness: Harness,
) -> None:
    event = await harness.factory.event()
    lan = harness.citizen()
    await harness.command(lan, "start", f"ev_{event.id}", expect="Họ và tên")
    await harness.say(lan, "Nguyễn Thị Lan", expect="Số điện thoại")

    await harness.restart()

    await harness.say(lan, "0912345678", expect="Đã nhận số")
    await harness.reply(lan, expect="sinh năm")
    await harness.restart()
    await harness.say(lan, "1988", expect="sống ở xã nào")
    await harness.press(lan, "Xã Quảng Tân", expect="thuộc nhóm nào")
    await harness.press(lan, "Không thuộc nhóm nào", expect="kiểm tra lại")
    await harness.press(lan, "✅ Xác nhận", expect="Đăng ký thành công")
    person = await _citizen(harness, lan)
    assert (person.full_name, person.birth_year, person.commune) == (
        "Nguyễn Thị Lan",
        1988,
        "quang_tan",
    )


async def test_nfd_name_and_old_commune_name_are_understood(harness: Harness) -> None:
    event = await harness.factory.event()
    lan = harness.citizen()
    await harness.command(lan, "start", f"ev_{event.id}", expect="Họ và tên")
    nfd_name = unicodedata.normalize("NFD", "Hoàng Thị Dịu")
    await harness.say(lan, nfd_name, expect="Số điện thoại")
    await harness.say(lan, "0987654321", expect="Đã nhận số")
    await harness.reply(lan, expect="sinh năm")
    await harness.say(lan, "1960", expect="sống ở xã nào")
    await harness.say(lan, unicodedata.normalize("NFD", "xã Dực Yên"), expect="thuộc nhóm nào")
    await harness.press(lan, "Người cao tuổi", expect="", edited=True)
    summary = await harness.press(lan, "Xong ➜", expect="kiểm tra lại")

    assert "Hoàng Thị Dịu" in (summary.text or "")  # NFC again
    assert "Xã Quảng Tân" in (summary.text or "") and "Người cao tuổi" in (summary.text or "")
    await harness.press(lan, "✅ Xác nhận", expect="Đăng ký thành công")
    person = await _citizen(harness, lan)
    assert person.full_name == "Hoàng Thị Dịu" and person.commune == "quang_tan"
    assert person.target_groups == ["elderly"]


async def test_html_in_a_name_arrives_intact(harness: Harness) -> None:
    event = await harness.factory.event(title="Phiên <việc làm> & tư vấn")
    lan = harness.citizen()
    intro = await harness.command(lan, "start", f"ev_{event.id}", expect="Đăng ký:")
    assert "Phiên <việc làm> & tư vấn" in (intro.text or "")
    await harness.reply(lan, expect="Họ và tên")
    await _fill_until_summary(harness, lan, name="<b>Lan & Co")

    summary = harness.standin.last_message(lan)
    assert summary is not None and "Họ tên: <b>Lan & Co" in (summary.text or "")
    await harness.press(lan, "✅ Xác nhận", expect="Đăng ký thành công")
    assert (await _citizen(harness, lan)).full_name == "<b>Lan & Co"


async def test_edit_a_field_from_the_summary(harness: Harness) -> None:
    event = await harness.factory.event()
    lan = harness.citizen()
    await harness.command(lan, "start", f"ev_{event.id}", expect="Họ và tên")
    await _fill_until_summary(harness, lan)

    await harness.press(lan, "✏️ Sửa", expect="sửa thông tin nào")
    await harness.press(lan, "Năm sinh", expect="sinh năm")
    summary = await harness.say(lan, "1991", expect="kiểm tra lại")
    assert "Năm sinh: 1991" in (summary.text or "")


async def test_already_registered_shows_the_existing_registration(harness: Harness) -> None:
    event = await harness.factory.event(title="Lớp điện dân dụng")
    lan = harness.citizen()
    await harness.command(lan, "start", expect=GREETING)
    person = await _citizen(harness, lan)
    await harness.factory.register(person, event)

    shown = await harness.command(lan, "start", f"ev_{event.id}", expect="đã đăng ký rồi")
    assert "Lớp điện dân dụng" in (shown.text or "") and "Đã có chỗ" in (shown.text or "")


async def test_refusals_are_explained(harness: Harness) -> None:
    now = harness.factory.now
    late = await harness.factory.event(
        title="Lớp hàn", registration_deadline=now - timedelta(hours=1)
    )
    lan = harness.citizen()
    refused = await harness.command(lan, "start", f"ev_{late.id}", expect="Rất tiếc")
    assert "hết hạn đăng ký" in (refused.text or "") and "Lớp hàn" in (refused.text or "")

    only_poor = await harness.factory.event(
        title="Lớp cho hộ nghèo", eligible_target_groups=["poor_household"]
    )
    await harness.command(lan, "start", f"ev_{only_poor.id}", expect="Họ và tên")
    await _fill_until_summary(harness, lan)
    not_eligible = await harness.press(lan, "✅ Xác nhận", expect="Rất tiếc")
    assert "chỉ dành cho: Hộ nghèo" in (not_eligible.text or "")
    await harness.press(lan, "✏️ Sửa", expect="sửa thông tin nào")
    await harness.press(lan, "Nhóm đối tượng", expect="thuộc nhóm nào")
    await harness.press(lan, "Hộ nghèo", expect="", edited=True)
    await harness.press(lan, "Xong ➜", expect="kiểm tra lại")
    await harness.press(lan, "✅ Xác nhận", expect="Đăng ký thành công")


async def test_an_event_that_needs_approval_says_an_officer_will_decide(
    harness: Harness,
) -> None:
    event = await harness.factory.event(requires_approval=True)
    lan = harness.citizen()
    await harness.command(lan, "start", f"ev_{event.id}", expect="Họ và tên")
    await _fill_until_summary(harness, lan)
    await harness.press(lan, "✅ Xác nhận", expect="Cán bộ sẽ xem xét")
    [registration] = await _registrations(harness, lan)
    assert registration.status == RegistrationStatus.PENDING


async def test_first_message_entities_filter_and_prefill(harness: Harness) -> None:
    await harness.factory.event(title="Lớp nấu ăn", venue="Nhà văn hoá xã Quảng Tân")
    await harness.factory.event(title="Lớp may công nghiệp", venue="Nhà văn hoá xã Đầm Hà")
    lan = harness.citizen()
    await harness.command(lan, "start", expect=GREETING)

    listing = await harness.command(
        lan,
        "dk",
        "vocational_class trade=nghề_may phone=0912_345_678 commune=Tân_Bình",
        expect="đang nhận đăng ký",
    )
    assert "Lớp may công nghiệp" in (listing.text or "")
    assert "Lớp nấu ăn" not in (listing.text or "")
    await harness.press(lan, "1. Lớp may công nghiệp", expect="Họ và tên")
    await harness.say(lan, "Nguyễn Thị Lan", expect="sinh năm")  # phone came with the message
    summary = await harness.say(lan, "1990", expect="thuộc nhóm nào")  # commune too
    assert summary is not None


async def test_no_match_lists_everything_open(harness: Harness) -> None:
    await harness.factory.event(title="Lớp nấu ăn")
    lan = harness.citizen()
    await harness.command(lan, "start", expect=GREETING)
    listing = await harness.command(lan, "dk", "- trade=lái_xe", expect="đang nhận đăng ký")
    assert "Chưa có lớp hay phiên nào phù hợp với «lái xe»" in (listing.text or "")
    assert "Lớp nấu ăn" in (listing.text or "")


async def test_leave_with_huy_and_text_goes_back_to_the_bot(harness: Harness) -> None:
    event = await harness.factory.event()
    lan = harness.citizen()
    await harness.command(lan, "start", f"ev_{event.id}", expect="Họ và tên")
    await harness.command(lan, "huy", expect="Đã dừng")
    await harness.say(lan, "Nguyễn Thị Lan", expect=NOT_IN_FLOW)
    await harness.command(lan, "huy", expect="không có bước nào")


async def test_typing_at_a_button_step_points_to_the_buttons_once(harness: Harness) -> None:
    event = await harness.factory.event()
    lan = harness.citizen()
    await harness.command(lan, "start", f"ev_{event.id}", expect="Họ và tên")
    await _fill_until_summary(harness, lan)

    await harness.say(lan, "đúng rồi", expect="bấm một nút")
    await harness.say(lan, "trợ cấp bao nhiêu", expect=NOT_IN_FLOW)  # a new question
    await harness.press(lan, "✅ Xác nhận", expect="Đăng ký thành công")  # the form is still there


async def test_text_after_an_event_list_is_a_question_of_its_own(harness: Harness) -> None:
    await harness.factory.event()
    lan = harness.citizen()
    await harness.command(lan, "start", expect=GREETING)
    await harness.command(lan, "dk", expect="đang nhận đăng ký")
    await harness.say(lan, "lớp nào rẻ nhất", expect=NOT_IN_FLOW)
    await harness.press(lan, "1. Lớp may công nghiệp", expect="Họ và tên")


async def test_without_consent_the_consent_message_of_start_is_shown(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    resumes: list[AfterConsent] = []

    async def ask_consent(update: Update, context: object, *, after: AfterConsent) -> None:
        resumes.append(after)
        assert update.effective_chat is not None
        await update.effective_chat.send_message("CONSENT FROM /start")

    monkeypatch.setattr(registration_entry, "ask_consent_of_start", ask_consent)
    await harness.factory.event()
    stranger = harness.citizen()
    await harness.command(stranger, "dk", "vocational_class", expect="CONSENT FROM /start")

    assert await _registrations(harness, stranger) == []
    [after] = resumes
    assert (after.action, after.kind, after.event_id) == ("registration", "vocational_class", None)


async def test_without_consent_nothing_is_kept_until_the_citizen_agrees(
    harness: Harness,
) -> None:
    event = await harness.factory.event()
    stranger = harness.citizen()
    await harness.command(stranger, "dk", expect="Nghị định 13/2023")
    async with harness.db.transaction() as session:
        assert await session.scalar(select(ConversationState)) is None
    await harness.command(stranger, "start", f"ev_{event.id}", expect="Họ và tên")  # consents
