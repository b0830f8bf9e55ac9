"""The several-machine layout of docs/deployment.md, as real processes on this machine.

HAProxy (TLS in front of two bot processes, and a plain-HTTP frontend in front of two NLU
servers), bot processes started as production starts them (`python -m bot run --no-nlu` with
the `.env` of an app machine), and small readers of what HAProxy and PostgreSQL know (per-server
counters, who holds the scheduler lock). The test module composes them; nothing here asserts.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import httpx
import psycopg
from sqlalchemy.engine import make_url

REPO_ROOT: Final = Path(__file__).resolve().parents[2]
WEBHOOK_PATH: Final = "/telegram/webhook"
# The lock key of bot.services.scheduler_lock, as PostgreSQL shows it in pg_locks.
_LEADER_SQL: Final = """
    SELECT a.application_name
    FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE l.locktype = 'advisory' AND l.granted AND a.application_name LIKE %s
"""


def libpq_dsn(url: str) -> str:
    """A SQLAlchemy URL (any driver) as a libpq connection string for psycopg."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def with_application_name(url: str, name: str) -> str:
    """`url` whose connections show as `name` in pg_stat_activity (who holds which lock)."""
    parsed = make_url(url).update_query_dict({"application_name": name})
    return parsed.render_as_string(hide_password=False)


async def lock_holders(url: str, name_prefix: str) -> list[str]:
    """Application names of the sessions holding an advisory lock, among `name_prefix*`.

    Only the bots' dedicated scheduler-lock connection takes advisory locks, so this is the
    list of scheduler leaders as PostgreSQL sees them: it must never hold two names.
    """
    async with await psycopg.AsyncConnection.connect(libpq_dsn(url), autocommit=True) as conn:
        cursor = await conn.execute(_LEADER_SQL, (f"{name_prefix}%",))
        return sorted(str(row[0]) for row in await cursor.fetchall())


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for `localhost`: (HAProxy's PEM with key, the CA file).

    The public frontend terminates TLS as in production, because `python -m bot run` accepts
    only an https WEBHOOK_URL; the stand-in trusts this certificate through SSL_CERT_FILE.
    """
    key, cert = directory / "key.pem", directory / "cert.pem"
    request = [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=localhost",
    ]
    names = ["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"]
    files = ["-keyout", str(key), "-out", str(cert)]
    subprocess.run(["openssl", *request, *names, *files], check=True, capture_output=True)
    combined = directory / "haproxy.pem"
    combined.write_bytes(cert.read_bytes() + key.read_bytes())
    return combined, cert


@dataclass(frozen=True)
class Layout:
    """Every port of the layout (all on 127.0.0.1)."""

    public: int  # HAProxy, TLS: the webhook and the dashboard (lb:443 in the doc)
    nlu: int  # HAProxy, the NLU frontend (lb:5005)
    stats: int  # HAProxy's statistics page (per-server counters and states)
    bots: tuple[int, ...]  # each bot process's web app (appN:8080)
    nlus: tuple[int, ...]  # each NLU server (appN:5005)


def haproxy_config(layout: Layout, pem: Path) -> str:
    """docs/deployment.md's haproxy.cfg, with loopback ports instead of machines."""
    bots = "\n".join(
        f"    server app{n} 127.0.0.1:{port} check" for n, port in enumerate(layout.bots, 1)
    )
    nlus = "\n".join(
        f"    server nlu{n} 127.0.0.1:{port} check" for n, port in enumerate(layout.nlus, 1)
    )
    return f"""\
global
    maxconn 2000

defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    retries 3
    option redispatch
    retry-on conn-failure empty-response
    default-server inter 1s fall 2 rise 2

frontend public
    bind 127.0.0.1:{layout.public} ssl crt {pem} alpn h2,http/1.1
    http-request set-header X-Forwarded-Proto https
    option forwardfor
    default_backend bots

backend bots
    balance roundrobin
    option httpchk GET /healthz
{bots}

frontend nlu
    bind 127.0.0.1:{layout.nlu}
    default_backend nlu

backend nlu
    balance leastconn
    option httpchk GET /
{nlus}

frontend stats
    bind 127.0.0.1:{layout.stats}
    stats enable
    stats uri /stats
"""


class HAProxy:
    """`haproxy -db -f <config>` in the foreground; stopped with SIGTERM."""

    def __init__(self, binary: str, config: Path, log: Path, stats_port: int) -> None:
        self.stats_url = f"http://127.0.0.1:{stats_port}/stats;csv"
        with log.open("ab") as output:
            self.process = subprocess.Popen(
                [binary, "-db", "-f", str(config)], stdout=output, stderr=subprocess.STDOUT
            )

    async def stats(self) -> dict[tuple[str, str], dict[str, str]]:
        """Per (proxy, server) row of HAProxy's CSV statistics: `stot` sessions, `status` …"""
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(self.stats_url)
        response.raise_for_status()
        rows = csv.DictReader(io.StringIO(response.text.removeprefix("# ")))
        return {(row["pxname"], row["svname"]): row for row in rows}

    async def wait_until(self, backend: str, servers: int, status: str, timeout: float) -> None:
        """Until `servers` servers of `backend` report `status` (health checks run every 1 s)."""
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"haproxy exited with code {self.process.returncode}")
            with contextlib.suppress(httpx.HTTPError):
                rows = await self.stats()
                found = [
                    row
                    for (proxy, name), row in rows.items()
                    if proxy == backend and name not in {"FRONTEND", "BACKEND"}
                ]
                if sum(row["status"].startswith(status) for row in found) >= servers:
                    return
            if time.monotonic() > deadline:
                raise TimeoutError(f"haproxy: not {servers} x {status} in {backend}")
            await asyncio.sleep(0.2)  # HAProxy pushes nothing: its page is polled

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class BotProcess:
    """`python -m bot run --no-nlu`: the bot and its web app, as systemd starts them."""

    def __init__(self, name: str, port: int, env: Mapping[str, str], log: Path) -> None:
        self.name = name
        self.port = port
        self.log = log
        with log.open("ab") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot", "run", "--no-nlu"],
                cwd=REPO_ROOT,
                env={**env, "PYTHONPATH": str(REPO_ROOT), "WEB_PORT": str(port)},
                stdout=output,
                stderr=subprocess.STDOUT,
            )

    @property
    def pid(self) -> int:
        return self.process.pid

    async def wait_healthy(self, timeout: float) -> None:
        """Until its own /healthz answers 200 (database reachable, webhook set)."""
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient(timeout=2) as client:
            while True:
                if self.process.poll() is not None:
                    raise RuntimeError(
                        f"{self.name} exited with code {self.process.returncode}; "
                        f"log: {self.log}\n{self.log.read_text()[-3000:]}"
                    )
                with contextlib.suppress(httpx.HTTPError):
                    response = await client.get(f"http://127.0.0.1:{self.port}/healthz")
                    if response.status_code == 200:
                        return
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{self.name} not healthy after {timeout} s: {self.log}")
                await asyncio.sleep(0.2)  # the process announces nothing: poll its probe

    async def health(self) -> dict[str, object]:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(f"http://127.0.0.1:{self.port}/healthz")
        details: dict[str, object] = response.json()
        return details

    def kill(self) -> None:
        """SIGKILL: no clean-up, no goodbye to PostgreSQL or HAProxy (a crash, an OOM kill)."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def log_size(self) -> int:
        return self.log.stat().st_size if self.log.exists() else 0

    def log_since(self, offset: int) -> str:
        with self.log.open("rb") as handle:
            handle.seek(offset)
            return handle.read().decode("utf-8", errors="replace")

    def stop(self) -> None:
        """SIGTERM (systemd's stop), then SIGKILL if it hangs."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
