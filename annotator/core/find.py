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
from functools import lru_cache

from annotator.core import graphemes

# Marks a loose search ignores: combining accents and Arabic vowel marks (harakat, the
# superscript alef), which Arabic news mostly leaves out and sometimes writes.
_IGNORED = frozenset(range(0x300, 0x370)) | frozenset(range(0x64B, 0x660)) | {0x670}


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    decomposed = unicodedata.normalize("NFD", ch)
    return "".join(c for c in decomposed if ord(c) not in _IGNORED).casefold()


@lru_cache(maxsize=4)
def fold(text: str) -> tuple[str, list[int] | None]:
    """`text` case- and accent-folded, and for each folded character the code point of
    `text` it comes from (None when that is its own index: every character folded to one).
    The last few are kept: the find bar searches one text again at every key."""
    if text.isascii():
        return text.lower(), None
    chunks = [_fold_char(ch) for ch in text]
    folded = "".join(chunks)
    if len(folded) == len(text) and all(len(c) == 1 for c in chunks):
        return folded, None
    origin: list[int] = []
    for i, chunk in enumerate(chunks):
        origin.extend([i] * len(chunk))
    return folded, origin


def find_all(text: str, query: str, loose: bool = True, limit: int | None = None) -> list[tuple[int, int]]:
    """(start, end) code points of every match of `query` in `text`, on grapheme edges;
    `loose` ignores case and accents; at most `limit` (the first ones) if given."""
    if not query:
        return []
    origin: list[int] | None = None
    if loose:
        hay, origin = fold(text)
        needle = fold(query)[0]
        if not needle:
            return []
    else:
        hay, needle = text, query
    out: list[tuple[int, int]] = []
    at = hay.find(needle)
    while at >= 0 and (limit is None or len(out) < limit):
        if loose:
            start, end = (at, at + len(needle)) if origin is None else (origin[at], origin[at + len(needle) - 1] + 1)
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
