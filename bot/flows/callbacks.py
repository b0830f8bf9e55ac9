"""Callback data of the flows' buttons: `PREFIX|action|arg…`, built and parsed in one place.

Callback data comes back from the client and can be forged, so parsing is strict: a known
prefix, a known shape, integers that are integers. What an id *refers to* (is this
registration the presser's?) is checked by the handler against the database, never trusted.
Telegram limits callback data to 64 bytes; `build` refuses anything longer at once, so a too
long button fails in tests rather than in front of a citizen.
"""

from __future__ import annotations

from dataclasses import dataclass

REG = "REG"  # registration form
ELIG = "ELIG"  # eligibility check
MYREG = "MYREG"  # my registrations: list, cancel, confirm cancel
REM = "REM"  # buttons under a reminder message

SEP = "|"
MAX_BYTES = 64
_MAX_ID = 2**53  # ids beyond this are forged; keeps int() of hostile input cheap and bounded


@dataclass(frozen=True)
class Callback:
    prefix: str
    action: str
    args: tuple[str, ...] = ()

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
    """`PREFIX|action|args…`; ValueError if a part holds the separator or it is too long."""
    parts = [prefix, action, *(str(arg) for arg in args)]
    if any(SEP in part or not part for part in parts):
        raise ValueError(f"callback part empty or containing {SEP!r}: {parts!r}")
    data = SEP.join(parts)
    if len(data.encode("utf-8")) > MAX_BYTES:
        raise ValueError(f"callback data longer than {MAX_BYTES} bytes: {data!r}")
    return data


def parse(data: str | None, prefix: str) -> Callback | None:
    """The callback if `data` starts with `prefix` and has an action; None otherwise."""
    if not data or len(data.encode("utf-8")) > MAX_BYTES:
        return None
    parts = data.split(SEP)
    if len(parts) < 2 or parts[0] != prefix or not parts[1]:
        return None
    return Callback(parts[0], parts[1], tuple(parts[2:]))


def pattern(prefix: str) -> str:
    """The `CallbackQueryHandler` pattern for `prefix`."""
    return f"^{prefix}\\{SEP}"
