"""The facts of a citizen's story: age, relative, pension, disability level, household.

Real questions are stories about a relative ("Mẹ tôi năm nay 82 tuổi, không có lương hưu…");
the answer depends on these facts, so they are read here with their spans and returned as
canonical values:

* ``age`` - whole years as a string ("82"); "82 tuổi", "75t", "năm nay đã 80", "đủ 80 rồi",
  "sinh năm 1944" (years before ``reference_year``);
* ``relation`` - who the person is to the writer, canonical kin word ("mẹ", "bà", "con", …):
  "mẹ tôi", "bà nội em", "con trai tôi", "người dì", "cháu nhà tôi";
* ``pension`` - ``none`` (no pension / monthly social insurance), ``has``, or ``lower`` (a
  pension below the social-pension level);
* ``disability_level`` - ``nhẹ``, ``nặng`` or ``đặc biệt nặng``;
* households negated in the story ("không thuộc hộ nghèo") - so that a negated group is never
  used to pick an answer.

Pure Python, no Rasa: the Rasa entity extractor (NLU venv, Python 3.10) and the bot (Python
3.11, also when the NLU server is down) use the same rules. Matching runs on the folded text
(`nlu.textnorm.fold`, length preserving), so spans are valid in the citizen's own NFC text and
"me toi 80 tuoi" reads like "mẹ tôi 80 tuổi". Where folding makes words collide ("bà"/"ba",
"nhẹ"/"nhé") the accented original decides when the citizen typed accents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlu.textnorm import fold, nfc

FACT_ENTITIES: tuple[str, ...] = ("age", "relation", "disability_level", "pension")
PENSION_VALUES: tuple[str, ...] = ("none", "has", "lower")
DISABILITY_LEVELS: tuple[str, ...] = ("nhẹ", "nặng", "đặc biệt nặng")
REFERENCE_YEAR = 2026


@dataclass(frozen=True)
class Fact:
    """One fact of the story with its span in the NFC text."""

    entity: str
    value: str
    start: int
    end: int


# Kin words, folded, with the canonical value. Longer phrases first; some folded forms are
# ambiguous and handled in `_relation_value`.
_KIN: dict[str, str] = {
    "ba noi": "bà",
    "ba ngoai": "bà",
    "ong noi": "ông",
    "ong ngoai": "ông",
    "con trai": "con",
    "con gai": "con",
    "con ruot": "con",
    "chau trai": "cháu",
    "chau gai": "cháu",
    "chau noi": "cháu",
    "chau ngoai": "cháu",
    "anh trai": "anh",
    "chi gai": "chị",
    "em trai": "em",
    "em gai": "em",
    "me": "mẹ",
    "ma": "mẹ",
    "bo": "bố",
    "ba": "bố",
    "cha": "bố",
    "tia": "bố",
    "ong": "ông",
    "con": "con",
    "chau": "cháu",
    "vo": "vợ",
    "chong": "chồng",
    "anh": "anh",
    "chi": "chị",
    "em": "em",
    "co": "cô",
    "di": "dì",
    "chu": "chú",
    "bac": "bác",
    "cau": "cậu",
    "mo": "mợ",
    "thim": "thím",
}
# Accented spellings each folded kin word may stand for; anything else typed with accents is
# another word ("mà", "có", "đi", "cậu" as "you" is still kin, "bà" vs "ba" see below).
_KIN_SPELLINGS: dict[str, frozenset[str]] = {
    "me": frozenset({"mẹ"}),
    "ma": frozenset({"má"}),
    "bo": frozenset({"bố"}),
    "ba": frozenset({"ba", "bà"}),
    "cha": frozenset({"cha"}),
    "tia": frozenset({"tía"}),
    "ong": frozenset({"ông"}),
    "con": frozenset({"con"}),
    "chau": frozenset({"cháu"}),
    "vo": frozenset({"vợ"}),
    "chong": frozenset({"chồng"}),
    "anh": frozenset({"anh"}),
    "chi": frozenset({"chị"}),
    "em": frozenset({"em"}),
    "co": frozenset({"cô"}),
    "di": frozenset({"dì"}),
    "chu": frozenset({"chú"}),
    "bac": frozenset({"bác"}),
    "cau": frozenset({"cậu"}),
    "mo": frozenset({"mợ"}),
    "thim": frozenset({"thím"}),
}
# Who owns the relative: "mẹ tôi", "bà nội em", "ông nhà tôi", "bố cháu".
_OWNER = r"(?:nha\s+)?(?:toi|tui|em|e|minh|mk|mik|chau|con|tao|t|ta|bon\s+toi|chung\s+toi)"
_KIN_ALT = "|".join(
    sorted((re.escape(k).replace(r"\ ", r"\s+") for k in _KIN), key=len, reverse=True)
)
_RELATION = re.compile(
    rf"(?<!\w)(?P<kin>{_KIN_ALT})\s+(?:nha\s+)?{_OWNER}(?!\w)"
    rf"|(?<!\w)(?:nguoi|dua|be|mot)\s+(?P<kin2>{_KIN_ALT})(?!\w)"
)
# "con cháu" (descendants), "cô ấy", "anh chị" are not a relative of the writer.
_NOT_RELATION_AFTER = re.compile(r"\s+(?:chau|ay)\b")
# "bà con" (folks), "anh em", "chị em" (siblings, friends) name no single relative.
_COLLECTIVE = re.compile(r"(?:ba\s+con|anh\s+em|chi\s+em|co\s+chu)(?!\w)")

_AGE_WORD = re.compile(r"(?<![\w.,])(?P<n>\d{1,3})\s?(?:tuoi|t)(?!\w)")
_AGE_THIS_YEAR = re.compile(
    r"nam\s+nay\s+(?:(?:da|duoc|tron|vua|sap|cung|moi|con)\s+){0,3}(?P<n>\d{1,3})(?:\s?(?:tuoi|t)(?!\w))?(?!\d)"
)
_AGE_FULL = re.compile(r"(?<!\w)(?<!tre\s)du\s+(?P<n>\d{2,3})\s+(?:roi|nam|tuoi)(?!\w)")
_AGE_BORN = re.compile(r"(?<!\w)sinh\s+(?:nam\s+)?(?P<y>19\d\d|20\d\d)(?!\d)")
# A number after these words is a rule ("dưới 16 tuổi", "từ 75 đến 80"), not someone's age.
_AGE_NOT_AFTER = (
    "duoi",
    "tren",
    "tu",
    "den",
    "qua",
    "hoac",
    "khoang tu",
    "do tuoi",
    "ngoai",
    "nhu",
    "du",
)
_AGE_NOT_BEFORE = re.compile(r"\s*(?:tro\s+len|tro\s+xuong|den|-)(?!\w)")

_NEGATOR = r"(?:khong|ko|k|kg|khg|hok|hong|chua|chang|cha|chua\s+bao\s+gio|khong\s+he)"
_PENSION_WORDS = (
    r"(?:luong\s+huu|bhxh|bao\s+hiem\s+xa\s+hoi|tro\s+cap\s+bhxh"
    r"|tro\s+cap\s+bao\s+hiem\s+xa\s+hoi|che\s+do\s+huu"
    # A monthly survivor's allowance is a social-insurance allowance too (the contract's
    # "pension" covers it): "đang hưởng trợ cấp tuất hằng tháng".
    r"|(?:tro\s+cap\s+|tien\s+)tuat(?:\s+bhxh)?\s+(?:hang|moi)\s+thang)"
)
_PENSION_LOWER = re.compile(
    rf"{_PENSION_WORDS}\s+(?:(?:hang\s+thang|moi\s+thang|cua\s+\w+)\s+)?"
    r"(?:(?:rat|qua|chi|co)\s+)?(?:thap|it|duoi|khong\s+du|chua\s+den)"
    r"|(?:thap\s+hon|duoi|chua\s+bang)\s+muc\s+(?:tro\s+cap\s+)?huu\s+tri\s+xa\s+hoi"
)
_PENSION_NONE = re.compile(
    rf"(?<!\w){_NEGATOR}\s+(?:\w+\s+){{0,3}}?{_PENSION_WORDS}(?!\w)"
    rf"|(?<!\w){_NEGATOR}\s+(?:\w+\s+){{0,2}}?(?:di\s+lam\s+cong\s+an\s+luong|nghi\s+huu)(?!\w)"
)
_PENSION_HAS = re.compile(
    rf"(?<!\w)(?:co|dang\s+huong|dang\s+nhan|dang\s+an|duoc\s+huong|duoc\s+nhan|huong|nhan|an)"
    rf"\s+(?:che\s+do\s+)?{_PENSION_WORDS}(?!\w)"
)

_DISABILITY_SEVERE = re.compile(r"(?<!\w)dac\s+biet\s+nang(?!\w)")
_DISABILITY_HEAD = r"(?:khuyet\s+tat|tat|muc\s+do|the|nkt|dang\s+tat|tan\s+tat)"
_DISABILITY_LEVEL = re.compile(
    rf"(?<!\w){_DISABILITY_HEAD}\s+(?:[\w]+\s+){{0,3}}?(?:o\s+)?(?P<level>nang|nhe)(?!\w)"
)
_DISABILITY_LEVEL_BEFORE = re.compile(
    r"(?<!\w)(?P<level>nang|nhe)\s+(?:va\s+)?(?:dac\s+biet\s+nang)?"
)

_HOUSEHOLD = re.compile(r"(?<!\w)(?:ho\s+)?(?P<g>can\s+ngheo|ngheo)(?!\w)")
_HOUSEHOLD_NEGATED = re.compile(
    rf"(?<!\w){_NEGATOR}\s+(?:phai\s+|thuoc\s+|la\s+|nam\s+trong\s+|duoc\s+cong\s+nhan\s+|co\s+ten\s+trong\s+)*"
    r"(?:dien\s+|danh\s+sach\s+)?(?P<list>(?:ho\s+)?(?:can\s+ngheo|ngheo)"
    r"(?:\s*(?:,|hay|hoac|va|hay\s+la)\s*(?:ho\s+)?(?:can\s+ngheo|ngheo))*)"
)


def _has_marks(text: str) -> bool:
    """True when the citizen typed Vietnamese accents somewhere in `text`."""
    return any(a.lower() != b for a, b in zip(text, fold(text), strict=True))


def _relation_value(kin_folded: str, original: str, accented_text: bool) -> str | None:
    """Canonical kin word for one match, or None when the typed word is another word."""
    words = kin_folded.split()
    canonical = _KIN.get(" ".join(words))
    if canonical is None:
        return None
    first_folded, first_typed = words[0], original.split()[0].lower()
    if accented_text and len(words) == 1:
        spellings = _KIN_SPELLINGS.get(first_folded, frozenset())
        if first_typed not in spellings:
            return None
        if first_folded == "ba":
            return "bà" if first_typed == "bà" else "bố"
    elif first_folded == "ba" and len(words) == 1:
        # Without accents "ba tôi" is more often the grandmother in these questions; the
        # southern "ba" (father) is usually typed with accents elsewhere in the message.
        return "bà"
    if not accented_text and first_folded in {"ma", "co", "di", "cau", "mo", "chu"}:
        # "ma", "co", "di", "cau", "mo", "chu" without accents are mostly other words.
        return None
    return canonical


def _ages(text: str, folded: str, reference_year: int) -> list[Fact]:
    facts: list[Fact] = []
    for pattern in (_AGE_WORD, _AGE_THIS_YEAR, _AGE_FULL):
        for match in pattern.finditer(folded):
            value = int(match.group("n"))
            before = folded[: match.start()].split()
            if (
                any(before[-len(w.split()) :] == w.split() for w in _AGE_NOT_AFTER)
                and pattern is not _AGE_THIS_YEAR
            ):
                continue
            if _AGE_NOT_BEFORE.match(folded, match.end()) and pattern is not _AGE_THIS_YEAR:
                continue
            if pattern is _AGE_WORD and folded[match.start("n") - 6 : match.start("n")].endswith(
                "thang "
            ):
                continue
            if 1 <= value <= 120:
                facts.append(Fact("age", str(value), match.start(), match.end()))
    for match in _AGE_BORN.finditer(folded):
        value = reference_year - int(match.group("y"))
        if 1 <= value <= 120:
            facts.append(Fact("age", str(value), match.start(), match.end()))
    return facts


def _relations(text: str, folded: str) -> list[Fact]:
    accented = _has_marks(text)
    facts: list[Fact] = []
    for match in _RELATION.finditer(folded):
        group = "kin" if match.group("kin") else "kin2"
        start, end = match.span(group)
        if group == "kin" and _NOT_RELATION_AFTER.match(folded, end):
            continue
        if group == "kin" and _COLLECTIVE.match(folded[start : match.end()]):
            continue
        value = _relation_value(folded[start:end], text[start:end], accented)
        if value is not None:
            facts.append(Fact("relation", value, match.start(), match.end()))
    return facts


def _pensions(folded: str) -> list[Fact]:
    facts: list[Fact] = []
    taken: list[tuple[int, int]] = []
    for pattern, value in (
        (_PENSION_LOWER, "lower"),
        (_PENSION_NONE, "none"),
        (_PENSION_HAS, "has"),
    ):
        for match in pattern.finditer(folded):
            if any(match.start() < e and s < match.end() for s, e in taken):
                continue
            if value == "has" and re.search(
                rf"{_NEGATOR}\s+(?:\w+\s+){{0,2}}$", folded[: match.start()]
            ):
                continue
            taken.append(match.span())
            facts.append(Fact("pension", value, match.start(), match.end()))
    return facts


def _disabilities(text: str, folded: str) -> list[Fact]:
    accented = _has_marks(text)
    facts: list[Fact] = []
    severe_spans = [m.span() for m in _DISABILITY_SEVERE.finditer(folded)]
    for start, end in severe_spans:
        facts.append(Fact("disability_level", "đặc biệt nặng", start, end))
    for match in _DISABILITY_LEVEL.finditer(folded):
        start, end = match.span("level")
        if any(s <= start < e for s, e in severe_spans):
            continue
        if folded[end : end + 3] == " ne" or folded[end : end + 5] == " nhoc":
            continue  # "nặng nề", "nặng nhọc"
        typed = text[start:end].lower()
        if accented and typed not in {"nặng", "nhẹ"}:
            continue  # "nắng", "nhé"
        level = "nặng" if match.group("level") == "nang" else "nhẹ"
        # The span is the level word only: "khuyết tật" before it is the target group.
        facts.append(Fact("disability_level", level, start, end))
    return facts


def find_facts(text: str, *, reference_year: int = REFERENCE_YEAR) -> list[Fact]:
    """Every fact found in `text` (NFC-normalised first), in order of appearance."""
    text = nfc(text)
    folded = fold(text)
    facts = (
        _ages(text, folded, reference_year)
        + _relations(text, folded)
        + _pensions(folded)
        + _disabilities(text, folded)
    )
    facts.sort(key=lambda f: (f.start, f.entity))
    return _without_overlaps(facts)


def _without_overlaps(facts: list[Fact]) -> list[Fact]:
    kept: list[Fact] = []
    for fact in facts:
        if any(k.entity == fact.entity and fact.start < k.end and k.start < fact.end for k in kept):
            continue
        kept.append(fact)
    return kept


def negated_households(text: str) -> set[str]:
    """Household groups the story says do NOT apply ("không thuộc hộ nghèo")."""
    folded = fold(nfc(text))
    groups: set[str] = set()
    for match in _HOUSEHOLD_NEGATED.finditer(folded):
        for group in _HOUSEHOLD.finditer(match.group("list")):
            groups.add("hộ cận nghèo" if group.group("g").startswith("can") else "hộ nghèo")
    return groups


def negated_household_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, group) of every household group the story negates, span of the phrase."""
    folded = fold(nfc(text))
    found: list[tuple[int, int, str]] = []
    for match in _HOUSEHOLD_NEGATED.finditer(folded):
        for group in _HOUSEHOLD.finditer(match.group("list")):
            value = "hộ cận nghèo" if group.group("g").startswith("can") else "hộ nghèo"
            found.append((match.start(), match.end(), value))
    return found


def households(text: str) -> list[tuple[int, int, str]]:
    """(start, end, group) of every household group mentioned and not negated."""
    folded = fold(nfc(text))
    negated_spans = [m.span("list") for m in _HOUSEHOLD_NEGATED.finditer(folded)]
    found: list[tuple[int, int, str]] = []
    for match in _HOUSEHOLD.finditer(folded):
        if any(s <= match.start() < e for s, e in negated_spans):
            continue
        group = "hộ cận nghèo" if match.group("g").startswith("can") else "hộ nghèo"
        found.append((match.start(), match.end(), group))
    return found


def normalise(entity: str, surface: str) -> str | None:
    """Canonical value of a fact entity found by another extractor (e.g. the CRF), or None.

    The learned extractor returns the span as typed ("bà nội em", "75t", "ko có lương hưu");
    the same rules turn it into the contract's value, and a span the rules cannot read is
    dropped rather than passed on as a guess.
    """
    if entity == "age":
        digits = re.search(r"\d{1,3}", surface)
        if digits and 1 <= int(digits.group()) <= 120:
            return str(int(digits.group()))
        return None
    found = [f for f in find_facts(surface) if f.entity == entity]
    if found:
        return found[0].value
    if entity == "relation":
        folded = " ".join(fold(surface).split()[:2])
        for size in (2, 1):
            key = " ".join(folded.split()[:size])
            if key in _KIN:
                return _relation_value(
                    key, " ".join(nfc(surface).split()[:size]), _has_marks(surface)
                )
    if entity == "disability_level":
        folded = fold(surface)
        if "dac biet nang" in folded:
            return "đặc biệt nặng"
        if re.search(r"(?<!\w)nang(?!\w)", folded):
            return "nặng"
        if re.search(r"(?<!\w)nhe(?!\w)", folded):
            return "nhẹ"
    return None


def story_facts(text: str) -> dict[str, str]:
    """One canonical value per fact entity: what an answer about this story should use.

    Pension precedence is none > lower > has: a story that mentions a grandfather's pension
    and then the grandmother who never had one asks about her.
    """
    facts = find_facts(text)
    values: dict[str, str] = {}
    # An age the writer states ("năm nay vừa tròn 80 tuổi") beats one computed from a birth
    # year: the message may be older than the reference year, the stated age is what they mean.
    folded = fold(nfc(text))
    stated = [f for f in facts if f.entity == "age" and not _AGE_BORN.match(folded, f.start)]
    if stated:
        values["age"] = stated[0].value
    for fact in facts:
        if fact.entity != "pension":
            values.setdefault(fact.entity, fact.value)
    pensions = {f.value for f in facts if f.entity == "pension"}
    for value in ("none", "lower", "has"):
        if value in pensions:
            values["pension"] = value
            break
    return values
