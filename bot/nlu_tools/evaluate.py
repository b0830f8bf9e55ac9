"""Score an NLU server on an annotated test set, in three spellings of every sentence.

Citizens type with full diacritics, without any, or (some phone keyboards) in decomposed
Unicode. The same test set is therefore sent three times: as written, diacritics stripped,
and NFD. Reported: intent accuracy and macro-F1, entity precision/recall/F1 on
(entity, canonical value) pairs, the worst confusions, and whether NFD predictions are
identical to the NFC ones (same intent, same confidence).
"""

from __future__ import annotations

import asyncio
import statistics
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.nlu_client import NluClient, Parse
from bot.nlu_tools.nlu_yaml import Example
from bot.nlu_tools.real_data import TestQuestion
from bot.understanding import Understanding, understand
from bot.understanding.topics import OTHER as OTHER_TOPIC
from bot.understanding.topics import TOPIC_OF, topic_of


def strip_diacritics(text: str) -> str:
    """`text` as typed on a keyboard without Vietnamese input: no tone or vowel marks, đ -> d."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", bare.replace("đ", "d").replace("Đ", "D"))


def to_nfd(text: str) -> str:
    """`text` in decomposed Unicode, as some phone keyboards send it."""
    return unicodedata.normalize("NFD", text)


VARIANTS: dict[str, Callable[[str], str]] = {
    "as written": lambda text: text,
    "no diacritics": strip_diacritics,
    "NFD": to_nfd,
}


@dataclass
class Scores:
    """Scores of one variant of the test set."""

    variant: str
    examples: int
    intent_accuracy: float
    intent_macro_f1: float
    entity_precision: float
    entity_recall: float
    entity_f1: float
    confusions: list[tuple[str, str, int]] = field(default_factory=list)
    per_entity_f1: dict[str, float] = field(default_factory=dict)


async def predict(client: NluClient, texts: list[str], *, concurrency: int = 4) -> list[Parse]:
    """Parse every text, `concurrency` requests at a time, keeping the order."""
    gate = asyncio.Semaphore(concurrency)

    async def one(text: str) -> Parse:
        async with gate:
            return await client.parse(text)

    return list(await asyncio.gather(*(one(t) for t in texts)))


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def score(variant: str, examples: list[Example], predictions: list[Parse]) -> Scores:
    """Compare predictions with the annotations."""
    pairs = [(e.intent, p.intent) for e, p in zip(examples, predictions, strict=True)]
    correct = sum(1 for gold, guess in pairs if gold == guess)
    f1s = []
    for label in sorted({gold for gold, _ in pairs}):
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        f1s.append(_f1(tp / (tp + fp) if tp + fp else 0.0, tp / (tp + fn) if tp + fn else 0.0))
    confusions = Counter((g, p) for g, p in pairs if g != p).most_common(10)

    tp_by: Counter[str] = Counter()
    fp_by: Counter[str] = Counter()
    fn_by: Counter[str] = Counter()
    # Only entity types the test file annotates are scored: the held-out chat lines predate
    # the story facts (age, relation, …), which are scored on the real questions instead.
    annotated = {e.entity for example in examples for e in example.entities}
    for example, parse in zip(examples, predictions, strict=True):
        gold = Counter((e.entity, e.value.casefold()) for e in example.entities)
        found = Counter(
            (e.entity, e.value.casefold()) for e in parse.entities if e.entity in annotated
        )
        for (entity, _), n in (gold & found).items():
            tp_by[entity] += n
        for (entity, _), n in (found - gold).items():
            fp_by[entity] += n
        for (entity, _), n in (gold - found).items():
            fn_by[entity] += n
    tp, fp, fn = sum(tp_by.values()), sum(fp_by.values()), sum(fn_by.values())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    per_entity = {}
    for entity in sorted(set(tp_by) | set(fp_by) | set(fn_by)):
        p = (
            tp_by[entity] / (tp_by[entity] + fp_by[entity])
            if tp_by[entity] + fp_by[entity]
            else 0.0
        )
        r = (
            tp_by[entity] / (tp_by[entity] + fn_by[entity])
            if tp_by[entity] + fn_by[entity]
            else 0.0
        )
        per_entity[entity] = _f1(p, r)
    return Scores(
        variant=variant,
        examples=len(examples),
        intent_accuracy=correct / len(examples) if examples else 0.0,
        intent_macro_f1=sum(f1s) / len(f1s) if f1s else 0.0,
        entity_precision=precision,
        entity_recall=recall,
        entity_f1=_f1(precision, recall),
        confusions=[(g, p, n) for (g, p), n in confusions],
        per_entity_f1=per_entity,
    )


@dataclass
class Evaluation:
    """Scores per variant plus the NFD/NFC identity check."""

    scores: list[Scores]
    nfd_identical: int
    nfd_total: int


async def evaluate(client: NluClient, examples: list[Example]) -> Evaluation:
    """Run every variant of `examples` through the server behind `client`."""
    results: list[Scores] = []
    predictions_by_variant: dict[str, list[Parse]] = {}
    for name, transform in VARIANTS.items():
        predictions = await predict(client, [transform(e.text) for e in examples])
        predictions_by_variant[name] = predictions
        results.append(score(name, examples, predictions))
    identical = sum(
        1
        for a, b in zip(
            predictions_by_variant["as written"], predictions_by_variant["NFD"], strict=True
        )
        if a.intent == b.intent and a.confidence == b.confidence
    )
    return Evaluation(results, identical, len(examples))


def format_report(title: str, evaluation: Evaluation) -> str:
    """Markdown tables for a terminal or a closing note."""
    lines = [
        f"### {title}",
        "",
        "| variant | n | intent acc | intent macro-F1 | entity P | entity R | entity F1 |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in evaluation.scores:
        lines.append(
            f"| {s.variant} | {s.examples} | {s.intent_accuracy:.3f} | {s.intent_macro_f1:.3f} "
            f"| {s.entity_precision:.3f} | {s.entity_recall:.3f} | {s.entity_f1:.3f} |"
        )
    lines += [
        "",
        f"NFD predictions identical to NFC (intent and confidence): "
        f"{evaluation.nfd_identical}/{evaluation.nfd_total}",
        "",
    ]
    first = evaluation.scores[0]
    if first.per_entity_f1:
        lines.append(
            "Entity F1 (as written): "
            + ", ".join(f"{k} {v:.3f}" for k, v in first.per_entity_f1.items())
        )
    for s in evaluation.scores[:2]:
        lines += ["", f"Worst confusions ({s.variant}): gold -> predicted (count)"]
        lines += [f"- {g} -> {p} ({n})" for g, p, n in s.confusions] or ["- none"]
    return "\n".join(lines)


# --- The bot's decision on real questions -------------------------------------------------


@dataclass
class RealScores:
    """How the understanding layer (not raw Rasa) handles real citizen questions.

    - intent accuracy: the chosen intent is the labelled one;
    - answered right: served above the threshold with an answer covering the labelled intent
      (the intent itself or one of `covering_intents`);
    - topic accuracy: the chosen intent's topic is the labelled intent's topic;
    - served wrong: served above the threshold, and the answer does not cover the labelled
      intent (share of all questions);
    - served across topics: served wrong with an answer from another topic;
    - fact F1: (entity, value) pairs of `Understanding.facts` against the hand labels.
    """

    variant: str
    examples: int
    intent_accuracy: float
    covered_accuracy: float
    topic_accuracy: float
    served: float
    served_wrong: float
    served_cross_topic: float
    second_question_found: float
    fact_precision: float
    fact_recall: float
    fact_f1: float
    per_fact_f1: dict[str, float] = field(default_factory=dict)
    mistakes: list[tuple[str, str, float, str]] = field(default_factory=list)


FACT_NAMES = ("age", "relation", "disability_level", "pension")


async def understand_all(
    client: NluClient, texts: list[str], *, concurrency: int = 4
) -> list[Understanding]:
    """`understand` every text, `concurrency` messages at a time, keeping the order."""
    gate = asyncio.Semaphore(concurrency)

    async def one(text: str) -> Understanding:
        async with gate:
            return await understand(text, client)

    return list(await asyncio.gather(*(one(t) for t in texts)))


def score_real(
    variant: str,
    questions: list[TestQuestion],
    results: list[Understanding],
    *,
    threshold: float,
) -> RealScores:
    """Score the understanding layer's decisions against the labels."""
    n = len(questions)
    intent_ok = covered_ok = topic_ok = served = wrong = cross = 0
    second_total = second_found = 0
    mistakes: list[tuple[str, str, float, str]] = []
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for question, result in zip(questions, results, strict=True):
        covered = question.intent == result.intent or question.intent in result.covering_intents
        intent_ok += question.intent == result.intent
        covered_ok += covered
        topic_ok += topic_of(result.intent) == topic_of(question.intent)
        is_served = (
            result.intent is not None
            and result.intent in TOPIC_OF
            and result.confidence >= threshold
        )
        served += is_served
        if is_served and not covered:
            wrong += 1
            if topic_of(result.intent) != topic_of(question.intent):
                cross += 1
        if not covered:
            mistakes.append(
                (question.intent, str(result.intent), result.confidence, question.text[:90])
            )
        if question.also:
            second_total += 1
            second_found += question.also in (result.second_intent, *result.covering_intents)
        if topic_of(question.intent) == OTHER_TOPIC:
            # Facts are scored where an answer uses them: an out-of-scope question gets no
            # answer built from its story, and its labels were not made for facts.
            continue
        gold = {(k, v) for k, v in question.facts.items() if k in FACT_NAMES}
        found = {(k, v) for k, v in result.facts if k in FACT_NAMES}
        for name, _ in gold & found:
            tp[name] += 1
        for name, _ in found - gold:
            fp[name] += 1
        for name, _ in gold - found:
            fn[name] += 1
    t, f_p, f_n = sum(tp.values()), sum(fp.values()), sum(fn.values())
    precision = t / (t + f_p) if t + f_p else 0.0
    recall = t / (t + f_n) if t + f_n else 0.0
    per_fact = {}
    for name in FACT_NAMES:
        p = tp[name] / (tp[name] + fp[name]) if tp[name] + fp[name] else 0.0
        r = tp[name] / (tp[name] + fn[name]) if tp[name] + fn[name] else 0.0
        per_fact[name] = _f1(p, r)
    return RealScores(
        variant=variant,
        examples=n,
        intent_accuracy=intent_ok / n if n else 0.0,
        covered_accuracy=covered_ok / n if n else 0.0,
        topic_accuracy=topic_ok / n if n else 0.0,
        served=served / n if n else 0.0,
        served_wrong=wrong / n if n else 0.0,
        served_cross_topic=cross / n if n else 0.0,
        second_question_found=second_found / second_total if second_total else 0.0,
        fact_precision=precision,
        fact_recall=recall,
        fact_f1=_f1(precision, recall),
        per_fact_f1=per_fact,
        mistakes=mistakes,
    )


async def evaluate_real(
    client: NluClient, questions: list[TestQuestion], *, threshold: float
) -> list[RealScores]:
    """The understanding layer on real questions as written and without diacritics."""
    scores = []
    for name, transform in (
        ("as written", VARIANTS["as written"]),
        ("no diacritics", strip_diacritics),
    ):
        results = await understand_all(client, [transform(q.text) for q in questions])
        scores.append(score_real(name, questions, results, threshold=threshold))
    return scores


def format_real_report(title: str, scores: list[RealScores], threshold: float) -> str:
    """Markdown table of the real-question scores."""
    lines = [
        f"### {title}: real citizen questions (understanding layer, served = confidence >= "
        f"{threshold})",
        "",
        "| variant | n | intent acc | answer covers | topic acc | served | served wrong "
        "| served across topics | 2nd question found | fact F1 |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in scores:
        lines.append(
            f"| {s.variant} | {s.examples} | {s.intent_accuracy:.3f} | {s.covered_accuracy:.3f} "
            f"| {s.topic_accuracy:.3f} | {s.served:.3f} | {s.served_wrong:.3f} "
            f"| {s.served_cross_topic:.3f} | {s.second_question_found:.3f} | {s.fact_f1:.3f} |"
        )
    first = scores[0]
    lines += [
        "",
        "Fact F1 (as written): " + ", ".join(f"{k} {v:.3f}" for k, v in first.per_fact_f1.items()),
        "",
        "Not covered (as written): gold -> chosen (confidence) text",
    ]
    lines += [f"- {g} -> {p} ({c:.2f}) {t}" for g, p, c, t in first.mistakes] or ["- none"]
    return "\n".join(lines)


async def understanding_latency(
    client: NluClient, texts: list[str], *, requests: int = 400, concurrency: int = 8
) -> dict[str, float]:
    """Latency of the whole understanding step (all its parses), `concurrency` at a time."""
    latencies: list[float] = []
    queue: asyncio.Queue[str] = asyncio.Queue()
    for i in range(requests):
        queue.put_nowait(texts[i % len(texts)])

    async def worker() -> None:
        while not queue.empty():
            text = queue.get_nowait()
            started = time.perf_counter()
            await understand(text, client)
            latencies.append((time.perf_counter() - started) * 1000)

    for text in texts[:10]:  # warm-up
        await understand(text, client)
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    ordered = sorted(latencies)
    return {
        "p50_ms": statistics.median(ordered),
        "p99_ms": ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))],
        "requests": float(len(ordered)),
    }
