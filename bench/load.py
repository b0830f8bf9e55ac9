"""Benchmark: many citizens asking questions at once, through the whole product.

    .venv/bin/python bench/load.py [--citizens 100] [--think 5] [--seconds 20]
        [--modes polling,webhook] [--databases sqlite,postgresql]
        [--scenarios quiet,nlu-paused,staff-load,saturated] [--rss-messages 0]

Path of every message: a simulated citizen types a Vietnamese question into the Bot API
stand-in (in this process, Telegram's limits on: 30 messages/s overall, per private chat a
burst of 3 then 1/s) -> the bot as its own process (`application.running`, as `python -m bot
run` starts it; long polling or webhook) -> the real Rasa NLU server (started here) -> the
answer back through the one rate limiter -> the stand-in, where the citizen is waiting. Each
citizen writes, waits for the reply, thinks (`--think` seconds on average, exponentially
distributed), writes again.

Scenarios (each on a fresh database: an SQLite file, or a new PostgreSQL schema; both hold
10,000 registrations and a staff account for the exports):
- quiet: only citizens;
- nlu-paused: the Rasa process group is stopped (SIGSTOP) for the measured period;
- staff-load: meanwhile 40 clients keep failing to sign in to the dashboard and one admin
  keeps downloading the 10,000-row XLSX export;
- saturated: no think time, so demand exceeds Telegram's 30 messages/s and replies queue in
  the limiter (the "queueing" figure shows it apart from processing).

Figures per run: replies, p50/p95/p99/max reply time (citizen's message to the bot's reply at
the stand-in), lost (no reply within 30 s), the limiter's own wait for replies (queueing: how
long replies waited for Telegram's limits, from the bot's /healthz), bot RSS. `--rss-messages
N` adds a run that answers N messages (polling, SQLite, saturated) and samples RSS on the way.
Targets (issue 13): think 5 s, 100 citizens: p99 < 300 ms quiet, < 2 s NLU paused, staff-load
p99 <= 1.5 x quiet; RSS < 200 MB after 10,000 messages. Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(REPO_ROOT / "bench"))

import httpx  # noqa: E402
from dashboard_registrations import PASSWORD, seed  # noqa: E402

from bot.db.engine import open_database  # noqa: E402
from bot.db.migrate import upgrade  # noqa: E402
from bot.nlu_tools import model_store, rasa_process  # noqa: E402
from telegram_standin import BotApiStandIn, RateLimits  # noqa: E402
from tests.support.postgres import (  # noqa: E402
    create_postgres_schema,
    drop_postgres_schema,
    postgres_base_url,
    postgres_unreachable_reason,
)

QUESTIONS = [
    "trợ cấp người khuyết tật nặng được bao nhiêu",
    "ho tro xoa nha tam bao nhieu tien",
    "thủ tục xin trợ cấp xã hội hằng tháng",
    "nguoi cao tuoi 80 tuoi co duoc tro cap khong",
    "hỗ trợ sửa nhà dột nát được bao nhiêu",
    "ai được hỗ trợ nhà ở",
    "nhận tiền trợ cấp ở đâu",
    "tre mo coi duoc huong tro cap gi",
    "hồ sơ xin hỗ trợ làm nhà gồm những gì",
    "me don than nuoi con nho co duoc ho tro khong",
]
REPLY_TIMEOUT = 30.0
WEBHOOK_SECRET = "bench-load-secret"


@dataclass
class RunFigures:
    mode: str
    database: str
    scenario: str
    citizens: int
    think_s: float
    seconds: float
    replies: int
    lost: int
    replies_per_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    queueing: dict[str, float] = field(default_factory=dict)  # limiter wait for replies
    bot_rss_mb: float = 0.0
    staff_logins: int = 0
    exports: int = 0
    too_many_requests: int = 0
    refused_by: dict[str, int] = field(default_factory=dict)  # which limit said 429
    rss_samples_mb: list[tuple[int, float]] = field(default_factory=list)


def quantile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# -- the pieces -------------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def database(kind: str, workdir: Path):  # type: ignore[no-untyped-def]
    """A migrated database with 10,000 registrations and the admin `bench`; yields its URL."""
    if kind == "sqlite":
        url = f"sqlite:///{workdir / f'load-{time.monotonic_ns()}.sqlite3'}"
        schema = None
    else:
        base = postgres_base_url()
        schema, url = create_postgres_schema(base)
    try:
        await upgrade(url)
        db = open_database(url)
        try:
            await seed(db, 10_000)
        finally:
            await db.dispose()
        yield url
    finally:
        if schema is not None:
            drop_postgres_schema(postgres_base_url(), schema)


class BotProcess:
    """The bot in its own process (tests.support.bot_process: `running(...)`, as `python -m bot
    run` uses it, with a plain-http webhook URL the stand-in may call)."""

    def __init__(self, *, standin: BotApiStandIn, db_url: str, nlu_url: str, mode: str) -> None:
        self.web_port = rasa_process.free_port()
        nlu = httpx.URL(nlu_url)
        env = {
            **os.environ,
            "PYTHONPATH": str(REPO_ROOT),
            "BOT_API_TOKEN": standin.token,
            "BOT_API_BASE_URL": standin.base_url,
            "DATABASE_URL": db_url,
            "NLU_HOST": nlu.host,
            "NLU_PORT": str(nlu.port),
            "WEB_HOST": "127.0.0.1",
            "WEB_PORT": str(self.web_port),
            "DASHBOARD_SECRET_KEY": "bench-load-" + "k" * 40,
            "LOG_LEVEL": "WARNING",
        }
        for name in ("TELEGRAM_BOT_TOKEN", "WEBHOOK_URL", "WEBHOOK_SECRET"):
            env.pop(name, None)
        if mode == "webhook":
            env["LOCAL_WEBHOOK_URL"] = f"http://127.0.0.1:{self.web_port}/telegram/webhook"
            env["LOCAL_WEBHOOK_SECRET"] = WEBHOOK_SECRET
        self.log = open(tempfile.mktemp(prefix="bench-load-bot-", suffix=".log"), "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [str(REPO_ROOT / ".venv/bin/python"), "-m", "tests.support.bot_process"],
            cwd=REPO_ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    async def health(self, http: httpx.AsyncClient) -> dict[str, object]:
        response = await http.get(f"{self.url}/healthz", timeout=10)
        body: dict[str, object] = response.json()
        return body

    async def wait_ready(self, http: httpx.AsyncClient, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"bot exited with {self.process.returncode}; log: {self.log.name}"
                )
            with contextlib.suppress(httpx.HTTPError):
                if (await http.get(f"{self.url}/healthz", timeout=2)).status_code == 200:
                    return
            await asyncio.sleep(0.2)
        raise TimeoutError(f"bot not healthy within {timeout}s; log: {self.log.name}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)
        self.log.close()


@dataclass
class Citizens:
    """N people who write, wait for the answer, think, and write again."""

    standin: BotApiStandIn
    count: int
    think: float
    latencies: list[tuple[float, float]] = field(default_factory=list)  # (sent_at, seconds)
    lost: list[float] = field(default_factory=list)
    stop: asyncio.Event = field(default_factory=asyncio.Event)

    async def run(self) -> None:
        people = [self.standin.create_citizen().user_id for _ in range(self.count)]
        await asyncio.gather(*(self._person(user_id, n) for n, user_id in enumerate(people)))

    async def _person(self, user_id: int, n: int) -> None:
        rng = random.Random(n)
        await asyncio.sleep(rng.uniform(0, max(self.think, 0.5)))
        while not self.stop.is_set():
            since = self.standin.mark()
            sent_at = time.monotonic()
            self.standin.send_text(user_id, rng.choice(QUESTIONS))
            try:
                await self.standin.wait_for_message(user_id, timeout=REPLY_TIMEOUT, since=since)
            except TimeoutError:
                self.lost.append(sent_at)
                continue
            self.latencies.append((sent_at, time.monotonic() - sent_at))
            if self.think > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.stop.wait(), rng.expovariate(1 / self.think))


async def staff_load(url: str, stop: asyncio.Event, counts: dict[str, int]) -> None:
    """40 clients failing to sign in, one admin downloading the 10,000-row XLSX export."""

    async def csrf(http: httpx.AsyncClient) -> str:
        page = await http.get("/staff/login")
        found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        return found[1] if found else ""

    async def guesser(n: int) -> None:
        async with httpx.AsyncClient(base_url=url, timeout=60) as http:
            while not stop.is_set():
                token = await csrf(http)
                form = {
                    "csrf_token": token,
                    "login": f"khach{n}",
                    "password": f"sai-{random.random()}",
                }
                await http.post("/staff/login", data=form)
                counts["logins"] += 1

    async def exporter(http: httpx.AsyncClient) -> None:
        while not stop.is_set():
            response = await http.get("/staff/registrations/export.xlsx")
            if response.status_code != 200:
                raise RuntimeError(f"export failed ({response.status_code})")
            counts["exports"] += 1

    # The admin is at work before the storm starts (signed in from her own browser, which
    # keeps its device cookie): strangers' guesses must not keep her out or stop her export.
    async with httpx.AsyncClient(base_url=url, timeout=120) as admin:
        token = await csrf(admin)
        login = {"csrf_token": token, "login": "bench", "password": PASSWORD}
        response = await admin.post("/staff/login", data=login)
        if response.status_code != 303:
            raise RuntimeError(f"bench admin cannot sign in ({response.status_code})")
        await asyncio.gather(exporter(admin), *(guesser(n) for n in range(40)))


# -- one run ----------------------------------------------------------------------------------


async def run_once(
    *,
    mode: str,
    db_kind: str,
    scenario: str,
    citizens: int,
    think: float,
    seconds: float,
    nlu: rasa_process.RasaServer,
    workdir: Path,
    rss_messages: int = 0,
) -> RunFigures:
    think = 0.0 if scenario == "saturated" else think
    limits = RateLimits(per_private_chat_burst=3)
    async with (
        database(db_kind, workdir) as db_url,
        BotApiStandIn(rate_limits=limits) as standin,
        httpx.AsyncClient() as http,
    ):
        bot = BotProcess(standin=standin, db_url=db_url, nlu_url=nlu.url, mode=mode)
        paused = False
        try:
            await bot.wait_ready(http)
            crowd = Citizens(standin, citizens, think)
            crowd_task = asyncio.create_task(crowd.run())
            await asyncio.sleep(3.0)  # warm-up: every citizen has started, caches are warm
            counts = {"logins": 0, "exports": 0}
            stop_staff = asyncio.Event()
            staff_task = None
            if scenario == "staff-load":
                staff_task = asyncio.create_task(staff_load(bot.url, stop_staff, counts))
            if scenario == "nlu-paused":
                os.killpg(nlu.process.pid, signal.SIGSTOP)
                paused = True
            started = time.monotonic()
            samples: list[tuple[int, float]] = []
            if rss_messages:
                while len(crowd.latencies) < rss_messages:
                    await asyncio.sleep(2.0)
                    samples.append((len(crowd.latencies), round(rss_mb(bot.process.pid), 1)))
                    if crowd_task.done():
                        break
            else:
                await asyncio.sleep(seconds)
            ended = time.monotonic()
            if paused:
                os.killpg(nlu.process.pid, signal.SIGCONT)
                paused = False
            stop_staff.set()
            crowd.stop.set()
            if staff_task is not None:
                staff_task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await staff_task
            await asyncio.wait_for(crowd_task, REPLY_TIMEOUT + 5)
            health = await bot.health(http)
            rss = rss_mb(bot.process.pid)
        finally:
            if paused:
                os.killpg(nlu.process.pid, signal.SIGCONT)
            bot.stop()
        window = [lat for at, lat in crowd.latencies if started <= at < ended]
        lost = [at for at in crowd.lost if started <= at < ended]
        sending = health.get("sending", {})
        reply_wait = sending.get("reply", {}) if isinstance(sending, dict) else {}
        return RunFigures(
            mode=mode,
            database=db_kind,
            scenario=scenario if not rss_messages else f"rss-{rss_messages}",
            citizens=citizens,
            think_s=think,
            seconds=round(ended - started, 1),
            replies=len(window) if not rss_messages else len(crowd.latencies),
            lost=len(lost),
            replies_per_s=round(len(window) / (ended - started), 1),
            p50_ms=round(quantile(window, 0.50) * 1000, 1),
            p95_ms=round(quantile(window, 0.95) * 1000, 1),
            p99_ms=round(quantile(window, 0.99) * 1000, 1),
            max_ms=round(max(window, default=float("nan")) * 1000, 1),
            queueing={k: float(v) for k, v in reply_wait.items()},
            bot_rss_mb=round(rss, 1),
            staff_logins=counts["logins"],
            exports=counts["exports"],
            too_many_requests=standin.stats.too_many_requests,
            refused_by=dict(standin.engine.limiter.refusals),
            rss_samples_mb=samples,
        )


def show(figures: RunFigures) -> None:
    q = figures.queueing
    print(
        f"{figures.mode:<8} {figures.database:<10} {figures.scenario:<11} "
        f"{figures.replies:>6} replies {figures.replies_per_s:>5.1f}/s  "
        f"p50 {figures.p50_ms:>7.1f}  p95 {figures.p95_ms:>7.1f}  p99 {figures.p99_ms:>7.1f}  "
        f"max {figures.max_ms:>7.1f} ms  lost {figures.lost}  "
        f"queueing p50/p99 {q.get('p50_ms', 0):.0f}/{q.get('p99_ms', 0):.0f} ms  "
        f"429s {figures.too_many_requests} {figures.refused_by or ''}  "
        f"RSS {figures.bot_rss_mb:.0f} MB"
        + (
            f"  logins {figures.staff_logins} exports {figures.exports}"
            if figures.scenario == "staff-load"
            else ""
        ),
        flush=True,
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--citizens", type=int, default=100)
    parser.add_argument("--think", type=float, default=5.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--modes", default="polling,webhook")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--scenarios", default="quiet,nlu-paused,staff-load,saturated")
    parser.add_argument("--rss-messages", type=int, default=0)
    args = parser.parse_args()

    databases = args.databases.split(",")
    if "postgresql" in databases and (reason := postgres_unreachable_reason(postgres_base_url())):
        print(f"PostgreSQL skipped: {reason}")
        databases.remove("postgresql")
    record = model_store.current_record()
    if record is None:
        raise SystemExit("no trained model: run `make model`")
    workdir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    nlu = rasa_process.start_server(record.model, log_file=workdir / "nlu.log")
    results: list[RunFigures] = []
    try:
        print(f"{args.citizens} citizens, think {args.think} s, {args.seconds} s measured per run")
        for db_kind in databases:
            for mode in args.modes.split(","):
                for scenario in args.scenarios.split(","):
                    figures = await run_once(
                        mode=mode, db_kind=db_kind, scenario=scenario, citizens=args.citizens,
                        think=args.think, seconds=args.seconds, nlu=nlu, workdir=workdir,
                    )  # fmt: skip
                    show(figures)
                    results.append(figures)
        if args.rss_messages:
            figures = await run_once(
                mode="polling", db_kind="sqlite", scenario="saturated", citizens=args.citizens,
                think=0, seconds=0, nlu=nlu, workdir=workdir, rss_messages=args.rss_messages,
            )  # fmt: skip
            show(figures)
            print(
                "RSS by messages answered:",
                figures.rss_samples_mb[:: max(1, len(figures.rss_samples_mb) // 10)],
            )
            results.append(figures)
    finally:
        nlu.stop()
    print(json.dumps({"runs": [asdict(r) for r in results]}, ensure_ascii=False))


if __name__ == "__main__":
    asyncio.run(main())
