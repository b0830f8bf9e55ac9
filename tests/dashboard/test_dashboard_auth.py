"""Signing in and out, session cookies, CSRF, throttling, the signing key."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, update
from starlette.applications import Starlette
from starlette.routing import Route

from bot.dashboard.secret import MissingSecret, dashboard_secret
from bot.db.engine import Database
from bot.db.models import AuditEntry, StaffUser
from bot.settings import Settings
from tests.dashboard.support import MOUNT, StaffClient

pytestmark = pytest.mark.usefixtures("accounts")


async def test_pages_redirect_to_login_with_the_page_to_return_to(client: StaffClient) -> None:
    response = await client.get("/registrations")
    assert response.status_code == 303
    assert response.headers["location"] == f"{MOUNT}/login?next=%2Fstaff%2Fregistrations"


async def test_login_sets_a_signed_httponly_samesite_cookie_scoped_to_the_mount(
    client: StaffClient,
) -> None:
    await client.get("/login")
    response = await client.post(
        "/login", {"login": "admin", "password": "mat-khau-thu-nghiem", "next": "/staff/events"}
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/staff/events"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Path=/staff" in cookie
    assert "Secure" not in cookie  # plain http in tests; https requests get Secure
    assert (await client.get("/events")).status_code == 200


async def test_wrong_password_is_refused_in_vietnamese(client: StaffClient) -> None:
    await client.get("/login")
    response = await client.post("/login", {"login": "admin", "password": "sai-mat-khau"})
    assert response.status_code == 401
    assert "Sai tên đăng nhập hoặc mật khẩu" in response.text
    assert (await client.get("/overview")).status_code == 303


async def test_five_failures_lock_the_login_even_with_the_right_password(
    client: StaffClient,
) -> None:
    await client.get("/login")
    for _ in range(5):
        await client.post("/login", {"login": "admin", "password": "sai-mat-khau"})
    response = await client.post("/login", {"login": "admin", "password": "mat-khau-thu-nghiem"})
    assert response.status_code == 429
    assert "thử lại sau" in response.text


async def test_next_outside_the_dashboard_is_ignored(client: StaffClient) -> None:
    await client.get("/login")
    response = await client.post(
        "/login",
        {"login": "admin", "password": "mat-khau-thu-nghiem", "next": "//evil.example/x"},
    )
    assert response.headers["location"] == f"{MOUNT}/overview"


async def test_logout_ends_the_session(signed_in) -> None:  # type: ignore[no-untyped-def]
    staff: StaffClient = await signed_in("admin")
    response = await staff.post("/logout")
    assert response.status_code == 303
    assert (await staff.get("/overview")).status_code == 303


async def test_login_form_without_csrf_token_is_refused(client: StaffClient) -> None:
    await client.get("/login")
    response = await client.post(
        "/login", {"login": "admin", "password": "mat-khau-thu-nghiem"}, csrf=False
    )
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in response.text


async def test_token_from_before_login_does_not_work_after_it(signed_in) -> None:  # type: ignore[no-untyped-def]
    staff: StaffClient = await signed_in("admin")
    anonymous_token = staff.csrf
    await staff.get("/overview")
    assert staff.csrf != ""
    response = await staff.post("/logout", {"csrf_token": anonymous_token + "x"})
    assert response.status_code == 403


async def test_disabling_an_account_ends_its_open_sessions(signed_in, db: Database) -> None:  # type: ignore[no-untyped-def]
    staff: StaffClient = await signed_in("canbo_dh")
    async with db.transaction() as session:
        await session.execute(
            update(StaffUser).where(StaffUser.login == "canbo_dh").values(active=False)
        )
    assert (await staff.get("/registrations")).status_code == 303


async def test_a_new_password_ends_sessions_opened_with_the_old_one(
    signed_in, db: Database
) -> None:  # type: ignore[no-untyped-def]
    staff: StaffClient = await signed_in("canbo_dh")
    async with db.transaction() as session:
        await session.execute(
            update(StaffUser)
            .where(StaffUser.login == "canbo_dh")
            .values(password_hash="$argon2id$x")
        )
    assert (await staff.get("/registrations")).status_code == 303


async def test_a_forged_cookie_is_an_anonymous_visitor(client: StaffClient) -> None:
    client.http.cookies.set("tlas_staff", "eyJ1IjoxfQ.forged.signature", path="/staff")
    assert (await client.get("/overview")).status_code == 303


async def test_pages_forbid_framing_and_foreign_scripts(signed_in) -> None:  # type: ignore[no-untyped-def]
    staff: StaffClient = await signed_in("admin")
    response = await staff.get("/overview")
    assert response.headers["x-frame-options"] == "DENY"
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["cache-control"] == "no-store"


async def test_login_time_is_recorded_and_no_password_is_audited(
    signed_in,
    db: Database,  # type: ignore[no-untyped-def]
) -> None:
    await signed_in("admin")
    async with db.transaction() as session:
        user = await session.scalar(select(StaffUser).where(StaffUser.login == "admin"))
        entries = (await session.scalars(select(AuditEntry))).all()
    assert user is not None and user.last_login_at is not None
    assert all("password" not in str(entry.after) for entry in entries)


def test_dev_mode_generates_a_secret_once_and_reuses_it(tmp_path: Path) -> None:
    settings = Settings(dashboard_secret_key=None, telegram_bot_token=None)
    key_file = tmp_path / "var" / "dashboard_secret_key"
    first = dashboard_secret(settings, dev_file=key_file)
    assert len(first) >= 32
    assert dashboard_secret(settings, dev_file=key_file) == first
    assert key_file.stat().st_mode & 0o077 == 0


def test_production_without_a_secret_refuses_to_start(tmp_path: Path) -> None:
    settings = Settings(dashboard_secret_key=None, telegram_bot_token="123:abc")
    with pytest.raises(MissingSecret, match="DASHBOARD_SECRET_KEY"):
        dashboard_secret(settings, dev_file=tmp_path / "key")
    with pytest.raises(MissingSecret, match="at least"):
        dashboard_secret(Settings(dashboard_secret_key="short"), dev_file=tmp_path / "key")


def post_routes(app: Starlette) -> list[str]:
    """Every POST route of the dashboard, with ids filled in."""
    paths = []
    for route in app.routes:
        if isinstance(route, Route) and route.methods and "POST" in route.methods:
            paths.append(
                route.path.replace("{event_id:int}", "1")
                .replace("{ticket_id:int}", "1")
                .replace("{item_id:int}", "1")
                .replace("{citizen_id:int}", "1")
                .replace("{other_id:int}", "2")
                .replace("{version_id:int}", "1")
                .replace("{fact}", "qn_standard")
                .replace("{intent}", "contact_office")
                .replace("{session_id:int}", "1")
                .replace("{message_id:int}", "1")
            )
    return paths


async def test_every_post_route_refuses_a_form_without_a_valid_token(
    signed_in,
    dashboard: Starlette,
    db: Database,  # type: ignore[no-untyped-def]
) -> None:
    staff: StaffClient = await signed_in("admin")
    routes = post_routes(dashboard)
    # every route, including the officers' desk (citizen page, notes, duplicates, handoff
    # assignment): a new POST route must be added here consciously
    assert len(routes) == 27
    for path in routes:
        for token in (None, "not-the-token"):
            data = {} if token is None else {"csrf_token": token}
            response = await staff.post(path, data, csrf=False)
            assert response.status_code == 403, (path, token)
    async with db.transaction() as session:
        actions = (await session.scalars(select(AuditEntry.action))).all()
    assert actions == ["staff.login"]  # only the sign-in itself
