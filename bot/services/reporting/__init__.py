"""Reading side of the desk for staff: the registrations table, exports and the overview.

A package rather than one module so that each part stays short: `registrations` (filters,
sorting, pages, all inside a commune scope), `exports` (CSV with BOM, XLSX), `export_pool`
(builds those files in a worker process, off the event loop's GIL), `overview`
(aggregates for the charts) and `desk` (scoped lookups around the existing use cases).
Nothing here changes data.
"""

from bot.services.reporting.desk import (
    AuditPage,
    CitizenLabel,
    Counters,
    audit_page,
    broadcast_audience,
    citizen_labels,
    counters,
    list_events,
    ticket_in_scope,
)
from bot.services.reporting.exports import (
    EXPORT_COLUMNS,
    ExportLabels,
    registrations_csv,
    registrations_xlsx,
)
from bot.services.reporting.overview import (
    GROUP_BYS,
    NONE,
    OTHER,
    EventStats,
    GroupBy,
    NluStats,
    WeeklySeries,
    event_stats,
    nlu_stats,
    overall_rates,
    weekly_registrations,
)
from bot.services.reporting.registrations import (
    ATTENDANCE_STATUSES,
    DEFAULT_PER_PAGE,
    DEFAULT_SORT,
    PER_PAGE_CHOICES,
    SORT_COLUMNS,
    Page,
    RegistrationFilter,
    RegistrationRow,
    attendance_rows,
    count_registrations,
    filtered_registrations,
    matching_ids,
    registration_in_scope,
    registration_page,
    registration_rows,
)

__all__ = [
    "ATTENDANCE_STATUSES",
    "DEFAULT_PER_PAGE",
    "DEFAULT_SORT",
    "EXPORT_COLUMNS",
    "GROUP_BYS",
    "NONE",
    "OTHER",
    "PER_PAGE_CHOICES",
    "SORT_COLUMNS",
    "AuditPage",
    "CitizenLabel",
    "Counters",
    "EventStats",
    "ExportLabels",
    "GroupBy",
    "NluStats",
    "Page",
    "RegistrationFilter",
    "RegistrationRow",
    "WeeklySeries",
    "attendance_rows",
    "audit_page",
    "broadcast_audience",
    "citizen_labels",
    "count_registrations",
    "counters",
    "event_stats",
    "filtered_registrations",
    "list_events",
    "matching_ids",
    "nlu_stats",
    "overall_rates",
    "registration_in_scope",
    "registration_page",
    "registration_rows",
    "registrations_csv",
    "registrations_xlsx",
    "ticket_in_scope",
    "weekly_registrations",
]
