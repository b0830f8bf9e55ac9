"""A message's text and entities as terminal text: ANSI styles on a tty, plain otherwise.

Works from the parsed text and entities (what Telegram would display), not from the HTML
source, so the terminal shows exactly what a person would see in the app.
"""

from __future__ import annotations

from typing import Any

_SGR = {
    "bold": "1",
    "italic": "3",
    "underline": "4",
    "strikethrough": "9",
    "code": "2",
    "pre": "2",
    "spoiler": "7",
    "text_link": "4",
}
RESET = "\x1b[0m"


def _utf16_to_index(text: str) -> list[int]:
    """Map each UTF-16 offset (0..len) to a code point index."""
    mapping: list[int] = []
    for index, ch in enumerate(text):
        mapping.append(index)
        if ord(ch) > 0xFFFF:
            mapping.append(index)
    mapping.append(len(text))
    return mapping


def render(text: str, entities: list[dict[str, Any]] | None = None, *, ansi: bool = False) -> str:
    """Text with styles (if `ansi`), links spelled out and block quotes marked."""
    entities = entities or []
    to_index = _utf16_to_index(text)
    styles: list[set[str]] = [set() for _ in text]
    link_after: dict[int, str] = {}
    quote_lines: set[int] = set()
    for entity in entities:
        start = to_index[min(entity["offset"], len(to_index) - 1)]
        end = to_index[min(entity["offset"] + entity["length"], len(to_index) - 1)]
        kind = entity["type"]
        for position in range(start, end):
            styles[position].add(kind)
        url = entity.get("url") or ""
        if kind == "text_link" and url.rstrip("/") != text[start:end].rstrip("/"):
            link_after[end] = f" ({url})"
        if kind in ("blockquote", "expandable_blockquote"):
            quote_lines.update(range(start, end))
    out: list[str] = []
    current: frozenset[str] = frozenset()
    at_line_start = True
    for position, ch in enumerate(text):
        if position in link_after:
            if current:
                out.append(RESET)
                current = frozenset()
            out.append(link_after.pop(position))
        wanted = frozenset(s for s in styles[position] if s in _SGR) if ansi else frozenset()
        if wanted != current:
            out.append(RESET if current else "")
            if wanted:
                out.append("\x1b[" + ";".join(sorted(_SGR[s] for s in wanted)) + "m")
            current = wanted
        if at_line_start and position in quote_lines:
            out.append("│ ")
        out.append(ch)
        at_line_start = ch == "\n"
    if current:
        out.append(RESET)
    out.extend(link_after.values())
    return "".join(out)
