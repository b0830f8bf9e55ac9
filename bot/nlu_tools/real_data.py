"""Real citizen questions: from `nlu/real/sources.yml` to training data and a test set.

The source file keeps every question with the page it came from. Pages are split by site: the
sites listed under `test_sites` feed the real-question test set
(`tests/nlu/data/real_questions.yml`), every other page feeds the training data
(`nlu/data/real_questions.yml`). A site is its registrable domain ("m.plo.vn" → "plo.vn",
"chinhsachonline.chinhphu.vn" → "chinhphu.vn"), so no page of a test site ever trains.

Training examples are the questions as written (without greeting and courtesy lines, which
would teach "chào", "cảm ơn" as words of every topic), plus their question sentence alone (what
the understanding layer classifies for long messages). Facts labelled by hand are annotated where
the rules of `nlu.facts` find the same value, so the learned entity extractor trains on spans
the labeller agreed with; the test file keeps the hand labels as they are.

Run `python -m bot nlu real-data` after editing the sources; a test fails if the generated
files are stale.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml

from bot.settings import PROJECT_ROOT
from bot.understanding.sentences import find_questions, without_courtesy
from nlu.facts import find_facts
from nlu.textnorm import canonical_text, nfc

SOURCES = PROJECT_ROOT / "nlu" / "real" / "sources.yml"
TRAINING_FILE = PROJECT_ROOT / "nlu" / "data" / "real_questions.yml"
TEST_FILE = PROJECT_ROOT / "tests" / "nlu" / "data" / "real_questions.yml"
_SECOND_LEVEL = {"com", "gov", "org", "edu", "net", "ac", "info"}


@dataclass(frozen=True)
class RealQuestion:
    """One labelled question and where it was published."""

    text: str
    intent: str
    url: str
    title: str
    also: str | None = None
    facts: dict[str, str] = field(default_factory=dict)
    # A page title phrased as a question (no reader's question on the page): it may train,
    # but it is not a citizen's own words, so it is never scored as one.
    headline: bool = False

    @property
    def site(self) -> str:
        return site_of(self.url)


def site_of(url: str) -> str:
    """The registrable domain of `url` ("news.laodong.vn" → "laodong.vn")."""
    host = (urlparse(url).hostname or "").lower()
    parts = host.split(".")
    if len(parts) >= 3 and parts[-1] == "vn" and parts[-2] in _SECOND_LEVEL:
        return ".".join(parts[-3:])
    if all(p.isdigit() for p in parts):
        return host
    return ".".join(parts[-2:])


def load_sources(path: Path = SOURCES) -> tuple[list[RealQuestion], set[str]]:
    """All questions of the source file and the set of test sites."""
    document: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    questions: list[RealQuestion] = []
    for page in document["pages"]:
        for item in page.get("questions") or []:
            questions.append(
                RealQuestion(
                    text=nfc(str(item["text"])).strip(),
                    intent=str(item["intent"]),
                    url=str(page["url"]),
                    title=str(page.get("title", "")),
                    also=str(item["also"]) if item.get("also") else None,
                    facts={k: str(v) for k, v in (item.get("facts") or {}).items()},
                    headline=bool(item.get("headline")),
                )
            )
    return questions, set(document.get("test_sites") or [])


def split(
    questions: list[RealQuestion], test_sites: set[str]
) -> tuple[list[RealQuestion], list[RealQuestion]]:
    """(training, test) by site; headlines of test sites are in neither."""
    train = [q for q in questions if q.site not in test_sites]
    test = [q for q in questions if q.site in test_sites and not q.headline]
    return train, test


def annotate(text: str, facts: dict[str, str]) -> str:
    """`text` with Rasa entity annotations for the labelled facts the rules also find."""
    spans: list[tuple[int, int, str, str]] = []
    for fact in find_facts(text):
        if facts.get(fact.entity) == fact.value and not any(
            fact.start < e and s < fact.end for s, e, _, _ in spans
        ):
            spans.append((fact.start, fact.end, fact.entity, fact.value))
    out = text
    for start, end, entity, value in sorted(spans, reverse=True):
        spec = json.dumps({"entity": entity, "value": value}, ensure_ascii=False)
        out = f"{out[:start]}[{out[start:end]}]{spec}{out[end:]}"
    return out


def training_examples(train: list[RealQuestion]) -> dict[str, list[str]]:
    """Annotated example lines per intent: each question, and its question sentence alone."""
    by_intent: dict[str, list[str]] = {}
    seen: set[str] = set()
    for question in train:
        lines = [without_courtesy(question.text)]
        asked = find_questions(question.text)
        if (
            question.also is None
            # What makes a question out of scope is usually in its story (a pension, a
            # martyr, a plot of land); its question sentence alone ("tôi có được hưởng chế độ
            # gì không?") would teach a generic question as out of scope.
            and question.intent != "out_of_scope"
            and asked.primary
            and asked.primary != question.text
            and len(canonical_text(asked.primary).split()) >= 6
        ):
            lines.append(asked.primary)
        for line in lines:
            key = canonical_text(line)
            if key in seen:
                continue
            seen.add(key)
            by_intent.setdefault(question.intent, []).append(annotate(line, question.facts))
    return by_intent


def render_training(by_intent: dict[str, list[str]]) -> str:
    """Rasa NLU YAML for the training examples."""
    lines = [
        "# Generated by `python -m bot nlu real-data` from nlu/real/sources.yml (training",
        "# pages only). Edit the sources, not this file.",
        'version: "3.1"',
        "",
        "nlu:",
    ]
    for intent in sorted(by_intent):
        lines += [f"- intent: {intent}", "  examples: |"]
        lines += [f"    - {example}" for example in by_intent[intent]]
    return "\n".join(lines) + "\n"


def render_test(test: list[RealQuestion]) -> str:
    """The real-question test set: text, intent, second question, facts and source."""
    items = []
    for q in test:
        item: dict[str, Any] = {"text": q.text, "intent": q.intent}
        if q.also:
            item["also"] = q.also
        if q.facts:
            item["facts"] = dict(q.facts)
        item["source"] = q.url
        items.append(item)
    header = (
        "# Real-question test set, generated by `python -m bot nlu real-data` from\n"
        "# nlu/real/sources.yml (test sites only: none of these pages is used for training).\n"
    )
    body = yaml.safe_dump({"questions": items}, allow_unicode=True, sort_keys=False, width=1000)
    return header + body


def generate(sources: Path = SOURCES) -> tuple[str, str]:
    """(training YAML, test YAML) for the current sources."""
    questions, test_sites = load_sources(sources)
    train, test = split(questions, test_sites)
    return render_training(training_examples(train)), render_test(test)


def write(sources: Path = SOURCES) -> tuple[int, int]:
    """Regenerate both files; returns (training questions, test questions)."""
    training, test = generate(sources)
    TRAINING_FILE.write_text(training, encoding="utf-8")
    TEST_FILE.write_text(test, encoding="utf-8")
    questions, test_sites = load_sources(sources)
    train, held = split(questions, test_sites)
    return len(train), len(held)


@dataclass(frozen=True)
class TestQuestion:
    """One question of the real-question test set."""

    text: str
    intent: str
    also: str | None
    facts: dict[str, str]
    source: str


def load_test(path: Path = TEST_FILE) -> list[TestQuestion]:
    """The real-question test set."""
    document: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        TestQuestion(
            text=str(item["text"]),
            intent=str(item["intent"]),
            also=str(item["also"]) if item.get("also") else None,
            facts={k: str(v) for k, v in (item.get("facts") or {}).items()},
            source=str(item["source"]),
        )
        for item in document["questions"]
    ]
