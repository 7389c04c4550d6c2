"""Merging the sources into what the annotator is shown.

- A suggestion overlapping a span already in the layer being annotated is dropped: the
  annotator has decided about that text.
- A rejected suggestion (same document, offsets and label) is never shown again, from
  any source.
- Of the suggestions for one span the best score wins; of overlapping spans the surest
  wins, so the result never overlaps itself. (Before this, Suggester.suggest drops the
  matcher's spans that overlap the CRF's when both were trained together: training.py.)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from annotator.suggest.base import Suggestion


@dataclass(frozen=True)
class Rejection:
    """A suggestion a reviewer refused: (document, start, end, label)."""

    document: str
    start: int
    end: int
    label: str


@dataclass
class Rejections:
    """The rejections of a project, looked up by document."""

    by_document: dict[str, set[tuple[int, int, str]]] = field(default_factory=dict)

    @classmethod
    def of(cls, rejections: Iterable[Rejection]) -> Rejections:
        out = cls()
        for r in rejections:
            out.add(r)
        return out

    def add(self, r: Rejection) -> None:
        self.by_document.setdefault(r.document, set()).add((r.start, r.end, r.label))

    def of_document(self, document: str) -> set[tuple[int, int, str]]:
        return self.by_document.get(document, set())


def combine(sources: Iterable[Sequence[Suggestion]], existing: Sequence[tuple[int, int]] = (),
            rejected: set[tuple[int, int, str]] | frozenset[tuple[int, int, str]] = frozenset()) -> list[Suggestion]:
    """The suggestions of every source for one document, merged (see the module
    docstring); `existing` are the (start, end) of the layer's spans. Sorted by start."""
    taken = sorted(existing)
    best: dict[tuple[int, int], Suggestion] = {}
    for source in sources:
        for s in source:
            if (s.start, s.end, s.label) in rejected or _overlaps(taken, s.start, s.end):
                continue
            old = best.get((s.start, s.end))
            if old is None or (s.score, s.source) > (old.score, old.source):
                best[(s.start, s.end)] = s
    chosen: list[Suggestion] = []
    kept: list[tuple[int, int]] = []
    for s in sorted(best.values(), key=lambda x: (-x.score, x.start, x.end)):
        if not any(a < s.end and s.start < b for a, b in kept):
            chosen.append(s)
            kept.append((s.start, s.end))
    return sorted(chosen, key=lambda x: (x.start, x.end))


def _overlaps(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    return any(a < end and start < b for a, b in spans)
