"""What Telegram does to a text after parsing: trim, enforce limits, detect entities.

Telegram trims leading and trailing whitespace (so "   " is an empty message), counts the
limit on the parsed text, and marks commands, mentions, hashtags, links and e-mail addresses
itself — in messages from people and from bots alike. PTB's `CommandHandler` relies on the
`bot_command` entity, so citizen messages must carry it exactly as Telegram would.
"""

from __future__ import annotations

import re
from typing import Any

from telegram_standin import errors
from telegram_standin.html_parser import EntityParseError, ParsedText, parse_html, utf16_len

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
_TRIM = " \t\r\n"
_TLDS = "vn|com|net|org|gov|edu|info|io|me|app|dev|asia"
_DETECTORS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("email", re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w@])")),
    (
        "url",
        re.compile(
            rf"(?<![\w@/.])(?:https?://[^\s<>\"]+|(?:[\w-]+\.)+(?:{_TLDS})\b(?:/[^\s<>\"]*)?)",
            re.IGNORECASE,
        ),
    ),
    ("mention", re.compile(r"(?<!\w)@[A-Za-z0-9_]{2,32}(?!\w)")),
    (
        "bot_command",
        re.compile(r"(?<![\w/<>])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/<>])"),
    ),
    ("hashtag", re.compile(r"(?<!\w)#(?=\w*[^\W\d_])\w{1,256}(?![\w]*#)")),
)
# Inside these nothing else is detected (Telegram keeps code and links intact).
_OPAQUE = frozenset({"code", "pre", "text_link", "text_mention", "custom_emoji"})


def utf16_offset(text: str, index: int) -> int:
    """UTF-16 offset of code point `index` in `text`."""
    return utf16_len(text[:index])


def detect_entities(
    text: str, existing: list[dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """Entities Telegram adds on its own; none overlaps another or an opaque `existing` one."""
    taken: list[tuple[int, int]] = [
        (e["offset"], e["offset"] + e["length"]) for e in existing or [] if e["type"] in _OPAQUE
    ]
    found: list[dict[str, Any]] = []
    for entity_type, pattern in _DETECTORS:
        for match in pattern.finditer(text):
            value = match.group(0).rstrip(".,;:!?)]") if entity_type == "url" else match.group(0)
            start = utf16_offset(text, match.start())
            end = start + utf16_len(value)
            if any(start < b and a < end for a, b in taken):
                continue
            taken.append((start, end))
            found.append({"type": entity_type, "offset": start, "length": end - start})
    return found


def _trim(parsed: ParsedText) -> ParsedText:
    """Strip surrounding whitespace and move/clip entities with it."""
    text = parsed.text
    stripped = text.strip(_TRIM)
    if stripped == text:
        return parsed
    lead = utf16_len(text[: len(text) - len(text.lstrip(_TRIM))])
    total = utf16_len(stripped)
    entities = []
    for entity in parsed.entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, total)
        if end > start:
            entities.append({**entity, "offset": start, "length": end - start})
    return ParsedText(stripped, entities)


def _sorted(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(entities, key=lambda e: (e["offset"], -e["length"]))


def format_text(
    text: str,
    *,
    parse_mode: str | None,
    entities: list[dict[str, Any]] | None,
    limit: int,
    strict_html_entities: bool,
    caption: bool = False,
) -> ParsedText:
    """Turn a `text`/`caption` parameter into what the chat shows, or raise Telegram's 400."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        try:
            parsed = parse_html(text, strict_entities=strict_html_entities)
        except EntityParseError as exc:
            raise errors.bad_request(f"can't parse entities: {exc}") from None
    elif mode in ("", "markdown", "markdownv2"):
        # Markdown is not modelled: the bot uses HTML. The text is kept verbatim.
        parsed = ParsedText(text, list(entities or []))
    else:
        raise errors.bad_request("unsupported parse_mode")
    parsed = _trim(parsed)
    if not parsed.text and not caption:
        raise errors.ApiError(400, errors.MESSAGE_TEXT_EMPTY)
    if len(parsed.text) > limit:
        raise errors.ApiError(400, errors.CAPTION_TOO_LONG if caption else errors.MESSAGE_TOO_LONG)
    detected = detect_entities(parsed.text, parsed.entities)
    return ParsedText(parsed.text, _sorted(parsed.entities + detected))


def citizen_text(text: str) -> ParsedText:
    """A message typed by a person: no markup, only the entities Telegram detects."""
    return ParsedText(text, _sorted(detect_entities(text)))
