"""Communes of the former Đầm Hà district, old and new, as registration codes.

Since 1 July 2025 the district level is gone and the area is two communes: **Đầm Hà** (former
town Đầm Hà + xã Tân Bình, Đại Bình, Tân Lập, Đầm Hà) and **Quảng Tân** (former xã Quảng An,
Dực Yên, Quảng Lâm, Quảng Tân; xã Quảng Lợi had merged into Quảng Tân on 1/1/2020), per Nghị
quyết 1679/NQ-UBTVQH15 (16/6/2025). Citizens still name their old unit, so both are accepted
and stored as the new commune's code. The names and the mapping live in one vocabulary,
bot.knowledge.vocab; this module keeps the registration desk's names for them.
"""

from __future__ import annotations

from bot.knowledge.vocab import (
    COMMUNE_LIST,
    DAM_HA,
    FORMER_UNITS,
    OUTSIDE,
    QUANG_TAN,
    FormerUnit,
    commune_key,
    fold_key,
    resolve_commune,
)

#: Code -> official name of the post-2025 commune (proper names, not sentences).
COMMUNES: dict[str, str] = {**{c.code: c.name for c in COMMUNE_LIST}, OUTSIDE: "—"}

__all__ = [
    "COMMUNES",
    "DAM_HA",
    "FORMER_UNITS",
    "OUTSIDE",
    "QUANG_TAN",
    "FormerUnit",
    "communes_named_in",
    "resolve_commune",
    "unmapped_unit",
]


_DISTRICT_WORDS = ("huyen ",)  # "huyện Đầm Hà" is the former district, not the commune
_NAMES: dict[str, str] = {commune_key(unit.name): unit.commune for unit in FORMER_UNITS}
_NAMES.update({commune_key(c.name): c.code for c in COMMUNE_LIST})


def communes_named_in(text: str) -> set[str]:
    """Codes of every commune whose name (new or former unit) the text mentions.

    "thôn 5 Đại Bình" -> {"dam_ha"}; "huyện Đầm Hà" names the former district, which covered
    both communes, and so gives nothing. Whole words only ("Tân Bình" is not in "Tân Bìnhh").
    """
    folded = f" {_fold_words(text)} "
    found: set[str] = set()
    for name, code in _NAMES.items():
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
    return " ".join("".join(c if c.isalnum() else " " for c in fold_key(text)).split())


#: Former units known by name whose commune after the mergers is not verified. Empty since
#: NQ 1679/NQ-UBTVQH15 and the 2020 merger settled Quảng Lợi (now in Quảng Tân); kept so a
#: unit found unmapped later is recognised as ours and never guessed.
UNMAPPED_UNITS: tuple[str, ...] = ()


def unmapped_unit(text: str) -> str | None:
    """The unmapped former unit the text names, or None."""
    folded = commune_key(text).removesuffix(" cu").strip()
    for name in UNMAPPED_UNITS:
        if folded == commune_key(name):
            return name
    return None
