"""Short follow-ups that only make sense after the previous answer.

"còn người khuyết tật thì sao" right after the allowance-amount answer asks the allowance
amount for people with disabilities; "nộp ở đâu" after a housing answer asks the housing
procedure. Alone, such lines are ambiguous for the NLU (or pulled to `contact_office` by
"ở đâu"), so the previous intent decides the topic and the line decides the aspect.
"""

from __future__ import annotations

from bot.understanding.topics import ALLOWANCE, ASPECT_INTENT, CHITCHAT, OTHER, topic_of
from nlu.textnorm import canonical_text

MAX_WORDS = 10

# Canonical phrases per aspect, most specific first.
_ASPECT_CUES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("payment", ("nhan tien", "linh tien", "chi tra", "khi nao nhan", "nhan o dau")),
    (
        "procedure",
        (
            "nop o dau",
            "lam o dau",
            "nop ho so",
            "ho so",
            "thu tuc",
            "giay to",
            "lam the nao",
            "lam sao",
            "can gi",
            "can nhung gi",
            "dang ky o dau",
            "nop",
            "o dau",
        ),
    ),
    ("amount", ("bao nhieu", "muc tro cap", "muc ho tro", "muc huong", "may tien", "duoc may")),
    ("eligibility", ("ai duoc", "dieu kien", "co duoc khong", "duoc khong", "co duoc")),
)
_AMOUNT_CUES: tuple[str, ...] = ("bao nhieu", "muc tro cap", "muc ho tro", "muc huong", "may tien")
# "còn X thì sao", "thế còn X": the same question about someone else.
_SAME_QUESTION_CUES: tuple[str, ...] = (
    "con",
    "the con",
    "vay con",
    "thi sao",
    "thi the nao",
    "thi sao a",
    "cung vay",
)


def aspect_of(text: str) -> str | None:
    """The aspect a short follow-up asks about, if it names one."""
    padded = f" {canonical_text(text)} "
    for aspect, cues in _ASPECT_CUES:
        if any(f" {cue} " in padded for cue in cues):
            return aspect
    return None


def aspect_intents(text: str) -> tuple[str, ...]:
    """For each topic, the intent a question's wording asks for ("bao nhiêu" -> amount).

    Only the amount wording ("bao nhiêu", "mức trợ cấp") pushes, and only within housing and
    allowance: on the training pages, pushing procedure wording ("ở đâu", "hồ sơ") or the jobs
    topic cost more than it gained.
    """
    aspect = aspect_of(text)
    if aspect in (None, "eligibility"):
        return ()
    return tuple(intents[aspect] for intents in ASPECT_INTENT.values() if aspect in intents)


def context_topic(facts: dict[str, str]) -> str | None:
    """The topic the facts of a story point to: no (or a low) pension or a disability level
    are what the monthly allowance and the social pension are decided on."""
    if facts.get("pension") in ("none", "lower") or "disability_level" in facts:
        return ALLOWANCE
    return None


def follow_up_intent(
    text: str,
    previous_intent: str | None,
    *,
    nlu_topic: str | None,
    nlu_confidence: float,
) -> str | None:
    """The intent `text` asks in the context of `previous_intent`, or None if not a follow-up.

    A confident NLU reading of another real topic wins ("phòng lao động ở đâu" stays
    `contact_office`); so do greetings and thanks.
    """
    previous_topic = topic_of(previous_intent)
    if previous_intent is None or previous_topic not in ASPECT_INTENT:
        return None
    words = canonical_text(text).split()
    if not words or len(words) > MAX_WORDS:
        return None
    if nlu_topic == CHITCHAT and nlu_confidence >= 0.6:
        return None
    if nlu_topic not in (previous_topic, None, OTHER) and nlu_confidence >= 0.8:
        return None
    aspect = aspect_of(text)
    padded = f" {' '.join(words)} "
    same_question = words[0] == "con" or any(
        f" {cue} " in padded for cue in _SAME_QUESTION_CUES[1:]
    )
    if aspect is not None:
        return ASPECT_INTENT[previous_topic].get(aspect, previous_intent)
    if same_question:
        return previous_intent
    return None
