"""Which Bot API calls take a slot of Telegram's message limits (bot.outbox.ptb_limiter).

Through the real python-telegram-bot `ExtBot` and the local stand-in, so the endpoint names
are the ones PTB really passes to the limiter: a message (or an edit of one) is counted once;
the button's spinner, "typing…", deletions and calls without a chat are not; the dispatcher's
pre-granted sends are not counted twice; a reply refused with 429 takes a second slot when it
is tried again (so a benchmark's grant count exceeds its replies by the replies retried).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ChatAction
from telegram.ext import ExtBot

from bot.outbox.ptb_limiter import PRE_GRANTED, PtbRateLimiter, counts
from bot.outbox.rate_limit import Priority, RateLimiter
from telegram_standin import BotApiStandIn, RateLimits

pytestmark = pytest.mark.timeout(60)

USER = 701
Grant = tuple[int, Priority]


@pytest.mark.parametrize(
    "endpoint",
    [
        "sendMessage",
        "sendDocument",
        "sendPhoto",
        "sendMediaGroup",
        "copyMessage",
        "forwardMessage",
        "editMessageText",
        "editMessageReplyMarkup",
        "editMessageCaption",
    ],
)
def test_messages_and_their_edits_are_counted(endpoint: str) -> None:
    assert counts(endpoint)


@pytest.mark.parametrize(
    "endpoint",
    [
        "sendChatAction",
        "answerCallbackQuery",
        "deleteMessage",
        "getUpdates",
        "setWebhook",
        "getMe",
        "setMyCommands",
        "getFile",
        "editChatInviteLink",
        "editForumTopic",
        "editStory",
    ],
)
def test_calls_that_put_no_message_in_a_chat_are_not_counted(endpoint: str) -> None:
    assert not counts(endpoint)


@pytest.fixture
async def standin() -> AsyncIterator[BotApiStandIn]:
    # Telegram's limits off: each test counts grants, not what a burst of them would meet.
    async with BotApiStandIn(rate_limits=RateLimits.off()) as running:
        running.create_citizen(USER)
        running.send_command(USER, "start")
        yield running


@pytest.fixture
def grants() -> list[Grant]:
    return []


@pytest.fixture
async def bot(standin: BotApiStandIn, grants: list[Grant]) -> AsyncIterator[ExtBot[None]]:
    limiter = RateLimiter(
        per_chat_interval=0, on_grant=lambda chat, _at, priority: grants.append((chat, priority))
    )
    ptb_bot: ExtBot[None] = ExtBot(
        standin.token, base_url=standin.base_url, rate_limiter=PtbRateLimiter(limiter)
    )
    async with ptb_bot:
        yield ptb_bot


async def test_an_answer_to_a_typed_question_is_one_counted_send(
    bot: ExtBot[None], grants: list[Grant]
) -> None:
    await bot.send_chat_action(USER, ChatAction.TYPING)
    assert grants == []
    await bot.send_message(USER, "Người khuyết tật nặng: khoảng 1.050.000 đ/tháng")
    assert grants == [(USER, Priority.REPLY)]


async def test_a_pressed_button_costs_only_the_edit_of_its_message(
    standin: BotApiStandIn, bot: ExtBot[None], grants: list[Grant]
) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Đồng ý", callback_data="c|yes")]])
    sent = await bot.send_message(USER, "Xin phép lưu thông tin?", reply_markup=keyboard)
    grants.clear()
    query_id = standin.press_button(USER, message_id=sent.message_id, callback_data="c|yes")
    await bot.answer_callback_query(query_id)
    assert grants == []
    await bot.edit_message_text("✅ Đã ghi nhận", chat_id=USER, message_id=sent.message_id)
    menu = InlineKeyboardMarkup([[InlineKeyboardButton("Học nghề", callback_data="m|job")]])
    await bot.edit_message_reply_markup(chat_id=USER, message_id=sent.message_id, reply_markup=menu)
    assert grants == [(USER, Priority.REPLY), (USER, Priority.REPLY)]
    grants.clear()
    await bot.delete_message(USER, sent.message_id)
    await bot.get_me()
    assert grants == []


async def test_the_dispatchers_pre_granted_sends_are_not_counted_twice(
    bot: ExtBot[None], grants: list[Grant]
) -> None:
    await bot.send_message(USER, "Nhắc lịch", rate_limit_args=PRE_GRANTED)
    assert grants == []
    await bot.send_message(USER, "Thông báo", rate_limit_args=Priority.BROADCAST)
    assert grants == [(USER, Priority.BROADCAST)]


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # PTB's own int->timedelta notice
async def test_a_reply_refused_with_429_is_granted_again_when_retried(
    standin: BotApiStandIn, bot: ExtBot[None], grants: list[Grant]
) -> None:
    standin.inject_retry_after("sendMessage", retry_after=1)
    await bot.send_message(USER, "Trợ cấp xã hội hằng tháng: …")
    assert grants == [(USER, Priority.REPLY), (USER, Priority.REPLY)]
    assert [m.text for m in standin.messages(USER) if m.from_bot] == [
        "Trợ cấp xã hội hằng tháng: …"
    ]
