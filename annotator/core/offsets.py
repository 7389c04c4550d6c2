"""Code-point offsets <-> positions in a Qt text widget.

Everything outside the Qt widgets uses Python code-point offsets into the stored text.
A Qt text document counts UTF-16 code units, shows CR LF (like a lone CR) as one
paragraph separator, and drops a leading U+FEFF. So, per position, the two differ by the
number of astral characters before it (+1 each: two UTF-16 units) minus the number of
characters Qt drops before it (-1 each: the LF of CR LF, a leading U+FEFF). We keep the
sorted code-point positions of both and bisect: O(log n) per conversion, and nothing to
store for the common text with neither.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

import regex

_ASTRAL = regex.compile(r"[\U00010000-\U0010FFFF]")
_CRLF = regex.compile(r"\r\n")


@dataclass(frozen=True)
class OffsetMap:
    """Converts offsets for one text. Build once per document, reuse for every span.

    `astral`: code-point positions of characters outside the BMP; `folded`: code-point
    positions of the LF of each CR LF pair (the character that disappears in Qt).
    """

    length: int
    astral: tuple[int, ...] = field(default=())
    folded: tuple[int, ...] = field(default=())

    @classmethod
    def for_text(cls, text: str, fold_crlf: bool = True) -> OffsetMap:
        astral = tuple(m.start() for m in _ASTRAL.finditer(text))
        folded = tuple(m.start() + 1 for m in _CRLF.finditer(text)) if fold_crlf else ()
        if fold_crlf and text.startswith("\ufeff"):
            folded = (0,) + folded  # a leading U+FEFF never reaches a QString either
        return cls(len(text), astral, folded)

    @property
    def display_length(self) -> int:
        return self.length + len(self.astral) - len(self.folded)

    def to_display(self, cp: int) -> int:
        """Widget position of code-point offset `cp` (0 <= cp <= length)."""
        if not 0 <= cp <= self.length:
            raise ValueError(f"code-point offset {cp} outside 0..{self.length}")
        return cp + bisect_left(self.astral, cp) - bisect_left(self.folded, cp)

    def from_display(self, pos: int) -> int:
        """Code-point offset of widget position `pos`.

        A position between the two halves of a surrogate pair is not a character
        boundary; it is refused rather than silently rounded. A widget position after a
        folded CR LF maps to after the LF.
        """
        if not 0 <= pos <= self.display_length:
            raise ValueError(f"widget position {pos} outside 0..{self.display_length}")
        if not self.astral and not self.folded:
            return pos
        # to_display is non-decreasing in cp; find the smallest cp with to_display(cp) >= pos.
        lo, hi = max(0, pos - len(self.astral)), min(self.length, pos + len(self.folded))
        while lo < hi:
            mid = (lo + hi) // 2
            if self.to_display(mid) < pos:
                lo = mid + 1
            else:
                hi = mid
        if self.to_display(lo) != pos:
            raise ValueError(f"widget position {pos} falls inside a surrogate pair")
        # Between CR and LF both cp and cp+1 map to the same position: prefer after the LF.
        while lo < self.length and bisect_right(self.folded, lo) != bisect_left(self.folded, lo):
            lo += 1
        return lo

    # UTF-16 without CR LF folding, for QTextBoundaryFinder and other QString APIs.
    def to_utf16(self, cp: int) -> int:
        if self.folded:
            raise ValueError("this map folds CR LF; build it with fold_crlf=False for UTF-16 offsets")
        return self.to_display(cp)

    def from_utf16(self, u: int) -> int:
        if self.folded:
            raise ValueError("this map folds CR LF; build it with fold_crlf=False for UTF-16 offsets")
        return self.from_display(u)

    @property
    def utf16_length(self) -> int:
        return self.length + len(self.astral)
