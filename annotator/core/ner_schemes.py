"""The four matching schemes of SemEval-2013 task 9.1, as the nervaluate package
(1.2.1) implements them, so our figures can be checked against it.

- strict: offsets and label equal;
- exact: offsets equal, any label;
- partial: offsets equal is correct, an overlap is half right (counted as 0.5), any label;
- type: an overlap with the same label is correct.
A prediction that overlaps a gold span without matching is "incorrect" (strict, exact,
type) or "partial"; one that overlaps none is "spurious"; a gold span nothing claimed is
"missed". Matching is greedy, predictions in text order against gold spans in text
order, each gold span used once, exactly as nervaluate does it; "overlap" means, as
there, at least `min_overlap` percent of the gold span (1 %: any overlap for spans of up
to 100 characters). Offsets here are [start, end) code points; nervaluate's ends are
inclusive, which gives the same overlaps.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

SCHEMES = ("strict", "exact", "partial", "type")
# (start, end, label), end exclusive
Entity = tuple[int, int, str]


@dataclass
class Counts:
    correct: int = 0
    incorrect: int = 0
    partial: int = 0
    missed: int = 0
    spurious: int = 0

    def add(self, other: Counts) -> None:
        self.correct += other.correct
        self.incorrect += other.incorrect
        self.partial += other.partial
        self.missed += other.missed
        self.spurious += other.spurious


@dataclass(frozen=True)
class SchemeResult:
    correct: int
    incorrect: int
    partial: int
    missed: int
    spurious: int
    possible: int  # gold spans: correct + incorrect + partial + missed
    actual: int  # predicted spans: correct + incorrect + partial + spurious
    precision: float
    recall: float
    f1: float


def result(c: Counts, scheme: str = "strict") -> SchemeResult:
    actual = c.correct + c.incorrect + c.partial + c.spurious
    possible = c.correct + c.incorrect + c.partial + c.missed
    # nervaluate credits half a partial match under the partial and type schemes only.
    right = c.correct + 0.5 * c.partial if scheme in ("partial", "type") else c.correct
    precision = right / actual if actual > 0 else 0
    recall = right / possible if possible > 0 else 0
    f1 = 2 * (precision * recall) / (precision + recall) if (precision + recall) > 0 else 0
    return SchemeResult(c.correct, c.incorrect, c.partial, c.missed, c.spurious, possible, actual,
                        float(precision), float(recall), float(f1))


def _sufficient(p: Entity, t: Entity, min_overlap: float) -> bool:
    if p[0] >= t[1] or p[1] <= t[0]:
        return False
    overlap = min(p[1], t[1]) - max(p[0], t[0])
    return (overlap / (t[1] - t[0])) * 100.0 >= min_overlap  # as nervaluate computes it


class _Gold:
    """Gold entities in text order, with the window of those that can overlap a range."""

    def __init__(self, gold: Sequence[Entity]) -> None:
        self.items = list(gold)
        self.starts = [g[0] for g in self.items]
        self.longest = max((g[1] - g[0] for g in self.items), default=0)
        self.matched = [False] * len(self.items)

    def candidates(self, p: Entity) -> range:
        # Gold spans that do not overlap p never change the outcome, so skip them.
        return range(bisect_left(self.starts, p[0] - self.longest), bisect_left(self.starts, p[1]))


def match(gold: Sequence[Entity], pred: Sequence[Entity], scheme: str, min_overlap: float = 1.0) -> Counts:
    """Counts of one document under `scheme`, matching in text order."""
    g = _Gold(sorted(gold))
    c = Counts()
    for p in sorted(pred):
        hit = near = None
        best = None
        for i in g.candidates(p):
            t = g.items[i]
            # Equal non-empty ranges always overlap fully, so testing the overlap first
            # loses no exact match.
            if g.matched[i] or not _sufficient(p, t, min_overlap):
                continue
            same_offsets = p[0] == t[0] and p[1] == t[1]
            if scheme == "type":
                if p[2] == t[2]:
                    distance = abs(p[0] - t[0]) + abs(p[1] - t[1])
                    if best is None or distance < best:
                        hit, best = i, distance
                elif near is None:
                    near = i
                continue
            if same_offsets and (scheme != "strict" or p[2] == t[2]):
                hit = i
                break
            if near is None:
                near = i
        if hit is not None:
            c.correct += 1
            g.matched[hit] = True
        elif near is not None:
            if scheme == "partial":
                c.partial += 1
            else:
                c.incorrect += 1
            g.matched[near] = True
        else:
            c.spurious += 1
    c.missed = g.matched.count(False)
    return c


def score_all(docs: Sequence[tuple[Sequence[Entity], Sequence[Entity]]],
              min_overlap: float = 1.0) -> dict[str, Counts]:
    """Counts per scheme summed over documents of (gold, pred) entity lists."""
    out = {s: Counts() for s in SCHEMES}
    for gold, pred in docs:
        for s in SCHEMES:
            out[s].add(match(gold, pred, s, min_overlap))
    return out
