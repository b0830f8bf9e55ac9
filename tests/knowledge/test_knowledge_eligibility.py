"""Eligibility checks on realistic citizens; never a promise; rules cite sources."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.knowledge import KnowledgeBase, KnowledgeError
from bot.knowledge.checks import MAX_TEXT_CHARS, html_problems
from bot.knowledge.eligibility import (
    ELIGIBILITY_DIR,
    EligibilityCheck,
    IncompleteAnswers,
    Outcome,
    evaluate,
    load_checks,
)

TODAY = dt.date(2026, 12, 3)
CAVEAT = "chưa được xác nhận"


# --- the table: realistic citizens, the outcome and amount each must get ---------------------
# Dates: before the national standard and the social pension rose (1/6/2026) and after
# (3/12/2026). Quảng Ninh's own standard (700.000 đ since 1/10/2024) stays above the national
# one, so TCXH amounts do not move; the social pension goes from 500.000 đ to 540.000 đ by
# itself, from facts.yml. Amount None = the verdict must state no amount.

BEFORE = dt.date(2026, 6, 1)
AFTER = dt.date(2026, 12, 3)
E, OFFICER, N = Outcome.LIKELY_ELIGIBLE, Outcome.NEEDS_OFFICER, Outcome.LIKELY_NOT

ALLOWANCE_CASES: list[tuple[str, dict[str, str], Outcome, int | None, int | None]] = [
    # (who, answers, outcome, amount before 1/7/2026, amount after)
    (
        "mẹ 80 tuổi, không lương hưu",
        dict(for_whom="other", age="from_80", household="other", disability="none", pension="no"),
        E,
        500_000,
        540_000,
    ),
    (
        "bố 76 tuổi, lương hưu thấp hơn trợ cấp hưu trí xã hội (harmful case 3)",
        dict(
            for_whom="other",
            age="from_75_to_79",
            household="other",
            disability="none",
            pension="lower",
        ),
        E,
        None,
        None,
    ),
    (
        "ông 82 tuổi có lương hưu đủ",
        dict(for_whom="other", age="from_80", household="other", disability="none", pension="yes"),
        N,
        None,
        None,
    ),
    (
        "72 tuổi hộ cận nghèo không lương hưu",
        dict(
            for_whom="self",
            age="from_70_to_74",
            household="near_poor",
            disability="none",
            pension="no",
            seriously_ill="no",
        ),
        E,
        500_000,
        540_000,
    ),
    (
        "72 tuổi hộ nghèo, lương hưu thấp",
        dict(
            for_whom="self",
            age="from_70_to_74",
            household="poor",
            disability="none",
            pension="lower",
            caregiver="has_caregiver",
            seriously_ill="no",
        ),
        E,
        None,
        None,
    ),
    (
        "65 tuổi hộ nghèo không ai phụng dưỡng",
        dict(
            for_whom="self",
            age="from_60_to_69",
            household="poor",
            disability="none",
            pension="no",
            caregiver="no_caregiver",
            single_parent="no",
            seriously_ill="no",
        ),
        E,
        1_050_000,
        1_050_000,
    ),
    (
        "85 tuổi hộ nghèo không ai phụng dưỡng: mức cao hơn thắng",
        dict(
            for_whom="other",
            age="from_80",
            household="poor",
            disability="none",
            pension="no",
            caregiver="no_caregiver",
            seriously_ill="no",
        ),
        E,
        1_400_000,
        1_400_000,
    ),
    (
        "con 30 tuổi khuyết tật nặng",
        dict(
            for_whom="other",
            age="from_23_to_59",
            household="other",
            disability="severe",
            pension="no",
        ),
        E,
        1_050_000,
        1_050_000,
    ),
    (
        "40 tuổi khuyết tật đặc biệt nặng",
        dict(
            for_whom="self",
            age="from_23_to_59",
            household="other",
            disability="very_severe",
            pension="no",
        ),
        E,
        1_400_000,
        1_400_000,
    ),
    (
        "cháu 10 tuổi khuyết tật nặng",
        dict(
            for_whom="other",
            age="from_3_to_15",
            household="other",
            disability="severe",
            orphan="has_parents",
        ),
        E,
        1_400_000,
        1_400_000,
    ),
    (
        "bà 78 tuổi khuyết tật đặc biệt nặng: 1,75 triệu hơn trợ cấp hưu trí",
        dict(
            for_whom="other",
            age="from_75_to_79",
            household="other",
            disability="very_severe",
            pension="no",
        ),
        E,
        1_750_000,
        1_750_000,
    ),
    (
        "khuyết tật nặng có lương hưu",
        dict(
            for_whom="self",
            age="from_23_to_59",
            household="other",
            disability="severe",
            pension="yes",
        ),
        N,
        None,
        None,
    ),
    (
        "khuyết tật nhẹ",
        dict(
            for_whom="self", age="from_23_to_59", household="other", disability="mild", pension="no"
        ),
        N,
        None,
        None,
    ),
    (
        "khuyết tật chưa có giấy xác nhận",
        dict(
            for_whom="other",
            age="from_23_to_59",
            household="other",
            disability="not_assessed",
            pension="no",
        ),
        OFFICER,
        None,
        None,
    ),
    (
        "trẻ 2 tuổi mồ côi cả cha mẹ",
        dict(
            for_whom="other",
            age="under_3",
            household="other",
            disability="none",
            orphan="both_parents_dead",
        ),
        E,
        1_750_000,
        1_750_000,
    ),
    (
        "trẻ 8 tuổi bị bỏ rơi",
        dict(
            for_whom="other",
            age="from_3_to_15",
            household="other",
            disability="none",
            orphan="abandoned",
        ),
        E,
        1_050_000,
        1_050_000,
    ),
    (
        "19 tuổi mồ côi đang học",
        dict(
            for_whom="self",
            age="from_16_to_22",
            household="other",
            disability="none",
            orphan="both_parents_dead",
            studying="yes",
        ),
        E,
        1_050_000,
        1_050_000,
    ),
    (
        "19 tuổi mồ côi không đi học",
        dict(
            for_whom="self",
            age="from_16_to_22",
            household="other",
            disability="none",
            orphan="both_parents_dead",
            studying="no",
        ),
        N,
        None,
        None,
    ),
    (
        "mẹ đơn thân hộ nghèo: hệ số chưa xác nhận, không nêu số tiền",
        dict(
            for_whom="self",
            age="from_23_to_59",
            household="poor",
            disability="none",
            pension="no",
            single_parent="yes",
            seriously_ill="no",
        ),
        E,
        None,
        None,
    ),
    (
        "người bệnh nặng hộ cận nghèo (harmful case 4: nhóm riêng Quảng Ninh)",
        dict(
            for_whom="other",
            age="from_23_to_59",
            household="near_poor",
            disability="none",
            pension="no",
            single_parent="no",
            seriously_ill="yes",
        ),
        OFFICER,
        None,
        None,
    ),
    (
        "trẻ 1 tuổi hộ nghèo (nhóm riêng Quảng Ninh)",
        dict(
            for_whom="other",
            age="under_3",
            household="poor",
            disability="none",
            orphan="has_parents",
        ),
        OFFICER,
        None,
        None,
    ),
    (
        "40 tuổi khỏe mạnh",
        dict(
            for_whom="self", age="from_23_to_59", household="other", disability="none", pension="no"
        ),
        N,
        None,
        None,
    ),
    (
        "65 tuổi không biết hộ gì",
        dict(
            for_whom="self",
            age="from_60_to_69",
            household="unknown",
            disability="none",
            pension="no",
        ),
        OFFICER,
        None,
        None,
    ),
]

HOUSING_CASES: list[tuple[str, dict[str, str], Outcome]] = [
    (
        "hộ khá giả ở nhà tạm (harmful case 1)",
        dict(
            for_whom="self",
            household="other",
            merit="no",
            condition="temporary",
            disaster="none",
            previous_support="no",
            vulnerable="no",
        ),
        OFFICER,
    ),
    (
        "hộ nghèo nhà tạm",
        dict(
            for_whom="self",
            household="poor",
            merit="no",
            condition="temporary",
            disaster="none",
            previous_support="no",
        ),
        OFFICER,
    ),
    (
        "hộ nghèo nhà sập do bão Yagi 9/2024 (harmful case 2)",
        dict(
            for_whom="self",
            household="poor",
            merit="no",
            condition="temporary",
            disaster="destroyed",
            disaster_when="old",
            previous_support="no",
        ),
        OFFICER,
    ),
    (
        "hộ thường nhà vừa bị lũ cuốn",
        dict(
            for_whom="other",
            household="other",
            merit="no",
            condition="solid",
            disaster="destroyed",
            disaster_when="recent",
            vulnerable="no",
        ),
        OFFICER,
    ),
    (
        "nhà kiên cố, không thiệt hại",
        dict(for_whom="self", household="poor", merit="no", condition="solid", disaster="none"),
        N,
    ),
    (
        "người có công nhà xuống cấp",
        dict(
            for_whom="other",
            household="other",
            merit="yes",
            condition="degraded",
            disaster="none",
            previous_support="no",
        ),
        OFFICER,
    ),
    (
        "hộ thường nhà xuống cấp",
        dict(
            for_whom="self",
            household="other",
            merit="no",
            condition="degraded",
            disaster="none",
            previous_support="no",
            vulnerable="no",
        ),
        N,
    ),
    (
        "đã được hỗ trợ trước",
        dict(
            for_whom="self",
            household="near_poor",
            merit="no",
            condition="temporary",
            disaster="none",
            previous_support="yes",
        ),
        OFFICER,
    ),
]


@pytest.mark.parametrize(("day", "column"), [(BEFORE, 3), (AFTER, 4)])
@pytest.mark.parametrize("case", ALLOWANCE_CASES, ids=[c[0] for c in ALLOWANCE_CASES])
def test_allowance_table(case: tuple[Any, ...], day: dt.date, column: int) -> None:
    who, answers, outcome, amount = case[0], case[1], case[2], case[column]
    verdict = evaluate("allowance", answers, on=day)
    assert verdict.outcome is outcome, who
    assert verdict.amount == amount, who
    first_line = verdict.render_html().split("\n", 1)[0]
    if amount is not None:
        money = f"{amount:,}".replace(",", ".") + " đ/tháng"
        assert f"khoảng {money}" in first_line, first_line
        assert "×" not in first_line and "hệ số" not in first_line  # formula comes later
    subject = "Người này" if answers["for_whom"] == "other" else "Bạn"
    assert subject.lower() in first_line.lower(), first_line
    if answers["for_whom"] == "other":
        assert "bạn" not in first_line.lower()
    if outcome is Outcome.LIKELY_NOT:
        assert verdict.documents == [] and "Giấy tờ" not in verdict.render_html()


@pytest.mark.parametrize("case", HOUSING_CASES, ids=[c[0] for c in HOUSING_CASES])
@pytest.mark.parametrize("day", [BEFORE, AFTER])
def test_housing_table(case: tuple[Any, ...], day: dt.date) -> None:
    who, answers, outcome = case
    verdict = evaluate("housing", answers, on=day)
    assert verdict.outcome is outcome, who
    text = verdict.render_html()
    assert "tối thiểu" not in text and "20 đến 40 triệu" not in text
    if outcome is Outcome.LIKELY_NOT:
        assert verdict.documents == []


def test_the_table_is_big_enough() -> None:
    assert len(ALLOWANCE_CASES) + len(HOUSING_CASES) >= 20


def test_old_disaster_is_sent_to_an_officer_without_a_promise() -> None:
    text = evaluate("housing", HOUSING_CASES[2][1], on=AFTER).render_html()
    assert "đã lâu" in text.lower() or "Thiệt hại đã lâu" in text
    assert "cán bộ xã" in text


def test_disaster_asks_when_it_happened(kb: KnowledgeBase) -> None:
    check = kb.checks["housing"]
    answers = {
        "for_whom": "self",
        "household": "poor",
        "merit": "no",
        "condition": "solid",
        "disaster": "heavily_damaged",
    }
    question = check.next_question(answers)
    assert question is not None and question.id == "disaster_when"


def test_the_social_pension_switches_by_itself_on_1_july_2026() -> None:
    answers = ALLOWANCE_CASES[0][1]
    assert evaluate("allowance", answers, on=dt.date(2026, 6, 30)).amount == 500_000
    assert evaluate("allowance", answers, on=dt.date(2026, 7, 1)).amount == 540_000
    after = evaluate("allowance", answers, on=AFTER).render_html()
    assert "từ 1/7/2026: 540.000 đ (trước đó 500.000 đ)" in after
    assert "Nghị định 335/2026/NĐ-CP" in after


# --- the flow: which question comes next -------------------------------------------------


def test_next_question_skips_what_does_not_apply(kb: KnowledgeBase) -> None:
    check = kb.checks["allowance"]
    asked = []
    answers: dict[str, str] = {}
    scripted = {
        "for_whom": "other",
        "age": "from_80",
        "household": "poor",
        "disability": "none",
        "pension": "no",
        "caregiver": "has_caregiver",
        "seriously_ill": "no",
    }
    while (question := check.next_question(answers)) is not None:
        asked.append(question.id)
        answers[question.id] = scripted[question.id]
    assert asked == [
        "for_whom",
        "age",
        "household",
        "disability",
        "pension",
        "caregiver",
        "seriously_ill",
    ]
    assert check.evaluate(answers).outcome is Outcome.LIKELY_ELIGIBLE


def test_child_is_asked_about_parents_not_pension(kb: KnowledgeBase) -> None:
    check = kb.checks["allowance"]
    answers = {
        "for_whom": "self",
        "age": "from_3_to_15",
        "household": "other",
        "disability": "none",
    }
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
            {"for_whom": "self", "age": "from_80", "household": "other", "disability": "none"}
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


def all_paths(check: EligibilityCheck) -> list[dict[str, str]]:
    """Every complete set of answers the conversation can produce (depth-first)."""
    done: list[dict[str, str]] = []
    stack: list[dict[str, str]] = [{}]
    while stack:
        answers = stack.pop()
        question = check.next_question(answers)
        if question is None:
            done.append(answers)
            continue
        stack.extend({**answers, question.id: value} for value in question.values())
    return done


@pytest.mark.parametrize("check_id", ["allowance", "housing"])
@pytest.mark.parametrize("day", [dt.date(2026, 6, 1), dt.date(2026, 12, 3)])
def test_every_path_fits_one_message_and_says_the_commune_decides(
    kb: KnowledgeBase, check_id: str, day: dt.date
) -> None:
    check = kb.checks[check_id]
    paths = all_paths(check)
    assert len(paths) > 100
    longest = 0
    for answers in paths:
        verdict = check.evaluate(answers, facts=kb.facts, on=day)
        rendered = verdict.render_html()
        longest = max(longest, len(rendered))
        assert len(rendered) <= MAX_TEXT_CHARS, (answers, len(rendered))
        assert not html_problems(rendered), answers
        assert "UBND xã nơi cư trú sẽ xét duyệt" in rendered
        assert "Nguồn: " in rendered and "cập nhật 03/12/2026" in rendered
        assert "chắc chắn" not in rendered.lower()
        assert rendered.count(CAVEAT) <= 1, answers
        assert "{" not in rendered and "}" not in rendered, answers
        if answers["for_whom"] == "other":
            assert " bạn " not in rendered.split("\n", 1)[0].lower() + " "
        if verdict.outcome is Outcome.LIKELY_NOT:
            assert "Giấy tờ" not in rendered
    assert longest > 400  # the limit is tested on real, full verdicts


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
    problems = broken(tmp_path, lambda d: rule(d, "single_parent_poor").pop("caveat"))
    assert "verified: false needs a caveat" in problems[0]


def test_rule_without_sources(tmp_path: Path) -> None:
    problems = broken(tmp_path, lambda d: rule(d, "disability_mild").update(sources=[]))
    assert "sources" in problems[0] and "at least 1 item" in problems[0]


def test_disclaimer_must_leave_the_decision_to_the_commune(tmp_path: Path) -> None:
    problems = broken(tmp_path, lambda d: d.update(disclaimer="Đây là kết quả chính thức."))
    assert "disclaimer must say 'UBND xã nơi cư trú sẽ xét duyệt'" in problems[0]


def test_likely_not_rule_with_papers(tmp_path: Path) -> None:
    problems = broken(
        tmp_path,
        lambda d: rule(d, "disability_mild").update(documents=["Giấy xác nhận khuyết tật"]),
    )
    assert "a likely_not rule lists no papers to bring" in problems[0]


def test_rule_with_unknown_fact(tmp_path: Path) -> None:
    problems = broken(
        tmp_path, lambda d: rule(d, "disability_severe").update(amount="qn_standard*coef_unknown")
    )
    assert "unknown fact 'coef_unknown'" in " ".join(problems)


def test_shipped_checks_load_with_the_knowledge_base(kb: KnowledgeBase) -> None:
    assert set(kb.checks) == {"allowance", "housing"}
