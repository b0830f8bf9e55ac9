"""Whatever arrives in a query string, a form or a path, the dashboard answers 2xx/3xx/4xx.

Property-based (Hypothesis): every route, GET and POST, signed in as an admin (who reaches
every view), with parameters drawn from what broke it before: huge ids, "²" (a digit to
`str.isdigit` but not to `int`), NUL bytes, extreme dates, very long and non-ASCII text.
Both databases: PostgreSQL refuses NUL bytes and 64-bit ids where SQLite does not.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette
from starlette.routing import Route

from tests.dashboard.support import StaffClient

pytestmark = pytest.mark.usefixtures("accounts")

NASTY = st.one_of(
    st.sampled_from(
        [
            "²",
            "¹²³",
            "٣",
            "-1",
            "0",
            "+5",
            "1e9",
            " 7",
            "99999999999999999999",
            "2147483648",
            "-2147483649",
            "9" * 400,
            "\x00",
            "a\x00b",
            "1\x00",
            "9999-12-31",
            "0001-01-01",
            "10000-01-01",
            "2026-02-30",
            "2026-13-01",
            "9999-12-31T23:59",
            "0001-01-01T00:00",
            "",
            " ",
            "null",
            "[]",
            "{}",
            "%00",
            "../../etc/passwd",
            "<script>",
            "ĐẦM HÀ",
            "dam_ha",
            "pending",
            "asc",
        ]
    ),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(max_size=60),
)
QUERY_NAMES = [
    "page",
    "per_page",
    "event",
    "status",
    "commune",
    "group",
    "from",
    "to",
    "q",
    "sort",
    "dir",
    "next",
    "by",
    "actor",
    "entity",
    "topic",
    "days",
    "since",
]
FORM_NAMES = [
    "intent",
    "text",
    "ids",
    "id",
    "action",
    "status",
    "event",
    "event_id",
    "audience",
    "starts_at",
    "ends_at",
    "registration_deadline",
    "capacity",
    "title",
    "kind",
    "venue",
    "description",
    "organiser",
    "what_to_bring",
    "groups",
    "back",
    "login",
    "password",
    "next",
    "reason",
    "topic",
    "commune",
    "reminder_offsets",
    "requires_approval",
    "confirm",
]
PARAM = re.compile(r"\{(\w+):int\}")


def _routes(app: Starlette, method: str) -> list[str]:
    return [
        route.path
        for route in app.routes
        if isinstance(route, Route) and route.methods and method in route.methods
    ]


def _fill(path: str, value: str) -> str:
    return PARAM.sub(value, path)


async def _failures(call: Any, cases: list[tuple[str, Any]]) -> list[str]:
    """Every case answered 500 or raising, with the reason (all of them, not just the first)."""
    failed = []
    for path, data in cases:
        try:
            response = await call(path, data)
        except Exception as error:  # the app raised instead of answering
            failed.append(f"{path} {data!r}: {type(error).__name__}: {str(error)[:120]}")
            continue
        if response.status_code >= 500:
            failed.append(f"{path} {data!r}: HTTP {response.status_code}")
    return failed


@pytest.mark.filterwarnings("ignore::hypothesis.errors.NonInteractiveExampleWarning")
async def test_get_routes_never_answer_500(signed_in, dashboard: Starlette) -> None:  # type: ignore[no-untyped-def]
    admin: StaffClient = await signed_in("admin")
    paths = _routes(dashboard, "GET")
    ids = st.one_of(
        st.sampled_from(["1", "0", "2147483648", "99999999999999999999"]),
        st.integers(min_value=0, max_value=2**80).map(str),
    )

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        path=st.sampled_from(paths),
        path_id=ids,
        query=st.dictionaries(st.sampled_from(QUERY_NAMES), NASTY, max_size=5),
    )
    def check(path: str, path_id: str, query: dict[str, str]) -> None:
        examples.append((_fill(path, path_id), query))

    # The inputs that gave 500s before, on every route, besides what Hypothesis draws.
    examples: list[tuple[str, dict[str, str]]] = [
        (_fill(path, "99999999999999999999"), {}) for path in paths
    ] + [
        (_fill(path, "1"), dict.fromkeys(QUERY_NAMES, value))
        for path in paths
        for value in ("²", "99999999999999999999", "a\x00b", "10000-01-01", "0001-01-01")
    ]
    check()
    assert await _failures(lambda p, q: admin.get(p, params=q), examples) == []


async def test_post_routes_never_answer_500(signed_in, dashboard: Starlette) -> None:  # type: ignore[no-untyped-def]
    admin: StaffClient = await signed_in("admin")
    await admin.get("/overview")
    paths = [p for p in _routes(dashboard, "POST") if p not in ("/logout",)]
    examples: list[tuple[str, dict[str, Any]]] = []

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        path=st.sampled_from(paths),
        path_id=st.sampled_from(["1", "2147483648", "99999999999999999999"]),
        form=st.dictionaries(
            st.sampled_from(FORM_NAMES), st.one_of(NASTY, st.lists(NASTY, max_size=3)), max_size=8
        ),
    )
    def check(path: str, path_id: str, form: dict[str, Any]) -> None:
        examples.append((_fill(path, path_id), form))

    examples += [
        (_fill(path, "1"), dict.fromkeys(FORM_NAMES, value))
        for path in paths
        for value in (
            "²",
            "99999999999999999999",
            "a\x00b",
            "0001-01-01T00:00",
            "9999-12-31T23:59",
            "-5",
        )
    ]
    check()
    assert await _failures(admin.post, examples) == []
