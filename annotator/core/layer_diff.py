"""Where annotators' span layers of one document disagree: the adjudication worklist.

Spans every layer has (same start, end and label) are agreements and drop out. The rest
are grouped first by identical offsets across layers (a "label" disagreement when the
labels differ), then groups of different layers that overlap are joined, preferring a
label in common and then the most overlap. So a PERSON that one annotator drew one
character wider is one "boundary" disagreement, not a "missing" and an "extra" that the
adjudicator would have to pair up in their head.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from annotator.core.errors import AnnotatorError
from annotator.core.records import DocumentRecord, SpanRecord


@dataclass(frozen=True)
class Disagreement:
    """Between layers a (the reference) and b: "missing" (a has it, b not), "extra" (b
    has it, a not), "label" (same offsets, other label), "boundary" (overlapping spans
    with other offsets, whatever their labels). start/end cover both spans."""

    start: int
    end: int
    kind: str
    a_span: SpanRecord | None
    b_span: SpanRecord | None


@dataclass(frozen=True)
class LayerDisagreement:
    """Among n layers: "boundary" (the spans here differ in offsets), else "label" (they
    differ in label), else "missing" (some layers have no span here, the others agree).
    versions maps each annotator to their span here, or None."""

    start: int
    end: int
    kind: str
    versions: dict[str, SpanRecord | None]


def _key(s: SpanRecord) -> tuple[int, int, str]:
    return s.start, s.end, s.label


class _Item:
    """A place under adjudication: the offsets it was found at and each layer's span there."""

    def __init__(self, start: int, end: int, versions: dict[int, SpanRecord]) -> None:
        self.start, self.end, self.versions, self.alive = start, end, versions, True

    def labels(self) -> set[str]:
        return {s.label for s in self.versions.values()}


def _by_offsets(rest: list[list[SpanRecord]]) -> list[_Item]:
    """Items of the spans that share their exact offsets across layers (one span per
    layer each; the commonest label first, so equal labels line up), in text order."""
    groups: dict[tuple[int, int], list[list[SpanRecord]]] = defaultdict(lambda: [[] for _ in rest])
    for li, spans in enumerate(rest):
        for s in sorted(spans, key=lambda x: (x.label, x.id)):
            groups[s.start, s.end][li].append(s)
    items = []
    for (start, end), per in sorted(groups.items()):
        while any(per):
            counts = Counter(x.label for spans in per for x in spans)
            target = min(counts, key=lambda lab: (-counts[lab], lab))
            versions = {}
            for li, spans in enumerate(per):
                if spans:
                    pick = next((x for x in spans if x.label == target), spans[0])
                    spans.remove(pick)
                    versions[li] = pick
            items.append(_Item(start, end, versions))
    return items


def _merge_overlapping(items: list[_Item], layers: int) -> None:
    """Join items of disjoint layers that overlap: the most complete items first, each
    taking the partner with a label in common, then the most overlap, then the earliest."""
    starts = [it.start for it in items]  # items are in text order
    longest = max((it.end - it.start for it in items), default=0)
    for it in sorted(items, key=lambda x: (-len(x.versions), x.start, x.end)):
        while it.alive and len(it.versions) < layers:
            best, best_rank = None, None
            # Only items starting within `longest` before it can reach it.
            for j in range(bisect_left(starts, it.start - longest), bisect_left(starts, it.end)):
                other = items[j]
                if (other is it or not other.alive or other.end <= it.start
                        or other.versions.keys() & it.versions.keys()):
                    continue
                overlap = min(it.end, other.end) - max(it.start, other.start)
                rank = (not it.labels() & other.labels(), -overlap, j)
                if best_rank is None or rank < best_rank:
                    best, best_rank = other, rank
            if best is None:
                break
            it.versions.update(best.versions)
            best.alive = False


def layer_disagreements(records: Mapping[str, DocumentRecord]) -> list[LayerDisagreement]:
    """Disagreements among the layers of one document (annotator -> record), by start."""
    names = list(records)
    if len({(r.id, r.text) for r in records.values()}) > 1:
        raise AnnotatorError("span disagreements compare layers of one document; these differ in id or text")
    if len(names) < 2:
        return []
    counts = [Counter(_key(s) for s in r.spans) for r in records.values()]
    agreed = Counter({k: min(c[k] for c in counts) for k in counts[0]})
    rest: list[list[SpanRecord]] = []
    for r in records.values():
        left = agreed.copy()
        rest.append([])
        for s in r.spans:
            if left[_key(s)] > 0:
                left[_key(s)] -= 1
            else:
                rest[-1].append(s)
    items = _by_offsets(rest)
    _merge_overlapping(items, len(names))
    out = []
    for it in items:
        if not it.alive:
            continue
        present = list(it.versions.values())
        if len({(s.start, s.end) for s in present}) > 1:
            kind = "boundary"
        elif len(it.labels()) > 1:
            kind = "label"
        else:
            kind = "missing"
        versions = {name: it.versions.get(li) for li, name in enumerate(names)}
        out.append(LayerDisagreement(min(s.start for s in present), max(s.end for s in present), kind, versions))
    out.sort(key=lambda d: (d.start, d.end))
    return out


def span_disagreements(a: DocumentRecord, b: DocumentRecord) -> list[Disagreement]:
    """Disagreements of layer b against layer a of the same document, by start."""
    out = []
    for d in layer_disagreements({"a": a, "b": b}):
        sa, sb = d.versions["a"], d.versions["b"]
        kind = d.kind if d.kind != "missing" else ("missing" if sb is None else "extra")
        out.append(Disagreement(d.start, d.end, kind, sa, sb))
    return out
