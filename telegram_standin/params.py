"""Typed access to Bot API parameters, whichever way they arrived.

PTB sends form fields whose values are JSON-encoded unless they are strings ("123", "true",
'{"inline_keyboard": ...}'); other clients send a JSON body with real types, or a query
string. Handlers ask for the type they need and get Telegram's error when it is missing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from telegram_standin import errors


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request."""

    filename: str | None
    content_type: str | None
    content: bytes


class Params:
    """The parameters of one Bot API call."""

    def __init__(self, values: Mapping[str, Any], uploads: Mapping[str, Upload] | None = None):
        self._values = dict(values)
        self.uploads = dict(uploads or {})

    def __contains__(self, name: str) -> bool:
        return self._values.get(name) not in (None, "")

    def raw(self, name: str) -> Any:
        return self._values.get(name)

    def string(self, name: str) -> str | None:
        value = self._values.get(name)
        if value is None:
            return None
        return value if isinstance(value, str) else json.dumps(value)

    def required_string(self, name: str) -> str:
        value = self.string(name)
        if value is None:
            raise errors.bad_request(f"{name} is empty")
        return value

    def integer(self, name: str, default: int | None = None) -> int | None:
        value = self._values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            raise errors.bad_request(f"invalid {name} specified")
        try:
            return int(value)
        except (TypeError, ValueError):
            raise errors.bad_request(f"invalid {name} specified") from None

    def required_integer(self, name: str) -> int:
        value = self.integer(name)
        if value is None:
            raise errors.bad_request(f"{name} is empty")
        return value

    def flag(self, name: str, default: bool = False) -> bool:
        value = self._values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        return str(value).lower() in ("true", "1")

    def json(self, name: str) -> Any:
        """A structured parameter (list or object), decoding JSON text if needed."""
        value = self._values.get(name)
        if isinstance(value, str):
            if value == "":
                return None
            try:
                return json.loads(value)
            except ValueError:
                raise errors.bad_request(f"can't parse {name} JSON object") from None
        return value

    def chat_id(self) -> int:
        """`chat_id` as an integer; @usernames never resolve here (no public chats)."""
        value = self._values.get("chat_id")
        if value is None or value == "":
            raise errors.bad_request("chat_id is empty")
        try:
            return int(value)
        except (TypeError, ValueError):
            raise errors.ApiError(400, errors.CHAT_NOT_FOUND) from None
