"""The contract constants agree with the Rasa domain and partition the intents."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.knowledge.intents import (
    ACTION_INTENTS,
    CHITCHAT_INTENTS,
    CONTRACT_INTENTS,
    ENTITIES,
    FACTUAL_INTENTS,
)

DOMAIN = Path(__file__).resolve().parents[2] / "nlu" / "domain.yml"


CONTRACT = Path(__file__).resolve().parents[2] / "docs" / "contracts" / "nlu-contract.md"


def contract_table(heading: str) -> list[str]:
    """First-column names of the markdown table whose header starts with `heading`."""
    names: list[str] = []
    inside = False
    for line in CONTRACT.read_text(encoding="utf-8").splitlines():
        if line.startswith(f"| {heading} |"):
            inside = True
            continue
        if inside and line.startswith("|---"):
            continue
        if inside and line.startswith("| "):
            names.append(line.split("|")[1].strip())
        elif inside:
            break
    return names


def test_contract_has_29_unique_intents() -> None:
    assert len(CONTRACT_INTENTS) == 29
    assert len(set(CONTRACT_INTENTS)) == 29


def test_constants_match_the_contract_document() -> None:
    assert contract_table("intent") == list(CONTRACT_INTENTS)
    assert contract_table("entity") == list(ENTITIES)


def test_the_rasa_domain_uses_only_contract_names_in_contract_order() -> None:
    # The NLU training data for the six 2026 intents and four story entities is added with
    # the NLU model (a separate change); until then the domain is a prefix of the contract.
    domain = yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))
    intents, entities = list(domain["intents"]), list(domain["entities"])
    assert intents == list(CONTRACT_INTENTS)[: len(intents)]
    assert entities == list(ENTITIES)[: len(entities)]
    assert len(intents) >= 23


def test_factual_action_and_chitchat_partition_the_contract() -> None:
    groups = [FACTUAL_INTENTS, ACTION_INTENTS, CHITCHAT_INTENTS]
    assert set().union(*groups) == set(CONTRACT_INTENTS)
    assert sum(len(group) for group in groups) == len(CONTRACT_INTENTS)
