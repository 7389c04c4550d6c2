"""Finding a typed query in a document, as the find bar does.

Matches start and end on grapheme-cluster edges (a Bengali consonant is not found inside a
conjunct, nor "e" in the "é" of an NFD text without its accent). Loosely, case and
accents are ignored: Latin, Greek and Cyrillic combining accents (U+0300-U+036F) and
Arabic harakat are dropped and the rest case-folded, character by character, so every
folded position maps back to a code point of the stored text. Bengali vowel signs and
viramas are letters of their word, never dropped.
"""

from __future__ import annotations

import unicodedata

from annotator.core import graphemes

# Marks a loose search ignores: combining accents and Arabic vowel marks (harakat, the
# superscript alef), which Arabic news mostly leaves out and sometimes writes.
_IGNORED = frozenset(range(0x300, 0x370)) | frozenset(range(0x64B, 0x660)) | {0x670}


def _fold_char(ch: str) -> str:
    decomposed = unicodedata.normalize("NFD", ch)
    return "".join(c for c in decomposed if ord(c) not in _IGNORED).casefold()


def fold(text: str) -> tuple[str, list[int]]:
    """`text` case- and accent-folded, and for each folded character the code point of
    `text` it comes from."""
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        folded = ch.casefold() if ch.isascii() else _fold_char(ch)
        out.append(folded)
        origin.extend([i] * len(folded))
    return "".join(out), origin


def find_all(text: str, query: str, loose: bool = True) -> list[tuple[int, int]]:
    """(start, end) code points of every match of `query` in `text`, on grapheme edges;
    `loose` ignores case and accents."""
    if not query:
        return []
    if loose:
        hay, origin = fold(text)
        needle = fold(query)[0]
        if not needle:
            return []
    else:
        hay, origin, needle = text, [], query
    out: list[tuple[int, int]] = []
    at = hay.find(needle)
    while at >= 0:
        if loose:
            start, end = origin[at], origin[at + len(needle) - 1] + 1
            # Marks the fold dropped after the last matched letter belong to it.
            while end < len(text) and not _fold_char(text[end]) and ord(text[end]) in _IGNORED:
                end += 1
        else:
            start, end = at, at + len(needle)
        if graphemes.is_boundary(text, start) and graphemes.is_boundary(text, end) \
                and (not out or start >= out[-1][1]):
            out.append((start, end))
        at = hay.find(needle, at + 1)
    return out
