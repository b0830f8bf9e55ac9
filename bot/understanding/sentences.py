"""Where the question is in a long message.

Citizens writing to a Q&A column tell a story and ask at the end: "Mẹ tôi năm nay 80 tuổi,
cả đời làm ruộng… Vậy mẹ tôi có được hưởng trợ cấp không ạ? Mong được giải đáp." The story
holds the facts (age, relative, pension) but its words ("làm ruộng", "bị lũ", "đi Nhật") can pull
a whole-message classifier to another topic; the question sentence says what is asked. This
module splits a message into sentences and picks the question sentences: those with a question
mark or a question word ("không", "được không", "bao nhiêu", "thế nào", "ở đâu", "hỏi" …),
skipping courtesy lines ("Mong được giải đáp, xin cảm ơn").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlu.textnorm import canonical_text, nfc

# A sentence ends at ? or ! (with what follows), at "." followed by a space, or at a newline.
_SPLIT = re.compile(r"(?<=[?!])\s*|(?<=\.)\s+|\s*\n+\s*|(?<=;)\s+")

# Phrases that make a sentence a question, as typed with accents. Without accents they are
# compared after folding ("bao nhieu"); with accents the accented phrase must be there, so the
# "não" of "bại não" is not the question word "nào".
_QUESTION_CUES: tuple[str, ...] = (
    "hỏi",
    "bao nhiêu",
    "thế nào",
    "ra sao",
    "ở đâu",
    "khi nào",
    "bao giờ",
    "làm sao",
    "làm gì",
    "những gì",
    "gồm gì",
    "là gì",
    "được gì",
    "cần gì",
    "gì không",
    "được không",
    "hay không",
    "hay chưa",
    "có được",
    "có phải",
    "muốn biết",
    "cho biết",
    "tư vấn",
    "đúng hay sai",
    "bao lâu",
    "vì sao",
    "tại sao",
    "thì sao",
    "đâu ạ",
)
# Question particles that end a sentence: "… có được trợ cấp không", "… được chưa ạ".
_END_PARTICLES: tuple[tuple[str, ...], ...] = (
    ("khong",),
    ("chua",),
    ("khong", "a"),
    ("chua", "a"),
    ("khong", "vay"),
    ("nhi",),
)
# Words of courtesy lines: a sentence made only of these asks nothing.
_COURTESY_WORDS = (
    "mong duoc giai dap xin cam on chan thanh rat nhieu tu van giup toi em minh a anh "
    "chi ban bien tap luat su ad admin nhan phan hoi som hoi thac mac cua va voi cho "
    "nhe nha kinh gui chao tong dai cong ty quy ban doc gia vui long tra loi y kien "
    "nay ve van de co can duoc sau day nhu"
)
_COURTESY = frozenset(_COURTESY_WORDS.split())


@dataclass(frozen=True)
class Questions:
    """The sentences of a message and the question sentences among them."""

    sentences: tuple[str, ...]
    primary: str | None  # the sentence (with context) to classify as "what is asked"
    second: str | None  # a second, different question in the same message


def split_sentences(text: str) -> list[str]:
    """Sentences of `text`, stripped, without empty ones."""
    return [s.strip() for s in _SPLIT.split(text.strip()) if s and s.strip(" .,;")]


def is_question(sentence: str) -> bool:
    """True when `sentence` asks something (question mark, question phrase, end particle)."""
    if "?" in sentence:
        return True
    words = canonical_text(sentence).split()
    if any(tuple(words[-len(p) :]) == p for p in _END_PARTICLES):
        return True
    padded = f" {' '.join(words)} "
    lowered = " ".join(nfc(sentence).lower().split())
    accented = any(ord(c) > 127 for c in sentence)
    for cue in _QUESTION_CUES:
        if f" {canonical_text(cue)} " in padded and (not accented or cue in lowered):
            return True
    return False


def is_courtesy(sentence: str) -> bool:
    """True for lines like "Mong được giải đáp, xin cảm ơn!" that carry no question."""
    words = canonical_text(sentence).split()
    content = [w for w in words if w not in _COURTESY and not w.isdigit()]
    return len(content) < 2


_GREETING = re.compile(
    r"^\s*(?:xin\s+)?(?:chào|kính\s+gửi|kính\s+chào|thưa)\b[^,.!?\n]{0,40}[,.!]\s*",
    re.IGNORECASE,
)


def without_courtesy(text: str) -> str:
    """`text` without its greeting ("Chào luật sư,") and courtesy lines ("Xin cảm ơn!").

    For training on real questions: those words say nothing about what is asked, and taught
    as part of every story they pull short greetings and thanks towards the story's intent.
    """
    kept = [s for s in split_sentences(nfc(text)) if not is_courtesy(s)]
    if kept:
        kept[0] = _GREETING.sub("", kept[0], count=1)
    return " ".join(s for s in kept if s.strip()).strip() or text


def find_questions(text: str, *, min_words: int = 8) -> Questions:
    """The question sentences of `text`.

    `primary` is the first substantive question of the final run of questions (a story asks
    its main question first, then "Nếu được thì mức … là bao nhiêu?"), with the sentence before
    it prepended when the question alone is too short to carry its topic ("Vậy phải làm sao?").
    """
    sentences = split_sentences(text)
    asked = [i for i, s in enumerate(sentences) if is_question(s) and not is_courtesy(s)]
    if not asked:
        return Questions(tuple(sentences), None, None)
    # The final run of questions: consecutive question sentences at the end (ignoring courtesy
    # lines), at most two sentences apart.
    run = [asked[-1]]
    for index in reversed(asked[:-1]):
        between = sentences[index + 1 : run[0]]
        if all(is_courtesy(s) for s in between):
            run.insert(0, index)
        else:
            break
    first = run[0]
    primary = sentences[first]
    if len(canonical_text(primary).split()) < min_words and first > 0:
        primary = f"{sentences[first - 1]} {primary}"
    second = sentences[run[1]] if len(run) > 1 else None
    return Questions(tuple(sentences), primary, second)
