"""Communes of the former Đầm Hà district, old and new (domain-facts §5).

Since 1 July 2025 the district level is gone and the area is two communes: **Đầm Hà** (former
town Đầm Hà + xã Tân Bình, Đại Bình, Tân Lập, Đầm Hà) and **Quảng Tân** (former xã Quảng An,
Dực Yên, Quảng Lâm, Quảng Tân). Citizens still name their old unit, so both are accepted and
stored as the new commune's code. The mapping comes from unofficial address datasets (the
resolution, believed to be NQ 1679/NQ-UBTVQH15, was not read): it is data, not logic, so a
correction is a one-line change here. Xã Quảng Lợi merged earlier into a unit that is not
verified, so it resolves to nothing rather than to a guess.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

DAM_HA = "dam_ha"
QUANG_TAN = "quang_tan"
OUTSIDE = "outside"  # lives elsewhere (job fairs are open to anyone)

#: Code -> official name of the post-2025 commune (proper names, not sentences).
COMMUNES: dict[str, str] = {DAM_HA: "Đầm Hà", QUANG_TAN: "Quảng Tân", OUTSIDE: "—"}


@dataclass(frozen=True)
class FormerUnit:
    name: str
    gso_code: str  # GSO code before 2025 (unofficial source)
    commune: str


FORMER_UNITS: tuple[FormerUnit, ...] = (
    FormerUnit("Thị trấn Đầm Hà", "06895", DAM_HA),
    FormerUnit("Xã Đầm Hà", "06916", DAM_HA),
    FormerUnit("Xã Tân Bình", "06904", DAM_HA),
    FormerUnit("Xã Đại Bình", "06919", DAM_HA),
    FormerUnit("Xã Tân Lập", "06917", DAM_HA),
    FormerUnit("Xã Quảng Tân", "06913", QUANG_TAN),
    FormerUnit("Xã Quảng An", "06901", QUANG_TAN),
    FormerUnit("Xã Dực Yên", "06910", QUANG_TAN),
    FormerUnit("Xã Quảng Lâm", "06898", QUANG_TAN),
)

_PREFIXES = ("thi tran ", "tt. ", "tt ", "xa ", "x. ")


def _fold(text: str) -> str:
    """Lower case without diacritics or unit words: "Xã Dực Yên" -> "duc yen"."""
    decomposed = unicodedata.normalize("NFD", text.strip().lower().replace("đ", "d"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = " ".join(plain.split())
    for prefix in _PREFIXES:
        if plain.startswith(prefix):
            return plain[len(prefix) :].strip()
    return plain


_BY_FOLDED: dict[str, str] = {_fold(unit.name): unit.commune for unit in FORMER_UNITS}
_BY_FOLDED.update({_fold(name): code for code, name in COMMUNES.items() if code != OUTSIDE})


def resolve_commune(text: str) -> str | None:
    """The commune code for a new or former unit name, or None if it is not one of ours."""
    if text in COMMUNES:
        return text
    return _BY_FOLDED.get(_fold(text))


def is_known_commune(code: str) -> bool:
    return code in COMMUNES


_DISTRICT_WORDS = ("huyen ",)  # "huyện Đầm Hà" is the former district, not the commune


def communes_named_in(text: str) -> set[str]:
    """Codes of every commune whose name (new or former unit) the text mentions.

    "thôn 5 Đại Bình" -> {"dam_ha"}; "huyện Đầm Hà" names the former district, which covered
    both communes, and so gives nothing. Whole words only ("Tân Bình" is not in "Tân Bìnhh").
    """
    folded = f" {_fold_words(text)} "
    found: set[str] = set()
    for name, code in _BY_FOLDED.items():
        start = folded.find(f" {name} ")
        while start != -1:
            before = folded[: start + 1]
            if not before.endswith(tuple(f" {word}" for word in _DISTRICT_WORDS)):
                found.add(code)
                break
            start = folded.find(f" {name} ", start + 1)
    return found


def _fold_words(text: str) -> str:
    """Lower case, no diacritics, punctuation as spaces ("Thôn 5, Đại Bình?": "thon 5 dai binh")."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join("".join(c if c.isalnum() else " " for c in plain).split())


#: Former units known by name whose commune after the mergers is not verified (the knowledge
#: base's communes.yml lists them as "unmapped"): recognised as ours, never guessed.
UNMAPPED_UNITS: tuple[str, ...] = ("Quảng Lợi",)
_UNMAPPED_FOLDED = {_fold(name) for name in UNMAPPED_UNITS}


def unmapped_unit(text: str) -> str | None:
    """The unmapped former unit the text names ("quang loi cu" -> "Quảng Lợi"), or None."""
    folded = _fold(text).removesuffix(" cu").strip()
    for name in UNMAPPED_UNITS:
        if folded == _fold(name):
            return name
    return None
