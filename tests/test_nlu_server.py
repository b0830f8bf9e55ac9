"""Contract tests against the real Rasa server (started by the `nlu_server` fixture)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
import yaml

from bot.nlu_client import NluClient
from bot.nlu_tools import real_data
from bot.nlu_tools.evaluate import (
    evaluate,
    predict,
    score_real,
    strip_diacritics,
    understand_all,
)
from bot.nlu_tools.nlu_yaml import load_many
from bot.nlu_tools.rasa_process import RasaServer
from bot.understanding import understand

pytestmark = pytest.mark.nlu_server
HELDOUT = Path(__file__).parent / "nlu" / "data" / "heldout.yml"
# The NLU predicts the contract's intents (bot/knowledge/intents.py lists the issue-11 additions
# once their answers are merged; tests/nlu/test_training_data.py checks the two agree).
DOMAIN_INTENTS = yaml.safe_load((Path(__file__).parents[1] / "nlu" / "domain.yml").read_text())[
    "intents"
]
# Measured on tests/nlu/data/real_questions.yml (see test_real_questions_keep_the_measured_figures).
# Measured (python -m bot nlu eval --model current, 105 questions from 36 sites never used in
# training): intent 0.552, topic 0.657, served wrong 0.067, across topics 0.010, facts F1 0.885
# (in-scope questions) - short of the issue's targets, see README "NLU". The bounds are the
# measured figures with about three questions (0.03) of margin: a regression guard.
REAL_MIN_INTENT = 0.52
REAL_MIN_TOPIC = 0.62
REAL_MAX_SERVED_WRONG = 0.10
REAL_MAX_CROSS_TOPIC = 0.04
REAL_MIN_FACT_F1 = 0.85
# Intents added by issue 11: their held-out lines are scored apart from the original chat set.
ISSUE_11_INTENTS = frozenset(
    {
        "funeral_support",
        "health_insurance",
        "disaster_relief",
        "application_status",
        "complaint_appeal",
        "emergency",
    }
)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        (
            "Mẹ tôi năm nay 80 tuổi, không có lương hưu thì có được trợ cấp không ạ?",
            "allowance_eligibility",
        ),
        ("tro cap nguoi khuyet tat dac biet nang duoc bn tien 1 thang", "allowance_amount"),
        ("cho e đk lớp may vs", "register_vocational"),
        ("hủy đăng ký giúp tôi", "cancel_registration"),
        ("chào ad ạ", "greet"),
    ],
)
async def test_parse_answers_contract_intents(
    nlu_server: RasaServer, text: str, intent: str
) -> None:
    async with NluClient(nlu_server.url, token=nlu_server.auth_token) as client:
        result = await client.parse(text)
    assert result.intent == intent
    assert result.intent in DOMAIN_INTENTS
    assert {name for name, _ in result.ranking} == set(DOMAIN_INTENTS)


async def test_entities_come_back_with_canonical_values(nlu_server: RasaServer) -> None:
    async with NluClient(nlu_server.url, token=nlu_server.auth_token) as client:
        result = await client.parse("Cháu ở xa Quang Lam muốn học nghề may, sđt 0912 345 678")
    assert result.first("commune") == "Quảng Lâm"
    assert result.first("trade") == "may công nghiệp"
    assert result.first("phone") == "+84912345678"


async def test_nfd_gets_the_same_intent_and_confidence_as_nfc(nlu_server: RasaServer) -> None:
    text = "Người khuyết tật nặng được hưởng trợ cấp bao nhiêu một tháng?"
    # normalise=False: the server itself must cope with NFD, not only the bot's client.
    async with NluClient(nlu_server.url, normalise=False, token=nlu_server.auth_token) as client:
        nfc_result = await client.parse(text)
        nfd_result = await client.parse(unicodedata.normalize("NFD", text))
    assert nfd_result.intent == nfc_result.intent
    assert nfd_result.confidence == nfc_result.confidence


async def test_without_diacritics_same_intent(nlu_server: RasaServer) -> None:
    text = "Hồ sơ xin hỗ trợ làm nhà gồm những giấy tờ gì?"
    async with NluClient(nlu_server.url, token=nlu_server.auth_token) as client:
        with_marks = await client.parse(text)
        without = await client.parse(strip_diacritics(text))
    assert with_marks.intent == without.intent == "housing_procedure"


async def test_heldout_accuracy_meets_the_targets(nlu_server: RasaServer) -> None:
    """Regression guard: the original chat lines >= 0.95 (measured 0.953), the lines of the
    issue-11 intents >= 0.85 (measured 0.90), all >= 0.92 without diacritics, NFD = NFC."""
    examples = load_many([HELDOUT])
    async with NluClient(
        nlu_server.url, timeout=30, normalise=False, token=nlu_server.auth_token
    ) as client:
        result = await evaluate(client, examples)
        parses = await predict(client, [e.text for e in examples])
    as_written, stripped, nfd = result.scores
    hits = {
        added: [
            p.intent == e.intent
            for e, p in zip(examples, parses, strict=True)
            if (e.intent in ISSUE_11_INTENTS) is added
        ]
        for added in (False, True)
    }
    assert sum(hits[False]) / len(hits[False]) >= 0.95, as_written.confusions
    assert sum(hits[True]) / len(hits[True]) >= 0.85, as_written.confusions
    assert stripped.intent_accuracy >= 0.92, stripped.confusions
    assert result.nfd_identical == result.nfd_total
    assert nfd.intent_accuracy == as_written.intent_accuracy


# --- Real citizen questions through the understanding layer --------------------------------

REAL = real_data.load_test()
THRESHOLD = 0.55  # the chat's default (bot.settings)


async def test_real_questions_keep_the_measured_figures(nlu_server: RasaServer) -> None:
    """Regression guard on the real-question test set (pages never used for training).

    Figures measured with `make nlu-eval` (README, "NLU"); the bounds leave one or two
    questions of margin so that a retrain on a busy machine does not flake, while a real
    regression (e.g. losing the question-sentence reading or the topic calibration) fails.
    """
    async with NluClient(nlu_server.url, timeout=30, token=nlu_server.auth_token) as client:
        results = await understand_all(client, [q.text for q in REAL])
    scores = score_real("as written", REAL, results, threshold=THRESHOLD)
    assert scores.intent_accuracy >= REAL_MIN_INTENT, scores.mistakes
    assert scores.topic_accuracy >= REAL_MIN_TOPIC, scores.mistakes
    assert scores.served_wrong <= REAL_MAX_SERVED_WRONG, scores.mistakes
    assert scores.served_cross_topic <= REAL_MAX_CROSS_TOPIC, scores.mistakes
    assert scores.fact_f1 >= REAL_MIN_FACT_F1, scores.per_fact_f1


@pytest.mark.parametrize(
    ("text", "intent", "facts"),
    [
        (
            "mẹ tôi 80 tuổi không có lương hưu được bao nhiêu",
            "allowance_amount",
            {"relation": "mẹ", "age": "80", "pension": "none"},
        ),
        (
            "bà nội em 82 tuổi ko có lương hưu thì dc trợ cấp bao nhiêu",
            "allowance_amount",
            {"relation": "bà", "age": "82", "pension": "none"},
        ),
        ("bà tôi hưởng trợ cấp vừa mất thì được hỗ trợ mai táng không", "funeral_support", {}),
        ("người hưởng trợ cấp có được cấp thẻ bảo hiểm y tế không", "health_insurance", {}),
        ("có người đang đánh con tôi", "emergency", {"relation": "con"}),
    ],
)
async def test_examples_of_the_issue_are_understood_with_their_facts(
    nlu_server: RasaServer, text: str, intent: str, facts: dict[str, str]
) -> None:
    async with NluClient(nlu_server.url, token=nlu_server.auth_token) as client:
        result = await understand(text, client)
        stripped = await understand(strip_diacritics(text), client)
    assert result.intent == intent and result.confidence >= THRESHOLD
    assert facts.items() <= dict(result.facts).items()
    assert stripped.intent == intent
    assert facts.items() <= dict(stripped.facts).items()


async def test_the_server_returns_canonical_fact_entities(nlu_server: RasaServer) -> None:
    async with NluClient(nlu_server.url, token=nlu_server.auth_token) as client:
        result = await client.parse("bố tôi 75t khuyết tật đặc biệt nặng, có lương hưu thấp")
    found = {(e.entity, e.value) for e in result.entities}
    assert {
        ("relation", "bố"),
        ("age", "75"),
        ("disability_level", "đặc biệt nặng"),
        ("pension", "lower"),
    } <= found


async def test_negated_poor_household_is_not_an_entity(nlu_server: RasaServer) -> None:
    async with NluClient(nlu_server.url, token=nlu_server.auth_token) as client:
        result = await understand(
            "nhà tôi không thuộc hộ nghèo nhưng nhà dột nát có được hỗ trợ làm nhà không", client
        )
    assert result.topic == "housing"
    assert result.first("target_group") != "hộ nghèo"
    assert result.negated == ("hộ nghèo",)


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("chuyện nhà ở", "housing"),
        ("vụ nhà ở", "housing"),
        ("tiền trợ cấp", "allowance"),
        ("trợ cấp ạ", "allowance"),
        ("kiếm việc làm", "jobs"),
        ("việc làm ạ", "jobs"),
    ],
)
async def test_a_bare_topic_name_is_read_as_its_topic_never_as_chit_chat(
    nlu_server: RasaServer, text: str, topic: str
) -> None:
    """Elderly citizens often type only the topic: "trợ cấp" once came back as "affirm"."""
    async with NluClient(nlu_server.url, token=nlu_server.auth_token) as client:
        result = await understand(text, client)
    assert result.topic == topic, (result.intent, result.confidence)
