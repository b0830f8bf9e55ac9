"""Eligibility checks through the stand-in: button questions to a sourced verdict."""

from __future__ import annotations

import pytest
from driver import OLD_AND_POOR, Harness, option_label

from bot.knowledge.eligibility import NEVER_PROMISE, EligibilityCheck

pytestmark = pytest.mark.timeout(30)


async def _answer_all(
    harness: Harness, user_id: int, check: EligibilityCheck, wanted: dict[str, str]
) -> dict[str, str]:
    """Press answers until the verdict; returns what was answered."""
    given: dict[str, str] = {}
    while (question := check.next_question(given)) is not None:
        value = wanted.get(question.id, question.options[0].value)
        await harness.press(
            user_id, option_label(check, question.id, value), expect="", edited=True
        )
        given[question.id] = value
        assert len(given) < 15, "the check never ends"
    return given


async def test_allowance_check_ends_in_a_sourced_verdict(harness: Harness) -> None:
    check = harness.knowledge.checks["allowance"]
    lan = harness.citizen()
    first = await harness.command(lan, "kiemtra", "allowance", expect="Kiểm tra nhanh")
    assert "Câu 1:" in (first.text or "") and check.questions[0].text in (first.text or "")

    given = await _answer_all(harness, lan, check, OLD_AND_POOR)

    verdict = check.evaluate(given)
    shown = harness.standin.messages(lan)[-1]
    text = shown.text or ""
    assert verdict.headline in text
    assert "Nguồn:" in text and "Nơi nộp:" in text and "UBND xã nơi cư trú" in text
    assert all(reason in text for reason in verdict.reasons)
    assert not any(phrase in text.lower() for phrase in NEVER_PROMISE)
    assert shown.button_texts == ["🔄 Kiểm tra lại"]


async def test_back_undoes_the_last_answer_and_old_buttons_are_stale(harness: Harness) -> None:
    check = harness.knowledge.checks["housing"]
    lan = harness.citizen()
    await harness.command(lan, "kiemtra", "housing", expect="Câu 1:")
    first = check.questions[0]
    label = first.options[0].label
    second = await harness.press(lan, label, expect="Câu 2:", edited=True)

    back = await harness.press(lan, "« Câu trước", expect="Câu 1:", edited=True)
    assert back.message_id == second.message_id
    await harness.press(lan, label, expect="Câu 2:", edited=True)

    # An answer to question 1 pressed now (a forged or old button) changes nothing.
    answer = await harness.forge(lan, f"ELIG|housing|{first.id}|{first.options[1].value}")
    assert answer["text"] == "Nút này đã cũ. Bạn dùng tin nhắn mới nhất nhé."


async def test_restart_mid_check_continues(harness: Harness) -> None:
    check = harness.knowledge.checks["allowance"]
    lan = harness.citizen()
    await harness.command(lan, "kiemtra", "allowance", expect="Câu 1:")
    await harness.press(lan, option_label(check, "age", "from_80"), expect="Câu 2:", edited=True)
    await harness.restart()
    await harness.say(lan, "hộ nghèo", expect="bấm một nút")
    await harness.press(lan, option_label(check, "household", "poor"), expect="Câu 3:", edited=True)


async def test_stop_leaves_the_check(harness: Harness) -> None:
    lan = harness.citizen()
    await harness.command(lan, "kiemtra", "housing", expect="Câu 1:")
    await harness.press(lan, "Dừng", expect="Đã dừng", edited=True)
    await harness.command(lan, "huy", expect="không có bước nào")


async def test_unknown_check(harness: Harness) -> None:
    lan = harness.citizen()
    await harness.command(lan, "kiemtra", "pension", expect="chưa có")
