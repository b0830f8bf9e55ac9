"""Callback data of every button: `PREFIX|action|arg…`, built and parsed in one place.

Callback data comes back from the client and can be forged or outlive a code change, so
parsing is strict: a known prefix, an action from that prefix's closed set (where it has one),
no more arguments than the prefix takes, integers that are integers. Anything else parses to
None and the handler answers "this button is old" (bot.chat.replies.stale) instead of
guessing. What an id *refers to* (is this registration the presser's?) is checked by the
handler against the database, never trusted. Telegram limits callback data to 64 bytes;
`build` refuses anything longer at once, so a too long button fails in tests rather than in
front of a citizen. Handlers are registered by prefix (`pattern`).
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
REG: Final = "REG"  # registration form
ELIG: Final = "ELIG"  # eligibility check: ELIG|<check>|<question>|<value> or ELIG|<check>|~cmd
MYREG: Final = "MYREG"  # my registrations: list, cancel, confirm cancel
REM: Final = "REM"  # buttons under a reminder message

SEP: Final = "|"
MAX_BYTES: Final = 64  # Telegram's limit on callback_data
_MAX_ID: Final = 2**53  # ids beyond this are forged; keeps int() of hostile input cheap

MENU_TOPICS: Final = frozenset({"main", "housing", "allowance", "vocational", "jobs"})
GO_TARGETS: Final = frozenset(
    {"elig:housing", "elig:allowance", "reg:vocational_class", "reg:job_fair", "my"}
)
CONSENT_CHOICES: Final = frozenset({"yes", "no"})
PRIVACY_ACTIONS: Final = frozenset({"erase", "erase_yes", "keep"})
# ask: prompt for a question; send: send the one not understood; offer: propose sending it
HANDOFF_ACTIONS: Final = frozenset({"ask", "send", "offer"})
REG_ACTIONS: Final = frozenset({"ev", "cm", "tg", "tg0", "tgok", "ok", "ed", "ef", "sum", "stop"})
MYREG_ACTIONS: Final = frozenset({"list", "c", "cy", "cn"})
REM_ACTIONS: Final = frozenset({"ok", "c"})


@dataclass(frozen=True)
class Scheme:
    """What one prefix accepts: its actions (None: any, checked by the handler) and args."""

    actions: frozenset[str] | None
    max_args: int


_SCHEMES: Final[dict[str, Scheme]] = {
    MENU: Scheme(MENU_TOPICS, 0),
    ANSWER: Scheme(frozenset(CONTRACT_INTENTS), 0),
    GO: Scheme(GO_TARGETS, 0),
    CONSENT: Scheme(CONSENT_CHOICES, 0),
    PRIVACY: Scheme(PRIVACY_ACTIONS, 0),
    HANDOFF: Scheme(HANDOFF_ACTIONS, 0),
    REG: Scheme(REG_ACTIONS, 1),
    ELIG: Scheme(None, 2),  # the action is a check id of the knowledge base
    MYREG: Scheme(MYREG_ACTIONS, 1),
    REM: Scheme(REM_ACTIONS, 1),
}


@dataclass(frozen=True)
class Callback:
    prefix: str
    action: str
    args: tuple[str, ...] = ()

    @property
    def value(self) -> str:
        """The one choice of a menu-like button (MENU|housing → "housing")."""
        return self.action

    def int_arg(self, index: int = 0) -> int | None:
        """Argument `index` as a positive id, or None when missing or not a plain number."""
        if index >= len(self.args):
            return None
        raw = self.args[index]
        if not raw.isascii() or not raw.isdigit() or len(raw) > 16:
            return None
        value = int(raw)
        return value if 0 < value < _MAX_ID else None

    def arg(self, index: int = 0) -> str | None:
        return self.args[index] if index < len(self.args) else None


def build(prefix: str, action: str, *args: object) -> str:
    """`PREFIX|action|args…`; ValueError for an unknown button, a separator or over 64 bytes."""
    scheme = _SCHEMES.get(prefix)
    if scheme is None or (scheme.actions is not None and action not in scheme.actions):
        known = sorted(scheme.actions or []) if scheme else sorted(_SCHEMES)
        raise ValueError(f"no button {prefix}{SEP}{action} (known: {known})")
    parts = [prefix, action, *(str(arg) for arg in args)]
    if any(SEP in part or not part for part in parts) or len(args) > scheme.max_args:
        raise ValueError(f"callback part empty or containing {SEP!r}, or too many: {parts!r}")
    data = SEP.join(parts)
    if len(data.encode("utf-8")) > MAX_BYTES:
        raise ValueError(f"callback data longer than {MAX_BYTES} bytes: {data!r}")
    return data


def parse(data: str | None, prefix: str | None = None) -> Callback | None:
    """The button pressed (of `prefix`, when given), or None when unknown, stale or forged."""
    if not data or len(data.encode("utf-8")) > MAX_BYTES:
        return None
    parts = data.split(SEP)
    scheme = _SCHEMES.get(parts[0])
    if scheme is None or (prefix is not None and parts[0] != prefix) or len(parts) < 2:
        return None
    action, args = parts[1], tuple(parts[2:])
    if not action or len(args) > scheme.max_args:
        return None
    if scheme.actions is not None and action not in scheme.actions:
        return None
    return Callback(parts[0], action, args)


def pattern(prefix: str) -> re.Pattern[str]:
    """What a CallbackQueryHandler matches: the prefix only; `parse` checks the rest."""
    return re.compile(rf"^{re.escape(prefix)}{re.escape(SEP)}")
