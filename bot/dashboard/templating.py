"""Jinja2 environment of the dashboard: autoescaping on, local times, names of codes.

Filters turn stored values into what staff read: UTC times into Asia/Ho_Chi_Minh, codes into
Vietnamese names from bot.texts.dashboard, +84 numbers into 0912 345 678.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from bot.services.clock import to_local
from bot.services.phones import format_phone_local
from bot.texts import dashboard as t

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


def local_datetime(value: datetime | None) -> str:
    return "" if value is None else to_local(value).strftime("%d/%m/%Y %H:%M")


def local_date(value: datetime | date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value).date()
    return value.strftime("%d/%m/%Y")


def input_datetime(value: datetime | None) -> str:
    """The value for an <input type="datetime-local"> (local wall clock)."""
    return "" if value is None else to_local(value).strftime("%Y-%m-%dT%H:%M")


def phone(value: str | None) -> str:
    if not value:
        return ""
    try:
        return format_phone_local(value)
    except ValueError:
        return value


def percent(value: float | None) -> str:
    return t.NONE if value is None else f"{value * 100:.0f} %"


def commune_name(code: str | None) -> str:
    return t.COMMUNES.get(code or "", t.NO_COMMUNE)


def build_environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html", "svg"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(
        {
            "dt": local_datetime,
            "d": local_date,
            "dt_input": input_datetime,
            "phone": phone,
            "pct": percent,
            "commune": commune_name,
            "reg_status": lambda code: t.REGISTRATION_STATUSES.get(str(code), str(code)),
            "event_status": lambda code: t.EVENT_STATUSES.get(str(code), str(code)),
            "kind": lambda code: t.EVENT_KINDS.get(str(code), str(code)),
            "group": lambda code: t.TARGET_GROUPS.get(str(code), str(code)),
            "intent": lambda code: t.INTENTS.get(str(code), str(code)),
            "role": lambda code: t.ROLES.get(str(code), str(code)),
        }
    )
    # The audit page shows JSON snapshots: Vietnamese letters as themselves, not \u escapes.
    environment.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": True}
    environment.globals["t"] = t
    return environment
