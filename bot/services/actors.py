"""Who made a change: a citizen, a staff member or the system itself.

Stored as a short string (`staff:lan`, `citizen:42`, `system:dispatcher`) in registration
history and the audit log; only staff changes go to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ActorKind = Literal["citizen", "staff", "system"]


@dataclass(frozen=True)
class Actor:
    kind: ActorKind
    name: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.name}"

    @property
    def is_staff(self) -> bool:
        return self.kind == "staff"


def staff(login: str) -> Actor:
    """A dashboard user, by login name."""
    if not login:
        raise ValueError("staff login must not be empty")
    return Actor("staff", login)


def citizen_actor(citizen_id: int) -> Actor:
    """The citizen acting for themselves (by internal id, never by name or phone)."""
    return Actor("citizen", str(citizen_id))
