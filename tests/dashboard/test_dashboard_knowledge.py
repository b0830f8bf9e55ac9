"""Knowledge pages over HTTP: who may edit what, validation like the YAML loader, versions,
audit and rollback, and the bot answering from the published version without a restart."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select
from starlette.applications import Starlette

from bot.db.engine import Database
from bot.db.models import AuditEntry, KnowledgeVersion
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.store import KnowledgeStore
from tests.dashboard.support import StaffClient

SEVERE = ("allowance_amount", {"target_group": "người khuyết tật"})


def fact_form(value: str = "750000", **extra: str) -> dict[str, str]:
    form = {
        "value": value,
        "valid_from": "2026-11-01",
        "grade": "S",
        "source_document": "Nghị quyết 99/2026/NQ-HĐND tỉnh Quảng Ninh",
        "source_date": "2026-10-20",
        "source_url": "",
        "checked_on": "2026-12-02",
    }
    form.update(extra)
    return form


async def preview_and_publish(staff: StaffClient, path: str, form: dict[str, str]) -> Any:
    preview = await staff.post(f"{path}/preview", form)
    assert preview.status_code == 200, preview.text
    signature = re.search(r'name="signature" value="([0-9a-f]+)"', preview.text)
    assert signature is not None
    return await staff.post(f"{path}/publish", {**form, "signature": signature.group(1)})


def live(dashboard: Starlette) -> KnowledgeBase:
    store: KnowledgeStore = dashboard.state.dashboard.knowledge
    return store.live()


async def test_admin_changes_the_quang_ninh_standard_and_the_bot_answers_with_it(
    signed_in: Any, dashboard: Starlette, db: Database
) -> None:
    bot_knowledge = live(dashboard)  # what the chat side holds since start-up
    assert "khoảng <b>1.050.000 đ</b>" in bot_knowledge.answer(*SEVERE).text
    admin = await signed_in("admin")
    page = await admin.get("/knowledge")
    assert page.status_code == 200 and "qn_standard" in page.text

    preview = await admin.post("/knowledge/facts/qn_standard/preview", fact_form())
    assert "khoảng <b>1.125.000 đ</b>" in preview.text  # 750.000 × 1,5, as Telegram shows it
    assert "khoảng <b>1.050.000 đ</b>" in bot_knowledge.answer(*SEVERE).text  # not yet

    published = await preview_and_publish(admin, "/knowledge/facts/qn_standard", fact_form())
    assert published.status_code == 303
    answer = bot_knowledge.answer(*SEVERE)
    assert "khoảng <b>1.125.000 đ</b>" in answer.text
    assert "Nghị quyết 99/2026/NQ-HĐND tỉnh Quảng Ninh" in answer.render_html()

    async with db.transaction() as session:
        entry = (
            await session.scalars(
                select(AuditEntry).where(AuditEntry.action == "knowledge_publish")
            )
        ).one()
    assert entry.actor == "staff:admin"
    assert entry.before is not None and entry.before["value"] == 700000
    assert entry.after is not None and entry.after["value"] == 750000

    async with db.transaction() as session:
        version = (await session.scalars(select(KnowledgeVersion))).one()
    rolled = await admin.post(f"/knowledge/versions/{version.id}/rollback", {})
    assert rolled.status_code == 303
    assert "khoảng <b>1.050.000 đ</b>" in bot_knowledge.answer(*SEVERE).text


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (fact_form(source_document=""), "Cần ghi văn bản nguồn"),
        (fact_form(checked_on="2099-01-01"), "Ngày kiểm tra không được ở tương lai"),
        (fact_form(value="bảy trăm"), "không phải là số"),
        (fact_form(valid_from="hôm qua"), "Ngày không hợp lệ"),
    ],
)
async def test_fact_edits_without_source_or_with_bad_values_are_refused(
    signed_in: Any, form: dict[str, str], message: str
) -> None:
    admin = await signed_in("admin")
    response = await admin.post("/knowledge/facts/qn_standard/preview", form)
    assert response.status_code == 422
    assert message in response.text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Người khuyết tật chắc chắn được 2 triệu đồng mỗi tháng, hỏi UBND xã.", "never promise"),
        ("Nguoi khuyet tat duoc tro cap hang thang, hoi UBND xa.", "without diacritics"),
        ("<b>Mức trợ cấp</b> " + "rất dài " * 200, "more than 900"),
        ("Mức {fact:khong_co} mỗi tháng ở Quảng Ninh.", "unknown fact"),
    ],
)
async def test_answer_edits_get_the_loaders_validation(
    signed_in: Any, text: str, message: str
) -> None:
    admin = await signed_in("admin")
    form = {
        "variant": "target_group=người khuyết tật",
        "text": text,
        "source_document": "Nghị định 20/2021/NĐ-CP",
        "source_date": "2021-03-15",
        "checked_on": "2026-12-02",
    }
    response = await admin.post("/knowledge/answers/allowance_amount/preview", form)
    assert response.status_code == 422
    assert message in response.text


async def test_officer_edits_only_their_communes_contact_answer(signed_in: Any) -> None:
    officer = await signed_in("canbo_dh")
    page = await officer.get("/knowledge")
    assert "commune=xã Đầm Hà" in page.text and "commune=xã Quảng Tân" not in page.text
    assert "qn_standard" not in page.text
    own = await officer.get(
        "/knowledge/answers/contact_office", params={"variant": "commune=xã Đầm Hà"}
    )
    assert own.status_code == 200
    other = await officer.get(
        "/knowledge/answers/contact_office", params={"variant": "commune=xã Quảng Tân"}
    )
    assert other.status_code == 403
    assert (await officer.get("/knowledge/facts/qn_standard")).status_code == 403
    viewer = await signed_in("xem")
    assert (await viewer.get("/knowledge")).status_code == 403


async def test_publish_refuses_what_was_not_previewed(signed_in: Any) -> None:
    admin = await signed_in("admin")
    response = await admin.post(
        "/knowledge/facts/qn_standard/publish", {**fact_form(), "signature": "0" * 64}
    )
    assert response.status_code == 409


async def test_export_carries_the_published_value(signed_in: Any) -> None:
    admin = await signed_in("admin")
    await preview_and_publish(admin, "/knowledge/facts/qn_standard", fact_form())
    export = await admin.get("/knowledge/export.yml")
    assert export.status_code == 200
    assert "value: 750000" in export.text and "Nghị quyết 99/2026/NQ-HĐND" in export.text
