"""Announcement subscriptions: the offer, the confirmation, and the announcement itself."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Final

from bot.texts.common import esc
from bot.texts.registration import KIND_LABELS, commune_label, when

BUTTON_SUBSCRIBE: Final = "🔔 Báo tôi khi có lớp/phiên mới"
BUTTON_UNSUBSCRIBE: Final = "🔕 Thôi nhận thông báo"
BUTTON_BOTH_COMMUNES: Final = "Cả hai xã"

OFFER_AFTER_CANCELLATION: Final = (
    "Bạn có muốn nhận tin khi có lớp học nghề hoặc phiên việc làm mới ở xã mình không?"
)
ASK_COMMUNE: Final = "Bạn muốn nhận tin về lớp/phiên mới ở xã nào?"
UNSUBSCRIBED: Final = "Đã tắt. Mình sẽ không gửi tin lớp/phiên mới cho bạn nữa."
NOT_SUBSCRIBED: Final = "Bạn chưa đăng ký nhận tin lớp/phiên mới."
CONSENT_FIRST: Final = "Để nhận tin lớp/phiên mới, mình cần bạn đồng ý cho lưu thông tin (/start)."


def _what(kinds: Iterable[str], trades: Iterable[str]) -> str:
    names = [KIND_LABELS[k].lower() for k in kinds if k in KIND_LABELS]
    what = " và ".join(names) if names else "lớp học nghề và phiên việc làm"
    chosen = [esc(t) for t in trades]
    return what + (f" (nghề: {', '.join(chosen)})" if chosen else "")


def subscribed(commune: str | None, kinds: Iterable[str] = (), trades: Iterable[str] = ()) -> str:
    where = f"ở {esc(commune_label(commune))}" if commune else "ở cả hai xã"
    return (
        f"🔔 Đã bật: khi có {_what(kinds, trades)} mới {where}, mình sẽ nhắn bạn.\n"
        "Muốn tắt, bấm «Thôi nhận thông báo» hoặc gõ /menu."
    )


def status(commune: str | None, kinds: Iterable[str] = (), trades: Iterable[str] = ()) -> str:
    where = f"ở {esc(commune_label(commune))}" if commune else "ở cả hai xã"
    return f"🔔 Bạn đang nhận tin {_what(kinds, trades)} mới {where}."


def announced(details: str, *, kind: str | None, deadline: datetime | None) -> str:
    """A new event for a subscriber; `details` is `event_details(...)` (already escaped)."""
    label = KIND_LABELS.get(kind or "", "Lớp/phiên").lower()
    until = f"\nHạn đăng ký: {when(deadline)}" if deadline else ""
    return (
        f"🔔 Có {label} mới bạn có thể quan tâm:\n\n{details}{until}\n\n"
        "Bấm «Đăng ký» nếu bạn muốn tham gia."
    )


BUTTON_REGISTER: Final = "Đăng ký"
