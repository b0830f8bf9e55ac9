"""What a citizen reads around an eligibility check (the questions and rules are YAML data).

The questions, verdicts, reasons and sources come from bot/knowledge/data/eligibility/*.yml,
validated at start-up; only the frame around them lives here.
"""

from __future__ import annotations

from bot.texts.common import esc

BUTTON_BACK = "« Câu trước"
BUTTON_RESTART = "🔄 Kiểm tra lại"
BUTTON_STOP = "Dừng"

PRESS_A_BUTTON = "Bạn bấm một nút trong câu hỏi ở trên nhé (hoặc gửi /huy để dừng)."
UNKNOWN_CHECK = "Xin lỗi, mục kiểm tra này chưa có. Gửi /menu để xem các mục."
AFTER_VERDICT = "Cần hỏi thêm? Gửi /canbo để gặp cán bộ."


def question(title: str, number: int, text: str) -> str:
    """One question with the check's title above it (YAML texts are validated HTML)."""
    return (
        f"<b>Kiểm tra nhanh: {esc(title)}</b>\n"
        "<i>Kết quả chỉ là gợi ý, không phải quyết định.</i>\n\n"
        f"Câu {number}: {text}"
    )


def verdict(verdict_html: str) -> str:
    return f"{verdict_html}\n\n{AFTER_VERDICT}"
