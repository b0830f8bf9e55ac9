"""Accounts (services.staff) and the `python -m bot staff` command."""

from __future__ import annotations

import asyncio
import io

import pytest
from sqlalchemy import select

from bot.dashboard import cli
from bot.db.engine import Database
from bot.db.enums import StaffRole
from bot.db.models import AuditEntry, StaffUser
from bot.services import staff, staff_login
from bot.services.actors import staff as staff_actor


def test_password_hash_is_salted_argon2id_at_production_cost() -> None:
    first = staff.hash_password("mot-mat-khau-dai")
    second = staff.hash_password("mot-mat-khau-dai")
    assert first != second
    assert first.startswith(
        f"$argon2id$v=19$m={staff.ARGON2_MEMORY_KIB},t={staff.ARGON2_TIME_COST},p=1$"
    )
    assert staff.verify_password("mot-mat-khau-dai", first)
    assert not staff.verify_password("mot-mat-khau-dai!", first)
    assert not staff.verify_password("x", "bcrypt$garbage")
    assert not staff.verify_password("x", "not a hash")


async def test_accounts_are_validated_and_audited(db: Database) -> None:
    actor = staff_actor("cli")
    async with db.transaction() as session:
        user = await staff.create_staff(
            session=session, login=" Lan.NT ", full_name="Nguyễn  Thị Lan",
            password="mot-mat-khau-dai", role=StaffRole.OFFICER, commune="dam_ha", actor=actor,
        )  # fmt: skip
        assert (user.login, user.full_name) == ("lan.nt", "Nguyễn Thị Lan")
    for kwargs, problem in (
        ({"login": "lan.nt"}, staff.AccountProblem.LOGIN_TAKEN),
        ({"login": "Lan Anh"}, staff.AccountProblem.INVALID_LOGIN),
        ({"password": "ngan"}, staff.AccountProblem.PASSWORD_TOO_SHORT),
        ({"password": "aaaaaaaaaa"}, staff.AccountProblem.PASSWORD_GUESSABLE),
        ({"password": "matkhau123456"}, staff.AccountProblem.PASSWORD_GUESSABLE),
        ({"password": "Tran-Hung-1990"}, staff.AccountProblem.PASSWORD_GUESSABLE),
        ({"password": "x" * 300}, staff.AccountProblem.PASSWORD_TOO_LONG),
        ({"commune": None}, staff.AccountProblem.COMMUNE_REQUIRED),
        ({"commune": "ha_long"}, staff.AccountProblem.UNKNOWN_COMMUNE),
    ):
        values = {
            "login": "hung", "full_name": "Trần Hùng", "password": "mot-mat-khau-dai",
            "role": StaffRole.OFFICER, "commune": "quang_tan",
        } | kwargs  # fmt: skip
        with pytest.raises(staff.AccountRefused) as refused:
            async with db.transaction() as session:
                await staff.create_staff(session=session, actor=actor, **values)  # type: ignore[arg-type]
        assert refused.value.problem == problem
    signed = await staff_login.sign_in(
        db, login="LAN.NT", password="mot-mat-khau-dai", address="10.0.0.1"
    )
    assert signed.outcome is staff_login.Outcome.SIGNED_IN
    for login in ("lan.nt", "ai-do"):
        refused = await staff_login.sign_in(db, login=login, password="sai", address="10.0.0.2")
        assert refused.outcome is staff_login.Outcome.WRONG_PASSWORD
    async with db.transaction() as session:
        entry = await session.scalar(select(AuditEntry).order_by(AuditEntry.id))
    assert entry is not None and entry.after == {
        "login": "lan.nt", "role": "officer", "commune": "dam_ha"
    }  # fmt: skip


async def run_cli(monkeypatch: pytest.MonkeyPatch, url: str, stdin: str, *args: str) -> int:
    """The command in a thread: it runs its own event loop, as from a shell."""
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return await asyncio.to_thread(cli.main, ["--database-url", url, *args])


async def test_cli_creates_an_admin_and_an_officer(
    db: Database,
    migrated_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    password = "mot-mat-khau-dai\n"
    assert await run_cli(monkeypatch, migrated_url, password, "create-admin", "--login", "lan",
                   "--name", "Nguyễn Thị Lan", "--password-stdin") == 0  # fmt: skip
    assert "Đã tạo tài khoản lan (Quản trị)" in capsys.readouterr().out
    assert await run_cli(monkeypatch, migrated_url, password, "add", "--login", "hung", "--name",
                   "Trần Văn Hùng", "--role", "officer", "--commune", "Xã Dực Yên",
                   "--password-stdin") == 0  # fmt: skip
    assert "Xã Quảng Tân" in capsys.readouterr().out  # a former commune name is understood
    assert await run_cli(monkeypatch, migrated_url, "", "disable", "--login", "hung") == 0
    assert await run_cli(monkeypatch, migrated_url, "", "list") == 0
    listing = capsys.readouterr().out
    assert "hung" in listing and "đã khóa" in listing
    assert await run_cli(monkeypatch, migrated_url, "ngan\n", "set-password", "--login", "lan",
                   "--password-stdin") == 1  # fmt: skip
    assert "ít nhất 10 ký tự" in capsys.readouterr().err
    assert await run_cli(monkeypatch, migrated_url, "", "add", "--login", "x", "--name", "X",
                   "--role", "viewer") == 2  # fmt: skip
    async with db.transaction() as session:
        users = {u.login: u for u in (await session.scalars(select(StaffUser))).all()}
    assert users["lan"].role == StaffRole.ADMIN and users["lan"].commune is None
    assert (users["hung"].commune, users["hung"].active) == ("quang_tan", False)
