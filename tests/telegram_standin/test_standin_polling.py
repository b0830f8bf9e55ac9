"""PTB 22 in polling mode against the stand-in, and getUpdates' own semantics."""

from __future__ import annotations

import asyncio
import unicodedata
from typing import Any

import httpx
import pytest
from sandbox_echo_bot import EchoApp
from telegram import Bot
from telegram.error import Conflict, EndPointNotFound

from telegram_standin import BotApiStandIn


async def test_echo_bot_answers_over_long_polling(
    standin: BotApiStandIn, polling_bot: EchoApp
) -> None:
    citizen = standin.create_citizen(first_name="Lan")

    reply = await standin.ask(citizen.user_id, "xin chào")

    assert reply.text == "Bạn nói: xin chào"
    assert reply.parse_mode == "HTML"
    assert reply.entities[0] == {"offset": 0, "length": 8, "type": "bold"}
    assert standin.stats.calls["getMe"] == 1
    assert standin.stats.calls["deleteWebhook"] == 1  # PTB's polling bootstrap


async def test_deep_link_start_shows_menu_and_button_press_edits_it(
    standin: BotApiStandIn, polling_bot: EchoApp
) -> None:
    citizen = standin.create_citizen(first_name="Lan <3")

    sent = standin.send_command(citizen.user_id, "start", "qr_xa_dai_binh")
    assert sent.entities == [{"type": "bot_command", "offset": 0, "length": 6}]
    menu = await standin.wait_for_message(citizen.user_id)
    assert menu.text == "Chào Lan <3! (mã: qr_xa_dai_binh) Bạn cần gì?"
    assert menu.button_texts == ["Hỗ trợ nhà ở", "Trợ cấp xã hội"]
    menu_text = menu.text  # records are live: `menu` will show the edit too

    callback_id = standin.press_button(citizen.user_id, text="Trợ cấp xã hội")
    edited = await standin.wait_for_edit(citizen.user_id, menu.message_id)
    answer = await standin.wait_for_callback_answer(callback_id)

    assert edited.text == "Bạn chọn: Trợ cấp xã hội"
    assert edited.reply_markup is None  # editing text without markup drops the keyboard
    assert edited is menu
    assert [version.text for version in edited.edits] == [menu_text]
    assert answer["text"] == "Đã chọn Trợ cấp xã hội"


async def test_text_reaches_the_bot_verbatim_in_any_normalisation(
    standin: BotApiStandIn, polling_bot: EchoApp
) -> None:
    citizen = standin.create_citizen()
    decomposed = unicodedata.normalize("NFD", "hỗ trợ nhà ở")

    nfd_reply = await standin.ask(citizen.user_id, decomposed)
    plain_reply = await standin.ask(citizen.user_id, "ho tro nha o")

    assert nfd_reply.text == f"Bạn nói: {decomposed}"
    assert plain_reply.text == "Bạn nói: ho tro nha o"


async def test_contact_button_and_contact_share(
    standin: BotApiStandIn, polling_bot: EchoApp
) -> None:
    citizen = standin.create_citizen()

    await standin.ask(citizen.user_id, "Liên hệ")
    keyboard = standin.reply_keyboard(citizen.user_id)
    assert keyboard is not None
    assert keyboard["keyboard"][0][0]["request_contact"] is True

    shared = standin.share_contact(citizen.user_id, "+84912345678")
    confirmation = await standin.wait_for_message(citizen.user_id)

    assert shared.contact == {
        "phone_number": "+84912345678",
        "first_name": "An",
        "last_name": "Nguyễn",
        "user_id": citizen.user_id,
    }
    assert confirmation.text == "Đã nhận số +84912345678"
    assert standin.reply_keyboard(citizen.user_id) is None


async def test_message_ids_increase_per_chat_and_dates_are_seconds(
    standin: BotApiStandIn, polling_bot: EchoApp
) -> None:
    first, second = standin.create_citizen(), standin.create_citizen()

    await standin.ask(first.user_id, "một")
    await standin.ask(second.user_id, "hai")
    await standin.ask(first.user_id, "ba")

    assert [m.message_id for m in standin.messages(first.user_id, from_bot=None)] == [1, 2, 3, 4]
    assert [m.message_id for m in standin.messages(second.user_id, from_bot=None)] == [1, 2]
    assert all(isinstance(m.date, int) for m in standin.messages(first.user_id, from_bot=None))


async def _get_updates(standin: BotApiStandIn, **params: Any) -> list[dict[str, Any]]:
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{standin.base_url}{standin.token}/getUpdates", json=params)
    body = response.json()
    assert body["ok"], body
    result: list[dict[str, Any]] = body["result"]
    return result


async def _poll_started(standin: BotApiStandIn, count: int) -> None:
    """Wait until the server has received `count` getUpdates calls."""
    await standin.wait_until(lambda: standin.stats.calls["getUpdates"] >= count or None)


async def test_updates_stay_until_confirmed_by_a_higher_offset(standin: BotApiStandIn) -> None:
    citizen = standin.create_citizen()
    for text in ("a", "b", "c"):
        standin.send_text(citizen.user_id, text)

    first = await _get_updates(standin)
    again = await _get_updates(standin)
    after_confirming_one = await _get_updates(standin, offset=first[0]["update_id"] + 1)
    last_only = await _get_updates(standin, offset=-1)
    nothing_left = await _get_updates(standin, offset=last_only[0]["update_id"] + 1)

    assert [u["message"]["text"] for u in first] == ["a", "b", "c"]
    assert again == first
    assert [u["message"]["text"] for u in after_confirming_one] == ["b", "c"]
    assert [u["message"]["text"] for u in last_only] == ["c"]
    assert nothing_left == []


async def test_long_poll_returns_as_soon_as_an_update_arrives(standin: BotApiStandIn) -> None:
    citizen = standin.create_citizen()
    loop = asyncio.get_running_loop()
    started = loop.time()

    poll = asyncio.create_task(_get_updates(standin, timeout=5))
    await _poll_started(standin, 1)
    standin.send_text(citizen.user_id, "chào")
    updates = await asyncio.wait_for(poll, 2)

    assert [u["message"]["text"] for u in updates] == ["chào"]
    assert loop.time() - started < 2


async def test_limit_and_allowed_updates(standin: BotApiStandIn) -> None:
    citizen = standin.create_citizen()
    for text in ("1", "2", "3"):
        standin.send_text(citizen.user_id, text)

    limited = await _get_updates(standin, limit=2)
    await _get_updates(standin, offset=limited[-1]["update_id"] + 10, allowed_updates=["message"])
    standin.block(citizen.user_id)  # my_chat_member: filtered out now
    standin.send_text(citizen.user_id, "4")

    remaining = await _get_updates(standin)
    assert len(limited) == 2
    assert [list(u)[1] for u in remaining] == ["message"]


async def test_my_chat_member_update_when_citizen_blocks(standin: BotApiStandIn) -> None:
    citizen = standin.create_citizen()
    standin.send_text(citizen.user_id, "chào")

    standin.block(citizen.user_id)

    update = (await _get_updates(standin))[-1]
    assert update["my_chat_member"]["new_chat_member"]["status"] == "kicked"
    assert update["my_chat_member"]["old_chat_member"]["status"] == "member"


async def test_second_poller_terminates_the_first_with_conflict(standin: BotApiStandIn) -> None:
    # Two bot instances polling one token: Telegram ends the older long poll with 409.
    first = Bot(token=standin.token, base_url=standin.base_url)
    second = Bot(token=standin.token, base_url=standin.base_url)
    async with first, second:
        waiting = asyncio.create_task(first.get_updates(timeout=3))
        await _poll_started(standin, 1)
        await second.get_updates(timeout=0)

        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await asyncio.wait_for(waiting, 2)


async def test_parameters_arrive_by_query_string_form_or_json(standin: BotApiStandIn) -> None:
    citizen = standin.create_citizen()
    standin.send_text(citizen.user_id, "chào")
    api = f"{standin.base_url}{standin.token}"
    async with httpx.AsyncClient() as client:
        me = (await client.get(f"{api}/getme")).json()  # method names ignore case
        by_query = await client.get(f"{api}/sendMessage?chat_id={citizen.user_id}&text=q")
        by_form = await client.post(
            f"{api}/sendMessage", data={"chat_id": citizen.user_id, "text": "f"}
        )
        by_json = await client.post(
            f"{api}/sendMessage", json={"chat_id": citizen.user_id, "text": "j"}
        )
        unknown = await client.post(f"{api}/sendTelepathy")

    assert me["result"]["is_bot"] is True and me["result"]["username"] == "tro_ly_an_sinh_bot"
    assert [r.json()["result"]["text"] for r in (by_query, by_form, by_json)] == ["q", "f", "j"]
    assert unknown.status_code == 404
    assert unknown.json() == {"ok": False, "error_code": 404, "description": "Not Found"}


async def test_unknown_method_surfaces_as_endpoint_not_found(standin: BotApiStandIn) -> None:
    async with Bot(token=standin.token, base_url=standin.base_url) as bot:
        with pytest.raises(EndPointNotFound):
            await bot.do_api_request("send_telepathy")
