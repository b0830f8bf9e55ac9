"""The bot's own wording and screens: readable Vietnamese, valid HTML, escaped names, buttons."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Any

import pytest

from bot.chat import callbacks as cb
from bot.chat import notifications
from bot.chat import screens as views
from bot.knowledge import CONTRACT_INTENTS, KnowledgeBase, load_knowledge
from bot.knowledge.checks import has_caveat, text_problems
from bot.outbox.queue import RenderedMessage
from bot.services.clock import LOCAL_TZ
from bot.texts import common, consent, handoff, privacy

TELEGRAM_LIMIT = 4096
HOSTILE = "<b>Lan & Co"
AT = datetime(2026, 11, 29, 9, 5, tzinfo=LOCAL_TZ)


def _all_views() -> list[RenderedMessage]:
    screens = [
        views.main_menu(),
        *(views.submenu(topic) for topic in cb.MENU_TOPICS),
        views.clarify(["allowance_amount", "housing_amount", "job_fairs"]),
        views.offer_officer(),
        views.welcome(HOSTILE, consented=False, retention_days=90),
        views.welcome(HOSTILE, consented=True, retention_days=90),
        views.consent_request(consent.WHY_HANDOFF, retention_days=30),
        views.consent_given(AT),
        views.consent_declined(),
        views.privacy(AT, consent.CONSENT_VERSION, stored=True),
        views.privacy(None, None, stored=False),
        views.confirm_erase(),
        notifications.render("handoff.reply", {"ticket_id": 7, "text": HOSTILE}),
    ]
    return screens


def _constants(prefix_wanted: bool) -> list[str]:
    """UPPER_CASE strings of the text modules: button labels (BUTTON_*) or sentences."""
    found: list[str] = []
    for module in (common, consent, handoff, privacy):
        for name, value in vars(module).items():
            wanted = name.startswith("BUTTON_") == prefix_wanted
            if name.isupper() and isinstance(value, str) and name != "CONSENT_VERSION" and wanted:
                found.append(value)
    return found


def _sentences() -> list[str]:
    return [
        *_constants(prefix_wanted=False),
        handoff.ticket_opened(3, HOSTILE),
        handoff.ticket_extended(3),
        handoff.staff_notification(3, HOSTILE, topic="Mức trợ cấp", is_new=True),
        handoff.staff_reply_queued(3),
        handoff.staff_reply_unreachable(3),
        privacy.erased(2),
        common.error_report(12, "RuntimeError"),
    ]


def _labels() -> list[str]:
    """Plain text (buttons, the command list): no HTML, so only spelling and length."""
    return [
        *_constants(prefix_wanted=True),
        *common.INTENT_LABELS.values(),
        *(description for _, description in common.COMMANDS),
    ]


@pytest.mark.parametrize("text", _sentences())
def test_every_sentence_is_readable_vietnamese_and_valid_html(text: str) -> None:
    assert text_problems(text, max_chars=TELEGRAM_LIMIT) == []


@pytest.mark.parametrize("label", _labels())
def test_every_label_is_short_and_normalised(label: str) -> None:
    assert 3 <= len(label) <= 45
    assert unicodedata.normalize("NFC", label) == label and label.strip() == label


@pytest.mark.parametrize("view", _all_views(), ids=lambda v: v.text[:30])
def test_every_screen_is_valid_and_its_buttons_parse_back(view: RenderedMessage) -> None:
    assert text_problems(view.text, max_chars=TELEGRAM_LIMIT) == []
    for row in view.buttons:
        for button in row:
            assert button.callback_data is not None and cb.parse(button.callback_data)


def test_every_contract_intent_has_a_button_label() -> None:
    assert set(common.INTENT_LABELS) == set(CONTRACT_INTENTS)


def test_user_supplied_values_are_escaped() -> None:
    assert "Xin chào <b>&lt;b&gt;Lan &amp; Co</b>!" in common.greeting(HOSTILE)
    reply = notifications.render("handoff.reply", {"ticket_id": "<i>", "text": "a < b & c"})
    assert "a &lt; b &amp; c" in reply.text and "#&lt;i&gt;" in reply.text


def test_consent_says_what_why_how_long_and_how_to_delete() -> None:
    text = consent.consent_request(45)
    for part in (
        "Nghị định 13/2023/NĐ-CP",
        "Lưu gì",
        "Để làm gì",
        "Lưu bao lâu",
        "45 ngày",
        "/riengtu",
    ):
        assert part in text


def test_office_hours_are_not_stated_as_fact() -> None:
    assert has_caveat(handoff.OFFICE_HOURS)


def test_the_main_menu_has_the_six_entries() -> None:
    labels = [button.text for row in views.main_menu().buttons for button in row]
    assert labels == [
        "Hỗ trợ nhà ở",
        "Trợ cấp xã hội",
        "Học nghề",
        "Việc làm & hội chợ",
        "Đăng ký của tôi",
        "Gặp cán bộ",
    ]


@pytest.fixture(scope="module")
def knowledge() -> KnowledgeBase:
    return load_knowledge()


@pytest.mark.parametrize("intent", CONTRACT_INTENTS)
def test_every_answer_renders_with_valid_buttons(knowledge: KnowledgeBase, intent: str) -> None:
    view = views.answer(knowledge.answer(intent, {}))
    buttons: list[Any] = [button for row in view.buttons for button in row]
    assert buttons[-1] == views.MENU
    assert all(cb.parse(button.callback_data) for button in buttons)
