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
)
# "không đóng bảo hiểm xã hội", "chưa nghỉ hưu": said to show there is NO pension, which is
# an allowance fact, not a social-insurance question.
_NEGATED = re.compile(r"\b(?:khong|chua|chua bao gio|chang)\s+(?:\w+\s+){0,2}$")


def neighbour_hits(text: str) -> int:
    """How many neighbouring-service phrases `text` uses (negated mentions not counted)."""
    canonical = f" {canonical_text(text)} "
    hits = 0
    for phrase in NEIGHBOUR_PHRASES:
        for match in re.finditer(rf" {re.escape(phrase)} ", canonical):
            if not _NEGATED.search(canonical[: match.start() + 1]):
                hits += 1
                break
    return hits
