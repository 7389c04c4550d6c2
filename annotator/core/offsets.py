"""Code-point <-> UTF-16 offset conversion.

Everything outside the Qt widgets uses Python code-point offsets; Qt counts UTF-16 code
units. A character outside the BMP is one code point but two UTF-16 units, so the two
differ by the number of astral characters before the position. We keep the sorted
code-point positions of those characters and bisect: O(log n) per conversion, and O(1)
memory for the (common) text with none.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

import regex

_ASTRAL = regex.compile(r"[\U00010000-\U0010FFFF]")


@dataclass(frozen=True)
class OffsetMap:
    """Converts offsets for one text. Build once per document, reuse for every span."""

    length: int
    astral: tuple[int, ...] = field(default=())

    @classmethod
    def for_text(cls, text: str) -> OffsetMap:
        return cls(len(text), tuple(m.start() for m in _ASTRAL.finditer(text)))

    @property
    def utf16_length(self) -> int:
        return self.length + len(self.astral)

    def to_utf16(self, cp: int) -> int:
        """UTF-16 position of code-point offset `cp` (0 <= cp <= length)."""
        if not 0 <= cp <= self.length:
            raise ValueError(f"code-point offset {cp} outside 0..{self.length}")
        return cp + bisect_left(self.astral, cp)

    def from_utf16(self, u: int) -> int:
        """Code-point offset of UTF-16 position `u`.

        A position between the two halves of a surrogate pair is not a character
        boundary; it is refused rather than silently rounded.
        """
        if not 0 <= u <= self.utf16_length:
            raise ValueError(f"UTF-16 offset {u} outside 0..{self.utf16_length}")
        # Astral char k (0-based) at code point a_k starts at UTF-16 a_k + k.
        lo, hi = 0, len(self.astral)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.astral[mid] + mid < u:
                lo = mid + 1
            else:
                hi = mid
        # lo astral chars start strictly before u.
        if lo and self.astral[lo - 1] + (lo - 1) + 1 == u:
            raise ValueError(f"UTF-16 offset {u} falls inside a surrogate pair")
        return u - lo
