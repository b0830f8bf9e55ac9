"""PTB 22 in webhook mode: the stand-in POSTs updates to a Starlette receiver in the test.

The receiver is the shape the product uses (PTB's Starlette example): check the secret
header, feed `application.update_queue`, answer 200.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from sandbox_echo_bot import EchoApp, build_echo_app
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from telegram import Update
from telegram.error import BadRequest

from bot.asgi_server import LocalServer
from telegram_standin import SECRET_HEADER, BotApiStandIn

SECRET = "webhook-secret_42"


@dataclass
class Receiver:
    """The bot's webhook endpoint; `fail_next` answers 500 that many times first."""

    app: EchoApp
    server: LocalServer
    fail_next: int = 0
    statuses: list[int] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"{self.server.url}/telegram"


@pytest.fixture
async def receiver(standin: BotApiStandIn) -> AsyncIterator[Receiver]:
    app = build_echo_app(standin, updater=False)
    holder: list[Receiver] = []

    async def telegram(request: Request) -> Response:
        state = holder[0]
        if request.headers.get(SECRET_HEADER) != SECRET:
            state.statuses.append(403)
            return Response(status_code=403)
        if state.fail_next:
            state.fail_next -= 1
            state.statuses.append(500)
            return Response(status_code=500)
        await app.update_queue.put(Update.de_json(await request.json(), app.bot))
        state.statuses.append(200)
        return Response()

    server = LocalServer(Starlette(routes=[Route("/telegram", telegram, methods=["POST"])]))
    await app.initialize()
    await app.start()
    async with server:
        holder.append(Receiver(app, server))
        yield holder[0]
    await app.stop()
    await app.shutdown()


async def test_updates_are_delivered_to_the_webhook_with_the_secret(
    standin: BotApiStandIn, receiver: Receiver
) -> None:
    await receiver.app.bot.set_webhook(receiver.url, secret_token=SECRET)
    citizen = standin.create_citizen()

    reply = await standin.ask(citizen.user_id, "chào bot")

    assert reply.text == "Bạn nói: chào bot"
    assert receiver.statuses == [200]
    info = await receiver.app.bot.get_webhook_info()
    assert info.url == receiver.url and info.pending_update_count == 0


async def test_wrong_secret_is_refused_and_retried_until_fixed(
    standin: BotApiStandIn, receiver: Receiver
) -> None:
    await receiver.app.bot.set_webhook(receiver.url, secret_token="not-the-secret")
    citizen = standin.create_citizen()
    standin.send_text(citizen.user_id, "có ai không?")

    await standin.wait_until(lambda: receiver.statuses.count(403) >= 3 or None)
    info = await receiver.app.bot.get_webhook_info()
    assert info.pending_update_count == 1
    assert info.last_error_message == "Wrong response from the webhook: 403 Forbidden"
    assert standin.messages(citizen.user_id) == []  # the bot never saw the update

    await receiver.app.bot.set_webhook(receiver.url, secret_token=SECRET)
    reply = await standin.wait_for_message(citizen.user_id)
    assert reply.text == "Bạn nói: có ai không?"
    assert receiver.statuses[-1] == 200


async def test_a_500_is_retried_and_the_update_delivered_once(
    standin: BotApiStandIn, receiver: Receiver
) -> None:
    receiver.fail_next = 1
    await receiver.app.bot.set_webhook(receiver.url, secret_token=SECRET)
    citizen = standin.create_citizen()

    reply = await standin.ask(citizen.user_id, "một lần thôi")
    await standin.wait_until(lambda: not standin.pending_updates or None)

    assert reply.text == "Bạn nói: một lần thôi"
    assert receiver.statuses == [500, 200]
    assert len(standin.messages(citizen.user_id)) == 1
    assert standin.stats.webhook_deliveries == 1 and standin.stats.webhook_failures == 1


async def test_unreachable_webhook_keeps_updates_pending(standin: BotApiStandIn) -> None:
    citizen = standin.create_citizen()
    async with LocalServer(Starlette()) as gone:
        url = f"{gone.url}/telegram"
    async with build_echo_app(standin, updater=False) as app:
        await app.bot.set_webhook(url)
        standin.send_text(citizen.user_id, "alo")
        await standin.wait_until(lambda: standin.stats.webhook_failures >= 2 or None)
        info = await app.bot.get_webhook_info()

    assert info.pending_update_count == 1
    assert info.last_error_message is not None
    assert info.last_error_message.startswith("Connection failed")


async def test_delete_webhook_keeps_or_drops_pending_updates(standin: BotApiStandIn) -> None:
    citizen = standin.create_citizen()
    async with build_echo_app(standin, updater=False) as app:
        bot = app.bot
        await bot.set_webhook("https://127.0.0.1:9/hook")  # nothing listens there
        standin.send_text(citizen.user_id, "một")
        await bot.delete_webhook()
        kept = await bot.get_updates()
        standin.send_text(citizen.user_id, "hai")
        await bot.delete_webhook(drop_pending_updates=True)
        dropped = await bot.get_updates()

    assert [u.message.text for u in kept if u.message] == ["một"]
    assert dropped == ()


async def test_webhook_url_must_be_https_unless_local(standin: BotApiStandIn) -> None:
    async with build_echo_app(standin, updater=False) as app:
        with pytest.raises(BadRequest, match=r"(?i)an https url must be provided for webhook"):
            await app.bot.set_webhook("http://bot.example.vn/hook")
        assert await app.bot.set_webhook("http://localhost:9/hook")
