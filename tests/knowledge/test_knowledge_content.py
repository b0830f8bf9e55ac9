"""The shipped content: Telegram-safe HTML, real diacritics, caveats next to unconfirmed
figures (../shared/domain-facts.md ⚠️), and examples computed right."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from bot.knowledge import KnowledgeBase
from bot.knowledge.checks import MAX_TEXT_CHARS, accented_share, html_problems

CAVEAT = "chưa được xác nhận"
MONEY = r"\d{1,3}(?:\.\d{3})+\s?đ\b|\d+(?:,\d+)?\s?triệu"

# Figures domain-facts marks ⚠️: (what, trigger, context). In any bullet or line where the
# trigger and the context both occur, the caveat must occur too.
UNVERIFIED_FIGURES = [
    ("K5b/K5c hệ số 1,0", r"hệ số 1,0", r"80 tuổi|75"),
    ("K5d hệ số 3,0", r"hệ số 3,0", r""),
    ("hệ số người đơn thân", rf"hệ số|{MONEY}", r"đơn thân"),
    ("mức xóa nhà tạm 2025", r"60 triệu|30 triệu", r"2025|xóa nhà tạm"),
    ("mức trợ cấp hưu trí xã hội", rf"{MONEY}|mức tiền|mức trợ cấp", r"hưu trí xã hội"),
    ("mai táng phí 10 triệu", r"mai táng", MONEY),
    ("chi phí đi Nhật 3.600 USD", r"USD", r""),
    ("hệ số người nhận nuôi dưỡng NKT", r"nhận nuôi", r"hệ số"),
    ("mức hỗ trợ nhà ở của Quảng Ninh", r"Quảng Ninh", r"mức hỗ trợ nhà|hỗ trợ nhà ở.*\d"),
]


def all_texts(kb: KnowledgeBase) -> Iterator[tuple[str, str]]:
    """(where, text) for every citizen-facing text: answers, questions, rules, verdict parts."""
    for intent, entry in kb.entries.items():
        for variant in entry.all_variants():
            yield f"{intent}/{variant.key}", variant.text
    for check in kb.checks.values():
        yield f"{check.id}/where", check.where_to_apply
        yield f"{check.id}/disclaimer", check.disclaimer
        for question in check.questions:
            yield f"{check.id}/{question.id}", question.text
        for rule in check.rules:
            yield f"{check.id}/{rule.id}", rule.reason + (f"\n{rule.caveat}" if rule.caveat else "")
        yield f"{check.id}/fallback", check.fallback.reason


def segments(text: str) -> list[str]:
    return [part for line in text.splitlines() for part in line.split("•") if part.strip()]


def test_there_are_texts_to_check(kb: KnowledgeBase) -> None:
    assert sum(1 for _ in all_texts(kb)) > 100


def test_html_is_telegram_safe(kb: KnowledgeBase) -> None:
    bad = {where: html_problems(text) for where, text in all_texts(kb) if html_problems(text)}
    assert not bad


def test_rendered_answers_are_telegram_safe_and_fit(kb: KnowledgeBase) -> None:
    for intent, entry in kb.entries.items():
        for variant in entry.all_variants():
            group = variant.target_group[0] if variant.target_group else ""
            rendered = kb.answer(intent, {"target_group": group}).render_html()
            assert not html_problems(rendered), intent
            assert len(rendered) < 4096
            assert len(variant.text) <= MAX_TEXT_CHARS


def test_only_bold_italic_and_links(kb: KnowledgeBase) -> None:
    for where, text in all_texts(kb):
        tags = set(re.findall(r"</?([a-zA-Z]+)", text))
        assert tags <= {"b", "i", "a"}, where


def test_texts_have_vietnamese_diacritics(kb: KnowledgeBase) -> None:
    for where, text in all_texts(kb):
        assert re.search(r"[^\x00-\x7f]", text), where
        assert accented_share(text) > 0.15, where


def unverified_without_caveat(text: str) -> list[str]:
    """Bullets or lines stating a ⚠️ figure without saying it is unconfirmed."""
    found = []
    for what, trigger, context in UNVERIFIED_FIGURES:
        for segment in segments(text):
            stated = re.search(trigger, segment, re.I) and re.search(context, segment, re.I)
            if stated and (CAVEAT not in segment or "UBND xã" not in text):
                found.append(f"{what}: {segment.strip()}")
    return found


def test_unverified_figures_carry_the_caveat(kb: KnowledgeBase) -> None:
    found = {where: unverified_without_caveat(text) for where, text in all_texts(kb)}
    bad = {where: problems for where, problems in found.items() if problems}
    assert not bad


@pytest.mark.parametrize(
    "text",
    [
        "• Từ đủ 80 tuổi không có lương hưu: hệ số 1,0 → 700.000 đ/tháng. Hỏi UBND xã.",
        "• Người đơn thân nuôi con: 1.050.000 đ/tháng.",
        "• Xóa nhà tạm năm 2025: 60 triệu đồng/căn. Hỏi UBND xã.",
        "• Trợ cấp hưu trí xã hội: 500.000 đ/tháng.",
        "• Mai táng phí 10 triệu đồng.",
        "• Đi Nhật tối đa 3.600 USD. Hỏi UBND xã.",
        "• Hệ số 1,0 cho người 80 tuổi chưa được xác nhận.",  # caveat, but no UBND xã
    ],
)
def test_the_scan_catches_unverified_figures(text: str) -> None:
    assert unverified_without_caveat(text)


def test_the_scan_accepts_caveated_and_verified_figures() -> None:
    text = (
        "• Từ đủ 80 tuổi: hệ số 1,0 → 700.000 đ, <b>chưa được xác nhận</b>.\n"
        "• Nhà bị thiên tai: tối thiểu 30 triệu đồng.\n"
        "• Đặc biệt nặng: hệ số 2,0 → 1.400.000 đ/tháng.\nHỏi UBND xã nơi cư trú."
    )
    assert unverified_without_caveat(text) == []


def test_district_office_always_comes_with_its_abolition(kb: KnowledgeBase) -> None:
    for where, text in all_texts(kb):
        if re.search(r"Phòng LĐ|cấp huyện|UBND huyện", text):
            assert "1/7/2025" in text, where


def test_unverified_answers_send_people_to_the_commune(kb: KnowledgeBase) -> None:
    unverified = [
        (intent, variant)
        for intent, entry in kb.entries.items()
        for variant in entry.all_variants()
        if not variant.verified
    ]
    assert len(unverified) >= 10
    for intent, variant in unverified:
        assert CAVEAT in variant.text and "UBND xã" in variant.text, intent
        assert variant.unverified, intent


@pytest.mark.parametrize(
    ("intent", "group"),
    [
        ("allowance_payment", None),
        ("allowance_procedure", None),
        ("housing_amount", None),
        ("housing_procedure", None),
        ("contact_office", None),
        ("allowance_amount", "người đơn thân nuôi con"),
        ("allowance_amount", "người cao tuổi"),
    ],
)
def test_answers_resting_on_unverified_facts_are_flagged(
    kb: KnowledgeBase, intent: str, group: str | None
) -> None:
    answer = kb.answer(intent, {"target_group": group} if group else None)
    assert not answer.verified
    assert CAVEAT in answer.text


def test_examples_are_computed_at_the_quang_ninh_standard(kb: KnowledgeBase) -> None:
    example = re.compile(r"hệ số (\d),(\d) (?:→ |\(khoảng )(\d{1,3}(?:\.\d{3})+) đ")
    found = 0
    for where, text in all_texts(kb):
        for whole, tenth, amount in example.findall(text):
            found += 1
            expected = (int(whole) * 10 + int(tenth)) * 70_000
            assert int(amount.replace(".", "")) == expected, (where, whole, tenth, amount)
    assert found >= 10


def test_amount_answers_state_formula_and_both_standards(kb: KnowledgeBase) -> None:
    for group in (
        None,
        "người cao tuổi",
        "người khuyết tật",
        "trẻ em mồ côi",
        "người đơn thân nuôi con",
        "hộ nghèo",
    ):
        text = kb.answer("allowance_amount", {"target_group": group} if group else None).text
        assert "mức chuẩn × hệ số" in text, group
        assert "700.000 đ" in text and "1/10/2024" in text, group
        assert "500.000 đ" in text and "1/7/2024" in text, group
        assert "UBND xã nơi cư trú" in text, group


def test_severe_disability_example_from_the_brief(kb: KnowledgeBase) -> None:
    text = kb.answer("allowance_amount", {"target_group": "người khuyết tật"}).text
    assert "Đặc biệt nặng: hệ số 2,0 → <b>1.400.000 đ/tháng</b>" in text


def test_no_answer_names_a_district_office_as_the_place_to_go(kb: KnowledgeBase) -> None:
    for where, text in all_texts(kb):
        # "đừng lên Phòng LĐ…" / "không cần lên…" are fine; an instruction to go is not.
        assert not re.search(r"(?<!đừng )(?<!cần )(nộp tại|đến|lên) Phòng LĐ", text), where
