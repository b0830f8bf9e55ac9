"""Buttons of the flows: inline keyboards for Telegram, and outbox `Button`s for notifications.

Labels come from bot.texts, callback data from bot.flows.callbacks; nothing else is decided
here. Button labels are plain text (Telegram does not parse HTML in them), so they are not
escaped, only shortened.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from bot.flows import callbacks as cb
from bot.flows.form import FIELD_STEPS
from bot.knowledge.eligibility import Question
from bot.outbox.queue import Button
from bot.services.communes import DAM_HA, OUTSIDE, QUANG_TAN
from bot.texts import eligibility as elig_texts
from bot.texts import notifications as note_texts
from bot.texts import registration as texts


def _markup(rows: Iterable[Sequence[InlineKeyboardButton]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([list(row) for row in rows if row])


def _button(label: str, *parts: object) -> InlineKeyboardButton:
    prefix, action, *args = parts
    return InlineKeyboardButton(label, callback_data=cb.build(str(prefix), str(action), *args))


# -- registration form ----------------------------------------------------------------------


def event_list(titles: Sequence[tuple[int, str]]) -> InlineKeyboardMarkup:
    """One button per event: (event id, title), numbered as in the message."""
    return _markup(
        [_button(f"{n}. {texts.short(title)}", cb.REG, "ev", event_id)]
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
                _button(texts.COMMUNE_LABELS[DAM_HA], cb.REG, "cm", DAM_HA),
                _button(texts.COMMUNE_LABELS[QUANG_TAN], cb.REG, "cm", QUANG_TAN),
            ],
            [_button(texts.COMMUNE_LABELS[OUTSIDE], cb.REG, "cm", OUTSIDE)],
        ]
    )


def target_groups(chosen: Iterable[str]) -> InlineKeyboardMarkup:
    """Toggle buttons, two per row, a tick on the chosen ones, then "none" and "done"."""
    picked = set(chosen)
    buttons = [
        _button((texts.CHECKED if code in picked else "") + label, cb.REG, "tg", code)
        for code, label in texts.TARGET_GROUP_LABELS.items()
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append(
        [
            _button(texts.BUTTON_NO_GROUP, cb.REG, "tg0"),
            _button(texts.BUTTON_GROUPS_DONE, cb.REG, "tgok"),
        ]
    )
    return _markup(rows)


def summary() -> InlineKeyboardMarkup:
    return _markup(
        [
            [_button(texts.BUTTON_CONFIRM, cb.REG, "ok"), _button(texts.BUTTON_EDIT, cb.REG, "ed")],
            [_button(texts.BUTTON_STOP, cb.REG, "stop")],
        ]
    )


def edit_fields() -> InlineKeyboardMarkup:
    rows = [
        [_button(texts.FIELD_LABELS[step.value], cb.REG, "ef", step.value)] for step in FIELD_STEPS
    ]
    rows.append([_button(texts.BUTTON_BACK_TO_SUMMARY, cb.REG, "sum")])
    return _markup(rows)


# -- my registrations -------------------------------------------------------------------------


def my_registrations(items: Sequence[tuple[int, str]]) -> InlineKeyboardMarkup | None:
    """A cancel button per (registration id, title), numbered as in the message."""
    if not items:
        return None
    return _markup(
        [_button(texts.cancel_button(n, title), cb.MYREG, "c", registration_id)]
        for n, (registration_id, title) in enumerate(items, start=1)
    )


def confirm_cancel(registration_id: int) -> InlineKeyboardMarkup:
    return _markup(
        [
            [
                _button(texts.BUTTON_CANCEL_YES, cb.MYREG, "cy", registration_id),
                _button(texts.BUTTON_CANCEL_NO, cb.MYREG, "cn", registration_id),
            ]
        ]
    )


# -- eligibility ------------------------------------------------------------------------------


def question(check: str, item: Question, *, can_go_back: bool) -> InlineKeyboardMarkup:
    rows = [
        [_button(option.label, cb.ELIG, check, item.id, option.value)] for option in item.options
    ]
    last = [_button(elig_texts.BUTTON_STOP, cb.ELIG, check, "~stop")]
    if can_go_back:
        last.insert(0, _button(elig_texts.BUTTON_BACK, cb.ELIG, check, "~back"))
    rows.append(last)
    return _markup(rows)


def verdict(check: str) -> InlineKeyboardMarkup:
    return _markup([[_button(elig_texts.BUTTON_RESTART, cb.ELIG, check, "~restart")]])


# -- outbox messages (rendered without Telegram types) ----------------------------------------


def reminder_buttons(event_id: int) -> tuple[tuple[Button, ...], ...]:
    return (
        (
            Button(
                note_texts.BUTTON_STILL_ATTENDING, callback_data=cb.build(cb.REM, "ok", event_id)
            ),
            Button(
                note_texts.BUTTON_CANCEL_REGISTRATION, callback_data=cb.build(cb.REM, "c", event_id)
            ),
        ),
    )


def my_registrations_button() -> tuple[tuple[Button, ...], ...]:
    return (
        (Button(note_texts.BUTTON_MY_REGISTRATIONS, callback_data=cb.build(cb.MYREG, "list")),),
    )
