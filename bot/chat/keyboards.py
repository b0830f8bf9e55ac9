"""Every keyboard of the chat, built in one place from labels (bot.texts) and callback data.

Screens and outbox messages carry buttons as `Button` rows (services.outbox), free of
Telegram types so the same screen serves a reply, a queued message and the dashboard's "try
the bot" page; `markup` / `inline` turn rows into Telegram's inline keyboard at the edge.
Callback data comes from bot.chat.callbacks only. Button labels are plain text (Telegram
does not parse HTML in them), so they are not escaped, only shortened.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from bot.chat import callbacks as cb
from bot.knowledge.eligibility import Question
from bot.outbox.queue import Button, RenderedMessage
from bot.services.communes import DAM_HA, OUTSIDE, QUANG_TAN
from bot.texts import eligibility as elig_texts
from bot.texts import notifications as note_texts
from bot.texts import registration as texts

Rows = tuple[tuple[Button, ...], ...]


def button(label: str, prefix: str, action: str, *args: object) -> Button:
    """One inline button; its callback data is checked by bot.chat.callbacks.build."""
    return Button(label, callback_data=cb.build(prefix, action, *args))


def inline(rows: Iterable[Sequence[Button]]) -> InlineKeyboardMarkup | None:
    """Telegram's inline keyboard of button rows (empty rows dropped); None when empty."""
    keyboard = [
        [
            InlineKeyboardButton(item.text, url=item.url, callback_data=item.callback_data)
            for item in row
        ]
        for row in rows
        if row
    ]
    return InlineKeyboardMarkup(keyboard) if keyboard else None


def markup(view: RenderedMessage) -> InlineKeyboardMarkup | None:
    """The inline keyboard of a screen."""
    return inline(view.buttons)


def _markup(rows: Iterable[Sequence[Button]]) -> InlineKeyboardMarkup:
    return inline(rows) or InlineKeyboardMarkup([])


# -- registration form ----------------------------------------------------------------------


def event_list(titles: Sequence[tuple[int, str]]) -> InlineKeyboardMarkup:
    """One button per event: (event id, title), numbered as in the message."""
    return _markup(
        [button(f"{n}. {texts.short(title)}", cb.REG, "ev", event_id)]
        for n, (event_id, title) in enumerate(titles, start=1)
    )


def share_phone() -> ReplyKeyboardMarkup:
    """Telegram's own "share my number" button: no typing, no typos."""
    return ReplyKeyboardMarkup(
        [[KeyboardButton(texts.BUTTON_SHARE_PHONE, request_contact=True)]],
        resize_keyboard=True,
        one_time_keyboard=True,
        input_field_placeholder="0912 345 678",
    )


def communes() -> InlineKeyboardMarkup:
    return _markup(
        [
            [
                button(texts.COMMUNE_LABELS[DAM_HA], cb.REG, "cm", DAM_HA),
                button(texts.COMMUNE_LABELS[QUANG_TAN], cb.REG, "cm", QUANG_TAN),
            ],
            [button(texts.COMMUNE_LABELS[OUTSIDE], cb.REG, "cm", OUTSIDE)],
        ]
    )


def target_groups(chosen: Iterable[str]) -> InlineKeyboardMarkup:
    """Toggle buttons, two per row, a tick on the chosen ones, then "none" and "done"."""
    picked = set(chosen)
    buttons = [
        button((texts.CHECKED if code in picked else "") + label, cb.REG, "tg", code)
        for code, label in texts.TARGET_GROUP_LABELS.items()
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append(
        [
            button(texts.BUTTON_NO_GROUP, cb.REG, "tg0"),
            button(texts.BUTTON_GROUPS_DONE, cb.REG, "tgok"),
        ]
    )
    return _markup(rows)


def summary() -> InlineKeyboardMarkup:
    return _markup(
        [
            [button(texts.BUTTON_CONFIRM, cb.REG, "ok"), button(texts.BUTTON_EDIT, cb.REG, "ed")],
            [button(texts.BUTTON_STOP, cb.REG, "stop")],
        ]
    )


# -- my registrations -------------------------------------------------------------------------


def my_registrations(items: Sequence[tuple[int, str]]) -> InlineKeyboardMarkup | None:
    """A cancel button per (registration id, title), numbered as in the message."""
    if not items:
        return None
    return _markup(
        [button(texts.cancel_button(n, title), cb.MYREG, "c", registration_id)]
        for n, (registration_id, title) in enumerate(items, start=1)
    )


def confirm_cancel(registration_id: int) -> InlineKeyboardMarkup:
    return _markup(
        [
            [
                button(texts.BUTTON_CANCEL_YES, cb.MYREG, "cy", registration_id),
                button(texts.BUTTON_CANCEL_NO, cb.MYREG, "cn", registration_id),
            ]
        ]
    )


# -- eligibility ------------------------------------------------------------------------------


def question(check: str, item: Question, *, can_go_back: bool) -> InlineKeyboardMarkup:
    rows = [
        [button(option.label, cb.ELIG, check, item.id, option.value)] for option in item.options
    ]
    last = [button(elig_texts.BUTTON_STOP, cb.ELIG, check, "~stop")]
    if can_go_back:
        last.insert(0, button(elig_texts.BUTTON_BACK, cb.ELIG, check, "~back"))
    rows.append(last)
    return _markup(rows)


def verdict(check: str) -> InlineKeyboardMarkup:
    return _markup([[button(elig_texts.BUTTON_RESTART, cb.ELIG, check, "~restart")]])


# -- outbox messages (rendered without Telegram types) ----------------------------------------


def reminder_buttons(event_id: int) -> Rows:
    return (
        (
            button(note_texts.BUTTON_STILL_ATTENDING, cb.REM, "ok", event_id),
            button(note_texts.BUTTON_CANCEL_REGISTRATION, cb.REM, "c", event_id),
        ),
    )


def my_registrations_button() -> Rows:
    return ((button(note_texts.BUTTON_MY_REGISTRATIONS, cb.MYREG, "list"),),)
