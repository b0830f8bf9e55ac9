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
from bot.nlu_tools import model_store, rasa_process
from bot.nlu_tools.evaluate import Evaluation, evaluate, format_report
from bot.nlu_tools.nlu_token import nlu_auth_token
from bot.nlu_tools.nlu_yaml import load_many
from bot.settings import PROJECT_ROOT, get_settings

DEFAULT_TEST_SET = PROJECT_ROOT / "tests" / "nlu" / "data" / "heldout.yml"


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


def _eval_one(config: Path | None, model: Path | None, test_files: list[Path]) -> EvalRun:
    examples = load_many(test_files)
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

            async def run() -> Evaluation:
                async with NluClient(
                    server.url, timeout=30, normalise=False, token=server.auth_token
                ) as client:
                    return await evaluate(client, examples)

            evaluation = asyncio.run(run())
    title = str(config.relative_to(PROJECT_ROOT) if config else model)
    print(format_report(title, evaluation), flush=True)
    if train_seconds is not None:
        print(f"\ntraining wall time: {train_seconds:.1f} s\n", flush=True)
    return EvalRun(title, train_seconds, evaluation)


def _eval(args: argparse.Namespace) -> int:
    tests = [Path(t) for t in args.test] or [DEFAULT_TEST_SET]
    runs: list[EvalRun] = []
    if args.model:
        model = model_store.current_model() if args.model == "current" else Path(args.model)
        runs.append(_eval_one(None, model, tests))
    for config in args.compare or ([] if args.model else [model_store.CONFIG]):
        runs.append(_eval_one(Path(config).resolve(), None, tests))
    if len(runs) > 1:
        print("### Comparison: intent accuracy per spelling, entity F1, training time")
        print("| pipeline | as written | no diacritics | NFD | NFD = NFC | entity F1 | train s |")
        print("|---|---|---|---|---|---|---|")
        for run in runs:
            s, e = run.evaluation.scores, run.evaluation
            print(
                f"| {run.title} | {s[0].intent_accuracy:.3f} | {s[1].intent_accuracy:.3f} "
                f"| {s[2].intent_accuracy:.3f} | {e.nfd_identical}/{e.nfd_total} "
                f"| {s[0].entity_f1:.3f} | {run.train_seconds or 0:.0f} |"
            )
    if args.json:
        payload = [asdict(run) for run in runs]
        Path(args.json).write_text(json.dumps(payload, ensure_ascii=False, indent=1))
    return 0


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
    ev.set_defaults(func=_eval)
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
