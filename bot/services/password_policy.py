"""Which staff passwords are acceptable: long enough AND hard to guess (zxcvbn).

A length rule alone accepted `aaaaaaaaaa`. zxcvbn (Dropbox's estimator, maintained on PyPI)
scores a password against dictionaries of common passwords, names and words, keyboard
patterns, repeats, sequences and dates; we require score 3 ("safely unguessable: moderate
protection from an offline slow-hash scenario", ~10^8 guesses), which is ample behind the
login throttle and Argon2. The account's own login and name, and words anyone would try
against this office (the district, the commune, "mật khẩu"), count as known words.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from zxcvbn import zxcvbn

from nlu.textnorm import canonical_text

MIN_LENGTH = 10
MAX_LENGTH = 256  # Argon2 takes any length; a cap keeps the estimator (and forms) sane
MIN_SCORE = 3
_ESTIMATE_CHARS = 100  # zxcvbn is super-linear; the first 100 characters decide enough
LOCAL_WORDS = (
    "dam ha",
    "quang ninh",
    "quang tan",
    "quang lam",
    "ubnd",
    "an sinh",
    "tro ly",
    "tro cap",
    "mat khau",
    "can bo",
    "admin",
    "password",
)


class PasswordWeakness(StrEnum):
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    GUESSABLE = "guessable"


def weakness(password: str, *, related: Iterable[str] = ()) -> PasswordWeakness | None:
    """Why `password` is refused, or None when it is acceptable.

    `related` are strings tied to the account (login, full name) that must not carry it.
    """
    if len(password) < MIN_LENGTH:
        return PasswordWeakness.TOO_SHORT
    if len(password) > MAX_LENGTH:
        return PasswordWeakness.TOO_LONG
    known = [*LOCAL_WORDS, *(word.replace(" ", "") for word in LOCAL_WORDS)]
    for value in related:
        folded = canonical_text(value)
        known += [folded, folded.replace(" ", ""), *folded.split()]
    # Judge the password as typed and without diacritics (people type both).
    for candidate in {password, canonical_text(password).replace(" ", "")}:
        if candidate and zxcvbn(candidate[:_ESTIMATE_CHARS], user_inputs=known)["score"] < (
            MIN_SCORE
        ):
            return PasswordWeakness.GUESSABLE
    return None
