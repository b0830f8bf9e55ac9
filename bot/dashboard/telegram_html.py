"""Show a bot reply (Telegram HTML) in a web page without trusting it.

Replies quote what citizens and staff typed; the bot escapes those, but the page must not
depend on that. Only the tags Telegram itself renders survive (bold, italic, links, code…),
links only to http(s) and tg: addresses, every other tag is dropped (its text kept), and
newlines become <br>, as the Telegram client shows them.
"""

from __future__ import annotations

from html import escape
from html.parser import HTMLParser

from markupsafe import Markup

_SIMPLE = {
    "b": "b", "strong": "b", "i": "i", "em": "i", "u": "u", "ins": "u",
    "s": "s", "strike": "s", "del": "s", "code": "code", "pre": "pre", "blockquote": "blockquote",
}  # fmt: skip
_SAFE_SCHEMES = ("http://", "https://", "tg://")


class _Sanitiser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SIMPLE:
            name = _SIMPLE[tag]
            self.out.append(f"<{name}>")
            self.stack.append(name)
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            if href.startswith(_SAFE_SCHEMES):
                self.out.append(f'<a href="{escape(href)}" rel="noopener noreferrer">')
            else:
                self.out.append("<a>")
            self.stack.append("a")

    def handle_endtag(self, tag: str) -> None:
        name = "a" if tag == "a" else _SIMPLE.get(tag)
        if name is None or name not in self.stack:
            return
        while self.stack:
            top = self.stack.pop()
            self.out.append(f"</{top}>")
            if top == name:
                break

    def handle_data(self, data: str) -> None:
        self.out.append(escape(data).replace("\n", "<br>"))

    def result(self) -> str:
        self.close()
        return "".join(self.out) + "".join(f"</{tag}>" for tag in reversed(self.stack))


def render(telegram_html: str) -> Markup:
    parser = _Sanitiser()
    parser.feed(telegram_html)
    return Markup(parser.result())
