"""Shared fixtures: the shipped knowledge base, and a writable copy for broken-file tests."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.knowledge import KnowledgeBase, load_knowledge
from bot.knowledge.loader import DATA_DIR

TODAY = dt.date(2026, 11, 29)

Edit = Callable[[str, Callable[[dict[str, Any]], None]], Path]


@pytest.fixture(scope="session")
def today() -> dt.date:
    """The review date of the shipped data; tests load with it so results never drift."""
    return TODAY


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    """The knowledge base exactly as the bot loads it at start-up."""
    return load_knowledge(today=TODAY)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of bot/knowledge/data (answers only) that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("eligibility"))
    return target


@pytest.fixture
def edit(data_copy: Path) -> Edit:
    """edit("housing.yml", change) loads the file, applies `change`, writes it back."""

    def apply(name: str, change: Callable[[dict[str, Any]], None]) -> Path:
        path = data_copy / name
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return data_copy

    return apply
