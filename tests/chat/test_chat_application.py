"""Composition-root pieces that need no running bot: config checks, renderer, retention."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.application import BotApi, erase_expired_texts
from bot.chat.notifications import render
from bot.db.engine import Database
from bot.db.models import NluReviewItem
from bot.services import nlu_review
from bot.services.clock import utcnow
from bot.settings import Settings
from bot.web import DEFAULT_WEBHOOK_PATH, WebhookConfig


def _settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def test_webhook_needs_a_secret_telegram_accepts() -> None:
    with pytest.raises(ValueError, match="WEBHOOK_SECRET is not"):
        WebhookConfig.from_settings(_settings(webhook_url="https://bot.example.vn/tg/hook"))
    with pytest.raises(ValueError, match="WEBHOOK_SECRET must be"):
        WebhookConfig("has spaces and ü")
    config = WebhookConfig.from_settings(
        _settings(webhook_url="https://bot.example.vn/tg/hook", webhook_secret="s3cret_-X")
    )
    assert config is not None and config.path == "/tg/hook"
    assert WebhookConfig.from_settings(_settings()) is None
    assert WebhookConfig("abc").path == DEFAULT_WEBHOOK_PATH


def test_telegram_api_urls_come_from_the_settings() -> None:
    api = BotApi.telegram(_settings(telegram_bot_token="123:abc"))
    assert (api.base_url, api.base_file_url) == (
        "https://api.telegram.org/bot",
        "https://api.telegram.org/file/bot",
    )
    with pytest.raises(ValueError, match="TELEGRAM_BOT_TOKEN"):
        BotApi.telegram(_settings())


def test_the_officers_answer_is_worded_by_the_one_outbox_renderer() -> None:
    reply = render("handoff.reply", {"ticket_id": 4, "text": "<b>x</b> & y"})
    assert "&lt;b&gt;x&lt;/b&gt; &amp; y" in reply.text and reply.buttons


async def test_retention_blanks_old_texts_only(db: Database) -> None:
    now = utcnow()
    async with db.transaction() as session:
        for age_days, text in ((100, "câu cũ"), (5, "câu mới")):
            await nlu_review.log_message(
                session,
                text=text,
                predicted_intent="greet",
                confidence=0.2,
                ranking=[],
                reason="low_confidence",
                now=now - timedelta(days=age_days),
            )

    erased = await erase_expired_texts(db, days=90, now=now)

    assert erased == 1
    async with db.transaction() as session:
        items = (await session.scalars(select(NluReviewItem).order_by(NluReviewItem.id))).all()
    assert [item.text for item in items] == [None, "câu mới"]
    assert items[0].predicted_intent == "greet"  # statistics stay
