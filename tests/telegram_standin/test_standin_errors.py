"""Each documented Telegram error is produced and reaches PTB as the right exception."""

from __future__ import annotations

import asyncio
import datetime as dtm
from collections.abc import AsyncIterator

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, NetworkError, RetryAfter

from telegram_standin import BotApiStandIn, RateLimits


@pytest.fixture
async def bot(standin: BotApiStandIn) -> AsyncIterator[Bot]:
    async with Bot(token=standin.token, base_url=standin.base_url) as client:
        yield client


@pytest.fixture
def chat_id(standin: BotApiStandIn) -> int:
    """A citizen who has written to the bot, so the bot may write back."""
    citizen = standin.create_citizen()
    standin.send_text(citizen.user_id, "chào")
    return citizen.user_id


@pytest.mark.parametrize("text", ["", "   \n "])
async def test_empty_text_is_rejected(bot: Bot, chat_id: int, text: str) -> None:
    with pytest.raises(BadRequest, match=r"^Message text is empty$"):
        await bot.send_message(chat_id, text)


async def test_text_over_4096_characters_after_parsing_is_rejected(
    bot: Bot, chat_id: int, standin: BotApiStandIn
) -> None:
    fits = await bot.send_message(chat_id, "<b>" + "ă" * 4096 + "</b>", parse_mode="HTML")
    assert fits.text is not None and len(fits.text) == 4096

    with pytest.raises(BadRequest, match=r"^Message is too long$"):
        await bot.send_message(chat_id, "ă" * 4097)


@pytest.mark.parametrize(
    ("html", "telegram_says"),
    [
        ("<foo>x</foo>", 'unsupported start tag "foo" at byte offset 0'),
        ("Tổng < 5 triệu", 'unsupported start tag "" at byte offset 7'),
        ("<b>đậm", 'can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("x</b>", "unexpected end tag at byte offset 1"),
        ("<a href=x.vn>x", 'can\'t find end tag corresponding to start tag "a"'),
        ("Mã &abc ở đây", 'unsupported html entity "&abc" at byte offset 4'),
        ('<span class="x">y</span>', 'tag "span" must have class "tg-spoiler"'),
    ],
)
async def test_unparsable_html_is_rejected(
    bot: Bot, chat_id: int, html: str, telegram_says: str
) -> None:
    with pytest.raises(BadRequest) as caught:
        await bot.send_message(chat_id, html, parse_mode="HTML")

    assert caught.value.message.startswith(f"Can't parse entities: {telegram_says}")


async def test_supported_html_subset_is_accepted(
    bot: Bot, chat_id: int, standin: BotApiStandIn
) -> None:
    source = (
        "<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins><s>s</s>"
        "<strike>k</strike><del>d</del><tg-spoiler>p</tg-spoiler>"
        '<span class="tg-spoiler">q</span><a href="https://dichvucong.gov.vn">l</a>'
        '<code>c</code><pre><code class="language-python">x</code></pre>'
        '<blockquote>t</blockquote><tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>'
        " &lt;&gt;&amp;&quot;&#39;&#x1F600;"
    )
    sent = await bot.send_message(chat_id, source, parse_mode="HTML")

    assert sent.text == "bsieunskdpqlcxt👍 <>&\"'😀"
    types = [entity.type for entity in sent.entities]
    assert "text_link" in types and "pre" in types and "custom_emoji" in types
    link = next(e for e in sent.entities if e.type == "text_link")
    assert link.url == "https://dichvucong.gov.vn/"


async def test_lenient_entities_mode_keeps_bare_ampersands_like_tdlib() -> None:
    async with BotApiStandIn(strict_html_entities=False) as lenient:
        citizen = lenient.create_citizen()
        lenient.send_text(citizen.user_id, "chào")
        async with Bot(token=lenient.token, base_url=lenient.base_url) as client:
            sent = await client.send_message(citizen.user_id, "A&B &nbsp; &lt", parse_mode="HTML")
    assert sent.text == "A&B &nbsp; <"


@pytest.mark.parametrize("data", ["x" * 65, "đ" * 33, ""])
async def test_callback_data_over_64_bytes_is_rejected(bot: Bot, chat_id: int, data: str) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Chọn", callback_data=data)]])
    with pytest.raises(BadRequest, match=r"^Button_data_invalid$"):
        await bot.send_message(chat_id, "menu", reply_markup=keyboard)


async def test_callback_data_of_exactly_64_bytes_is_fine(bot: Bot, chat_id: int) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Chọn", callback_data="đ" * 32)]])
    sent = await bot.send_message(chat_id, "menu", reply_markup=keyboard)
    assert sent.reply_markup == keyboard


async def test_unknown_chat_and_never_started_chat(bot: Bot, standin: BotApiStandIn) -> None:
    silent = standin.create_citizen()

    with pytest.raises(BadRequest, match=r"^Chat not found$"):
        await bot.send_message(999_999, "xin chào")
    with pytest.raises(Forbidden, match=r"bot can't initiate conversation with a user"):
        await bot.send_message(silent.user_id, "xin chào")


async def test_edit_with_identical_content_is_not_modified(bot: Bot, chat_id: int) -> None:
    sent = await bot.send_message(chat_id, "<b>Hồ sơ</b>", parse_mode="HTML")

    with pytest.raises(BadRequest, match=r"^Message is not modified: specified new message"):
        await bot.edit_message_text("<b>Hồ sơ</b>", chat_id, sent.message_id, parse_mode="HTML")
    edited = await bot.edit_message_text("Hồ sơ", chat_id, sent.message_id)  # bold dropped
    assert isinstance(edited, type(sent)) and edited.edit_date is not None
    with pytest.raises(BadRequest, match=r"^Message is not modified"):
        await bot.edit_message_reply_markup(chat_id, sent.message_id, reply_markup=None)


async def test_blocked_user(bot: Bot, chat_id: int, standin: BotApiStandIn) -> None:
    standin.block(chat_id)
    with pytest.raises(Forbidden, match=r"^Forbidden: bot was blocked by the user$"):
        await bot.send_message(chat_id, "nhắc lịch")

    standin.unblock(chat_id)
    assert (await bot.send_message(chat_id, "nhắc lịch")).text == "nhắc lịch"


async def test_more_than_one_message_per_second_to_a_private_chat(
    bot: Bot, chat_id: int, standin: BotApiStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    standin.rate_limits = RateLimits()  # Telegram's defaults: 30/s overall, 1/s per chat

    await bot.send_message(chat_id, "một")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(chat_id, "hai")

    assert caught.value.retry_after == dtm.timedelta(seconds=1)
    assert standin.stats.too_many_requests == 1
    assert standin.engine.limiter.refusals == {"chat": 1}  # which limit, for benchmarks
    assert [m.text for m in standin.messages(chat_id)] == ["một"]


async def test_a_short_burst_to_a_private_chat_when_bursts_are_modelled(
    bot: Bot, chat_id: int, standin: BotApiStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    standin.rate_limits = RateLimits(per_private_chat_burst=3)

    for text in ("một", "hai", "ba"):
        await bot.send_message(chat_id, text)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(chat_id, "bốn")

    assert caught.value.retry_after == dtm.timedelta(seconds=1)
    assert standin.engine.limiter.refusals == {"chat": 1}
    assert [m.text for m in standin.messages(chat_id)] == ["một", "hai", "ba"]


async def test_more_than_30_messages_per_second_overall(
    bot: Bot, standin: BotApiStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    chats = [standin.create_citizen().user_id for _ in range(31)]
    for user_id in chats:
        standin.send_text(user_id, "chào")
    standin.rate_limits = RateLimits()

    for user_id in chats[:30]:
        await bot.send_message(user_id, "thông báo")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(chats[30], "thông báo")

    assert caught.value.retry_after == dtm.timedelta(seconds=1)
    assert standin.engine.limiter.refusals == {"overall": 1}


async def test_injected_flood_error_and_limits_switched_off(
    bot: Bot, chat_id: int, standin: BotApiStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    standin.inject_retry_after("sendMessage", 7)

    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(chat_id, "một")
    for text in ("hai", "ba", "bốn"):  # limits are off in this fixture
        await bot.send_message(chat_id, text)

    assert caught.value.retry_after == dtm.timedelta(seconds=7)
    assert [m.text for m in standin.messages(chat_id)] == ["hai", "ba", "bốn"]


async def test_wrong_and_malformed_tokens(standin: BotApiStandIn) -> None:
    wrong = Bot(
        token="7000000001:ANOTHER-token-that-the-server-rejects0", base_url=standin.base_url
    )
    with pytest.raises(InvalidToken, match=r"was rejected by the server"):
        await wrong.initialize()
    malformed = Bot(token="not-a-token", base_url=standin.base_url)
    with pytest.raises(InvalidToken):
        await malformed.get_me()
    assert standin.stats.statuses[401] == 1 and standin.stats.statuses[404] == 1


async def test_get_updates_while_a_webhook_is_set_is_a_conflict(
    bot: Bot, standin: BotApiStandIn
) -> None:
    await bot.set_webhook("https://127.0.0.1:9/telegram")

    with pytest.raises(Conflict, match=r"can't use getUpdates method while webhook is active"):
        await bot.get_updates()


async def test_injected_5xx_and_delay(bot: Bot, chat_id: int, standin: BotApiStandIn) -> None:
    standin.inject_fault("sendMessage", status=502, times=2)

    for _ in range(2):
        with pytest.raises(NetworkError, match=r"Bad Gateway"):
            await bot.send_message(chat_id, "thử")
    sent = await bot.send_message(chat_id, "thử lại")
    standin.inject_delay("getMe", 0.3)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await bot.get_me()

    assert sent.text == "thử lại"
    assert loop.time() - started >= 0.3
    assert standin.stats.statuses[502] == 2
    assert [m.text for m in standin.messages(chat_id)] == ["thử lại"]
