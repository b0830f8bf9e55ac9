"""Benchmark the NLU server: training time, memory, `/model/parse` latency over loopback.

Run: `.venv/bin/python bench/nlu_latency.py [--requests 600] [--skip-training]`
(or `make bench`). Prints a table, and as the LAST line one JSON object with the figures so
other tools can read them. Latency is measured per request from the client's side
(connection reused, as the bot does), with the held-out test sentences as payloads.

The bot does not send one parse per message any more: a long message is parsed whole, as its
question sentence and, if it asks two things, as its second question (`bot.understanding`).
So the whole understanding step is measured too, on a mix of the held-out chat lines and the
real citizen questions (tests/nlu/data/real_questions.yml), at concurrency 1 and 8.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.nlu_client import NluClient
from bot.nlu_tools import model_store, rasa_process, real_data
from bot.nlu_tools.evaluate import understanding_latency
from bot.nlu_tools.nlu_yaml import load_many

TEST_SET = Path(__file__).resolve().parent.parent / "tests" / "nlu" / "data" / "heldout.yml"


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


async def _load(
    url: str, token: str, texts: list[str], *, requests: int, concurrency: int
) -> dict[str, float]:
    latencies: list[float] = []
    queue: asyncio.Queue[str] = asyncio.Queue()
    for i in range(requests):
        queue.put_nowait(texts[i % len(texts)])

    async def worker(client: httpx.AsyncClient) -> None:
        while not queue.empty():
            text = queue.get_nowait()
            started = time.perf_counter()
            response = await client.post("/model/parse", json={"text": text})
            response.raise_for_status()
            latencies.append((time.perf_counter() - started) * 1000)

    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(
        base_url=url, timeout=30, limits=limits, params={"token": token}
    ) as client:
        for text in texts[:20]:  # warm-up, not measured
            await client.post("/model/parse", json={"text": text})
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return {
        "p50_ms": statistics.median(latencies),
        "p99_ms": _percentile(latencies, 99),
        "max_ms": max(latencies),
        "requests_per_s": len(latencies) / elapsed,
        "requests": len(latencies),
    }


async def _understanding(
    url: str, token: str, texts: list[str], *, requests: int, concurrency: int
) -> dict[str, float]:
    async with NluClient(url, timeout=30, token=token) as client:
        return await understanding_latency(
            client, texts, requests=requests, concurrency=concurrency
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=600, help="requests per concurrency level")
    parser.add_argument("--skip-training", action="store_true", help="use the current model")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="Sanic workers")
    parser.add_argument("--config", type=Path, default=model_store.CONFIG, help="Rasa pipeline")
    args = parser.parse_args()

    texts = [e.text for e in load_many([TEST_SET])]
    figures: dict[str, Any] = {"config": str(args.config), "runs": []}
    with tempfile.TemporaryDirectory(prefix="nlu-bench-") as tmp:
        if args.skip_training:
            model = model_store.current_model()
            figures["train_seconds"] = None
        else:
            started = time.perf_counter()
            model = rasa_process.train(
                config=args.config,
                data=[model_store.TRAINING_DATA],
                out_dir=Path(tmp),
                model_name="bench",
                quiet=True,
                use_cache=False,
            )
            figures["train_seconds"] = round(time.perf_counter() - started, 1)
        for workers in args.workers:
            started = time.perf_counter()
            with rasa_process.running_server(model, workers=workers) as server:
                run: dict[str, Any] = {
                    "workers": workers,
                    "startup_seconds": round(time.perf_counter() - started, 1),
                }
                for concurrency in (1, 8):
                    result = asyncio.run(
                        _load(
                            server.url,
                            server.auth_token,
                            texts,
                            requests=args.requests,
                            concurrency=concurrency,
                        )
                    )
                    run[f"c{concurrency}"] = {k: round(v, 2) for k, v in result.items()}
                understanding_texts = texts[:300] + [q.text for q in real_data.load_test()]
                for concurrency in (1, 8):
                    result = asyncio.run(
                        _understanding(
                            server.url,
                            server.auth_token,
                            understanding_texts,
                            requests=args.requests,
                            concurrency=concurrency,
                        )
                    )
                    run[f"understand_c{concurrency}"] = {k: round(v, 2) for k, v in result.items()}
                run["server_rss_mb"] = round(server.rss_bytes() / 2**20)
            figures["runs"].append(run)

    print("| workers | concurrency | requests | p50 ms | p99 ms | max ms | req/s | RSS MB |")
    print("|---|---|---|---|---|---|---|---|")
    for run in figures["runs"]:
        for concurrency in (1, 8):
            r = run[f"c{concurrency}"]
            print(
                f"| {run['workers']} | {concurrency} | {r['requests']:.0f} | {r['p50_ms']:.1f} "
                f"| {r['p99_ms']:.1f} | {r['max_ms']:.1f} | {r['requests_per_s']:.0f} "
                f"| {run['server_rss_mb']} |"
            )
    print()
    print("| workers | concurrency | understanding step p50 ms | p99 ms |")
    print("|---|---|---|---|")
    for run in figures["runs"]:
        for concurrency in (1, 8):
            r = run[f"understand_c{concurrency}"]
            print(f"| {run['workers']} | {concurrency} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} |")
    starts = ", ".join(
        f"{r['workers']} worker(s) {r['startup_seconds']} s" for r in figures["runs"]
    )
    print(
        f"training wall time (cold, no Rasa cache): {figures['train_seconds']} s; "
        f"server start: {starts}"
    )
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
