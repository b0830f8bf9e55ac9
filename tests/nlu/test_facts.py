"""The facts of a story: age, relative, pension, disability level, negated households."""

from __future__ import annotations

import pytest

from nlu.facts import find_facts, negated_household_spans, normalise, story_facts


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("bà nội em 82 tuổi ko có lương hưu", "82"),
        ("mẹ tôi 75t rồi", "75"),
        ("Mẹ tôi năm nay đã 80, không có lương hưu", "80"),
        ("cụ nhà mình đủ 80 rồi", "80"),
        ("bố tôi sinh năm 1944", "82"),
        # A stated age wins over the birth year (the letter may be years old).
        ("Tôi sinh năm 1934, năm nay vừa tròn 80 tuổi", "80"),
        ("me toi nam nay 78 tuoi", "78"),
    ],
)
def test_age_of_the_person_asked_about(text: str, age: str) -> None:
    assert story_facts(text).get("age") == age


@pytest.mark.parametrize(
    "text",
    [
        "trẻ em dưới 16 tuổi mồ côi có được trợ cấp không",
        "người từ 75 đến dưới 80 tuổi",
        "con tôi 21 tháng tuổi bị bại não",
        "người từ đủ 80 tuổi trở lên",
    ],
)
def test_rule_ages_and_months_are_not_an_age(text: str) -> None:
    assert "age" not in story_facts(text)


@pytest.mark.parametrize(
    ("text", "relation"),
    [
        ("mẹ tôi 80 tuổi", "mẹ"),
        ("bà nội em 82 tuổi", "bà"),
        ("Bà ngoại tôi 74 tuổi", "bà"),
        ("con trai tôi bị khuyết tật", "con"),
        ("Tôi có người dì năm nay 81 tuổi", "dì"),
        ("cháu nhà tôi bị bại não", "cháu"),
        ("bố em mất rồi", "bố"),
        ("me toi khong co luong huu", "mẹ"),
        ("ba noi toi 85 tuoi", "bà"),
        ("ba tôi năm nay 70 tuổi", "bố"),
    ],
)
def test_relation_is_canonical(text: str, relation: str) -> None:
    assert story_facts(text).get("relation") == relation


@pytest.mark.parametrize(
    "text",
    [
        "bà con miền Trung bị lũ",
        "ủy quyền cho con cháu nhận thay",
        "mà tôi không biết hỏi ai",
        "có phải làm đơn không",
    ],
)
def test_words_that_only_look_like_kin(text: str) -> None:
    assert "relation" not in story_facts(text)


@pytest.mark.parametrize(
    ("text", "pension"),
    [
        ("mẹ tôi không có lương hưu", "none"),
        ("bà ko có lương hưu hay trợ cấp gì", "none"),
        ("chưa bao giờ đóng bảo hiểm xã hội", "none"),
        ("bố tôi đang hưởng lương hưu 2 triệu", "has"),
        ("có lương hưu nhưng lương hưu thấp lắm", "lower"),
        ("lương hưu thấp hơn mức trợ cấp hưu trí xã hội", "lower"),
        ("khong co luong huu", "none"),
        # A grandfather's pension and the grandmother without one: the story asks about her.
        ("ông nhận lương hưu hằng tháng, còn bà không có lương hưu", "none"),
        # A monthly survivor's allowance is a social-insurance allowance too.
        ("mẹ tôi 85 tuổi, đang hưởng chế độ trợ cấp tuất hàng tháng", "has"),
        ("bà không có trợ cấp tuất hằng tháng", "none"),
    ],
)
def test_pension(text: str, pension: str) -> None:
    assert story_facts(text).get("pension") == pension


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("con tôi khuyết tật đặc biệt nặng", "đặc biệt nặng"),
        ("đã được xác định mức độ khuyết tật nặng", "nặng"),
        ("khuyết tật vận động, mức độ nặng", "nặng"),
        ("bị khuyết tật nhẹ", "nhẹ"),
        ("nguoi khuyet tat nang", "nặng"),
    ],
)
def test_disability_level(text: str, level: str) -> None:
    assert story_facts(text).get("disability_level") == level


@pytest.mark.parametrize(
    "text",
    ["công việc nặng nhọc quá", "trời nắng khuyết tật đi lại khó", "có tật thì báo nhé"],
)
def test_heavy_work_and_particles_are_not_a_disability_level(text: str) -> None:
    assert "disability_level" not in story_facts(text)


def test_negated_households() -> None:
    groups = {g for _, _, g in negated_household_spans("nhà tôi không thuộc hộ nghèo")}
    assert groups == {"hộ nghèo"}
    both = negated_household_spans("không thuộc hộ cận nghèo hay nghèo")
    assert {g for _, _, g in both} == {"hộ nghèo", "hộ cận nghèo"}
    assert negated_household_spans("nhà tôi thuộc hộ nghèo") == []


def test_spans_point_into_the_citizens_text_also_in_nfd() -> None:
    import unicodedata

    text = unicodedata.normalize("NFD", "Mẹ tôi 82 tuổi")
    facts = find_facts(text)
    nfc = unicodedata.normalize("NFC", text)
    assert [(f.entity, nfc[f.start : f.end]) for f in facts] == [
        ("relation", "Mẹ tôi"),
        ("age", "82 tuổi"),
    ]


@pytest.mark.parametrize(
    ("entity", "surface", "value"),
    [
        ("age", "75t", "75"),
        ("relation", "bà nội em", "bà"),
        ("relation", "mẹ", "mẹ"),
        ("pension", "ko có lương hưu", "none"),
        ("disability_level", "nặng", "nặng"),
        ("age", "già lắm", None),
    ],
)
def test_learned_spans_are_normalised_or_dropped(
    entity: str, surface: str, value: str | None
) -> None:
    assert normalise(entity, surface) == value
