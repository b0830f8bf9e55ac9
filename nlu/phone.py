"""Vietnamese mobile numbers: find them in free text and write them in +84 form.

Pure Python so the Rasa entity extractor and the bot validate numbers the same way.
Mobile numbers have 10 digits starting 03, 05, 07, 08 or 09 (after the 2018 renumbering),
written with spaces, dots or dashes, or in international form +84 / 84 without the 0.
"""

from __future__ import annotations

import re

# A mobile number anywhere in a sentence. Separators may appear between any two digits;
# the look-arounds stop us from cutting a longer digit run (an ID card number) in pieces.
PHONE_PATTERN = re.compile(
    r"(?<![\d+])"
    r"(?:\(?\+?84\)?[\s.\-]?\(?0?\)?[\s.\-]?|0)"
    r"[35789](?:[\s.\-]?\d){8}"
    r"(?![\d])"
)

_MOBILE_DIGITS = re.compile(r"[35789]\d{8}")


def normalise_phone(raw: str) -> str | None:
    """`raw` as +84XXXXXXXXX when it is a Vietnamese mobile number, else None.

    >>> normalise_phone("0912 345 678")
    '+84912345678'
    >>> normalise_phone("(+84) 912-345-678")
    '+84912345678'
    >>> normalise_phone("024 3825 1234") is None
    True
    """
    digits = re.sub(r"\D", "", raw)
    if digits.startswith("840") and len(digits) == 12:
        digits = digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = digits[2:]
    elif digits.startswith("0") and len(digits) == 10:
        digits = digits[1:]
    else:
        return None
    return f"+84{digits}" if _MOBILE_DIGITS.fullmatch(digits) else None


def find_phones(text: str) -> list[tuple[int, int, str]]:
    """(start, end, +84 form) of every mobile number written in `text`."""
    found = []
    for match in PHONE_PATTERN.finditer(text):
        value = normalise_phone(match.group())
        if value:
            found.append((match.start(), match.end(), value))
    return found
