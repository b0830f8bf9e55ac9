"""The simulation API: what tests do as citizens and read back about the bot."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sandbox_echo_bot import EchoApp
from telegram import Bot, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest

from telegram_standin import BotApiStandIn, SimulationError


@pytest.fixture
async def bot(standin: BotApiStandIn) -> AsyncIterator[Bot]:
    async with Bot(token=standin.token, base_url=standin.base_url) as client:
        yield client


async def test_document_upload_is_kept_whole(standin: BotApiStandIn, polling_bot: EchoApp) -> None:
    citizen = standin.create_citizen()
    standin.send_command(citizen.user_id, "tep")

    sent = await standin.wait_for_message(citizen.user_id, lambda m: m.document is not None)

    assert sent.document is not None
    assert sent.document.file_name == "mau_dang_ky.csv"
    assert sent.document.mime_type == "text/csv"
    assert sent.document.content == b"ho ten;so dien thoai\n"
    assert sent.caption == "Mẫu đăng ký"
    assert sent.caption_entities == [{"offset": 0, "length": 11, "type": "italic"}]
    downloaded = await (
        await polling_bot.bot.get_file(sent.document.file_id)
    ).download_as_bytearray()
    assert bytes(downloaded) == sent.document.content


async def test_deleted_messages_stay_readable_and_flagged(bot: Bot, standin: BotApiStandIn) -> None:
    citizen = standin.create_citizen()
    standin.send_text(citizen.user_id, "chào")
    sent = await bot.send_message(citizen.user_id, "tạm thời")

    assert await bot.delete_message(citizen.user_id, sent.message_id)
    with pytest.raises(BadRequest, match=r"^Message to delete not found$"):
        await bot.delete_message(citizen.user_id, sent.message_id)
    with pytest.raises(BadRequest, match=r"^Message to edit not found$"):
        await bot.edit_message_text("sửa", citizen.user_id, sent.message_id)

    record = standin.messages(citizen.user_id)[0]
    assert record.deleted and record.text == "tạm thời"
    assert standin.last_message(citizen.user_id) is None


async def test_callback_answers_and_presses(bot: Bot, standin: BotApiStandIn) -> None:
    citizen = standin.create_citizen()
    standin.send_text(citizen.user_id, "chào")
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Có", callback_data="yes")],
            [InlineKeyboardButton("Trang", url="https://dichvucong.gov.vn")],
        ]
    )
    sent = await bot.send_message(citizen.user_id, "Đồng ý?", reply_markup=keyboard)

    callback_id = standin.press_button(citizen.user_id, callback_data="yes")
    update = (await bot.get_updates())[-1]
    assert update.callback_query is not None
    assert update.callback_query.data == "yes"
    assert update.callback_query.message is not None
    assert update.callback_query.message.message_id == sent.message_id
    assert await bot.answer_callback_query(callback_id, "Đã ghi nhận", show_alert=True)
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(callback_id)
    assert standin.callback_answer(callback_id) == {
        "text": "Đã ghi nhận",
        "show_alert": True,
        "url": None,
        "cache_time": 0,
    }
    with pytest.raises(SimulationError, match="url button"):
        standin.press_button(citizen.user_id, text="Trang")
    with pytest.raises(SimulationError, match="no bot message"):
        standin.press_button(citizen.user_id, text="Không có")


async def test_reply_parameters_and_chat_actions(bot: Bot, standin: BotApiStandIn) -> None:
    citizen = standin.create_citizen()
    asked = standin.send_text(citizen.user_id, "Khi nào có kết quả?")

    assert await bot.send_chat_action(citizen.user_id, "typing")
    answer = await bot.send_message(
        citizen.user_id, "Trong 7 ngày.", reply_to_message_id=asked.message_id
    )
    with pytest.raises(BadRequest, match=r"^Message to be replied not found$"):
        await bot.send_message(citizen.user_id, "?", reply_to_message_id=999)

    assert answer.reply_to_message is not None
    assert answer.reply_to_message.text == "Khi nào có kết quả?"
    assert standin.world.chats[citizen.user_id].last_action == "typing"


async def test_commands_and_start_up_methods(bot: Bot, standin: BotApiStandIn) -> None:
    commands = [BotCommand("start", "Bắt đầu"), BotCommand("huy", "Hủy đăng ký")]

    assert await bot.set_my_commands(commands)
    assert await bot.set_my_description("Trợ lý An sinh xã Đầm Hà")
    assert await bot.get_my_commands() == tuple(commands)
    assert standin.commands() == [
        {"command": "start", "description": "Bắt đầu"},
        {"command": "huy", "description": "Hủy đăng ký"},
    ]
    assert (await bot.get_my_description()).description == "Trợ lý An sinh xã Đầm Hà"
    with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
        await bot.set_my_commands([BotCommand("Bắt-đầu", "x")])
    assert await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()
    assert await bot.log_out() and await bot.close()


async def test_group_chat_for_staff(bot: Bot, standin: BotApiStandIn) -> None:
    staff = standin.create_group("Cán bộ LĐTBXH")

    sent = await bot.send_message(staff, "Có yêu cầu hỗ trợ mới")
    chat = await bot.get_chat(staff)

    assert sent.chat.type == "group" and chat.title == "Cán bộ LĐTBXH"
    assert standin.messages(staff)[0].text == "Có yêu cầu hỗ trợ mới"


async def test_waits_fail_with_a_useful_message(standin: BotApiStandIn) -> None:
    citizen = standin.create_citizen()
    standin.send_text(citizen.user_id, "có ai không")

    with pytest.raises(TimeoutError, match=f"no new bot message in chat {citizen.user_id}"):
        await standin.wait_for_message(citizen.user_id, timeout=0.05)
    with pytest.raises(SimulationError, match="unknown citizen"):
        standin.send_text(424242, "chào")


async def test_counters_for_benchmarks(bot: Bot, standin: BotApiStandIn) -> None:
    citizen = standin.create_citizen()
    standin.send_text(citizen.user_id, "chào")
    await bot.send_message(citizen.user_id, "một")
    with pytest.raises(BadRequest):
        await bot.send_message(citizen.user_id, "")

    stats = standin.stats.as_dict()
    assert stats["calls"] == {"getMe": 1, "sendMessage": 2}
    assert stats["statuses"] == {"200": 2, "400": 1}
    assert stats["errors"] == {"Bad Request: message text is empty": 1}
