"""Every word a staff member reads in the dashboard, its exports and its command line.

Kept in one file so that wording is reviewed in one place, and so the templates hold markup
only. Names of things (target groups, event kinds, communes) are shared with what citizens
read in the bot (bot.texts.registration), so staff and citizens use the same words.
Templates read these constants as `t.NAME`; placeholders are filled with `str.format` by the
dashboard, which escapes every value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from bot.texts.registration import COMMUNE_LABELS, KIND_LABELS, TARGET_GROUP_LABELS

if TYPE_CHECKING:
    from bot.db.models import AuditEntry
    from bot.services.reporting.audit import AuditLabels

APP_NAME = "Trợ lý An sinh"
APP_SUBTITLE = "Trang làm việc của cán bộ"
LANG = "vi"

# -- names of things ----------------------------------------------------------------------

EVENT_KINDS: Mapping[str, str] = KIND_LABELS
TARGET_GROUPS: Mapping[str, str] = TARGET_GROUP_LABELS
COMMUNES: Mapping[str, str] = COMMUNE_LABELS
NO_COMMUNE = "Chưa rõ xã"
NO_GROUP = "Không thuộc nhóm nào"
OTHER_GROUP = "Khác"

REGISTRATION_STATUSES: Mapping[str, str] = {
    "pending": "Chờ duyệt",
    "confirmed": "Đã có chỗ",
    "waitlisted": "Danh sách chờ",
    "cancelled": "Đã hủy",
    "rejected": "Không duyệt",
    "attended": "Đã tham dự",
    "no_show": "Vắng mặt",
    "event_cancelled": "Sự kiện đã hủy",
}
EVENT_STATUSES: Mapping[str, str] = {
    "draft": "Bản nháp",
    "open": "Đang nhận đăng ký",
    "closed": "Ngừng nhận đăng ký",
    "cancelled": "Đã hủy",
}
TICKET_STATUSES: Mapping[str, str] = {
    "open": "Chờ trả lời",
    "answered": "Đã trả lời",
    "closed": "Đã đóng",
}
ROLES: Mapping[str, str] = {
    "admin": "Quản trị",
    "officer": "Cán bộ xã",
    "viewer": "Chỉ xem",
}
REVIEW_REASONS: Mapping[str, str] = {
    "low_confidence": "Độ tin cậy thấp",
    "unclear": "Không rõ ý",
    "nlu_down": "Máy hiểu ngôn ngữ không chạy",
    "out_of_scope": "Ngoài phạm vi",
}
#: Short descriptions of the NLU contract's intents, for the review list.
INTENTS: Mapping[str, str] = {
    "greet": "Chào hỏi",
    "goodbye": "Tạm biệt",
    "thank": "Cảm ơn",
    "affirm": "Đồng ý",
    "deny": "Từ chối",
    "bot_capabilities": "Hỏi trợ lý làm được gì",
    "contact_office": "Hỏi nơi liên hệ",
    "human_handoff": "Muốn gặp cán bộ",
    "out_of_scope": "Ngoài phạm vi",
    "housing_eligibility": "Nhà ở: ai được hỗ trợ",
    "housing_amount": "Nhà ở: mức hỗ trợ",
    "housing_procedure": "Nhà ở: thủ tục",
    "allowance_eligibility": "Trợ cấp: ai được hưởng",
    "allowance_amount": "Trợ cấp: mức hưởng",
    "allowance_procedure": "Trợ cấp: thủ tục",
    "allowance_payment": "Trợ cấp: nhận tiền",
    "vocational_classes": "Hỏi lớp học nghề",
    "register_vocational": "Đăng ký học nghề",
    "job_fairs": "Hỏi phiên việc làm",
    "register_job_fair": "Đăng ký phiên việc làm",
    "labour_export": "Xuất khẩu lao động",
    "my_registrations": "Xem đăng ký của mình",
    "cancel_registration": "Hủy đăng ký",
    "funeral_support": "Hỗ trợ mai táng",
    "health_insurance": "Thẻ bảo hiểm y tế",
    "disaster_relief": "Hỗ trợ sau thiên tai",
    "application_status": "Hồ sơ đến đâu",
    "complaint_appeal": "Khiếu nại",
    "emergency": "Khẩn cấp",
}
AUDIT_ACTIONS: Mapping[str, str] = {
    "event.create": "Tạo sự kiện",
    "event.update": "Sửa sự kiện",
    "event.cancel": "Hủy sự kiện",
    "registration.approve": "Duyệt đăng ký",
    "registration.reject": "Không duyệt đăng ký",
    "registration.check_in": "Điểm danh có mặt",
    "registration.no_show": "Đánh dấu vắng mặt",
    "broadcast.event": "Gửi thông báo",
    "broadcast.opted_in": "Gửi thông báo chung",
    "handoff.reply": "Trả lời người dân",
    "handoff.close": "Đóng câu hỏi",
    "nlu.label": "Gán ý định",
    "staff.create": "Tạo tài khoản",
    "staff.set_password": "Đổi mật khẩu",
    "staff.set_active": "Bật/tắt tài khoản",
    "registration.reopen": "Mở lại đăng ký",
    "handoff.assign": "Giao câu hỏi",
    "citizen.update": "Sửa thông tin người dân",
    "citizen.note": "Ghi chú về người dân",
    "citizen.merge": "Gộp hồ sơ",
    "citizen.not_duplicate": "Xác nhận không trùng người",
    "citizen.erase": "Xóa dữ liệu theo yêu cầu",
    "office_hours.update": "Đặt giờ làm việc",
    "staff.login": "Đăng nhập",
    "staff.login_failed": "Đăng nhập không thành công",
    "staff.session_revoke": "Kết thúc phiên đăng nhập",
    "export.registrations": "Xuất danh sách đăng ký",
    "export.nlu_review": "Xuất câu chưa hiểu",
    "answers.stop": "Tạm dừng trả lời",
    "answers.resume": "Cho trả lời lại",
}

# -- navigation and common words ----------------------------------------------------------

NAV_OVERVIEW = "Tổng quan"
NAV_SESSIONS = "Phiên đăng nhập"
NAV_ANSWERS = "Tạm dừng trả lời"
NAV_EVENTS = "Sự kiện"
NAV_REGISTRATIONS = "Đăng ký"
NAV_HANDOFF = "Câu hỏi của dân"
NAV_NLU = "Rà soát câu chưa hiểu"
NAV_BROADCAST = "Gửi thông báo"
NAV_TRY_BOT = "Thử trợ lý"
NAV_KNOWLEDGE = "Kiến thức"
NAV_AUDIT = "Nhật ký thay đổi"
LOGOUT = "Đăng xuất"
SIGNED_IN_AS = "Đăng nhập: {name} ({role})"
SCOPE_NOTE = "Chỉ hiển thị người dân của {commune}."
SKIP_TO_CONTENT = "Bỏ qua, tới nội dung"
MENU = "Danh mục"

SAVE = "Lưu"
CANCEL = "Hủy bỏ"
BACK = "Quay lại"
FILTER = "Lọc"
CLEAR_FILTERS = "Bỏ lọc"
ALL = "Tất cả"
YES = "Có"
NO = "Không"
NONE = "—"
PRINT = "In"
PREVIOUS = "‹ Trước"
NEXT = "Sau ›"
PAGE_OF = "Trang {page}/{pages}"
ROWS_TOTAL = "{total} dòng"
PER_PAGE = "Số dòng mỗi trang"
ACTIONS = "Thao tác"
READ_ONLY_NOTE = "Tài khoản chỉ xem: không thay đổi được dữ liệu."

# -- login --------------------------------------------------------------------------------

LOGIN_TITLE = "Đăng nhập"
LOGIN_LOGIN = "Tên đăng nhập"
LOGIN_PASSWORD = "Mật khẩu"
LOGIN_SUBMIT = "Đăng nhập"
LOGIN_FAILED = "Sai tên đăng nhập hoặc mật khẩu."
LOGIN_THROTTLED = "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {minutes} phút."
LOGIN_THROTTLED_SECONDS = "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {seconds} giây."
LOGIN_BUSY = "Hệ thống đang bận kiểm tra đăng nhập. Vui lòng thử lại sau vài giây."
LOGGED_OUT = "Đã đăng xuất."
SESSION_EXPIRED = "Phiên làm việc đã hết hạn, vui lòng đăng nhập lại."

# -- errors -------------------------------------------------------------------------------

ERROR_TITLE = "Không thực hiện được"
ERROR_FORBIDDEN = "Tài khoản của anh/chị không có quyền làm việc này."
ERROR_NOT_FOUND = "Không tìm thấy trang hoặc dữ liệu này (hoặc không thuộc phạm vi của anh/chị)."
ERROR_CSRF = (
    "Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang rồi thử lại "
    "(không có gì bị thay đổi)."
)
ERROR_BAD_INPUT = "Dữ liệu nhập chưa đúng: {detail}"
ERROR_BAD_REQUEST = "Địa chỉ hoặc dữ liệu gửi lên không hợp lệ. Vui lòng quay lại và thử lại."
#: services.errors.Reason -> what staff read.
REFUSALS: Mapping[str, str] = {
    "event_not_open": "Sự kiện chưa mở đăng ký.",
    "event_cancelled": "Sự kiện đã bị hủy.",
    "event_started": "Sự kiện đã bắt đầu.",
    "event_not_started": (
        "Chưa tới giờ điểm danh: chỉ ghi có mặt / vắng mặt từ ít giờ trước khi sự kiện bắt đầu."
    ),
    "deadline_passed": "Đã quá hạn đăng ký.",
    "not_eligible": "Người này không thuộc đối tượng của sự kiện.",
    "invalid_transition": "Trạng thái hiện tại không cho phép thao tác này.",
    "ends_before_start": "Giờ kết thúc phải sau giờ bắt đầu.",
    "deadline_after_start": "Hạn đăng ký không được sau giờ bắt đầu.",
    "capacity_below_confirmed": "Số chỗ không được ít hơn số người đã có chỗ.",
    "invalid_status_change": "Không chuyển được sang trạng thái này.",
    "empty_message": "Nội dung thông báo đang để trống.",
    "message_too_long": "Nội dung thông báo quá dài (tối đa 4096 ký tự).",
}
REFUSAL_UNKNOWN = "Thao tác bị từ chối ({reason})."

# -- events -------------------------------------------------------------------------------

EVENTS_TITLE = "Sự kiện: lớp học nghề và phiên việc làm"
EVENTS_NEW = "Tạo sự kiện mới"
EVENTS_EMPTY = "Chưa có sự kiện nào."
EVENT_NEW_TITLE = "Tạo sự kiện"
EVENT_EDIT_TITLE = "Sửa sự kiện"
EVENT_FIELDS: Mapping[str, str] = {
    "kind": "Loại",
    "title": "Tên sự kiện",
    "description": "Mô tả",
    "organiser": "Đơn vị tổ chức",
    "venue": "Địa điểm",
    "venue_map_url": "Đường dẫn bản đồ",
    "starts_at": "Bắt đầu",
    "ends_at": "Kết thúc",
    "registration_deadline": "Hạn đăng ký",
    "capacity": "Số chỗ",
    "requires_approval": "Cán bộ duyệt từng đăng ký",
    "eligible_target_groups": "Đối tượng được đăng ký",
    "what_to_bring": "Cần mang theo",
    "status": "Trạng thái",
}
EVENT_CAPACITY_HINT = "Để trống nếu không giới hạn."
EVENT_GROUPS_HINT = "Không chọn nhóm nào nghĩa là ai cũng đăng ký được."
EVENT_TIMES_HINT = "Giờ Việt Nam."
EVENT_EDIT_NOTICE = "Đổi giờ hoặc địa điểm sẽ tự động gửi thông báo cho những người đã đăng ký."
EVENT_OPEN = "Mở nhận đăng ký"
EVENT_CLOSE = "Ngừng nhận đăng ký"
EVENT_CANCEL = "Hủy sự kiện"
EVENT_CANCEL_CONFIRM = (
    "Hủy sự kiện này? Mọi người đã đăng ký sẽ nhận thông báo hủy. Không hoàn tác được."
)
EVENT_EDIT = "Sửa"
EVENT_REGISTRATIONS = "Danh sách đăng ký"
EVENT_ATTENDANCE = "In danh sách điểm danh"
EVENT_POSTER = "In áp phích mã QR"
EVENT_BROADCAST = "Gửi thông báo cho người đăng ký"
EVENT_SEATS = "Đã có chỗ {taken}/{capacity}"
EVENT_SEATS_UNLIMITED = "Đã có chỗ {taken} (không giới hạn)"
EVENT_CREATED = "Đã tạo sự kiện."
EVENT_SAVED = "Đã lưu thay đổi."
EVENT_NOTHING_CHANGED = "Không có gì thay đổi."
EVENT_OPENED = "Sự kiện đang nhận đăng ký."
EVENT_CLOSED = "Đã ngừng nhận đăng ký."
EVENT_CANCELLED = "Đã hủy sự kiện; {notices} thông báo đã được xếp hàng gửi."
EVENT_COUNTS = "Theo trạng thái"
EVENT_INVALID_TIME = "thời gian «{field}» chưa đúng định dạng"
EVENT_INVALID_CAPACITY = "số chỗ phải là số nguyên dương"
EVENT_MISSING_TITLE = "tên sự kiện đang để trống"
EVENT_INVALID_URL = "đường dẫn bản đồ phải bắt đầu bằng https://"
EVENT_INVALID_COMMUNE = "xã tổ chức không đúng"
EVENT_NOT_YOURS = (
    "Sự kiện này do đơn vị khác tổ chức; chỉ cán bộ của xã tổ chức (hoặc quản trị viên) "
    "mới thay đổi được."
)
EVENT_COMMUNE = "Xã tổ chức"
EVENT_DISTRICT_WIDE = "Toàn khu vực (quản trị)"
EVENT_MINE = "Của xã mình"
EVENT_NOTIFY_REGISTRANTS = "Thông báo cho người đăng ký"

# -- QR poster ----------------------------------------------------------------------------

POSTER_CALL = "Đăng ký qua Telegram"
POSTER_HOW = "Mở camera điện thoại, quét mã, rồi bấm «Bắt đầu» trong Telegram."
POSTER_WHEN = "Thời gian: {when}"
POSTER_WHERE = "Địa điểm: {venue}"
POSTER_DEADLINE = "Hạn đăng ký: {deadline}"
POSTER_NO_BOT = (
    "Chưa cấu hình tên bot Telegram nên chưa tạo được mã QR. "
    "Liên hệ quản trị viên để khai báo tên bot."
)

# -- registrations ------------------------------------------------------------------------

REGISTRATIONS_TITLE = "Danh sách đăng ký"
REG_FILTER_EVENT = "Sự kiện"
REG_FILTER_COMMUNE = "Xã"
REG_FILTER_STATUS = "Trạng thái"
REG_FILTER_GROUP = "Nhóm đối tượng"
REG_FILTER_FROM = "Đăng ký từ ngày"
REG_FILTER_TO = "đến ngày"
REG_FILTER_SEARCH = "Tìm theo tên hoặc số điện thoại"
REG_SEARCH_HINT = "ví dụ: nguyen hoa, 0912…"
REG_MORE_FILTERS = "Lọc thêm: sự kiện, xã, trạng thái, nhóm, ngày"
REG_EMPTY = "Không có đăng ký nào khớp với bộ lọc."
REG_EXPORT_CSV = "Tải CSV"
REG_EXPORT_XLSX = "Tải Excel (XLSX)"
REG_SELECT_ALL = "Chọn tất cả trên trang"
REG_SELECT_ROW = "Chọn đăng ký số {id}"
REG_BULK_LABEL = "Với các dòng đã chọn:"
REG_BULK_NONE = "Chưa chọn dòng nào."
REG_SORT_BY = "Sắp xếp theo {column}"
REG_ACTIONS: Mapping[str, str] = {
    "approve": "Duyệt",
    "reject": "Không duyệt",
    "check_in": "Có mặt",
    "no_show": "Vắng mặt",
    "reopen": "Mở lại",
}
REG_BULK_TOO_MANY = (
    "Bộ lọc khớp hơn {limit} đăng ký; hãy lọc hẹp hơn rồi làm từng đợt (không có gì thay đổi)."
)
REG_SELECT_MATCHING = "Chọn tất cả {total} đăng ký khớp bộ lọc (mọi trang)"
REG_CONFIRM_TITLE = "Xác nhận: {action} {count} đăng ký"
REG_CONFIRM_INTRO = "Thao tác này áp dụng cho {count} đăng ký sau:"
REG_CONFIRM_SUBMIT = "{action} {count} đăng ký"
REG_CONFIRM_CHANGED = (
    "Danh sách đã thay đổi so với lúc chọn; kiểm tra lại số đăng ký rồi xác nhận lần nữa."
)
REG_REASON_LABEL = "Lý do không duyệt (người dân sẽ nhận được lý do này)"
REG_REASON_CHOOSE = "Chọn một lý do…"
REG_REASON_TYPED = "Hoặc tự ghi lý do"
REG_REASON_MISSING = "Chưa chọn hoặc ghi lý do không duyệt."
REG_REASON_SHOWN = "Lý do: {reason}"
REG_REJECT_UNDO = (
    "Người dân sẽ nhận thông báo sau {minutes} phút. Bấm «Mở lại» ở dòng đó để hoàn tác "
    "(trong thời gian này người dân không nhận được gì)."
)
REG_ATTENDANCE_FROM = "Điểm danh mở lúc {when}"
REG_ACTION_DONE = "{action}: {done} đăng ký đã xử lý."
REG_ACTION_FAILED = "{failed} đăng ký không xử lý được: {reasons}"
REG_NOT_FOUND = "không tìm thấy hoặc ngoài phạm vi"
REG_WAITLIST = "chờ thứ {position}"
FILTER_INVALID = (
    "Giá trị «{value}» của bộ lọc «{field}» không hợp lệ; không có dữ liệu nào được hiển thị "
    "hay tải về."
)
FILTER_UNKNOWN = (
    "Đường dẫn có bộ lọc «{name}» không được hỗ trợ; không có dữ liệu nào được hiển thị hay tải về."
)
FILTER_DATES_REVERSED = "Ngày bắt đầu lọc đang sau ngày kết thúc."
FILTER_NAMES: Mapping[str, str] = {
    "event": "sự kiện",
    "commune": "xã",
    "status": "trạng thái",
    "group": "nhóm đối tượng",
    "from": "đăng ký từ ngày",
    "to": "đến ngày",
    "sort": "sắp xếp",
    "dir": "chiều sắp xếp",
    "page": "trang",
    "per_page": "số dòng mỗi trang",
}
COLUMNS: Mapping[str, str] = {
    "registration_id": "Mã ĐK",
    "full_name": "Họ và tên",
    "birth_year": "Năm sinh",
    "phone": "Số điện thoại",
    "commune": "Xã",
    "target_groups": "Nhóm đối tượng",
    "event_title": "Sự kiện",
    "event_starts_at": "Thời gian sự kiện",
    "status": "Trạng thái",
    "waitlist_position": "Thứ tự chờ",
    "created_at": "Ngày đăng ký",
    "status_changed_at": "Cập nhật lúc",
}
ERASED_NAME = "(đã xóa theo yêu cầu)"
EXPORT_SHEET = "Đăng ký"
EXPORT_FILENAME = "dang-ky-{stamp}"

# -- attendance sheet ---------------------------------------------------------------------

ATTENDANCE_TITLE = "Danh sách điểm danh"
ATTENDANCE_NUMBER = "STT"
ATTENDANCE_SIGNATURE = "Ký tên"
ATTENDANCE_NOTE = "Ghi chú"
ATTENDANCE_EMPTY = "Chưa có ai có chỗ ở sự kiện này."
ATTENDANCE_TOTAL = "Tổng số: {count} người"
ATTENDANCE_PRINTED = "In lúc {when}"
ATTENDANCE_SCOPE = "Chỉ gồm người dân {commune}."

# -- handoff ------------------------------------------------------------------------------

HANDOFF_TITLE = "Câu hỏi người dân chuyển cho cán bộ"
HANDOFF_EMPTY = "Không có câu hỏi nào đang chờ."
HANDOFF_TICKET = "Câu hỏi số {id}"
HANDOFF_FROM = "Người hỏi: {name}"
HANDOFF_ANONYMOUS = "Người dân chưa đăng ký thông tin"
HANDOFF_TOPIC = "Chủ đề: {topic}"
HANDOFF_CITIZEN = "Người dân"
HANDOFF_STAFF = "Cán bộ {login}"
HANDOFF_ERASED = "(nội dung đã xóa sau thời hạn lưu trữ)"
HANDOFF_REPLY = "Trả lời"
HANDOFF_REPLY_LABEL = "Câu trả lời (gửi tới người dân qua Telegram)"
HANDOFF_CLOSE = "Đóng câu hỏi"
HANDOFF_CLOSE_CONFIRM = "Đóng câu hỏi này? Người dân hỏi tiếp sẽ mở câu hỏi mới."
HANDOFF_REPLIED = "Đã lưu câu trả lời, đang chờ gửi tới người dân (xem tình trạng bên dưới)."
HANDOFF_REPLIED_UNREACHABLE = (
    "Đã lưu câu trả lời nhưng chưa gửi được: người dân đã chặn bot (câu trả lời tự gửi khi "
    "họ nhắn lại bot) hoặc đã xóa dữ liệu."
)
HANDOFF_CLOSED = "Đã đóng câu hỏi."
HANDOFF_EMPTY_REPLY = "Câu trả lời đang để trống."
HANDOFF_FILTERS_LABEL = "Lọc câu hỏi"
HANDOFF_FILTERS: Mapping[str, str] = {
    "open": "Chờ trả lời",
    "answered": "Đã trả lời",
    "undelivered": "Chưa gửi được",
    "mine": "Giao cho tôi",
    "closed": "Đã đóng",
    "all": "Tất cả",
}
HANDOFF_EMPTY_FILTER: Mapping[str, str] = {
    "open": "Không có câu hỏi nào đang chờ trả lời.",
    "answered": "Không có câu hỏi nào đã trả lời mà chưa đóng.",
    "undelivered": "Mọi câu trả lời đều đã gửi được tới người dân.",
    "mine": "Chưa có câu hỏi nào giao cho anh/chị.",
    "closed": "Chưa có câu hỏi nào đã đóng.",
    "all": "Chưa có câu hỏi nào.",
}
HANDOFF_DELIVERY: Mapping[str, str] = {
    "pending": "đang chờ gửi",
    "sending": "đang gửi",
    "sent": "✓ đã gửi",
    "failed": "✗ không gửi được",
    "skipped": "✗ không gửi được",
    "cancelled": "✗ đã hủy gửi",
    "none": "✗ không gửi được (người dân không nhận tin nhắn của bot)",
}
HANDOFF_EXPECTED = "Người dân hỏi ngoài giờ làm việc và được báo sẽ có trả lời từ {when}."
HANDOFF_ASSIGN_LABEL = "Giao cho cán bộ"
HANDOFF_ASSIGN = "Giao"
HANDOFF_NOBODY = "Chưa giao cho ai"
HANDOFF_ME = "tôi"
HANDOFF_ASSIGNED_TO = "Giao cho: {name}"
HANDOFF_ASSIGNED = "Đã giao câu hỏi."
HANDOFF_UNASSIGNED = "Câu hỏi không còn giao cho ai."
HANDOFF_ASSIGN_INVALID = "Chỉ giao được cho cán bộ của xã có câu hỏi."
HANDOFF_CLOSED_BY = "Đã đóng lúc {when} ({login})."
#: Delivery of an officer's answer (services.handoff.Delivery); never "sent" before Telegram
#: accepted it.
DELIVERY_STATES: Mapping[str, str] = {
    "queued": "Đang chờ gửi",
    "sent": "Người dân đã nhận",
    "held": "Chưa gửi: người dân đã chặn bot (tự gửi khi họ nhắn lại)",
    "failed": "Không gửi được",
}
DELIVERY_REASONS: Mapping[str, str] = {
    "blocked": "người dân đã chặn bot",
    "erased": "người dân đã xóa dữ liệu",
    "refused": "Telegram từ chối tin nhắn",
    "network": "lỗi mạng, đã thử lại nhiều lần",
    "expired": "quá hạn gửi",
    "other": "không rõ lý do",
}
HANDOFF_RESEND = "Gửi lại"
HANDOFF_RESENT = "Đã xếp câu trả lời vào hàng gửi lại."
HANDOFF_RESEND_REFUSED = "Không gửi lại được: {reason}."

# -- NLU review ---------------------------------------------------------------------------

NLU_TITLE = "Câu hỏi trợ lý chưa hiểu"
NLU_INTRO = (
    "Chọn ý định đúng cho mỗi câu (hoặc «Ngoài phạm vi»). Các câu đã gán có thể tải về "
    "thành tệp dữ liệu huấn luyện Rasa để thêm vào thư mục nlu/."
)
NLU_EMPTY = "Không còn câu nào chờ rà soát."
NLU_TEXT = "Câu người dân viết"
NLU_PREDICTED = "Máy đoán"
NLU_CONFIDENCE = "Độ tin cậy"
NLU_REASON = "Lý do lưu"
NLU_CHOOSE = "Ý định đúng"
NLU_OUT_OF_SCOPE = "Ngoài phạm vi (không thuộc các ý định trên)"
NLU_SAVE = "Lưu"
NLU_LABELLED = "Đã gán ý định cho câu số {id}."
NLU_UNKNOWN_INTENT = "Ý định không có trong danh sách."
NLU_EXPORT = "Tải tệp Rasa NLU (YAML) các câu đã rà soát"
NLU_REVIEWED_COUNT = "Đã rà soát: {count} câu"

# -- overview -----------------------------------------------------------------------------

OVERVIEW_TITLE = "Tổng quan"
OVERVIEW_TOTAL = "Đăng ký trong {weeks} tuần"
OVERVIEW_FILL = "Tỷ lệ lấp chỗ"
OVERVIEW_NO_SHOW = "Tỷ lệ vắng mặt"
OVERVIEW_OPEN_TICKETS = "Câu hỏi chờ trả lời"
OVERVIEW_PENDING_REVIEW = "Câu chưa hiểu chờ rà soát"
OVERVIEW_PENDING_REG = "Đăng ký chờ duyệt"
OVERVIEW_WEEKLY = "Số đăng ký mỗi tuần theo {by}"
OVERVIEW_BY: Mapping[str, str] = {
    "commune": "xã",
    "target_group": "nhóm đối tượng",
    "event": "sự kiện",
}
OVERVIEW_TOTALS = "Tổng theo {by}"
OVERVIEW_EVENTS = "Số đăng ký theo sự kiện"
OVERVIEW_RATES = "Lấp chỗ và vắng mặt theo sự kiện"
OVERVIEW_EVENT_TABLE: Mapping[str, str] = {
    "event": "Sự kiện",
    "starts": "Bắt đầu",
    "registered": "Số đăng ký",
    "seats": "Chỗ đã có / tổng",
    "fill": "Lấp chỗ",
    "no_show": "Vắng mặt",
}
OVERVIEW_NLU = "Câu trả lời dự phòng (trợ lý chưa hiểu) mỗi tuần"
OVERVIEW_NLU_RATE = "Tỷ lệ chưa hiểu: {rate} ({fallbacks}/{messages} tin nhắn)"
OVERVIEW_NLU_NO_COUNTER = (
    "Tỷ lệ chưa hiểu trên tổng số tin nhắn: chưa tính được vì hệ thống chưa đếm tổng số tin "
    "nhắn nhận được. Biểu đồ cho biết số câu chưa hiểu mỗi tuần."
)
OVERVIEW_NLU_MISSED = (
    "Trong {reviewed} câu đã rà soát, {missed} câu thật ra thuộc một ý định trợ lý đã biết "
    "({share})."
)
OVERVIEW_EMPTY_CHART = "Chưa có dữ liệu."
OVERVIEW_CHART_WEEK = "Tuần bắt đầu {day}"
OVERVIEW_SCOPE = (
    "Số đăng ký và tỷ lệ vắng mặt là của người dân {commune}; tỷ lệ lấp chỗ tính trên cả sự "
    "kiện (chỗ ngồi dùng chung cho mọi xã)."
)
OVERVIEW_FILL_ALL = "Tỷ lệ lấp chỗ (cả sự kiện, mọi xã)"
OVERVIEW_SEAT_SHARE = "Phần chỗ do người dân {commune} giữ"
QUALITY_TITLE = "Chất lượng trả lời của trợ lý mỗi tuần"
QUALITY_OUTCOMES: Mapping[str, str] = {
    "answered": "Trả lời được",
    "clarified": "Hỏi lại «Ý bạn là…?»",
    "handoff": "Chuyển cán bộ",
    "fallback": "Chưa hiểu",
}
QUALITY_TOPIC = "Chủ đề"
QUALITY_NO_TOPIC = "Không rõ chủ đề"
QUALITY_SUMMARY = (
    "{total} câu hỏi trong 12 tuần: trả lời được {answered}, chuyển cán bộ {handoff}. "
    "Số liệu lưu trong cơ sở dữ liệu, không mất khi khởi động lại."
)
QUALITY_EMPTY = "Chưa có số liệu: trợ lý chưa ghi nhận câu hỏi nào trong 12 tuần qua."

# -- broadcast ----------------------------------------------------------------------------

BROADCAST_TITLE = "Gửi thông báo cho người dân"
BROADCAST_EVENT = "Gửi tới"
BROADCAST_STATUSES = "Gửi tới những người có trạng thái"
BROADCAST_TEXT = "Nội dung thông báo"
BROADCAST_PREVIEW = "Xem trước"
BROADCAST_PREVIEW_TITLE = "Xem trước thông báo"
BROADCAST_RECIPIENTS = "Sẽ gửi tới {count} người."
BROADCAST_UNREACHABLE = "{count} người không nhận được tin nhắn của bot và sẽ bị bỏ qua."
BROADCAST_SEND = "Gửi cho {count} người"
BROADCAST_EDIT = "Sửa lại"
BROADCAST_SENT = "Đã xếp hàng gửi {queued} tin nhắn (bỏ qua {skipped} người không nhận được)."
BROADCAST_STALE = "Nội dung đã thay đổi sau khi xem trước; vui lòng xem trước lại."
BROADCAST_NO_EVENT = "Chưa chọn sự kiện."
BROADCAST_NO_STATUS = "Chưa chọn trạng thái người nhận."
BROADCAST_SCOPE = "Chỉ gửi tới người dân của {commune}."
BROADCAST_SUBSCRIBERS = "Người dân đăng ký nhận thông báo chung"
BROADCAST_HEADER = "Thông báo về {title}:"
BROADCAST_LIMIT = "(tối đa {limit} ký tự, giới hạn của Telegram)"
BROADCAST_RATE = (
    "Tin nhắn được gửi lần lượt theo giới hạn tốc độ của Telegram; vài trăm người mất vài "
    "chục giây."
)

# -- try the bot --------------------------------------------------------------------------

TRY_TITLE = "Thử trợ lý như một người dân"
TRY_INTRO = (
    "Tin nhắn ở đây đi qua đúng quy trình xử lý của bot trên Telegram. Dùng để kiểm tra câu "
    "trả lời sau khi sửa nội dung kiến thức."
)
TRY_NOT_CONNECTED = "Trợ lý chưa được kết nối với trang này (bot chưa chạy cùng ứng dụng web)."
TRY_PLACEHOLDER = "Nhập câu hỏi như người dân…"
TRY_SEND = "Gửi"
TRY_YOU = "Anh/chị"
TRY_BOT = "Trợ lý"
TRY_FAILED = "Trợ lý gặp lỗi khi trả lời; xem nhật ký máy chủ."
TRY_NO_REPLY = "(trợ lý không trả lời)"

# -- audit --------------------------------------------------------------------------------

AUDIT_TITLE = "Nhật ký thay đổi"
AUDIT_AT = "Thời điểm"
AUDIT_ACTOR = "Người thực hiện"
AUDIT_ACTION = "Thao tác"
AUDIT_ENTITY = "Đối tượng"
AUDIT_BEFORE = "Trước"
AUDIT_AFTER = "Sau"
AUDIT_EMPTY = "Chưa có thay đổi nào."

# -- command line (`python -m bot staff`) --------------------------------------------------

CLI_PASSWORD_PROMPT = "Mật khẩu mới: "
CLI_PASSWORD_AGAIN = "Nhập lại mật khẩu: "
CLI_PASSWORD_MISMATCH = "Hai lần nhập mật khẩu không khớp."
CLI_CREATED = "Đã tạo tài khoản {login} ({role}{commune})."
CLI_PASSWORD_SET = "Đã đổi mật khẩu cho {login}."
CLI_ACTIVE_SET = "Tài khoản {login}: {state}."
CLI_STATE_ACTIVE = "đang hoạt động"
CLI_STATE_INACTIVE = "đã khóa"
CLI_NO_PASSWORD = "Không đọc được mật khẩu (dùng --password-stdin khi không có bàn phím)."
ACCOUNT_PROBLEMS: Mapping[str, str] = {
    "invalid_login": (
        "Tên đăng nhập chỉ gồm chữ thường không dấu, số, dấu chấm, gạch ngang hoặc gạch dưới "
        "(2–40 ký tự)."
    ),
    "login_taken": "Tên đăng nhập này đã có.",
    "password_too_short": "Mật khẩu phải có ít nhất {min} ký tự.",
    "password_too_long": "Mật khẩu dài quá {max} ký tự.",
    "password_guessable": (
        "Mật khẩu quá dễ đoán (mật khẩu phổ biến, lặp ký tự, dãy số, tên người hoặc tên xã). "
        "Hãy dùng một câu dài dễ nhớ gồm vài từ không liên quan, ví dụ: "
        "“mây trắng bay qua cầu tre”."
    ),
    "invalid_name": "Họ tên đang để trống hoặc quá dài.",
    "commune_required": "Cán bộ xã phải có --commune (dam_ha hoặc quang_tan).",
    "unknown_commune": "Mã xã không đúng (dùng dam_ha hoặc quang_tan).",
    "unknown_account": "Không có tài khoản này.",
}

# -- additions for the registrations table -------------------------------------------------

REG_BULK_APPLY = "Áp dụng"
REG_BULK_CHOOSE = "Chọn thao tác…"
REG_SHOWING = "Hiển thị {first}–{last} trong {total} đăng ký"

# -- printing ------------------------------------------------------------------------------

PRINT_HINT = "Mẹo: chọn khổ A4 khi in; thanh điều hướng không được in ra."
AUDIT_FILTER_ACTOR = "Người thực hiện"
AUDIT_FILTER_ENTITY = "Loại thay đổi"
AUDIT_ENTITIES: Mapping[str, str] = {
    "registration": "Đăng ký",
    "event": "Sự kiện",
    "citizen": "Người dân",
    "handoff_ticket": "Câu hỏi của dân",
    "broadcast": "Thông báo chung",
    "staff_user": "Tài khoản cán bộ",
    "nlu_review_item": "Rà soát câu chưa hiểu",
    "office_hours": "Giờ làm việc",
}

# -- citizen page -------------------------------------------------------------------------

CITIZEN_PROFILE = "Thông tin cá nhân"
CITIZEN_PROFILE_AUDITED = (
    "Mọi sửa đổi được ghi vào nhật ký thay đổi (ai sửa, lúc nào, trước và sau)."
)
CITIZEN_CONSENT = "Đồng ý xử lý dữ liệu"
CITIZEN_CONSENT_GIVEN = "Đã đồng ý lúc {when} (văn bản {version})"
CITIZEN_NO_CONSENT = "Chưa đồng ý"
CITIZEN_ERASURE = "Xóa dữ liệu"
CITIZEN_ERASED_AT = "Đã xóa theo yêu cầu lúc {when}"
CITIZEN_NOT_ERASED = "Chưa yêu cầu xóa"
CITIZEN_REACH = "Nhận tin nhắn của bot"
CITIZEN_REACHABLE = "Có"
CITIZEN_UNREACHABLE = "Không (đã chặn bot, đã xóa dữ liệu hoặc không có Telegram)"
CITIZEN_BROADCASTS = "Nhận thông báo chung"
CITIZEN_REGISTRATIONS = "Các đăng ký"
CITIZEN_TICKETS = "Câu hỏi gửi cán bộ"
CITIZEN_NOTES = "Ghi chú của cán bộ"
CITIZEN_NOTE_LABEL = "Ghi chú mới (chỉ cán bộ xem)"
CITIZEN_NOTE_ADD = "Thêm ghi chú"
CITIZEN_NO_NOTES = "Chưa có ghi chú."
CITIZEN_NOTE_SAVED = "Đã lưu ghi chú."
CITIZEN_NOTE_EMPTY = "Ghi chú đang để trống."
CITIZEN_SAVED = "Đã lưu thông tin người dân."
CITIZEN_ERASED = "Dữ liệu của người này đã bị xóa theo yêu cầu; không sửa được."
CITIZEN_BAD_BIRTH_YEAR = "Năm sinh phải là số (ví dụ 1965)."
CITIZEN_BAD_PHONE = "Số điện thoại chưa đúng (ví dụ 0912 345 678)."
CITIZEN_REFUSALS: Mapping[str, str] = {
    "invalid_name": "Họ tên đang để trống hoặc quá dài.",
    "unknown_commune": "Xã không đúng.",
    "invalid_birth_year": "Năm sinh không hợp lệ.",
    "unknown_target_group": "Nhóm đối tượng không đúng.",
}
CITIZEN_DUPLICATES = "Có thể là cùng một người"
CITIZEN_CALL = "Gọi {phone}"
CITIZEN_SAME_PHONE = "Cùng số điện thoại (hai tài khoản Telegram)"
CITIZEN_SAME_NAME = "Tên giống hệt khi bỏ dấu và ký tự ẩn"
CITIZEN_MERGE = "Gộp vào hồ sơ này"
CITIZEN_MERGE_CONFIRM = (
    "Gộp hồ sơ kia vào hồ sơ này? Đăng ký, câu hỏi và ghi chú sẽ chuyển sang hồ sơ này."
)
CITIZEN_NOT_SAME_BUTTON = "Không phải cùng một người"
CITIZEN_NOT_SAME = "Đã ghi nhận: hai hồ sơ là hai người khác nhau."
CITIZEN_MERGED = (
    "Đã gộp hồ sơ: chuyển {moved} đăng ký, {tickets} câu hỏi; {apart} đăng ký trùng sự kiện "
    "được giữ ở hồ sơ cũ."
)
CITIZEN_MERGED_INTO = "Hồ sơ này đã được gộp vào:"


# -- the audit log as sentences -------------------------------------------------------------

AUDIT_INTRO = "Mọi thay đổi của cán bộ, mới nhất trước; giờ Việt Nam."
AUDIT_SCOPE = "Chỉ gồm các thay đổi liên quan tới {commune}."
AUDIT_WHAT = "Nội dung"
_AUDIT_SENTENCES: Mapping[str, str] = {
    "registration.approve": "{actor} duyệt đăng ký của {citizen} cho {event}",
    "registration.reject": "{actor} không duyệt đăng ký của {citizen} cho {event}",
    "registration.reopen": "{actor} mở lại đăng ký của {citizen} cho {event}",
    "registration.check_in": "{actor} ghi {citizen} có mặt ở {event}",
    "registration.no_show": "{actor} ghi {citizen} vắng mặt ở {event}",
    "event.create": "{actor} tạo sự kiện {event}",
    "event.cancel": "{actor} hủy sự kiện {event}",
    "broadcast.event": "{actor} gửi thông báo tới {queued} người đăng ký {event}",
    "broadcast.opted_in": "{actor} gửi thông báo chung tới {queued} người",
    "handoff.reply": "{actor} trả lời câu hỏi số {id} của {citizen}",
    "handoff.close": "{actor} đóng câu hỏi số {id} của {citizen}",
    "handoff.assign": "{actor} giao câu hỏi số {id} của {citizen} cho {assignee}",
    "citizen.update": "{actor} sửa {fields} của {citizen}",
    "citizen.note": "{actor} thêm ghi chú về {citizen}",
    "citizen.merge": "{actor} gộp hồ sơ số {merged_id} vào hồ sơ của {citizen}",
    "citizen.not_duplicate": (
        "{actor} xác nhận {citizen} và hồ sơ số {other_id} là hai người khác nhau"
    ),
    "citizen.erase": "Dữ liệu của người dân số {id} đã được xóa theo yêu cầu",
    "office_hours.update": "{actor} đặt giờ làm việc trả lời câu hỏi: {hours}",
    "knowledge_publish": "{actor} công bố {key}: {before_value} → {after_value} (nguồn: {source})",
    "knowledge_rollback": "{actor} khôi phục {key}: {before_value} → {after_value}",
}
_EVENT_STATUS_SENTENCES: Mapping[str, str] = {
    "open": "{actor} mở nhận đăng ký sự kiện {event}",
    "closed": "{actor} ngừng nhận đăng ký sự kiện {event}",
}
_FIELD_NAMES: Mapping[str, str] = {
    **EVENT_FIELDS,
    "full_name": "họ tên",
    "phone": "số điện thoại",
    "birth_year": "năm sinh",
    "commune": "xã",
    "target_groups": "nhóm đối tượng",
    "reminder_offsets_minutes": "giờ nhắc lịch",
}
AUDIT_REASON = " — lý do: «{reason}»"
AUDIT_NOTICE_WITHDRAWN = " (thông báo không duyệt chưa gửi đã được rút lại)"
AUDIT_SOMEONE = "một người dân"
AUDIT_AN_EVENT = "một sự kiện"


def _fields(after: Mapping[str, Any]) -> str:
    names = [_FIELD_NAMES.get(key, key).lower() for key in after]
    return ", ".join(names) if names else "thông tin"


def _knowledge_value(side: Mapping[str, Any]) -> str:
    """A published fact's value, or the start of an answer's text, for one audit sentence."""
    if "value" in side:
        return str(side["value"])
    text = str(side.get("text") or "—")
    return text if len(text) <= 60 else text[:57] + "…"


def _hours_text(spec: str) -> str:
    """'0-4 07:30-11:30' style spec (per day) as 'Thứ Hai 07:30–11:30, …'."""
    parts = []
    for group in filter(None, (g.strip() for g in spec.split(";"))):
        day, _, periods = group.partition(" ")
        name = WEEKDAY_NAMES[int(day)] if day.isdigit() and int(day) < 7 else day
        parts.append(f"{name} {periods.replace('-', '–').replace(' ', ', ')}")
    return "; ".join(parts) or NONE


def audit_sentence(entry: AuditEntry, labels: AuditLabels) -> str:
    """One audit entry as a Vietnamese sentence ("Lan duyệt đăng ký của Hoa cho Lớp may")."""
    after: Mapping[str, Any] = entry.after or {}
    actor = labels.staff.get(entry.actor, entry.actor.partition(":")[2] or entry.actor)
    citizen = AUDIT_SOMEONE
    event = AUDIT_AN_EVENT
    entity_id = entry.entity_id
    if entry.entity_type == "registration" and entity_id in labels.registrations:
        name, event = labels.registrations[entity_id]
        citizen = name or ERASED_NAME
    elif entry.entity_type == "event" and entity_id in labels.events:
        event = labels.events[entity_id]
    elif entry.entity_type == "citizen" and entity_id in labels.citizens:
        citizen = labels.citizens[entity_id] or ERASED_NAME
    elif entry.entity_type == "handoff_ticket":
        citizen = labels.tickets.get(entity_id or 0) or HANDOFF_ANONYMOUS.lower()
    assignee = after.get("assigned_to")
    values = {
        "actor": actor,
        "citizen": citizen,
        "event": f"«{event}»",
        "id": entity_id,
        "queued": after.get("queued", 0),
        "fields": _fields(after),
        "merged_id": after.get("merged_id", ""),
        "other_id": after.get("other_id", ""),
        "assignee": labels.staff.get(f"staff:{assignee}", assignee) if assignee else "—",
        "hours": _hours_text(str(after.get("hours", ""))),
        "key": after.get("key", ""),
        "before_value": _knowledge_value(entry.before or {}),
        "after_value": _knowledge_value(after),
        "source": after.get("source", "—"),
    }
    template = _AUDIT_SENTENCES.get(entry.action)
    if entry.action == "event.update":
        status = after.get("status")
        template = _EVENT_STATUS_SENTENCES.get(str(status)) if status else None
        template = template or "{actor} sửa {fields} của sự kiện {event}"
    if template is None:
        label = AUDIT_ACTIONS.get(entry.action, entry.action)
        suffix = f" ({entry.entity_type} #{entity_id})" if entity_id is not None else ""
        return f"{actor}: {label}{suffix}"
    sentence = template.format(**values)
    if entry.action == "registration.reject" and after.get("reason"):
        sentence += AUDIT_REASON.format(reason=str(after["reason"]).rstrip(". "))
    if entry.action == "registration.reopen" and after.get("notice_withdrawn"):
        sentence += AUDIT_NOTICE_WITHDRAWN
    return sentence + "."


# -- working hours of a commune office ------------------------------------------------------

HOURS_TITLE = "Giờ làm việc trả lời câu hỏi"
HOURS_LINK = "Giờ làm việc của xã"
HOURS_INTRO = (
    "Người dân hỏi ngoài các giờ này sẽ được báo khi nào dự kiến có cán bộ trả lời. "
    "Bỏ tích ngày nghỉ; buổi chiều có thể để trống."
)
HOURS_DAY = "Ngày"
HOURS_MORNING = "Buổi sáng"
HOURS_AFTERNOON = "Buổi chiều"
HOURS_FROM = "từ"
HOURS_TO = "đến"
HOURS_BAD_PERIOD = "{day}: giờ bắt đầu và kết thúc chưa đúng (ví dụ 07:30 – 11:30)."
HOURS_OVERLAP = "{day}: buổi chiều phải bắt đầu sau khi buổi sáng kết thúc."
HOURS_DAY_EMPTY = "{day}: đã tích làm việc nhưng chưa có giờ."
HOURS_SAVED = "Đã lưu giờ làm việc của {commune}."
HOURS_NO_DAY = "Chọn ít nhất một ngày làm việc."
WEEKDAY_NAMES = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")

# -- open sessions (admins) ------------------------------------------------------------------

SESSIONS_TITLE = "Phiên đăng nhập đang mở"
SESSIONS_INTRO = (
    "Mỗi dòng là một trình duyệt đang đăng nhập. Kết thúc phiên nếu máy bị mất, bị dùng chung "
    "hoặc cán bộ đã nghỉ việc: trình duyệt đó phải đăng nhập lại ngay."
)
SESSIONS_WHO = "Tài khoản"
SESSIONS_SINCE = "Đăng nhập lúc"
SESSIONS_LAST_SEEN = "Hoạt động gần nhất"
SESSIONS_ADDRESS = "Địa chỉ IP"
SESSIONS_END = "Kết thúc phiên"
SESSIONS_EMPTY = "Không có phiên nào đang mở."
SESSION_REVOKED = "Đã kết thúc phiên #{id}."

# -- emergency stop of answers -------------------------------------------------------------

ANSWERS_TITLE = "Tạm dừng trả lời tự động"
ANSWERS_INTRO = (
    "Khi phát hiện trợ lý trả lời sai (mức tiền, điều kiện đã thay đổi), quản trị viên tạm "
    "dừng chủ đề đó ngay tại đây. Người dân hỏi về chủ đề bị dừng sẽ được nhắn: “Trợ lý đang "
    "bảo trì phần này, hãy liên hệ UBND xã …”. Đăng ký sự kiện, xem đăng ký và gặp cán bộ "
    "vẫn hoạt động bình thường. Mọi lần dừng và mở lại đều ghi vào nhật ký."
)
ANSWERS_TOPIC = "Chủ đề"
ANSWERS_STATE = "Trạng thái"
ANSWERS_IS_ON = "Đang trả lời"
ANSWERS_IS_STOPPED = "Đã tạm dừng ({by}, {at})"
ANSWERS_STOP = "Tạm dừng"
ANSWERS_RESUME = "Cho trả lời lại"
ANSWERS_STOPPED = "Đã tạm dừng trả lời: {topic}."
ANSWERS_RESUMED = "Trợ lý trả lời lại: {topic}."
ANSWERS_UNKNOWN = "Không có chủ đề này."
ANSWER_TOPICS: Mapping[str, str] = {
    "*": "Tất cả câu trả lời",
    "housing": "Hỗ trợ nhà ở, thiên tai",
    "allowance": "Trợ cấp xã hội, mai táng phí, thẻ BHYT",
    "jobs": "Học nghề, việc làm, xuất khẩu lao động",
    "office": "Nơi nộp hồ sơ, liên hệ, hồ sơ của tôi, khiếu nại",
}

# -- own password ----------------------------------------------------------------------------

NAV_PASSWORD = "Đổi mật khẩu"
PASSWORD_TITLE = "Đổi mật khẩu"
PASSWORD_INTRO = (
    "Mật khẩu mới cần ít nhất 10 ký tự và khó đoán: một câu dài gồm vài từ không liên quan là "
    "tốt nhất. Sau khi đổi, mọi máy khác đang đăng nhập tài khoản này sẽ bị đăng xuất."
)
PASSWORD_CURRENT = "Mật khẩu hiện tại"
PASSWORD_NEW = "Mật khẩu mới"
PASSWORD_AGAIN = "Nhập lại mật khẩu mới"
PASSWORD_SUBMIT = "Đổi mật khẩu"
PASSWORD_MISMATCH = "Hai lần nhập mật khẩu mới không giống nhau."
PASSWORD_WRONG_CURRENT = "Mật khẩu hiện tại không đúng (hoặc đã nhập sai quá nhiều lần)."
PASSWORD_CHANGED = "Đã đổi mật khẩu. Các máy khác đã bị đăng xuất."
