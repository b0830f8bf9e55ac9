"""Secrets generated once on this machine and kept in var/ with mode 0600.

For a developer machine (and CI) nobody should have to invent a signing key or an API token;
a random one is written the first time and reused, so restarts keep working. The file is
created 0600 from the start (never world-readable, not even for an instant).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

MIN_LENGTH = 32


def read_or_create(path: Path, *, min_length: int = MIN_LENGTH) -> str:
    """The secret stored in `path`, or a new random one written there (0600)."""
    if path.exists():
        value = path.read_text(encoding="ascii").strip()
        if len(value) >= min_length:
            return value
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(value + "\n")
    os.chmod(path, 0o600)  # an older file with looser bits gets tightened too
    return value
