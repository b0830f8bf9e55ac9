"""The training data and the Rasa domain follow the NLU contract."""

from __future__ import annotations

import unicodedata
from collections import Counter
from pathlib import Path

import yaml

from bot.knowledge.intents import CONTRACT_INTENTS, ENTITIES
from bot.nlu_tools.nlu_yaml import load_many
from nlu.textnorm import canonical_text

ROOT = Path(__file__).resolve().parents[2]
TRAINING = load_many([ROOT / "nlu" / "data"])
HELDOUT = load_many([ROOT / "tests" / "nlu" / "data" / "heldout.yml"])
DOMAIN = yaml.safe_load((ROOT / "nlu" / "domain.yml").read_text())

# The contract's additions of issue 11 (../shared/nlu-contract.md). bot/knowledge/intents.py
# lists them once the knowledge base answers them (another branch); until that merge the
# domain may be ahead of it by exactly these, never by anything else.
ISSUE_11_INTENTS = frozenset(
    {
        "funeral_support",
        "health_insurance",
        "disaster_relief",
        "application_status",
        "complaint_appeal",
        "emergency",
    }
)
ISSUE_11_ENTITIES = frozenset({"age", "relation", "disability_level", "pension"})


def test_domain_lists_exactly_the_contract() -> None:
    intents, entities = DOMAIN["intents"], DOMAIN["entities"]
    assert len(intents) == len(set(intents)) and len(entities) == len(set(entities))
    assert set(intents) == set(CONTRACT_INTENTS) | ISSUE_11_INTENTS
    assert set(entities) == set(ENTITIES) | ISSUE_11_ENTITIES


def test_every_contract_intent_has_at_least_40_examples() -> None:
    counts = Counter(e.intent for e in TRAINING)
    assert set(counts) == set(DOMAIN["intents"])
    assert min(counts.values()) >= 40, counts.most_common()[-3:]


def test_training_data_is_nfc_so_entity_offsets_survive_normalisation() -> None:
    not_nfc = [e.text for e in TRAINING if unicodedata.normalize("NFC", e.text) != e.text]
    assert not_nfc == []


def test_entity_annotations_use_contract_entities() -> None:
    used = {entity.entity for e in TRAINING + HELDOUT for entity in e.entities}
    assert used <= set(DOMAIN["entities"])


def test_heldout_set_is_not_copied_from_training() -> None:
    seen = {canonical_text(e.text) for e in TRAINING}
    copied = [e.text for e in HELDOUT if canonical_text(e.text) in seen]
    # Short chat lines ("xin chào", "ok") coincide naturally; longer ones must be new wording.
    assert [t for t in copied if len(t.split()) >= 4] == []


def test_heldout_covers_every_intent() -> None:
    counts = Counter(e.intent for e in HELDOUT)
    assert set(counts) == set(DOMAIN["intents"])
    assert min(counts.values()) >= 15
