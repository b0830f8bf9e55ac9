"""End to end through the real python-telegram-bot `Bot` and the local Bot API stand-in.

Outbox row -> Dispatcher -> TelegramSender -> PTB -> HTTP on loopback -> stand-in: checks that
the adapter's error mapping holds against real HTTP answers (200, 403, 429, 502), not only
against hand-made exceptions.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select
from telegram import Bot

from bot.db.engine import Database
from bot.db.enums import OutboxKind, OutboxStatus
from bot.db.models import Citizen, OutboxMessage
from bot.outbox.dispatcher import Dispatcher, RetryPolicy
from bot.outbox.port import RecipientBlocked, RetryAfter, TransientSendError
from bot.outbox.queue import Template, queue_message
from bot.outbox.rate_limit import RateLimiter
from bot.outbox.telegram_sender import TelegramSender
from telegram_standin import BotApiStandIn
from tests.support.factories import Factory, debug_renderer

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
async def standin() -> AsyncIterator[BotApiStandIn]:
    async with BotApiStandIn() as running:
        yield running


@pytest.fixture
async def bot(standin: BotApiStandIn) -> AsyncIterator[Bot]:
    async with Bot(standin.token, base_url=standin.base_url) as ptb_bot:
        yield ptb_bot


def _open_chat(standin: BotApiStandIn, user_id: int) -> None:
    standin.create_citizen(user_id)
    standin.send_command(user_id, "start")


async def test_message_arrives_with_its_id(standin: BotApiStandIn, bot: Bot) -> None:
    _open_chat(standin, 501)
    message_id = await TelegramSender(bot).send(chat_id=501, text="Nhắc lịch")
    [message] = standin.messages(501)
    assert (message.message_id, message.text) == (message_id, "Nhắc lịch")


async def test_blocked_and_never_started_chats_raise_recipient_blocked(
    standin: BotApiStandIn, bot: Bot
) -> None:
    _open_chat(standin, 502)
    standin.block(502)
    standin.create_citizen(503)  # never wrote to the bot
    for chat_id in (502, 503):
        with pytest.raises(RecipientBlocked):
            await TelegramSender(bot).send(chat_id=chat_id, text="x")


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # PTB's own int->timedelta notice
async def test_429_and_5xx_raise_retry_after_and_transient(
    standin: BotApiStandIn, bot: Bot
) -> None:
    _open_chat(standin, 504)
    standin.inject_retry_after("sendMessage", retry_after=7)
    with pytest.raises(RetryAfter) as caught:
        await TelegramSender(bot).send(chat_id=504, text="x")
    assert caught.value.seconds == 7
    standin.inject_fault("sendMessage", status=502)
    with pytest.raises(TransientSendError):
        await TelegramSender(bot).send(chat_id=504, text="x")


async def test_dispatcher_delivers_through_ptb_and_marks_blocked_people(
    db: Database, factory: Factory, standin: BotApiStandIn, bot: Bot
) -> None:
    reachable, blocked = await factory.citizens(2)
    for person in (reachable, blocked):
        assert person.telegram_user_id is not None
        _open_chat(standin, person.telegram_user_id)
    assert blocked.telegram_user_id is not None
    standin.block(blocked.telegram_user_id)
    async with db.transaction() as session:
        for person in (reachable, blocked):
            queue_message(
                session,
                citizen=await session.get_one(Citizen, person.id),
                kind=OutboxKind.BROADCAST,
                template=Template.BROADCAST,
                params={"text": "Xin chào"},
                due_at=factory.now,
            )
    dispatcher = Dispatcher(
        db,
        TelegramSender(bot),
        renderer=debug_renderer,
        limiter=RateLimiter(),
        startup_pause=0,
        retry=RetryPolicy(max_attempts=2),
    )

    report = await dispatcher.run_once()

    assert (report.sent, report.blocked) == (1, 1)
    async with db.transaction() as session:
        rows = {r.citizen_id: r for r in await session.scalars(select(OutboxMessage))}
        gone = await session.get_one(Citizen, blocked.id)
    assert rows[reachable.id].status == OutboxStatus.SENT
    assert reachable.telegram_user_id is not None
    [delivered] = standin.messages(reachable.telegram_user_id)
    assert rows[reachable.id].telegram_message_id == delivered.message_id
    assert rows[blocked.id].status == OutboxStatus.FAILED and gone.unreachable_at is not None
    assert standin.stats.too_many_requests == 0
