"""What a citizen reads in the registration form and under "Đăng ký của tôi".

Every sentence of those flows is here so that wording is reviewed in one place, and every
function that puts a value into a sentence escapes it: names, titles and venues come from
people (a name like `<b>Lan & Co` must arrive as typed), and Telegram's HTML parse mode
refuses a message with a stray `<` or `&` outright.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from datetime import datetime

from bot.services.clock import to_local
from bot.services.communes import DAM_HA, OUTSIDE, QUANG_TAN
from bot.services.phones import PhoneProblem, format_phone_local
from bot.texts.common import esc

# -- names of things ------------------------------------------------------------------------

KIND_LABELS: Mapping[str, str] = {
    "vocational_class": "Lớp học nghề",
    "job_fair": "Phiên giao dịch việc làm",
}

#: Codes of bot.services.citizens.TARGET_GROUPS, in the order the buttons show them.
TARGET_GROUP_LABELS: Mapping[str, str] = {
    "elderly": "Người cao tuổi",
    "disabled": "Người khuyết tật",
    "poor_household": "Hộ nghèo",
    "near_poor_household": "Hộ cận nghèo",
    "ethnic_minority": "Người dân tộc thiểu số",
    "single_parent": "Đơn thân nuôi con",
    "unemployed": "Người thất nghiệp",
    "youth": "Thanh niên",
    "demobilised_soldier": "Bộ đội xuất ngũ",
    "land_acquired": "Bị thu hồi đất",
    "rural_worker": "Lao động nông thôn",
    "woman": "Phụ nữ",
}

COMMUNE_LABELS: Mapping[str, str] = {
    DAM_HA: "Xã Đầm Hà",
    QUANG_TAN: "Xã Quảng Tân",
    OUTSIDE: "Nơi khác",
}

STATUS_LABELS: Mapping[str, str] = {
    "confirmed": "✅ Đã có chỗ",
    "waitlisted": "⏳ Danh sách chờ, thứ {position}",
    "pending": "🕓 Chờ cán bộ duyệt",
    "cancelled": "Đã hủy",
    "rejected": "Không được duyệt",
    "attended": "Đã tham dự",
    "no_show": "Vắng mặt",
}

FIELD_LABELS: Mapping[str, str] = {
    "full_name": "Họ tên",
    "phone": "Số điện thoại",
    "birth_year": "Năm sinh",
    "commune": "Nơi ở",
    "target_groups": "Nhóm đối tượng",
}

# -- buttons ----------------------------------------------------------------------------------

BUTTON_CONFIRM = "✅ Xác nhận"
BUTTON_EDIT = "✏️ Sửa"
BUTTON_STOP = "Dừng đăng ký"
BUTTON_SHARE_PHONE = "📱 Gửi số điện thoại của tôi"
BUTTON_GROUPS_DONE = "Xong ➜"
BUTTON_NO_GROUP = "Không thuộc nhóm nào"
BUTTON_BACK_TO_SUMMARY = "« Quay lại"
BUTTON_CANCEL_REGISTRATION = "Hủy đăng ký"
BUTTON_CANCEL_YES = "Có, hủy đăng ký"
BUTTON_CANCEL_NO = "Không, giữ lại"
BUTTON_MAP = "Xem bản đồ"
CHECKED = "☑️ "

# -- small formatters -------------------------------------------------------------------------


def when(value: datetime) -> str:
    """A UTC time as people in Đầm Hà read it: 15/03/2026 08:00."""
    return to_local(value).strftime("%d/%m/%Y %H:%M")


def short(text: str, limit: int = 40) -> str:
    """A button label cut to fit a phone screen (not escaped: buttons are plain text)."""
    clean = " ".join(text.split())
    return clean if len(clean) <= limit else clean[: limit - 1].rstrip() + "…"


def map_link(url: str | None) -> str:
    """' (Xem bản đồ)' as a link, or '' when the venue has no map."""
    if not url or not url.startswith(("http://", "https://")):
        return ""
    return f' (<a href="{html.escape(url, quote=True)}">{BUTTON_MAP}</a>)'


def event_details(
    *, title: str, starts_at: datetime, venue: str, venue_map_url: str | None = None
) -> str:
    """Title, time and place of an event, three lines."""
    place = esc(venue) if venue else "sẽ báo sau"
    return f"<b>{esc(title)}</b>\n🗓 {when(starts_at)}\n📍 {place}{map_link(venue_map_url)}"


def seats_line(seats_left: int | None) -> str:
    if seats_left is None:
        return "Không giới hạn số chỗ"
    if seats_left <= 0:
        return "Hết chỗ, có thể vào danh sách chờ"
    return f"Còn {seats_left} chỗ"


def status_label(status: str, position: int | None = None) -> str:
    return STATUS_LABELS.get(status, status).format(position=position or "?")


def groups_label(codes: Iterable[str]) -> str:
    names = [TARGET_GROUP_LABELS.get(code, code) for code in codes]
    return ", ".join(names) if names else "Không thuộc nhóm nào"


def commune_label(code: str | None) -> str:
    return COMMUNE_LABELS.get(code or "", "—")


def phone_label(e164: str) -> str:
    try:
        return format_phone_local(e164)
    except ValueError:
        return esc(e164)


# -- choosing an event ------------------------------------------------------------------------


def events_header(kind: str | None) -> str:
    if kind == "vocational_class":
        return "Các lớp học nghề đang nhận đăng ký:"
    if kind == "job_fair":
        return "Các phiên giao dịch việc làm đang nhận đăng ký:"
    return "Các lớp học nghề và phiên việc làm đang nhận đăng ký:"


def no_match_note(wanted: str) -> str:
    return f"Chưa có lớp hay phiên nào phù hợp với «{esc(wanted)}». Đây là tất cả đang mở:"


def no_events(kind: str | None) -> str:
    what = {"vocational_class": "lớp học nghề", "job_fair": "phiên giao dịch việc làm"}.get(
        kind or "", "lớp học nghề hay phiên việc làm"
    )
    return (
        f"Hiện chưa có {what} nào nhận đăng ký. Bạn quay lại sau nhé, "
        "hoặc gửi /canbo để hỏi cán bộ."
    )


def event_list_item(
    number: int, *, title: str, starts_at: datetime, venue: str, seats_left: int | None
) -> str:
    place = f" · 📍 {esc(venue)}" if venue else ""
    return (
        f"{number}. <b>{esc(title)}</b>\n    🗓 {when(starts_at)}{place}\n"
        f"    {seats_line(seats_left)}"
    )


CHOOSE_EVENT = "Bấm vào lớp hoặc phiên bạn muốn đăng ký."
EVENT_NOT_FOUND = "Không tìm thấy lớp hoặc phiên này, có thể đường dẫn đã cũ."


def form_intro(title: str, starts_at: datetime) -> str:
    return (
        f"Đăng ký: <b>{esc(title)}</b> ({when(starts_at)}).\n"
        "Mình cần vài thông tin. Muốn dừng lúc nào, gửi /huy."
    )


# -- the questions ----------------------------------------------------------------------------

ASK_FULL_NAME = "Họ và tên đầy đủ của bạn là gì? (ví dụ: Nguyễn Thị Lan)"
ASK_PHONE = (
    "Số điện thoại di động của bạn là gì?\n"
    f"Bấm nút «{BUTTON_SHARE_PHONE}» bên dưới, hoặc gõ số (ví dụ: 0912 345 678)."
)
ASK_COMMUNE = (
    "Bạn đang sống ở xã nào? Bấm nút bên dưới, hoặc gõ tên xã cũ "
    "(ví dụ: Dực Yên, Tân Bình, thị trấn Đầm Hà)."
)
ASK_TARGET_GROUPS = (
    f"Bạn thuộc nhóm nào dưới đây? Có thể chọn nhiều nhóm. Chọn xong bấm «{BUTTON_GROUPS_DONE}»."
)
PRESS_A_BUTTON = "Bạn bấm một nút trong tin nhắn trên nhé (hoặc gửi /huy để dừng)."


def ask_birth_year(low: int, high: int) -> str:
    return f"Bạn sinh năm nào? Gõ 4 chữ số, ví dụ: 1985 (từ {low} đến {high})."


# -- re-asking after a wrong answer -----------------------------------------------------------

NAME_PROBLEMS: Mapping[str, str] = {
    "too_short": "Họ tên hơi ngắn. Bạn gõ đầy đủ họ và tên nhé, ví dụ: Nguyễn Thị Lan.",
    "too_long": "Họ tên dài quá 100 ký tự. Bạn gõ lại ngắn gọn giúp mình nhé.",
    "has_digits": "Họ tên không có chữ số. Bạn gõ lại họ và tên nhé, ví dụ: Nguyễn Thị Lan.",
    "no_letters": "Mình chưa đọc được họ tên. Bạn gõ lại họ và tên nhé.",
}

_PHONE_PROBLEMS: Mapping[PhoneProblem, str] = {
    PhoneProblem.EMPTY: "Mình chưa thấy số điện thoại.",
    PhoneProblem.INVALID_CHARACTERS: "Số điện thoại chỉ gồm chữ số (có thể có dấu cách).",
    PhoneProblem.FOREIGN: "Mình chỉ nhận số di động Việt Nam.",
    PhoneProblem.LANDLINE: "Đây có vẻ là số máy bàn; mình cần số di động.",
    PhoneProblem.SERVICE_NUMBER: "Đây là số tổng đài; mình cần số di động của bạn.",
    PhoneProblem.OBSOLETE_PREFIX: "Số 11 chữ số cũ đã đổi sang 10 chữ số từ năm 2018.",
    PhoneProblem.TOO_SHORT: "Số điện thoại bị thiếu chữ số.",
    PhoneProblem.TOO_LONG: "Số điện thoại bị thừa chữ số.",
    PhoneProblem.UNKNOWN_PREFIX: "Đầu số này không phải số di động Việt Nam.",
}


def phone_problem(problem: PhoneProblem) -> str:
    reason = _PHONE_PROBLEMS.get(problem, "Số điện thoại chưa đúng.")
    return f"{reason} Bạn gõ lại số di động 10 chữ số nhé, ví dụ: 0912 345 678."


def birth_year_problem(low: int, high: int) -> str:
    return f"Năm sinh cần là 4 chữ số, từ {low} đến {high}. Ví dụ: 1985."


COMMUNE_UNKNOWN = (
    "Mình chưa nhận ra tên xã này. Bạn bấm một nút bên dưới, hoặc gõ tên xã "
    "(ví dụ: Quảng Lâm, Đại Bình)."
)


def phone_received(e164: str) -> str:
    return f"Đã nhận số {phone_label(e164)}."


# -- summary and result -----------------------------------------------------------------------

EDIT_WHICH = "Bạn muốn sửa thông tin nào?"


def summary(
    *, title: str, starts_at: datetime, venue: str, fields: Iterable[tuple[str, str]]
) -> str:
    """`fields`: (label from FIELD_LABELS, value as shown, escaped) in the form's order."""
    lines = "".join(f"{label}: {shown}\n" for label, shown in fields)
    return (
        "Bạn kiểm tra lại thông tin giúp mình:\n\n"
        f"{event_details(title=title, starts_at=starts_at, venue=venue)}\n\n"
        f"{lines}\n"
        f"Đúng rồi thì bấm «{BUTTON_CONFIRM}», cần sửa thì bấm «{BUTTON_EDIT}»."
    )


def what_to_bring(text: str) -> str:
    return f"\n🎒 Mang theo: {esc(text)}" if text.strip() else ""


def registered_confirmed(details: str, bring: str) -> str:
    return (
        f"✅ Đăng ký thành công! Bạn đã có chỗ.\n\n{details}{what_to_bring(bring)}\n\n"
        "Bot sẽ nhắn nhắc bạn trước ngày diễn ra. Xem lại hoặc hủy: gửi /dangky."
    )


def registered_waitlisted(details: str, position: int | None) -> str:
    return (
        f"Lớp đã đủ chỗ. Bạn đang ở <b>vị trí thứ {position or '?'}</b> trong danh sách chờ.\n\n"
        f"{details}\n\nKhi có người hủy, bot sẽ báo ngay cho bạn. Xem lại: gửi /dangky."
    )


def registered_pending(details: str) -> str:
    return (
        f"Đã nhận đăng ký của bạn.\n\n{details}\n\n"
        "Cán bộ sẽ xem xét và bot sẽ báo kết quả cho bạn. Xem lại: gửi /dangky."
    )


def already_registered(details: str, status: str, position: int | None) -> str:
    return (
        f"Bạn đã đăng ký rồi, không cần đăng ký lại.\n\n{details}\n"
        f"Tình trạng: {status_label(status, position)}\n\nXem lại hoặc hủy: gửi /dangky."
    )


def refusal(
    reason: str, *, title: str, deadline: datetime | None = None, groups: Iterable[str] = ()
) -> str:
    """Why a registration was refused, politely, by `services.errors.Reason` value."""
    name = f"<b>{esc(title)}</b>"
    if reason == "deadline_passed" and deadline is not None:
        return f"Rất tiếc, {name} đã hết hạn đăng ký (hạn cuối {when(deadline)})."
    if reason == "event_started":
        return f"Rất tiếc, {name} đã bắt đầu nên không nhận đăng ký nữa."
    if reason == "event_cancelled":
        return f"Rất tiếc, {name} đã bị hủy."
    if reason == "not_eligible":
        return (
            f"Rất tiếc, {name} chỉ dành cho: {groups_label(groups)}. Theo thông tin bạn khai, "
            f"bạn chưa thuộc các nhóm này. Nếu khai nhầm, bấm «{BUTTON_EDIT}» để sửa."
        )
    if reason == "previously_rejected":
        return (
            f"Đăng ký trước đây của bạn cho {name} đã không được duyệt. "
            "Bạn liên hệ UBND xã nơi cư trú hoặc gửi /canbo để hỏi cán bộ nhé."
        )
    return f"Rất tiếc, {name} hiện không nhận đăng ký."


DATA_PROBLEM = "Có thông tin chưa đúng. Bạn bấm «✏️ Sửa» để kiểm tra lại nhé."

# -- leaving, stale buttons ---------------------------------------------------------------------

LEFT_FLOW = "Đã dừng. Thông tin đang nhập dở đã được xóa. Gửi /menu để xem các mục."
NOTHING_TO_LEAVE = "Bạn không có bước nào đang làm dở. Gửi /menu để xem các mục."
CONTACT_NOT_EXPECTED = "Cảm ơn bạn. Hiện mình chưa cần số điện thoại. Gửi /menu để xem các mục."

# -- my registrations ---------------------------------------------------------------------------

MY_EMPTY = "Bạn chưa có đăng ký nào sắp diễn ra. Gửi /menu để tìm lớp học nghề hoặc phiên việc làm."
MY_HEADER = "Đăng ký của bạn:"


def my_item(number: int, details: str, status: str, position: int | None) -> str:
    return f"{number}. {details}\nTình trạng: {status_label(status, position)}"


def cancel_button(number: int, title: str) -> str:
    return f"Hủy {number}. {short(title, 30)}"


def confirm_cancel(details: str) -> str:
    return f"Bạn chắc chắn muốn hủy đăng ký này?\n\n{details}"


def cancelled(title: str) -> str:
    return f"Đã hủy đăng ký <b>{esc(title)}</b>. Cảm ơn bạn đã báo để nhường chỗ cho người khác."


KEPT = "Đăng ký của bạn vẫn giữ nguyên."
ALREADY_CANCELLED = "Đăng ký này đã được hủy trước đó."
NOT_YOURS = "Không tìm thấy đăng ký này trong danh sách của bạn."
CANCEL_TOO_LATE = (
    "Lớp hoặc phiên này đã bắt đầu nên không hủy qua bot được. Bạn báo cán bộ giúp mình nhé."
)
CANNOT_CANCEL = "Đăng ký này không hủy được nữa. Gửi /canbo nếu bạn cần hỏi cán bộ."


def still_attending(title: str, starts_at: datetime) -> str:
    return f"Cảm ơn bạn! Hẹn gặp bạn tại <b>{esc(title)}</b> lúc {when(starts_at)}."


STILL_ATTENDING_TOAST = "Đã ghi nhận, cảm ơn bạn!"
