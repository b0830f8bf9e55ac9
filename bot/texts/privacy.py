"""/riengtu: what the bot keeps about the person, and deleting it ("Xóa dữ liệu của tôi").

The list of what is erased and kept mirrors services.privacy.erase_citizen; change both
together.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

BUTTON_ERASE: Final = "Xóa dữ liệu của tôi"
BUTTON_ERASE_CONFIRM: Final = "Có, xóa hết"
BUTTON_KEEP: Final = "Không xóa"

_RIGHTS: Final = (
    "Theo Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15 và Nghị định 356/2025/NĐ-CP, bạn có quyền "
    "biết, xem, sửa, rút lại đồng ý và yêu cầu xóa dữ liệu của mình."
)


def privacy_info(consent_at_local: datetime | None, version: str | None) -> str:
    """What is stored for a person who has a profile, and their rights."""
    consent = (
        f"Bạn đã đồng ý lúc {consent_at_local:%H:%M} ngày {consent_at_local:%d/%m/%Y} "
        f"(bản điều khoản {version or 'không rõ'})."
        if consent_at_local is not None
        else "Bạn chưa đồng ý cho lưu thông tin."
    )
    return (
        "<b>Quyền riêng tư</b>\n"
        "Mình lưu: tài khoản Telegram, và nếu bạn đã đăng ký thì họ tên, số điện thoại, năm "
        "sinh, xã, nhóm đối tượng, các đăng ký của bạn; câu hỏi gửi cán bộ.\n"
        f"{consent}\n{_RIGHTS}"
    )


NOTHING_STORED: Final = (
    "<b>Quyền riêng tư</b>\nHiện mình không lưu thông tin cá nhân nào của bạn.\n" + _RIGHTS
)
CONFIRM_ERASE: Final = (
    "Bạn chắc chắn muốn xóa?\n"
    "Mình sẽ xóa họ tên, số điện thoại, năm sinh, nhóm đối tượng, tài khoản Telegram và "
    "hủy các đăng ký sắp tới của bạn. Việc này <b>không hoàn tác được</b>."
)
KEPT: Final = "Dữ liệu của bạn được giữ nguyên."


def erased(registrations_cancelled: int) -> str:
    """Done: what happened, and that questions still work."""
    cancelled = (
        f" Đã hủy {registrations_cancelled} đăng ký sắp tới." if registrations_cancelled else ""
    )
    return (
        f"🗑 Đã xóa dữ liệu cá nhân của bạn.{cancelled} Mình chỉ giữ số liệu thống kê không "
        "gắn với tên bạn.\nBạn vẫn hỏi đáp với mình được bình thường."
    )
