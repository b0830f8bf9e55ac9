"""Checks every citizen-facing text must pass, shared by answers and eligibility rules.

They run when the knowledge base loads, so a bad edit to a YAML file stops the bot at
start-up with the file and field named, instead of Telegram refusing a message
("can't parse entities") in front of a citizen, or an unconfirmed figure reaching them
without its caveat.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Final
from zoneinfo import ZoneInfo

from bot.knowledge.vocab import fold_key

LOCAL_TZ: Final = ZoneInfo("Asia/Ho_Chi_Minh")
# Elderly rural readers on small phones: one screen, short sentences.
MAX_TEXT_CHARS: Final = 900
# The exact words that mark an unconfirmed fact, and where to confirm it.
CAVEAT_PHRASE: Final = "chưa được xác nhận"
CONFIRM_PLACE: Final = "UBND xã"
# The district level was abolished on 1/7/2025: naming a district office needs that date.
DISTRICT_CAVEAT_DATE: Final = "1/7/2025"
_DISTRICT_OFFICE_WORDS: Final = ("phong ld", "phong lao dong", "ubnd huyen", "cap huyen")
# Words that turn information into a promise the commune has not made.
NEVER_PROMISE: Final = ("chắc chắn", "được duyệt", "sẽ được hưởng", "cam kết", "đảm bảo được")
# A share of letters with diacritics below this means the text was typed without them.
MIN_ACCENTED_SHARE: Final = 0.08

_TOKEN = re.compile(r"<[^>]*>?|&[^\s&<>;]*;?|>")
_OPEN_SIMPLE = re.compile(r"<(b|i)>")
_OPEN_LINK = re.compile(r'<a href="(https?://[^"<>\s]+)">')
_CLOSE = re.compile(r"</(b|i|a)>")
_ENTITY = re.compile(r"&(?:amp|lt|gt|quot|#\d{1,6});")


def html_problems(text: str) -> list[str]:
    """What makes `text` unsafe for Telegram's HTML parse mode (only <b>, <i>, <a href>)."""
    problems: list[str] = []
    stack: list[str] = []
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token.startswith("&"):
            if not _ENTITY.fullmatch(token):
                problems.append(f"bare '&' at {match.start()}: write &amp; ({token!r})")
            continue
        if token == ">":
            problems.append(f"bare '>' at {match.start()}: write &gt;")
            continue
        if opened := _OPEN_SIMPLE.fullmatch(token):
            stack.append(opened.group(1))
        elif _OPEN_LINK.fullmatch(token):
            stack.append("a")
        elif closed := _CLOSE.fullmatch(token):
            tag = closed.group(1)
            if not stack or stack[-1] != tag:
                expected = f"</{stack[-1]}>" if stack else "no closing tag"
                problems.append(f"unbalanced {token} at {match.start()} (expected {expected})")
            else:
                stack.pop()
        else:
            problems.append(
                f"tag {token!r} at {match.start()} is not allowed "
                '(only <b>, <i>, <a href="https://...">; write &lt; for a literal "<")'
            )
    problems.extend(f"<{tag}> is never closed" for tag in reversed(stack))
    return problems


def accented_share(text: str) -> float:
    """Share of letters that carry a Vietnamese diacritic (or are đ/Đ)."""
    letters = [c for c in unicodedata.normalize("NFC", text) if c.isalpha()]
    if not letters:
        return 0.0
    accented = sum(1 for c in letters if not c.isascii())
    return accented / len(letters)


def text_problems(text: str, *, max_chars: int = MAX_TEXT_CHARS) -> list[str]:
    """Everything wrong with one citizen-facing text; empty when it may be shown."""
    problems: list[str] = []
    stripped = text.strip()
    if not stripped:
        return ["text is empty"]
    if len(stripped) > max_chars:
        problems.append(f"text has {len(stripped)} characters, more than {max_chars}")
    if unicodedata.normalize("NFC", stripped) != stripped:
        problems.append("text is not NFC-normalised (decomposed diacritics)")
    share = accented_share(stripped)
    if share < MIN_ACCENTED_SHARE:
        problems.append(
            f"text looks typed without diacritics ({share:.0%} accented letters); "
            "write Vietnamese with full diacritics"
        )
    folded = fold_key(stripped)
    if any(word in folded for word in _DISTRICT_OFFICE_WORDS) and (
        DISTRICT_CAVEAT_DATE not in stripped
    ):
        problems.append(
            "text names a district office (Phòng LĐ-TB&XH / cấp huyện) without saying the "
            f"district level was abolished from {DISTRICT_CAVEAT_DATE}"
        )
    problems.extend(html_problems(stripped))
    return problems


def promise_problems(text: str) -> list[str]:
    """A promise word in a citizen-facing text: the commune decides, the assistant never does."""
    lowered = text.lower()
    found = [phrase for phrase in NEVER_PROMISE if phrase in lowered]
    return [f"never promise: remove {found}"] if found else []


# A placeholder in a template ({fact:…}, {calc:…}, {subject}) stands for a short value.
_PLACEHOLDER = re.compile(r"\{(?:fact|calc):[^{}]+\}|\{[Ss]ubject\}")
_STAND_IN = "1.050.000 đ"


def template_problems(text: str) -> list[str]:
    """`text_problems` (and promise words) of a template before its facts are known:
    placeholders count as a typical amount; the loader checks the filled-in text again on
    every date that matters."""
    return text_problems(_PLACEHOLDER.sub(_STAND_IN, text)) + promise_problems(text)


def format_vn_date(day: dt.date) -> str:
    """Dates as Vietnamese readers write them: 15/03/2021."""
    return day.strftime("%d/%m/%Y")


def today_local() -> dt.date:
    """Today's date in Đầm Hà: a review dated 'today' there is never 'in the future'."""
    return dt.datetime.now(LOCAL_TZ).date()
