"""Folding text for search: what a user types and what the corpus says compare equal
when they differ only by case, by accents on European letters, or by normalisation form.

`fold` is used on both sides (the search index and the query), so it only has to be
consistent, not reversible; offsets into folded text mean nothing in the document.

- Combining marks are dropped only after a Latin, Greek or Cyrillic base letter
  ("Geoană" -> "geoana", "Tổng" -> "tong", "é" -> "e"). In Bengali and other Indic
  scripts the marks are vowel signs and viramas, part of the letters: they stay
  ("রাস্তার" is unchanged).
- A few letters that do not decompose are mapped by hand (đ -> d, ł -> l, ø -> o, ...).
- NFC and NFD input give the same result; runs of white space (NBSP, tabs, new lines)
  become one space. Scripts are never transliterated: Cyrillic "Е" becomes "е", not "e".
"""

from __future__ import annotations

import unicodedata

import regex

# Letters with a stroke or similar that Unicode does not decompose into base + mark
# (after casefold, so lower case only).
_NO_DECOMPOSITION = (("đ", "d"), ("ð", "d"), ("ħ", "h"), ("ı", "i"), ("ł", "l"), ("ŀ", "l"), ("ø", "o"),
                     ("ŧ", "t"))
# The marks on a Latin, Greek or Cyrillic letter (the letter itself not being a mark).
_EUROPEAN_MARKS = regex.compile(r"(?<=(?!\p{M})[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}])\p{M}+")


def fold(text: str) -> str:
    """The search key of `text` (see the module docstring)."""
    if text.isascii():
        return _one_space(text.lower())
    # Case first: a few case mappings bring their own marks ("İ" -> "i" + U+0307).
    decomposed = _EUROPEAN_MARKS.sub("", unicodedata.normalize("NFD", text.casefold()))
    for letter, plain in _NO_DECOMPOSITION:
        if letter in decomposed:
            decomposed = decomposed.replace(letter, plain)
    return _one_space(unicodedata.normalize("NFC", decomposed))


def _one_space(text: str) -> str:
    """Runs of white space (str.isspace: NBSP, U+2028, U+2029, tabs, ...) as one space."""
    words = text.split()
    if not words:
        return " " if text else ""
    joined = " ".join(words)
    return (" " if text[0].isspace() else "") + joined + (" " if text[-1].isspace() else "")
