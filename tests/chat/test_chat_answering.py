"""The rule that turns an understood message into an answer, a clarification or an officer."""

from __future__ import annotations

from bot.chat.answering import Outcome, decide, entity_map, suggestions
from bot.nlu_client import ParsedEntity
from bot.understanding import Source, Understanding

RANKING = (
    ("affirm", 0.26),
    ("register_job_fair", 0.25),
    ("greet", 0.2),
    ("register_vocational", 0.14),
    ("nlu_fallback", 0.1),
    ("housing_eligibility", 0.05),
    ("allowance_amount", 0.01),
)


def _nlu(intent: str, confidence: float) -> Understanding:
    return Understanding(intent, confidence, Source.NLU, ranking=RANKING)


def test_a_confident_intent_is_answered() -> None:
    decision = decide(_nlu("allowance_amount", 0.93), threshold=0.55, misses=3)
    assert (decision.outcome, decision.intent, decision.review_reason) == (
        Outcome.ANSWER,
        "allowance_amount",
        None,
    )


def test_low_confidence_asks_with_three_meaningful_suggestions() -> None:
    decision = decide(_nlu("affirm", 0.26), threshold=0.55, misses=0)
    assert decision.outcome is Outcome.CLARIFY
    assert decision.suggestions == (
        "register_job_fair",
        "register_vocational",
        "housing_eligibility",
    )
    assert decision.review_reason == "low_confidence"


def test_a_second_unclear_message_offers_the_officer() -> None:
    decision = decide(_nlu("affirm", 0.26), threshold=0.55, misses=1)
    assert (decision.outcome, decision.review_reason) == (Outcome.OFFER_OFFICER, "unclear")


def test_rasa_fallback_counts_as_unsure_even_with_high_confidence() -> None:
    decision = decide(_nlu("nlu_fallback", 0.9), threshold=0.55, misses=0)
    assert decision.outcome is Outcome.CLARIFY


def test_nothing_worth_suggesting_offers_the_officer_at_once() -> None:
    understanding = Understanding("greet", 0.2, Source.NLU, ranking=(("greet", 0.2),))
    decision = decide(understanding, threshold=0.55, misses=0)
    assert decision.outcome is Outcome.OFFER_OFFICER


def test_out_of_scope_is_answered_and_kept_for_review() -> None:
    decision = decide(_nlu("out_of_scope", 0.99), threshold=0.55, misses=0)
    assert (decision.outcome, decision.intent, decision.review_reason) == (
        Outcome.ANSWER,
        "out_of_scope",
        "out_of_scope",
    )


def test_keywords_answer_and_no_match_shows_the_menu() -> None:
    keyword = Understanding("allowance_amount", 1.0, Source.KEYWORDS)
    nothing = Understanding(None, 0.0, Source.NONE)
    assert decide(keyword, threshold=0.55, misses=0).outcome is Outcome.ANSWER
    none = decide(nothing, threshold=0.55, misses=0)
    assert (none.outcome, none.review_reason) == (Outcome.MENU, "nlu_down")


def test_suggestions_skip_unknown_and_repeated_intents() -> None:
    ranking = (("made_up", 0.5), ("job_fairs", 0.3), ("job_fairs", 0.2), ("deny", 0.1))
    assert suggestions(ranking) == ("job_fairs",)


def test_entity_map_keeps_the_first_value_of_each_entity() -> None:
    understanding = Understanding(
        "register_vocational",
        0.9,
        Source.NLU,
        entities=(
            ParsedEntity("trade", "may công nghiệp", 0, 3),
            ParsedEntity("trade", "nấu ăn", 5, 8),
            ParsedEntity("phone", "+84912345678", 10, 20),
        ),
    )
    assert entity_map(understanding) == {"trade": "may công nghiệp", "phone": "+84912345678"}
