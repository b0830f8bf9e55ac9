"""Benchmark: building the knowledge (seed YAML + an officer's edit) and answering from it.

    .venv/bin/python bench/knowledge_answers.py [--runs 20]

Times (1) `build_knowledge` on the parsed seed, which the dashboard runs for every preview
and publish and the live store runs after each new version (every text is filled in and
checked on every date a fact changes), (2) one citizen answer with its facts filled in
(`KnowledgeBase.answer`), (3) one eligibility verdict. Prints the median and 95th percentile
in milliseconds; the last line is one JSON object with all figures. Targets: build median
< 1,000 ms (an officer waits for it), answer and verdict median < 5 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from bot.knowledge.loader import build_knowledge, read_documents  # noqa: E402

DAY = dt.date(2026, 12, 3)


def timed(action: Callable[[], object], runs: int) -> dict[str, float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "median_ms": round(statistics.median(samples), 2),
        "p95_ms": round(samples[min(len(samples) - 1, int(len(samples) * 0.95))], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    seed, checks = read_documents()
    knowledge = build_knowledge(seed, checks, today=DAY, clock=lambda: DAY)
    answers = {
        "for_whom": "other",
        "age": "from_80",
        "household": "other",
        "disability": "none",
        "pension": "no",
    }
    figures = {
        "build": timed(lambda: build_knowledge(seed, checks, today=DAY), max(3, args.runs // 4)),
        "answer": timed(
            lambda: knowledge.answer("allowance_amount", {"target_group": "người khuyết tật"}),
            args.runs * 50,
        ),
        "verdict": timed(
            lambda: knowledge.checks["allowance"].evaluate(answers, on=DAY), args.runs * 50
        ),
    }
    for name, values in figures.items():
        print(f"{name:8} median {values['median_ms']:8.2f} ms   p95 {values['p95_ms']:8.2f} ms")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
