"""Words of the services next door: questions near the assistant's topics but outside them.

Real questions about social-insurance pensions and survivor benefits, benefits for people with
revolutionary merit, land, wages and labour contracts, broker deposits or hospital treatment
share most of their words with allowance and housing questions ("trợ cấp", "hằng tháng", "mẹ
tôi", "hồ sơ"), so the classifier alone serves them an allowance answer with high confidence.
Their own vocabulary is distinctive, though, and it is named in the issue that asked for this:
when it appears, probability is moved towards `out_of_scope` (the answer that says where to
ask instead) before the topic is chosen. The phrases are canonical (folded) forms.
"""

from __future__ import annotations

import re
from typing import Final

from nlu.textnorm import canonical_text

#: Each service next door (a key of the out_of_scope answer's variants, listed in
#: `bot.knowledge.vocab.NEIGHBOUR_SERVICES`) and the phrases that name it.
NEIGHBOUR_GROUPS: Final[dict[str, tuple[str, ...]]] = {
    # Social insurance (BHXH): pensions of contributors, survivors, accidents at work,
    # sickness, maternity, unemployment insurance, severance, one-time withdrawal.
    "bảo hiểm xã hội": (
        "tro cap tuat",
        "tien tuat",
        "tuat mot lan",
        "tuat 1 lan",
        "tu tuat",
        "tuat hang thang",
        "che do tu tuat",
        "tai nan lao dong",
        "benh nghe nghiep",
        "bao hiem that nghiep",
        "tro cap that nghiep",
        "thai san",
        "rut bao hiem xa hoi",
        "so bao hiem xa hoi",
        "dong bao hiem xa hoi",
        "nghi huu",
        "om dau",
        "tro cap thoi viec",
        "tro cap mat viec",
        "bhxh mot lan",
        "bao hiem xa hoi mot lan",
    ),
    # People with revolutionary merit.
    "người có công": (
        "liet si",
        "thuong binh",
        "benh binh",
        "nguoi co cong",
        "huan chuong",
        "huy chuong",
        "khang chien",
        "chat doc hoa hoc",
        "me viet nam anh hung",
        "cuu chien binh",
        "chat doc da cam",
    ),
    # Land and building: certificates, disputes, permits, housing for sale.
    "đất đai": (
        "so do",
        "so hong",
        "dat dai",
        "tranh chap dat",
        "quyen su dung dat",
        "giay chung nhan quyen su dung",
        "lan dat",
        "thu hoi dat",
        "giay phep xay dung",
        "nha o xa hoi",
    ),
    # Wages, labour contracts, dismissal, brokers' deposits, debts between people.
    "lao động và tiền lương": (
        "no luong",
        "tien luong",
        "hop dong lao dong",
        "sa thai",
        "tien coc",
        "dat coc",
        "ky quy",
        "moi gioi",
        "doi no",
    ),
    # Hospital treatment.
    "khám chữa bệnh": (
        "benh vien",
        "vien phi",
        "kham chua benh",
        "trai tuyen",
        "chuyen tuyen",
    ),
    # Family law (not divorce or birth papers: stories of abandoned children and allowance
    # dossiers mention those).
    "gia đình và thừa kế": (
        "thua ke",
        "nuoi con nuoi",
        "giam ho",
        "cap duong",
        "di chuc",
    ),
    # Celebrations of longevity.
    "mừng thọ người cao tuổi": (
        "chuc tho",
        "mung tho",
    ),
    # Other papers: military service, driving licences, tax, pandemic-era support.
    "thủ tục khác": (
        "nghia vu quan su",
        "giay phep lai xe",
        "bang lai",
        "nop thue",
        "thue thu nhap",
        "covid",
    ),
}
NEIGHBOUR_PHRASES: Final[tuple[str, ...]] = tuple(
    phrase for phrases in NEIGHBOUR_GROUPS.values() for phrase in phrases
)
# "không đóng bảo hiểm xã hội", "chưa nghỉ hưu": said to show there is NO pension, which is
# an allowance fact, not a social-insurance question.
_NEGATED = re.compile(r"\b(?:khong|chua|chua bao gio|chang)\s+(?:\w+\s+){0,2}$")


#: Phrases that name the assistant's own services: a message using one is rarely out of scope,
#: so an out-of-scope reading of it is asked about rather than served (see calibration).
SCOPE_PHRASES: Final[tuple[str, ...]] = (
    "tro cap xa hoi",
    "bao tro xa hoi",
    "tro giup xa hoi",
    "huu tri xa hoi",
    "nguoi khuyet tat",
    "khuyet tat nang",
    "nguoi cao tuoi",
    "mo coi",
    "don than",
    "nha tam",
    "nha dot nat",
    "hoc nghe",
    "xuat khau lao dong",
    "phien giao dich viec lam",
    "hoi cho viec lam",
    "mai tang phi",
    "ho tro mai tang",
    "ho ngheo",
    "can ngheo",
)


def neighbour_hits(text: str) -> int:
    """How many neighbouring-service phrases `text` uses (negated mentions not counted)."""
    return _hits(text, NEIGHBOUR_PHRASES)


def neighbour_service(text: str) -> str | None:
    """The service next door `text` is most about (most phrases; the first listed on a tie),
    or None: it picks the out_of_scope answer that says where to ask."""
    best: str | None = None
    best_hits = 0
    for service, phrases in NEIGHBOUR_GROUPS.items():
        hits = _hits(text, phrases)
        if hits > best_hits:
            best, best_hits = service, hits
    return best


def scope_hits(text: str) -> int:
    """How many of the assistant's own service phrases `text` uses (negated not counted)."""
    return _hits(text, SCOPE_PHRASES)


def _hits(text: str, phrases: tuple[str, ...]) -> int:
    canonical = f" {canonical_text(text)} "
    hits = 0
    for phrase in phrases:
        for match in re.finditer(rf" {re.escape(phrase)} ", canonical):
            if not _NEGATED.search(canonical[: match.start() + 1]):
                hits += 1
                break
    return hits
