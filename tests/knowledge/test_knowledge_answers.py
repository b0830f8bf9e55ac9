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
        ("người cao tuổi", "người cao tuổi"),
        ("người khuyết tật", "1.400.000 đ/tháng"),
        ("trẻ em mồ côi", "Dưới 4 tuổi: hệ số 2,5"),
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
        ("housing_eligibility", "hộ cận nghèo", "tách hộ ít nhất 3 năm"),
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
        ("Quảng Lợi", "commune=Quảng Lợi"),
        ("Hạ Long", "default"),
    ],
)
def test_contact_office_variant_follows_commune(
    kb: KnowledgeBase, commune: str, expected: str
) -> None:
    assert kb.answer("contact_office", {"commune": commune}).variant == expected


def test_commune_answers_say_the_mapping_is_unconfirmed(kb: KnowledgeBase) -> None:
    for commune in ("Dực Yên", "Tân Lập", "Quảng Lợi"):
        answer = kb.answer("contact_office", {"commune": commune})
        assert "chưa được xác nhận" in answer.text
        assert not answer.verified


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
    assert last.startswith("<i>Nguồn: Nghị định 20/2021/NĐ-CP")
    assert "(15/03/2021)" in last
    assert last.endswith("· cập nhật 29/11/2026</i>")
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
