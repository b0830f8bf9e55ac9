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


def test_contract_has_23_unique_intents() -> None:
    assert len(CONTRACT_INTENTS) == 23
    assert len(set(CONTRACT_INTENTS)) == 23


def test_contract_matches_the_rasa_domain() -> None:
    domain = yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))
    assert list(domain["intents"]) == list(CONTRACT_INTENTS)
    assert list(domain["entities"]) == list(ENTITIES)


def test_factual_action_and_chitchat_partition_the_contract() -> None:
    groups = [FACTUAL_INTENTS, ACTION_INTENTS, CHITCHAT_INTENTS]
    assert set().union(*groups) == set(CONTRACT_INTENTS)
    assert sum(len(group) for group in groups) == len(CONTRACT_INTENTS)
