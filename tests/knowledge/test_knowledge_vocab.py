"""One vocabulary of communes and target groups: the NLU lookups, the knowledge's communes.yml,
the registration codes and labels all agree with bot.knowledge.vocab."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.knowledge import KnowledgeBase
from bot.knowledge.vocab import (
    COMMUNE_LIST,
    FORMER_UNITS,
    QUANG_TAN,
    REGISTRATION_GROUPS,
    TARGET_GROUPS,
    commune_key,
    normalise_target_group,
    resolve_commune,
)
from bot.services import citizens
from bot.texts import registration

LOOKUPS = Path(__file__).resolve().parents[2] / "nlu" / "data" / "lookups"


def lookup(name: str) -> tuple[list[str], list[str]]:
    """(lookup examples, synonym canonical values) of one NLU lookup file."""
    data = yaml.safe_load((LOOKUPS / name).read_text(encoding="utf-8"))
    examples: list[str] = []
    canonical: list[str] = []
    for item in data["nlu"]:
        lines = [line[2:].strip() for line in item["examples"].splitlines() if line.strip()]
        if "lookup" in item:
            examples += lines
        if "synonym" in item:
            canonical.append(item["synonym"])
            examples += lines
    return examples, canonical


def test_every_nlu_commune_value_resolves_to_a_commune() -> None:
    examples, canonical = lookup("communes.yml")
    for value in canonical:
        assert resolve_commune(value) is not None, value
    unresolved = [e for e in examples if resolve_commune(e) is None and e != "thị trấn"]
    # Misspellings the NLU keeps ("Dầm Hà", "Tân Bìn") are the NLU's business; real names
    # must all resolve.
    assert len(unresolved) < len(examples) // 4, unresolved


def test_every_former_unit_is_known_to_the_nlu() -> None:
    examples, _ = lookup("communes.yml")
    known = {commune_key(e) for e in examples}
    for unit in FORMER_UNITS:
        assert commune_key(unit.name) in known, unit.name


def test_quang_loi_belongs_to_quang_tan() -> None:
    assert resolve_commune("Quảng Lợi") == QUANG_TAN
    assert resolve_commune("xã Quảng Lợi") == QUANG_TAN


def test_the_knowledge_commune_directory_agrees(kb: KnowledgeBase) -> None:
    directory = kb.communes
    assert {c.name for c in directory.communes} == {c.official for c in COMMUNE_LIST}
    for commune in directory.communes:
        code = next(c.code for c in COMMUNE_LIST if c.official == commune.name)
        for old in commune.formed_from:
            assert resolve_commune(old) == code, old
    for unit in FORMER_UNITS:
        official = next(c.official for c in COMMUNE_LIST if c.code == unit.commune)
        assert directory.resolve(unit.name) == official, unit.name


def test_every_nlu_target_group_is_in_the_vocabulary() -> None:
    _, canonical = lookup("target_groups.yml")
    for value in canonical:
        assert value in TARGET_GROUPS, value
        assert normalise_target_group(value) == value


def test_registration_groups_agree_with_the_desk_and_its_labels() -> None:
    assert set(REGISTRATION_GROUPS) == set(citizens.TARGET_GROUPS)
    assert set(registration.TARGET_GROUP_LABELS) == set(REGISTRATION_GROUPS)
    for canonical in REGISTRATION_GROUPS.values():
        assert canonical in TARGET_GROUPS, canonical


def test_registration_commune_labels_use_the_official_names() -> None:
    for commune in COMMUNE_LIST:
        assert registration.COMMUNE_LABELS[commune.code] == f"Xã {commune.name}"
