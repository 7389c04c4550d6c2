"""Where annotators' layers of one document disagree on what issue 14 adds: attribute
values, relations and entity clusters; the adjudication's second worklist.

Items are matched across layers by what they are (core.depth_agreement's keys: a span by
start, end and label, an event by type and trigger, a claim by its range, the document by
itself). Per place, each layer's version:
- attribute (item, name): the value, None when unset; of the layers that have the item
  (an item only some layers have is a span disagreement first);
- relation (type, from span, to span): True when the layer has it, False when not;
  listed when some layers have it and others not;
- cluster (a span): the other mentions of its cluster in this document, as span keys,
  and the cluster's KB id; None when the span is in no cluster (or the layer lacks it).
A place is listed when the layers' versions differ, or, given the gold layer, when they
agree and gold holds something else.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from annotator.core.depth_agreement import attribute_items, item_keys
from annotator.core.records import DocumentRecord

SpanKey = tuple[int, int, str]


@dataclass(frozen=True)
class ClusterVersion:
    partners: frozenset[SpanKey]  # the other mentions of the cluster in this document
    kb: str | None


@dataclass(frozen=True)
class DepthDisagreement:
    kind: str  # "attribute", "relation" or "cluster"
    place: Hashable  # attribute: (item key, name); relation: (type, from key, to key); cluster: span key
    start: int  # where in the text (for ordering and showing): the item's, or the first span's
    versions: dict[str, object]  # annotator -> value / True or False / ClusterVersion or None


def _start(key: Hashable) -> int:
    """The text offset an item key starts at (0 for the document)."""
    if isinstance(key, tuple) and key:
        if key[0] in ("span", "claim"):
            return int(key[1])
        if key[0] == "event":
            return int(key[2])
        if key[0] == "argument":
            return _start(key[1])
        if isinstance(key[0], int):
            return key[0]
    return 0


def _clusters(rec: DocumentRecord) -> dict[SpanKey, ClusterVersion]:
    kb = {e.id: e.kb for e in rec.entities}
    members: dict[str, set[SpanKey]] = {}
    for s in rec.spans:
        if s.entity is not None:
            members.setdefault(s.entity, set()).add((s.start, s.end, s.label))
    return {(s.start, s.end, s.label): ClusterVersion(frozenset(members[s.entity] - {(s.start, s.end, s.label)}),
                                                      kb.get(s.entity))
            for s in rec.spans if s.entity is not None}


def depth_disagreements(records: Mapping[str, DocumentRecord],
                        gold: DocumentRecord | None = None) -> list[DepthDisagreement]:
    """Disagreements on attributes, relations and clusters among the layers of one
    document (annotator -> record), by place in the text. With `gold`, places where every
    layer agrees but gold holds something else are listed too (the agreement still has to
    reach gold)."""
    names = list(records)
    if len(names) < 2 and gold is None:
        return []
    in_gold = gold_places(gold) if gold is not None else {}
    out = []
    for d in _places(records):
        differ = len({repr(v) for v in d.versions.values()}) > 1
        if differ or gold is not None and d.versions and (
                repr(gold_version(d, in_gold)) != repr(next(iter(d.versions.values())))):
            out.append(d)
    out.sort(key=lambda d: (d.start, d.kind, repr(d.place)))
    return out


def gold_version(d: DepthDisagreement, in_gold: Mapping[tuple[str, Hashable], object]) -> object:
    """What gold holds at `d`'s place (None, or False for a relation, when nothing), given
    gold_places of the gold layer."""
    return in_gold.get((d.kind, d.place), False if d.kind == "relation" else None)


def gold_places(gold: DocumentRecord) -> dict[tuple[str, Hashable], object]:
    """Every place of the gold layer with gold's version, for gold_version."""
    return {(d.kind, d.place): d.versions[""] for d in _places({"": gold})}


def _places(records: Mapping[str, DocumentRecord]) -> list[DepthDisagreement]:
    """Every place of the layers with each layer's version (attributes: of the layers
    that have the item)."""
    names = list(records)
    out: list[DepthDisagreement] = []
    keys = {n: item_keys(r) for n, r in records.items()}
    values = {n: {(key, name): v for key, name, v in attribute_items(r)} for n, r in records.items()}
    for key, name in sorted({p for vs in values.values() for p in vs}, key=repr):
        versions: dict[str, object] = {n: values[n].get((key, name)) for n in names if key in keys[n]}
        out.append(DepthDisagreement("attribute", (key, name), _start(key), versions))
    relations: dict[str, set[tuple[str, SpanKey, SpanKey]]] = {}
    for n, r in records.items():
        where = {s.id: (s.start, s.end, s.label) for s in r.spans}
        relations[n] = {(x.type, where[x.from_span], where[x.to_span]) for x in r.relations
                        if x.from_span in where and x.to_span in where}
    for rel in sorted(set().union(*relations.values())):
        flags: dict[str, object] = {n: rel in relations[n] for n in names}
        out.append(DepthDisagreement("relation", rel, min(rel[1][0], rel[2][0]), flags))
    clusters = {n: _clusters(r) for n, r in records.items()}
    for span in sorted(set().union(*clusters.values())):
        cluster_versions: dict[str, object] = {n: clusters[n].get(span) for n in names}
        out.append(DepthDisagreement("cluster", span, span[0], cluster_versions))
    return out


def describe(d: DepthDisagreement, quote: Mapping[SpanKey, str]) -> str:
    """The place in words: `quote` gives a span key's text."""
    def span(k: Any) -> str:
        return f"{k[2]} «{quote.get(k, '')}»"

    place: Any = d.place
    if d.kind == "relation":
        return f"relation {place[0]}: {span(place[1])} → {span(place[2])}"
    if d.kind == "cluster":
        return f"cluster of {span(place)}"
    key, name = place
    if key[0] == "document":
        item = "the document"
    elif key[0] == "span":
        item = span(key[1:])
    elif key[0] == "event":
        item = f"{key[1]} event at {key[2]}"
    elif key[0] == "claim":
        item = f"claim at {key[1]}"
    else:
        item = f"{key[2]} argument"
    return f"{name} of {item}"


def show_version(d: DepthDisagreement, value: object, quote: Mapping[SpanKey, str]) -> str:
    """One layer's version in words."""
    if d.kind == "relation":
        return "yes" if value else "—"
    if d.kind == "cluster":
        if not isinstance(value, ClusterVersion):
            return "—"
        others = ", ".join(f"«{quote.get(k, '')}»" for k in sorted(value.partners)) or "alone"
        return f"with {others}" + (f" ({value.kb})" if value.kb else "")
    return "—" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
