"""Topics above intents: what kind of help a message is about.

A wrong intent inside the right topic costs the citizen little (the allowance-amount answer
instead of the allowance-eligibility one still talks about their allowance); a wrong topic (the
labour-export answer to a blind child's family) is what must never be served. Confidence is
therefore checked at this level first (see `bot.understanding.calibration`).
"""

from __future__ import annotations

from typing import Final

HOUSING: Final = "housing"
ALLOWANCE: Final = "allowance"
JOBS: Final = "jobs"
REGISTRATIONS: Final = "registrations"
OFFICE: Final = "office"
CHITCHAT: Final = "chitchat"
OTHER: Final = "other"

TOPIC_OF: Final[dict[str, str]] = {
    "housing_eligibility": HOUSING,
    "housing_amount": HOUSING,
    "housing_procedure": HOUSING,
    # Aid after storms and floods is asked in the same breath as rebuilding the house.
    "disaster_relief": HOUSING,
    "allowance_eligibility": ALLOWANCE,
    "allowance_amount": ALLOWANCE,
    "allowance_procedure": ALLOWANCE,
    "allowance_payment": ALLOWANCE,
    # Funeral support and the free health-insurance card are rights of allowance recipients.
    "funeral_support": ALLOWANCE,
    "health_insurance": ALLOWANCE,
    "vocational_classes": JOBS,
    "register_vocational": JOBS,
    "job_fairs": JOBS,
    "register_job_fair": JOBS,
    "labour_export": JOBS,
    "my_registrations": REGISTRATIONS,
    "cancel_registration": REGISTRATIONS,
    # Things only a person at the office can do: the state of one's file, a complaint, help
    # in danger, a call back.
    "contact_office": OFFICE,
    "human_handoff": OFFICE,
    "application_status": OFFICE,
    "complaint_appeal": OFFICE,
    "emergency": OFFICE,
    "greet": CHITCHAT,
    "goodbye": CHITCHAT,
    "thank": CHITCHAT,
    "affirm": CHITCHAT,
    "deny": CHITCHAT,
    "bot_capabilities": CHITCHAT,
    "out_of_scope": OTHER,
}

# The intent that answers each kind of question within a topic, for follow-ups such as
# "nộp ở đâu" or "được bao nhiêu" right after an answer.
ASPECT_INTENT: Final[dict[str, dict[str, str]]] = {
    HOUSING: {
        "eligibility": "housing_eligibility",
        "amount": "housing_amount",
        "procedure": "housing_procedure",
    },
    ALLOWANCE: {
        "eligibility": "allowance_eligibility",
        "amount": "allowance_amount",
        "procedure": "allowance_procedure",
        "payment": "allowance_payment",
    },
    JOBS: {
        "eligibility": "vocational_classes",
        "amount": "vocational_classes",
        "procedure": "register_vocational",
    },
}


def topic_of(intent: str | None) -> str | None:
    """The topic of `intent`; unknown intents (e.g. Rasa's nlu_fallback) have none."""
    return TOPIC_OF.get(intent) if intent else None
