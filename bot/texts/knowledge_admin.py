"""Staff-facing words of the dashboard's knowledge pages (facts, answers, history, stale list)."""

from __future__ import annotations

from typing import Final

NAV: Final = "Kiến thức"
TITLE: Final = "Kiến thức của trợ lý"
INTRO: Final = (
    "Số liệu và câu trả lời trợ lý dùng. Mỗi thay đổi phải ghi nguồn và ngày kiểm tra, được "
    "xem trước đúng như trên Telegram, lưu lịch sử và hoàn tác được. Trợ lý dùng bản mới ngay, "
    "không cần khởi động lại."
)
FACTS: Final = "Số liệu theo ngày"
FACT_NAME: Final = "Tên"
FACT_LABEL: Final = "Nội dung"
FACT_VALUE: Final = "Giá trị hôm nay"
FACT_FROM: Final = "Áp dụng từ"
REVIEWED: Final = "Rà soát"
EDIT: Final = "Sửa"
ANSWERS: Final = "Câu trả lời bạn được sửa"
STALE: Final = "Cần xem lại"
STALE_NONE: Final = "Không có mục nào quá hạn rà soát."
STALE_ANSWER: Final = "Câu trả lời rà soát lần cuối {day}"
HISTORY: Final = "Lịch sử thay đổi"
HISTORY_NONE: Final = "Chưa có thay đổi nào; trợ lý đang dùng dữ liệu gốc (YAML)."
ROLLBACK: Final = "Hoàn tác"
ACTION_PUBLISH: Final = "đăng"
ACTION_ROLLBACK: Final = "hoàn tác"
EXPORT: Final = "Xuất ra YAML"

EDIT_FACT_TITLE: Final = "Sửa số liệu: {label}"
EDIT_ANSWER_TITLE: Final = "Sửa câu trả lời: {key}"
CURRENT: Final = "Hiện tại"
NEW_VALUE: Final = "Giá trị mới"
VALID_FROM: Final = "Áp dụng từ ngày"
TEXT: Final = "Nội dung (HTML của Telegram: <b>, <i>, <a href>; số liệu: {fact:tên})"
SOURCE_DOCUMENT: Final = "Văn bản nguồn (số hiệu, tên)"
SOURCE_DATE: Final = "Ngày của văn bản"
SOURCE_URL: Final = "Đường dẫn nguồn (nếu có)"
CHECKED_ON: Final = "Ngày bạn kiểm tra"
GRADE: Final = "Độ tin cậy"
GRADES: Final = {
    "S": "S — báo, cổng thông tin trích văn bản",
    "S2": "S2 — nhiều nguồn thứ cấp khớp nhau",
    "W": "W — một nguồn yếu (sẽ ghi “chưa được xác nhận”)",
}
PREVIEW: Final = "Xem trước"
PREVIEW_TITLE: Final = "Người dân sẽ thấy trên Telegram"
PUBLISH: Final = "Đăng"
PUBLISHED: Final = "Đã đăng phiên bản {id}. Trợ lý dùng bản mới từ tin nhắn tiếp theo."
ROLLED_BACK: Final = "Đã hoàn tác: phiên bản {id} đang có hiệu lực."
REFUSED: Final = "Chưa đăng được:"
CHANGED_SINCE_PREVIEW: Final = "Nội dung đã đổi sau khi xem trước; hãy xem trước lại."
BAD_DATE: Final = "Ngày không hợp lệ (dạng 2026-12-03)."
NOT_ALLOWED: Final = "Bạn không được sửa mục này."
