"""Benchmark: does a storm of failed staff logins stall the web app the bot shares?

    .venv/bin/python bench/login_storm.py [--seconds 10] [--attackers 40] [--postgres URL]

The web app (health check + dashboard, one process, one event loop, as `python -m bot run`
serves it) runs in a child process on a migrated database with one admin account at the
production Argon2 cost. The parent measures /healthz round trips (every 50 ms; each one a
pass through the server's event loop and a `SELECT 1`, sent on a fixed schedule whether or not
the previous one has answered), first quiet, then while
`--attackers` clients post wrong passwords as fast as they can, each attempt from a new
address (X-Forwarded-For from the trusted proxy 127.0.0.1: a botnet) and for a new login,
so the throttle never stops one before its password is hashed.

Two server modes:
- `after`: the code as it is (Argon2 in a bounded thread pool, services.password_hashing);
- `before`: the same code with the hashing pool replaced by one that hashes on the event
  loop, which is what the dashboard did before (staff.authenticate called verify_password
  inside the request).
Printed: /healthz p50/p99/max quiet and under the storm for each mode, login attempts
answered per second and how (401 wrong password / 429 throttled / 503 busy). Last line: JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


# -- the server (child process) ------------------------------------------------------------------


class _OnLoopPool:
    """The 'before' behaviour: the password check runs right on the event loop."""

    admitted = 0

    def admit(self) -> contextlib.AbstractContextManager[None]:
        return contextlib.nullcontext()  # nor was there any bound on concurrent sign-ins

    async def run(self, function: Any) -> Any:
        return function()


async def _serve(database_url: str, port: int, mode: str) -> None:
    from sqlalchemy import text

    from bot.asgi_server import LocalServer
    from bot.dashboard import create_dashboard_app
    from bot.db.engine import open_database
    from bot.settings import Settings
    from bot.web import create_web_app

    db = open_database(database_url)
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        dashboard_secret_key="b" * 48,
        telegram_bot_token=None,
        trusted_proxies="127.0.0.1",
    )

    async def health() -> tuple[bool, dict[str, Any]]:
        async with db.transaction() as session:
            await session.execute(text("SELECT 1"))
        return True, {}

    pool = _OnLoopPool() if mode == "before" else None
    dashboard = create_dashboard_app(db=db, settings=settings, hashing=pool)  # type: ignore[arg-type]
    server = LocalServer(create_web_app(health=health, mounts={"/staff": dashboard}), port=port)
    await server.start()
    await asyncio.Event().wait()


# -- the measurement (parent) ----------------------------------------------------------------------


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def _summary(latencies: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(_pct(latencies, 99) * 1000, 1),
        "max_ms": round(max(latencies) * 1000, 1),
        "samples": len(latencies),
    }


async def _probe(url: str, seconds: float) -> list[float]:
    """A /healthz request every 50 ms on a fixed schedule, not waiting for the previous one:
    the latencies are what a request arriving at a random moment meets (a stalled server
    shows as many slow samples, not as one)."""
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=1000)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as client:

        async def one() -> None:
            started = time.monotonic()
            response = await client.get("/healthz")
            response.raise_for_status()
            latencies.append(time.monotonic() - started)

        tasks = []
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            tasks.append(asyncio.create_task(one()))
            await asyncio.sleep(0.05)
        await asyncio.gather(*tasks)
    return latencies


async def _attacker(url: str, index: int, seconds: float, outcomes: Counter[int]) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=120) as client:
        page = await client.get("/staff/login")
        token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        end = time.monotonic() + seconds
        attempt = 0
        while time.monotonic() < end:
            attempt += 1
            address = f"10.{index}.{attempt // 250 % 250}.{attempt % 250 + 1}"
            response = await client.post(
                "/staff/login",
                data={"csrf_token": token, "login": f"khach{index}x{attempt}", "password": "sai"},
                headers={"X-Forwarded-For": address},
            )
            outcomes[response.status_code] += 1


async def _storm(url: str, seconds: float, attackers: int) -> None:
    """The attackers (run in their own process: the prober's loop must not share their CPU)."""
    outcomes: Counter[int] = Counter()
    started = time.monotonic()
    await asyncio.gather(*(_attacker(url, i, seconds, outcomes) for i in range(attackers)))
    elapsed = time.monotonic() - started
    print(json.dumps({"per_s": sum(outcomes.values()) / elapsed, "statuses": outcomes}))


async def _measure(
    url: str, *, seconds: float, attackers: int, attacker_nice: int = 0
) -> dict[str, Any]:
    quiet = await _probe(url, min(seconds, 5.0))
    storm = await asyncio.create_subprocess_exec(
        sys.executable,
        __file__,
        "--storm",
        url,
        "--seconds",
        str(seconds),
        "--attackers",
        str(attackers),
        stdout=asyncio.subprocess.PIPE,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    await asyncio.sleep(1.0)  # let the attackers connect and fetch their forms
    loaded = await _probe(url, seconds - 1.5)
    output, _ = await storm.communicate()
    attack = json.loads(output.decode().strip().splitlines()[-1])
    return {
        "healthz_quiet": _summary(quiet),
        "healthz_during_storm": _summary(loaded),
        "login_answers_per_s": round(attack["per_s"], 1),
        "login_statuses": dict(sorted(attack["statuses"].items())),
    }


async def _prepare(database_url: str) -> None:
    from bot.db.engine import open_database
    from bot.db.enums import StaffRole
    from bot.db.migrate import upgrade
    from bot.db.models import StaffUser
    from bot.services.staff import hash_password

    await upgrade(database_url)
    db = open_database(database_url)
    async with db.transaction() as session:
        session.add(
            StaffUser(
                login="admin",
                full_name="Quản trị",
                role=StaffRole.ADMIN,
                active=True,
                password_hash=hash_password("may-troi-xanh-tren-nui"),
                commune=None,
            )
        )
    await db.dispose()


def _free_port() -> int:
    from bot.nlu_tools.rasa_process import free_port

    return free_port()


async def _run_mode(mode: str, database_url: str, args: argparse.Namespace) -> dict[str, Any]:
    port = _free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    child = subprocess.Popen(
        [sys.executable, __file__, "--serve", mode, "--port", str(port), "--db", database_url],
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                await asyncio.sleep(0.1)
        return await _measure(
            url, seconds=args.seconds, attackers=args.attackers, attacker_nice=args.attacker_nice
        )
    finally:
        child.terminate()
        child.wait(10)


async def _main(args: argparse.Namespace) -> dict[str, Any]:
    results: dict[str, Any] = {
        "attackers": args.attackers,
        "seconds": args.seconds,
        "attacker_nice": args.attacker_nice,
        "database": "postgresql" if args.postgres else "sqlite",
    }
    with tempfile.TemporaryDirectory(prefix="login-storm-") as tmp:
        for mode in ("before", "after"):
            if args.postgres:
                from tests.support.postgres import create_postgres_schema, drop_postgres_schema

                schema, url = create_postgres_schema(args.postgres)
            else:
                schema, url = "", f"sqlite:///{tmp}/{mode}.sqlite3"
            try:
                await _prepare(url)
                results[mode] = await _run_mode(mode, url, args)
            finally:
                if schema:
                    drop_postgres_schema(args.postgres, schema)
            print(f"{mode}: {json.dumps(results[mode])}", flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--attackers", type=int, default=40)
    parser.add_argument("--postgres", help="run on PostgreSQL at this URL instead of SQLite")
    parser.add_argument(
        "--attacker-nice",
        type=int,
        default=0,
        help="run the attack generator at this niceness (10: as if the traffic came from "
        "elsewhere instead of sharing this machine's CPU with the server)",
    )
    parser.add_argument("--serve", choices=("before", "after"), help=argparse.SUPPRESS)
    parser.add_argument("--storm", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(_serve(args.db, args.port, args.serve))
        return
    if args.storm:
        asyncio.run(_storm(args.storm, args.seconds, args.attackers))
        return
    results = asyncio.run(_main(args))
    print(json.dumps(results))


if __name__ == "__main__":
    main()
