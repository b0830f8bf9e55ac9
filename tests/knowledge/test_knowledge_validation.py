"""A broken knowledge file stops start-up with an error naming the file and the field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.knowledge import CONTRACT_INTENTS, KnowledgeError, load_knowledge

Change = Callable[[dict[str, Any]], None]
Edit = Callable[[str, Change], Path]
TODAY = dt.date(2026, 12, 3)


def problems_after(edit: Edit, file: str, change: Change) -> list[str]:
    """Apply `change` to a copy of `file`, load, and return the problems as strings."""
    root = edit(file, change)
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(root, today=TODAY)
    assert str(caught.value).startswith("knowledge base is invalid")
    return [str(problem) for problem in caught.value.problems]


def default_of(data: dict[str, Any], intent: str) -> dict[str, Any]:
    variant: dict[str, Any] = data["answers"][intent]["default"]
    return variant


def test_the_copy_loads_when_untouched(data_copy: Path) -> None:
    assert len(load_knowledge(data_copy, today=TODAY).entries) == len(CONTRACT_INTENTS)


def test_missing_contract_intent(edit: Edit) -> None:
    problems = problems_after(edit, "chitchat.yml", lambda d: d["answers"].pop("thank"))
    assert problems == ["(all files): answers: no answer for contract intents: thank"]


def test_unknown_intent(edit: Edit) -> None:
    def add(data: dict[str, Any]) -> None:
        data["answers"]["weather"] = data["answers"]["greet"]

    problems = problems_after(edit, "chitchat.yml", add)
    assert problems == [
        "chitchat.yml: answers.weather: 'weather' is not an intent of the NLU contract "
        "(bot/knowledge/intents.py)"
    ]


def test_intent_answered_twice(edit: Edit, data_copy: Path) -> None:
    (data_copy / "extra.yml").write_text(
        "answers:\n  thank:\n    follow_ups: [greet, goodbye]\n    default:\n"
        "      text: Cảm ơn bạn nhiều lắm ạ.\n      reviewed_on: 2026-11-29\n",
        encoding="utf-8",
    )
    with pytest.raises(
        KnowledgeError,
        match=r"extra.yml: answers.thank: already answered in "
        r"chitchat.yml",
    ):
        load_knowledge(data_copy, today=TODAY)


def test_factual_answer_without_sources(edit: Edit) -> None:
    problems = problems_after(
        edit, "housing.yml", lambda d: default_of(d, "housing_amount").update(sources=[])
    )
    assert problems == [
        "housing.yml: answers.housing_amount.default.sources: "
        "a factual answer needs at least one source"
    ]


def test_factual_variant_without_sources(edit: Edit) -> None:
    def strip(data: dict[str, Any]) -> None:
        data["answers"]["allowance_amount"]["variants"][1]["sources"] = []

    problems = problems_after(edit, "allowance.yml", strip)
    assert problems == [
        "allowance.yml: answers.allowance_amount.variants<target_group=người khuyết tật>.sources: "
        "a factual answer needs at least one source"
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("29/11/2026", "must be an ISO date like 2026-11-29, got '29/11/2026'"),
        ("hôm qua", "must be an ISO date like 2026-11-29, got 'hôm qua'"),
        (dt.date(2027, 1, 1), "2027-01-01 is in the future (today is 2026-12-03)"),
    ],
)
def test_bad_reviewed_on(edit: Edit, value: Any, message: str) -> None:
    problems = problems_after(
        edit, "chitchat.yml", lambda d: default_of(d, "greet").update(reviewed_on=value)
    )
    assert problems == [f"chitchat.yml: answers.greet.default.reviewed_on: {message}"]


def test_missing_reviewed_on(edit: Edit) -> None:
    problems = problems_after(
        edit, "chitchat.yml", lambda d: default_of(d, "greet").pop("reviewed_on")
    )
    assert problems == ["chitchat.yml: answers.greet.default.reviewed_on: Field required"]


def test_text_over_the_limit(edit: Edit) -> None:
    long_text = "Trợ cấp xã hội hằng tháng cho người cao tuổi. " * 25
    problems = problems_after(
        edit, "chitchat.yml", lambda d: default_of(d, "greet").update(text=long_text)
    )
    assert len(problems) == 1
    assert problems[0].startswith("chitchat.yml: answers.greet.default.text: text has ")
    assert "more than 900" in problems[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chào bạn <u>nhé</u>", "tag '<u>' at 9 is not allowed"),
        ("Chào <b>bạn nhé", "<b> is never closed"),
        ("Chào <b>bạn <i>nhé</b></i>", "unbalanced </b>"),
        ("Phòng LĐ-TB&XH đã đổi tên từ 1/7/2025", "bare '&'"),
        ('Xem <a href="javascript:alert(1)">đây</a> nhé', "is not allowed"),
        ("Chào bạn > mình đây", "bare '>'"),
    ],
)
def test_html_telegram_would_refuse(edit: Edit, text: str, expected: str) -> None:
    problems = problems_after(
        edit, "chitchat.yml", lambda d: default_of(d, "greet").update(text=text)
    )
    assert len(problems) == 1
    assert problems[0].startswith("chitchat.yml: answers.greet.default.text: ")
    assert expected in problems[0]


def test_allowed_html_passes(edit: Edit, data_copy: Path) -> None:
    text = (
        'Chào <b>bạn</b>, xem <i>thêm</i> ở <a href="https://dichvucong.gov.vn">đây</a> &amp; hỏi'
    )
    edit("chitchat.yml", lambda d: default_of(d, "greet").update(text=text))
    assert load_knowledge(data_copy, today=TODAY).answer("greet").text == text


def test_text_without_diacritics(edit: Edit) -> None:
    problems = problems_after(
        edit,
        "chitchat.yml",
        lambda d: default_of(d, "greet").update(
            text="Xin chao! Minh la tro ly an sinh, ban can hoi gi a?"
        ),
    )
    assert problems == [
        "chitchat.yml: answers.greet.default.text: text looks typed without diacritics "
        "(0% accented letters); write Vietnamese with full diacritics"
    ]


def test_district_office_without_the_abolition_date(edit: Edit) -> None:
    problems = problems_after(
        edit,
        "office.yml",
        lambda d: default_of(d, "human_handoff").update(
            text="Bạn hãy đến Phòng Lao động huyện Đầm Hà để hỏi."
        ),
    )
    assert "without saying the district level was abolished from 1/7/2025" in problems[0]


def test_unknown_target_group(edit: Edit) -> None:
    def rename(data: dict[str, Any]) -> None:
        data["answers"]["allowance_amount"]["variants"][0]["target_group"] = "người già"

    problems = problems_after(edit, "allowance.yml", rename)
    assert len(problems) == 1
    assert problems[0].startswith(
        "allowance.yml: answers.allowance_amount.variants[0].target_group: "
        "unknown target_group 'người già' (did you mean 'người cao tuổi'?); known: hộ nghèo,"
    )


def test_unknown_commune(edit: Edit) -> None:
    def rename(data: dict[str, Any]) -> None:
        data["answers"]["contact_office"]["variants"][0]["commune"] = "xã Hạ Long"

    problems = problems_after(edit, "office.yml", rename)
    assert problems == [
        "office.yml: answers.contact_office.variants[0].commune: unknown commune 'xã Hạ Long'; "
        "known: xã Quảng Tân, xã Đầm Hà"
    ]


def test_follow_up_naming_an_unknown_intent(edit: Edit) -> None:
    problems = problems_after(
        edit,
        "chitchat.yml",
        lambda d: d["answers"]["greet"].update(follow_ups=["housing_eligibility", "weather_today"]),
    )
    assert problems == ["chitchat.yml: answers.greet.follow_ups[1]: unknown intent 'weather_today'"]


def test_too_many_follow_ups(edit: Edit) -> None:
    problems = problems_after(
        edit,
        "chitchat.yml",
        lambda d: d["answers"]["greet"].update(
            follow_ups=["thank", "deny", "affirm", "goodbye", "bot_capabilities"]
        ),
    )
    assert len(problems) == 1
    assert problems[0].startswith("chitchat.yml: answers.greet.follow_ups: ")


def test_unverified_without_caveat(edit: Edit) -> None:
    problems = problems_after(
        edit,
        "chitchat.yml",
        lambda d: default_of(d, "greet").update(verified=False, unverified=["một điều gì đó"]),
    )
    assert problems == [
        "chitchat.yml: answers.greet.default: verified: false, so the text must say "
        "'chưa được xác nhận' and send the citizen to 'UBND xã' (UBND xã nơi cư trú)"
    ]


def test_unverified_list_needs_verified_false(edit: Edit) -> None:
    problems = problems_after(
        edit, "chitchat.yml", lambda d: default_of(d, "greet").update(unverified=["một điều gì đó"])
    )
    assert problems == [
        "chitchat.yml: answers.greet.default: lists `unverified` facts but says verified: true"
    ]


def test_typo_in_a_field_name(edit: Edit) -> None:
    problems = problems_after(
        edit, "chitchat.yml", lambda d: default_of(d, "greet").update(reviewd_on="2026-11-29")
    )
    assert problems == [
        "chitchat.yml: answers.greet.default.reviewd_on: Extra inputs are not permitted"
    ]


def test_source_without_date_or_note(edit: Edit) -> None:
    def strip(data: dict[str, Any]) -> None:
        default_of(data, "housing_amount")["sources"] = [{"document": "Nghị định 20/2021/NĐ-CP"}]

    problems = problems_after(edit, "housing.yml", strip)
    assert problems == [
        "housing.yml: answers.housing_amount.default.sources[0]: 'Nghị định 20/2021/NĐ-CP': "
        "give its date, or a note saying why not"
    ]


def test_invalid_yaml_names_the_line(data_copy: Path) -> None:
    (data_copy / "chitchat.yml").write_text("answers:\n  greet: [unclosed\n", encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(data_copy, today=TODAY)
    first = caught.value.problems[0]
    assert (first.file, first.field) == ("chitchat.yml", "line 3")
    assert "invalid YAML" in first.message


def test_all_problems_are_reported_at_once(edit: Edit) -> None:
    def break_twice(data: dict[str, Any]) -> None:
        default_of(data, "greet").update(reviewed_on="sai")
        data["answers"]["thank"]["follow_ups"] = ["nope", "greet"]

    problems = problems_after(edit, "chitchat.yml", break_twice)
    assert len(problems) == 2


def test_missing_commune_directory(data_copy: Path) -> None:
    (data_copy / "communes.yml").unlink()
    with pytest.raises(KnowledgeError, match=r"exactly one file must have `communes:`"):
        load_knowledge(data_copy, today=TODAY)


def test_empty_directory(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match=r"no \*\.yml files found"):
        load_knowledge(tmp_path, today=TODAY)


def test_broken_eligibility_rules_stop_the_whole_load(data_copy: Path) -> None:
    from bot.knowledge.eligibility import ELIGIBILITY_DIR

    target = data_copy / "eligibility"
    target.mkdir()
    for source in ELIGIBILITY_DIR.glob("*.yml"):
        (target / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    housing = target / "housing.yml"
    housing.write_text(
        housing.read_text(encoding="utf-8").replace(
            "reviewed_on: 2026-12-03", "reviewed_on: 2099-01-01"
        ),
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(data_copy, today=TODAY)
    assert [str(p) for p in caught.value.problems] == [
        "eligibility/housing.yml: reviewed_on: 2099-01-01 is in the future (today is 2026-12-03)"
    ]


def test_unknown_neighbouring_service(edit: Edit) -> None:
    def rename(data: dict[str, Any]) -> None:
        data["answers"]["out_of_scope"]["variants"][0]["neighbour"] = "bảo hiểm"

    problems = problems_after(edit, "chitchat.yml", rename)
    assert len(problems) == 1
    assert problems[0].startswith(
        "chitchat.yml: answers.out_of_scope.variants[0].neighbour: unknown neighbour 'bảo hiểm'"
    )


def test_variant_follow_up_naming_an_unknown_intent(edit: Edit) -> None:
    def rename(data: dict[str, Any]) -> None:
        data["answers"]["out_of_scope"]["variants"][0]["follow_ups"] = ["human_handoff", "pension"]

    problems = problems_after(edit, "chitchat.yml", rename)
    assert problems == [
        "chitchat.yml: answers.out_of_scope.variants<neighbour=bảo hiểm xã hội>.follow_ups[1]: "
        "unknown intent 'pension'"
    ]
