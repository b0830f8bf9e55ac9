"""Problems found in knowledge files, and the one exception that reports them all.

Shared by the answers loader and the eligibility rules so both report mistakes the same way:
`file: field: what is wrong`, every problem at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one file, at one field."""

    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.message}"


class KnowledgeError(ValueError):
    """The knowledge base is invalid; `problems` lists every mistake found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(f"knowledge base is invalid ({len(self.problems)} problem(s)):\n{lines}")


def read_yaml(path: Path, name: str) -> tuple[Any, list[Problem]]:
    """The parsed YAML of `path`, or the syntax problem with its line number."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")), []
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "(file)"
        return None, [Problem(name, where, f"invalid YAML: {error}")]
    except (OSError, UnicodeDecodeError) as error:
        return None, [Problem(name, "(file)", f"cannot read: {error}")]


def validation_problems(file: str, prefix: str, error: ValidationError) -> list[Problem]:
    """Pydantic errors as problems with dotted field paths ('answers.greet.default.text')."""
    problems = []
    for item in error.errors():
        path = prefix
        for part in item["loc"]:
            path += f"[{part}]" if isinstance(part, int) else f".{part}"
        message = str(item["msg"]).removeprefix("Value error, ")
        problems.append(Problem(file, path.lstrip(".") or "(top level)", message))
    return problems


def validate_model(
    model: type[BaseModel], data: Any, *, file: str, prefix: str, context: Mapping[str, Any]
) -> tuple[Any, list[Problem]]:
    """`model.model_validate` that reports problems instead of raising."""
    try:
        return model.model_validate(data, context=dict(context)), []
    except ValidationError as error:
        return None, validation_problems(file, prefix, error)
