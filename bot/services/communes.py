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
    "resolve_commune",
]
