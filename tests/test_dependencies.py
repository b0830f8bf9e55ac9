"""Declared dependencies equal imports: pyproject's [project] dependencies against the code.

A third-party package the product imports but does not declare works only by accident (it
came in with something else) and breaks on the next upgrade of that something; a declared one
nobody imports is weight every install carries (fastapi was such a case). The product is
`bot/` plus the Bot API stand-in (`telegram_standin/`, imported by the composition root in
sandbox mode); both ship in this distribution.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCT_PACKAGES = ("bot", "telegram_standin")
FIRST_PARTY = {"bot", "nlu", "telegram_standin"}

# Distributions whose import name is not their normalised distribution name.
MODULE_OF = {
    "python-telegram-bot": "telegram",
    "argon2-cffi": "argon2",
    "pyyaml": "yaml",
    "pydantic-settings": "pydantic_settings",
}

# Declared, never imported by name, and still needed at run time.
RUNTIME_ONLY = {
    "psycopg": "the PostgreSQL driver SQLAlchemy loads for DATABASE_URL=postgresql://…",
    "aiosqlite": "the SQLite driver SQLAlchemy's async engine loads for sqlite:// URLs",
    "python-multipart": "Starlette needs it to parse the dashboard's forms (request.form())",
}


def _distribution(requirement: str) -> str:
    """`SQLAlchemy[asyncio]>=2.0,<2.1` -> `sqlalchemy` (PEP 503 normalised, no extras)."""
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    assert match, f"unparsable requirement {requirement!r}"
    return re.sub(r"[-_.]+", "-", match.group(1)).lower()


def declared_distributions(pyproject: Path = ROOT / "pyproject.toml") -> set[str]:
    with pyproject.open("rb") as handle:
        project = tomllib.load(handle)["project"]
    return {_distribution(requirement) for requirement in project["dependencies"]}


def module_name(distribution: str) -> str:
    return MODULE_OF.get(distribution, distribution.replace("-", "_"))


def third_party_imports(packages: tuple[str, ...] = PRODUCT_PACKAGES) -> dict[str, set[str]]:
    """Top-level module name -> the files importing it (absolute imports only)."""
    found: dict[str, set[str]] = {}
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top in sys.stdlib_module_names or top in FIRST_PARTY:
                        continue
                    found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_third_party_import_is_declared() -> None:
    declared_modules = {module_name(d) for d in declared_distributions()}
    undeclared = {
        module: sorted(files)[:3]
        for module, files in third_party_imports().items()
        if module not in declared_modules
    }
    assert not undeclared, f"imported but not in [project] dependencies: {undeclared}"


def test_every_declared_dependency_is_imported() -> None:
    imported = set(third_party_imports())
    unused = sorted(
        distribution
        for distribution in declared_distributions()
        if module_name(distribution) not in imported and distribution not in RUNTIME_ONLY
    )
    assert not unused, (
        f"declared in pyproject but never imported: {unused}; remove them, or add them to "
        "RUNTIME_ONLY with the reason they are needed"
    )


def test_runtime_only_entries_are_declared_and_really_not_imported() -> None:
    declared = declared_distributions()
    imported = set(third_party_imports())
    stale = sorted(d for d in RUNTIME_ONLY if d not in declared or module_name(d) in imported)
    assert not stale, f"RUNTIME_ONLY entries to drop (undeclared or now imported): {stale}"


def test_the_check_sees_a_missing_and_a_surplus_dependency(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[project]\nname = "x"\ndependencies = ["fastapi>=0.110", "SQLAlchemy[asyncio]>=2"]\n'
    )
    declared = {module_name(d) for d in declared_distributions(pyproject)}
    assert declared == {"fastapi", "sqlalchemy"}
    imported = set(third_party_imports())
    assert "fastapi" not in imported  # declared here, imported nowhere: a surplus
    assert "starlette" in imported - declared  # imported, not declared here: missing
