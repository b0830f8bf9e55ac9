"""NLU review: unclear messages are kept for staff, labelled, exported as training data."""

from __future__ import annotations

from datetime import timedelta

import pytest
import yaml

from bot.db.engine import Database
from bot.services import nlu_review
from bot.services.clock import utcnow


async def _log(db: Database, text: str, **kwargs: object) -> int:
    async with db.transaction() as session:
        item = await nlu_review.log_message(
            session,
            text=text,
            predicted_intent=str(kwargs.get("intent", "allowance_amount")),
            confidence=0.31,
            ranking=[("allowance_amount", 0.31), ("allowance_eligibility", 0.29)],
            reason="low_confidence",
            now=kwargs.get("now", utcnow()),  # type: ignore[arg-type]
        )
        await session.flush()
        return item.id


async def test_labelled_items_export_as_rasa_yaml(db: Database) -> None:
    first = await _log(db, "bà tôi 85 tuổi [nhận] đc bn")
    second = await _log(db, "giá vàng hôm nay")
    await _log(db, "chưa ai xem câu này")
    async with db.transaction() as session:
        await nlu_review.label(
            session, item_id=first, intent="allowance_amount", staff_login="a", now=utcnow()
        )
        await nlu_review.label(session, item_id=second, intent=None, staff_login="a", now=utcnow())
        exported = await nlu_review.export_rasa_yaml(session)
        remaining = await nlu_review.pending(session)
    document = yaml.safe_load(exported.body)
    assert exported.rows == 2
    assert document["version"] == "3.1"
    by_intent = {block["intent"]: block["examples"] for block in document["nlu"]}
    assert by_intent["allowance_amount"].strip() == "- bà tôi 85 tuổi (nhận) đc bn"
    assert by_intent["out_of_scope"].strip() == "- giá vàng hôm nay"
    assert [item.text for item in remaining] == ["chưa ai xem câu này"]


async def test_label_must_be_a_contract_intent(db: Database) -> None:
    item_id = await _log(db, "abc")
    async with db.transaction() as session:
        with pytest.raises(nlu_review.UnknownIntent):
            await nlu_review.label(
                session, item_id=item_id, intent="weather", staff_login="a", now=utcnow()
            )


async def test_texts_are_erased_after_retention(db: Database) -> None:
    await _log(db, "tin nhắn cũ", now=utcnow() - timedelta(days=40))
    await _log(db, "tin nhắn mới")
    async with db.transaction() as session:
        erased = await nlu_review.erase_old_texts(
            session, older_than=utcnow() - timedelta(days=30), now=utcnow()
        )
        left = await nlu_review.pending(session)
    assert erased == 1 and [item.text for item in left] == ["tin nhắn mới"]
