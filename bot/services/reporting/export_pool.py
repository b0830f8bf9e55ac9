"""Exports (XLSX, CSV) built in a separate process, so citizens' replies never wait for them.

Why a process and not a thread: openpyxl and the csv writer's per-row work are pure Python.
In a thread (`asyncio.to_thread`) the export holds the GIL almost all the time, and the event
loop — which serves the dashboard *and* the citizens' webhook updates — gives the GIL up at
every socket read, database round trip and `epoll` wait, then has to wait up to the
interpreter's switch interval (5 ms) to get it back: the convoy effect. While a 10,000-row
export was being built (a few seconds), every reply that needs twenty such round trips took
~100 ms longer, and the loop managed at most ~200 turns a second. A child process has its own
interpreter and GIL; the loop only pays for handing the rows over and taking the bytes back.

What crosses the process boundary is plain data: each `RegistrationRow` as a tuple of
str/int/datetime (its status as the enum's string value), the labels as dicts, and the finished
file as bytes. The worker rebuilds the rows and calls the very functions of
`bot.services.reporting.exports`, so a file is the same wherever it is built.

One worker: exports queue behind each other rather than take both cores from the bot, and the
worker runs at a lower CPU priority (nice 10, like the password-hashing threads) so the event
loop gets the CPU first when both want it. The worker is started on the first export, with
the "spawn" method (a fresh interpreter: none of the bot's threads, sockets or database
connections are copied; the same on every platform) and is stopped with the app
(`bot.application.running` calls `shutdown_shared`).

Where no process can be started or the worker died (no working semaphores in a sandbox, the
OOM killer), the export is built in a thread with a warning in the log: the officer still
gets her file, the citizens' replies are slower meanwhile. The next export tries a process
again. `ExportPool.builds` counts where exports were built (the tests check "process").
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import multiprocessing
import operator
import os
import signal
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import BrokenExecutor, ProcessPoolExecutor
from typing import Any, Literal

from bot.db.enums import RegistrationStatus
from bot.services.reporting.exports import ExportLabels, registrations_csv, registrations_xlsx
from bot.services.reporting.registrations import RegistrationRow

log = logging.getLogger(__name__)

#: Niceness of the export worker: the bot's event loop (nice 0) gets the CPU first.
EXPORT_NICENESS = 10

Kind = Literal["xlsx", "csv"]
#: A `RegistrationRow` as a tuple of its fields, in order, the status as its string value.
PlainRow = tuple[Any, ...]
#: `ExportLabels` as (headers, status_names, group_names, erased_name).
PlainLabels = tuple[dict[str, str], dict[str, str], dict[str, str], str]

_FIELDS = tuple(field.name for field in dataclasses.fields(RegistrationRow))
_STATUS = _FIELDS.index("status")
_row_values = operator.attrgetter(*_FIELDS)


def plain_rows(rows: Sequence[RegistrationRow]) -> list[PlainRow]:
    """The rows as tuples of plain values (cheap to pickle: no class lookups per row)."""
    plain = []
    for row in rows:
        values = list(_row_values(row))
        values[_STATUS] = values[_STATUS].value
        plain.append(tuple(values))
    return plain


def _rows(plain: Sequence[PlainRow]) -> list[RegistrationRow]:
    rows = []
    for values in plain:
        fields = list(values)
        fields[_STATUS] = RegistrationStatus(fields[_STATUS])
        rows.append(RegistrationRow(*fields))
    return rows


def plain_labels(labels: ExportLabels) -> PlainLabels:
    return (
        dict(labels.headers),
        dict(labels.status_names),
        dict(labels.group_names),
        labels.erased_name,
    )


def build(kind: Kind, rows: Sequence[PlainRow], labels: PlainLabels, sheet_title: str) -> bytes:
    """The export file from plain data: what the worker process runs (or the fallback thread)."""
    headers, status_names, group_names, erased_name = labels
    export_labels = ExportLabels(
        headers=headers,
        status_names=status_names,
        group_names=group_names,
        erased_name=erased_name,
    )
    registrations = _rows(rows)
    if kind == "xlsx":
        return registrations_xlsx(registrations, export_labels, sheet_title=sheet_title)
    return registrations_csv(registrations, export_labels)


def _init_worker(niceness: int) -> None:
    """Lower the worker's CPU priority; leave Ctrl-C to the parent, which stops the pool."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError, AttributeError):
        os.nice(niceness)


class ExportPool:
    """One worker process for building export files, started on first use."""

    def __init__(self, *, start_method: str = "spawn", niceness: int = EXPORT_NICENESS) -> None:
        self.start_method = start_method
        self.niceness = niceness
        self._executor: ProcessPoolExecutor | None = None
        #: Exports built so far, by where: "process" or "thread" (the fallback).
        self.builds: Counter[str] = Counter()

    async def registrations_xlsx(
        self, rows: Sequence[RegistrationRow], labels: ExportLabels, *, sheet_title: str
    ) -> bytes:
        """Same bytes as `exports.registrations_xlsx`, built in the worker process."""
        return await self._build("xlsx", rows, labels, sheet_title)

    async def registrations_csv(
        self, rows: Sequence[RegistrationRow], labels: ExportLabels
    ) -> bytes:
        """Same bytes as `exports.registrations_csv`, built in the worker process."""
        return await self._build("csv", rows, labels, "")

    async def _build(
        self, kind: Kind, rows: Sequence[RegistrationRow], labels: ExportLabels, title: str
    ) -> bytes:
        job = (kind, plain_rows(rows), plain_labels(labels), title)
        loop = asyncio.get_running_loop()
        try:
            future = loop.run_in_executor(self._started(), build, *job)
        except (OSError, NotImplementedError, ImportError, BrokenExecutor) as error:
            return await self._in_thread(job, error)
        try:
            body = await future
        except BrokenExecutor as error:  # the worker died (killed, out of memory)
            return await self._in_thread(job, error)
        self.builds["process"] += 1
        return body

    def _started(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context(self.start_method),
                initializer=_init_worker,
                initargs=(self.niceness,),
            )
        return self._executor

    async def _in_thread(
        self, job: tuple[Kind, list[PlainRow], PlainLabels, str], error: BaseException
    ) -> bytes:
        log.warning(
            "export pool: no worker process (%s: %s); building the %s export in a thread, "
            "which slows the bot's replies until it is done",
            type(error).__name__,
            error,
            job[0],
        )
        self.shutdown()  # a broken pool stays broken: the next export starts a new one
        body = await asyncio.to_thread(build, *job)
        self.builds["thread"] += 1
        return body

    def shutdown(self) -> None:
        """Stop the worker (after the export it is building, if any); queued ones are dropped."""
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)


_shared: ExportPool | None = None


def shared_pool() -> ExportPool:
    """The process's export pool (the worker starts on the first export)."""
    global _shared
    if _shared is None:
        _shared = ExportPool()
    return _shared


def shutdown_shared() -> None:
    """Stop the shared pool's worker; a later export starts a new one."""
    if _shared is not None:
        _shared.shutdown()
