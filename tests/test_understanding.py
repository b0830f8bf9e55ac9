"""understanding: the NLU server when it answers, keywords when it is down."""

from __future__ import annotations

import httpx
import pytest

from bot.nlu_client import NluClient
from bot.understanding import Source, keyword_intent, understand


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Trợ cấp người cao tuổi được bao nhiêu tiền?", "allowance_amount"),
        ("tro cap nguoi cao tuoi duoc bao nhieu tien", "allowance_amount"),
        ("cho tôi đk học nghề may", "register_vocational"),
        ("Khi nào có phiên giao dịch việc làm", "job_fairs"),
        ("nhà tôi là nhà tạm có được hỗ trợ không", "housing_eligibility"),
        ("hủy đăng ký giúp tôi", "cancel_registration"),
        ("cho tôi gặp cán bộ", "human_handoff"),
    ],
)
def test_keywords_recognise_unmistakable_questions(text: str, intent: str) -> None:
    assert keyword_intent(text) == intent


def test_no_keyword_means_no_guess() -> None:
    assert keyword_intent("giá vàng hôm nay") is None


async def test_server_down_falls_back_to_keywords() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    async with NluClient("http://nlu.test", transport=httpx.MockTransport(refuse)) as client:
        result = await understand("mức trợ cấp người khuyết tật, sdt 0912345678", client)
    assert result.source is Source.KEYWORDS
    assert result.intent == "allowance_amount"
    assert result.first("phone") == "+84912345678"


async def test_server_down_and_no_keyword_gives_no_intent() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    async with NluClient("http://nlu.test", transport=httpx.MockTransport(refuse)) as client:
        result = await understand("hôm nay trời mưa", client)
    assert (result.intent, result.source) == (None, Source.NONE)


async def test_server_answer_is_used_when_available() -> None:
    answer = {"text": "chào", "intent": {"name": "greet", "confidence": 0.97}, "entities": []}
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=answer))
    async with NluClient("http://nlu.test", transport=transport) as client:
        result = await understand("chào", client)
    assert (result.intent, result.confidence, result.source) == ("greet", 0.97, Source.NLU)
