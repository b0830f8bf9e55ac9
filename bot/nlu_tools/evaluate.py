"""Score an NLU server on an annotated test set, in three spellings of every sentence.

Citizens type with full diacritics, without any, or (some phone keyboards) in decomposed
Unicode. The same test set is therefore sent three times: as written, diacritics stripped,
and NFD. Reported: intent accuracy and macro-F1, entity precision/recall/F1 on
(entity, canonical value) pairs, the worst confusions, and whether NFD predictions are
identical to the NFC ones (same intent, same confidence).
"""

from __future__ import annotations

import asyncio
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.nlu_client import NluClient, Parse
from bot.nlu_tools.nlu_yaml import Example


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
    for example, parse in zip(examples, predictions, strict=True):
        gold = Counter((e.entity, e.value.casefold()) for e in example.entities)
        found = Counter((e.entity, e.value.casefold()) for e in parse.entities)
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
