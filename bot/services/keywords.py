"""Keyword rules the chat edge applies before (or instead of) the NLU.

Small closed lists, matched on `nlu.textnorm.canonical_text` (no diacritics, abbreviations
expanded), so "a lô", "alo", "Alô!" and "ai đấy ạ" are caught however they are typed:

- `is_greeting`: what older users open a conversation with ("alo", "ai đấy", "có ai không").
  The model's training data has no such examples and answers "ngoài phạm vi" or a goodbye;
  a whole-message rule is safer than waiting for a retrain. Only a message that is nothing
  but such words counts: "alo cho hỏi trợ cấp" still goes to the NLU.
- `wants_to_stop`: "thôi", "dừng lại", "hủy", "không đăng ký nữa" typed in the middle of a form.
- `looks_like_question`: a message at a form step that is a question, not an answer (a
  question mark, a question phrase, or far too long for a name / commune).
"""

from __future__ import annotations

import re
from typing import Final

from nlu.textnorm import canonical_text

# Particles people add around a greeting: "alo ạ", "ơi", "à", "nhé".
_PARTICLES: Final = frozenset({"a", "oi", "nhe", "nha", "day", "vay", "the", "ha", "em", "anh"})
GREETINGS: Final = frozenset(
    {
        "alo",
        "allo",
        "a lo",
        "a lu",
        "alu",
        "ai day",
        "ai do",
        "ai the",
        "ai vay",
        "ai dang nghe",
        "co ai khong",
        "co ai day khong",
        "co ai o do khong",
        "co ai o day khong",
        "co ai nghe khong",
        "co nguoi khong",
        "xin chao",
        "chao",
        "chao ban",
        "chao bot",
        "hello",
        "hi",
    }
)
STOP_PHRASES: Final = (
    "thoi",
    "dung",
    "dung lai",
    "huy",
    "huy bo",
    "thoat",
    "bo qua",
    "khong dang ky nua",
    "khong dang ky",
    "khong muon dang ky",
    "thoi khong dang ky nua",
    "khong lam nua",
    "khong can nua",
)
_QUESTION_PHRASES: Final = (
    "bao nhieu",
    "o dau",
    "the nao",
    "nhu the nao",
    "lam sao",
    "tai sao",
    "vi sao",
    "duoc khong",
    "co duoc",
    "cho hoi",
    "cho toi hoi",
    "muon hoi",
    "hoi ve",
    "la gi",
    "bao gio",
    "khi nao",
    "co phai",
)
MAX_ANSWER_WORDS: Final = 7  # a name or a commune: "Nguyễn Thị Minh Khai", "thôn 5 Đại Bình"
_REPEAT = re.compile(r"\b(\w+(?: \w+)?)(?: \1)+\b")


def _candidates(text: str) -> set[str]:
    """The message's canonical words, and the same without repeats ("alo alo") and with
    particles around it dropped one by one ("ai đấy ạ" -> "ai day a", "ai day")."""
    words = canonical_text(text).split()
    found: set[str] = set()
    while words:
        joined = " ".join(words)
        found |= {joined, _REPEAT.sub(r"\1", joined)}
        if words[-1] in _PARTICLES and len(words) > 1:
            words.pop()
        elif words[0] in {"oi", "a"} and len(words) > 1:
            words.pop(0)
        else:
            break
    return found


_SQUEEZED: Final = frozenset(g.replace(" ", "") for g in GREETINGS)


def is_greeting(text: str) -> bool:
    """The whole message is a greeting or a "who is there?" ("Alô alô", "ai đấy ạ")."""
    return any(c in GREETINGS or c.replace(" ", "") in _SQUEEZED for c in _candidates(text))


def wants_to_stop(text: str) -> bool:
    """The person asks to leave what they are doing ("thôi", "dừng lại", "hủy đi")."""
    words = canonical_text(text).split()
    while words and words[-1] in _PARTICLES | {"di", "luon"}:
        words.pop()
    core = " ".join(words)
    if core in STOP_PHRASES:
        return True
    return core.startswith(("thoi khong", "thoi dung", "dung lai", "toi khong dang ky"))


def looks_like_question(text: str) -> bool:
    """A question (or a request) rather than the short answer a form step expects."""
    if "?" in text:
        return True
    core = f" {canonical_text(text)} "
    if any(f" {phrase} " in core for phrase in _QUESTION_PHRASES):
        return True
    return len(core.split()) > MAX_ANSWER_WORDS
