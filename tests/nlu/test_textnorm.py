"""nlu.textnorm: the one definition of "the same Vietnamese words" for model and bot."""

from __future__ import annotations

import unicodedata

import pytest

from nlu.textnorm import canonical_text, canonical_words, edge_text, fold, nfc, strip_invisible


def test_nfd_and_nfc_fold_to_the_same_text() -> None:
    text = "Người cao tuổi được trợ cấp bao nhiêu?"
    assert canonical_text(unicodedata.normalize("NFD", text)) == canonical_text(text)
    assert nfc(unicodedata.normalize("NFD", text)) == text


def test_fold_preserves_length_so_offsets_stay_valid() -> None:
    for text in ["Đầm Hà", "QUẢNG LÂM", "xã Dực Yên", "ứ ừ ữ"]:
        assert len(fold(text)) == len(nfc(text))
    assert fold("Đầm Hà") == "dam ha"


@pytest.mark.parametrize(
    ("typed", "clean"),
    [
        ("e mún đk hc nghề", "em muon dang ky hc nghe"),
        ("ko biết đc ko", "khong biet duoc khong"),
        ("trợ cáp bn", "tro cap bao nhieu"),
        ("xkld di nhat can j", "xuat khau lao dong di nhat can gi"),
        ("sdt của ubnd", "so dien thoai cua uy ban nhan dan"),
        ("đăng kí", "dang ky"),
        ("chàoooo ad", "chao admin"),
    ],
)
def test_chat_spelling_reaches_the_clean_words(typed: str, clean: str) -> None:
    assert canonical_text(typed) == clean


def test_punctuation_is_not_a_word() -> None:
    assert canonical_text("Dạ, vâng ạ!!!") == "da vang a"


def test_a_word_that_is_only_punctuation_gives_nothing() -> None:
    assert canonical_words("...") == ()


def test_a_laugh_is_not_a_no() -> None:
    assert canonical_words("kkkk") == ("k",)
    assert canonical_words("okkk") == ("ok",)


# -- invisible characters at the edge (issue 12) ----------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("\u202etrợ cấp bao nhiêu\u202c", "trợ cấp bao nhiêu"),  # wrapped in an RLO
        ("thôn 5 Đại\u200bBình", "thôn 5 Đại Bình"),  # a zero-width space splits words
        ("Quảng\u200d Tân\u200e", "Quảng Tân"),  # joiner and LTR mark dropped
        ("\ufeffxin chào", "xin chào"),
        ("ho\u00adtro", "hotro"),  # soft hyphen
        ("\u2067nhà ở\u2069", "nhà ở"),  # isolates
    ],
)
def test_strip_invisible_removes_controls_a_reader_cannot_see(typed: str, expected: str) -> None:
    assert edge_text(typed) == expected


def test_strip_invisible_keeps_visible_text_and_line_breaks() -> None:
    text = "Mẹ tôi 82 tuổi,\nở thôn 3 — có được trợ cấp? 👵"
    assert strip_invisible(text) == text


@pytest.mark.parametrize("typed", ["", "   ", "\u200b", "\u202e\u202c", " \n\t\u200f "])
def test_a_message_of_only_spaces_and_controls_is_empty_at_the_edge(typed: str) -> None:
    assert edge_text(typed) == ""


def test_edge_text_gives_nfc_so_nfd_input_matches() -> None:
    nfd = unicodedata.normalize("NFD", "Đầm Hà")
    assert edge_text(f"\u200b{nfd} ") == "Đầm Hà"
