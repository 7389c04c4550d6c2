"""Agreement and scores for what issue 14 adds to a layer: attributes and relations.

Items are matched by what they are, not by their ids: a span by (start, end, label), an
event by (type, trigger start, trigger end), a claim by (start, end), an argument by its
event or claim, role and span offsets, the document by itself. Then:

- attribute agreement: Cohen's kappa per attribute name between two layers, over the
  items both layers have where at least one of them sets that attribute (unset is a
  category of its own, so "set by one, not by the other" counts as a disagreement);
  None when undefined (no such item, or chance agreement 1: every value the same);
- relation agreement: F1 = 2 * matches / (|A| + |B|) over relations as (type, from span,
  to span) with spans as (start, end, label), directed as written (multisets);
- evaluation against gold: relations and attribute values (item, name, value) as sets of
  tuples, each right, missed or spurious.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterator, Sequence

from annotator.core.records import ArgumentRecord, DocumentRecord

UNSET = "(unset)"


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Cohen's kappa of two raters' labels of the same items; None if undefined."""
    n = len(a)
    if n == 0 or n != len(b):
        return None
    observed = sum(x == y for x, y in zip(a, b)) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[k] * cb[k] for k in ca) / (n * n)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def attribute_items(rec: DocumentRecord) -> Iterator[tuple[Hashable, str, object]]:
    """(item key, attribute name, value) of every attribute value of a record."""
    spans = {s.id: (s.start, s.end, s.label) for s in rec.spans}

    def args(owner: Hashable, arguments: tuple[ArgumentRecord, ...]) -> Iterator[tuple[Hashable, str, object]]:
        for a in arguments:
            for k, v in a.attributes:
                yield ("argument", owner, a.role, spans.get(a.span)), k, v

    for k, v in rec.attributes:
        yield ("document",), k, v
    for s in rec.spans:
        for k, v in s.attributes:
            yield ("span", s.start, s.end, s.label), k, v
    key: Hashable
    for e in rec.events:
        key = ("event", e.type, e.trigger_start, e.trigger_end)
        for k, v in e.attributes:
            yield key, k, v
        yield from args(key, e.arguments)
    for c in rec.claims:
        key = ("claim", c.start, c.end)
        for k, v in c.attributes:
            yield key, k, v
        yield from args(key, c.arguments)


def item_keys(rec: DocumentRecord) -> set[Hashable]:
    """The keys of every item of a record that can carry attributes."""
    spans = {s.id: (s.start, s.end, s.label) for s in rec.spans}
    keys: set[Hashable] = {("document",)} | {("span", s.start, s.end, s.label) for s in rec.spans}
    key: Hashable
    for e in rec.events:
        key = ("event", e.type, e.trigger_start, e.trigger_end)
        keys.add(key)
        keys.update(("argument", key, a.role, spans.get(a.span)) for a in e.arguments)
    for c in rec.claims:
        key = ("claim", c.start, c.end)
        keys.add(key)
        keys.update(("argument", key, a.role, spans.get(a.span)) for a in c.arguments)
    return keys


def _value(v: object) -> Hashable:
    return (type(v).__name__, v)  # True and 1 are different answers


def attribute_kappas(pairs: Sequence[tuple[DocumentRecord, DocumentRecord]]) -> dict[str, tuple[float | None, int]]:
    """(kappa, items compared) per attribute name over the document pairs of two layers."""
    ratings: dict[str, tuple[list[Hashable], list[Hashable]]] = {}
    for a, b in pairs:
        va = {(key, name): _value(v) for key, name, v in attribute_items(a)}
        vb = {(key, name): _value(v) for key, name, v in attribute_items(b)}
        both = item_keys(a) & item_keys(b)
        for key, name in sorted(va.keys() | vb.keys(), key=repr):
            if key in both:
                ra, rb = ratings.setdefault(name, ([], []))
                ra.append(va.get((key, name), UNSET))
                rb.append(vb.get((key, name), UNSET))
    return {name: (cohen_kappa(ra, rb), len(ra)) for name, (ra, rb) in sorted(ratings.items())}


def relation_items(rec: DocumentRecord) -> Counter[Hashable]:
    spans = {s.id: (s.start, s.end, s.label) for s in rec.spans}
    return Counter((r.type, spans.get(r.from_span), spans.get(r.to_span)) for r in rec.relations)


def relation_counts(a: DocumentRecord, b: DocumentRecord) -> tuple[int, int, int]:
    """(matches, |A|, |B|) of the relations of two versions of a document."""
    ra, rb = relation_items(a), relation_items(b)
    return sum((ra & rb).values()), sum(ra.values()), sum(rb.values())


def attribute_values(rec: DocumentRecord) -> Counter[tuple[Hashable, str, Hashable]]:
    return Counter((key, name, _value(v)) for key, name, v in attribute_items(rec))
