"""NluClient: typed results, NFC at the edge, one retry, clear NluUnavailable."""

from __future__ import annotations

import json
import unicodedata

import httpx
import pytest

from bot.nlu_client import NluClient, NluUnavailable

RASA_ANSWER = {
    "text": "trợ cấp người cao tuổi ở Quảng Lâm",
    "intent": {"name": "allowance_amount", "confidence": 0.91},
    "entities": [
        {"entity": "target_group", "value": "người cao tuổi", "start": 8, "end": 22},
        {"entity": "commune", "value": "Quảng Lâm", "start": 26, "end": 35},
    ],
    "intent_ranking": [
        {"name": "allowance_amount", "confidence": 0.91},
        {"name": "allowance_eligibility", "confidence": 0.05},
    ],
}


def _client(handler: httpx.MockTransport, **kwargs: float) -> NluClient:
    return NluClient("http://nlu.test", transport=handler, **kwargs)  # type: ignore[arg-type]


async def test_parse_returns_intent_confidence_entities_and_ranking() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=RASA_ANSWER))
    async with _client(transport) as client:
        result = await client.parse("trợ cấp người cao tuổi ở Quảng Lâm")
    assert (result.intent, result.confidence) == ("allowance_amount", 0.91)
    assert result.first("commune") == "Quảng Lâm"
    assert result.entity_values("target_group") == ["người cao tuổi"]
    assert result.ranking[1] == ("allowance_eligibility", 0.05)


async def test_text_is_sent_in_nfc() -> None:
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(json.loads(request.content)["text"])
        return httpx.Response(200, json=RASA_ANSWER)

    async with _client(httpx.MockTransport(handler)) as client:
        await client.parse(unicodedata.normalize("NFD", "đăng ký"))
    assert sent == ["đăng ký"]


async def test_one_retry_then_success() -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(200, json=RASA_ANSWER)

    async with _client(httpx.MockTransport(handler)) as client:
        result = await client.parse("xin chào")
    assert calls == 2 and result.intent == "allowance_amount"


@pytest.mark.parametrize(
    ("failure", "attempts"),
    [
        (lambda r: (_ for _ in ()).throw(httpx.ConnectError("refused", request=r)), 2),
        (lambda r: (_ for _ in ()).throw(httpx.ReadTimeout("slow", request=r)), 2),
        (lambda r: httpx.Response(503, text="loading"), 2),
        (lambda r: httpx.Response(200, text="not json"), 2),
        # A well-formed HTTP answer with a nonsensical body will not improve on retry.
        (lambda r: httpx.Response(200, json={"intent": {"name": "x", "confidence": "high"}}), 1),
    ],
    ids=["refused", "timeout", "5xx", "not-json", "malformed"],
)
async def test_failures_become_nlu_unavailable(failure: object, attempts: int) -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return failure(request)  # type: ignore[operator,no-any-return]

    async with _client(httpx.MockTransport(handler)) as client:
        with pytest.raises(NluUnavailable):
            await client.parse("xin chào")
    assert calls == attempts


async def test_unreachable_server_is_reported_unhealthy() -> None:
    async with NluClient("http://127.0.0.1:9", timeout=0.5) as client:
        assert await client.healthy() is False
        with pytest.raises(NluUnavailable):
            await client.parse("xin chào")


async def test_evaluation_client_can_send_text_unchanged() -> None:
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(json.loads(request.content)["text"])
        return httpx.Response(200, json=RASA_ANSWER)

    nfd = unicodedata.normalize("NFD", "đăng ký")
    async with NluClient(
        "http://nlu.test", transport=httpx.MockTransport(handler), normalise=False
    ) as client:
        await client.parse(nfd)
    assert sent == [nfd]


async def test_the_api_token_is_sent_as_rasa_expects_and_never_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    seen: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.params.get("token"))
        return httpx.Response(200, json=RASA_ANSWER)

    caplog.set_level("DEBUG")
    async with NluClient(
        "http://nlu.test", transport=httpx.MockTransport(handler), token="bi-mat-0123456789abcdef"
    ) as client:
        await client.parse("xin chào")
    assert seen == ["bi-mat-0123456789abcdef"]
    assert "HTTP Request" in caplog.text and "token=***" in caplog.text
    assert "bi-mat-0123456789abcdef" not in caplog.text
