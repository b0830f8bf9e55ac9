"""`reply_markup` checked the way Telegram checks it.

Keyboards are where bots most often send something Telegram refuses (callback data over 64
bytes is the classic), so the same limits apply here and a refused keyboard fails the call.
"""

from __future__ import annotations

import json
from typing import Any

from telegram_standin import errors

CALLBACK_DATA_MAX_BYTES = 64
_INLINE_ACTIONS = (
    "url", "callback_data", "web_app", "login_url", "switch_inline_query",
    "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text",
    "callback_game", "pay",
)  # fmt: skip
_REQUEST_FLAGS = (
    "request_contact", "request_location", "request_poll", "request_users", "request_chat",
    "web_app",
)  # fmt: skip


def parse_reply_markup(raw: object) -> dict[str, Any] | None:
    """Validate `reply_markup` (a dict, or its JSON text) and return it normalised."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise errors.bad_request("can't parse reply keyboard markup JSON object") from None
    if not isinstance(raw, dict):
        raise errors.bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in raw:
        return {"inline_keyboard": _inline_rows(raw["inline_keyboard"])}
    if "keyboard" in raw:
        markup = dict(raw)
        markup["keyboard"] = _reply_rows(raw["keyboard"])
        return markup
    if raw.get("remove_keyboard") is True or raw.get("force_reply") is True:
        return dict(raw)
    raise errors.bad_request("can't parse reply keyboard markup JSON object")


def _rows(value: object, what: str) -> list[list[Any]]:
    if not isinstance(value, list) or not all(isinstance(row, list) for row in value):
        raise errors.bad_request(f'field "{what}" of the keyboard must be an Array of Arrays')
    return value


def _inline_rows(value: object) -> list[list[dict[str, Any]]]:
    rows = _rows(value, "inline_keyboard")
    for row in rows:
        for button in row:
            _check_inline_button(button)
    return [[dict(button) for button in row] for row in rows]


def _check_inline_button(button: object) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise errors.bad_request(
            'can\'t parse inline keyboard button: Field "text" must be of type String'
        )
    actions = [name for name in _INLINE_ACTIONS if name in button]
    if not actions:
        raise errors.bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if "callback_data" in button:
        data = button["callback_data"]
        if (
            not isinstance(data, str)
            or not 1 <= len(data.encode("utf-8")) <= CALLBACK_DATA_MAX_BYTES
        ):
            raise errors.ApiError(400, errors.BUTTON_DATA_INVALID)
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not url.startswith(("http://", "https://", "tg://")):
            raise errors.ApiError(400, errors.BUTTON_URL_INVALID)


def _reply_rows(value: object) -> list[list[dict[str, Any]]]:
    rows = _rows(value, "keyboard")
    normalised: list[list[dict[str, Any]]] = []
    for row in rows:
        buttons: list[dict[str, Any]] = []
        for button in row:
            # A bare string is a text button; Telegram accepts both spellings.
            item = {"text": button} if isinstance(button, str) else button
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                raise errors.bad_request(
                    'can\'t parse keyboard button: Field "text" must be of type String'
                )
            if not item["text"].strip():
                raise errors.bad_request("keyboard button text must be non-empty")
            buttons.append(dict(item))
        normalised.append(buttons)
    return normalised


def inline_buttons(markup: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Every button of an inline keyboard, row by row."""
    if not markup or "inline_keyboard" not in markup:
        return []
    return [button for row in markup["inline_keyboard"] for button in row]


def reply_buttons(markup: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Every button of a reply keyboard, row by row."""
    if not markup or "keyboard" not in markup:
        return []
    return [button for row in markup["keyboard"] for button in row]


def button_kind(button: dict[str, Any]) -> str:
    """'callback', 'url', 'contact', 'text', ... — what pressing the button does."""
    if "callback_data" in button:
        return "callback"
    if button.get("request_contact"):
        return "contact"
    for name in _INLINE_ACTIONS + _REQUEST_FLAGS:
        if name in button:
            return name
    return "text"
