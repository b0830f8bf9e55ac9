"""The knowledge the running bot answers from: the YAML seed plus officers' published edits.

`KnowledgeStore` parses the YAML once, reads the newest published version of every edited fact
and answer from the database (`knowledge_versions`), and builds a validated `KnowledgeBase`
with exactly the loader's checks. `LiveKnowledgeBase` is a KnowledgeBase whose every read goes
to the store's current build, so the chat side keeps the one object it was given at start-up
and sees an officer's edit as soon as the store refreshes: at once when the edit is published
in the same process (the dashboard calls `refresh`), within `poll_seconds` otherwise.

A published version that no longer validates (say, a YAML change removed a fact it uses) is
never served: the build falls back to the previous good one and the problem is logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import datetime as dt
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.engine import Database
from bot.db.models import KnowledgeVersion
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.checks import today_local
from bot.knowledge.errors import KnowledgeError
from bot.knowledge.loader import Documents, build_knowledge, read_documents

log = logging.getLogger(__name__)

FACT = "fact"
ANSWER = "answer"


@dataclass(frozen=True)
class Override:
    """The body in force for one fact or answer variant (None: the seed YAML again)."""

    kind: str
    key: str
    body: dict[str, Any] | None
    version_id: int


def answer_key(intent: str, variant_key: str) -> str:
    """'allowance_amount/target_group=người khuyết tật' or 'contact_office/default'."""
    return f"{intent}/{variant_key}"


def apply_overrides(
    documents: Documents, overrides: Mapping[tuple[str, str], dict[str, Any] | None]
) -> Documents:
    """A deep copy of the parsed seed with each override put in place of what it replaces.

    A fact body replaces the fact of that name; an answer body replaces the variant with that
    key (the default or a keyed variant). Unknown keys are ignored here and reported by the
    caller's validation of the edit before it was published.
    """
    result: Documents = copy.deepcopy(documents)
    for (kind, key), body in overrides.items():
        if body is None:
            continue
        for _name, data in result:
            if not isinstance(data, dict):
                continue
            if kind == FACT and isinstance(data.get("facts"), dict) and key in data["facts"]:
                data["facts"][key] = copy.deepcopy(body)
            if kind == ANSWER and isinstance(data.get("answers"), dict):
                intent, _, variant_key = key.partition("/")
                entry = data["answers"].get(intent)
                if isinstance(entry, dict):
                    _replace_variant(entry, variant_key, body)
    return result


def _replace_variant(entry: dict[str, Any], variant_key: str, body: dict[str, Any]) -> None:
    if variant_key == "default":
        entry["default"] = copy.deepcopy(body)
        return
    for index, variant in enumerate(entry.get("variants") or []):
        if _variant_key(variant) == variant_key:
            entry["variants"][index] = copy.deepcopy(body)


def _variant_key(variant: Mapping[str, Any]) -> str:
    group = variant.get("target_group")
    if group:
        groups = [group] if isinstance(group, str) else list(group)
        return "target_group=" + "|".join(groups)
    if variant.get("commune"):
        return f"commune={variant['commune']}"
    return "default"


async def latest_overrides(session: AsyncSession) -> dict[tuple[str, str], Override]:
    """The newest version of every edited fact and answer."""
    newest = (
        select(func.max(KnowledgeVersion.id))
        .group_by(KnowledgeVersion.kind, KnowledgeVersion.key)
        .scalar_subquery()
    )
    rows = (
        await session.scalars(select(KnowledgeVersion).where(KnowledgeVersion.id.in_(newest)))
    ).all()
    return {(r.kind, r.key): Override(r.kind, r.key, r.body, r.id) for r in rows}


async def latest_version_id(session: AsyncSession) -> int:
    """The id of the newest version, 0 when nothing was ever published: the store's clock."""
    newest = await session.scalar(select(func.max(KnowledgeVersion.id)))
    return int(newest or 0)


class KnowledgeStore:
    """The seed YAML plus the published edits, rebuilt when a new version appears."""

    def __init__(
        self,
        database: Database | None,
        *,
        data_dir: str | Path | None = None,
        clock: Callable[[], dt.date] = today_local,
    ) -> None:
        self.database = database
        self.clock = clock
        self.seed, self.seed_checks = read_documents(data_dir)
        self._current = build_knowledge(self.seed, self.seed_checks, clock=clock)
        self.version = 0
        # The edits the current build has in place, by (kind, key).
        self.applied: dict[tuple[str, str], dict[str, Any] | None] = {}
        self._lock = asyncio.Lock()
        self._watcher: asyncio.Task[None] | None = None

    @property
    def current(self) -> KnowledgeBase:
        """The knowledge in force now (the seed until the first refresh finds edits)."""
        return self._current

    def build(self, overrides: Mapping[tuple[str, str], dict[str, Any] | None]) -> KnowledgeBase:
        """The knowledge with these overrides; raises KnowledgeError like the YAML loader."""
        documents = apply_overrides(self.seed, overrides)
        return build_knowledge(documents, self.seed_checks, today=self.clock(), clock=self.clock)

    async def refresh(self) -> bool:
        """Rebuild from the database when a new version was published; True if it changed."""
        if self.database is None:
            return False
        async with self._lock:
            async with self.database.transaction() as session:
                newest = await latest_version_id(session)
                if newest == self.version:
                    return False
                overrides = await latest_overrides(session)
            applied = {key: o.body for key, o in overrides.items()}
            try:
                built = self.build(applied)
            except KnowledgeError as error:
                log.error(
                    "knowledge version %d not served, keeping %d: %s", newest, self.version, error
                )
                return False
            self._current, self.version, self.applied = built, newest, applied
            log.info("knowledge now at version %d", newest)
            return True

    def live(self) -> LiveKnowledgeBase:
        """A KnowledgeBase that always answers from this store's current build."""
        return LiveKnowledgeBase(self)

    def watch(self, poll_seconds: float = 10.0) -> None:
        """Refresh every `poll_seconds` in the background (edits made by another process)."""
        if self._watcher is None or self._watcher.done():
            self._watcher = asyncio.create_task(self._poll(poll_seconds))

    async def close(self) -> None:
        """Stop the background refresh."""
        if self._watcher is not None:
            self._watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watcher
            self._watcher = None

    async def _poll(self, poll_seconds: float) -> None:
        while True:
            await asyncio.sleep(poll_seconds)
            try:
                await self.refresh()
            except Exception:  # a database hiccup must not stop answering
                log.exception("knowledge refresh failed; answering from version %d", self.version)


class LiveKnowledgeBase(KnowledgeBase):
    """The store's current knowledge, read afresh on every call (no restart after an edit)."""

    def __init__(self, store: KnowledgeStore) -> None:
        current = store.current
        super().__init__(
            current.entries, current.communes, current.checks, current.facts, clock=store.clock
        )
        self.store = store

    def _snapshot(self) -> KnowledgeBase:
        return self.store.current


async def open_live_knowledge(
    database: Database, *, poll_seconds: float = 10.0
) -> LiveKnowledgeBase:
    """The bot's knowledge at start-up: seed + published edits, refreshed in the background.

    A bad seed YAML still stops start-up (KnowledgeError), as `load_knowledge()` did.
    """
    store = KnowledgeStore(database)
    await store.refresh()
    store.watch(poll_seconds)
    return store.live()
