"""The HTML parser against tdlib's own expectations, entity detection and terminal rendering."""

from __future__ import annotations

from typing import Any

import pytest

from telegram_standin.html_parser import EntityParseError, parse_html
from telegram_standin.render import render
from telegram_standin.text_entities import citizen_text, format_text

# Error cases from tdlib's test/message_entities.cpp (the Bot API server's parser).
TDLIB_ERRORS = [
    ("🏟 🏟&lt;<abacaba", "Unclosed start tag at byte offset 13"),
    ("🏟 🏟&lt;<abac aba>", 'Unsupported start tag "abac" at byte offset 13'),
    ("🏟 🏟&lt;<abac>", 'Unsupported start tag "abac" at byte offset 13'),
    ("🏟 🏟&lt;<i   =aba>", 'Empty attribute name in the tag "i" at byte offset 13'),
    (
        "🏟 🏟&lt;<i    aba>",
        'Expected equal sign in declaration of an attribute of the tag "i" at byte offset 13',
    ),
    ("🏟 🏟&lt;<i    aba  =  ", 'Unclosed start tag "i" at byte offset 13'),
    ("🏟 🏟&lt;<i    aba  =  190azAz-.,", "Unexpected end of name token at byte offset 27"),
    ('🏟 🏟&lt;<i    aba  =  "&lt;&gt;&quot;>', "Unclosed start tag at byte offset 13"),
    ("🏟 🏟&lt;<i    aba  =  '&lt;&gt;&quot;>", "Unclosed start tag at byte offset 13"),
    ("🏟 🏟&lt;</", "Unexpected end tag at byte offset 13"),
    ("🏟 🏟&lt;<b></b></", "Unexpected end tag at byte offset 20"),
    ("🏟 🏟&lt;<i>a</i   ", "Unclosed end tag at byte offset 17"),
    ("🏟 🏟&lt;<i>a</em   >", 'Unmatched end tag at byte offset 17, expected "</i>", found "</em>"'),
    ("&#57311;", "Text contains invalid Unicode characters after decoding HTML entities"),
]

# Successful cases from the same file: (source, text, [(type, offset, length)]).
TDLIB_RESULTS: list[tuple[str, str, list[tuple[str, int, int]]]] = [
    ("➡️ ➡️<i>➡️ ➡️</i>", "➡️ ➡️➡️ ➡️", [("italic", 5, 5)]),
    ("➡️ ➡️<strong>➡️ ➡️</strong>", "➡️ ➡️➡️ ➡️", [("bold", 5, 5)]),
    ("➡️ ➡️<ins>➡️ ➡️</ins>", "➡️ ➡️➡️ ➡️", [("underline", 5, 5)]),
    ("➡️ ➡️<del>➡️ ➡️</del>", "➡️ ➡️➡️ ➡️", [("strikethrough", 5, 5)]),
    ("🏟 🏟<i>🏟 &lt;🏟</i>", "🏟 🏟🏟 <🏟", [("italic", 5, 6)]),
    ("🏟 🏟&lt;<i    aba  =  190azAz-.   >a</i>", "🏟 🏟<a", [("italic", 6, 1)]),
    ("🏟 🏟&lt;<i    aba  =  '&lt;&gt;&quot;'>a</>", "🏟 🏟<a", [("italic", 6, 1)]),
    ("🏟 🏟&lt;<i>a</    >", "🏟 🏟<a", [("italic", 6, 1)]),
    ("🏟 🏟&lt;<b></b>", "🏟 🏟<", []),
    ("<i><b> </b> <code> </code></i>", "   ", [("italic", 0, 3), ("bold", 0, 1), ("code", 2, 1)]),
    ("<a>telegram.org</a>", "telegram.org", [("text_link", 0, 12)]),
    ("<a> </a>", " ", []),
    ("🏟 🏟&lt;<pre><code>🏟 🏟&lt;</code></>", "🏟 🏟<🏟 🏟<", [("pre", 6, 6)]),
]


@pytest.mark.parametrize(("source", "message"), TDLIB_ERRORS)
def test_errors_match_tdlib(source: str, message: str) -> None:
    with pytest.raises(EntityParseError) as caught:
        parse_html(source)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize(("source", "text", "entities"), TDLIB_RESULTS)
def test_results_match_tdlib(source: str, text: str, entities: list[tuple[str, int, int]]) -> None:
    parsed = parse_html(source)
    assert parsed.text == text
    assert [(e["type"], e["offset"], e["length"]) for e in parsed.entities] == entities


def test_links_are_normalised_and_languages_kept() -> None:
    parsed = parse_html(
        "<a href='telegram.org?&lt;'>x</a>"
        '<pre><code class="language-python">y</code></pre><blockquote expandable>z</blockquote>'
    )
    assert parsed.entities == [
        {"offset": 0, "length": 1, "type": "text_link", "url": "http://telegram.org/?<"},
        {"offset": 1, "length": 1, "type": "pre", "language": "python"},
        {"offset": 2, "length": 1, "type": "expandable_blockquote"},
    ]


@pytest.mark.parametrize("source", ["Tom & Jerry", "5 &lt 6", "&nbsp;", "&#12345678;"])
def test_strictness_only_changes_entity_handling(source: str) -> None:
    lenient = parse_html(source, strict_entities=False)
    assert lenient.entities == []
    if "& " not in source:
        with pytest.raises(EntityParseError, match="write &amp; for a literal &"):
            parse_html(source)
    else:
        assert parse_html(source) == lenient


def test_text_is_trimmed_and_entities_follow() -> None:
    parsed = format_text(
        "\n  <b>Chào</b> bạn  \n",
        parse_mode="HTML",
        entities=None,
        limit=4096,
        strict_html_entities=True,
    )
    assert parsed.text == "Chào bạn"
    assert parsed.entities == [{"offset": 0, "length": 4, "type": "bold"}]


def test_telegram_detects_commands_links_and_mentions_in_citizen_text() -> None:
    parsed = citizen_text("/start@tro_ly_bot xem dichvucong.gov.vn hỏi @can_bo #nha_o a@b.vn")

    found: list[tuple[str, int, int]] = [
        (e["type"], e["offset"], e["length"]) for e in parsed.entities
    ]
    assert found == [
        ("bot_command", 0, 17),
        ("url", 22, 17),
        ("mention", 44, 7),
        ("hashtag", 52, 6),
        ("email", 59, 6),
    ]
    assert citizen_text("a/b 1/2 http://x.vn/a/b").entities == [
        {"type": "url", "offset": 8, "length": 15}
    ]


def test_render_uses_ansi_only_when_asked() -> None:
    entities: list[dict[str, Any]] = [
        {"type": "bold", "offset": 0, "length": 4},
        {"type": "text_link", "offset": 5, "length": 3, "url": "https://dvc.vn/"},
    ]
    assert render("Chào bạn!", entities) == "Chào bạn (https://dvc.vn/)!"
    assert render("Chào bạn!", entities, ansi=True) == (
        "\x1b[1mChào\x1b[0m \x1b[4mbạn\x1b[0m (https://dvc.vn/)!"
    )
    assert render("😀 a", [{"type": "italic", "offset": 3, "length": 1}], ansi=True) == (
        "😀 \x1b[3ma\x1b[0m"
    )
