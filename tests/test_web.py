"""The web app's edge: the webhook refuses bad bodies with 4xx, never 500; every response
(health, webhook, dashboard pages and files, 404 and 500 pages) carries security headers,
and HSTS when served over HTTPS."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Mapping
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from telegram.ext import Application

from bot.dashboard import create_dashboard_app
from bot.db.engine import Database
from bot.proxy import TrustedProxies
from bot.security_headers import SecurityPolicy
from bot.settings import Settings
from bot.web import SECRET_HEADER, SeenUpdates, WebhookEndpoint, create_web_app
from tests.support.databases import db, migrated_url

__all__ = ["db", "migrated_url"]

SECRET = "webhook-secret_0123"
HOOK = "/telegram/webhook"


async def _healthy() -> tuple[bool, Mapping[str, Any]]:
    return True, {"mode": "webhook"}


def _application() -> Any:
    return Application.builder().token("123456:TEST-token").updater(None).build()


def _web(policy: SecurityPolicy | None = None, mounts: dict[str, Any] | None = None) -> Starlette:
    endpoint = WebhookEndpoint(HOOK, SECRET, _application())
    return create_web_app(health=_healthy, webhook=endpoint, mounts=mounts, policy=policy)


@pytest.fixture
async def web() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=_web(), client=("10.0.0.5", 1234))
    async with httpx.AsyncClient(transport=transport, base_url="http://bot.test") as client:
        yield client


JSON_LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)
)
JSON_VALUES = st.recursive(
    JSON_LEAVES,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
UPDATE_KEYS = [
    "message",
    "edited_message",
    "callback_query",
    "my_chat_member",
    "chat",
    "from",
    "text",
    "date",
    "message_id",
    "data",
    "contact",
    "id",
]
UPDATES = st.fixed_dictionaries(
    {"update_id": st.one_of(st.integers(), JSON_VALUES)},
    optional={
        key: st.one_of(JSON_VALUES, st.dictionaries(st.sampled_from(UPDATE_KEYS), JSON_VALUES))
        for key in UPDATE_KEYS
    },
)


def _nested(depth: int) -> bytes:
    return ("[" * depth + "]" * depth).encode()


async def test_webhook_bodies_never_give_500(web: httpx.AsyncClient) -> None:
    bodies: list[bytes] = [
        _nested(100_000),
        ('{"update_id": 1, "message": ' + '{"a":' * 50_000 + "1" + "}" * 50_001).encode(),
        b"\x00\xff\xfe",
        b'"just a string"',
        b"[1, 2, 3]",
        b'{"update_id": "1"}',
        b'{"update_id": 1, "message": "not an object"}',
        b'{"update_id": 1, "message": {"chat": 5, "date": "yesterday"}}',
        b'{"update_id": 1e400}',
        b"{" * 10 + b"}",
    ]

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(update=UPDATES)
    def generate(update: dict[str, Any]) -> None:
        bodies.append(json.dumps(update).encode())

    generate()
    failures = []
    for body in bodies:
        response = await web.post(HOOK, content=body, headers={SECRET_HEADER: SECRET})
        if response.status_code >= 500:
            failures.append(body[:80])
    assert failures == []


async def test_a_well_formed_update_is_accepted_and_a_wrong_secret_refused(
    web: httpx.AsyncClient,
) -> None:
    update = {
        "update_id": 7,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": 5, "type": "private"},
            "text": "xin chào",
        },
    }
    ok = await web.post(HOOK, json=update, headers={SECRET_HEADER: SECRET})
    refused = await web.post(HOOK, json=update, headers={SECRET_HEADER: "wrong"})
    assert (ok.status_code, refused.status_code) == (200, 403)


SECURITY = (
    "content-security-policy",
    "x-content-type-options",
    "referrer-policy",
    "x-frame-options",
)


async def test_every_kind_of_response_carries_the_security_headers(db: Database) -> None:
    async def boom(request: Request) -> Response:
        raise RuntimeError("a bug")

    dashboard = create_dashboard_app(
        db=db, settings=Settings(dashboard_secret_key="k" * 48, telegram_bot_token=None)
    )
    app = _web(mounts={"/staff": dashboard, "/boom": Starlette(routes=[Route("/", boom)])})
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://bot.test") as client:
        responses = {
            "health": await client.get("/healthz"),
            "webhook refused": await client.post(HOOK, content=b"{}"),
            "unknown path": await client.get("/nothing-here"),
            "dashboard login": await client.get("/staff/login"),
            "dashboard 404": await client.get("/staff/no-such-page"),
            "static file": await client.get("/staff/static/dashboard.css"),
            "server error": await client.get("/boom/"),
        }
    assert responses["server error"].status_code == 500
    assert responses["static file"].status_code == 200
    for name, response in responses.items():
        missing = [h for h in SECURITY if h not in response.headers]
        assert missing == [], name
        assert response.headers["x-content-type-options"] == "nosniff", name
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"], name
        assert "strict-transport-security" not in response.headers, name  # plain http
    assert "script-src 'self'" in responses["static file"].headers["content-security-policy"]


async def test_hsts_when_the_public_url_is_https_or_a_trusted_proxy_says_so() -> None:
    configured = _web(SecurityPolicy(https_only=True))
    proxied = _web(SecurityPolicy(proxies=TrustedProxies.parse("127.0.0.1")))

    async def get(app: Starlette, peer: str, proto: str | None) -> httpx.Response:
        transport = httpx.ASGITransport(app=app, client=(peer, 1))
        headers = {"X-Forwarded-Proto": proto} if proto else {}
        async with httpx.AsyncClient(transport=transport, base_url="http://bot.test") as client:
            return await client.get("/healthz", headers=headers)

    assert (
        "max-age" in (await get(configured, "10.0.0.1", None)).headers["strict-transport-security"]
    )
    assert "strict-transport-security" in (await get(proxied, "127.0.0.1", "https")).headers
    spoofed = await get(proxied, "203.0.113.9", "https")  # not our proxy: header ignored
    assert "strict-transport-security" not in spoofed.headers
    plain = await get(proxied, "127.0.0.1", "http")
    assert "strict-transport-security" not in plain.headers


async def test_an_update_delivered_again_while_or_after_it_runs_is_not_run_twice() -> None:
    """Telegram redelivers when the answer is slow: "Đồng ý" or "/huy" must run once."""
    seen = SeenUpdates(capacity=2)
    runs: list[int] = []
    release = asyncio.Event()

    async def slow(update_id: int) -> None:
        runs.append(update_id)
        await release.wait()

    first = asyncio.create_task(seen.run_once(7, lambda: slow(7)))
    await asyncio.sleep(0)
    again = asyncio.create_task(seen.run_once(7, lambda: slow(7)))  # while the first runs
    await asyncio.sleep(0.01)
    assert not again.done()  # the redelivery is answered only once the update is processed
    release.set()
    assert await first is True and await again is False
    assert await seen.run_once(7, lambda: slow(7)) is False  # after it finished
    assert runs == [7]

    for other in (8, 9):  # remembers the last two ids only
        assert await seen.run_once(other, lambda o=other: slow(o)) is True
    assert await seen.run_once(7, lambda: slow(7)) is True
    assert runs == [7, 8, 9, 7]
