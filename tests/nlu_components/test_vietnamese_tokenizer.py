"""VietnameseTokenizer: NFC, case folding, diacritics-free lemmas, chat abbreviations."""

from __future__ import annotations

import unicodedata

from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.components.vietnamese_tokenizer import VietnameseTokenizer


def _tokenizer(**config: object) -> VietnameseTokenizer:
    return VietnameseTokenizer({**VietnameseTokenizer.get_default_config(), **config})


def _lemmas(text: str, **config: object) -> list[str]:
    message = Message(data={TEXT: text})
    _tokenizer(**config).process([message])
    return [t.lemma for t in message.get(TOKENS_NAMES[TEXT])]


def test_lemmas_have_no_diacritics_and_no_case() -> None:
    assert _lemmas("Đăng Ký HỌC NGHỀ") == ["dang", "ky", "hoc", "nghe"]


def test_typed_without_diacritics_gives_the_same_lemmas() -> None:
    assert _lemmas("trợ cấp người cao tuổi") == _lemmas("tro cap nguoi cao tuoi")


def test_nfd_text_is_normalised_to_nfc_in_the_message() -> None:
    nfd = unicodedata.normalize("NFD", "Tôi muốn đăng ký")
    message = Message(data={TEXT: nfd})
    _tokenizer().process([message])
    assert message.get(TEXT) == "Tôi muốn đăng ký"
    assert [t.text for t in message.get(TOKENS_NAMES[TEXT])] == ["Tôi", "muốn", "đăng", "ký"]


def test_abbreviation_expands_to_several_tokens_sharing_its_span() -> None:
    message = Message(data={TEXT: "e mún đk lớp may"})
    _tokenizer().process([message])
    tokens = message.get(TOKENS_NAMES[TEXT])
    assert [t.lemma for t in tokens] == ["em", "muon", "dang", "ky", "lop", "may"]
    dang, ky = tokens[2], tokens[3]
    assert (dang.start, dang.end) == (ky.start, ky.end) == (6, 8)
    assert dang.text == ky.text == "đk"


def test_common_typos_and_spelling_variants_meet() -> None:
    assert _lemmas("đăng kí") == _lemmas("đăng ký") == _lemmas("dang ky")
    assert _lemmas("hổ trợ") == _lemmas("hỗ trợ")
    assert _lemmas("ko dc") == ["khong", "duoc"]


def test_stretched_letters_are_squeezed() -> None:
    assert _lemmas("chàoooo") == ["chao"]


def test_token_offsets_point_into_the_original_text() -> None:
    text = "Cho hỏi, trợ cấp bn?"
    message = Message(data={TEXT: text})
    _tokenizer().process([message])
    for token in message.get(TOKENS_NAMES[TEXT]):
        assert text[token.start : token.end] == token.text


def test_training_data_is_tokenized_with_the_same_lemmas() -> None:
    data = TrainingData([Message(data={TEXT: "Xin chào", "intent": "greet"})])
    _tokenizer().process_training_data(data)
    assert [t.lemma for t in data.training_examples[0].get(TOKENS_NAMES[TEXT])] == ["xin", "chao"]


def test_canonical_lemmas_can_be_switched_off_for_experiments() -> None:
    assert _lemmas("Đăng ký", canonical_lemmas=False) == ["Đăng", "ký"]
