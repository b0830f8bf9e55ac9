"""understanding: the NLU server when it answers, keywords when it is down."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest

from bot.chat.answering import entity_map
from bot.nlu_client import NluClient
from bot.understanding import Source, keyword_intent, understand
from bot.understanding.calibration import UNSURE_CAP, calibrate
from bot.understanding.sentences import find_questions, is_question, without_courtesy


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


# --- Long messages, calibration, follow-ups (NLU answers scripted per text) ---------------


THRESHOLD = 0.55  # the chat's default (bot.settings)


def scripted(answers: Callable[[str], dict[str, float]]) -> httpx.MockTransport:
    """A fake NLU server: `answers(text)` gives the intent probabilities for each text."""

    def handler(request: httpx.Request) -> httpx.Response:
        text = json.loads(request.content)["text"]
        probabilities = answers(text)
        ranking = sorted(probabilities.items(), key=lambda kv: -kv[1])
        body = {
            "text": text,
            "intent": {"name": ranking[0][0], "confidence": ranking[0][1]},
            "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking],
            "entities": [],
        }
        return httpx.Response(200, json=body)

    return httpx.MockTransport(handler)


STORY = (
    "Con gái tôi năm nay 12 tuổi bị mù bẩm sinh, nhà tôi ở gần khu công nghiệp, bố cháu "
    "đi xuất khẩu lao động bên Nhật mấy năm nay. Xin hỏi cháu có được trợ cấp hằng tháng không?"
)


def test_the_question_sentence_is_found_and_courtesy_ignored() -> None:
    asked = find_questions(STORY + " Mong được giải đáp, xin cảm ơn!")
    assert asked.primary == "Xin hỏi cháu có được trợ cấp hằng tháng không?"
    assert asked.second is None
    assert not is_question("Con tôi bị bại não bẩm sinh.")  # "não" is not "nào"
    assert is_question("bà tôi 80 tuổi có được trợ cấp không")


def test_two_questions_give_a_second_question() -> None:
    asked = find_questions(
        "Mẹ tôi năm nay 80 tuổi và không có lương hưu. Mẹ tôi có được trợ cấp hằng tháng "
        "không? Nếu được thì mức trợ cấp là bao nhiêu?"
    )
    assert asked.primary == "Mẹ tôi có được trợ cấp hằng tháng không?"
    assert asked.second == "Nếu được thì mức trợ cấp là bao nhiêu?"


async def test_a_story_is_answered_by_its_question_not_its_words() -> None:
    def answers(text: str) -> dict[str, float]:
        if text == STORY:  # the story's words pull the whole message to labour export
            return {"labour_export": 0.55, "allowance_eligibility": 0.4, "job_fairs": 0.05}
        return {"allowance_eligibility": 0.9, "allowance_amount": 0.05, "labour_export": 0.05}

    async with NluClient("http://nlu.test", transport=scripted(answers)) as client:
        result = await understand(STORY, client)
    assert result.question == "Xin hỏi cháu có được trợ cấp hằng tháng không?"
    assert result.intent == "allowance_eligibility"
    assert result.topic == "allowance"
    assert result.fact("relation") == "con" and result.fact("age") == "12"
    assert result.raw_confidence == 0.55


async def test_question_and_story_in_different_topics_is_not_served() -> None:
    def answers(text: str) -> dict[str, float]:
        if text == STORY:
            return {"labour_export": 0.95, "allowance_eligibility": 0.05}
        return {"allowance_eligibility": 0.6, "labour_export": 0.4}

    async with NluClient("http://nlu.test", transport=scripted(answers)) as client:
        result = await understand(STORY, client)
    assert result.confidence < THRESHOLD
    assert "question_and_story_disagree" in result.reasons or "close_topics" in result.reasons


def test_close_topics_are_never_served() -> None:
    decision = calibrate(
        (("housing_amount", 0.42), ("allowance_amount", 0.4), ("greet", 0.18)), words=6
    )
    assert decision.confidence <= UNSURE_CAP < THRESHOLD
    assert "close_topics" in decision.reasons


def test_two_close_intents_of_one_topic_are_covered_together() -> None:
    decision = calibrate(
        (("allowance_eligibility", 0.46), ("allowance_amount", 0.4), ("housing_amount", 0.14)),
        words=12,
    )
    assert decision.intent == "allowance_eligibility"
    assert decision.covering == ("allowance_eligibility", "allowance_amount")
    assert decision.confidence >= THRESHOLD


def test_the_topic_is_chosen_before_the_intent() -> None:
    # housing as a whole (0.6) beats the single best intent (allowance_amount 0.4).
    decision = calibrate(
        (("allowance_amount", 0.4), ("housing_amount", 0.35), ("housing_eligibility", 0.25)),
        words=8,
    )
    assert decision.topic == "housing"
    assert decision.intent == "housing_amount"


async def test_second_question_is_exposed() -> None:
    text = (
        "Bà ngoại tôi 81 tuổi, không có lương hưu, sống một mình ở xã. Bà có được hưởng trợ "
        "cấp không? Và thẻ bảo hiểm y tế của bà thì làm ở đâu?"
    )

    def answers(t: str) -> dict[str, float]:
        if "bảo hiểm y tế" in t and "?" in t and not t.startswith("Bà ngoại"):
            return {"health_insurance": 0.8, "allowance_procedure": 0.2}
        return {"allowance_eligibility": 0.85, "health_insurance": 0.15}

    async with NluClient("http://nlu.test", transport=scripted(answers)) as client:
        result = await understand(text, client)
    assert result.intent == "allowance_eligibility"
    assert result.second_intent == "health_insurance"
    assert dict(result.facts) == {"age": "81", "pension": "none", "relation": "bà"}


async def test_negated_household_never_selects_the_poor_household_answer() -> None:
    text = "nhà tôi không thuộc hộ nghèo nhưng nhà dột nát có được hỗ trợ làm nhà không"
    body = {
        "text": text,
        "intent": {"name": "housing_eligibility", "confidence": 0.9},
        "intent_ranking": [{"name": "housing_eligibility", "confidence": 0.9}],
        "entities": [
            {"entity": "target_group", "value": "hộ nghèo", "start": 20, "end": 28},
        ],
    }
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=body))
    async with NluClient("http://nlu.test", transport=transport) as client:
        result = await understand(text, client)
    assert result.first("target_group") is None
    assert result.fact("household") is None
    assert result.negated == ("hộ nghèo",)


@pytest.mark.parametrize(
    ("text", "previous", "nlu", "intent"),
    [
        (
            "nộp ở đâu",
            "housing_amount",
            {"contact_office": 0.6, "housing_procedure": 0.4},
            "housing_procedure",
        ),
        (
            "còn người khuyết tật thì sao",
            "allowance_amount",
            {"allowance_eligibility": 0.5, "out_of_scope": 0.5},
            "allowance_amount",
        ),
        (
            "thế được bao nhiêu",
            "allowance_eligibility",
            {"housing_amount": 0.5, "allowance_amount": 0.5},
            "allowance_amount",
        ),
        (
            "phòng lao động ở đâu",
            "allowance_amount",
            {"contact_office": 0.95, "allowance_procedure": 0.05},
            "contact_office",
        ),
        ("cảm ơn nhé", "allowance_amount", {"thank": 0.95, "allowance_amount": 0.05}, "thank"),
    ],
)
async def test_follow_ups_use_the_previous_topic(
    text: str, previous: str, nlu: dict[str, float], intent: str
) -> None:
    async with NluClient("http://nlu.test", transport=scripted(lambda _: nlu)) as client:
        result = await understand(text, client, previous_intent=previous)
    assert result.intent == intent
    assert result.follow_up is (intent != max(nlu, key=lambda k: nlu[k]))
    assert result.confidence >= THRESHOLD


async def test_facts_are_read_even_when_the_nlu_is_down() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    async with NluClient("http://nlu.test", transport=httpx.MockTransport(refuse)) as client:
        result = await understand(
            "mẹ tôi 80 tuổi ko có lương hưu thì được trợ cấp bao nhiêu", client
        )
    assert result.source is Source.KEYWORDS
    assert result.intent == "allowance_amount"
    assert result.fact("age") == "80" and result.fact("pension") == "none"
    assert result.about_relative


def test_allowance_facts_of_the_story_lean_to_the_allowance_topic() -> None:
    ranking = (("out_of_scope", 0.42), ("allowance_amount", 0.37), ("allowance_eligibility", 0.15))
    without = calibrate(ranking, words=10)
    with_facts = calibrate(ranking, words=10, context_topic="allowance")
    assert without.confidence < THRESHOLD
    assert with_facts.topic == "allowance"


def test_amount_wording_picks_the_amount_answer_but_not_over_other_services() -> None:
    ranking = (("allowance_eligibility", 0.58), ("allowance_amount", 0.41), ("greet", 0.01))
    decision = calibrate(ranking, words=12, aspect_intents=("allowance_amount", "housing_amount"))
    assert decision.intent == "allowance_amount" and decision.confidence >= THRESHOLD
    # "mai táng phí bao nhiêu" stays funeral support: only aspect siblings give way.
    funeral = calibrate(
        (("funeral_support", 0.7), ("allowance_eligibility", 0.2), ("allowance_amount", 0.1)),
        words=5,
        aspect_intents=("allowance_amount", "housing_amount"),
    )
    assert funeral.intent == "funeral_support"


async def test_the_issue_example_gets_the_amount_with_the_facts() -> None:
    text = "bà nội em 82 tuổi ko có lương hưu thì dc trợ cấp bao nhiêu"
    answers = {"allowance_eligibility": 0.58, "allowance_amount": 0.41, "out_of_scope": 0.01}
    async with NluClient("http://nlu.test", transport=scripted(lambda _: answers)) as client:
        result = await understand(text, client)
    assert (result.intent, result.topic) == ("allowance_amount", "allowance")
    assert result.confidence >= THRESHOLD
    assert dict(result.facts) == {"age": "82", "pension": "none", "relation": "bà"}


def test_an_out_of_scope_reading_of_a_message_naming_our_services_is_asked_about() -> None:
    """ "…có được trợ cấp xã hội hằng tháng không" read as out of scope: ask, never dismiss."""
    ranking = (("out_of_scope", 0.9), ("allowance_eligibility", 0.1))
    named = calibrate(ranking, words=12, scope=1)
    assert named.intent == "out_of_scope" and named.confidence <= UNSURE_CAP < THRESHOLD
    assert "own_service_named" in named.reasons
    # With a neighbouring service named too (a war invalid's benefits), the reading stands.
    assert calibrate(ranking, words=12, scope=1, neighbours=1).confidence >= THRESHOLD
    assert calibrate(ranking, words=12).confidence >= THRESHOLD


async def test_a_real_story_naming_the_social_allowance_is_never_dismissed_as_out_of_scope() -> (
    None
):
    story = (
        "Dịp Tết vừa qua anh chị tôi bị tai nạn và đều mất, để lại hai cháu nhỏ 4 và 6 tuổi ở "
        "với ông bà nội đã già yếu. Xin hỏi các cháu có được hưởng trợ cấp xã hội hằng tháng "
        "dành cho trẻ mồ côi không?"
    )

    def answers(text: str) -> dict[str, float]:
        return {"out_of_scope": 0.93, "allowance_eligibility": 0.07}

    async with NluClient("http://nlu.test", transport=scripted(answers)) as client:
        result = await understand(story, client)
    assert result.confidence < THRESHOLD


async def test_an_out_of_scope_question_names_the_service_to_send_the_citizen_to() -> None:
    story = (
        "Bố tôi là thương binh hạng 2/4, năm nay đã 78 tuổi và đang hưởng trợ cấp hằng tháng. "
        "Xin hỏi từ năm nay mức trợ cấp thương binh của bố tôi có được tăng không?"
    )

    def answers(text: str) -> dict[str, float]:
        return {"out_of_scope": 0.9, "allowance_amount": 0.1}

    async with NluClient("http://nlu.test", transport=scripted(answers)) as client:
        result = await understand(story, client)
        down = await understand(story, None)  # the NLU server down: still the same service
    assert result.intent == "out_of_scope" and result.confidence >= THRESHOLD
    assert result.neighbour == "người có công"
    assert entity_map(result)["neighbour"] == "người có công"
    assert down.neighbour == "người có công"


async def test_the_service_next_door_only_picks_an_out_of_scope_answer() -> None:
    # A social-pension question that says the person never paid social insurance: answered
    # as an allowance question, and no referral is attached to it.
    message = "Bà tôi 76 tuổi, không đóng bảo hiểm xã hội, có được trợ cấp hưu trí xã hội không?"

    def answers(text: str) -> dict[str, float]:
        return {"allowance_eligibility": 0.9, "out_of_scope": 0.1}

    async with NluClient("http://nlu.test", transport=scripted(answers)) as client:
        result = await understand(message, client)
    assert result.intent == "allowance_eligibility" and result.neighbour is None
    assert "neighbour" not in entity_map(result)


def test_an_allowance_reading_of_a_merit_question_is_asked_about_not_served() -> None:
    # "Bố tôi là thương binh…, được tăng trợ cấp không": the merit allowance, not ours.
    ranking = (("allowance_amount", 0.9), ("out_of_scope", 0.1))
    merit = calibrate(ranking, words=12, neighbours=1)
    assert merit.intent == "allowance_amount" and merit.confidence <= UNSURE_CAP
    assert "neighbour_named" in merit.reasons
    # Housing support for a war invalid is the assistant's own: served.
    housing = calibrate(
        (("housing_eligibility", 0.9), ("out_of_scope", 0.1)), words=12, neighbours=1
    )
    assert housing.confidence >= THRESHOLD
    # A message that also names our service ("trợ cấp xã hội") is not guarded.
    assert calibrate(ranking, words=12, neighbours=1, scope=1).confidence >= THRESHOLD


def test_greetings_and_thanks_are_not_taught_as_part_of_a_story() -> None:
    letter = (
        "Chào Luật sư, tôi có vấn đề này cần được giải đáp ạ. Mẹ tôi 80 tuổi không có lương "
        "hưu. Mẹ tôi có được trợ cấp không? Rất mong được luật sư giải đáp, xin cảm ơn!"
    )
    assert without_courtesy(letter) == (
        "Mẹ tôi 80 tuổi không có lương hưu. Mẹ tôi có được trợ cấp không?"
    )
    assert without_courtesy("Xin cảm ơn!") == "Xin cảm ơn!"  # nothing else: kept as it is
