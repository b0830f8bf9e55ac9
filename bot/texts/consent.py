"""The consent message and its answers, under the Personal Data Protection Law.

Since 1/1/2026 the basis is Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15 and Nghị định
356/2025/NĐ-CP (they replace Nghị định 13/2023/NĐ-CP; docs/contracts/domain-facts.md §0.7).
A person must know what is collected, why, for how long and how to have it deleted before
agreeing, and the agreement must be shown later: `CONSENT_VERSION` is stored with the time of
consent (Citizen.consent_text_version, services.citizens), so change it whenever the wording
below changes in substance. `consent_is_current` tells whether a stored agreement was given to
the text in force; an agreement to an older text asks the citizen again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

# People agree to the short summary (the full text is one tap away) on the basis of Luật
# 91/2025/QH15 and NĐ 356/2025; the version says which text and presentation they saw.
CONSENT_VERSION: Final = "pdpl91-nd356-2026-12-03"
# Earlier texts, oldest first: an agreement to one of these is no longer current.
SUPERSEDED_VERSIONS: Final = ("nd13-2026-11-29", "nd13-2026-12-03")
LEGAL_BASIS: Final = "Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15 và Nghị định 356/2025/NĐ-CP"


def consent_is_current(version: str | None) -> bool:
    """True when a stored agreement was given to the consent text in force now."""
    return version == CONSENT_VERSION


BUTTON_AGREE: Final = "Đồng ý"
BUTTON_DECLINE: Final = "Không đồng ý"
BUTTON_FULL_TEXT: Final = "📄 Đọc đầy đủ"


def consent_summary(retention_days: int) -> str:
    """The four points the law asks for, in one short paragraph, for the first screen.

    The first screen must fit a small phone before the buttons (≤ 600 characters with the
    greeting); `consent_request` (the full text) is one tap away ("Đọc đầy đủ").
    """
    return (
        "<b>Xin phép lưu thông tin</b> (Luật 91/2025/QH15, NĐ 356/2025/NĐ-CP): tài khoản "
        "Telegram, "
        "thông tin khi bạn đăng ký, câu hỏi gửi cán bộ. Chỉ để đăng ký, nhắc lịch và trả lời "
        f"bạn. Câu hỏi xóa sau {retention_days} ngày; xóa hết bằng /riengtu. "
        "Không đồng ý vẫn hỏi đáp được."
    )


def consent_request(retention_days: int) -> str:
    """The four things the law asks to say, in plain words, then the choice."""
    return (
        f"<b>Xin phép lưu thông tin của bạn</b> (theo {LEGAL_BASIS})\n"
        "• <b>Lưu gì:</b> tài khoản và tên Telegram của bạn; khi bạn đăng ký thì thêm họ tên, "
        "số điện thoại, năm sinh, xã, nhóm đối tượng; câu hỏi bạn gửi cán bộ.\n"
        "• <b>Để làm gì:</b> đăng ký lớp học nghề, phiên giao dịch việc làm, nhắc lịch, và để "
        "cán bộ trả lời bạn. Chỉ cán bộ phụ trách được xem; không dùng vào việc khác.\n"
        "• <b>Lưu bao lâu:</b> đến khi bạn yêu cầu xóa. Nội dung câu hỏi được xóa sau "
        f"{retention_days} ngày.\n"
        "• <b>Xóa thế nào:</b> gõ /riengtu rồi chọn “Xóa dữ liệu của tôi”, bất cứ lúc nào.\n"
        "Nếu không đồng ý, bạn vẫn hỏi đáp với mình bình thường, chỉ chưa đăng ký và chưa gửi "
        "câu hỏi cho cán bộ được."
    )


WHY_REGISTRATION: Final = "Để đăng ký, mình cần bạn đồng ý cho lưu thông tin."
WHY_HANDOFF: Final = (
    "Để cán bộ trả lời được bạn, mình cần lưu câu hỏi và tài khoản Telegram của bạn."
)


def consent_given(at_local: datetime) -> str:
    """Confirms what was recorded, and how to take it back."""
    return (
        f"✅ Cảm ơn bạn. Mình đã ghi nhận bạn đồng ý lúc {at_local:%H:%M} ngày "
        f"{at_local:%d/%m/%Y}. Bạn có thể rút lại và xóa dữ liệu bất cứ lúc nào bằng /riengtu."
    )


CONSENT_DECLINED: Final = (
    "Bạn đã chọn không đồng ý. Mình không lưu thông tin cá nhân của bạn.\n"
    "Bạn vẫn hỏi đáp được bình thường. Khi muốn đăng ký hoặc gặp cán bộ, bạn gõ /start để "
    "đồng ý."
)
