"""Communes: former unit names map to the two post-2025 communes (NQ 1679/NQ-UBTVQH15,
docs/contracts/domain-facts.md §0.6)."""

from __future__ import annotations

import pytest

from bot.services.communes import DAM_HA, QUANG_TAN, resolve_commune


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Đầm Hà", DAM_HA),
        ("xã Đầm Hà", DAM_HA),
        ("Thị trấn Đầm Hà", DAM_HA),
        ("TT Đầm Hà", DAM_HA),
        ("tan binh", DAM_HA),
        ("Xã Đại Bình", DAM_HA),
        ("Tân Lập", DAM_HA),
        ("Quảng Tân", QUANG_TAN),
        ("xa quang an", QUANG_TAN),
        ("Dực Yên", QUANG_TAN),
        ("  Quảng   Lâm ", QUANG_TAN),
        ("quang_tan", QUANG_TAN),
        ("Quảng Lợi", QUANG_TAN),  # merged into Quảng Tân on 1/1/2020
    ],
)
def test_new_and_former_names_resolve_to_the_new_commune(typed: str, code: str) -> None:
    assert resolve_commune(typed) == code


@pytest.mark.parametrize("typed", ["Hạ Long", "", "Móng Cái", "huyện Đầm"])
def test_foreign_units_do_not_resolve(typed: str) -> None:
    assert resolve_commune(typed) is None
