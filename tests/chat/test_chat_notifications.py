"""The outbox renderer: every template in Vietnamese, local times, escaped, valid HTML."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.chat.notifications import TEMPLATES, RenderError, render
from bot.db.enums import EventKind
from bot.db.models import Event
from bot.knowledge.checks import accented_share, html_problems
from bot.outbox.queue import Template, event_params
from tests.support.factories import debug_renderer

STARTS = datetime(2026, 3, 14, 1, 30, tzinfo=UTC)  # 08:30 in Đầm Hà


def _params(**extra: Any) -> dict[str, Any]:
    event = Event(
        id=12,
        kind=EventKind.VOCATIONAL_CLASS,
        title="Lớp may <công nghiệp> & thời trang",
        venue="Nhà văn hoá xã Đầm Hà",
        venue_map_url="https://maps.example/dam-ha?a=1&b=2",
        starts_at=STARTS,
        ends_at=STARTS + timedelta(hours=3),
        what_to_bring="CCCD & sổ hộ khẩu",
    )
    return event_params(event) | extra


ALL_PARAMS = {
    Template.REMINDER: _params(offset_minutes=24 * 60),
    Template.PROMOTED: _params(),
    Template.APPROVED: _params(status="waitlisted", waitlist_position=3),
    Template.REJECTED: _params(),
    Template.EVENT_CHANGED: _params(changed=["starts_at", "venue"]),
    Template.EVENT_CANCELLED: _params(),
    Template.BROADCAST: _params(text="Mang theo <giấy tờ> & bút"),
}


def test_every_desk_template_has_wording() -> None:
    # handoff.reply (an officer's answer) has its own params (tests/chat/test_chat_screens.py).
    assert set(Template) - {Template.HANDOFF_REPLY} == set(TEMPLATES) == set(ALL_PARAMS)


@pytest.mark.parametrize("template", list(ALL_PARAMS))
def test_every_template_renders_valid_vietnamese_html(template: Template) -> None:
    rendered = render(template.value, ALL_PARAMS[template])
    assert html_problems(rendered.text) == []
    assert accented_share(rendered.text) > 0.08  # written with diacritics
    assert "<công nghiệp>" not in rendered.text  # escaped
    if template is not Template.BROADCAST:
        assert "&lt;công nghiệp&gt; &amp; thời trang" in rendered.text


def test_times_are_shown_in_asia_ho_chi_minh() -> None:
    text = render(Template.REMINDER.value, ALL_PARAMS[Template.REMINDER]).text
    assert "14/03/2026 08:30" in text and "ngày mai" in text
    changed = render(Template.EVENT_CHANGED.value, ALL_PARAMS[Template.EVENT_CHANGED]).text
    assert "11:30" in changed and "giờ bắt đầu, địa điểm" in changed


def test_reminder_buttons_carry_the_event() -> None:
    rendered = render(Template.REMINDER.value, ALL_PARAMS[Template.REMINDER])
    [[attending, cancel]] = rendered.buttons
    assert (attending.text, attending.callback_data) == ("✅ Tôi vẫn tham dự", "REM|ok|12")
    assert (cancel.text, cancel.callback_data) == ("Hủy đăng ký", "REM|c|12")
    assert 'href="https://maps.example/dam-ha?a=1&amp;b=2"' in rendered.text


def test_waitlist_position_in_an_approval() -> None:
    text = render(Template.APPROVED.value, ALL_PARAMS[Template.APPROVED]).text
    assert "Danh sách chờ, thứ 3" in text


def test_broadcast_text_is_escaped() -> None:
    text = render(Template.BROADCAST.value, ALL_PARAMS[Template.BROADCAST]).text
    assert "Mang theo &lt;giấy tờ&gt; &amp; bút" in text


def test_unknown_template_and_missing_params_fail_loudly() -> None:
    with pytest.raises(RenderError, match="no wording"):
        render("registration.unknown", {})
    with pytest.raises(RenderError, match="starts_at"):
        render(Template.PROMOTED.value, {"title": "x", "event_id": 1})
    with pytest.raises(RenderError, match="event_id"):
        render(Template.REMINDER.value, {"starts_at": STARTS.isoformat()})


def test_matches_the_renderer_protocol() -> None:
    # Same call shape as the services' own stand-in renderer.
    for renderer in (render, debug_renderer):
        assert renderer(Template.REJECTED.value, _params()).text
