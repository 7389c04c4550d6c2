"""Finding every occurrence of a mention in a text, as whole words.

"Label every occurrence" labels "NATO" in "NATO's" (the apostrophe ends the word) but
never "Kosovo" inside "Kosovoj" nor a Bengali word inside a
longer one. An occurrence counts when it starts and ends at word edges (regex's \\w
includes Bengali vowel signs and viramas, unlike re's).
"""

from __future__ import annotations

from functools import lru_cache

import regex

from annotator.core import graphemes

_WORD_CHAR = regex.compile(r"\w")


def find_occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    if not needle:
        return []
    out = []
    start = text.find(needle)
    while start >= 0:
        end = start + len(needle)
        if _edge_ok(text, start, needle[0], before=True) and _edge_ok(text, end, needle[-1], before=False) \
                and graphemes.is_boundary(text, start) and graphemes.is_boundary(text, end):
            out.append((start, end))
        start = text.find(needle, start + 1)
    return out


def _edge_ok(text: str, pos: int, inner: str, before: bool) -> bool:
    """A word character at the needle's edge must not continue into the text beyond it."""
    if not _is_word(inner):
        return True
    outside = pos - 1 if before else pos
    if outside < 0 or outside >= len(text):
        return True
    return not _is_word(text[outside])


@lru_cache(maxsize=1 << 16)
def _is_word(char: str) -> bool:
    """regex's \\w, remembered per character: a corpus-wide label asks it hundreds of
    thousands of times, of a few dozen distinct characters (issue 18)."""
    return _WORD_CHAR.match(char) is not None
