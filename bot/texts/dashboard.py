"""Every word a staff member reads in the dashboard, its exports and its command line.

Kept in one file so that wording is reviewed in one place, and so the templates hold markup
only. Names of things (target groups, event kinds, communes) are shared with what citizens
read in the bot (bot.texts.registration), so staff and citizens use the same words.
Templates read these constants as `t.NAME`; placeholders are filled with `str.format` by the
dashboard, which escapes every value.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.texts.registration import COMMUNE_LABELS, KIND_LABELS, TARGET_GROUP_LABELS

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
}

# -- navigation and common words ----------------------------------------------------------

NAV_OVERVIEW = "Tổng quan"
NAV_EVENTS = "Sự kiện"
NAV_REGISTRATIONS = "Đăng ký"
NAV_HANDOFF = "Câu hỏi của dân"
NAV_NLU = "Rà soát câu chưa hiểu"
NAV_BROADCAST = "Gửi thông báo"
NAV_TRY_BOT = "Thử trợ lý"
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
#: services.errors.Reason -> what staff read.
REFUSALS: Mapping[str, str] = {
    "event_not_open": "Sự kiện chưa mở đăng ký.",
    "event_cancelled": "Sự kiện đã bị hủy.",
    "event_started": "Sự kiện đã bắt đầu.",
    "event_not_started": "Sự kiện chưa bắt đầu nên chưa đánh dấu vắng mặt được.",
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
}
REG_ACTION_DONE = "{action}: {done} đăng ký đã xử lý."
REG_ACTION_FAILED = "{failed} đăng ký không xử lý được: {reasons}"
REG_NOT_FOUND = "không tìm thấy hoặc ngoài phạm vi"
REG_WAITLIST = "chờ thứ {position}"
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
OVERVIEW_SCOPE = "Số liệu của {commune}; tỷ lệ lấp chỗ tính trên cả sự kiện."

# -- broadcast ----------------------------------------------------------------------------

BROADCAST_TITLE = "Gửi thông báo cho người đã đăng ký"
BROADCAST_EVENT = "Sự kiện"
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
AUDIT_FILTER_ACTOR = "Người thực hiện (ví dụ staff:lan)"
AUDIT_FILTER_ENTITY = "Loại đối tượng"
