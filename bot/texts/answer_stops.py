"""What a citizen reads while staff have stopped the answers of a topic (emergency stop).

No telephone number or address is given: none is verified for the two new communes
(domain-facts §5), so the citizen is pointed to the People's Committee of their commune by
name, and reminded that registering and asking an officer still work.
"""

from __future__ import annotations

from bot.services.communes import COMMUNES, OUTSIDE


def paused(commune_code: str | None) -> str:
    """The maintenance notice, naming the citizen's commune when it is known."""
    if commune_code in COMMUNES and commune_code != OUTSIDE:
        office = f"<b>UBND xã {COMMUNES[commune_code]}</b>"
    else:
        office = "<b>UBND xã nơi bạn cư trú</b>"
    return (
        "🛠 Trợ lý đang bảo trì phần này, hãy liên hệ "
        f"{office} để được trả lời chính xác.\n"
        "Bạn vẫn có thể đăng ký học nghề, hội chợ việc làm, xem đăng ký của mình "
        "hoặc bấm <b>Gặp cán bộ</b> như bình thường."
    )
