"""Run Rasa (in its own Python 3.10 virtualenv) as a subprocess: train models, serve them.

The bot never imports Rasa; it only starts `rasa` from `.venv-nlu` and talks HTTP to it.
Servers are started in their own process group so stopping them also stops every child
(Rasa forks workers), leaving no orphan behind Ctrl-C. The HTTP API always requires a token
(`--auth-token`, passed through the environment by `nlu/server/launch.py` so that it never shows
in `ps`); a random one is made when the caller gives none. Servers bind to 127.0.0.1 unless
told otherwise.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bot import nlu_client  # noqa: F401  (installs the token redaction on httpx's log)
from bot.settings import PROJECT_ROOT

NLU_VENV = PROJECT_ROOT / ".venv-nlu"
RASA_BIN = NLU_VENV / "bin" / "rasa"
NLU_PYTHON = NLU_VENV / "bin" / "python"
LAUNCHER = Path(__file__).resolve().parents[2] / "nlu" / "server" / "launch.py"
TOKEN_ENV = "RASA_API_TOKEN"  # read (and removed from the environment) by nlu/server/launch.py
MODELS_DIR = PROJECT_ROOT / "models"
ENDPOINTS = PROJECT_ROOT / "nlu" / "endpoints.yml"
STARTUP_TIMEOUT_SECONDS = 180.0


class RasaError(RuntimeError):
    """Rasa could not be run, trained or started; the message says what to do."""


def rasa_env() -> dict[str, str]:
    """Environment for Rasa: the repo on PYTHONPATH (custom components), quiet TensorFlow,
    no telemetry (the machine has no internet)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(PROJECT_ROOT), env.get("PYTHONPATH", "")) if p
    )
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    env["RASA_TELEMETRY_ENABLED"] = "false"
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    return env


def _require_rasa() -> None:
    if not RASA_BIN.exists():
        raise RasaError(
            f"{RASA_BIN} not found: run `make run` or `make test` to install the NLU environment"
        )


def train(
    *,
    config: Path,
    data: list[Path],
    out_dir: Path,
    model_name: str,
    quiet: bool = False,
    use_cache: bool = True,
) -> Path:
    """Train an NLU model and return the path of the `.tar.gz` written.

    `use_cache=False` disables Rasa's training cache, for honest training-time figures.
    """
    _require_rasa()
    out_dir.mkdir(parents=True, exist_ok=True)
    command = [
        str(RASA_BIN),
        "train",
        "nlu",
        "--config",
        str(config),
        "--out",
        str(out_dir),
        "--fixed-model-name",
        model_name,
        "--nlu",
        *[str(d) for d in data],
    ]
    env = rasa_env()
    if not use_cache:
        env["RASA_MAX_CACHE_SIZE"] = "0"
    result = subprocess.run(
        command,
        cwd=PROJECT_ROOT,
        env=env,
        text=True,
        stdout=subprocess.PIPE if quiet else None,
        stderr=subprocess.STDOUT if quiet else None,
        check=False,
    )
    model = out_dir / f"{model_name}.tar.gz"
    if result.returncode != 0 or not model.exists():
        detail = (result.stdout or "")[-4000:] if quiet else ""
        raise RasaError(f"rasa train nlu failed (exit {result.returncode}) for {config}\n{detail}")
    return model


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class RasaServer:
    """A running `rasa run --enable-api --auth-token …` process."""

    process: subprocess.Popen[bytes]
    url: str
    model: Path
    auth_token: str = field(repr=False, default="")

    def rss_bytes(self) -> int:
        """Resident memory of the server and all its children (bytes)."""
        return _tree_rss(self.process.pid)

    def stop(self, timeout: float = 15.0) -> None:
        """Stop the whole process group: SIGTERM, then SIGKILL after `timeout` seconds."""
        if self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(5)


def start_server(
    model: Path,
    *,
    host: str = "127.0.0.1",
    port: int | None = None,
    log_file: Path | None = None,
    workers: int = 1,
    auth_token: str | None = None,
) -> RasaServer:
    """Start the Rasa HTTP server on `model` and return once it answers with the model loaded.

    `workers` > 1 runs that many Sanic worker processes, each with its own copy of the model
    (~750 MB each): parsing is CPU-bound, so on two cores two workers halve queueing delays.
    `auth_token` protects the API (a random one when None; see `RasaServer.auth_token`).
    """
    _require_rasa()
    if not model.exists():
        raise RasaError(f"model {model} does not exist: run `make model`")
    port = port or free_port()
    token = auth_token or secrets.token_urlsafe(32)
    output = open(log_file, "ab") if log_file else subprocess.DEVNULL  # noqa: SIM115
    env = rasa_env()
    env["SANIC_WORKERS"] = str(workers)
    env["SANIC_ACCESS_LOG"] = "False"  # request lines would carry the ?token= query
    env[TOKEN_ENV] = token
    process = subprocess.Popen(
        [
            str(NLU_PYTHON),
            str(LAUNCHER),
            "run",
            "--enable-api",
            "--model",
            str(model),
            "--endpoints",
            str(ENDPOINTS),
            "--interface",
            host,
            "--port",
            str(port),
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    server = RasaServer(process=process, url=f"http://{host}:{port}", model=model, auth_token=token)
    try:
        wait_until_ready(server.url, process=process, auth_token=token)
    except BaseException:
        server.stop()
        raise
    return server


def wait_until_ready(
    url: str,
    *,
    process: subprocess.Popen[bytes] | None = None,
    timeout: float = STARTUP_TIMEOUT_SECONDS,
    auth_token: str | None = None,
) -> None:
    """Poll `/status` (which needs the token) until the server reports a loaded model."""
    params = {"token": auth_token} if auth_token else None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RasaError(f"the NLU server exited with code {process.returncode} while starting")
        with contextlib.suppress(httpx.HTTPError):
            response = httpx.get(f"{url}/status", params=params, timeout=2.0)
            if response.status_code == 200 and response.json().get("model_file"):
                return
        time.sleep(0.5)
    raise RasaError(f"the NLU server at {url} was not ready after {timeout:.0f} s")


@contextlib.contextmanager
def running_server(model: Path, **kwargs: object) -> Iterator[RasaServer]:
    """`start_server` as a context manager that always stops the server."""
    server = start_server(model, **kwargs)  # type: ignore[arg-type]
    try:
        yield server
    finally:
        server.stop()


def _tree_rss(pid: int) -> int:
    """Sum of VmRSS over `pid` and its descendants, from /proc (Linux)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            stat = (entry / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        stack.extend(children.get(current, []))
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
    return total


def log(message: str) -> None:
    """Progress line for long steps (stderr, flushed)."""
    print(message, file=sys.stderr, flush=True)
