"""Tokens for the recommenders: words as core/graphemes.py defines them (regex's \\w,
which keeps Bengali vowel signs and viramas inside the word), and every other visible
grapheme cluster (punctuation, symbols) as a token of its own."""

from __future__ import annotations

import unicodedata

import regex

from annotator.core.graphemes import WORD

_TOKEN = regex.compile(rf"(?:{WORD.pattern})|(?:(?!\s)\X)")


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of every token of text[start:end], in order."""
    return [m.span() for m in _TOKEN.finditer(text, start, len(text) if end is None else end)]


def key(token: str) -> str:
    """The form two tokens must share to match: NFC (Vietnamese arrives both composed
    and decomposed), case kept (case is evidence for names)."""
    return unicodedata.normalize("NFC", token)
