"""Messages the bot sends on its own: reminders, a seat freed up, approvals, changed events.

The outbox stores a template key and plain params (times as UTC ISO strings); these functions
turn them into Vietnamese at send time, so a wording fix also reaches messages already
queued. Params come from staff-typed event fields and are escaped like any user input.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from bot.texts.common import esc
from bot.texts.registration import (
    KIND_LABELS,
    status_label,
    what_to_bring,
    when,
)

BUTTON_STILL_ATTENDING = "✅ Tôi vẫn tham dự"
BUTTON_CANCEL_REGISTRATION = "Hủy đăng ký"
BUTTON_MY_REGISTRATIONS = "Đăng ký của tôi"


def _kind(kind: str | None) -> str:
    return KIND_LABELS.get(kind or "", "Sự kiện")


def until(offset_minutes: int | None) -> str:
    """'còn 3 ngày nữa' for a reminder's offset before the start."""
    if not offset_minutes or offset_minutes <= 0:
        return "sắp diễn ra"
    if offset_minutes % (24 * 60) == 0:
        days = offset_minutes // (24 * 60)
        return "ngày mai" if days == 1 else f"còn {days} ngày nữa"
    if offset_minutes % 60 == 0:
        return f"còn {offset_minutes // 60} giờ nữa"
    return f"còn {offset_minutes} phút nữa"


def reminder(details: str, *, kind: str | None, bring: str, offset_minutes: int | None) -> str:
    """`details` is `event_details(...)` of the event (already escaped)."""
    return (
        f"⏰ Nhắc lịch: {_kind(kind).lower()} của bạn {until(offset_minutes)}.\n\n"
        f"{details}{what_to_bring(bring)}\n\n"
        f"Nếu bạn không đi được, bấm «{BUTTON_CANCEL_REGISTRATION}» để nhường chỗ cho người khác."
    )


def promoted(details: str, *, bring: str) -> str:
    return (
        "🎉 Tin vui: đã có chỗ cho bạn! Bạn được chuyển từ danh sách chờ sang danh sách "
        f"chính thức.\n\n{details}{what_to_bring(bring)}\n\n"
        "Nếu không đi được nữa, gửi /dangky để hủy và nhường chỗ."
    )


def approved(details: str, *, status: str, position: int | None) -> str:
    return (
        f"Đăng ký của bạn đã được cán bộ duyệt.\n\n{details}\n"
        f"Tình trạng: {status_label(status, position)}\n\nXem lại: gửi /dangky."
    )


def rejected(*, title: str) -> str:
    return (
        f"Rất tiếc, đăng ký <b>{esc(title)}</b> của bạn chưa được duyệt. "
        "Bạn liên hệ UBND xã nơi cư trú hoặc gửi /canbo để biết lý do nhé."
    )


_CHANGED_LABELS = {
    "starts_at": "giờ bắt đầu",
    "ends_at": "giờ kết thúc",
    "venue": "địa điểm",
    "venue_map_url": "bản đồ địa điểm",
}


def changed(details: str, *, ends_at: datetime, fields: Iterable[str]) -> str:
    names = [_CHANGED_LABELS[name] for name in fields if name in _CHANGED_LABELS]
    what = ", ".join(names) if names else "thông tin"
    return (
        f"📢 Thay đổi {what} của sự kiện bạn đã đăng ký. Thông tin mới:\n\n{details}\n"
        f"🕔 Kết thúc: {when(ends_at)}\n\n"
        "Đăng ký của bạn vẫn giữ nguyên. Nếu không đi được nữa, gửi /dangky để hủy."
    )


def cancelled(*, title: str, starts_at: datetime) -> str:
    return (
        f"📢 Rất tiếc, <b>{esc(title)}</b> ({when(starts_at)}) đã bị hủy. "
        "Xin lỗi vì sự bất tiện. Bot sẽ báo khi có lớp hoặc phiên mới."
    )


def broadcast(*, text: str, title: str | None) -> str:
    header = f"📢 Thông báo về <b>{esc(title)}</b>:\n\n" if title else "📢 Thông báo:\n\n"
    return header + esc(text)
