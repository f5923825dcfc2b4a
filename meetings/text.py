"""Vietnamese text helpers: name ordering and accent-insensitive search."""

import re
import unicodedata

_ALPHABET = [
    "a",
    "ă",
    "â",
    "b",
    "c",
    "d",
    "đ",
    "e",
    "ê",
    "f",
    "g",
    "h",
    "i",
    "j",
    "k",
    "l",
    "m",
    "n",
    "o",
    "ô",
    "ơ",
    "p",
    "q",
    "r",
    "s",
    "t",
    "u",
    "ư",
    "v",
    "w",
    "x",
    "y",
    "z",
]
_LETTER_CODE = {letter: f"{i + 1:02d}" for i, letter in enumerate(_ALPHABET)}
# Dictionary order of tones: level, grave, hook, tilde, acute, dot.
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn: part of the letter


def _split_letters(word: str):
    """Yield (letter, tone) pairs of a word, letters in their Vietnamese identity."""
    for ch in word.lower():
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], decomposed[1:]
        letter = unicodedata.normalize("NFC", base + "".join(m for m in marks if m in _LETTER_MARKS))
        tone = next((_TONES[m] for m in marks if m in _TONES), "0")
        yield letter, tone


def vn_sort_key(full_name: str) -> str:
    """A sort key that orders names by given name (last word), then the rest, in the
    Vietnamese alphabet with tones as a secondary key. Digits only, so any database
    collation orders it the same way."""
    words = full_name.split()
    if not words:
        return ""
    ordered = [words[-1], *words[:-1]]
    primary, secondary = [], []
    for word in ordered:
        for letter, tone in _split_letters(word):
            if letter in _LETTER_CODE:
                primary.append(_LETTER_CODE[letter])
                secondary.append(tone)
        primary.append("00")
    return ("".join(primary) + "-" + "".join(secondary))[:255]


def given_name(full_name: str) -> str:
    words = full_name.split()
    return words[-1] if words else ""


_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def fold(text: str) -> str:
    """Lower-case, strip Vietnamese diacritics and punctuation: "Tự soi, tự sửa" -> "tu soi tu sua"."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", stripped.lower()).split())


RICH_TAGS = {"p", "br", "b", "strong", "i", "em", "u", "ul", "ol", "li", "blockquote", "h3", "h4"}


_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")


def looks_like_html(text: str) -> bool:
    return bool(_TAG.search(text or ""))


def sanitize_rich_text(text: str) -> str:
    """Keep simple formatting pasted from a word processor; drop scripts, handlers, styles and
    links. Plain text (no tags) is returned unchanged: it is escaped when shown."""
    import nh3

    if not looks_like_html(text):
        return text or ""
    return nh3.clean(text, tags=RICH_TAGS, attributes={}, link_rel=None, strip_comments=True)
