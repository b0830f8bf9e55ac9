"""Vietnamese mobile numbers, normalised to E.164 (`+84` and nine digits).

People type numbers every possible way (`0912 345 678`, `0912.345.678`, `+84 912345678`,
`84912345678`, `(+84)912-345-678`); staff need one form to search and deduplicate. Only mobile
numbers are accepted because the number is for calling or texting a citizen back: landlines,
1800/1900 service numbers, foreign numbers and the pre-2018 eleven-digit mobile numbers are
refused with a machine-readable `PhoneProblem` (the wording lives in bot.texts).

Prefix list: the mobile ranges in use since the 2018 renumbering (03x Viettel, 05x
Vietnamobile/Gmobile/Reddi, 07x MobiFone, 08x, 09x). 095 (S-Fone) is closed.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum

_SEPARATORS = frozenset(" .-()/\u00a0\t")
MOBILE_PREFIXES = frozenset(
    [f"3{d}" for d in "23456789"]
    + ["52", "55", "56", "58", "59"]
    + ["70", "76", "77", "78", "79"]
    + [f"8{d}" for d in "123456789"]
    + ["90", "91", "92", "93", "94", "96", "97", "98", "99"]
)


class PhoneProblem(StrEnum):
    EMPTY = "empty"
    INVALID_CHARACTERS = "invalid_characters"
    FOREIGN = "foreign"
    LANDLINE = "landline"
    SERVICE_NUMBER = "service_number"
    OBSOLETE_PREFIX = "obsolete_prefix"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    UNKNOWN_PREFIX = "unknown_prefix"


class InvalidPhone(ValueError):
    """The text is not a usable Vietnamese mobile number; `problem` says why.

    The message names the problem only, never the number, because exceptions end up in logs.
    """

    def __init__(self, problem: PhoneProblem) -> None:
        super().__init__(f"invalid phone number: {problem.value}")
        self.problem = problem


def _digits_and_plus(raw: str) -> tuple[str, bool]:
    digits: list[str] = []
    plus = False
    for char in raw:
        if char == "+":
            if plus or digits:
                raise InvalidPhone(PhoneProblem.INVALID_CHARACTERS)
            plus = True
        elif char.isdigit():
            digits.append(str(unicodedata.digit(char)))
        elif char not in _SEPARATORS:
            raise InvalidPhone(PhoneProblem.INVALID_CHARACTERS)
    return "".join(digits), plus


def _national_part(digits: str, plus: bool) -> str:
    """The number without country code or trunk `0`."""
    if plus:
        if not digits.startswith("84"):
            raise InvalidPhone(PhoneProblem.FOREIGN)
        national = digits[2:]
    elif digits.startswith("0084"):
        national = digits[4:]
    elif digits.startswith("00"):
        raise InvalidPhone(PhoneProblem.FOREIGN)
    elif len(digits) == 11 and digits.startswith("84"):
        national = digits[2:]
    else:
        national = digits
    # "+84 0912…" and plain "0912…": drop the trunk zero once.
    return national[1:] if national.startswith("0") else national


def normalize_phone(raw: str) -> str:
    """`raw` as `+84XXXXXXXXX`, or `InvalidPhone` with the reason it is not a VN mobile."""
    text = unicodedata.normalize("NFKC", raw).strip()
    if not text:
        raise InvalidPhone(PhoneProblem.EMPTY)
    digits, plus = _digits_and_plus(text)
    if not digits:
        raise InvalidPhone(PhoneProblem.EMPTY)
    national = _national_part(digits, plus)
    if national.startswith(("1800", "1900")):
        raise InvalidPhone(PhoneProblem.SERVICE_NUMBER)
    if national.startswith("2") and len(national) >= 9:
        raise InvalidPhone(PhoneProblem.LANDLINE)
    if national.startswith("1") and len(national) == 10:
        raise InvalidPhone(PhoneProblem.OBSOLETE_PREFIX)
    if len(national) < 9:
        raise InvalidPhone(PhoneProblem.TOO_SHORT)
    if len(national) > 9:
        raise InvalidPhone(PhoneProblem.TOO_LONG)
    if national[:2] not in MOBILE_PREFIXES:
        raise InvalidPhone(PhoneProblem.UNKNOWN_PREFIX)
    return f"+84{national}"


def format_phone_local(e164: str) -> str:
    """`+84912345678` as people read it in Vietnam: `0912 345 678`."""
    if not (e164.startswith("+84") and len(e164) == 12):
        raise ValueError(f"not a normalised +84 number (length {len(e164)})")
    national = "0" + e164[3:]
    return f"{national[:4]} {national[4:7]} {national[7:]}"
