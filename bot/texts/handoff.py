"""Talking to an officer: what the citizen is told, what the staff chat sees, the answer.

Working hours come from each commune's configuration (services.office_hours; the default is
an assumption, domain-facts.md verifies none): outside them the citizen is told when an answer
can be *expected* — never promised — and still pointed to the commune People's Committee.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from bot.services.clock import to_local
from bot.texts.common import esc

# -- citizen side --------------------------------------------------------------------------------

ASK_QUESTION: Final = (
    "Bạn hãy gõ câu hỏi cần <b>cán bộ</b> trả lời, trong một tin nhắn.\n"
    "Không cần gửi số CCCD, số tài khoản hay mã OTP."
)
OFFICE_HOURS: Final = (
    "Cán bộ trả lời trong giờ làm việc. Giờ làm việc cụ thể <b>chưa được xác nhận</b>, "
    "bạn nên hỏi lại UBND xã nơi cư trú."
)
BUTTON_ASK_MORE: Final = "Hỏi thêm cán bộ"


WEEKDAYS: Final = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


def expected_time(moment: datetime) -> str:
    """'7:30 sáng thứ Hai, 07/12' in Đầm Hà time."""
    local = to_local(moment)
    part = "sáng" if local.hour < 12 else "chiều"
    return f"{local.hour}:{local.minute:02d} {part} {WEEKDAYS[local.weekday()]}, {local:%d/%m}"


def outside_hours(expected_at: datetime) -> str:
    """What a citizen asking outside working hours is told about the answer's timing."""
    return (
        "🕗 Bây giờ là ngoài giờ làm việc của cán bộ xã. Câu hỏi đã được ghi lại; dự kiến "
        f"cán bộ sẽ trả lời bạn từ <b>{expected_time(expected_at)}</b>.\n"
        "Giờ làm việc cụ thể <b>chưa được xác nhận</b>, bạn nên hỏi lại UBND xã nơi cư trú."
    )


def ticket_opened(ticket_id: int, question: str, expected_at: datetime | None = None) -> str:
    """The question is with the officers: which one, what was sent, when to expect a reply.

    `expected_at` is set when the question came outside working hours
    (services.office_hours.expected_answer_time).
    """
    timing = outside_hours(expected_at) if expected_at is not None else OFFICE_HOURS
    return (
        f"✅ Mình đã chuyển câu hỏi của bạn tới cán bộ (mã câu hỏi <b>#{ticket_id}</b>):\n"
        f"<i>{esc(_shorten(question))}</i>\n\n"
        "Một cán bộ sẽ trả lời bạn ngay trong cuộc trò chuyện này.\n"
        f"{timing}"
    )


def ticket_extended(ticket_id: int, expected_at: datetime | None = None) -> str:
    """A further message joined the citizen's open question."""
    timing = f"\n{outside_hours(expected_at)}" if expected_at is not None else ""
    return (
        f"✅ Mình đã gửi thêm tin nhắn này vào câu hỏi <b>#{ticket_id}</b>. "
        f"Cán bộ sẽ trả lời bạn trong cuộc trò chuyện này.{timing}"
    )


def officer_answer(ticket_id: object, text: object) -> str:
    """The officer's reply as the citizen receives it (rendered from the outbox)."""
    return f"💬 <b>Cán bộ trả lời</b> câu hỏi #{esc(ticket_id)}:\n\n{esc(text)}"


# -- staff chat ----------------------------------------------------------------------------------


def staff_notification(
    ticket_id: int,
    question: str,
    *,
    topic: str | None,
    is_new: bool,
    commune: str | None = None,
) -> str:
    """A new question (or a follow-up) in the staff chat; a Telegram reply to it answers.

    `topic` is the label of *this* question's intent; `commune` the commune's name, or None
    while the person has not said where they live.
    """
    heading = "Câu hỏi mới" if is_new else "Tin nhắn thêm cho câu hỏi"
    topic_line = f"\nChủ đề: {esc(topic)}" if topic else ""
    where = f"\nXã: {esc(commune)}" if commune else "\nXã: chưa rõ"
    return (
        f"🙋 <b>{heading} #{ticket_id}</b>{topic_line}{where}\n\n{esc(question)}\n\n"
        "<i>Trả lời (Reply) tin nhắn này để gửi câu trả lời cho người dân.</i>"
    )


def staff_reply_queued(ticket_id: int) -> str:
    """Right after the officer's reply: queued, not yet delivered (the message is edited
    with `staff_delivery` once Telegram has answered)."""
    return f"⏳ Đang gửi câu trả lời cho câu hỏi #{ticket_id}…"


#: Why an answer did not reach the person (services.handoff REASON_* codes).
DELIVERY_REASONS: Final[dict[str, str]] = {
    "blocked": "người dân đã chặn bot; câu trả lời sẽ tự gửi khi họ nhắn lại bot",
    "erased": "người dân đã xóa dữ liệu",
    "refused": "Telegram từ chối tin nhắn",
    "network": "lỗi mạng, đã thử lại nhiều lần",
    "expired": "quá hạn gửi",
    "other": "không rõ lý do",
}


def staff_delivery(ticket_id: int, state: str, reason: str | None) -> str:
    """The truthful outcome of an answer, as the staff chat's confirmation shows it."""
    why = DELIVERY_REASONS.get(reason or "other", DELIVERY_REASONS["other"])
    if state == "sent":
        return f"✅ Người dân đã nhận câu trả lời cho câu hỏi #{ticket_id}."
    if state == "queued":
        return (
            f"⏳ Câu trả lời cho câu hỏi #{ticket_id} đang chờ gửi. Xem tình trạng trong "
            "trang quản lý."
        )
    if state == "held":
        return f"⚠️ Chưa gửi được câu trả lời cho câu hỏi #{ticket_id}: {why}."
    return (
        f"❌ Không gửi được câu trả lời cho câu hỏi #{ticket_id}: {why}. "
        "Có thể gửi lại trong trang quản lý."
    )


def staff_reply_unreachable(ticket_id: int) -> str:
    return (
        f"⚠️ Không gửi được câu trả lời cho câu hỏi #{ticket_id}: người dân đã xóa dữ liệu "
        "cá nhân, nên bot không còn cách nhắn cho họ."
    )


# What an old staff-chat notice becomes when Telegram no longer lets the bot delete it (bots
# may delete their group messages for 48 hours only) and the citizen erased their data.
STAFF_NOTICE_ERASED: Final = "🗑 <i>Đã xóa: người dân đã yêu cầu xóa dữ liệu cá nhân.</i>"

STAFF_REPLY_UNKNOWN: Final = (
    "Không tìm thấy câu hỏi ứng với tin nhắn này. Hãy trả lời (Reply) đúng tin nhắn báo "
    "câu hỏi mới nhất."
)


# -- which commune a question belongs to ---------------------------------------------------------

ASK_COMMUNE: Final = (
    "Bạn ở xã nào? Mình chuyển câu hỏi tới đúng cán bộ xã của bạn "
    "(xã cũ nào nay thuộc xã nào: gõ tên xã cũ cũng được)."
)


def commune_chosen(commune: str) -> str:
    return f"Cảm ơn bạn. Câu hỏi đã được chuyển tới cán bộ <b>{esc(commune)}</b>."


def _shorten(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
