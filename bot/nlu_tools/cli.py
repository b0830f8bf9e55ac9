"""`python -m bot nlu {train,eval,serve,parse}`."""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bot.nlu_client import NluClient
from bot.nlu_tools import calibrate, model_store, rasa_process, real_data
from bot.nlu_tools.evaluate import (
    Evaluation,
    RealScores,
    evaluate,
    evaluate_real,
    format_real_report,
    format_report,
    understanding_latency,
)
from bot.nlu_tools.nlu_token import nlu_auth_token
from bot.nlu_tools.nlu_yaml import load_many
from bot.settings import PROJECT_ROOT, Settings, get_settings
from bot.understanding.calibration import DEFAULT_CONFIG

DEFAULT_TEST_SET = PROJECT_ROOT / "tests" / "nlu" / "data" / "heldout.yml"
# The chat's threshold: served = calibrated confidence at or above it.
THRESHOLD = float(Settings.model_fields["nlu_confidence_threshold"].default)


def _train(args: argparse.Namespace) -> int:
    model, trained = model_store.ensure_trained(force=args.force or not args.if_changed)
    print(
        f"model: {model.relative_to(PROJECT_ROOT)} ({'trained now' if trained else 'up to date'})"
    )
    return 0


@dataclass
class EvalRun:
    """One pipeline's evaluation, for the comparison table and the JSON file."""

    title: str
    train_seconds: float | None
    evaluation: Evaluation
    real: list[RealScores] | None = None
    latency: dict[str, float] | None = None


def _eval_one(
    config: Path | None, model: Path | None, test_files: list[Path], real_file: Path | None
) -> EvalRun:
    examples = load_many(test_files)
    questions = real_data.load_test(real_file) if real_file else []
    train_seconds = None
    with tempfile.TemporaryDirectory(prefix="nlu-eval-") as tmp:
        if model is None:
            assert config is not None
            rasa_process.log(f"==> Training {config} for evaluation")
            started = time.monotonic()
            model = rasa_process.train(
                config=config,
                data=[model_store.TRAINING_DATA],
                out_dir=Path(tmp),
                model_name="eval",
                quiet=True,
            )
            train_seconds = time.monotonic() - started
        rasa_process.log(f"==> Scoring {len(examples)} examples x 3 spellings")
        with rasa_process.running_server(model) as server:

            async def run() -> tuple[Evaluation, list[RealScores] | None, dict[str, float]]:
                async with NluClient(
                    server.url, timeout=30, normalise=False, token=server.auth_token
                ) as client:
                    evaluation = await evaluate(client, examples)
                async with NluClient(server.url, timeout=30, token=server.auth_token) as client:
                    real = (
                        await evaluate_real(client, questions, threshold=THRESHOLD)
                        if questions
                        else None
                    )
                    texts = [e.text for e in examples][:200] + [q.text for q in questions]
                    latency = await understanding_latency(client, texts)
                return evaluation, real, latency

            evaluation, real, latency = asyncio.run(run())
    title = str(config.relative_to(PROJECT_ROOT) if config else model)
    print(format_report(title, evaluation), flush=True)
    if real:
        print("\n" + format_real_report(title, real, THRESHOLD), flush=True)
    print(
        f"\nunderstanding step at concurrency 8: p50 {latency['p50_ms']:.1f} ms, "
        f"p99 {latency['p99_ms']:.1f} ms",
        flush=True,
    )
    if train_seconds is not None:
        print(f"\ntraining wall time: {train_seconds:.1f} s\n", flush=True)
    return EvalRun(title, train_seconds, evaluation, real, latency)


def _eval(args: argparse.Namespace) -> int:
    tests = [Path(t) for t in args.test] or [DEFAULT_TEST_SET]
    real_file = None if args.no_real else Path(args.real)
    runs: list[EvalRun] = []
    if args.model:
        model = model_store.current_model() if args.model == "current" else Path(args.model)
        runs.append(_eval_one(None, model, tests, real_file))
    for config in args.compare or ([] if args.model else [model_store.CONFIG]):
        runs.append(_eval_one(Path(config).resolve(), None, tests, real_file))
    print(
        "### Comparison: held-out intent accuracy per spelling; real questions through the "
        f"understanding layer (served = confidence >= {THRESHOLD}); facts F1; p99 of the "
        "understanding step at concurrency 8; training time"
    )
    print(
        "| pipeline | held-out clean | no diacritics | NFD | NFD = NFC | real intent "
        "| real topic | served wrong | across topics | facts F1 | p99 ms | train s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for run in runs:
        s, e = run.evaluation.scores, run.evaluation
        r = run.real[0] if run.real else None
        real_cols = (
            f"{r.intent_accuracy:.3f} | {r.topic_accuracy:.3f} | {r.served_wrong:.3f} "
            f"| {r.served_cross_topic:.3f} | {r.fact_f1:.3f}"
            if r
            else "– | – | – | – | –"
        )
        p99 = f"{run.latency['p99_ms']:.0f}" if run.latency else "–"
        print(
            f"| {run.title} | {s[0].intent_accuracy:.3f} | {s[1].intent_accuracy:.3f} "
            f"| {s[2].intent_accuracy:.3f} | {e.nfd_identical}/{e.nfd_total} | {real_cols} "
            f"| {p99} | {run.train_seconds or 0:.0f} |"
        )
    if args.json:
        payload = [asdict(run) for run in runs]
        Path(args.json).write_text(json.dumps(payload, ensure_ascii=False, indent=1))
    return 0


def _real_data(args: argparse.Namespace) -> int:
    train, test = real_data.write()
    print(
        f"{train} training questions -> {real_data.TRAINING_FILE.relative_to(PROJECT_ROOT)}, "
        f"{test} test questions -> {real_data.TEST_FILE.relative_to(PROJECT_ROOT)}"
    )
    return 0


def _calibrate(args: argparse.Namespace) -> int:
    cases = calibrate.collect(Path(args.config).resolve(), args.folds)
    real = sum(c.real for c in cases)
    print(f"{real} real questions (by site, {args.folds} folds), {len(cases) - real} chat lines")
    print(f"current:  {calibrate.score(cases, DEFAULT_CONFIG, THRESHOLD).summary()}")
    found, safest = calibrate.search(
        cases, threshold=THRESHOLD, max_wrong=args.max_wrong, max_cross=args.max_cross
    )
    if not found:
        print("no configuration of the grid stays within the bounds; the safest:")
    for config, outcome in (found or safest)[: args.top]:
        print(f"{calibrate.changed_knobs(config)}\n          {outcome.summary()}")
    return 0 if found else 1


def _serve(args: argparse.Namespace) -> int:
    settings = get_settings()
    model, _ = model_store.ensure_trained()
    server = rasa_process.start_server(
        model,
        host=settings.nlu_host,
        port=args.port or settings.nlu_port,
        auth_token=nlu_auth_token(settings),
    )
    print(f"NLU server ready at {server.url} (Ctrl-C stops it)")
    try:
        server.process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def _parse(args: argparse.Namespace) -> int:
    async def run() -> None:
        settings = get_settings()
        token = nlu_auth_token(settings)
        async with NluClient(args.url or settings.nlu_url, token=token) as client:
            result = await client.parse(" ".join(args.text))
            print(json.dumps(asdict(result), ensure_ascii=False, indent=1))

    asyncio.run(run())
    return 0


def main(argv: list[str]) -> int:
    """Entry point of `python -m bot nlu`."""
    parser = argparse.ArgumentParser(prog="python -m bot nlu")
    sub = parser.add_subparsers(dest="command", required=True)
    train = sub.add_parser("train", help="train the model from config.yml and nlu/")
    train.add_argument(
        "--if-changed", action="store_true", help="skip when the fingerprint matches"
    )
    train.add_argument("--force", action="store_true")
    train.set_defaults(func=_train)
    ev = sub.add_parser("eval", help="score pipelines on a held-out Rasa-format test file")
    ev.add_argument(
        "--test", action="append", default=[], help="Rasa NLU YAML test file (repeatable)"
    )
    ev.add_argument("--compare", nargs="+", help="pipeline configs to train and compare")
    ev.add_argument("--model", help="evaluate this model file ('current' = the trained one)")
    ev.add_argument("--json", help="also write the figures to this JSON file")
    ev.add_argument(
        "--real", default=str(real_data.TEST_FILE), help="real-question test set (YAML)"
    )
    ev.add_argument("--no-real", action="store_true", help="skip the real-question test set")
    ev.set_defaults(func=_eval)
    rd = sub.add_parser("real-data", help="regenerate real-question training data and test set")
    rd.set_defaults(func=_real_data)
    cal = sub.add_parser(
        "calibrate", help="tune the calibration on real questions by site folds (trains models)"
    )
    cal.add_argument("--config", default=str(model_store.CONFIG))
    cal.add_argument("--folds", type=int, default=3)
    cal.add_argument("--max-wrong", type=float, default=0.06)
    cal.add_argument("--max-cross", type=float, default=0.005)
    cal.add_argument("--top", type=int, default=5)
    cal.set_defaults(func=_calibrate)
    serve = sub.add_parser("serve", help="run the NLU server in the foreground")
    serve.add_argument("--port", type=int)
    serve.set_defaults(func=_serve)
    parse = sub.add_parser("parse", help="parse one sentence with the running server")
    parse.add_argument("--url")
    parse.add_argument("text", nargs="+")
    parse.set_defaults(func=_parse)
    args = parser.parse_args(argv)
    try:
        result: int = args.func(args)
    except rasa_process.RasaError as error:
        print(f"error: {error}")
        return 1
    return result
