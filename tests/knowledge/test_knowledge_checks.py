"""The text checks and vocabularies the loader relies on."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.knowledge.checks import accented_share, format_vn_date, html_problems, promise_problems
from bot.knowledge.vocab import TARGET_GROUPS, fold_key, normalise_target_group


@pytest.mark.parametrize(
    "text",
    [
        "Không có thẻ nào",
        "<b>đậm</b> và <i>nghiêng</i>",
        "<b>đậm <i>lồng</i></b>",
        '<a href="https://dichvucong.gov.vn">Cổng dịch vụ công</a>',
        "LĐ-TB&amp;XH, 3 &lt; 5, &quot;trích&quot;, &#8226;",
    ],
)
def test_telegram_safe_html(text: str) -> None:
    assert html_problems(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<u>gạch</u>", "not allowed"),
        ("<b>mở mà không đóng", "<b> is never closed"),
        ("đóng mà không mở</i>", "unbalanced </i>"),
        ("<b><i>sai thứ tự</b></i>", "unbalanced </b>"),
        ("A & B", "bare '&'"),
        ("3 < 5", "not allowed"),
        ("5 > 3", "bare '>'"),
        ('<a href="tg://user?id=1">x</a>', "not allowed"),
        ("<b >cách</b>", "not allowed"),
    ],
)
def test_html_telegram_would_refuse(text: str, expected: str) -> None:
    problems = html_problems(text)
    assert problems and any(expected in problem for problem in problems)


def test_accented_share_tells_vietnamese_from_unaccented() -> None:
    assert accented_share("Trợ cấp xã hội hằng tháng") > 0.2
    assert accented_share("Tro cap xa hoi hang thang") == 0.0
    assert accented_share("123 !!") == 0.0


def test_decomposed_input_counts_the_same() -> None:
    import unicodedata

    text = "Người cao tuổi"
    assert accented_share(unicodedata.normalize("NFD", text)) == accented_share(text)


def test_promise_words_are_found_in_any_case() -> None:
    assert promise_problems("Bạn CHẮC CHẮN được nhận.") == ["never promise: remove ['chắc chắn']"]
    assert promise_problems("Bạn có thể được nhận; UBND xã sẽ xét duyệt.") == []


def test_vietnamese_date_format() -> None:
    assert format_vn_date(dt.date(2024, 7, 1)) == "01/07/2024"


@pytest.mark.parametrize(
    ("value", "canonical"),
    [
        ("người già", "người cao tuổi"),
        ("NGUOI CAO TUOI", "người cao tuổi"),
        ("mẹ đơn thân", "người đơn thân nuôi con"),
        ("can ngheo", "hộ cận nghèo"),
        ("trẻ mồ côi", "trẻ em mồ côi"),
        ("hộ  nghèo", "hộ nghèo"),
        ("phi công", None),
        ("", None),
        (None, None),
    ],
)
def test_target_group_normalisation(value: str | None, canonical: str | None) -> None:
    assert normalise_target_group(value) == canonical


def test_aliases_are_unambiguous() -> None:
    seen: dict[str, str] = {}
    for canonical, aliases in TARGET_GROUPS.items():
        for spelling in (canonical, *aliases):
            key = fold_key(spelling)
            assert seen.setdefault(key, canonical) == canonical, spelling
