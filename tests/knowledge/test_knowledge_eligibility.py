"""Eligibility checks on realistic citizens; never a promise; rules cite sources."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.knowledge import KnowledgeBase, KnowledgeError
from bot.knowledge.checks import html_problems
from bot.knowledge.eligibility import (
    ELIGIBILITY_DIR,
    EligibilityCheck,
    IncompleteAnswers,
    Outcome,
    Verdict,
    evaluate,
    load_checks,
)

TODAY = dt.date(2026, 11, 29)
CAVEAT = "chưa được xác nhận"


def allowance(**answers: str) -> Verdict:
    return evaluate("allowance", answers)


def housing(**answers: str) -> Verdict:
    return evaluate("housing", answers)


# --- monthly social allowance -----------------------------------------------------------


def test_80_year_old_without_pension_is_likely_eligible_with_coefficient_caveat() -> None:
    verdict = allowance(age="from_80", household="other", disability="none", pension="no")
    assert verdict.outcome is Outcome.LIKELY_ELIGIBLE
    assert "elderly_80_no_pension" in verdict.rule_ids
    assert any("Hệ số 1,0" in c and CAVEAT in c for c in verdict.caveats)
    assert "Nếu thuộc nhiều diện, bạn chỉ được hưởng một mức cao nhất." in verdict.caveats


def test_pensioner_is_likely_not_for_the_age_based_allowance() -> None:
    verdict = allowance(age="from_80", household="other", disability="none", pension="yes")
    assert verdict.outcome is Outcome.LIKELY_NOT
    assert verdict.rule_ids == ["elderly_with_pension"]
    assert "lương hưu" in verdict.reasons[0]


def test_severe_disability_is_likely_eligible_with_certificate() -> None:
    verdict = allowance(
        age="from_23_to_59", household="other", disability="very_severe", pension="no"
    )
    assert verdict.outcome is Outcome.LIKELY_ELIGIBLE
    assert verdict.rule_ids[:2] == ["disability_severe", "disability_care_support"]
    assert "Giấy xác nhận khuyết tật" in verdict.documents


def test_disabled_child_needs_no_pension_question() -> None:
    verdict = allowance(
        age="from_3_to_15", household="other", disability="severe", orphan="has_parents"
    )
    assert verdict.outcome is Outcome.LIKELY_ELIGIBLE
    assert "disability_severe" in verdict.rule_ids


def test_disability_with_pension_is_likely_not() -> None:
    verdict = allowance(age="from_60_to_69", household="other", disability="severe", pension="yes")
    assert verdict.outcome is Outcome.LIKELY_NOT
    assert "disability_with_pension" in verdict.rule_ids


def test_mild_disability_is_likely_not() -> None:
    verdict = allowance(age="from_23_to_59", household="other", disability="mild", pension="no")
    assert verdict.outcome is Outcome.LIKELY_NOT
    assert verdict.rule_ids == ["disability_mild"]


def test_disability_without_certificate_needs_an_officer() -> None:
    verdict = allowance(
        age="from_23_to_59",
        household="poor",
        disability="not_assessed",
        pension="no",
        single_parent="no",
    )
    assert verdict.outcome is Outcome.NEEDS_OFFICER
    assert "30 ngày" in verdict.reasons[0]


def test_orphan_child_is_likely_eligible() -> None:
    verdict = allowance(
        age="from_3_to_15", household="other", disability="none", orphan="both_parents_dead"
    )
    assert verdict.outcome is Outcome.LIKELY_ELIGIBLE
    assert "Giấy khai sinh của trẻ" in verdict.documents


def test_orphan_over_16_only_while_studying() -> None:
    studying = allowance(
        age="from_16_to_22",
        household="other",
        disability="none",
        orphan="abandoned",
        studying="yes",
    )
    working = allowance(
        age="from_16_to_22", household="other", disability="none", orphan="abandoned", studying="no"
    )
    assert studying.outcome is Outcome.LIKELY_ELIGIBLE
    assert working.outcome is Outcome.LIKELY_NOT


def test_poor_single_parent_is_likely_eligible_with_amount_caveat() -> None:
    verdict = allowance(
        age="from_23_to_59",
        household="near_poor",
        disability="none",
        pension="no",
        single_parent="yes",
    )
    assert verdict.outcome is Outcome.LIKELY_ELIGIBLE
    assert any(CAVEAT in c and "đơn thân" in c for c in verdict.caveats)


def test_poor_elderly_without_caregiver_is_likely_eligible() -> None:
    verdict = allowance(
        age="from_60_to_69",
        household="poor",
        disability="none",
        pension="no",
        caregiver="no_caregiver",
        single_parent="no",
    )
    assert verdict.outcome is Outcome.LIKELY_ELIGIBLE
    assert verdict.rule_ids == ["elderly_poor_no_caregiver"]


def test_poor_elderly_with_pension_needs_an_officer() -> None:
    verdict = allowance(
        age="from_70_to_74",
        household="poor",
        disability="none",
        pension="yes",
        caregiver="no_caregiver",
    )
    assert verdict.outcome is Outcome.NEEDS_OFFICER


def test_near_poor_72_year_old_may_get_the_social_pension() -> None:
    verdict = allowance(age="from_70_to_74", household="near_poor", disability="none", pension="no")
    assert verdict.outcome is Outcome.LIKELY_ELIGIBLE
    assert verdict.rule_ids == ["social_pension_70_poor"]
    assert any("hưu trí xã hội" in c and CAVEAT in c for c in verdict.caveats)


def test_healthy_40_year_old_is_likely_not_via_fallback() -> None:
    verdict = allowance(age="from_23_to_59", household="other", disability="none", pension="no")
    assert verdict.outcome is Outcome.LIKELY_NOT
    assert verdict.rule_ids == []
    assert "UBND xã nơi cư trú" in verdict.reasons[0]


def test_unknown_household_category_needs_an_officer() -> None:
    verdict = allowance(age="from_60_to_69", household="unknown", disability="none", pension="no")
    assert verdict.outcome is Outcome.NEEDS_OFFICER
    assert verdict.rule_ids == ["household_unknown"]


# --- housing support ---------------------------------------------------------------------


def test_poor_household_in_temporary_house_is_likely_eligible_with_caveat() -> None:
    verdict = housing(
        household="poor", merit="no", condition="temporary", disaster="none", previous_support="no"
    )
    assert verdict.outcome is Outcome.LIKELY_ELIGIBLE
    assert verdict.rule_ids == ["poor_temporary_house"]
    assert any(CAVEAT in c for c in verdict.caveats)


def test_storm_damage_for_near_poor_household() -> None:
    verdict = housing(
        household="near_poor", merit="no", condition="solid", disaster="heavily_damaged"
    )
    assert verdict.outcome is Outcome.LIKELY_ELIGIBLE
    assert "Tờ khai hỗ trợ khẩn cấp về nhà ở (Mẫu 06)" in verdict.documents


def test_storm_damage_for_other_household_needs_an_officer() -> None:
    verdict = housing(
        household="other",
        merit="no",
        condition="degraded",
        disaster="destroyed",
        previous_support="no",
        vulnerable="no",
    )
    assert verdict.outcome is Outcome.NEEDS_OFFICER


def test_merit_family_with_degraded_house_is_likely_eligible() -> None:
    verdict = housing(
        household="other", merit="yes", condition="degraded", disaster="none", previous_support="no"
    )
    assert verdict.outcome is Outcome.LIKELY_ELIGIBLE
    assert verdict.rule_ids == ["merit_house"]


def test_earlier_support_needs_an_officer() -> None:
    verdict = housing(
        household="poor", merit="no", condition="temporary", disaster="none", previous_support="yes"
    )
    assert verdict.outcome is Outcome.NEEDS_OFFICER
    assert verdict.rule_ids == ["previously_supported"]


def test_solid_house_is_likely_not() -> None:
    verdict = housing(household="poor", merit="no", condition="solid", disaster="none")
    assert verdict.outcome is Outcome.LIKELY_NOT


def test_lonely_elderly_in_other_household_needs_an_officer() -> None:
    verdict = housing(
        household="other",
        merit="no",
        condition="temporary",
        disaster="none",
        previous_support="no",
        vulnerable="yes",
    )
    assert verdict.outcome is Outcome.NEEDS_OFFICER
    assert "xã hội hóa" in verdict.reasons[0]


def test_not_a_target_group_is_likely_not() -> None:
    verdict = housing(
        household="other",
        merit="no",
        condition="degraded",
        disaster="none",
        previous_support="no",
        vulnerable="no",
    )
    assert verdict.outcome is Outcome.LIKELY_NOT
    assert verdict.rule_ids == ["not_a_target_group"]


# --- the flow: which question comes next -------------------------------------------------


def test_next_question_skips_what_does_not_apply(kb: KnowledgeBase) -> None:
    check = kb.checks["allowance"]
    asked = []
    answers: dict[str, str] = {}
    scripted = {
        "age": "from_80",
        "household": "poor",
        "disability": "none",
        "pension": "no",
        "caregiver": "has_caregiver",
    }
    while (question := check.next_question(answers)) is not None:
        asked.append(question.id)
        answers[question.id] = scripted[question.id]
    assert asked == ["age", "household", "disability", "pension", "caregiver"]
    assert check.evaluate(answers).outcome is Outcome.LIKELY_ELIGIBLE


def test_child_is_asked_about_parents_not_pension(kb: KnowledgeBase) -> None:
    check = kb.checks["allowance"]
    answers = {"age": "from_3_to_15", "household": "other", "disability": "none"}
    question = check.next_question(answers)
    assert question is not None and question.id == "orphan"


def test_bad_answers_are_refused(kb: KnowledgeBase) -> None:
    check = kb.checks["allowance"]
    with pytest.raises(ValueError, match="has no question 'income'"):
        check.evaluate({"income": "low"})
    with pytest.raises(ValueError, match=r"'old' is not an answer to allowance\.age"):
        check.evaluate({"age": "old"})


def test_evaluating_half_answered_check_is_refused(kb: KnowledgeBase) -> None:
    with pytest.raises(IncompleteAnswers, match="'pension' is unanswered"):
        kb.checks["allowance"].evaluate(
            {"age": "from_80", "household": "other", "disability": "none"}
        )


# --- never a promise, always sourced, Telegram-safe --------------------------------------


@pytest.mark.parametrize("check_id", ["allowance", "housing"])
def test_every_rule_cites_a_source_and_hedges(kb: KnowledgeBase, check_id: str) -> None:
    check: EligibilityCheck = kb.checks[check_id]
    for rule in check.rules:
        assert rule.sources, rule.id
        if rule.outcome is Outcome.LIKELY_ELIGIBLE:
            assert "có thể" in rule.reason, rule.id
        if not rule.verified:
            assert rule.caveat and CAVEAT in rule.caveat, rule.id


@pytest.mark.parametrize(
    ("check_id", "answers"),
    [
        (
            "allowance",
            {
                "age": "from_80",
                "household": "poor",
                "disability": "very_severe",
                "pension": "no",
                "caregiver": "no_caregiver",
            },
        ),
        (
            "allowance",
            {"age": "from_23_to_59", "household": "other", "disability": "none", "pension": "no"},
        ),
        (
            "housing",
            {
                "household": "poor",
                "merit": "yes",
                "condition": "temporary",
                "disaster": "destroyed",
                "previous_support": "no",
            },
        ),
    ],
)
def test_rendered_verdict_is_safe_and_says_the_commune_decides(
    check_id: str, answers: dict[str, str]
) -> None:
    rendered = evaluate(check_id, answers).render_html()
    assert not html_problems(rendered)
    assert "UBND xã nơi cư trú sẽ xét duyệt" in rendered
    assert "Nguồn: " in rendered and "cập nhật 29/11/2026" in rendered
    assert "chắc chắn" not in rendered.lower()
    assert len(rendered) < 4096


# --- broken rule files -------------------------------------------------------------------


def broken(tmp_path: Path, change: Any) -> list[str]:
    target = tmp_path / "eligibility"
    shutil.copytree(ELIGIBILITY_DIR, target)
    path = target / "allowance.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_checks(target, today=TODAY)
    return [str(problem) for problem in caught.value.problems]


def rule(data: dict[str, Any], rule_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(r for r in data["rules"] if r["id"] == rule_id)
    return found


def test_rule_naming_an_unknown_answer(tmp_path: Path) -> None:
    problems = broken(
        tmp_path, lambda d: rule(d, "disability_mild")["when"].update(disability=["slight"])
    )
    assert len(problems) == 1
    assert problems[0].startswith(
        "eligibility/allowance.yml: (top level): rule "
        "disability_mild.when.disability: ['slight'] not among"
    )


def test_eligible_rule_that_promises(tmp_path: Path) -> None:
    problems = broken(
        tmp_path,
        lambda d: rule(d, "disability_severe").update(
            reason="Người khuyết tật nặng chắc chắn được trợ cấp."
        ),
    )
    assert "never promise: remove ['chắc chắn']" in problems[0]
    assert "rules[" in problems[0] and ".reason" in problems[0]


def test_eligible_rule_without_hedge(tmp_path: Path) -> None:
    problems = broken(
        tmp_path,
        lambda d: rule(d, "disability_severe").update(
            reason="Người khuyết tật nặng thuộc diện trợ cấp hằng tháng."
        ),
    )
    assert "a likely_eligible reason must say 'có thể'" in problems[0]


def test_unverified_rule_without_caveat(tmp_path: Path) -> None:
    problems = broken(tmp_path, lambda d: rule(d, "elderly_80_no_pension").pop("caveat"))
    assert "verified: false needs a caveat" in problems[0]


def test_rule_without_sources(tmp_path: Path) -> None:
    problems = broken(tmp_path, lambda d: rule(d, "disability_mild").update(sources=[]))
    assert "sources" in problems[0] and "at least 1 item" in problems[0]


def test_disclaimer_must_leave_the_decision_to_the_commune(tmp_path: Path) -> None:
    problems = broken(tmp_path, lambda d: d.update(disclaimer="Đây là kết quả chính thức."))
    assert "disclaimer must say 'UBND xã nơi cư trú sẽ xét duyệt'" in problems[0]


def test_shipped_checks_load_with_the_knowledge_base(kb: KnowledgeBase) -> None:
    assert set(kb.checks) == {"allowance", "housing"}
