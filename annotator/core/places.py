"""Places in an import's input ("corpus.jsonl: line 12"), kept as small ints while the
import runs: what an import keeps of every document for the checks across its input
(where each layer and each text came from, for the messages that name an earlier one)
would otherwise be a string of about a hundred bytes a document.
"""

from __future__ import annotations

_DIGITS = "0123456789"
_INDEX_BITS = 20  # room for a million different heads; a place with a head beyond that stays a string


class Places:
    """Packs a place that ends in a number into one int (the number and the index of the
    text before it, kept once); any other place stays the string it is. unpack() gives
    back the same string."""

    def __init__(self) -> None:
        self._heads: list[str] = []
        self._index: dict[str, int] = {}

    def pack(self, where: str) -> int | str:
        head = where.rstrip(_DIGITS)
        digits = where[len(head):]
        if not digits or len(digits) > 18 or digits[0] == "0":  # "007" would come back as "7"
            return where
        index = self._index.get(head)
        if index is None:
            if len(self._heads) >= 1 << _INDEX_BITS:
                return where
            index = self._index[head] = len(self._heads)
            self._heads.append(head)
        return int(digits) << _INDEX_BITS | index

    def unpack(self, packed: int | str) -> str:
        if isinstance(packed, str):
            return packed
        return f"{self._heads[packed & ((1 << _INDEX_BITS) - 1)]}{packed >> _INDEX_BITS}"
