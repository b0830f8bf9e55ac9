"""Exports built in a worker process (bot.services.reporting.export_pool): the same files as
building them in place, and the event loop free while a 10,000-row workbook is built.

No database here: the rows are made in memory, as `filtered_registrations` returns them.
"""

from __future__ import annotations

import asyncio
import io
import logging
import os
import signal
import time
import zipfile
from collections.abc import AsyncIterator
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from bot.db.enums import RegistrationStatus
from bot.services.reporting import (
    ExportLabels,
    RegistrationRow,
    export_pool,
    registrations_csv,
    registrations_xlsx,
)
from bot.services.reporting.export_pool import ExportPool
from bot.texts import dashboard as t

LABELS = ExportLabels(
    headers=t.COLUMNS,
    status_names=t.REGISTRATION_STATUSES,
    group_names=t.TARGET_GROUPS,
    erased_name=t.ERASED_NAME,
)
START = datetime(2026, 12, 3, 2, 30, tzinfo=UTC)


def rows(count: int) -> list[RegistrationRow]:
    statuses = list(RegistrationStatus)
    return [
        RegistrationRow(
            registration_id=i + 1,
            citizen_id=i + 1,
            full_name=None if i % 97 == 3 else ("=HYPERLINK()" if i % 89 == 5 else f"Hoa {i}"),
            phone=None if i % 7 == 0 else "+84912345678",
            birth_year=None if i % 11 == 0 else 1950 + i % 60,
            commune=None if i % 13 == 0 else "dam_ha",
            target_groups=("youth", "disabled") if i % 2 else (),
            event_id=1 + i % 3,
            event_title="Lớp may công nghiệp K12",
            event_starts_at=START + timedelta(days=i % 30),
            status=statuses[i % len(statuses)],
            waitlist_position=i if i % 5 == 0 else None,
            created_at=START - timedelta(minutes=i),
            status_changed_at=START - timedelta(seconds=i),
            decision_reason="Không đủ tuổi" if i % 17 == 0 else None,
        )
        for i in range(count)
    ]


def members(xlsx: bytes) -> dict[str, bytes]:
    """The workbook's parts, without its creation time (docProps/core.xml)."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        return {
            name: archive.read(name) for name in archive.namelist() if name != "docProps/core.xml"
        }


@pytest.fixture
async def pool() -> AsyncIterator[ExportPool]:
    exports = ExportPool()
    yield exports
    exports.shutdown()


def test_rows_cross_the_process_boundary_as_plain_values() -> None:
    row = rows(1)[0]
    (plain,) = export_pool.plain_rows([row])
    assert all(type(value) in {int, str, datetime, tuple, type(None)} for value in plain)
    assert plain[list(RegistrationRow.__dataclass_fields__).index("status")] == row.status.value


async def test_the_pool_builds_the_same_files_in_a_worker_process(pool: ExportPool) -> None:
    data = rows(300)
    xlsx = await pool.registrations_xlsx(data, LABELS, sheet_title=t.EXPORT_SHEET)
    csv = await pool.registrations_csv(data, LABELS)
    assert csv == registrations_csv(data, LABELS)
    assert members(xlsx) == members(registrations_xlsx(data, LABELS, sheet_title=t.EXPORT_SHEET))
    assert pool.builds == {"process": 2}


async def test_a_large_export_leaves_the_event_loop_free(pool: ExportPool) -> None:
    """While 10,000 rows are written, the CPU work is not in this process, so it cannot hold
    the GIL the event loop needs (the convoy effect of `asyncio.to_thread`).

    Measured in CPU time, not in wall time, so a busy machine cannot make it fail: building
    in place costs this process the full CPU of the build; through the pool, only handing the
    rows over (~2 % of it). The loop-lag bound is a generous sanity check on top (reverting to
    `to_thread` passes it on a quiet machine, building on the loop itself does not).
    """
    data = rows(10_000)
    await pool.registrations_csv(data[:5], LABELS)  # the worker process is up
    before = time.process_time()
    registrations_xlsx(data, LABELS, sheet_title=t.EXPORT_SHEET)
    in_place = time.process_time() - before

    lags: list[float] = []
    build = asyncio.create_task(pool.registrations_xlsx(data, LABELS, sheet_title=t.EXPORT_SHEET))
    before = time.process_time()
    while not build.done():
        tick = time.perf_counter()
        await asyncio.sleep(0.01)
        lags.append(time.perf_counter() - tick - 0.01)
    here = time.process_time() - before
    body = await build

    assert body.startswith(b"PK")
    assert pool.builds["process"] == 2
    assert here < 0.25 * in_place, (here, in_place)
    assert len(lags) >= 2
    assert max(lags) < 1.0, max(lags)


async def test_without_a_worker_process_the_export_is_built_in_a_thread(
    pool: ExportPool, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def no_processes(*args: object, **kwargs: object) -> ProcessPoolExecutor:
        raise NotImplementedError("no sem_open here")

    monkeypatch.setattr(export_pool, "ProcessPoolExecutor", no_processes)
    data = rows(20)
    with caplog.at_level(logging.WARNING, logger=export_pool.__name__):
        body = await pool.registrations_csv(data, LABELS)
    assert body == registrations_csv(data, LABELS)
    assert pool.builds == {"thread": 1}
    assert "building the csv export in a thread" in caplog.text


async def test_a_dead_worker_is_replaced_at_the_next_export(pool: ExportPool) -> None:
    data = rows(20)
    await pool.registrations_csv(data, LABELS)
    executor = pool._executor
    assert executor is not None
    for process in list(executor._processes.values()):  # stdlib internals: test only
        os.kill(process.pid, signal.SIGKILL)
        process.join(5)
    assert await pool.registrations_csv(data, LABELS) == registrations_csv(data, LABELS)
    assert await pool.registrations_csv(data, LABELS) == registrations_csv(data, LABELS)
    assert pool.builds["thread"] <= 1  # the export that met the dead worker, if any
    assert pool.builds["process"] >= 2
