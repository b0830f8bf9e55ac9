"""Dated facts: the value valid on the day asked, its history, and flags when it ages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from bot.knowledge import KnowledgeBase
from bot.knowledge.base import render_variant
from bot.knowledge.facts import (
    Fact,
    FactBook,
    TemplateError,
    check_template,
    fact_names,
    format_money,
    render,
)


def fact(periods: list[dict[str, Any]], reviewed_on: str = "2026-12-03", **extra: Any) -> Fact:
    source = {"document": "Nghị định 1/2026/NĐ-CP", "date": "2026-01-01"}
    return Fact.model_validate(
        {
            "label": "Mức thử",
            "kind": "money",
            "reviewed_on": reviewed_on,
            "periods": [{"source": source, "grade": "S", **p} for p in periods],
            **extra,
        }
    )


def test_money_is_written_the_vietnamese_way() -> None:
    assert format_money(1_050_000) == "1.050.000 đ"
    assert format_money(10_800_000) == "10.800.000 đ"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2024, 6, 30), "360.000 đ"),
        (dt.date(2024, 7, 1), "500.000 đ"),
        (dt.date(2026, 6, 30), "500.000 đ"),
        (dt.date(2026, 7, 1), "540.000 đ"),
    ],
)
def test_the_national_standard_on_each_day(kb: KnowledgeBase, day: dt.date, expected: str) -> None:
    assert render("{fact:national_standard}", kb.facts, day).text == expected


def test_since_tells_the_date_and_the_previous_value(kb: KnowledgeBase) -> None:
    text = render("{fact:national_standard:since}", kb.facts, dt.date(2026, 12, 3)).text
    assert text == "từ 1/7/2026: 540.000 đ (trước đó 500.000 đ)"


def test_calc_multiplies_facts_and_numbers(kb: KnowledgeBase) -> None:
    day = dt.date(2026, 12, 3)
    assert render("{calc:qn_standard*coef_disability_severe}", kb.facts, day).text == "1.050.000 đ"
    assert render("{calc:20*national_standard}", kb.facts, day).text == "10.800.000 đ"
    assert render("{calc:max(national_standard,qn_standard)}", kb.facts, day).text == "700.000 đ"


def test_sources_of_the_facts_used_follow_the_date(kb: KnowledgeBase) -> None:
    before = render("{fact:national_standard}", kb.facts, dt.date(2026, 6, 1)).sources
    after = render("{fact:national_standard}", kb.facts, dt.date(2026, 7, 1)).sources
    assert [s.document for s in before] == ["Nghị định 76/2024/NĐ-CP"]
    assert [s.document for s in after] == ["Nghị định 335/2026/NĐ-CP"]


def test_a_fact_whose_period_ended_is_flagged_not_shown_as_current() -> None:
    book = FactBook(
        {"muc": fact([{"value": 100000, "valid_from": "2025-01-01", "valid_to": "2025-12-31"}])}
    )
    value = book.on("muc", dt.date(2026, 12, 3))
    assert value.ended and value.flagged
    assert [s.name for s in book.stale(dt.date(2026, 12, 3))] == ["muc"]
    assert "hết hiệu lực từ 31/12/2025" in book.stale(dt.date(2026, 12, 3))[0].reason


def test_a_review_older_than_twelve_months_is_flagged() -> None:
    book = FactBook(
        {"muc": fact([{"value": 100000, "valid_from": "2025-01-01"}], reviewed_on="2025-06-01")}
    )
    assert not book.on("muc", dt.date(2026, 6, 1)).flagged
    assert book.on("muc", dt.date(2026, 7, 2)).review_stale
    assert "quá 12 tháng" in book.stale(dt.date(2026, 7, 2))[0].reason


def test_an_answer_with_a_stale_fact_says_so(kb: KnowledgeBase) -> None:
    entry = kb.entries["allowance_amount"]
    variant = entry.variants[0]
    # Thirteen months after every fact's review: each figure is flagged in the text.
    answer = render_variant("allowance_amount", entry, variant, kb.facts, dt.date(2028, 1, 10))
    assert answer.stale_facts
    assert "số liệu có thể đã cũ" in answer.text
    fresh = render_variant("allowance_amount", entry, variant, kb.facts, dt.date(2026, 12, 3))
    assert not fresh.stale_facts and "số liệu có thể đã cũ" not in fresh.text


def test_the_shipped_facts_are_fresh_today(kb: KnowledgeBase) -> None:
    stale = [s.name for s in kb.facts.stale(dt.date(2026, 12, 3))]
    # Ended periods told only as history, and the weakly sourced campaign levels.
    assert set(stale) <= {
        "housing_campaign_new_build",
        "housing_campaign_repair",
        "yagi_collapsed",
        "yagi_heavy_damage",
        "emergency_house_destroyed",
        "emergency_house_relocated",
        "emergency_house_damaged",
    }


@pytest.mark.parametrize(
    ("periods", "message"),
    [
        (
            [{"value": 1, "valid_from": "2025-01-01"}, {"value": 2, "valid_from": "2026-01-01"}],
            "periods overlap",
        ),
        (
            [
                {"value": 2, "valid_from": "2026-01-01", "valid_to": "2026-12-31"},
                {"value": 1, "valid_from": "2025-01-01", "valid_to": "2025-12-31"},
            ],
            "oldest first",
        ),
        ([{"value": "năm trăm", "valid_from": "2025-01-01"}], "money fact needs numbers"),
        (
            [{"value": 1, "valid_from": "2025-01-01", "valid_to": "2024-01-01"}],
            "is before valid_from",
        ),
        ([{"value": 1, "valid_from": "2025-01-01", "grade": "W"}], "must say verified: false"),
    ],
)
def test_badly_dated_facts_are_refused(periods: list[dict[str, Any]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        fact(periods)


def test_templates_name_only_known_facts(kb: KnowledgeBase) -> None:
    assert check_template("{fact:national_standard}", kb.facts) == []
    assert check_template("{fact:nationl_standard}", kb.facts) == [
        "unknown fact 'nationl_standard' (facts.yml)"
    ]
    assert fact_names("{calc:20*max(national_standard,qn_standard)} {fact:qn_standard:since}") == {
        "national_standard",
        "qn_standard",
    }
    with pytest.raises(TemplateError):
        render("{calc:coefficients_basis*2}", kb.facts, dt.date(2026, 12, 3))


def test_a_verdict_with_an_aged_fact_says_so(kb: KnowledgeBase) -> None:
    answers = {
        "for_whom": "other",
        "age": "from_80",
        "household": "other",
        "disability": "none",
        "pension": "no",
    }
    check = kb.checks["allowance"]
    old = check.evaluate(answers, facts=kb.facts, on=dt.date(2028, 1, 10))
    assert old.caveats and old.caveats[0].startswith("Số liệu có thể đã cũ")
    assert "Số liệu có thể đã cũ" in old.render_html()
    fresh = check.evaluate(answers, facts=kb.facts, on=dt.date(2026, 12, 3))
    assert not any("đã cũ" in caveat for caveat in fresh.caveats)
