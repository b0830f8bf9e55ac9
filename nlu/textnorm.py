"""Vietnamese text normalisation shared by the Rasa components and the bot.

Pure Python, no Rasa import: the bot (Python 3.11) and the NLU server (Python 3.10) both use
it, so a sentence is folded the same way when the model is trained, when it is served, and
when the bot falls back to keywords because the NLU server is down.

Citizens type the same word many ways: "đăng ký", "dang ky", "đăng kí", "đk", "dk", in NFC
or, from some phone keyboards, in NFD. Three steps make them one:

* `nfc` - one Unicode form for everything (NFD input otherwise never matches anything);
* `fold` - lower case without diacritics, *length preserving* so that character offsets found
  in the folded text are valid in the original (entity spans stay correct);
* `canonical_words` - per word: fold, squeeze stretched letters ("chaooo"), spelling variants
  ("kí" ~ "ký") and chat abbreviations ("đk" -> "dang ky").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

_D_MAP = {"đ": "d", "Đ": "d"}

# Chat abbreviations seen in citizens' messages, keyed by their folded form. Values are
# folded words. Ambiguous shorthands ("a", "b", "hn", "bt") are deliberately left out:
# guessing wrong would hurt more than leaving them alone.
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "ko": ("khong",),
    "k": ("khong",),
    "kg": ("khong",),
    "khg": ("khong",),
    "kh": ("khong",),
    "hok": ("khong",),
    "hong": ("khong",),
    "dc": ("duoc",),
    "dk": ("dang", "ky"),
    "dky": ("dang", "ky"),
    "bn": ("bao", "nhieu"),
    "bnhieu": ("bao", "nhieu"),
    "j": ("gi",),
    "ji": ("gi",),
    "ntn": ("nhu", "the", "nao"),
    "tn": ("the", "nao"),
    "e": ("em",),
    "mk": ("minh",),
    "mik": ("minh",),
    "ng": ("nguoi",),
    "tc": ("tro", "cap"),
    "tcxh": ("tro", "cap", "xa", "hoi"),
    "btxh": ("bao", "tro", "xa", "hoi"),
    "vl": ("viec", "lam"),
    "xkld": ("xuat", "khau", "lao", "dong"),
    "ld": ("lao", "dong"),
    "sdt": ("so", "dien", "thoai"),
    "dt": ("dien", "thoai"),
    "stk": ("so", "tai", "khoan"),
    "tk": ("tai", "khoan"),
    "hs": ("ho", "so"),
    "lm": ("lam",),
    "r": ("roi",),
    "v": ("vay",),
    "z": ("vay",),
    "vs": ("voi",),
    "mun": ("muon",),
    "nhiu": ("nhieu",),
    "cx": ("cung",),
    "cg": ("cung",),
    "bh": ("bao", "gio"),
    "bjo": ("bao", "gio"),
    "bgio": ("bao", "gio"),
    "trc": ("truoc",),
    "ck": ("chong",),
    "vk": ("vo",),
    "ad": ("admin",),
    "ok": ("ok",),
    "oke": ("ok",),
    "okie": ("ok",),
    "uk": ("u",),
    "uh": ("u",),
    "um": ("u",),
    "tks": ("cam", "on"),
    "thks": ("cam", "on"),
    "thanks": ("cam", "on"),
    "thank": ("cam", "on"),
    "camon": ("cam", "on"),
    "cmon": ("cam", "on"),
    "ncl": ("noi", "chung", "la"),
    "ubnd": ("uy", "ban", "nhan", "dan"),
    "nct": ("nguoi", "cao", "tuoi"),
    "nkt": ("nguoi", "khuyet", "tat"),
    "bhxh": ("bao", "hiem", "xa", "hoi"),
    "bhyt": ("bao", "hiem", "y", "te"),
    "cccd": ("can", "cuoc"),
    "hcn": ("ho", "can", "ngheo"),
    "thpt": ("trung", "hoc", "pho", "thong"),
}

# Old and new spellings that differ only in "i" versus "y" at the end of a syllable
# ("kí"/"ký", "lí"/"lý"); after folding they become the same word.
SPELLING_VARIANTS: dict[str, str] = {
    "ki": "ky",
    "li": "ly",
    "si": "sy",
    "mi": "my",
    "qui": "quy",
    "hi": "hy",
    "bit": "biet",
    "hem": "khong",
}

_REPEATS = re.compile(r"(.)\1{2,}")
_WORD = re.compile(r"[^\W_]+(?:[.'][^\W_]+)*", re.UNICODE)


def nfc(text: str) -> str:
    """The NFC form of `text`: decomposed (NFD) input becomes the same string as composed."""
    return unicodedata.normalize("NFC", text)


def fold_char(char: str) -> str:
    """One character without diacritics, lower case; always exactly one character."""
    if char in _D_MAP:
        return _D_MAP[char]
    base = unicodedata.normalize("NFD", char)[0]
    lowered = base.lower()
    return lowered if len(lowered) == 1 else base


def fold(text: str) -> str:
    """Lower case, diacritics removed, same length as `nfc(text)`.

    The length is preserved on purpose: an entity found at [start:end] in the folded text
    is at [start:end] in the NFC text too.
    """
    return "".join(fold_char(c) for c in nfc(text))


def canonical_words(word: str) -> tuple[str, ...]:
    """The folded, de-abbreviated words a single typed word stands for.

    >>> canonical_words("Đăng")
    ('dang',)
    >>> canonical_words("đk")
    ('dang', 'ky')
    >>> canonical_words("kí")
    ('ky',)
    """
    folded = fold(word).strip(".'")
    if not folded:
        return ()
    if folded in ABBREVIATIONS:
        return ABBREVIATIONS[folded]
    squeezed = _REPEATS.sub(r"\1", folded)
    # "okkk" is "ok", but a laugh "kkkk" is not the one-letter "k" (= "không").
    if len(squeezed) > 1 and squeezed in ABBREVIATIONS:
        return ABBREVIATIONS[squeezed]
    return (SPELLING_VARIANTS.get(squeezed, squeezed),)


def iter_words(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, word) for every word of `text` (letters and digits; punctuation dropped)."""
    for match in _WORD.finditer(text):
        yield match.start(), match.end(), match.group()


def canonical_text(text: str) -> str:
    """The whole sentence as canonical words separated by single spaces."""
    words: list[str] = []
    for _, _, word in iter_words(nfc(text)):
        words.extend(canonical_words(word))
    return " ".join(words)


# Characters that change nothing a person sees but break matching: zero-width spaces and
# joiners, the word joiner, the byte-order mark, soft hyphen, and the bidirectional controls
# (marks, embeddings, overrides, isolates). A zero-width *space* separates words, so it
# becomes a real space ("Đại\u200bBình" is two words); the other controls are dropped.
_INVISIBLE_SPACES = {"\u200b": " ", "\u2060": " ", "\ufeff": " "}
_INVISIBLE_DROPPED = (
    "\u00ad"  # soft hyphen
    "\u061c"  # Arabic letter mark
    "\u180e"  # Mongolian vowel separator
    "\u200c\u200d"  # zero-width non-joiner / joiner
    "\u200e\u200f"  # left-to-right / right-to-left mark
    "\u202a\u202b\u202c\u202d\u202e"  # embeddings, pop, overrides (RLO)
    "\u2061\u2062\u2063\u2064"  # invisible operators
    "\u2066\u2067\u2068\u2069"  # isolates
)
_INVISIBLE_TABLE: dict[int, str | None] = {ord(c): s for c, s in _INVISIBLE_SPACES.items()}
_INVISIBLE_TABLE.update(dict.fromkeys(map(ord, _INVISIBLE_DROPPED)))


def strip_invisible(text: str) -> str:
    """`text` without zero-width and bidi control characters.

    A message wrapped in U+202E (right-to-left override) or with U+200B inside a word reads
    the same on screen but matches nothing: the words and entities are lost. Zero-width
    spaces (and the BOM / word joiner) become ordinary spaces so the words around them stay
    apart; the other controls are removed.

    >>> strip_invisible("\\u202etrợ cấp\\u202c")
    'trợ cấp'
    >>> strip_invisible("Đại\\u200bBình")
    'Đại Bình'
    """
    return text.translate(_INVISIBLE_TABLE)


def edge_text(text: str) -> str:
    """What a typed message becomes at the bot's edge: no invisible controls, NFC, trimmed.

    Empty when the message held nothing but spaces and invisible characters; such a message
    is never sent to the NLU.
    """
    return nfc(strip_invisible(text)).strip()
