"""Signing in under attack: atomic throttle, back-off, device cookies, proxies, sessions."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select
from starlette.applications import Starlette

from bot.db.engine import Database
from bot.db.models import AuditEntry, StaffSession
from bot.services import login_throttle, staff, staff_login
from bot.services.actors import staff as staff_actor
from bot.services.clock import utcnow
from bot.services.password_hashing import HashingBusy, HashingPool
from tests.dashboard.support import MOUNT, PASSWORD, StaffClient

pytestmark = pytest.mark.usefixtures("accounts")


def _client(app: Starlette, address: str, **headers: str) -> StaffClient:
    transport = httpx.ASGITransport(app=app, client=(address, 50000))
    return StaffClient(
        httpx.AsyncClient(transport=transport, base_url="http://desk.test", headers=headers)
    )


async def test_thirty_concurrent_guesses_reach_the_password_check_at_most_five_times(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[str] = []
    real_verify = staff.verify_password

    def counting_verify(password: str, stored: str) -> bool:
        checked.append(password)
        return real_verify(password, stored)

    monkeypatch.setattr(staff, "verify_password", counting_verify)
    pool = HashingPool(workers=2, max_waiting=64)
    guesses = [f"doan-sai-{n}" for n in range(29)] + [PASSWORD]
    results = await asyncio.gather(
        *(
            staff_login.sign_in(db, login="admin", password=guess, address="203.0.113.9", pool=pool)
            for guess in guesses
        )
    )
    outcomes = [r.outcome for r in results]
    assert len(checked) <= login_throttle.ADDRESS_RULE.max_failures
    assert outcomes.count(staff_login.Outcome.THROTTLED) >= 25
    signed = [
        guess
        for guess, r in zip(guesses, results, strict=True)
        if r.outcome is staff_login.Outcome.SIGNED_IN
    ]
    assert signed in ([], [PASSWORD])
    if not signed:  # the right password came after the lock: it must not have been checked
        assert PASSWORD not in checked


async def test_password_is_checked_in_the_pool_not_on_the_event_loop(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[str] = []
    real_verify = staff.verify_password

    def recording_verify(password: str, stored: str) -> bool:
        threads.append(threading.current_thread().name)
        return real_verify(password, stored)

    monkeypatch.setattr(staff, "verify_password", recording_verify)
    result = await staff_login.sign_in(db, login="admin", password=PASSWORD, address="10.1.1.1")
    assert result.outcome is staff_login.Outcome.SIGNED_IN
    assert threads and threads[0].startswith("argon2")
    assert threads[0] != threading.main_thread().name


async def test_when_every_sign_in_slot_is_taken_the_next_is_busy_before_any_db_work(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    pool = HashingPool(workers=1, max_waiting=0)
    started, release = threading.Event(), threading.Event()

    def slow_verify(password: str, stored: str) -> bool:
        started.set()
        release.wait(5)
        return False

    monkeypatch.setattr(staff, "verify_password", slow_verify)
    first = asyncio.create_task(
        staff_login.sign_in(db, login="admin", password="x", address="10.2.2.2", pool=pool)
    )
    await asyncio.to_thread(started.wait, 5)
    second = await staff_login.sign_in(db, login="xem", password="y", address="10.2.2.3", pool=pool)
    release.set()
    assert second.outcome is staff_login.Outcome.BUSY and second.retry_after > 0
    assert (await first).outcome is staff_login.Outcome.WRONG_PASSWORD
    assert pool.admitted == 0
    async with db.transaction() as session:
        untouched = await session.get(login_throttle.LoginThrottleBucket, "addr:10.2.2.3")
        audited = (await session.scalars(select(AuditEntry.after))).all()
    assert untouched is None  # refused before the throttle: no row, no count, no lock
    assert [entry["address"] for entry in audited if entry] == ["10.2.2.2"]


def test_a_browser_the_officer_signed_in_from_gets_in_while_strangers_fill_the_pool() -> None:
    """A storm of guesses takes every ordinary slot; the officer's own browser still has one."""
    pool = HashingPool(workers=1, max_waiting=0, trusted_reserve=1)
    with pool.admit():  # a stranger's guess is being checked
        with pytest.raises(HashingBusy), pool.admit():  # the next stranger is told "busy"
            pass
        officer = pool.admit(trusted=True)  # the officer (device cookie) is not
        with officer, pytest.raises(HashingBusy), pool.admit(trusted=True):
            pass  # and the reserve is bounded too
    assert pool.admitted == 0


async def test_address_lockout_backs_off_and_forgets_after_a_quiet_day(db: Database) -> None:
    now = utcnow()
    buckets = login_throttle.buckets_for(login="admin", address="198.51.100.7", trusted_device=None)
    locks = []
    for _round in range(3):
        for _ in range(5):
            async with db.transaction() as session:
                assert await login_throttle.reserve(session, buckets, now=now) == 0
                await login_throttle.settle(session, buckets, succeeded=False, now=now)
        async with db.transaction() as session:
            locks.append(await login_throttle.reserve(session, buckets, now=now))
        now += timedelta(hours=1, seconds=1)  # past the longest lock so far
    assert locks == [60.0, 120.0, 240.0]  # 1, 2, 4 minutes
    now += timedelta(days=2)
    for _ in range(5):
        async with db.transaction() as session:
            assert await login_throttle.reserve(session, buckets, now=now) == 0
            await login_throttle.settle(session, buckets, succeeded=False, now=now)
    async with db.transaction() as session:
        assert await login_throttle.reserve(session, buckets, now=now) == 60.0


async def test_attacker_from_many_addresses_does_not_lock_the_officer_out_of_her_browser(
    web_app: Starlette,
) -> None:
    officer = _client(web_app, "10.9.0.1")
    response = await officer.login("canbo_dh")
    assert response.status_code == 303
    await officer.post("/logout")
    for n in range(12):  # a botnet: every guess from a new address
        attacker = _client(web_app, f"198.51.100.{n}")
        await attacker.get("/login")
        refused = await attacker.post("/login", {"login": "canbo_dh", "password": f"doan{n}"})
        assert refused.status_code in (401, 429)
        await attacker.http.aclose()
    newcomer = _client(web_app, "10.9.0.2")
    await newcomer.get("/login")
    locked = await newcomer.post("/login", {"login": "canbo_dh", "password": PASSWORD})
    assert locked.status_code == 429  # a browser the account never used waits
    assert "thử lại sau" in locked.text
    again = await officer.login("canbo_dh")  # her own browser has the device cookie
    assert again.status_code == 303
    assert (await officer.get("/registrations")).status_code == 200
    await officer.http.aclose()
    await newcomer.http.aclose()


async def test_x_forwarded_for_counts_only_from_a_trusted_proxy(db: Database) -> None:
    from bot.dashboard import create_dashboard_app
    from tests.dashboard.support import dashboard_settings

    settings = dashboard_settings().model_copy(update={"trusted_proxies": "127.0.0.1"})
    app = Starlette()
    app.mount(MOUNT, create_dashboard_app(db=db, settings=settings))
    # Three officers behind the proxy: one mistypes five times, the others are not affected.
    clumsy = _client(app, "127.0.0.1", **{"X-Forwarded-For": "10.20.0.1"})
    await clumsy.get("/login")
    for _ in range(5):
        await clumsy.post("/login", {"login": "xem", "password": "sai-mat-khau"})
    assert (await clumsy.post("/login", {"login": "xem", "password": PASSWORD})).status_code == 429
    for n, login in ((2, "canbo_dh"), (3, "canbo_qt")):
        other = _client(app, "127.0.0.1", **{"X-Forwarded-For": f"10.20.0.{n}"})
        assert (await other.login(login)).status_code == 303
        await other.http.aclose()
    # From an untrusted peer the header is ignored: spoofing a new address does not reset.
    spoofer = _client(app, "203.0.113.50", **{"X-Forwarded-For": "10.20.0.99"})
    await spoofer.get("/login")
    for _ in range(5):
        await spoofer.post("/login", {"login": "admin", "password": "sai"})
    spoofer.http.headers["X-Forwarded-For"] = "10.20.0.100"
    assert (await spoofer.post("/login", {"login": "admin", "password": "sai"})).status_code == 429
    for client in (clumsy, spoofer):
        await client.http.aclose()


async def test_a_cookie_copied_before_logout_is_refused_after_it(signed_in) -> None:  # type: ignore[no-untyped-def]
    staff_client: StaffClient = await signed_in("canbo_dh")
    copied = dict(staff_client.http.cookies.items())
    assert (await staff_client.post("/logout")).status_code == 303
    thief = httpx.AsyncClient(transport=staff_client.http._transport, base_url="http://desk.test")
    for name, value in copied.items():
        thief.cookies.set(name, value, path=MOUNT)
    response = await thief.get(MOUNT + "/registrations")
    assert response.status_code == 303 and "/login" in response.headers["location"]
    await thief.aclose()


async def test_a_new_password_and_an_admin_end_sessions(signed_in, db: Database) -> None:  # type: ignore[no-untyped-def]
    officer: StaffClient = await signed_in("canbo_dh")
    async with db.transaction() as session:
        await staff.set_password(
            session=session,
            login="canbo_dh",
            password="may-troi-xanh-tren-nui",
            actor=staff_actor("cli"),
        )
    assert (await officer.get("/registrations")).status_code == 303
    viewer: StaffClient = await signed_in("xem")
    admin: StaffClient = await signed_in("admin")
    page = await admin.get("/sessions")
    assert page.status_code == 200 and "Cán bộ xem" in page.text
    async with db.transaction() as session:
        viewer_session = await session.scalar(
            select(StaffSession.id)
            .join(staff.StaffUser, staff.StaffUser.id == StaffSession.staff_user_id)
            .where(staff.StaffUser.login == "xem", StaffSession.revoked_at.is_(None))
        )
    assert (await admin.post(f"/sessions/{viewer_session}/revoke")).status_code == 303
    assert (await viewer.get("/overview")).status_code == 303
    assert (await admin.get("/overview")).status_code == 200
    assert (await viewer.get("/sessions")).status_code == 303
    async with db.transaction() as session:
        actions = (await session.scalars(select(AuditEntry.action))).all()
    assert "staff.session_revoke" in actions


async def test_every_login_is_audited_with_outcome_and_address_never_the_password(
    client: StaffClient, db: Database
) -> None:
    await client.get("/login")
    await client.post("/login", {"login": "admin", "password": "sai-mat-khau-1"})
    await client.post("/login", {"login": "mat-khau-bi-go-nham", "password": "x"})
    await client.post("/login", {"login": "admin", "password": PASSWORD})
    async with db.transaction() as session:
        entries = (await session.scalars(select(AuditEntry).order_by(AuditEntry.id))).all()
    assert [(e.actor, e.action, (e.after or {}).get("outcome")) for e in entries] == [
        ("staff:admin", "staff.login_failed", "wrong_password"),
        ("system:login", "staff.login_failed", "wrong_password"),
        ("staff:admin", "staff.login", "signed_in"),
    ]
    assert all((e.after or {}).get("address") == "10.0.0.1" for e in entries)
    text = " ".join(str(e.after) for e in entries)
    assert "sai-mat-khau-1" not in text and PASSWORD not in text
    assert "mat-khau-bi-go-nham" not in text


async def test_changing_my_password_checks_the_old_one_refuses_weak_ones_and_ends_others(
    signed_in, web_app: Starlette
) -> None:  # type: ignore[no-untyped-def]
    here: StaffClient = await signed_in("canbo_qt")
    elsewhere: StaffClient = await signed_in("canbo_qt")
    assert (await here.get("/password")).status_code == 200
    new = "sông Hồng chảy qua ba làng"
    wrong = await here.post("/password", {"current": "sai", "new": new, "again": new})
    assert wrong.status_code == 400 and "Mật khẩu hiện tại không đúng" in wrong.text
    weak = await here.post(
        "/password", {"current": PASSWORD, "new": "aaaaaaaaaa", "again": "aaaaaaaaaa"}
    )
    assert weak.status_code == 400 and "quá dễ đoán" in weak.text
    assert (await elsewhere.get("/registrations")).status_code == 200  # nothing changed yet
    done = await here.post("/password", {"current": PASSWORD, "new": new, "again": new})
    assert done.status_code == 303
    assert (await here.get("/registrations")).status_code == 200
    assert (await elsewhere.get("/registrations")).status_code == 303
    fresh = _client(web_app, "10.7.7.7")
    assert (await fresh.login("canbo_qt")).status_code == 401  # the old password
    assert (await fresh.login("canbo_qt", new)).status_code == 303
    await fresh.http.aclose()


async def test_a_refused_sign_in_is_answered_after_a_hold_a_wrong_password_is_not(
    db: Database,
) -> None:
    """A guessing script that retries as soon as it is answered slows to one try per hold."""
    import time

    from bot.dashboard import create_dashboard_app
    from tests.dashboard.support import dashboard_settings

    settings = dashboard_settings().model_copy(update={"login_refusal_hold_seconds": 0.4})
    app = Starlette()
    app.mount(MOUNT, create_dashboard_app(db=db, settings=settings))
    guesser = _client(app, "198.51.100.7")
    await guesser.get("/login")
    timings: list[tuple[int, float]] = []
    for _ in range(6):
        started = time.monotonic()
        answer = await guesser.post("/login", {"login": "xem", "password": "sai-mat-khau"})
        timings.append((answer.status_code, time.monotonic() - started))
    assert [status for status, _ in timings] == [401] * 5 + [429]
    assert all(took < 0.4 for _, took in timings[:5])  # a typo is not punished
    assert timings[5][1] >= 0.4  # the refusal waited before it was sent
    await guesser.http.aclose()


async def test_holds_are_bounded_so_a_flood_cannot_pile_them_up() -> None:
    from bot.dashboard.tarpit import Tarpit

    tarpit = Tarpit(hold_seconds=5.0, max_held=2)
    held = [asyncio.create_task(tarpit.hold(5.0)) for _ in range(2)]
    await asyncio.sleep(0)
    assert tarpit.held == 2
    started = asyncio.get_running_loop().time()
    await tarpit.hold(5.0)  # the third is answered at once
    assert asyncio.get_running_loop().time() - started < 0.5
    await tarpit.hold(0.0)  # nothing to wait for: never held
    for task in held:
        task.cancel()
    await asyncio.gather(*held, return_exceptions=True)
    assert tarpit.held == 0
