"""Answers at form steps that the strict parsers refuse but a person means clearly.

- Two-digit birth years: "năm 58", "sinh 58", "'58". Older people say their year this way. The
  century is chosen so the year lies in the form's range (1930 … this year − 15); the two
  ranges of two-digit years that fit (30–99 → 19xx, 00–11 → 20xx) never overlap, so the guess
  is unique, and the form still asks "1958 phải không?" before keeping it.
- Communes: besides an exact new or former name, a phrase naming exactly one commune
  ("thôn 5 Đại Bình") is accepted, and a former unit the knowledge base knows but whose
  commune is not verified ("Quảng Lợi") is recognised so the person is asked to choose
  instead of being told the name is unknown.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.services.communes import communes_named_in, resolve_commune, unmapped_unit

_TWO_DIGITS = re.compile(r"(?<![\d/.,])'?(\d{2})(?![\d/.,])")
_ANY_DIGITS = re.compile(r"\d+")


def two_digit_birth_year(text: str, *, low: int, high: int) -> int | None:
    """The full year for a message with one two-digit number ("năm 58" -> 1958), or None."""
    normalised = unicodedata.normalize("NFKC", text)
    numbers = _ANY_DIGITS.findall(normalised)
    found = _TWO_DIGITS.findall(normalised)
    if len(numbers) != 1 or len(found) != 1:
        return None
    short = int(found[0])
    candidates = [century + short for century in (1900, 2000) if low <= century + short <= high]
    return candidates[0] if len(candidates) == 1 else None


@dataclass(frozen=True)
class CommuneAnswer:
    """What a typed commune answer means: a commune code, or a known but unmapped unit."""

    code: str | None = None
    unmapped: str | None = None  # e.g. "Quảng Lợi": ask the person to choose

    @property
    def understood(self) -> bool:
        return self.code is not None or self.unmapped is not None


def commune_answer(text: str) -> CommuneAnswer:
    """The commune step's reading of what the person typed (see the module docstring)."""
    cleaned = " ".join(unicodedata.normalize("NFC", text).split())
    if not cleaned:
        return CommuneAnswer()
    code = resolve_commune(cleaned)
    if code is not None:
        return CommuneAnswer(code=code)
    named = communes_named_in(cleaned)
    if len(named) == 1:
        return CommuneAnswer(code=named.pop())
    return CommuneAnswer(unmapped=unmapped_unit(cleaned) or _unmapped_inside(cleaned))


def _unmapped_inside(text: str) -> str | None:
    """ "tôi ở xã Quảng Lợi cũ": the unmapped name anywhere in a short phrase."""
    words = text.split()
    for size in (3, 2):
        for start in range(len(words) - size + 1):
            found = unmapped_unit(" ".join(words[start : start + size]))
            if found is not None:
                return found
    return None
