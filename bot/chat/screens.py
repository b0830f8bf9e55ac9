"""The menus, answers, consent and privacy screens: text and buttons composed from bot.texts.

Screens are `RenderedMessage`s (text + rows of `Button`, from services.outbox) instead of
Telegram objects, so the same screen serves a Telegram reply, an outbox message (the officer's
answer, bot.chat.notifications) and the dashboard's "try the bot" page (bot.chat.preview).
`bot.chat.keyboards.markup` turns one into an inline keyboard.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Final

from bot.chat import callbacks as cb
from bot.chat.keyboards import Rows
from bot.chat.keyboards import button as _button
from bot.knowledge import Answer
from bot.outbox.queue import Button, RenderedMessage
from bot.texts import common as texts
from bot.texts import consent as consent_texts
from bot.texts import privacy as privacy_texts


def _intent_button(intent: str) -> Button:
    return _button(texts.INTENT_LABELS[intent], cb.ANSWER, intent)


BACK: Final = _button(texts.BUTTON_BACK, cb.MENU, "main")
MENU: Final = _button(texts.BUTTON_MENU, cb.MENU, "main")
OFFICER: Final = _button(texts.BUTTON_OFFICER, cb.HANDOFF, "ask")

MAIN_MENU_ROWS: Final[Rows] = (
    (
        _button(texts.BUTTON_HOUSING, cb.MENU, "housing"),
        _button(texts.BUTTON_ALLOWANCE, cb.MENU, "allowance"),
    ),
    (
        _button(texts.BUTTON_VOCATIONAL, cb.MENU, "vocational"),
        _button(texts.BUTTON_JOBS, cb.MENU, "jobs"),
    ),
    (_button(texts.BUTTON_MY_REGISTRATIONS, cb.GO, "my"), OFFICER),
)

_SUBMENUS: Final[dict[str, tuple[str, Rows]]] = {
    "housing": (
        texts.SUBMENU_HOUSING,
        (
            (_intent_button("housing_eligibility"),),
            (_intent_button("housing_amount"),),
            (_intent_button("housing_procedure"),),
            (_button(texts.BUTTON_CHECK, cb.GO, "elig:housing"),),
            (BACK,),
        ),
    ),
    "allowance": (
        texts.SUBMENU_ALLOWANCE,
        (
            (_intent_button("allowance_eligibility"),),
            (_intent_button("allowance_amount"),),
            (_intent_button("allowance_procedure"),),
            (_intent_button("allowance_payment"),),
            (_button(texts.BUTTON_CHECK, cb.GO, "elig:allowance"),),
            (BACK,),
        ),
    ),
    "vocational": (
        texts.SUBMENU_VOCATIONAL,
        (
            (_intent_button("vocational_classes"),),
            (_button(texts.INTENT_LABELS["register_vocational"], cb.GO, "reg:vocational_class"),),
            (BACK,),
        ),
    ),
    "jobs": (
        texts.SUBMENU_JOBS,
        (
            (_intent_button("job_fairs"),),
            (_button(texts.INTENT_LABELS["register_job_fair"], cb.GO, "reg:job_fair"),),
            (_intent_button("labour_export"),),
            (BACK,),
        ),
    ),
}

# After an answer about who qualifies, the quick check is the natural next step.
_CHECK_AFTER: Final[dict[str, str]] = {
    "housing_eligibility": "elig:housing",
    "allowance_eligibility": "elig:allowance",
}


def main_menu(header: str = texts.MENU_PROMPT) -> RenderedMessage:
    return RenderedMessage(header, MAIN_MENU_ROWS)


def submenu(topic: str) -> RenderedMessage:
    """A topic's questions and features; "main" (or anything unknown) is the main menu."""
    if topic not in _SUBMENUS:
        return main_menu()
    header, rows = _SUBMENUS[topic]
    return RenderedMessage(header, rows)


def answer(found: Answer) -> RenderedMessage:
    """The knowledge-base answer with its "Nguồn:" line and follow-up buttons."""
    rows: list[tuple[Button, ...]] = []
    check = _CHECK_AFTER.get(found.intent)
    if check is not None:
        rows.append((_button(texts.BUTTON_CHECK, cb.GO, check),))
    rows += [(_intent_button(intent),) for intent in found.follow_ups]
    rows.append((MENU,))
    return RenderedMessage(found.render_html(), tuple(rows))


def clarify(intents: Sequence[str]) -> RenderedMessage:
    """ "Ý bạn là…?" with one button per likely intent, and a way out."""
    rows = [(_intent_button(intent),) for intent in intents]
    rows.append((_button(texts.BUTTON_NONE_OF_THESE, cb.HANDOFF, "offer"),))
    return RenderedMessage(texts.CLARIFY, tuple(rows))


def offer_officer() -> RenderedMessage:
    """Still unclear: send the question to an officer, or use the menu."""
    return RenderedMessage(
        texts.OFFER_OFFICER,
        ((_button(texts.BUTTON_SEND_TO_OFFICER, cb.HANDOFF, "send"),), (MENU,)),
    )


# -- /start and consent ---------------------------------------------------------------------


def consent_buttons() -> Rows:
    return (
        (
            _button(consent_texts.BUTTON_AGREE, cb.CONSENT, "yes"),
            _button(consent_texts.BUTTON_DECLINE, cb.CONSENT, "no"),
        ),
    )


def welcome(name: str, *, consented: bool, retention_days: int) -> RenderedMessage:
    """/start: the greeting, then the consent question (or, once agreed, the menu)."""
    greeting = texts.greeting(name)
    if consented:
        return RenderedMessage(f"{greeting}\n\n{texts.MENU_PROMPT}", MAIN_MENU_ROWS)
    consent = consent_texts.consent_request(retention_days)
    return RenderedMessage(f"{greeting}\n\n{consent}", consent_buttons())


def consent_request(why: str | None, *, retention_days: int) -> RenderedMessage:
    """Consent asked in the middle of something (registration, officer): why, then the text."""
    consent = consent_texts.consent_request(retention_days)
    return RenderedMessage(f"{why}\n\n{consent}" if why else consent, consent_buttons())


def consent_given(at_local: datetime) -> RenderedMessage:
    text = f"{consent_texts.consent_given(at_local)}\n\n{texts.MENU_PROMPT}"
    return RenderedMessage(text, MAIN_MENU_ROWS)


def consent_declined() -> RenderedMessage:
    text = f"{consent_texts.CONSENT_DECLINED}\n\n{texts.MENU_PROMPT}"
    return RenderedMessage(text, MAIN_MENU_ROWS)


# -- privacy ---------------------------------------------------------------------------------


def privacy(
    consent_at_local: datetime | None, version: str | None, *, stored: bool
) -> RenderedMessage:
    if not stored:
        return RenderedMessage(privacy_texts.NOTHING_STORED, ((MENU,),))
    return RenderedMessage(
        privacy_texts.privacy_info(consent_at_local, version),
        ((_button(privacy_texts.BUTTON_ERASE, cb.PRIVACY, "erase"),), (MENU,)),
    )


def confirm_erase() -> RenderedMessage:
    return RenderedMessage(
        privacy_texts.CONFIRM_ERASE,
        (
            (
                _button(privacy_texts.BUTTON_ERASE_CONFIRM, cb.PRIVACY, "erase_yes"),
                _button(privacy_texts.BUTTON_KEEP, cb.PRIVACY, "keep"),
            ),
        ),
    )
