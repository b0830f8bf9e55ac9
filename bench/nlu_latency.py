"""Benchmark the NLU server: training time, memory, `/model/parse` latency over loopback.

Run: `.venv/bin/python bench/nlu_latency.py [--requests 600] [--skip-training]`
(or `make bench`). Prints a table, and as the LAST line one JSON object with the figures so
other tools can read them. Latency is measured per request from the client's side
(connection reused, as the bot does), with the held-out test sentences as payloads.
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

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.nlu_tools import model_store, rasa_process
from bot.nlu_tools.nlu_yaml import load_many

TEST_SET = Path(__file__).resolve().parent.parent / "tests" / "nlu" / "data" / "heldout.yml"


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


async def _load(url: str, texts: list[str], *, requests: int, concurrency: int) -> dict[str, float]:
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
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as client:
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=600, help="requests per concurrency level")
    parser.add_argument("--skip-training", action="store_true", help="use the current model")
    args = parser.parse_args()

    texts = [e.text for e in load_many([TEST_SET])]
    figures: dict[str, object] = {"config": "config.yml"}
    with tempfile.TemporaryDirectory(prefix="nlu-bench-") as tmp:
        if args.skip_training:
            model = model_store.current_model()
            figures["train_seconds"] = None
        else:
            started = time.perf_counter()
            model = rasa_process.train(
                config=model_store.CONFIG,
                data=[model_store.TRAINING_DATA],
                out_dir=Path(tmp),
                model_name="bench",
                quiet=True,
            )
            figures["train_seconds"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        with rasa_process.running_server(model) as server:
            figures["startup_seconds"] = round(time.perf_counter() - started, 1)
            for concurrency in (1, 8):
                result = asyncio.run(
                    _load(server.url, texts, requests=args.requests, concurrency=concurrency)
                )
                figures[f"c{concurrency}"] = {k: round(v, 2) for k, v in result.items()}
            figures["server_rss_mb"] = round(server.rss_bytes() / 2**20)

    print("| concurrency | requests | p50 ms | p99 ms | max ms | req/s |")
    print("|---|---|---|---|---|---|")
    for concurrency in (1, 8):
        r = figures[f"c{concurrency}"]
        assert isinstance(r, dict)
        print(
            f"| {concurrency} | {r['requests']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} "
            f"| {r['max_ms']:.1f} | {r['requests_per_s']:.0f} |"
        )
    print(
        f"training wall time: {figures['train_seconds']} s; server start: "
        f"{figures['startup_seconds']} s; server RSS: {figures['server_rss_mb']} MB"
    )
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
