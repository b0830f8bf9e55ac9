"""Whole conversations: the stand-in, the real NLU server, a fresh database, the whole bot.

Fixtures (reuse them for new end-to-end tests):
    standin         the Bot API stand-in, in-process, flood limits off (switch on per test)
    staff_chat      the officers' group chat id (settings.staff_chat_id)
    database_url    a migrated SQLite file of this test (copied from one migrated per session)
    nlu_url         the real Rasa server of tests/conftest.py; override it (e.g. a closed port)
                    in a module to test without the NLU
    settings        Settings pointing at all of the above
    mode            "polling" or "webhook": every test using `bot` runs in both
    bot             bot.application.running(...): bot, web app (uvicorn) and outbox dispatcher
    person          a citizen (e2e_helpers.Person) with a plain Vietnamese name
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from e2e_helpers import WEBHOOK_SECRET, Person

from bot.application import BotApi, Running, running
from bot.db.migrate import upgrade
from bot.nlu_tools.rasa_process import RasaServer
from bot.settings import Settings
from bot.web import WebhookConfig
from telegram_standin import BotApiStandIn, RateLimits, RetryPolicy

FAST_WEBHOOK_RETRY = RetryPolicy(first_delay=0.02, factor=2.0, max_delay=0.2, request_timeout=10)


@pytest.fixture(scope="session")
def migrated_database_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file at `alembic upgrade head` per session; tests get copies of it."""
    path = tmp_path_factory.mktemp("e2e-db") / "template.sqlite3"
    asyncio.run(upgrade(f"sqlite:///{path}"))
    return path


@pytest.fixture
def database_url(migrated_database_file: Path, tmp_path: Path) -> str:
    target = tmp_path / "bot.sqlite3"
    shutil.copyfile(migrated_database_file, target)
    return f"sqlite:///{target}"


@pytest.fixture
async def standin() -> AsyncIterator[BotApiStandIn]:
    async with BotApiStandIn(
        rate_limits=RateLimits.off(), webhook_retry=FAST_WEBHOOK_RETRY
    ) as server:
        yield server


@pytest.fixture
def staff_chat(standin: BotApiStandIn) -> int:
    return standin.create_group("Cán bộ xã Đầm Hà")


@pytest.fixture
def nlu_url(nlu_server: RasaServer) -> str:
    return nlu_server.url


@pytest.fixture
def nlu_token(request: pytest.FixtureRequest, nlu_url: str) -> str | None:
    """The real server's API token; None when a test points `nlu_url` elsewhere."""
    if "nlu_server" not in request.fixturenames:
        return None
    server: RasaServer = request.getfixturevalue("nlu_server")
    return server.auth_token


@pytest.fixture
def settings(database_url: str, staff_chat: int, nlu_url: str, nlu_token: str | None) -> Settings:
    nlu = urlsplit(nlu_url)
    return Settings(
        _env_file=None,  # type: ignore[call-arg]  # pydantic-settings' own keyword
        telegram_bot_token=None,
        webhook_url=None,
        webhook_secret=None,
        staff_chat_id=staff_chat,
        nlu_host=nlu.hostname or "127.0.0.1",
        nlu_port=nlu.port or 5005,
        nlu_timeout_seconds=3.0,
        nlu_auth_token=nlu_token,
        database_url=database_url,
        web_host="127.0.0.1",
        dashboard_secret_key="e2e-dashboard-signing-key-" + "x" * 40,
        # Scripted people type faster than anyone can; the flood test sets its own gate.
        flood_messages=100,
    )


@pytest.fixture(params=["polling", "webhook"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def bot(standin: BotApiStandIn, settings: Settings, mode: str) -> AsyncIterator[Running]:
    webhook = WebhookConfig(WEBHOOK_SECRET) if mode == "webhook" else None
    api = BotApi.standin(standin)
    async with running(settings, api=api, webhook=webhook, web_port=0) as run:
        yield run


@pytest.fixture
def person(standin: BotApiStandIn) -> Person:
    citizen = standin.create_citizen(first_name="Lan", last_name="Nguyễn Thị")
    return Person(standin, citizen.user_id)
