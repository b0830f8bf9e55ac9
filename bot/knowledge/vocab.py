"""One vocabulary: the communes (old and new names, NQ 1679/NQ-UBTVQH15) and the target groups.

Communes: since 1/7/2025 the former Đầm Hà district is two communes, xã Đầm Hà and xã Quảng
Tân (Nghị quyết 1679/NQ-UBTVQH15, 16/6/2025); citizens still name their old unit, and xã
Quảng Lợi had merged into Quảng Tân on 1/1/2020. bot.services.communes (registration codes),
bot.texts.registration (labels), the knowledge's communes.yml and the NLU lookup tables all
follow this module; tests/knowledge/test_knowledge_vocab.py keeps them in step.

Target groups: canonical values of the `target_group` entity, and how any spelling maps onto
them.

The NLU extractor already returns canonical values ("người cao tuổi" for "người già"), but the
knowledge base must not depend on that: a value typed without diacritics by a test, a flow
button or an older model still has to pick the right variant. So lookups fold case and
diacritics (`nlu.textnorm.fold`, the same folding the NLU uses) and know common aliases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
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
        "thanh niên": ("người trẻ", "thanh niên nông thôn"),
        "người thất nghiệp": ("thất nghiệp", "mất việc", "không có việc làm"),
        "người bị thu hồi đất": ("bị thu hồi đất", "thu hồi đất", "mất đất nông nghiệp"),
        "học sinh tốt nghiệp THPT": ("tốt nghiệp cấp 3", "học sinh mới ra trường"),
        "người chấp hành xong án phạt tù": ("mãn hạn tù", "người mãn hạn tù"),
    }
)

# Services next door to the assistant's own (values of the `neighbour` pseudo-entity that
# bot.understanding.neighbours finds, and keys of the out_of_scope answer's variants): a
# question about one of them is answered with where to ask instead.
NEIGHBOUR_SERVICES: Final[tuple[str, ...]] = (
    "bảo hiểm xã hội",
    "người có công",
    "đất đai",
    "lao động và tiền lương",
    "khám chữa bệnh",
    "gia đình và thừa kế",
    "mừng thọ người cao tuổi",
    "thủ tục khác",
)

# Registration codes (bot.services.citizens.TARGET_GROUPS) -> canonical target group.
REGISTRATION_GROUPS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "elderly": "người cao tuổi",
        "disabled": "người khuyết tật",
        "poor_household": "hộ nghèo",
        "near_poor_household": "hộ cận nghèo",
        "ethnic_minority": "người dân tộc thiểu số",
        "single_parent": "người đơn thân nuôi con",
        "unemployed": "người thất nghiệp",
        "youth": "thanh niên",
        "demobilised_soldier": "bộ đội xuất ngũ",
        "land_acquired": "người bị thu hồi đất",
        "rural_worker": "lao động nông thôn",
        "woman": "phụ nữ",
    }
)

# -- communes ------------------------------------------------------------------------------

DAM_HA: Final = "dam_ha"
QUANG_TAN: Final = "quang_tan"
OUTSIDE: Final = "outside"  # lives elsewhere (job fairs are open to anyone)
COMMUNES_SINCE: Final = dt.date(2025, 7, 1)
COMMUNE_RESOLUTION: Final = ("Nghị quyết 1679/NQ-UBTVQH15", dt.date(2025, 6, 16))


@dataclass(frozen=True)
class Commune:
    """A commune since 1/7/2025: code (stored), name ("Đầm Hà"), official name ("xã Đầm Hà")."""

    code: str
    name: str

    @property
    def official(self) -> str:
        return f"xã {self.name}"


@dataclass(frozen=True)
class FormerUnit:
    """A commune-level unit before the 2025 reorganisation and the commune it is part of now.

    `gso_code` comes from unofficial address datasets; `merged_on` is set for units that had
    merged before 2025 (Quảng Lợi into Quảng Tân on 1/1/2020).
    """

    name: str
    gso_code: str
    commune: str
    merged_on: dt.date | None = None


COMMUNE_LIST: Final[tuple[Commune, ...]] = (
    Commune(DAM_HA, "Đầm Hà"),
    Commune(QUANG_TAN, "Quảng Tân"),
)

FORMER_UNITS: Final[tuple[FormerUnit, ...]] = (
    FormerUnit("Thị trấn Đầm Hà", "06895", DAM_HA),
    FormerUnit("Xã Đầm Hà", "06916", DAM_HA),
    FormerUnit("Xã Tân Bình", "06904", DAM_HA),
    FormerUnit("Xã Đại Bình", "06919", DAM_HA),
    FormerUnit("Xã Tân Lập", "06917", DAM_HA),
    FormerUnit("Xã Quảng Tân", "06913", QUANG_TAN),
    FormerUnit("Xã Quảng An", "06901", QUANG_TAN),
    FormerUnit("Xã Dực Yên", "06910", QUANG_TAN),
    FormerUnit("Xã Quảng Lâm", "06898", QUANG_TAN),
    FormerUnit("Xã Quảng Lợi", "06907", QUANG_TAN, merged_on=dt.date(2020, 1, 1)),
)

_UNIT_WORDS: Final = ("thi tran ", "tt. ", "tt ", "xa ", "x. ")


def commune_key(text: str) -> str:
    """A unit name without case, diacritics or unit words: "Xã Dực Yên" -> "duc yen"."""
    folded = fold_key(text)
    for prefix in _UNIT_WORDS:
        if folded.startswith(prefix):
            return folded[len(prefix) :].strip()
    return folded


def _commune_index() -> dict[str, str]:
    index = {commune_key(unit.name): unit.commune for unit in FORMER_UNITS}
    index.update({commune_key(c.name): c.code for c in COMMUNE_LIST})
    return index


def resolve_commune(text: str | None) -> str | None:
    """The commune code for a new or former unit name (or a code), else None."""
    if not text:
        return None
    if text in {c.code for c in COMMUNE_LIST} | {OUTSIDE}:
        return text
    return _COMMUNE_INDEX.get(commune_key(text))


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


_COMMUNE_INDEX: Final[dict[str, str]] = _commune_index()
