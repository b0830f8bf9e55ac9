"""VietnameseEntityExtractor: lookup phrases matched without case or diacritics, phones."""

from __future__ import annotations

import unicodedata

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader
from rasa.shared.nlu.training_data.message import Message

from nlu.components.vietnamese_entities import VietnameseEntityExtractor

DATA = """
version: "3.1"
nlu:
- intent: allowance_amount
  examples: |
    - trợ cấp cho [người già neo đơn]{"entity": "target_group", "value": "người cao tuổi"} bao nhiêu
    - lớp [may]{"entity": "trade", "value": "may công nghiệp"} học mấy tháng
- lookup: commune
  examples: |
    - Quảng Lâm
    - quang lam
    - Đầm Hà
    - thị trấn Đầm Hà
    - Dục Yên
- synonym: Dực Yên
  examples: |
    - Dục Yên
- lookup: target_group
  examples: |
    - người cao tuổi
    - người già
- synonym: người cao tuổi
  examples: |
    - người già
- lookup: trade
  examples: |
    - may công nghiệp
    - nghề may
- synonym: may công nghiệp
  examples: |
    - nghề may
"""


@pytest.fixture
def extractor(
    model_storage: LocalModelStorage, resource: Resource, execution_context: ExecutionContext
) -> VietnameseEntityExtractor:
    component = VietnameseEntityExtractor.create(
        VietnameseEntityExtractor.get_default_config(), model_storage, resource, execution_context
    )
    component.train(RasaYAMLReader().reads(DATA))
    # Use the persisted copy, as the NLU server does.
    return VietnameseEntityExtractor.load(
        VietnameseEntityExtractor.get_default_config(), model_storage, resource, execution_context
    )


def _entities(extractor: VietnameseEntityExtractor, text: str) -> list[tuple[str, str, str]]:
    message = Message(data={TEXT: text})
    extractor.process([message])
    return [(e["entity"], e["value"], text[e["start"] : e["end"]]) for e in message.get(ENTITIES)]


def test_commune_found_without_diacritics_with_canonical_value(
    extractor: VietnameseEntityExtractor,
) -> None:
    assert _entities(extractor, "nha toi o QUANG LAM") == [("commune", "Quảng Lâm", "QUANG LAM")]


def test_synonym_gives_the_canonical_value(extractor: VietnameseEntityExtractor) -> None:
    assert _entities(extractor, "tôi ở Dục Yên") == [("commune", "Dực Yên", "Dục Yên")]
    assert _entities(extractor, "trợ cấp người già") == [
        ("target_group", "người cao tuổi", "người già")
    ]


def test_longest_phrase_wins(extractor: VietnameseEntityExtractor) -> None:
    assert _entities(extractor, "ở thị trấn Đầm Hà") == [
        ("commune", "thị trấn Đầm Hà", "thị trấn Đầm Hà")
    ]


def test_district_is_not_a_commune(extractor: VietnameseEntityExtractor) -> None:
    assert _entities(extractor, "huyện Đầm Hà có lớp nghề không") == []


def test_whole_words_only(extractor: VietnameseEntityExtractor) -> None:
    assert _entities(extractor, "máy cày hỏng") == []
    assert _entities(extractor, "học nghề may") == [("trade", "may công nghiệp", "nghề may")]


def test_multi_word_annotations_become_phrases(extractor: VietnameseEntityExtractor) -> None:
    found = _entities(extractor, "Người già neo đơn có được trợ cấp không")
    assert found == [("target_group", "người cao tuổi", "Người già neo đơn")]


def test_single_word_annotations_are_not_phrases(extractor: VietnameseEntityExtractor) -> None:
    assert _entities(extractor, "máy may hỏng rồi") == []


def test_phone_numbers_in_plus84_form(extractor: VietnameseEntityExtractor) -> None:
    found = _entities(extractor, "gọi cho tôi số 0912.345.678 nhé")
    assert found == [("phone", "+84912345678", "0912.345.678")]


def test_nfd_input_gives_the_same_entities(extractor: VietnameseEntityExtractor) -> None:
    text = "tôi ở Quảng Lâm, học nghề may"
    nfc_found = [(e, v) for e, v, _ in _entities(extractor, text)]
    nfd_found = [(e, v) for e, v, _ in _entities(extractor, unicodedata.normalize("NFD", text))]
    assert nfc_found == nfd_found == [("commune", "Quảng Lâm"), ("trade", "may công nghiệp")]


def test_untrained_extractor_still_finds_phones(
    model_storage: LocalModelStorage, resource: Resource, execution_context: ExecutionContext
) -> None:
    empty = VietnameseEntityExtractor.load({}, model_storage, resource, execution_context)
    message = Message(data={TEXT: "sdt 0987654321"})
    empty.process([message])
    assert [e["value"] for e in message.get(ENTITIES)] == ["+84987654321"]


def test_names_of_documents_and_offices_are_not_groups(
    model_storage: LocalModelStorage, resource: Resource, execution_context: ExecutionContext
) -> None:
    data = RasaYAMLReader().reads(
        'version: "3.1"\nnlu:\n- lookup: target_group\n  examples: |\n'
        "    - khuyết tật\n    - phụ nữ\n    - thương binh\n"
    )
    component = VietnameseEntityExtractor.create({}, model_storage, resource, execution_context)
    component.train(data)
    assert _entities(component, "làm giấy xác nhận khuyết tật ở đâu") == []
    assert _entities(component, "Hội Phụ nữ xã có lớp nghề không") == []
    assert _entities(component, "Phòng Lao động - Thương binh và Xã hội") == []
    assert _entities(component, "con tôi bị khuyết tật") == [
        ("relation", "con", "con tôi"),
        ("target_group", "khuyết tật", "khuyết tật"),
    ]


def test_story_facts_come_back_canonical(extractor: VietnameseEntityExtractor) -> None:
    message = Message({TEXT: "bà nội em 82 tuổi ko có lương hưu, khuyết tật nặng"})
    extractor.process([message])
    found = {(e["entity"], e["value"]) for e in message.get(ENTITIES)}
    assert {
        ("relation", "bà"),
        ("age", "82"),
        ("pension", "none"),
        ("disability_level", "nặng"),
    } <= found


def test_learned_fact_spans_are_kept_only_where_the_rules_found_nothing(
    extractor: VietnameseEntityExtractor,
) -> None:
    text = "u tôi 80 tuổi, mẹ tôi ở Quảng Lâm"
    learned = [
        # The CRF saw "u tôi" (a northern word for mother the rules do not know) ...
        {
            "entity": "relation",
            "value": "u tôi",
            "start": 0,
            "end": 5,
            "extractor": "CRFEntityExtractor",
        },
        # ... and "80 tuổi", which the rules read too: the rules' entity is kept.
        {
            "entity": "age",
            "value": "80 tuổi",
            "start": 6,
            "end": 13,
            "extractor": "CRFEntityExtractor",
        },
        # Lookup entities of the CRF are dropped: the lookup tables are authoritative.
        {
            "entity": "commune",
            "value": "Quảng",
            "start": 24,
            "end": 29,
            "extractor": "CRFEntityExtractor",
        },
    ]
    message = Message({TEXT: text, ENTITIES: learned})
    extractor.process([message])
    entities = message.get(ENTITIES)
    ages = [e for e in entities if e["entity"] == "age"]
    assert [(e["value"], e["extractor"]) for e in ages] == [("80", "VietnameseEntityExtractor")]
    assert not any(
        e["extractor"] == "CRFEntityExtractor" and e["entity"] == "commune" for e in entities
    )
    assert ("commune", "Quảng Lâm") in {(e["entity"], e["value"]) for e in entities}
    # "u tôi" cannot be normalised by the rules, so the learned span is dropped, not guessed.
    assert [e["value"] for e in entities if e["entity"] == "relation"] == ["mẹ"]
