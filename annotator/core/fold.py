"""Folding text for search: what a user types and what the corpus says compare equal
when they differ only by case, by accents on European letters, or by normalisation form.

`fold` is used on both sides (the search index and the query), so it only has to be
consistent, not reversible; offsets into folded text mean nothing in the document.

- Combining diacritics, the accents of Latin, Greek and Cyrillic letters, are dropped
  ("Geoană" -> "geoana", "Tổng" -> "tong", "é" -> "e"). In Bengali and other Indic
  scripts the marks are vowel signs and viramas, part of the letters: they stay
  ("রাস্তার" is unchanged).
- A few letters that do not decompose are mapped by hand (đ -> d, ł -> l, ø -> o, ...).
- NFC and NFD input give the same result; runs of white space (NBSP, tabs, new lines)
  become one space. Scripts are never transliterated: Cyrillic "Е" becomes "е", not "e".
"""

from __future__ import annotations

import re
import unicodedata

# Letters with a stroke or similar that Unicode does not decompose into base + mark
# (after casefold, so lower case only).
_NO_DECOMPOSITION = (("đ", "d"), ("ð", "d"), ("ħ", "h"), ("ı", "i"), ("ł", "l"), ("ŀ", "l"), ("ø", "o"),
                     ("ŧ", "t"))
# The combining-diacritics blocks: the accents of Latin (Vietnamese included), Greek and
# Cyrillic letters once decomposed. Bengali and other Indic vowel signs, viramas and
# nuktas live in their own scripts' blocks, so they stay. (A plain character class: the
# earlier "mark after a European letter" look-behind cost twice as much on import.)
_DIACRITICS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


_CACHE: dict[str, str] = {}  # word -> its fold: the words of a corpus repeat, folding them does not
_CACHE_MAX = 20_000  # words (a few MB); emptied when full, so memory stays bounded on any corpus


def fold(text: str) -> str:
    """The search key of `text` (see the module docstring). It stays decomposed (NFD):
    both sides of a search are folded, so NFD is as good a canonical form as NFC.

    Folded a word at a time, each word once (a cache): every step is local to a word
    (case, decomposition and the reordering of marks, which never crosses white space,
    the marks dropped, the letters mapped), so this equals folding the whole text and
    then making each run of white space one space (tests/core/test_fold.py compares the
    two on generated strings)."""
    if text.isascii():
        return _one_space(text.lower())
    cache = _CACHE
    if len(cache) > _CACHE_MAX:
        cache.clear()
    raw = text.split()
    folded = [cache.get(w) or cache.setdefault(w, _fold_word(w)) for w in raw]
    words = [w for w in folded if w]  # a word of marks alone leaves nothing, as in the whole text
    if not words:
        return " " if len(raw) != 1 or raw[0] != text else ""  # white space, or marks alone
    # A run of white space before the first word (or after the last) is one space; so is a
    # leading (trailing) word of marks alone with white space after (before) it.
    lead = text[0].isspace() or not folded[0]
    tail = text[-1].isspace() or not folded[-1]
    return (" " if lead else "") + " ".join(words) + (" " if tail else "")


def _fold_word(word: str) -> str:
    # Case first: a few case mappings bring their own marks ("İ" -> "i" + U+0307).
    folded = _DIACRITICS.sub("", unicodedata.normalize("NFD", word.casefold()))
    for letter, plain in _NO_DECOMPOSITION:
        if letter in folded:
            folded = folded.replace(letter, plain)
    return folded


def _one_space(text: str) -> str:
    """Runs of white space (str.isspace: NBSP, U+2028, U+2029, tabs, ...) as one space."""
    words = text.split()
    if not words:
        return " " if text else ""
    joined = " ".join(words)
    return (" " if text[0].isspace() else "") + joined + (" " if text[-1].isspace() else "")
