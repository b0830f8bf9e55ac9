"""nlu.textnorm: the one definition of "the same Vietnamese words" for model and bot."""

from __future__ import annotations

import unicodedata

import pytest

from nlu.textnorm import canonical_text, canonical_words, fold, nfc


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
