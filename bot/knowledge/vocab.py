"""Canonical values of the `target_group` entity, and how any spelling maps onto them.

The NLU extractor already returns canonical values ("người cao tuổi" for "người già"), but the
knowledge base must not depend on that: a value typed without diacritics by a test, a flow
button or an older model still has to pick the right variant. So lookups fold case and
diacritics (`nlu.textnorm.fold`, the same folding the NLU uses) and know common aliases.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Final

from nlu.textnorm import fold

# Canonical value (as the NLU training data writes it) -> other ways citizens say it.
TARGET_GROUPS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "hộ nghèo": ("nghèo", "gia đình nghèo", "nhà nghèo"),
        "hộ cận nghèo": ("cận nghèo", "hcn", "gia đình cận nghèo"),
        "người cao tuổi": (
            "người già",
            "nct",
            "cụ già",
            "ông bà",
            "người già neo đơn",
            "người cao tuổi neo đơn",
            "người già cô đơn",
        ),
        "người khuyết tật": ("khuyết tật", "nkt", "tàn tật", "người tàn tật"),
        "trẻ em mồ côi": (
            "trẻ mồ côi",
            "mồ côi",
            "trẻ em không có nguồn nuôi dưỡng",
            "trẻ bị bỏ rơi",
            "trẻ em",
        ),
        "người đơn thân nuôi con": (
            "mẹ đơn thân",
            "bố đơn thân",
            "đơn thân",
            "người đơn thân",
            "đơn thân nuôi con",
        ),
        "người có công": (
            "gia đình có công",
            "thương binh",
            "gia đình liệt sĩ",
            "gia đình chính sách",
        ),
        "người dân tộc thiểu số": ("dân tộc thiểu số", "dtts", "đồng bào dân tộc"),
        "người nhiễm HIV": ("nhiễm hiv", "hiv", "người có hiv"),
        "bộ đội xuất ngũ": ("quân nhân xuất ngũ", "xuất ngũ", "bộ đội"),
        "sinh viên mới tốt nghiệp": ("sinh viên", "sinh viên mới ra trường"),
        "lao động nông thôn": ("nông dân", "người lao động nông thôn"),
        "phụ nữ": ("lao động nữ", "chị em phụ nữ"),
    }
)


def fold_key(text: str) -> str:
    """How two spellings are compared: folded words joined by single spaces."""
    return " ".join(fold(text).split())


def alias_index(canonical_to_aliases: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """Folded spelling -> canonical value, for every canonical value and alias."""
    index: dict[str, str] = {}
    for canonical, aliases in canonical_to_aliases.items():
        for spelling in (canonical, *aliases):
            index.setdefault(fold_key(spelling), canonical)
    return index


_GROUP_INDEX: Final[dict[str, str]] = alias_index(TARGET_GROUPS)


def normalise_target_group(value: str | None) -> str | None:
    """The canonical target group for any spelling of it, or None when unknown."""
    if not value:
        return None
    return _GROUP_INDEX.get(fold_key(value))
