"""Telegram's `parse_mode=HTML`: the supported tag subset, parsed the way Telegram parses it.

The point is to fail where Telegram fails: a citizen's name with a stray `<` pasted into an
unescaped HTML message must break in tests, not first in production. The tag set, the error
wording and the (UTF-8) byte offsets follow tdlib's `parse_html`, which the Bot API server uses.

One deliberate difference, switchable with `strict_entities`: Telegram's documentation says
every `&` that does not start an entity must be written `&amp;`, but tdlib quietly keeps
`&nbsp` or `&foo` as literal text and even decodes `&lt` without its `;`. In strict mode (the
default) an `&` followed by a letter or `#` that is not a complete `&lt;`, `&gt;`, `&amp;`,
`&quot;` or `&#...;` is an error, so forgotten escaping shows up in tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

SUPPORTED_TAGS = frozenset(
    {
        "a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins", "tg-spoiler",
        "tg-emoji", "span", "pre", "code", "blockquote",
    }
)  # fmt: skip
_SIMPLE_TYPES = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "tg-spoiler": "spoiler", "span": "spoiler",
}  # fmt: skip
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPACES = frozenset(" \t\r\n\v")
# tdlib orders entities of equal extent by type; outer (block) types first.
_TYPE_PRIORITY = {
    "blockquote": 0, "expandable_blockquote": 0, "pre": 11, "code": 20, "text_link": 49,
    "text_mention": 49, "bold": 90, "italic": 91, "underline": 92, "strikethrough": 93,
    "spoiler": 94, "custom_emoji": 99,
}  # fmt: skip


class EntityParseError(Exception):
    """Unparsable markup; `str(error)` is Telegram's text after "can't parse entities: "."""


@dataclass(frozen=True)
class ParsedText:
    """Plain text plus Bot API `MessageEntity` dicts (offsets and lengths in UTF-16 units)."""

    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _OpenTag:
    name: str
    argument: str
    utf16_start: int
    text_start: int
    expandable: bool = False


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit Telegram uses for entity offsets."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


class _HtmlParser:
    def __init__(self, source: str, *, strict_entities: bool) -> None:
        self.src = source
        self.strict = strict_entities
        self.out: list[str] = []
        self.utf16 = 0
        self.entities: list[dict[str, Any]] = []
        self.stack: list[_OpenTag] = []

    def at(self, i: int) -> str:
        # "" plays the role of tdlib's terminating NUL: it is "space" and ends every scan.
        return self.src[i] if i < len(self.src) else ""

    def is_space(self, i: int) -> bool:
        ch = self.at(i)
        return ch == "" or ch in _SPACES

    def byte_offset(self, i: int) -> int:
        return len(self.src[:i].encode("utf-8", "surrogatepass"))

    def fail(self, message: str) -> EntityParseError:
        return EntityParseError(message)

    def decode_entity(self, i: int) -> tuple[str | None, int]:
        """Decode the character reference at `i` (an `&`); None when it is not one."""
        end = i + 1
        if self.at(end) == "#":
            end += 1
            hexadecimal = self.at(end) == "x"
            if hexadecimal:
                end += 1
            digits = "0123456789abcdefABCDEF" if hexadecimal else "0123456789"
            start = end
            while self.at(end) != "" and self.at(end) in digits:
                end += 1
            value = int(self.src[start:end], 16 if hexadecimal else 10) if end > start else 0
            char = chr(value) if 0 < value < 0x10FFFF and end - i < 10 else None
        else:
            start = end
            while self.at(end).isascii() and self.at(end).isalpha():
                end += 1
            char = _NAMED_ENTITIES.get(self.src[start:end])
        terminated = self.at(end) == ";"
        if self.strict and (char is None or not terminated):
            following = self.at(i + 1)
            if following == "#" or (following.isascii() and following.isalpha()):
                raise self.fail(
                    f'Unsupported HTML entity "{self.src[i : end + terminated]}" at byte offset '
                    f"{self.byte_offset(i)}; write &amp; for a literal &"
                )
        if char is None:
            return None, i
        return char, end + 1 if terminated else end

    def emit(self, ch: str) -> None:
        self.out.append(ch)
        self.utf16 += 2 if ord(ch) > 0xFFFF else 1

    def parse(self) -> ParsedText:
        i = 0
        while i < len(self.src):
            ch = self.src[i]
            if ch == "&":
                decoded, after = self.decode_entity(i)
                if decoded is not None:
                    self.emit(decoded)
                    i = after
                    continue
            if ch != "<":
                self.emit(ch)
                i += 1
                continue
            i = self.end_tag(i) if self.at(i + 1) == "/" else self.start_tag(i)
        if self.stack:
            raise self.fail(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"'
            )
        text = "".join(self.out)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise self.fail(
                "Text contains invalid Unicode characters after decoding HTML entities, "
                "check for unmatched surrogate code units"
            ) from None
        return ParsedText(text, _tidy(self.entities))

    def start_tag(self, begin: int) -> int:
        i = begin + 1
        while not self.is_space(i) and self.at(i) != ">":
            i += 1
        if self.at(i) == "":
            raise self.fail(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
        name = self.src[begin + 1 : i].lower()
        where = f"at byte offset {self.byte_offset(begin)}"
        if name not in SUPPORTED_TAGS:
            raise self.fail(f'Unsupported start tag "{name}" {where}')
        argument, expandable = "", False
        while self.at(i) != ">":
            while self.at(i) != "" and self.at(i) in _SPACES:
                i += 1
            if self.at(i) == ">":
                break
            attr_begin = i
            while not self.is_space(i) and self.at(i) not in ("=", ">"):
                i += 1
            attribute = self.src[attr_begin:i]
            if not attribute:
                raise self.fail(f'Empty attribute name in the tag "{name}" {where}')
            while self.at(i) != "" and self.at(i) in _SPACES:
                i += 1
            if self.at(i) == "":
                raise self.fail(f'Unclosed start tag "{name}" {where}')
            if self.at(i) != "=":
                if name == "blockquote" and attribute.lower() == "expandable":
                    expandable = True
                    continue
                raise self.fail(
                    "Expected equal sign in declaration of an attribute of the tag "
                    f'"{name}" {where}'
                )
            i += 1
            while self.at(i) != "" and self.at(i) in _SPACES:
                i += 1
            if self.at(i) == "":
                raise self.fail(f'Unclosed start tag "{name}" {where}')
            value, i = self.attribute_value(i, where)
            argument = _tag_argument(name, attribute, value, argument)
        if name == "span" and argument != "spoiler":
            raise self.fail(f'Tag "span" must have class "tg-spoiler" {where}')
        self.stack.append(_OpenTag(name, argument, self.utf16, len(self.out), expandable))
        return i + 1

    def attribute_value(self, i: int, where: str) -> tuple[str, int]:
        quote = self.at(i)
        if quote not in ("'", '"'):
            token_begin = i
            while _is_name_token_char(self.at(i)):
                i += 1
            if not self.is_space(i) and self.at(i) != ">":
                raise self.fail(
                    f"Unexpected end of name token at byte offset {self.byte_offset(token_begin)}"
                )
            return self.src[token_begin:i].lower(), i
        i += 1
        chars: list[str] = []
        while self.at(i) not in (quote, ""):
            if self.at(i) == "&":
                decoded, after = self.decode_entity(i)
                if decoded is not None:
                    chars.append(decoded)
                    i = after
                    continue
            chars.append(self.src[i])
            i += 1
        if self.at(i) == quote:
            i += 1
        if self.at(i) == "":
            raise self.fail(f"Unclosed start tag {where}")
        return "".join(chars), i

    def end_tag(self, begin: int) -> int:
        where = f"at byte offset {self.byte_offset(begin)}"
        if not self.stack:
            raise self.fail(f"Unexpected end tag {where}")
        i = begin + 2
        while not self.is_space(i) and self.at(i) != ">":
            i += 1
        name = self.src[begin + 2 : i].lower()
        while self.at(i) != "" and self.at(i) in _SPACES:
            i += 1
        if self.at(i) != ">":
            raise self.fail(f"Unclosed end tag {where}")
        opened = self.stack[-1]
        if name and name != opened.name:
            raise self.fail(
                f'Unmatched end tag {where}, expected "</{opened.name}>", found "</{name}>"'
            )
        self.stack.pop()
        if self.utf16 > opened.utf16_start:
            self.close_entity(opened)
        return i + 1

    def close_entity(self, opened: _OpenTag) -> None:
        offset, length = opened.utf16_start, self.utf16 - opened.utf16_start
        entity: dict[str, Any] = {"offset": offset, "length": length}
        name = opened.name
        if name in _SIMPLE_TYPES:
            entity["type"] = _SIMPLE_TYPES[name]
        elif name == "tg-emoji":
            if not opened.argument.isdigit() or int(opened.argument) == 0:
                raise self.fail("Invalid custom emoji identifier specified")
            entity.update(type="custom_emoji", custom_emoji_id=opened.argument)
        elif name == "a":
            url = _checked_link(opened.argument or "".join(self.out[opened.text_start :]))
            if url is None:
                return
            entity.update(type="text_link", url=url)
        elif name == "blockquote":
            entity["type"] = "expandable_blockquote" if opened.expandable else "blockquote"
        elif name == "code":
            entity["type"] = "code"
            if opened.argument:
                entity["language"] = opened.argument
        else:  # pre
            entity["type"] = "pre"
        self.entities.append(entity)


def _is_name_token_char(ch: str) -> bool:
    return ch != "" and ((ch.isascii() and ch.isalnum()) or ch in ".-")


def _tag_argument(tag: str, attribute: str, value: str, current: str) -> str:
    """The one attribute each tag cares about; Telegram ignores all others."""
    attribute = attribute.lower()
    if tag == "a" and attribute == "href":
        return value
    if tag == "code" and attribute == "class" and value.startswith("language-"):
        return value.removeprefix("language-")
    if tag == "span" and attribute == "class" and value.startswith("tg-"):
        return value.removeprefix("tg-")
    if tag == "tg-emoji" and attribute == "emoji-id":
        return value
    return current


def _checked_link(url: str) -> str | None:
    """Telegram's link normalisation: add a scheme and a path; drop what is not a link."""
    url = url.strip()
    if not url or any(ch in _SPACES for ch in url):
        return None
    if url.startswith("tg:"):
        return url
    if "://" not in url:
        url = f"http://{url}"
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https", "ftp", "tonsite") or not parts.netloc:
        return None
    return urlunsplit(parts._replace(path=parts.path or "/"))


def _tidy(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Merge `<pre><code class="language-x">` into one pre entity and sort like Telegram."""
    pres = [e for e in entities if e["type"] == "pre"]
    kept: list[dict[str, Any]] = []
    for entity in entities:
        if entity["type"] == "code":
            extent = (entity["offset"], entity["length"])
            same = [p for p in pres if (p["offset"], p["length"]) == extent]
            if same:
                if "language" in entity:
                    same[0]["language"] = entity["language"]
                continue
            entity.pop("language", None)
        kept.append(entity)
    kept.sort(key=lambda e: (e["offset"], -e["length"], _TYPE_PRIORITY.get(e["type"], 50)))
    return kept


def parse_html(source: str, *, strict_entities: bool = True) -> ParsedText:
    """Parse Telegram HTML; raise `EntityParseError` with Telegram's message on bad markup."""
    return _HtmlParser(source, strict_entities=strict_entities).parse()
