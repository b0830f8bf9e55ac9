"""Dashboard tests: the real app, mounted at /staff as the web app does, on real databases
(SQLite and PostgreSQL, see tests.support.databases). Helpers live in support.py."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

from bot.dashboard import create_dashboard_app
from bot.db.engine import Database
from bot.db.models import StaffUser
from bot.services.communes import DAM_HA, QUANG_TAN
from bot.services.reporting import export_pool
from tests.dashboard.support import (
    ACCOUNTS,
    MOUNT,
    TEST_HASH,
    Desk,
    FakeBot,
    StaffClient,
    dashboard_settings,
)
from tests.support.databases import db, migrated_url
from tests.support.factories import Factory
from tests.support.fixtures import factory

__all__ = ["db", "factory", "migrated_url"]


@pytest.fixture(scope="session", autouse=True)
def export_worker() -> Iterator[None]:
    """The dashboard's shared export pool starts a worker process; stop it after the tests."""
    yield
    export_pool.shutdown_shared()


@pytest.fixture
async def accounts(db: Database) -> dict[str, int]:
    ids: dict[str, int] = {}
    async with db.transaction() as session:
        for login, (role, commune) in ACCOUNTS.items():
            user = StaffUser(
                login=login,
                full_name=f"Cán bộ {login}",
                password_hash=TEST_HASH,
                role=role,
                commune=commune,
                active=True,
            )
            session.add(user)
            await session.flush()
            ids[login] = user.id
    return ids


@pytest.fixture
def fake_bot() -> FakeBot:
    return FakeBot()


@pytest.fixture
def dashboard(db: Database, fake_bot: FakeBot) -> Starlette:
    return create_dashboard_app(
        db=db, settings=dashboard_settings(), try_bot=fake_bot, bot_username="TroLyAnSinhBot"
    )


@pytest.fixture
def web_app(dashboard: Starlette) -> Starlette:
    """The dashboard mounted like bot/web.py mounts it."""
    return Starlette(routes=[Mount(MOUNT, app=dashboard)])


@pytest.fixture
async def client(web_app: Starlette) -> AsyncIterator[StaffClient]:
    transport = httpx.ASGITransport(app=web_app, client=("10.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://desk.test") as http:
        yield StaffClient(http)


@pytest.fixture
async def signed_in(web_app: Starlette, accounts: dict[str, int]) -> AsyncIterator[Any]:
    """`await signed_in("canbo_dh")` -> a StaffClient signed in as that account."""
    clients: list[httpx.AsyncClient] = []

    async def sign_in(login: str) -> StaffClient:
        transport = httpx.ASGITransport(app=web_app, client=(f"10.0.1.{len(clients)}", 50000))
        http = httpx.AsyncClient(transport=transport, base_url="http://desk.test")
        clients.append(http)
        staff = StaffClient(http)
        response = await staff.login(login)
        assert response.status_code == 303, response.text
        return staff

    yield sign_in
    for http in clients:
        await http.aclose()


@pytest.fixture
async def desk(factory: Factory, accounts: dict[str, int]) -> Desk:
    event = await factory.event(title="Lớp may công nghiệp", requires_approval=True, capacity=10)
    other = await factory.event(title="Phiên việc làm tháng 9", capacity=None)
    names = ["Nguyễn Văn An", "Trần Thị Bình", "Đặng Văn Cường"]
    dam_ha = [
        await factory.citizen(full_name=name, commune=DAM_HA, target_groups=groups)
        for name, groups in zip(names, (["youth"], ["woman", "poor_household"], []), strict=True)
    ]
    quang_tan = [
        await factory.citizen(full_name=name, commune=QUANG_TAN, target_groups=["youth"])
        for name in ("Lê Văn Dũng", "Phạm Thị Én")
    ]
    desk = Desk(event.id, other.id, [], [], {})
    for citizen in dam_ha + quang_tan:
        result = await factory.register(citizen, event)
        target = desk.dam_ha if citizen.commune == DAM_HA else desk.quang_tan
        target.append(result.registration.id)
        desk.citizens[result.registration.id] = citizen.id
    return desk
