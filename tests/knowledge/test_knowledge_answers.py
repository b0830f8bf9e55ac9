"""Choosing and rendering answers: variants by target_group, then commune, then default."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from bot.knowledge import CONTRACT_INTENTS, FACTUAL_INTENTS, KnowledgeBase, UnknownIntent


@pytest.mark.parametrize("intent", CONTRACT_INTENTS)
def test_every_contract_intent_has_an_answer(kb: KnowledgeBase, intent: str) -> None:
    answer = kb.answer(intent)
    assert answer.intent == intent
    assert answer.text
    assert answer.variant == "default"


@pytest.mark.parametrize(
    ("group", "expected"),
    [
        ("người cao tuổi", "trợ cấp hưu trí xã hội <b>540.000 đ</b>"),
        ("người khuyết tật", "Đặc biệt nặng: khoảng <b>1.400.000 đ</b>"),
        ("trẻ em mồ côi", "Dưới 4 tuổi: khoảng <b>1.750.000 đ</b>"),
        ("người đơn thân nuôi con", "chưa nói được số tiền cụ thể"),
        ("hộ nghèo", "không tự động có trợ cấp"),
    ],
)
def test_allowance_amount_variant_follows_target_group(
    kb: KnowledgeBase, group: str, expected: str
) -> None:
    answer = kb.answer("allowance_amount", {"target_group": group})
    assert answer.variant.startswith("target_group=")
    assert group in answer.variant
    assert expected in answer.text


def test_variants_differ_between_groups(kb: KnowledgeBase) -> None:
    texts = {
        kb.answer("allowance_amount", {"target_group": group}).text
        for group in (
            "người cao tuổi",
            "người khuyết tật",
            "trẻ em mồ côi",
            "người đơn thân nuôi con",
            "hộ nghèo",
        )
    }
    assert len(texts) == 5


@pytest.mark.parametrize(
    ("intent", "group", "expected"),
    [
        ("allowance_eligibility", "người khuyết tật", "Khuyết tật <b>nhẹ</b>"),
        ("allowance_eligibility", "người cao tuổi", "trợ cấp hưu trí xã hội"),
        ("allowance_eligibility", "người đơn thân nuôi con", "con dưới 16 tuổi"),
        ("housing_eligibility", "hộ cận nghèo", "đã xóa nhà tạm cho mọi hộ"),
        ("housing_eligibility", "người có công", "Ban chỉ đạo cấp xã"),
        ("labour_export", "hộ cận nghèo", "100% chi phí"),
        ("vocational_classes", "người khuyết tật", "6 triệu đồng"),
    ],
)
def test_other_intents_have_group_variants(
    kb: KnowledgeBase, intent: str, group: str, expected: str
) -> None:
    assert expected in kb.answer(intent, {"target_group": group}).text


@pytest.mark.parametrize("spelling", ["nguoi khuyet tat", "NKT", "Người Khuyết Tật", "tàn tật"])
def test_target_group_spellings_pick_the_same_variant(kb: KnowledgeBase, spelling: str) -> None:
    answer = kb.answer("allowance_amount", {"target_group": spelling})
    assert answer.variant == "target_group=người khuyết tật"


def test_unknown_group_falls_back_to_default(kb: KnowledgeBase) -> None:
    assert kb.answer("allowance_amount", {"target_group": "phi công"}).variant == "default"
    assert kb.answer("allowance_amount", {}).variant == "default"
    assert kb.answer("allowance_amount", None).variant == "default"


@pytest.mark.parametrize(
    ("commune", "expected"),
    [
        ("Dực Yên", "commune=xã Quảng Tân"),
        ("quang lam", "commune=xã Quảng Tân"),
        ("thị trấn Đầm Hà", "commune=xã Đầm Hà"),
        ("Tân Bình", "commune=xã Đầm Hà"),
        ("xã Đầm Hà", "commune=xã Đầm Hà"),
        ("Quảng Lợi", "commune=xã Quảng Tân"),
        ("Hạ Long", "default"),
    ],
)
def test_contact_office_variant_follows_commune(
    kb: KnowledgeBase, commune: str, expected: str
) -> None:
    assert kb.answer("contact_office", {"commune": commune}).variant == expected


def test_commune_answers_rest_on_the_2025_resolution(kb: KnowledgeBase) -> None:
    for commune in ("Dực Yên", "Tân Lập", "Quảng Lợi"):
        answer = kb.answer("contact_office", {"commune": commune})
        assert "Nghị quyết 1679/NQ-UBTVQH15" in answer.text
        assert "bộ phận một cửa" in answer.text
        # The mapping is settled; only the centre's address and phone are not.
        caveat_line = next(
            line for line in answer.text.splitlines() if "chưa được xác nhận" in line
        )
        assert "Địa chỉ" in caveat_line
    assert (
        "Quảng Lợi cũ đã nhập vào Quảng Tân từ 1/1/2020"
        in kb.answer("contact_office", {"commune": "Quảng Lợi"}).text
    )


def test_target_group_wins_over_commune(kb: KnowledgeBase) -> None:
    answer = kb.answer("housing_eligibility", {"target_group": "hộ nghèo", "commune": "Dực Yên"})
    assert answer.variant == "target_group=hộ nghèo|hộ cận nghèo"


def test_commune_used_when_group_has_no_variant(kb: KnowledgeBase) -> None:
    answer = kb.answer("contact_office", {"target_group": "hộ nghèo", "commune": "Dực Yên"})
    assert answer.variant == "commune=xã Quảng Tân"


def test_unknown_intent_raises(kb: KnowledgeBase) -> None:
    with pytest.raises(UnknownIntent):
        kb.answer("nlu_fallback")


def test_every_factual_answer_has_sources_and_a_review_date(
    kb: KnowledgeBase, today: dt.date
) -> None:
    for intent in FACTUAL_INTENTS:
        for variant in kb.entries[intent].all_variants():
            assert variant.sources, (intent, variant.key)
            assert variant.reviewed_on <= today, (intent, variant.key)


def test_follow_ups_are_two_to_four_known_intents(kb: KnowledgeBase) -> None:
    for intent, entry in kb.entries.items():
        assert 2 <= len(entry.follow_ups) <= 4, intent
        assert set(entry.follow_ups) <= set(CONTRACT_INTENTS), intent
        assert kb.answer(intent).follow_ups == entry.follow_ups


def test_render_appends_sources_line_with_vietnamese_dates(kb: KnowledgeBase) -> None:
    rendered = kb.answer("allowance_amount", {"target_group": "người khuyết tật"}).render_html()
    last = rendered.splitlines()[-1]
    assert last.startswith("<i>Nguồn: Nghị quyết HĐND tỉnh Quảng Ninh")
    assert "(15/03/2021)" in last
    assert last.endswith("· cập nhật 03/12/2026</i>")
    assert not re.search(r"\d{4}-\d{2}-\d{2}", rendered)


def test_chitchat_renders_without_sources_line(kb: KnowledgeBase) -> None:
    rendered = kb.answer("greet").render_html()
    assert "Nguồn" not in rendered
    assert rendered == kb.answer("greet").text


def test_sources_line_escapes_html(today: dt.date) -> None:
    from bot.knowledge.base import Answer, Source

    answer = Answer(
        intent="contact_office",
        text="Xin chào",
        sources=(Source(document="Sở LĐ-TB&XH <tỉnh>", note="thử"),),
        reviewed_on=today,
        verified=True,
        follow_ups=("greet", "thank"),
    )
    assert "Sở LĐ-TB&amp;XH &lt;tỉnh&gt;" in answer.render_html()


def test_action_intents_announce_the_feature(kb: KnowledgeBase) -> None:
    assert kb.answer("register_vocational").text.startswith("Mình sẽ giúp bạn")
    assert kb.answer("register_job_fair").text.startswith("Mình sẽ giúp bạn")
    assert kb.answer("cancel_registration").text.startswith("Mình sẽ giúp bạn")
    assert "cán bộ" in kb.answer("human_handoff").text


def test_emergency_is_urgent_and_gives_the_hotlines_first(kb: KnowledgeBase) -> None:
    answer = kb.answer("emergency")
    assert answer.urgent
    first_lines = answer.text.splitlines()[:5]
    for number in ("111", "113", "114", "115"):
        assert any(f"<b>{number}</b>" in line for line in first_lines), number
    assert not any(kb.answer(intent).urgent for intent in CONTRACT_INTENTS if intent != "emergency")


@pytest.mark.parametrize(
    ("intent", "expected"),
    [
        ("funeral_support", "10.800.000 đ"),
        ("health_insurance", "thẻ BHYT"),
        ("disaster_relief", "<b>khi nào</b>"),
        ("application_status", "<b>không xem được hồ sơ</b>"),
        ("complaint_appeal", "đơn khiếu nại"),
    ],
)
def test_new_intents_answer_what_was_asked(kb: KnowledgeBase, intent: str, expected: str) -> None:
    answer = kb.answer(intent)
    assert expected in answer.text
    assert "hệ số 1,5" not in answer.text  # not the coefficient table (issue 10)
    assert "xã Đầm Hà hoặc xã Quảng Tân" in answer.text or intent == "disaster_relief"


def test_application_status_offers_the_officer(kb: KnowledgeBase) -> None:
    answer = kb.answer("application_status")
    assert "human_handoff" in answer.follow_ups
    assert "gặp cán bộ" in answer.text


def test_disaster_relief_promises_no_minimum_years_later(kb: KnowledgeBase) -> None:
    text = kb.answer("disaster_relief").text
    assert "tối thiểu" not in text and "20–40 triệu" not in text
    assert "Đã lâu" in text and "gặp cán bộ" in text
