"""Helpers of the dashboard tests: a signed-in HTTP client, a fake bot, a small desk.

Accounts are written straight into the table with a cheap Argon2 cost (the cost travels in
the hash, so verification is cheap too); test_staff_accounts checks the production cost.
`StaffClient` signs in through the login form like a browser and posts forms with the CSRF
token it read from the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx

from bot.db.engine import Database
from bot.db.enums import RegistrationStatus, StaffRole
from bot.db.models import Registration
from bot.services.communes import DAM_HA, QUANG_TAN
from bot.services.staff import hash_password
from bot.settings import Settings
from tests.support.factories import Factory

PASSWORD = "mat-khau-thu-nghiem"
MOUNT = "/staff"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
TEST_HASH = hash_password(PASSWORD, time_cost=1, memory_kib=64)

#: login -> (role, commune)
ACCOUNTS: dict[str, tuple[StaffRole, str | None]] = {
    "admin": (StaffRole.ADMIN, None),
    "canbo_dh": (StaffRole.OFFICER, DAM_HA),
    "canbo_qt": (StaffRole.OFFICER, QUANG_TAN),
    "xem": (StaffRole.VIEWER, None),
}


def dashboard_settings() -> Settings:
    return Settings(
        dashboard_secret_key="k" * 48, telegram_bot_token=None, login_refusal_hold_seconds=0
    )


@dataclass
class FakeBot:
    """Stands in for the bot's pipeline: records what it was asked, answers in Telegram HTML."""

    calls: list[tuple[str, int]] = field(default_factory=list)

    async def __call__(self, text: str, chat_id: int) -> list[str]:
        self.calls.append((text, chat_id))
        return [f"<b>Đã nhận:</b> {text}", "<script>alert(1)</script><i>hết</i>"]


class StaffClient:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http
        self.csrf = ""

    async def get(self, path: str, **kwargs: Any) -> httpx.Response:
        response = await self.http.get(MOUNT + path, **kwargs)
        match = (
            _CSRF.search(response.text)
            if response.headers.get("content-type", "").startswith("text/html")
            else None
        )
        if match:
            self.csrf = match.group(1)
        return response

    async def post(
        self, path: str, data: dict[str, Any] | None = None, *, csrf: bool = True, **kwargs: Any
    ) -> httpx.Response:
        if csrf and not self.csrf:
            await self.get("/login")
        body = dict(data or {})
        if csrf:
            body.setdefault("csrf_token", self.csrf)
        return await self.http.post(MOUNT + path, data=body, **kwargs)

    async def login(self, login: str, password: str = PASSWORD) -> httpx.Response:
        await self.get("/login")
        response = await self.post("/login", {"login": login, "password": password, "next": ""})
        await self.get("/overview")  # the token changes at login
        return response


@dataclass
class Desk:
    """A small desk: one class needing approval, people from both communes registered."""

    event_id: int
    other_event_id: int
    dam_ha: list[int]  # registration ids of Đầm Hà citizens
    quang_tan: list[int]
    citizens: dict[int, int]  # registration id -> citizen id


async def add_registrations(
    db: Database,
    factory: Factory,
    count: int,
    *,
    event_id: int,
    commune: str,
    created_at: datetime,
    status: RegistrationStatus = RegistrationStatus.CONFIRMED,
    groups: list[str] | None = None,
) -> list[int]:
    """`count` people registered directly (fast), with the given registration time."""
    people = await factory.citizens(count, commune=commune, target_groups=groups or [])
    async with db.transaction() as session:
        rows = [
            Registration(
                citizen_id=person.id,
                event_id=event_id,
                status=status,
                created_at=created_at,
                status_changed_at=created_at,
                status_changed_by="test",
            )
            for person in people
        ]
        session.add_all(rows)
        await session.flush()
        return [row.id for row in rows]


async def decide(
    client: StaffClient,
    action: str,
    ids: list[int],
    *,
    reason: str = "",
    back: str = "",
) -> httpx.Response:
    """A bulk decision through its confirmation page, as a browser would confirm it."""
    body: dict[str, Any] = {"action": action, "ids": ids, "back": back}
    shown = await client.post("/registrations/decide", body)
    if shown.status_code != 200:
        return shown
    assert "Xác nhận" in shown.text, shown.text
    confirmed = body | {"confirm": "1", "count": str(len(ids))}
    if reason:
        confirmed["reason_text"] = reason
    return await client.post("/registrations/decide", confirmed)
