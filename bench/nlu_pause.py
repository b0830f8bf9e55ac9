"""Benchmark: citizens' wait for the NLU when the real Rasa server is paused (SIGSTOP).

    .venv/bin/python bench/nlu_pause.py [--citizens 5]

Starts the real NLU server on the current model, asks once (normal latency), then stops the
server's process group with SIGSTOP (as a frozen or swapping server behaves: connections
accepted, no answer) and lets `--citizens` messages be understood at once, twice: the first
wave meets the per-message deadline, the second finds the circuit breaker open. Then SIGCONT
and it waits for the background probe to close the breaker. The client is configured as the
bot configures it (bot.application: NLU_DEADLINE_SECONDS, CircuitBreaker()).
Before this change each message waited 2 x 3 s (timeout, retry). Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.nlu_breaker import CircuitBreaker
from bot.nlu_client import NluClient
from bot.nlu_tools import model_store, rasa_process
from bot.settings import Settings
from bot.understanding import understand

QUESTION = "tro cap nguoi cao tuoi duoc bao nhieu"


async def _wave(client: NluClient, citizens: int) -> list[tuple[float, str]]:
    async def one() -> tuple[float, str]:
        started = time.monotonic()
        understood = await understand(QUESTION, client)
        return round(time.monotonic() - started, 3), understood.source.value

    return list(await asyncio.gather(*(one() for _ in range(citizens))))


async def _run(server: rasa_process.RasaServer, citizens: int) -> dict[str, Any]:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    breaker = CircuitBreaker()
    async with NluClient(
        server.url,
        token=server.auth_token,
        timeout=settings.nlu_timeout_seconds,
        deadline=settings.nlu_deadline_seconds,
        breaker=breaker,
    ) as client:
        started = time.monotonic()
        normal = await understand(QUESTION, client)
        normal_s = round(time.monotonic() - started, 3)
        os.killpg(server.process.pid, signal.SIGSTOP)
        try:
            deadline_wave = await _wave(client, citizens)
            open_wave = await _wave(client, citizens)
        finally:
            os.killpg(server.process.pid, signal.SIGCONT)
        resumed = time.monotonic()
        while client.circuit_open and time.monotonic() - resumed < 60:
            await asyncio.sleep(0.2)
        closed_after = round(time.monotonic() - resumed, 1)
        after = await understand(QUESTION, client)
    return {
        "deadline_s": settings.nlu_deadline_seconds,
        "normal": {"seconds": normal_s, "source": normal.source.value},
        "paused_first_wave": deadline_wave,
        "paused_breaker_open": open_wave,
        "max_wait_paused_s": max(s for s, _ in deadline_wave + open_wave),
        "breaker_closed_after_resume_s": closed_after,
        "after_resume_source": after.source.value,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--citizens", type=int, default=5)
    args = parser.parse_args()
    record = model_store.current_record()
    if record is None:
        raise SystemExit("no trained model: run `make model`")
    with rasa_process.running_server(record.model) as server:
        result = asyncio.run(_run(server, args.citizens))
    for key, value in result.items():
        print(f"{key}: {value}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
