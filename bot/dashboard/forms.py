"""Reading what staff typed: query strings of the table, event forms, local dates and times.

Staff type wall-clock times in Đầm Hà; they are converted to aware UTC here, at the edge, and
every text is NFC-normalised once, so the services only ever see clean values.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from starlette.datastructures import QueryParams

from bot.db.enums import EventKind, RegistrationStatus
from bot.db.models import Event
from bot.services.citizens import TARGET_GROUPS
from bot.services.clock import LOCAL_TZ
from bot.services.communes import COMMUNES
from bot.services.events import EventChanges, EventDraft
from bot.services.reporting import (
    DEFAULT_PER_PAGE,
    DEFAULT_SORT,
    PER_PAGE_CHOICES,
    SORT_COLUMNS,
    RegistrationFilter,
)
from bot.texts import dashboard as t

_KIND_CODES = frozenset(kind.value for kind in EventKind)
_STATUS_CODES = frozenset(status.value for status in RegistrationStatus)


class FormProblem(ValueError):
    """A field staff must correct; the message is already in Vietnamese."""


class FilterProblem(FormProblem):
    """A filter value of a list (query string) that the list does not know."""


#: Query parameters the registrations table and its exports understand.
_TABLE_PARAMS = frozenset(
    {"event", "commune", "status", "group", "from", "to", "q", "sort", "dir", "page", "per_page"}
)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


#: Largest id or count read from a form: ids are 32-bit columns.
MAX_INT = 2**31 - 1


def _int(value: str | None) -> int | None:
    """A non-negative ASCII integer that fits the database, else None ("²" is no number)."""
    if not value or not value.isascii() or not value.isdigit() or len(value) > 10:
        return None
    number = int(value)
    return number if number <= MAX_INT else None


#: Dates a filter may name; beyond them (year 1 or 9999) the UTC conversion overflows.
MIN_DATE, MAX_DATE = date(1900, 1, 1), date(2200, 12, 31)


def _date(value: str | None) -> date | None:
    try:
        parsed = date.fromisoformat(value) if value else None
    except ValueError:
        return None
    return parsed if parsed is not None and MIN_DATE <= parsed <= MAX_DATE else None


def local_datetime(value: str, field: str) -> datetime:
    """`2025-09-01T08:30` (an <input type="datetime-local">) in Đầm Hà time, as aware."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise FormProblem(t.EVENT_INVALID_TIME.format(field=t.EVENT_FIELDS[field])) from None
    if parsed.tzinfo is not None:
        return parsed
    return parsed.replace(tzinfo=LOCAL_TZ)


@dataclass(frozen=True)
class TableQuery:
    """The registrations table as the query string describes it."""

    filters: RegistrationFilter
    sort: str
    descending: bool
    page: int
    per_page: int

    def params(self, **overrides: Any) -> dict[str, Any]:
        """Query parameters that reproduce this view (with some changed)."""
        f = self.filters
        values: dict[str, Any] = {
            "event": f.event_id,
            "commune": f.commune,
            "status": f.statuses[0].value if len(f.statuses) == 1 else None,
            "group": f.target_group,
            "from": f.registered_from.isoformat() if f.registered_from else None,
            "to": f.registered_to.isoformat() if f.registered_to else None,
            "q": f.search or None,
            "sort": self.sort if self.sort != DEFAULT_SORT else None,
            "dir": None if self.descending else "asc",
            "page": self.page if self.page > 1 else None,
            "per_page": self.per_page if self.per_page != DEFAULT_PER_PAGE else None,
        }
        values.update(overrides)
        return {key: value for key, value in values.items() if value not in (None, "")}


def _choice(query: QueryParams | Mapping[str, str], name: str, allowed: Any) -> str | None:
    """The parameter if it is one of `allowed`, None if absent; FilterProblem otherwise."""
    value = (query.get(name) or "").strip()
    if not value:
        return None
    if value not in allowed:
        raise FilterProblem(t.FILTER_INVALID.format(field=t.FILTER_NAMES[name], value=value))
    return value


def _positive(query: QueryParams | Mapping[str, str], name: str) -> int | None:
    value = (query.get(name) or "").strip()
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise FilterProblem(t.FILTER_INVALID.format(field=t.FILTER_NAMES[name], value=value))
    return int(value)


def _filter_date(query: QueryParams | Mapping[str, str], name: str) -> date | None:
    value = (query.get(name) or "").strip()
    if not value:
        return None
    parsed = _date(value)
    if parsed is None:
        raise FilterProblem(t.FILTER_INVALID.format(field=t.FILTER_NAMES[name], value=value))
    return parsed


def table_query(query: QueryParams | Mapping[str, str]) -> TableQuery:
    """The table as the query string asks, or FilterProblem naming the first wrong value.

    A value the table does not know (`status=PENDING`, `commune=hanoi`) is refused rather than
    ignored: ignoring it would show, and export, more rows than the link says.
    """
    unknown = sorted(set(query.keys()) - _TABLE_PARAMS)
    if unknown:
        raise FilterProblem(t.FILTER_UNKNOWN.format(name=unknown[0]))
    status = _choice(query, "status", _STATUS_CODES)
    per_page = _positive(query, "per_page")
    if per_page is not None and per_page not in PER_PAGE_CHOICES:
        raise FilterProblem(
            t.FILTER_INVALID.format(field=t.FILTER_NAMES["per_page"], value=per_page)
        )
    registered_from = _filter_date(query, "from")
    registered_to = _filter_date(query, "to")
    if registered_from and registered_to and registered_from > registered_to:
        raise FilterProblem(t.FILTER_DATES_REVERSED)
    filters = RegistrationFilter(
        event_id=_positive(query, "event"),
        commune=_choice(query, "commune", COMMUNES),
        statuses=(RegistrationStatus(status),) if status else (),
        target_group=_choice(query, "group", TARGET_GROUPS),
        registered_from=registered_from,
        registered_to=registered_to,
        search=nfc(query.get("q") or "")[:100],
    )
    return TableQuery(
        filters=filters,
        sort=_choice(query, "sort", SORT_COLUMNS) or DEFAULT_SORT,
        descending=_choice(query, "dir", ("asc", "desc")) != "asc",
        page=_positive(query, "page") or 1,
        per_page=per_page or DEFAULT_PER_PAGE,
    )


@dataclass(frozen=True)
class EventForm:
    """The event form's fields, as typed (for re-display after a refusal)."""

    values: dict[str, Any]

    def draft(self) -> EventDraft:
        v = self.values
        return EventDraft(
            kind=v["kind"],
            title=v["title"],
            starts_at=v["starts_at"],
            ends_at=v["ends_at"],
            registration_deadline=v["registration_deadline"],
            capacity=v["capacity"],
            description=v["description"],
            organiser=v["organiser"],
            venue=v["venue"],
            venue_map_url=v["venue_map_url"],
            requires_approval=v["requires_approval"],
            eligible_target_groups=v["eligible_target_groups"],
            what_to_bring=v["what_to_bring"],
        )

    def changes(self, current: Event) -> EventChanges:
        """Only the fields that differ from `current`, so an unchanged form changes nothing.

        The form shows times to the minute: a stored time with seconds that the form shows
        unchanged is not a change (otherwise saving would "move" the event and notify
        everyone).
        """
        changed: dict[str, Any] = {}
        for name in _EDITABLE:
            value = self.values[name]
            old = getattr(current, name)
            if isinstance(value, datetime):
                if value == old.replace(second=0, microsecond=0):
                    continue
            elif isinstance(value, tuple):
                if list(value) == sorted(old or ()):
                    continue
            elif value == old:
                continue
            changed[name] = value
        return EventChanges(**changed)


_EDITABLE = (
    "title",
    "description",
    "organiser",
    "venue",
    "venue_map_url",
    "starts_at",
    "ends_at",
    "registration_deadline",
    "capacity",
    "requires_approval",
    "eligible_target_groups",
    "what_to_bring",
)


def event_form(field: Any, fields: Any) -> EventForm:
    """Parse the event form (`field(name)` -> str, `fields(name)` -> list); FormProblem."""
    title = nfc(field("title"))
    if not title:
        raise FormProblem(t.EVENT_MISSING_TITLE)
    capacity_text = field("capacity")
    capacity = _int(capacity_text)
    if capacity_text and (capacity is None or capacity <= 0):
        raise FormProblem(t.EVENT_INVALID_CAPACITY)
    map_url = nfc(field("venue_map_url")) or None
    if map_url is not None and not map_url.startswith("https://"):
        raise FormProblem(t.EVENT_INVALID_URL)
    kind = field("kind")
    groups = tuple(sorted(g for g in fields("eligible_target_groups") if g in TARGET_GROUPS))
    values: dict[str, Any] = {
        "kind": EventKind(kind) if kind in _KIND_CODES else EventKind.VOCATIONAL_CLASS,
        "title": title[:200],
        "description": nfc(field("description")),
        "organiser": nfc(field("organiser"))[:200],
        "venue": nfc(field("venue"))[:300],
        "venue_map_url": map_url,
        "starts_at": local_datetime(field("starts_at"), "starts_at"),
        "ends_at": local_datetime(field("ends_at"), "ends_at"),
        "registration_deadline": local_datetime(
            field("registration_deadline"), "registration_deadline"
        ),
        "capacity": capacity,
        "requires_approval": field("requires_approval") == "1",
        "eligible_target_groups": groups,
        "what_to_bring": nfc(field("what_to_bring")),
    }
    return EventForm(values)
