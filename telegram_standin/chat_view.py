"""What the terminal chat shows: bot messages as text, buttons as numbered choices.

Kept free of I/O so the numbering rules can be read (and tested) on their own:
inline buttons of the newest bot message come first, then the reply keyboard that is still
on screen; the list is printed again whenever the numbering changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram_standin.markup import button_kind
from telegram_standin.render import render

BOT = "🤖"
INDENT = "   "


@dataclass(frozen=True)
class Choice:
    """A numbered button the person can pick by typing its number."""

    number: int
    source: str  # "inline" | "reply"
    button: dict[str, Any]
    message_id: int | None
    row: int

    @property
    def kind(self) -> str:
        return button_kind(self.button)


def _size(size: int) -> str:
    return f"{size} B" if size < 1024 else f"{size / 1024:.1f} KB"


class Conversation:
    """The chat as the person sees it, rebuilt from the stand-in's events."""

    def __init__(self, *, ansi: bool = False, base_url: str = "") -> None:
        self.ansi = ansi
        self.base_url = base_url
        self.messages: dict[int, dict[str, Any]] = {}
        self.reply_keyboard: dict[str, Any] | None = None
        self.choices: list[Choice] = []
        self._shown: list[Choice] = []

    # -- building ----------------------------------------------------------------------
    def load_history(self, messages: list[dict[str, Any]]) -> list[str]:
        """Adopt existing messages (reconnecting); show only the newest bot message."""
        bot_messages = [m for m in messages if m["from_bot"]]
        for message in bot_messages:
            self.messages[message["message_id"]] = message
            self._track_keyboard(message)
        visible = [m for m in bot_messages if not m["deleted"]]
        lines = self.format_message(visible[-1]) if visible else []
        return lines + self._refresh_choices()

    def apply(self, event: dict[str, Any]) -> list[str]:
        """Lines to print for one stand-in event (possibly none)."""
        kind, message = event["kind"], event.get("message")
        lines: list[str] = []
        if kind == "message" and message is not None and message["from_bot"]:
            self.messages[message["message_id"]] = message
            self._track_keyboard(message)
            lines = self.format_message(message)
        elif kind == "edit" and message is not None:
            self.messages[message["message_id"]] = message
            lines = [f"{BOT} ✏️  {self._body(message)}"]
        elif kind == "delete" and message is not None:
            self.messages[message["message_id"]] = message
            preview = (message["text"] or message["caption"] or "").split("\n")[0][:40]
            lines = [f"{BOT} 🗑  (đã xóa tin nhắn: {preview})"]
        elif kind == "callback_answer" and event["data"].get("text"):
            mark = "⚠️ " if event["data"].get("show_alert") else "💬"
            lines = [f"{INDENT}{mark} {event['data']['text']}"]
        return lines + self._refresh_choices()

    def _track_keyboard(self, message: dict[str, Any]) -> None:
        markup = message.get("reply_markup") or {}
        if "keyboard" in markup:
            self.reply_keyboard = markup
        elif markup.get("remove_keyboard"):
            self.reply_keyboard = None

    # -- showing -----------------------------------------------------------------------
    def _body(self, message: dict[str, Any]) -> str:
        if message.get("document"):
            document = message["document"]
            line = f"📎 {document['file_name'] or 'tệp'} ({_size(document['file_size'])})"
            if message.get("caption"):
                caption = render(message["caption"], message["caption_entities"], ansi=self.ansi)
                line += f" — {caption}"
            return f"{line}\n{INDENT}tải về: {self.base_url}{document['url']}"
        text = render(message["text"] or "", message["entities"], ansi=self.ansi)
        return text.replace("\n", "\n" + INDENT)

    def format_message(self, message: dict[str, Any]) -> list[str]:
        return [f"{BOT} {self._body(message)}"]

    def _newest_bot_message(self) -> dict[str, Any] | None:
        visible = [m for m in self.messages.values() if not m["deleted"]]
        return max(visible, key=lambda m: m["message_id"]) if visible else None

    def _compute_choices(self) -> list[Choice]:
        choices: list[Choice] = []
        newest = self._newest_bot_message() or {}
        markup = newest.get("reply_markup") or {}
        for row_number, row in enumerate(markup.get("inline_keyboard", [])):
            for button in row:
                number = len(choices) + 1
                choices.append(Choice(number, "inline", button, newest["message_id"], row_number))
        for row_number, row in enumerate((self.reply_keyboard or {}).get("keyboard", [])):
            for button in row:
                choices.append(Choice(len(choices) + 1, "reply", button, None, row_number))
        return choices

    def _refresh_choices(self) -> list[str]:
        self.choices = self._compute_choices()
        if self.choices == self._shown:
            return []
        self._shown = self.choices
        return self.choice_lines()

    def choice_lines(self) -> list[str]:
        """The numbered buttons, one line per keyboard row."""
        lines: list[str] = []
        rows: dict[tuple[str, int], list[str]] = {}
        for choice in self.choices:
            label = choice.button["text"]
            if choice.kind == "contact":
                label += " (chia sẻ số điện thoại)"
            elif choice.kind == "url":
                label += " 🔗"
            rows.setdefault((choice.source, choice.row), []).append(f"[{choice.number}] {label}")
        for (source, _), cells in rows.items():
            prefix = f"{INDENT}⌨  " if source == "reply" else INDENT
            lines.append(prefix + "   ".join(cells))
        return lines

    # -- picking -----------------------------------------------------------------------
    def choice(self, typed: str) -> Choice | None:
        """The choice a typed number refers to, if it is one."""
        if not typed.isdigit():
            return None
        number = int(typed)
        return self.choices[number - 1] if 1 <= number <= len(self.choices) else None

    def reply_button(self, typed: str) -> dict[str, Any] | None:
        """The reply-keyboard button whose text was typed exactly (as tapping it sends)."""
        for choice in self.choices:
            if choice.source == "reply" and choice.button["text"] == typed:
                return choice.button
        return None
