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

NEIGHBOUR_PHRASES: Final[tuple[str, ...]] = (
    # Social insurance (BHXH): pensions of contributors, survivors, accidents at work.
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
    # People with revolutionary merit.
    "liet si",
    "thuong binh",
    "benh binh",
    "nguoi co cong",
    "huan chuong",
    "huy chuong",
    "khang chien",
    "chat doc hoa hoc",
    # Land.
    "so do",
    "dat dai",
    "tranh chap dat",
    "thua ke",
    "quyen su dung dat",
    "lan dat",
    "thu hoi dat",
    # Wages, labour contracts, brokers.
    "no luong",
    "tien luong",
    "hop dong lao dong",
    "tien coc",
    "dat coc",
    "ky quy",
    "moi gioi",
    # Hospital treatment.
    "benh vien",
    "vien phi",
    "kham chua benh",
    "trai tuyen",
    "chuyen tuyen",
    # Celebrations of longevity, pandemic-era support.
    "chuc tho",
    "mung tho",
    "covid",
    # More of the social insurance next door: sickness, severance, one-time withdrawal.
    "om dau",
    "tro cap thoi viec",
    "tro cap mat viec",
    "bhxh mot lan",
    "bao hiem xa hoi mot lan",
    # More of people with revolutionary merit.
    "me viet nam anh hung",
    "cuu chien binh",
    "chat doc da cam",
    # Family law (not divorce or birth papers: stories of abandoned children and allowance
    # dossiers mention those).
    "nuoi con nuoi",
    "giam ho",
    "cap duong",
    "di chuc",
    # Military service, driving licences, tax.
    "nghia vu quan su",
    "giay phep lai xe",
    "bang lai",
    "nop thue",
    "thue thu nhap",
    # More land and building: certificates, permits, housing for sale.
    "so hong",
    "giay chung nhan quyen su dung",
    "giay phep xay dung",
    "nha o xa hoi",
    # Debts and contracts between people, dismissal.
    "doi no",
    "sa thai",
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
