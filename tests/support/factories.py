"""Factories and fakes for tests of anything built on the services (handlers, dashboard too).

`Factory` writes citizens and events in their own committed transactions with sensible
defaults (an open class a week from now, 10 seats); `FakeSender` is a `MessageSender` that
records what it would have sent and can be scripted to fail per chat; `debug_renderer` words
an outbox row as its template key and params, so outbox tests need no Vietnamese texts.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.db.engine import Database
from bot.db.enums import EventKind, EventStatus
from bot.db.models import Citizen, Event
from bot.outbox.queue import Button, RenderedMessage
from bot.services.clock import utcnow
from bot.services.registrations import RegistrationResult, register


class Factory:
    def __init__(self, db: Database, *, now: datetime | None = None) -> None:
        self.db = db
        self.now = (now or utcnow()).replace(microsecond=0)
        self._sequence = itertools.count(1)

    def _citizen(self, **overrides: Any) -> Citizen:
        n = next(self._sequence)
        values: dict[str, Any] = {
            "telegram_user_id": 700_000_000 + n,
            "full_name": f"Nguyễn Văn Thử {n}",
            "phone": f"+8491{n:07d}",
            "birth_year": 1980,
            "commune": "dam_ha",
            "target_groups": [],
            "consent_at": self.now - timedelta(days=1),
            "consent_text_version": "test-v1",
            "created_at": self.now,
            "updated_at": self.now,
        }
        values.update(overrides)
        return Citizen(**values)

    async def citizen(self, **overrides: Any) -> Citizen:
        return (await self.citizens(1, **overrides))[0]

    async def citizens(self, count: int, **overrides: Any) -> list[Citizen]:
        people = [self._citizen(**overrides) for _ in range(count)]
        async with self.db.transaction() as session:
            session.add_all(people)
        return people

    async def event(self, **overrides: Any) -> Event:
        starts_at = overrides.pop("starts_at", self.now + timedelta(days=7))
        values: dict[str, Any] = {
            "kind": EventKind.VOCATIONAL_CLASS,
            "title": "Lớp may công nghiệp",
            "organiser": "Trung tâm GDNN",
            "venue": "Nhà văn hoá xã Đầm Hà",
            "venue_map_url": "https://maps.example/dam-ha",
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(hours=3),
            "registration_deadline": starts_at - timedelta(days=1),
            "capacity": 10,
            "status": EventStatus.OPEN,
            "eligible_target_groups": [],
            "created_at": self.now,
            "updated_at": self.now,
        }
        values.update(overrides)
        event = Event(**values)
        async with self.db.transaction() as session:
            session.add(event)
        return event

    async def register(
        self, citizen: Citizen, event: Event, *, now: datetime | None = None
    ) -> RegistrationResult:
        """Run the `register` use case in its own transaction."""
        async with self.db.transaction() as session:
            loaded_citizen = await session.get_one(Citizen, citizen.id)
            loaded_event = await session.get_one(Event, event.id)
            return await register(
                session=session, citizen=loaded_citizen, event=loaded_event, now=now or self.now
            )


@dataclass
class SentMessage:
    chat_id: int
    text: str
    buttons: Sequence[Sequence[Button]]
    at: float
    message_id: int


@dataclass
class FakeSender:
    """Records sends; `failures[chat_id]` is a list of exceptions raised before succeeding."""

    sent: list[SentMessage] = field(default_factory=list)
    failures: dict[int, list[Exception]] = field(default_factory=dict)
    calls: int = 0

    async def send(
        self, *, chat_id: int, text: str, buttons: Sequence[Sequence[Button]] = ()
    ) -> int:
        self.calls += 1
        pending = self.failures.get(chat_id)
        if pending:
            raise pending.pop(0)
        message_id = len(self.sent) + 1
        self.sent.append(SentMessage(chat_id, text, buttons, time.monotonic(), message_id))
        return message_id


def debug_renderer(template: str, params: Mapping[str, Any]) -> RenderedMessage:
    """A language-neutral `Renderer` for tests and benchmarks: the key and the params."""
    return RenderedMessage(f"[{template}] {json.dumps(dict(params), ensure_ascii=False)}")
