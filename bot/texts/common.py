"""Greeting, menus, intent labels, clarification and apologies: the bot's everyday wording.

Readers are often elderly, on small phones, in the countryside: one idea per sentence, no
jargon, no promise. Names and anything else a person typed go through `esc` before they are
put into a message, because replies use Telegram's HTML parse mode.
"""

from __future__ import annotations

import html
from typing import Final


def esc(value: object) -> str:
    """A user-supplied value made safe for Telegram HTML (`<b>Lan & Co` stays readable)."""
    return html.escape(str(value), quote=False)


# -- /start and the menu ----------------------------------------------------------------------


def greeting(name: str) -> str:
    """First words of /start: who the bot is, what it can do, and that it is not the decider."""
    return (
        f"Xin chào <b>{esc(name)}</b>! Mình là <b>Trợ lý An sinh</b>, trợ lý thông tin về "
        "chính sách an sinh xã hội cho người dân Đầm Hà. Câu trả lời dựa trên văn bản chính "
        "thức và luôn ghi nguồn.\n"
        "Mình giúp bạn:\n"
        "• hỏi về hỗ trợ nhà ở, trợ cấp xã hội, học nghề, việc làm;\n"
        "• kiểm tra nhanh bạn có thể thuộc diện hỗ trợ không;\n"
        "• đăng ký lớp học nghề, phiên giao dịch việc làm;\n"
        "• gửi câu hỏi cho cán bộ.\n"
        "Việc xét duyệt do UBND xã nơi cư trú quyết định."
    )


MENU_PROMPT: Final = (
    "Bạn chọn một mục bên dưới, hoặc gõ câu hỏi bằng lời của mình (có dấu hay không dấu đều được)."
)
NOT_UNDERSTOOD: Final = "Xin lỗi, mình chưa hiểu câu này. Bạn chọn một mục bên dưới nhé."
TEXT_ONLY: Final = "Mình chỉ đọc được tin nhắn chữ. Bạn gõ câu hỏi hoặc chọn một mục bên dưới."
UNKNOWN_COMMAND: Final = "Mình không có lệnh này. Bạn chọn một mục bên dưới, hoặc gõ /menu."
STALE_BUTTON: Final = "Nút này đã cũ. Bạn dùng tin nhắn mới nhất nhé."
APOLOGY: Final = (
    "Xin lỗi, mình vừa gặp lỗi khi xử lý tin nhắn của bạn. Bạn thử lại sau ít phút, "
    "hoặc gõ /canbo để nhờ cán bộ."
)

# Button labels; which button does what is decided in bot.chat.screens.
BUTTON_HOUSING: Final = "Hỗ trợ nhà ở"
BUTTON_ALLOWANCE: Final = "Trợ cấp xã hội"
BUTTON_VOCATIONAL: Final = "Học nghề"
BUTTON_JOBS: Final = "Việc làm & hội chợ"
BUTTON_MY_REGISTRATIONS: Final = "Đăng ký của tôi"
BUTTON_OFFICER: Final = "Gặp cán bộ"
BUTTON_BACK: Final = "« Menu chính"
BUTTON_MENU: Final = "Menu"
BUTTON_CHECK: Final = "Kiểm tra nhanh: tôi có thuộc diện không?"
BUTTON_NONE_OF_THESE: Final = "Không phải các ý trên"
BUTTON_SEND_TO_OFFICER: Final = "Gửi câu hỏi cho cán bộ"

SUBMENU_HOUSING: Final = (
    "<b>Hỗ trợ nhà ở</b> (xóa nhà tạm, nhà dột nát, hỗ trợ khi thiên tai).\nBạn muốn biết điều gì?"
)
SUBMENU_ALLOWANCE: Final = "<b>Trợ cấp xã hội hằng tháng</b>.\nBạn muốn biết điều gì?"
SUBMENU_VOCATIONAL: Final = "<b>Học nghề</b>.\nBạn muốn xem các lớp hay đăng ký học?"
SUBMENU_JOBS: Final = (
    "<b>Việc làm, phiên giao dịch việc làm</b> và đi làm việc ở nước ngoài.\nBạn muốn biết điều gì?"
)

# -- intents as the citizen sees them (buttons, "Ý bạn là…?") --------------------------------

INTENT_LABELS: Final[dict[str, str]] = {
    "greet": "Lời chào",
    "goodbye": "Tạm biệt",
    "thank": "Cảm ơn",
    "affirm": "Đồng ý",
    "deny": "Không phải",
    "bot_capabilities": "Mình giúp được gì?",
    "contact_office": "Nộp hồ sơ ở đâu?",
    "human_handoff": "Gặp cán bộ",
    "out_of_scope": "Câu hỏi khác",
    "housing_eligibility": "Ai được hỗ trợ nhà ở?",
    "housing_amount": "Hỗ trợ nhà ở bao nhiêu?",
    "housing_procedure": "Thủ tục hỗ trợ nhà ở",
    "allowance_eligibility": "Ai được trợ cấp xã hội?",
    "allowance_amount": "Mức trợ cấp bao nhiêu?",
    "allowance_procedure": "Thủ tục xin trợ cấp",
    "allowance_payment": "Nhận tiền trợ cấp",
    "vocational_classes": "Các lớp học nghề",
    "register_vocational": "Đăng ký học nghề",
    "job_fairs": "Phiên giao dịch việc làm",
    "register_job_fair": "Đăng ký phiên việc làm",
    "labour_export": "Đi làm việc ở nước ngoài",
    "my_registrations": "Đăng ký của tôi",
    "cancel_registration": "Hủy đăng ký",
}

CLARIFY: Final = "Mình chưa chắc đã hiểu đúng. <b>Ý bạn là…?</b>"
OFFER_OFFICER: Final = (
    "Xin lỗi, mình vẫn chưa hiểu câu hỏi của bạn.\n"
    "Bạn có thể chọn một mục trong menu, hoặc gửi câu hỏi để <b>cán bộ</b> trả lời."
)

# -- setMyCommands (Telegram shows these in the "/" menu) -------------------------------------

COMMANDS: Final[tuple[tuple[str, str], ...]] = (
    ("start", "Bắt đầu: lời chào và menu"),
    ("menu", "Xem menu chính"),
    ("huy", "Thoát bước đang làm"),
    ("dangky", "Đăng ký của tôi"),
    ("canbo", "Gặp cán bộ"),
    ("riengtu", "Quyền riêng tư, xóa dữ liệu của tôi"),
)

# -- staff chat ---------------------------------------------------------------------------------


def error_report(update_id: int | None, error_type: str) -> str:
    """What the staff chat learns of a failure: no personal data, only where to look."""
    where = f"cập nhật {update_id}" if update_id is not None else "một tác vụ nền"
    return (
        f"⚠️ Bot gặp lỗi <b>{esc(error_type)}</b> khi xử lý {where}. "
        "Người dân đã nhận lời xin lỗi; chi tiết trong nhật ký máy chủ."
    )
