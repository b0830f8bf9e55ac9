"""The specific answer to a citizen's story: "mẹ tôi 80 tuổi không có lương hưu" → an amount.

Citizens often write a long story about a relative and ask at the end. The NLU extracts the
facts of the story as entities (age, relation, household via target_group, disability_level,
pension); this module turns them into the allowance check's answers and evaluates it, so the
reply is the verdict for THAT person (amount, source, "người này"), not the general table.
What the story does not say is left out, and when a missing fact could change the outcome the
result names the question still to ask instead of guessing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from bot.knowledge.base import KnowledgeBase
from bot.knowledge.eligibility import EligibilityCheck, Question, Verdict
from bot.knowledge.vocab import fold_key, normalise_target_group

_SELF_WORDS: Final = frozenset({"toi", "minh", "em", "tao", "chau", "con"})
_AGE: Final = re.compile(r"(\d{1,3})")


@dataclass(frozen=True)
class Story:
    """What a citizen said about the person the question is about; None = not said.

    household: "poor" | "near_poor" | "other"; disability_level: "very_severe" | "severe" |
    "mild" | "not_assessed" | "none"; pension: "yes" | "no" | "lower" (lower than the social
    pension). `relation` is who the person is to the writer ("mẹ tôi"); None or "tôi" = self.
    """

    age: int | None = None
    relation: str | None = None
    household: str | None = None
    disability_level: str | None = None
    pension: str | None = None

    @property
    def about_someone_else(self) -> bool:
        """True unless the writer speaks about themself."""
        if not self.relation:
            return False
        return fold_key(self.relation) not in _SELF_WORDS

    @classmethod
    def from_entities(cls, entities: Mapping[str, str]) -> Story:
        """A story from NLU entity values (age, relation, target_group, disability_level,
        pension), in any spelling the citizen used."""
        return cls(
            age=parse_age(entities.get("age")),
            relation=entities.get("relation") or None,
            household=parse_household(entities.get("target_group")),
            disability_level=parse_disability(entities.get("disability_level")),
            pension=parse_pension(entities.get("pension")),
        )


@dataclass(frozen=True)
class StoryAnswer:
    """The verdict for the story, or the question still to ask (with the answers so far)."""

    verdict: Verdict | None
    next_question: Question | None
    answers: Mapping[str, str]

    def render_html(self) -> str | None:
        """The verdict as sent to Telegram; None while a question is still open."""
        return self.verdict.render_html() if self.verdict is not None else None


def parse_age(value: str | None) -> int | None:
    """'82 tuổi', '75t', 'năm nay đã 80' → 82, 75, 80; None when there is no plausible age."""
    if not value:
        return None
    found = _AGE.search(value)
    if found is None:
        return None
    age = int(found.group(1))
    return age if 0 <= age <= 120 else None


def parse_household(value: str | None) -> str | None:
    """'hộ nghèo' → poor, 'cận nghèo' → near_poor; other groups say nothing about it."""
    group = normalise_target_group(value)
    return {"hộ nghèo": "poor", "hộ cận nghèo": "near_poor"}.get(group or "")


def parse_disability(value: str | None) -> str | None:
    """'đặc biệt nặng' → very_severe, 'nặng' → severe, 'nhẹ' → mild."""
    if not value:
        return None
    folded = fold_key(value)
    if "dac biet nang" in folded:
        return "very_severe"
    if "nang" in folded:
        return "severe"
    if "nhe" in folded:
        return "mild"
    return None


def parse_pension(value: str | None) -> str | None:
    """'không có lương hưu' → no, 'lương hưu thấp' → lower, 'có lương hưu' → yes; the NLU's
    canonical values none / lower / has likewise."""
    if not value:
        return None
    canonical = {"none": "no", "has": "yes", "lower": "lower"}.get(value)  # nlu.facts values
    if canonical is not None:
        return canonical
    folded = fold_key(value)
    if any(word in folded.split() for word in ("khong", "ko", "k", "chua")):
        return "no"
    if any(word in folded for word in ("thap", "it ", "khong du")):
        return "lower"
    return "yes"


def age_bucket(age: int) -> str:
    """The allowance check's age option for an age in years."""
    for limit, bucket in (
        (3, "under_3"),
        (16, "from_3_to_15"),
        (23, "from_16_to_22"),
        (60, "from_23_to_59"),
        (70, "from_60_to_69"),
        (75, "from_70_to_74"),
        (80, "from_75_to_79"),
    ):
        if age < limit:
            return bucket
    return "from_80"


def story_answers(story: Story) -> dict[str, str]:
    """The allowance check's answers the story settles; unknown facts are left out."""
    answers = {"for_whom": "other" if story.about_someone_else else "self"}
    if story.age is not None:
        answers["age"] = age_bucket(story.age)
    if story.household is not None:
        answers["household"] = story.household
    answers["disability"] = story.disability_level or "none"
    if story.pension is not None:
        answers["pension"] = story.pension
    return answers


def answer_story(
    knowledge: KnowledgeBase, story: Story, *, on: dt.date | None = None
) -> StoryAnswer:
    """The specific answer for `story` on `on` (default today).

    Questions the story leaves open are filled with the most neutral answer ("Không biết"
    for the household) only when that cannot hide a better outcome: if the check with the
    neutral answer already gives "likely eligible", that verdict is returned; otherwise the
    open question is returned so the conversation can ask it.
    """
    check: EligibilityCheck = knowledge.checks["allowance"]
    answers = story_answers(story)
    day = on or knowledge.today()
    trial = dict(answers)
    while (question := check.next_question(trial)) is not None:
        neutral = _NEUTRAL.get(question.id)
        if neutral is None or neutral not in question.values():
            return StoryAnswer(None, question, answers)
        trial[question.id] = neutral
    verdict = check.evaluate(trial, facts=knowledge.facts, on=day)
    if verdict.outcome.value != "likely_eligible":
        pending = check.next_question(answers)
        if pending is not None:
            return StoryAnswer(None, pending, answers)
    return StoryAnswer(verdict, None, trial)


# What "not said" means when it cannot hurt: households not named are looked up by the
# commune; nobody mentioned a caregiver, an orphan, a single parent or an illness.
_NEUTRAL: Final[Mapping[str, str]] = {
    "household": "unknown",
    "caregiver": "has_caregiver",
    "orphan": "has_parents",
    "studying": "no",
    "single_parent": "no",
    "seriously_ill": "no",
}
