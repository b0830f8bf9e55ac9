"""Benchmark: the staff registrations page (and its exports) on 10,000 registrations.

    .venv/bin/python bench/dashboard_registrations.py [--rows 10000] [--runs 15] [--postgres URL]

Builds a fresh database (a temporary SQLite file, or a fresh schema on PostgreSQL), migrated
by Alembic, with `--rows` citizens each registered for one of 8 events over the last 12 weeks
in every status, both communes and a mix of target groups. Then, through the real dashboard
app (httpx over ASGI, signed in as an admin, so the full request path: session check, CSRF
token, SQL, Jinja rendering), it times the page with the filters and sorts staff use, and the
XLSX/CSV exports of every row. Prints the median and 95th percentile per case in
milliseconds; the last line is one JSON object with all figures. Target: every page case
median < 150 ms on a laptop.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

import httpx  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402
from starlette.applications import Starlette  # noqa: E402
from starlette.routing import Mount  # noqa: E402

from bot.dashboard import create_dashboard_app  # noqa: E402
from bot.db.engine import Database, open_database  # noqa: E402
from bot.db.enums import EventKind, EventStatus, RegistrationStatus, StaffRole  # noqa: E402
from bot.db.migrate import upgrade  # noqa: E402
from bot.db.models import Citizen, Event, Registration  # noqa: E402
from bot.services import staff  # noqa: E402
from bot.services.actors import staff as staff_actor  # noqa: E402
from bot.services.clock import utcnow  # noqa: E402
from bot.services.communes import DAM_HA, QUANG_TAN  # noqa: E402
from bot.settings import Settings  # noqa: E402

PASSWORD = "bench-mat-khau-dai"
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Đức", "Ngọc", "Minh", "Thu"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hương", "Lan", "Nam", "Phúc", "Quang", "Tâm"]
GROUPS = ["youth", "woman", "unemployed", "poor_household", "disabled", "elderly"]
STATUSES = [
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.PENDING,
    RegistrationStatus.ATTENDED,
    RegistrationStatus.NO_SHOW,
    RegistrationStatus.CANCELLED,
    RegistrationStatus.REJECTED,
]


async def seed(db: Database, rows: int) -> None:
    rng = random.Random(20250901)
    now = utcnow()
    async with db.transaction() as session:
        events = [
            Event(
                kind=EventKind.VOCATIONAL_CLASS if i % 2 else EventKind.JOB_FAIR,
                title=f"Sự kiện số {i + 1}",
                starts_at=now + timedelta(days=10 + i),
                ends_at=now + timedelta(days=10 + i, hours=3),
                registration_deadline=now + timedelta(days=9 + i),
                capacity=None,
                status=EventStatus.OPEN,
            )
            for i in range(8)
        ]
        session.add_all(events)
        await session.flush()
        citizens = [
            {
                "telegram_user_id": 800_000_000 + n,
                "full_name": f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)} {n}",
                "phone": f"+8491{n:07d}",
                "birth_year": rng.randint(1950, 2006),
                "commune": rng.choice((DAM_HA, QUANG_TAN)),
                "target_groups": rng.sample(GROUPS, rng.randint(0, 2)),
                "consent_at": now,
                "consent_text_version": "bench",
                "created_at": now,
                "updated_at": now,
            }
            for n in range(rows)
        ]
        await session.execute(insert(Citizen), citizens)
        ids = (await session.scalars(select(Citizen.id).order_by(Citizen.id))).all()
        registrations = []
        for citizen_id in ids:
            created = now - timedelta(minutes=rng.randint(0, 12 * 7 * 24 * 60))
            registrations.append(
                {
                    "citizen_id": citizen_id,
                    "event_id": rng.choice(events).id,
                    "status": rng.choice(STATUSES),
                    "created_at": created,
                    "status_changed_at": created,
                    "status_changed_by": "bench",
                }
            )
        await session.execute(insert(Registration), registrations)
        await staff.create_staff(
            session=session, login="bench", full_name="Bench Admin", password=PASSWORD,
            role=StaffRole.ADMIN, commune=None, actor=staff_actor("bench"),
        )  # fmt: skip


CASES: dict[str, str] = {
    "default (newest first, 50 rows)": "/registrations",
    "filter commune + status": "/registrations?commune=dam_ha&status=confirmed",
    "filter event + target group": "/registrations?event=3&group=youth",
    "search by name": "/registrations?q=Hương",
    "search by phone": "/registrations?q=0910004321",
    "sort by name, page 40": "/registrations?sort=name&dir=asc&page=40",
    "date range, 200 rows": "/registrations?from=2000-01-01&to=2100-01-01&per_page=200",
    "export XLSX (all rows)": "/registrations/export.xlsx",
    "export CSV (all rows)": "/registrations/export.csv",
}


async def measure(url: str, rows: int, runs: int) -> dict[str, dict[str, float]]:
    db = open_database(url)
    try:
        await seed(db, rows)
        settings = Settings(dashboard_secret_key="b" * 48, telegram_bot_token=None)
        web = Starlette(
            routes=[Mount("/staff", app=create_dashboard_app(db=db, settings=settings))]
        )
        transport = httpx.ASGITransport(app=web)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
            page = await http.get("/staff/login")
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
            assert token is not None
            login = {"csrf_token": token[1], "login": "bench", "password": PASSWORD}
            assert (await http.post("/staff/login", data=login)).status_code == 303
            results: dict[str, dict[str, float]] = {}
            for name, path in CASES.items():
                timings = []
                repeat = runs if "export" not in name else max(3, runs // 3)
                for _ in range(repeat + 1):  # the first run warms caches; not counted
                    started = time.perf_counter()
                    response = await http.get("/staff" + path)
                    timings.append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 200, (path, response.status_code)
                timings = sorted(timings[1:])
                results[name] = {
                    "median_ms": round(statistics.median(timings), 1),
                    "p95_ms": round(timings[min(len(timings) - 1, int(len(timings) * 0.95))], 1),
                    "bytes": len(response.content),
                }
                print(
                    f"{name:<34} median {results[name]['median_ms']:>7.1f} ms   "
                    f"p95 {results[name]['p95_ms']:>7.1f} ms   {len(response.content):>9} bytes"
                )
            return results
    finally:
        await db.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--postgres", help="PostgreSQL URL; a fresh schema is created and dropped")
    args = parser.parse_args()
    if args.postgres:
        from tests.support.postgres import create_postgres_schema, drop_postgres_schema

        schema, url = create_postgres_schema(args.postgres)
        backend = "postgresql"
    else:
        directory = tempfile.mkdtemp(prefix="bench-dashboard-")
        url = f"sqlite:///{Path(directory) / 'bench.sqlite3'}"
        backend = "sqlite"
    try:
        await upgrade(url)
        print(f"{backend}: {args.rows} registrations, {args.runs} runs per case")
        results = await measure(url, args.rows, args.runs)
    finally:
        if args.postgres:
            drop_postgres_schema(args.postgres, schema)
    pages = [v["median_ms"] for k, v in results.items() if "export" not in k]
    print(
        json.dumps(
            {
                "bench": "dashboard_registrations",
                "backend": backend,
                "rows": args.rows,
                "runs": args.runs,
                "worst_page_median_ms": max(pages),
                "cases": results,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
