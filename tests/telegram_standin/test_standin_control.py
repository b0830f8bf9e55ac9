"""The `/_sandbox` control surface through `SandboxClient`, as another process uses it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sandbox_echo_bot import EchoApp

from telegram_standin import BotApiStandIn, SandboxClient
from telegram_standin.client import SandboxError


@pytest.fixture
async def client(standin: BotApiStandIn) -> AsyncIterator[SandboxClient]:
    async with SandboxClient(standin.url) as control:
        yield control


async def _next_bot_message(client: SandboxClient, chat_id: int, after: int) -> dict[str, Any]:
    """Long-poll events (as the terminal chat does) until the bot has sent a message."""
    while True:
        found = await client.events(chat_id, after=after, timeout=5)
        for event in found["events"]:
            if event["kind"] == "message":
                message: dict[str, Any] = event["message"]
                return message
        after = found["seq"]


async def test_a_conversation_over_http(
    standin: BotApiStandIn, polling_bot: EchoApp, client: SandboxClient
) -> None:
    health = await client.health()
    citizen = await client.create_citizen(user_id=555, first_name="Mai", last_name="Trần")
    start = (await client.events(555))["seq"]

    await client.send_command(555, "start")
    menu = await _next_bot_message(client, 555, after=start)
    callback_id = await client.press_button(555, text="Hỗ trợ nhà ở")
    answer = await standin.wait_for_callback_answer(callback_id)

    assert health["bot"]["username"] == "tro_ly_an_sinh_bot"
    assert citizen["user_id"] == 555 and citizen["language_code"] == "vi"
    assert menu["text"] == "Chào Mai! Bạn cần gì?"
    assert menu["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "topic:housing"
    assert answer["text"] == "Đã chọn Hỗ trợ nhà ở"
    assert await client.callback_answer(callback_id) == answer


async def test_contact_file_and_history(
    standin: BotApiStandIn, polling_bot: EchoApp, client: SandboxClient
) -> None:
    await client.create_citizen(user_id=556)
    await client.send_text(556, "Liên hệ")
    await standin.wait_for_message(556)
    keyboard = await client.reply_keyboard(556)
    shared = await client.share_contact(556, "0912345678")
    await standin.wait_for_message(556)
    await client.send_command(556, "tep")
    document_message = await standin.wait_for_message(556)

    history = await client.messages(556)
    document = history[-1]["document"]
    assert keyboard is not None and keyboard["keyboard"][0][0]["request_contact"]
    assert shared["contact"]["phone_number"] == "0912345678"
    assert [m["from_bot"] for m in history] == [False, True, False, True, False, True]
    assert document["file_name"] == "mau_dang_ky.csv"
    assert document_message.document is not None
    assert await client.download(document["url"]) == document_message.document.content


async def test_faults_limits_stats_and_errors(
    standin: BotApiStandIn, client: SandboxClient
) -> None:
    await client.inject_fault("sendMessage", status=503, times=2)
    await client.inject_fault("getMe", delay=0.01)
    limits = await client.set_rate_limits(enabled=True, per_private_chat_per_second=3)
    await client.create_citizen(user_id=557)
    await client.block(557)
    await client.unblock(557)

    assert limits == {
        "enabled": True,
        "overall_per_second": 30,
        "per_private_chat_per_second": 3,
        "per_private_chat_burst": 1,
    }
    assert standin.rate_limits.per_private_chat_per_second == 3
    assert len(standin.engine.faults._faults) == 2
    await client.clear_faults()
    assert standin.engine.faults.take("sendMessage") is None
    assert (await client.stats())["calls"] == {}
    with pytest.raises(SandboxError, match="unknown citizen"):
        await client.send_text(999, "chào")
    with pytest.raises(SandboxError, match="no bot message"):
        await client.press_button(557, text="Không có")
