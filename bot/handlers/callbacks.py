"""Callback data of this package's buttons: `PREFIX|value`, built and parsed in one place.

Callback data comes back from the client and can be forged or outlive a code change, so
every value is checked against a closed set (`parse` returns None for anything else) and the
handler answers "this button is stale" instead of guessing. The flows' prefixes (REG, ELIG,
MYREG, REM) belong to bot.flows; none of these collide with them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from bot.knowledge.intents import CONTRACT_INTENTS

MENU: Final = "MENU"  # open a (sub-)menu
ANSWER: Final = "ANS"  # answer (or start the feature of) one intent
GO: Final = "GO"  # open a feature: eligibility check, registration list, my registrations
CONSENT: Final = "CONSENT"
PRIVACY: Final = "PRIV"
HANDOFF: Final = "HANDOFF"

SEP: Final = "|"
MAX_BYTES: Final = 64  # Telegram's limit on callback_data

MENU_TOPICS: Final = frozenset({"main", "housing", "allowance", "vocational", "jobs"})
GO_TARGETS: Final = frozenset(
    {"elig:housing", "elig:allowance", "reg:vocational_class", "reg:job_fair", "my"}
)
CONSENT_CHOICES: Final = frozenset({"yes", "no"})
PRIVACY_ACTIONS: Final = frozenset({"erase", "erase_yes", "keep"})
# ask: prompt for a question; send: send the one not understood; offer: propose sending it
HANDOFF_ACTIONS: Final = frozenset({"ask", "send", "offer"})

_ALLOWED: Final[dict[str, frozenset[str]]] = {
    MENU: MENU_TOPICS,
    ANSWER: frozenset(CONTRACT_INTENTS),
    GO: GO_TARGETS,
    CONSENT: CONSENT_CHOICES,
    PRIVACY: PRIVACY_ACTIONS,
    HANDOFF: HANDOFF_ACTIONS,
}


@dataclass(frozen=True)
class Callback:
    prefix: str
    value: str


def build(prefix: str, value: str) -> str:
    """The callback data for a button; refuses unknown values and data over 64 bytes."""
    allowed = _ALLOWED.get(prefix)
    if allowed is None or value not in allowed:
        known = sorted(allowed or [])
        raise ValueError(f"no button {prefix}{SEP}{value} (known values: {known})")
    data = f"{prefix}{SEP}{value}"
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data {data!r} is longer than {MAX_BYTES} bytes")
    return data


def parse(data: str | None) -> Callback | None:
    """The button pressed, or None when the data is unknown, stale or forged."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    prefix, sep, value = data.partition(SEP)
    allowed = _ALLOWED.get(prefix)
    if not sep or allowed is None or value not in allowed:
        return None
    return Callback(prefix, value)


def pattern(prefix: str) -> re.Pattern[str]:
    """What a CallbackQueryHandler matches: the prefix only; `parse` checks the value."""
    return re.compile(rf"^{re.escape(prefix)}{re.escape(SEP)}")
