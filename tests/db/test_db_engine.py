"""Engine set-up: URLs as people type them, SQLite pragmas, UTC timestamps, constraints."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, StatementError

from bot.db.engine import Database, async_url, open_database
from bot.db.enums import EventKind, EventStatus, RegistrationStatus
from bot.db.models import Citizen, Event, Registration

HANOI = timezone(timedelta(hours=7))


@pytest.mark.parametrize(
    ("typed", "expected_driver"),
    [
        ("sqlite:///var/x.sqlite3", "sqlite+aiosqlite"),
        ("sqlite+aiosqlite:///var/x.sqlite3", "sqlite+aiosqlite"),
        ("postgresql://u:p@db:5432/app", "postgresql+psycopg"),
        ("postgres://u@db/app", "postgresql+psycopg"),
        ("postgresql+psycopg2://u@db/app", "postgresql+psycopg"),
    ],
)
def test_async_url_picks_the_async_driver(typed: str, expected_driver: str) -> None:
    assert async_url(typed).drivername == expected_driver


def test_async_url_keeps_password_host_and_query() -> None:
    url = async_url("postgresql://user:s3cret@db.local:5433/app?options=-csearch_path%3Dx")
    assert (url.password, url.host, url.port, url.database) == ("s3cret", "db.local", 5433, "app")
    assert url.query["options"] == "-csearch_path=x"


def test_async_url_rejects_unknown_scheme_naming_it() -> None:
    with pytest.raises(ValueError, match="mysql"):
        async_url("mysql://u@db/app")


async def test_sqlite_connection_has_wal_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'nested' / 'dir' / 'x.sqlite3'}")
    try:
        async with db.engine.connect() as connection:
            journal = (await connection.exec_driver_sql("PRAGMA journal_mode")).scalar()
            foreign_keys = (await connection.exec_driver_sql("PRAGMA foreign_keys")).scalar()
            busy = (await connection.exec_driver_sql("PRAGMA busy_timeout")).scalar()
        assert (journal, foreign_keys, busy) == ("wal", 1, 30_000)
        assert (tmp_path / "nested" / "dir" / "x.sqlite3").exists()
    finally:
        await db.dispose()


def _event(**overrides: object) -> Event:
    start = datetime(2026, 3, 10, 8, 0, tzinfo=HANOI)
    values: dict[str, object] = {
        "kind": EventKind.JOB_FAIR,
        "title": "Phiên giao dịch việc làm",
        "starts_at": start,
        "ends_at": start + timedelta(hours=4),
        "registration_deadline": start - timedelta(days=1),
        "capacity": 5,
        "status": EventStatus.OPEN,
    }
    values.update(overrides)
    return Event(**values)


async def test_timestamps_come_back_aware_in_utc(db: Database) -> None:
    async with db.transaction() as session:
        event = _event()
        session.add(event)
    async with db.transaction() as session:
        stored = await session.get_one(Event, event.id, populate_existing=True)
    assert stored.starts_at == datetime(2026, 3, 10, 1, 0, tzinfo=UTC)
    assert stored.starts_at.utcoffset() == timedelta(0)


async def test_naive_datetime_is_refused(db: Database) -> None:
    with pytest.raises(StatementError, match="naive datetime"):
        async with db.transaction() as session:
            session.add(_event(starts_at=datetime(2026, 3, 10, 8, 0)))


async def test_event_times_are_checked_by_the_database(db: Database) -> None:
    start = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
    with pytest.raises(IntegrityError):
        async with db.transaction() as session:
            session.add(_event(starts_at=start, ends_at=start - timedelta(hours=1)))


async def test_foreign_keys_are_enforced(db: Database) -> None:
    with pytest.raises(IntegrityError):
        async with db.transaction() as session:
            session.add(
                Registration(
                    citizen_id=999,
                    event_id=999,
                    status=RegistrationStatus.CONFIRMED,
                    status_changed_by="test",
                )
            )


async def test_waitlisted_registration_must_have_a_position(db: Database) -> None:
    async with db.transaction() as session:
        citizen, event = Citizen(telegram_user_id=1, target_groups=[]), _event()
        session.add_all([citizen, event])
    with pytest.raises(IntegrityError):
        async with db.transaction() as session:
            session.add(
                Registration(
                    citizen_id=citizen.id,
                    event_id=event.id,
                    status=RegistrationStatus.WAITLISTED,
                    status_changed_by="test",
                )
            )


async def test_one_registration_per_citizen_and_event(db: Database) -> None:
    async with db.transaction() as session:
        citizen, event = Citizen(telegram_user_id=1, target_groups=[]), _event()
        session.add_all([citizen, event])
    row = {"citizen_id": citizen.id, "event_id": event.id, "status_changed_by": "test"}
    async with db.transaction() as session:
        session.add(Registration(status=RegistrationStatus.CONFIRMED, **row))
    with pytest.raises(IntegrityError):
        async with db.transaction() as session:
            session.add(Registration(status=RegistrationStatus.CANCELLED, **row))


async def test_transaction_rolls_back_on_error(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with db.transaction() as session:
            session.add(Citizen(telegram_user_id=5, target_groups=[]))
            await session.flush()
            raise RuntimeError("boom")
    async with db.transaction() as session:
        count = (await session.execute(text("SELECT count(*) FROM citizens"))).scalar_one()
    assert count == 0
