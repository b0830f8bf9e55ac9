"""Fixtures for the stand-in's own tests: a stand-in, and the echo bot polling it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sandbox_echo_bot import FAST_RETRY, EchoApp, build_echo_app

from telegram_standin import BotApiStandIn, RateLimits


@pytest.fixture
async def standin() -> AsyncIterator[BotApiStandIn]:
    """A stand-in with flood limits off (tests that need them switch them on)."""
    async with BotApiStandIn(rate_limits=RateLimits.off(), webhook_retry=FAST_RETRY) as server:
        yield server


@pytest.fixture
async def polling_bot(standin: BotApiStandIn) -> AsyncIterator[EchoApp]:
    """The echo bot running with long polling against `standin`."""
    app = build_echo_app(standin)
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(timeout=5)
    yield app
    await app.updater.stop()
    await app.stop()
    await app.shutdown()
