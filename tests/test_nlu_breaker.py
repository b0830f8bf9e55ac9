"""A slow or paused NLU server: every citizen still gets an answer within the deadline.

The fake server is a real HTTP server (Starlette on uvicorn, on loopback) whose /model/parse
hangs while "paused", as the Rasa server did when it was stopped with SIGSTOP.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.asgi_server import LocalServer
from bot.nlu_breaker import CircuitBreaker
from bot.nlu_client import NluClient, NluUnavailable
from bot.understanding import Source, understand

DEADLINE = 1.0
ANSWER = {
    "text": "trợ cấp",
    "intent": {"name": "allowance_amount", "confidence": 0.9},
    "entities": [],
    "intent_ranking": [{"name": "allowance_amount", "confidence": 0.9}],
}


@dataclass
class SlowNlu:
    running: asyncio.Event = field(default_factory=asyncio.Event)
    parses: int = 0
    statuses: int = 0

    def app(self) -> Starlette:
        async def parse(request: Request) -> JSONResponse:
            self.parses += 1
            await self.running.wait()  # paused: hang like a SIGSTOPped server
            return JSONResponse(ANSWER)

        async def status(request: Request) -> JSONResponse:
            self.statuses += 1
            await self.running.wait()
            return JSONResponse({"model_file": "nlu.tar.gz"})

        return Starlette(
            routes=[
                Route("/model/parse", parse, methods=["POST"]),
                Route("/status", status, methods=["GET"]),
            ]
        )


@pytest.fixture
async def slow_nlu() -> AsyncIterator[tuple[SlowNlu, str]]:
    nlu = SlowNlu()
    server = LocalServer(nlu.app())
    await server.start()
    try:
        yield nlu, server.url
    finally:
        nlu.running.set()
        await server.stop()


def _client(url: str, breaker: CircuitBreaker | None = None) -> NluClient:
    return NluClient(url, timeout=3.0, deadline=DEADLINE, breaker=breaker)


async def test_five_concurrent_parses_all_return_within_the_deadline_when_paused(
    slow_nlu: tuple[SlowNlu, str],
) -> None:
    nlu, url = slow_nlu
    async with _client(url, CircuitBreaker(threshold=3, cool_down=60)) as client:
        started = time.monotonic()
        results = await asyncio.gather(
            *(client.parse(f"câu hỏi {n}") for n in range(5)), return_exceptions=True
        )
        elapsed = time.monotonic() - started
    assert all(isinstance(result, NluUnavailable) for result in results)
    # Before: 2 × 3 s per message, one after the other (6, 12, … 30 s). Now one deadline.
    assert elapsed < DEADLINE + 1.0
    assert nlu.parses == 5


async def test_citizens_get_keyword_answers_within_the_deadline_then_at_once(
    slow_nlu: tuple[SlowNlu, str],
) -> None:
    nlu, url = slow_nlu
    breaker = CircuitBreaker(threshold=3, cool_down=60)
    async with _client(url, breaker) as client:
        first = await asyncio.gather(*(understand("trợ cấp bao nhiêu", client) for _ in range(3)))
        assert breaker.is_open
        asked = nlu.parses
        started = time.monotonic()
        later = await asyncio.gather(*(understand("học nghề may", client) for _ in range(5)))
        elapsed = time.monotonic() - started
    assert [u.source for u in first] == [Source.KEYWORDS] * 3
    assert [u.intent for u in later] == ["vocational_classes"] * 5
    assert nlu.parses == asked  # the open breaker did not ask the hanging server again
    assert elapsed < 0.5


async def test_the_background_probe_closes_the_breaker_when_the_server_is_back(
    slow_nlu: tuple[SlowNlu, str],
) -> None:
    nlu, url = slow_nlu
    breaker = CircuitBreaker(threshold=2, cool_down=0.1, probe_interval=0.1)
    async with _client(url, breaker) as client:
        for _ in range(2):
            with pytest.raises(NluUnavailable):
                await client.parse("xin chào")
        assert breaker.is_open
        await asyncio.sleep(0.3)
        assert breaker.is_open and nlu.statuses >= 1  # probing, server still paused
        nlu.running.set()
        for _ in range(50):
            if not breaker.is_open:
                break
            await asyncio.sleep(0.1)
        assert not breaker.is_open
        assert (await client.parse("trợ cấp")).intent == "allowance_amount"


async def test_a_success_resets_the_count_so_sporadic_failures_do_not_open_it() -> None:
    breaker = CircuitBreaker(threshold=3)

    async def never_called() -> bool:
        raise AssertionError("no probe expected")

    for _ in range(5):
        breaker.record_failure(never_called)
        breaker.record_failure(never_called)
        breaker.record_success()
    assert not breaker.is_open and breaker.times_opened == 0
