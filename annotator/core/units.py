"""Offsets in the units other tools count, to and from the code points the app stores.

JavaScript front ends (Label Studio before 1.0's fix, doccano's annotation screen) count
UTF-16 code units: a character outside the BMP (an emoji, 𝐀) counts two. doccano with
"count grapheme clusters as one character" counts user-perceived characters. Python
tools (Prodigy, spaCy, scripts) count code points, as the app does. Each conversion is
built once per text and answers None for a position that is no boundary in the other
unit (inside a surrogate pair, past the end).
"""

from __future__ import annotations

from collections.abc import Callable

import regex

from annotator.core.graphemes import boundaries

UNITS = ("codepoints", "utf16", "graphemes")
_ASTRAL = regex.compile(r"[\U00010000-\U0010FFFF]")


def has_astral(text: str) -> bool:
    return not text.isascii() and _ASTRAL.search(text) is not None


def units_differ(text: str) -> bool:
    """Whether a position may read differently in the three units: an astral character,
    or a grapheme cluster of more than one code point (a conjunct, a mark, CRLF)."""
    if text.isascii():
        return "\r\n" in text
    return has_astral(text) or len(boundaries(text)) != len(text) + 1


def _identity(n: int) -> Callable[[int], int | None]:
    return lambda pos: pos if 0 <= pos <= n else None


def from_unit(text: str, unit: str) -> Callable[[int], int | None]:
    """pos in `unit` -> code-point offset into `text`, or None."""
    if unit == "codepoints" or unit == "utf16" and not has_astral(text):
        return _identity(len(text))
    if unit == "utf16":
        table: dict[int, int] = {}
        u = 0
        for i, ch in enumerate(text):
            table[u] = i
            u += 2 if ord(ch) > 0xFFFF else 1
        table[u] = len(text)
        return table.get
    if unit == "graphemes":
        edges = boundaries(text)
        return lambda pos: edges[pos] if 0 <= pos < len(edges) else None
    raise ValueError(f"unknown offset unit {unit!r}; one of {', '.join(UNITS)}")


def to_unit(text: str, unit: str) -> Callable[[int], int]:
    """Code-point offset into `text` (a grapheme boundary for "graphemes") -> pos in `unit`."""
    if unit == "codepoints" or unit == "utf16" and not has_astral(text):
        return lambda pos: pos
    if unit == "utf16":
        prefix = [0]
        for ch in text:
            prefix.append(prefix[-1] + (2 if ord(ch) > 0xFFFF else 1))
        return prefix.__getitem__
    if unit == "graphemes":
        index = {b: i for i, b in enumerate(boundaries(text))}
        return index.__getitem__
    raise ValueError(f"unknown offset unit {unit!r}; one of {', '.join(UNITS)}")
