"""Tune the understanding layer's calibration on real questions no model saw in training.

The knobs of `bot.understanding.calibration.CalibrationConfig` decide when a reading is served
and when the bot asks "Ý bạn là…?". Tuning them on questions the model was trained on would
make every reading look certain, and the real-question test pages must stay unseen. So:

1. the training pages are split into `folds` groups **by site** (a site's pages stay together,
   as the test split does);
2. for each fold a model is trained on all training data except that fold's real questions,
   and the fold's questions are parsed the way `understand` parses them (whole message,
   question sentence, second question); the chat lines of the held-out set are parsed by the
   first fold's model, so short messages keep being served;
3. every configuration of a small grid is scored on those cached parses with the pure
   `bot.understanding.core.decide`: served-wrong and cross-topic rates on the real questions,
   and how many questions (real and chat lines) are answered right.

The chosen configuration is the one answering most questions right with cross-topic
served-wrong ≤ `max_cross` and served-wrong ≤ `max_wrong` (both below the issue's targets, so
an unseen set has room). Parses are cached in `var/calibration/` (keyed by the training data and
the pipeline), so re-scoring a different grid costs seconds.

Run: `python -m bot nlu calibrate` (trains `folds` models: a few minutes).
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
import shutil
import tempfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from bot.nlu_client import NluClient, Parse, ParsedEntity
from bot.nlu_tools import model_store, rasa_process, real_data
from bot.nlu_tools.nlu_yaml import load_many
from bot.settings import PROJECT_ROOT
from bot.understanding.calibration import DEFAULT_CONFIG, CalibrationConfig
from bot.understanding.core import Signals, decide, message_parts, signals_of
from bot.understanding.topics import TOPIC_OF, topic_of

CACHE_DIR = PROJECT_ROOT / "var" / "calibration"
HELDOUT = PROJECT_ROOT / "tests" / "nlu" / "data" / "heldout.yml"

#: The grid searched (each list replaces the default of that knob).
GRID: dict[str, list[Any]] = {
    "question_weight": [0.5, 0.65, 0.8],
    "min_topic_short": [0.45, 0.55],
    "min_topic_long": [0.6, 0.75, 0.85],
    "min_topic_margin": [0.2, 0.3, 0.45],
    "disagreement_factor": [0.6, 0.75],
    "temperature_scale": [20.0, 40.0, 80.0],
    "neighbour_boost": [0.25, 0.4, 0.6],
    "context_boost": [0.15, 0.25],
    "scope_guard": [False, True],
    "neighbour_guard": [False, True],
}


@dataclass(frozen=True)
class Case:
    """One message with its label and the cached parses of its parts."""

    text: str
    intent: str
    real: bool  # a real citizen question (else a held-out chat line)
    parses: tuple[Parse, ...]


@dataclass(frozen=True)
class Outcome:
    """How one configuration does on the cases."""

    real_total: int
    real_right: int  # intent (or a covered intent) right, served or not
    real_served_right: int
    real_served_wrong: int
    real_served_cross: int
    chat_total: int
    chat_served_right: int
    chat_served_wrong: int

    @property
    def wrong_rate(self) -> float:
        return self.real_served_wrong / self.real_total if self.real_total else 0.0

    @property
    def cross_rate(self) -> float:
        return self.real_served_cross / self.real_total if self.real_total else 0.0

    def summary(self) -> str:
        real, chat = max(self.real_total, 1), max(self.chat_total, 1)
        return (
            f"real: right {self.real_right / real:.3f}, served right "
            f"{self.real_served_right / real:.3f}, served wrong {self.wrong_rate:.3f}, "
            f"across topics {self.cross_rate:.3f} (n={self.real_total}); chat lines: served "
            f"right {self.chat_served_right / chat:.3f}, served wrong "
            f"{self.chat_served_wrong / chat:.3f} (n={self.chat_total})"
        )


def fold_of(site: str, folds: int) -> int:
    """A stable fold for a site (crc32, not Python's salted hash)."""
    return zlib.crc32(site.encode()) % folds


def _fingerprint(config: Path, folds: int) -> str:
    digest = hashlib.sha256(f"{folds}".encode())
    digest.update(config.read_bytes())
    for path in [*sorted(model_store.TRAINING_DATA.rglob("*")), real_data.SOURCES, HELDOUT]:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _fold_data(target: Path, training: list[real_data.RealQuestion]) -> None:
    """nlu/data with the real questions of `training` only."""
    shutil.copytree(model_store.TRAINING_DATA, target)
    rendered = real_data.render_training(real_data.training_examples(training))
    (target / real_data.TRAINING_FILE.name).write_text(rendered, encoding="utf-8")


async def _parse_cases(
    url: str, token: str | None, labelled: list[tuple[str, str, bool]]
) -> list[Case]:
    gate = asyncio.Semaphore(4)
    async with NluClient(url, timeout=60, token=token) as client:

        async def one(text: str, intent: str, real: bool) -> Case:
            async with gate:
                parses = [await client.parse(part) for part in message_parts(text)]
            return Case(text, intent, real, tuple(parses))

        return list(await asyncio.gather(*(one(*item) for item in labelled)))


def collect(config: Path, folds: int) -> list[Case]:
    """Train one model per fold and parse its held-out questions (cached on disk)."""
    cache = CACHE_DIR / f"parses-{_fingerprint(config, folds)}.json"
    if cache.exists():
        return [_case_from_json(item) for item in json.loads(cache.read_text(encoding="utf-8"))]
    questions, test_sites = real_data.load_sources()
    train, _ = real_data.split(questions, test_sites)
    chat_lines = [(e.text, e.intent, False) for e in load_many([HELDOUT])]
    cases: list[Case] = []
    for fold in range(folds):
        inside = [q for q in train if fold_of(q.site, folds) == fold]
        outside = [q for q in train if fold_of(q.site, folds) != fold]
        with tempfile.TemporaryDirectory(prefix="nlu-calibrate-") as tmp:
            data = Path(tmp) / "data"
            _fold_data(data, outside)
            rasa_process.log(
                f"==> fold {fold + 1}/{folds}: training without {len(inside)} questions"
            )
            model = rasa_process.train(
                config=config, data=[data], out_dir=Path(tmp), model_name="fold", quiet=True
            )
            labelled = [(q.text, q.intent, True) for q in inside]
            if fold == 0:
                labelled += chat_lines
            with rasa_process.running_server(model) as server:
                cases += asyncio.run(_parse_cases(server.url, server.auth_token, labelled))
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(
        json.dumps([_case_to_json(c) for c in cases], ensure_ascii=False), encoding="utf-8"
    )
    return cases


def _case_to_json(case: Case) -> dict[str, Any]:
    return asdict(case)


def _case_from_json(item: dict[str, Any]) -> Case:
    parses = tuple(
        Parse(
            text=p["text"],
            intent=p["intent"],
            confidence=p["confidence"],
            entities=tuple(ParsedEntity(**e) for e in p["entities"]),
            ranking=tuple((str(i), float(c)) for i, c in p["ranking"]),
        )
        for p in item["parses"]
    )
    return Case(item["text"], item["intent"], item["real"], parses)


def score(cases: Iterable[Case], config: CalibrationConfig, threshold: float) -> Outcome:
    """Decide every case with `config` and count what a citizen would have seen."""
    totals = {f.name: 0 for f in fields(Outcome)}
    for case in cases:
        whole, *rest = case.parses
        question = rest[0] if rest else None
        second = rest[1] if len(rest) > 1 else None
        calibrated, _, _ = decide(
            case.text, whole, question, second, None, config, _signals(case, whole, question)
        )
        right = calibrated.intent == case.intent or case.intent in calibrated.covering
        served = calibrated.intent in TOPIC_OF and calibrated.confidence >= threshold
        if case.real:
            totals["real_total"] += 1
            totals["real_right"] += right
            totals["real_served_right"] += served and right
            totals["real_served_wrong"] += served and not right
            totals["real_served_cross"] += (
                served and not right and topic_of(calibrated.intent) != topic_of(case.intent)
            )
        else:
            totals["chat_total"] += 1
            totals["chat_served_right"] += served and right
            totals["chat_served_wrong"] += served and not right
    return Outcome(**totals)


_SIGNALS: dict[str, Signals] = {}


def _signals(case: Case, whole: Parse, question: Parse | None) -> Signals:
    """Signals do not depend on the configuration: computed once per text."""
    found = _SIGNALS.get(case.text)
    if found is None:
        found = _SIGNALS[case.text] = signals_of(case.text, whole, question)
    return found


def grid(base: CalibrationConfig = DEFAULT_CONFIG) -> Iterator[CalibrationConfig]:
    """Every combination of `GRID`'s values over `base`."""
    names = list(GRID)
    for values in itertools.product(*(GRID[n] for n in names)):
        yield replace(base, **dict(zip(names, values, strict=True)))


def search(
    cases: list[Case], *, threshold: float, max_wrong: float, max_cross: float
) -> tuple[list[tuple[CalibrationConfig, Outcome]], list[tuple[CalibrationConfig, Outcome]]]:
    """(configurations within the bounds, best first: most served right, then fewest wrong;
    the safest configurations: fewest cross-topic, then fewest wrong, then most right)."""
    kept = []
    scored = []
    for config in grid():
        outcome = score(cases, config, threshold)
        scored.append((config, outcome))
        if outcome.wrong_rate <= max_wrong and outcome.cross_rate <= max_cross:
            kept.append((config, outcome))
    scored.sort(
        key=lambda pair: (
            pair[1].real_served_cross,
            pair[1].real_served_wrong,
            -(pair[1].real_served_right + pair[1].chat_served_right),
        )
    )
    kept.sort(
        key=lambda pair: (
            -(pair[1].real_served_right + pair[1].chat_served_right),
            pair[1].real_served_wrong + pair[1].chat_served_wrong,
        )
    )
    return kept, scored


def changed_knobs(config: CalibrationConfig) -> dict[str, Any]:
    """The knobs that differ from the defaults (what to write into calibration.py)."""
    return {
        f.name: getattr(config, f.name)
        for f in fields(CalibrationConfig)
        if getattr(config, f.name) != getattr(DEFAULT_CONFIG, f.name)
    }
