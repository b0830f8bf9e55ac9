"""`python -m bot chat` driven with a scripted stdin against the echo bot."""

from __future__ import annotations

import asyncio
import io
import sys
from typing import Any

import pytest
from sandbox_echo_bot import EchoApp

from telegram_standin import BotApiStandIn
from telegram_standin import chat as chat_cli
from telegram_standin.chat_view import Conversation


def _run_chat(monkeypatch: pytest.MonkeyPatch, argv: list[str], script: str) -> tuple[int, str]:
    stdout = io.StringIO()
    monkeypatch.setattr(sys, "stdin", io.StringIO(script))
    monkeypatch.setattr(sys, "stdout", stdout)
    code = chat_cli.main(argv)
    return code, stdout.getvalue()


async def test_a_person_chats_with_buttons_and_contact(
    standin: BotApiStandIn, polling_bot: EchoApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = "/start\n1\nliên hệ\n1\n\nxin chào\n\\2\n/quit\nnot read\n"
    argv = ["--url", standin.url, "--quiet-period", "0.25", "--wait", "4"]

    code, output = await asyncio.to_thread(_run_chat, monkeypatch, argv, script)

    assert code == 0, output
    expected_in_order = [
        "Bạn là Nguyễn An (id 100001).",
        "Bạn: /start",
        "🤖 Chào An! Bạn cần gì?",
        "   [1] Hỗ trợ nhà ở",
        "   [2] Trợ cấp xã hội",
        "Bạn: 1",
        "🤖 ✏️  Bạn chọn: Hỗ trợ nhà ở",
        "Bạn: liên hệ",
        "🤖 Bấm nút bên dưới để gửi số.",
        "   ⌨  [1] 📱 Gửi số điện thoại (chia sẻ số điện thoại)",
        "Bạn: 1",
        "   Số điện thoại để chia sẻ (Enter = +84900100001): ",
        "   📇 đã chia sẻ số +84900100001",
        "🤖 Đã nhận số +84900100001",
        "Bạn: xin chào",
        "🤖 Bạn nói: xin chào",
        "🤖 Bạn nói: 2",
    ]
    position = 0
    for line in expected_in_order:
        found = output.find(line, position)
        assert found >= 0, f"{line!r} missing after position {position} in:\n{output}"
        position = found + len(line)
    assert "   💬 Đã chọn Hỗ trợ nhà ở" in output
    assert "not read" not in output
    assert [m.text for m in standin.messages(100_001, from_bot=False)][-2:] == ["xin chào", "2"]


async def test_no_stand_in_running_is_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    async with BotApiStandIn() as gone:
        url = gone.url

    code, output = await asyncio.to_thread(_run_chat, monkeypatch, ["--url", url], "")

    assert code == 1
    assert "Không kết nối được tới hộp cát" in output


def test_numbering_puts_inline_buttons_before_the_reply_keyboard() -> None:
    view = Conversation()
    keyboard = {"keyboard": [[{"text": "📱 Gửi số", "request_contact": True}, {"text": "Bỏ qua"}]]}
    inline = {"inline_keyboard": [[{"text": "Có", "callback_data": "y"}]]}

    first = view.apply(_message_event(1, "Gửi số điện thoại?", keyboard))
    second = view.apply(_message_event(2, "Xác nhận?", inline))

    assert first[-1] == "   ⌨  [1] 📱 Gửi số (chia sẻ số điện thoại)   [2] Bỏ qua"
    assert second[-2:] == ["   [1] Có", "   ⌨  [2] 📱 Gửi số (chia sẻ số điện thoại)   [3] Bỏ qua"]
    picked = view.choice("1")
    assert picked is not None and picked.kind == "callback"
    assert view.reply_button("Bỏ qua") == {"text": "Bỏ qua"}
    assert view.choice("4") is None


def _message_event(message_id: int, text: str, markup: dict[str, Any]) -> dict[str, Any]:
    message = {
        "message_id": message_id,
        "from_bot": True,
        "text": text,
        "entities": [],
        "reply_markup": markup,
        "caption": None,
        "document": None,
        "deleted": False,
    }
    return {"kind": "message", "message": message, "data": {}}
