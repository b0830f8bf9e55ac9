"""Citizens' words stay in their commune, and every export leaves a trace in the audit log."""

from __future__ import annotations

from sqlalchemy import select

from bot.db.engine import Database
from bot.db.models import AuditEntry
from bot.services import nlu_review
from bot.services.clock import utcnow
from bot.services.communes import DAM_HA, QUANG_TAN
from tests.dashboard.support import Desk, StaffClient
from tests.support.factories import Factory


async def _review_items(db: Database, factory: Factory) -> dict[str, int]:
    ids = {}
    for commune, text in ((DAM_HA, "bà em ở Đầm Hà hỏi tiền"), (QUANG_TAN, "ông ở Quảng Tân")):
        author = await factory.citizen(commune=commune)
        async with db.transaction() as session:
            item = await nlu_review.log_message(
                session,
                text=text,
                predicted_intent="allowance_amount",
                confidence=0.3,
                ranking=[],
                reason="low_confidence",
                now=utcnow(),
                citizen=author,
            )
            await session.flush()
            ids[commune] = item.id
    return ids


async def test_officers_review_only_their_communes_messages_admins_all(
    signed_in, db: Database, factory: Factory
) -> None:  # type: ignore[no-untyped-def]
    ids = await _review_items(db, factory)
    dam_ha: StaffClient = await signed_in("canbo_dh")
    page = (await dam_ha.get("/nlu")).text
    assert "bà em ở Đầm Hà hỏi tiền" in page and "ông ở Quảng Tân" not in page
    refused = await dam_ha.post(f"/nlu/{ids[QUANG_TAN]}/label", {"intent": "greet"})
    assert refused.status_code == 404
    export = (await dam_ha.get("/nlu/export.yml")).text
    assert "Quảng Tân" not in export
    admin: StaffClient = await signed_in("admin")
    page = (await admin.get("/nlu")).text
    assert "bà em ở Đầm Hà hỏi tiền" in page and "ông ở Quảng Tân" in page


async def test_exports_are_audited_with_filter_scope_and_row_count(
    signed_in, desk: Desk, db: Database, factory: Factory
) -> None:  # type: ignore[no-untyped-def]
    officer: StaffClient = await signed_in("canbo_dh")
    response = await officer.get(
        "/registrations/export.csv", params={"status": "pending", "q": "Văn"}
    )
    assert response.status_code == 200
    admin: StaffClient = await signed_in("admin")
    assert (await admin.get("/registrations/export.xlsx")).status_code == 200
    await _review_items(db, factory)
    assert (await admin.get("/nlu/export.yml")).status_code == 200
    async with db.transaction() as session:
        entries = (
            await session.scalars(
                select(AuditEntry).where(AuditEntry.action.like("export.%")).order_by(AuditEntry.id)
            )
        ).all()
    csv_rows = len(response.content.decode("utf-8-sig").strip().splitlines()) - 1
    first, second, third = entries
    assert (first.actor, first.action) == ("staff:canbo_dh", "export.registrations")
    assert first.after is not None
    assert first.after["format"] == "csv" and first.after["scope"] == DAM_HA
    assert first.after["filters"]["statuses"] == ["pending"]
    assert first.after["filters"]["search"] == "Văn"
    assert first.after["rows"] == csv_rows == 2  # An and Cường, pending, in Đầm Hà
    assert second.after is not None
    assert (second.actor, second.after["rows"], second.after["scope"]) == ("staff:admin", 5, None)
    assert third.action == "export.nlu_review" and third.after is not None
    assert third.after["rows"] == 0  # nothing labelled yet
