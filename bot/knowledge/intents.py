"""The NLU contract (docs/contracts/nlu-contract.md) as Python constants: the one place to read it.

The Rasa domain, the knowledge base, the handlers and the tests all name intents and
entities; importing them from here means a renamed or added intent fails loudly in every
consumer instead of silently missing an answer. Keep this file in step with
docs/contracts/nlu-contract.md and `nlu/domain.yml` (tests in tests/knowledge check both).
"""

from __future__ import annotations

from typing import Final

CONTRACT_INTENTS: Final[tuple[str, ...]] = (
    "greet",
    "goodbye",
    "thank",
    "affirm",
    "deny",
    "bot_capabilities",
    "contact_office",
    "human_handoff",
    "out_of_scope",
    "housing_eligibility",
    "housing_amount",
    "housing_procedure",
    "allowance_eligibility",
    "allowance_amount",
    "allowance_procedure",
    "allowance_payment",
    "vocational_classes",
    "register_vocational",
    "job_fairs",
    "register_job_fair",
    "labour_export",
    "my_registrations",
    "cancel_registration",
    "funeral_support",
    "health_insurance",
    "disaster_relief",
    "application_status",
    "complaint_appeal",
    "emergency",
)

ENTITIES: Final[tuple[str, ...]] = (
    "commune",
    "target_group",
    "trade",
    "phone",
    "age",
    "relation",
    "disability_level",
    "pension",
)

# Someone may be in danger: the answer (national hotlines first) is shown at once and the
# conversation is flagged to staff (`Answer.urgent`).
URGENT_INTENTS: Final[frozenset[str]] = frozenset({"emergency"})

# Intents whose answer states facts about policy, money or offices: each needs a source.
FACTUAL_INTENTS: Final[frozenset[str]] = frozenset(
    {
        "contact_office",
        "housing_eligibility",
        "housing_amount",
        "housing_procedure",
        "allowance_eligibility",
        "allowance_amount",
        "allowance_procedure",
        "allowance_payment",
        "vocational_classes",
        "job_fairs",
        "labour_export",
        "funeral_support",
        "health_insurance",
        "disaster_relief",
        "application_status",
        "complaint_appeal",
    }
)

# Intents that start a feature (a form, a list, a ticket); their answer is the short text
# shown before the feature takes over.
ACTION_INTENTS: Final[frozenset[str]] = frozenset(
    {
        "human_handoff",
        "register_vocational",
        "register_job_fair",
        "my_registrations",
        "cancel_registration",
        "emergency",
    }
)

# Small talk and navigation: no facts, no sources needed.
CHITCHAT_INTENTS: Final[frozenset[str]] = frozenset(
    set(CONTRACT_INTENTS) - FACTUAL_INTENTS - ACTION_INTENTS
)
