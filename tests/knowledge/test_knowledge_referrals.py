"""Questions next door (issue 11): the out_of_scope answer says where to ask, per service."""

from __future__ import annotations

import pytest

from bot.knowledge import KnowledgeBase
from bot.knowledge.vocab import NEIGHBOUR_SERVICES
from bot.understanding.neighbours import NEIGHBOUR_GROUPS, neighbour_service
from nlu.textnorm import fold

# Where each referral must send the citizen (docs/contracts/domain-facts.md §7).
OFFICE = {
    "bảo hiểm xã hội": "cơ quan Bảo hiểm xã hội",
    "người có công": "UBND xã",
    "đất đai": "hòa giải",
    "lao động và tiền lương": "trợ giúp pháp lý",
    "khám chữa bệnh": "nơi khám chữa bệnh",
    "gia đình và thừa kế": "tư pháp – hộ tịch",
    "mừng thọ người cao tuổi": "Hội Người cao tuổi",
    "thủ tục khác": "dichvucong.gov.vn",
}


def test_the_understanding_and_the_knowledge_name_the_same_services() -> None:
    assert tuple(NEIGHBOUR_GROUPS) == NEIGHBOUR_SERVICES == tuple(OFFICE)


@pytest.mark.parametrize("service", NEIGHBOUR_SERVICES)
def test_each_service_next_door_has_its_own_referral(kb: KnowledgeBase, service: str) -> None:
    answer = kb.answer("out_of_scope", {"neighbour": service})

    assert answer.variant == f"neighbour={service}"
    assert OFFICE[service] in answer.render_html()
    assert "Nguồn:" in answer.render_html()  # the law that gives the office its task
    assert "human_handoff" in answer.follow_ups or "contact_office" in answer.follow_ups
    # Never an allowance or housing text: no amount, no "được hỗ trợ … đồng".
    assert "đ/tháng" not in answer.text and "triệu" not in answer.text


def test_a_question_naming_no_service_gets_the_one_stop_shop(kb: KnowledgeBase) -> None:
    answer = kb.answer("out_of_scope", {})

    assert answer.variant == "default"
    assert "bộ phận một cửa của UBND xã nơi cư trú" in answer.text


def test_referrals_offer_the_assistants_own_answer_next_door(kb: KnowledgeBase) -> None:
    # Someone asking about a pension may have none: the social pension is one button away.
    assert kb.answer("out_of_scope", {"neighbour": "bảo hiểm xã hội"}).follow_ups[0] == (
        "allowance_eligibility"
    )
    assert kb.answer("out_of_scope", {"neighbour": "đất đai"}).follow_ups[0] == (
        "housing_eligibility"
    )
    assert kb.answer("out_of_scope", {"neighbour": "khám chữa bệnh"}).follow_ups[0] == (
        "health_insurance"
    )


@pytest.mark.parametrize(
    ("message", "service"),
    [
        ("Bố tôi là thương binh 2/4, năm nay được tăng trợ cấp không ạ?", "người có công"),
        (
            "Nhà tôi tranh chấp đất với hàng xóm, sổ đỏ đứng tên bố tôi, phải làm thế nào?",
            "đất đai",
        ),
        ("Mẹ tôi mất, được hưởng trợ cấp tuất hằng tháng không?", "bảo hiểm xã hội"),
        ("công ty nợ lương 3 tháng ko trả thì kiện ở đâu", "lao động và tiền lương"),
        ("Điều trị trái tuyến ở bệnh viện tỉnh được thanh toán bao nhiêu?", "khám chữa bệnh"),
        ("ông tôi mất không để lại di chúc, chia thừa kế thế nào", "gia đình và thừa kế"),
        ("bà tôi 90 tuổi năm nay có quà mừng thọ không", "mừng thọ người cao tuổi"),
        ("Mẹ tôi 80 tuổi không có lương hưu được trợ cấp bao nhiêu?", None),
        # Said to show there is no pension: an allowance fact, not a social-insurance question.
        ("bà tôi chưa bao giờ đóng bảo hiểm xã hội, có được trợ cấp không", None),
    ],
)
def test_the_service_a_message_is_about(message: str, service: str | None) -> None:
    assert neighbour_service(message) == service
    assert neighbour_service(fold(message)) == service  # typed without diacritics


def test_the_service_named_most_wins() -> None:
    message = "Đất của liệt sĩ bị thu hồi, có sổ đỏ, tranh chấp đất với xã thì hỏi ai?"
    assert neighbour_service(message) == "đất đai"
