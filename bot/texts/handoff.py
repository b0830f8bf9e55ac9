"""Talking to an officer: what the citizen is told, what the staff chat sees, the answer.

No office hours are given: domain-facts.md has none verified, so the citizen is told to
confirm them at the commune People's Committee instead of being promised a time.
"""

from __future__ import annotations

from typing import Final

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


def ticket_opened(ticket_id: int, question: str) -> str:
    """The question is with the officers: which one, what was sent, when to expect a reply."""
    return (
        f"✅ Mình đã chuyển câu hỏi của bạn tới cán bộ (mã câu hỏi <b>#{ticket_id}</b>):\n"
        f"<i>{esc(_shorten(question))}</i>\n\n"
        "Một cán bộ sẽ trả lời bạn ngay trong cuộc trò chuyện này.\n"
        f"{OFFICE_HOURS}"
    )


def ticket_extended(ticket_id: int) -> str:
    """A further message joined the citizen's open question."""
    return (
        f"✅ Mình đã gửi thêm tin nhắn này vào câu hỏi <b>#{ticket_id}</b>. "
        "Cán bộ sẽ trả lời bạn trong cuộc trò chuyện này."
    )


def officer_answer(ticket_id: object, text: object) -> str:
    """The officer's reply as the citizen receives it (rendered from the outbox)."""
    return f"💬 <b>Cán bộ trả lời</b> câu hỏi #{esc(ticket_id)}:\n\n{esc(text)}"


# -- staff chat ----------------------------------------------------------------------------------


def staff_notification(ticket_id: int, question: str, *, topic: str | None, is_new: bool) -> str:
    """A new question (or a follow-up) in the staff chat; a Telegram reply to it answers."""
    heading = "Câu hỏi mới" if is_new else "Tin nhắn thêm cho câu hỏi"
    topic_line = f"\nChủ đề: {esc(topic)}" if topic else ""
    return (
        f"🙋 <b>{heading} #{ticket_id}</b>{topic_line}\n\n{esc(question)}\n\n"
        "<i>Trả lời (Reply) tin nhắn này để gửi câu trả lời cho người dân.</i>"
    )


def staff_reply_queued(ticket_id: int) -> str:
    return f"✅ Đã gửi câu trả lời cho câu hỏi #{ticket_id}."


def staff_reply_unreachable(ticket_id: int) -> str:
    return (
        f"⚠️ Không gửi được câu trả lời cho câu hỏi #{ticket_id}: người dân đã xóa dữ liệu "
        "hoặc đã chặn bot."
    )


STAFF_REPLY_UNKNOWN: Final = (
    "Không tìm thấy câu hỏi ứng với tin nhắn này. Hãy trả lời (Reply) đúng tin nhắn báo "
    "câu hỏi mới nhất."
)


def _shorten(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
