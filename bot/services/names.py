"""Search keys for people's names: what staff type ("nguyen hoa") must find what citizens
typed ("Nguyễn  Thị Hoa", "NGUYỄN THỊ HOA", a name with a zero-width space pasted in).

The key is the name folded the way the NLU folds citizens' text (nlu.textnorm: lower case,
no diacritics, đ -> d), without invisible characters (Unicode format characters such as
U+200B, U+200C, U+200D, U+FEFF, U+2060 and the soft hyphen) and punctuation, its words
joined by single spaces. It is stored next to the name (`citizens.name_key`, indexed) so the
search is a LIKE on plain ASCII that behaves the same on SQLite and PostgreSQL:

* every typed word must begin a word of the name, in order ("nguyen an" finds "Nguyễn Văn
  An" but not "Nguyễn Văn Thanh", whose "thanh" merely contains "an");
* or, for one typed word of at least `MIN_JOINED` letters, it occurs in the name without
  spaces ("nguyenthihoa", "thihoa"); shorter words only match word starts, otherwise "an"
  would find every "Văn".

The same key decides when two citizens carry "the same name" for the duplicate check.
"""

from __future__ import annotations

import unicodedata

from nlu.textnorm import fold

MAX_KEY = 200


def _visible(char: str) -> bool:
    """False for format characters (zero-width spaces, joiners, BOM, soft hyphen)."""
    return unicodedata.category(char) != "Cf"


def strip_invisible(text: str) -> str:
    """`text` without zero-width and other format characters."""
    return "".join(char for char in text if _visible(char))


def name_key(name: str | None) -> str | None:
    """The search key of a name: folded words, single spaces; None for None."""
    if name is None:
        return None
    return " ".join(search_words(name))[:MAX_KEY]


def search_words(typed: str) -> list[str]:
    """The words of what staff typed, folded the same way as stored keys."""
    folded = fold(strip_invisible(typed))
    words = ["".join(char for char in word if char.isalnum()) for word in folded.split()]
    return [word for word in words if word]


def like_pattern(typed: str) -> str | None:
    """`% nguyen% hoa%` for "Nguyễn  Hoa", matched against " " + key: each word begins a
    word of the name, in order (None if nothing to search for).

    Words hold only letters and digits, so LIKE's wildcards cannot occur in them.
    """
    words = search_words(typed)
    return "".join(f"% {word}" for word in words) + "%" if words else None


MIN_JOINED = 5


def joined_pattern(typed: str) -> str | None:
    """`%nguyenthihoa%` for a name typed as one word, matched against the key without spaces;
    None when the text has several words or is too short for that."""
    words = search_words(typed)
    if len(words) != 1 or len(words[0]) < MIN_JOINED:
        return None
    return f"%{words[0]}%"
