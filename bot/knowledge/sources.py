"""Source documents and the small strict models every knowledge file builds on.

Kept apart from `base` (answers) so that dated facts (`facts`) and eligibility rules can use
them without importing each other.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from bot.knowledge.checks import format_vn_date

# Sources shown on the "Nguồn:" line; the rest stay in the data for staff.
MAX_SOURCES_SHOWN = 3


def to_date(value: Any) -> dt.date:
    """An ISO date (YYYY-MM-DD) from YAML (`date` objects) or text; anything else raises."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"must be an ISO date like 2026-11-29, got {value!r}")


def parse_iso_date(value: Any, info: ValidationInfo) -> dt.date:
    """An ISO date (YYYY-MM-DD) that is not in the future; YAML gives `date` objects."""
    day = to_date(value)
    today = (info.context or {}).get("today")
    if isinstance(today, dt.date) and day > today:
        raise ValueError(f"{day.isoformat()} is in the future (today is {today.isoformat()})")
    return day


class StrictModel(BaseModel):
    """Unknown keys are typos: refuse them instead of ignoring them."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Source(StrictModel):
    """A document an answer rests on; `date` is the document's date, `note` any reservation."""

    document: str = Field(min_length=3)
    date: dt.date | None = None
    url: str | None = None
    note: str | None = None

    @field_validator("date", mode="before")
    @classmethod
    def _iso_date(cls, value: Any, info: ValidationInfo) -> dt.date | None:
        return None if value is None else parse_iso_date(value, info)

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError(f"must start with http:// or https://, got {value!r}")
        return value

    @model_validator(mode="after")
    def _dated_or_explained(self) -> Source:
        if self.date is None and not self.note:
            raise ValueError(f"{self.document!r}: give its date, or a note saying why not")
        return self

    def label(self) -> str:
        """How the citizen sees it: 'Nghị định 20/2021/NĐ-CP (15/03/2021)'."""
        if self.date is None:
            return self.document
        return f"{self.document} ({format_vn_date(self.date)})"


def sources_line(sources: Sequence[Source], reviewed_on: dt.date) -> str:
    """The short line citizens see under an answer or a verdict; '' when there are no sources."""
    if not sources:
        return ""
    shown = [html.escape(s.label(), quote=False) for s in sources[:MAX_SOURCES_SHOWN]]
    hidden = len(sources) - len(shown)
    more = f" và {hidden} nguồn khác" if hidden > 0 else ""
    return f"Nguồn: {'; '.join(shown)}{more} · cập nhật {format_vn_date(reviewed_on)}"
