"""Inter-annotator agreement over the documents that every compared layer has.

Span F1 between two layers is symmetric, so it needs no gold side:
- exact: spans match when start, end and label are equal (as multisets);
  F1 = 2 * matches / (|A| + |B|);
- overlap: precision is the share of A's spans that overlap a span of B with the same
  label, recall the share of B's spans that overlap one of A's (the "lenient" measure of
  i2b2/brat evaluations; no one-to-one matching, so it never depends on span order).
Figures are micro-averaged (counts pooled over documents) per annotator pair, then the
pairs' F1 are averaged. Two layers that both have nothing to compare agree fully (1.0);
`support` (spans counted over all compared layers) says when that means little.
Token kappa and alpha are in token_agreement; the adjudication diffs in layer_diff.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from itertools import combinations
from typing import Any

from annotator.core.cluster_agreement import cluster_f1, clusters
from annotator.core.depth_agreement import attribute_kappas, relation_counts
from annotator.core.errors import AnnotatorError
from annotator.core.layer_diff import Disagreement, LayerDisagreement, layer_disagreements, span_disagreements
from annotator.core.records import DocumentRecord
from annotator.core.token_agreement import SpanLike, TokenTally, token_agreement

__all__ = ["AgreementReport", "Disagreement", "LabelAgreement", "LabelAgreementTally", "LayerDisagreement",
           "PairScores", "layer_disagreements", "report_to_dict", "span_agreement", "span_disagreements"]


@dataclass(frozen=True)
class PairScores:
    exact_f1: float
    overlap_f1: float
    support: int


@dataclass(frozen=True)
class AgreementReport:
    annotators: tuple[str, ...]
    documents: int
    per_label: dict[str, PairScores]
    overall: PairScores
    token_kappa: float | None  # Cohen's for two annotators, Fleiss' for more
    token_alpha: float | None  # Krippendorff's, nominal
    events: dict[str, float]
    claims: dict[str, float]
    per_document: dict[str, PairScores]
    per_language: dict[str, PairScores]
    # Issue 14 (core.depth_agreement): per attribute {"kappa": mean over pairs, "items":
    # items compared}, and {"f1": ...} of relations; empty when no layer has any.
    attributes: dict[str, dict[str, float | int | None]] = field(default_factory=dict)
    relations: dict[str, float] = field(default_factory=dict)
    # Entity clusters (core.cluster_agreement): {"muc_f1", "b_cubed_f1"} averaged over the
    # pairs whose figure is defined (None: none is), "mentions" counted over every layer.
    clusters: dict[str, float | int | None] = field(default_factory=dict)


# An item is (start, end, group, identity): spans overlap-match on (start, end) within a
# group (the label); exact matches compare the whole tuple.
Item = tuple[int, int, str, Hashable]


class _Tally:
    """Per annotator pair: [exact matches, |A|, |B|, A's overlap hits, B's overlap hits]."""

    def __init__(self, pairs: int) -> None:
        self.counts = [[0, 0, 0, 0, 0] for _ in range(pairs)]
        self.support = 0

    def add(self, pair: int, counts: Sequence[int]) -> None:
        row = self.counts[pair]
        for i, c in enumerate(counts):
            row[i] += c

    def scores(self) -> PairScores:
        exact = [_ratio(2 * m, na + nb) for m, na, nb, _, _ in self.counts]
        overlap = [_overlap_f1(na, nb, ha, hb) for _, na, nb, ha, hb in self.counts]
        return PairScores(_mean(exact), _mean(overlap), self.support)

    def used(self) -> bool:
        return any(c[1] or c[2] for c in self.counts)


def _ratio(num: float, den: float) -> float:
    return num / den if den else 1.0  # nothing on either side: nothing to disagree on


def _overlap_f1(na: int, nb: int, ha: int, hb: int) -> float:
    if not na and not nb:
        return 1.0
    p, r = (ha / na if na else 0.0), (hb / nb if nb else 0.0)
    return 2 * p * r / (p + r) if p + r else 0.0


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 1.0


def _overlap_hits(a: Sequence[Item], b: Sequence[Item]) -> int:
    """How many items of `a` overlap at least one item of `b` (same group assumed)."""
    if not a or not b:
        return 0
    b = sorted(b, key=lambda x: x[0])
    starts = [x[0] for x in b]
    reach, best = [], -1
    for x in b:  # reach[i]: the furthest end among b[0..i]
        best = max(best, x[1])
        reach.append(best)
    hits = 0
    for s, e, *_ in a:
        i = bisect_left(starts, e)  # b[:i] start before a's end
        hits += i > 0 and reach[i - 1] > s
    return hits


def _pair_counts(a: Sequence[Item], b: Sequence[Item]) -> dict[str, list[int]]:
    by_group: dict[str, tuple[list[Item], list[Item]]] = defaultdict(lambda: ([], []))
    for x in a:
        by_group[x[2]][0].append(x)
    for x in b:
        by_group[x[2]][1].append(x)
    out = {}
    for group, (ga, gb) in by_group.items():
        matches = sum((Counter(ga) & Counter(gb)).values())
        out[group] = [matches, len(ga), len(gb), _overlap_hits(ga, gb), _overlap_hits(gb, ga)]
    return out


def _common_documents(layers: Mapping[str, Sequence[DocumentRecord]]) -> list[list[DocumentRecord]]:
    """Per common document (in the first layer's order), each annotator's record."""
    if len(layers) < 2:
        raise AnnotatorError(f"agreement needs at least two annotators' layers, got {len(layers)}")
    by_id = []
    for name, records in layers.items():
        seen: dict[str, DocumentRecord] = {}
        for rec in records:
            if rec.id in seen:
                raise AnnotatorError(f"{name}'s layer has document {rec.id!r} twice")
            seen[rec.id] = rec
        by_id.append(seen)
    first = next(iter(layers))
    docs = []
    for rec in layers[first]:
        versions = [seen[rec.id] for seen in by_id if rec.id in seen]
        if len(versions) < len(by_id):
            continue
        for name, v in zip(layers, versions):
            if v.text != rec.text:
                raise AnnotatorError(f"document {rec.id!r}: the text in {name}'s layer differs from {first}'s")
        docs.append(versions)
    return docs


def _span_items(rec: DocumentRecord) -> list[Item]:
    items: list[Item] = [(s.start, s.end, s.label, None) for s in rec.spans]
    return items


def _event_items(rec: DocumentRecord) -> tuple[list[Item], list[Item]]:
    spans = {s.id: s for s in rec.spans}
    triggers: list[Item] = [(e.trigger_start, e.trigger_end, e.type, None) for e in rec.events]
    # An argument is right when its event (type and trigger), role and span offsets are.
    args: list[Item] = [(0, 0, "", (e.type, e.trigger_start, e.trigger_end, a.role, spans[a.span].start, spans[a.span].end))
            for e in rec.events for a in e.arguments if a.span in spans]
    return triggers, args


def _claim_items(rec: DocumentRecord) -> tuple[list[Item], list[Item]]:
    spans = {s.id: s for s in rec.spans}
    claims: list[Item] = [(c.start, c.end, "CLAIM", None) for c in rec.claims]
    args: list[Item] = [(0, 0, "", (c.start, c.end, a.role, spans[a.span].start, spans[a.span].end))
            for c in rec.claims for a in c.arguments if a.span in spans]
    return claims, args


def _frame_f1(docs: list[list[DocumentRecord]], pairs: list[tuple[int, int]],
                  extract: Callable[[DocumentRecord], tuple[list[Item], list[Item]]],
                  names: tuple[str, str, str]) -> dict[str, float]:
    """F1s of events or claims: (exact, overlap) of the anchors and exact of the arguments;
    empty when no layer has any."""
    anchors, args = _Tally(len(pairs)), _Tally(len(pairs))
    for versions in docs:
        items = [extract(v) for v in versions]
        for p, (i, j) in enumerate(pairs):
            for tally, k in ((anchors, 0), (args, 1)):
                for counts in _pair_counts(items[i][k], items[j][k]).values():
                    tally.add(p, counts)
    if not anchors.used() and not args.used():
        return {}
    a, g = anchors.scores(), args.scores()
    return {names[0]: a.exact_f1, names[1]: a.overlap_f1, names[2]: g.exact_f1}


def span_agreement(layers: Mapping[str, Sequence[DocumentRecord]]) -> AgreementReport:
    """Agreement of the annotators of `layers` (name -> that annotator's records) over the
    documents every layer has."""
    names = tuple(layers)
    docs = _common_documents(layers)
    pairs = list(combinations(range(len(names)), 2))
    overall = _Tally(len(pairs))
    per_label: dict[str, _Tally] = defaultdict(lambda: _Tally(len(pairs)))
    per_doc: dict[str, _Tally] = {}
    per_lang: dict[str, _Tally] = defaultdict(lambda: _Tally(len(pairs)))
    for versions in docs:
        doc = versions[0]
        tallies = [overall, per_lang[doc.lang], per_doc.setdefault(doc.id, _Tally(len(pairs)))]
        items = [_span_items(v) for v in versions]
        for v in versions:
            for t in tallies:
                t.support += len(v.spans)
            for s in v.spans:
                per_label[s.label].support += 1
        for p, (i, j) in enumerate(pairs):
            for label, counts in _pair_counts(items[i], items[j]).items():
                per_label[label].add(p, counts)
                for t in tallies:
                    t.add(p, counts)
    kappa, alpha = token_agreement([[v.spans for v in (d[r] for d in docs)] for r in range(len(names))],
                                   [d[0].text for d in docs])
    return AgreementReport(
        annotators=names, documents=len(docs),
        per_label={k: t.scores() for k, t in sorted(per_label.items())},
        overall=overall.scores(), token_kappa=kappa, token_alpha=alpha,
        events=_frame_f1(docs, pairs, _event_items, ("trigger_type_f1", "trigger_overlap_f1", "argument_f1")),
        claims=_frame_f1(docs, pairs, _claim_items, ("span_f1", "overlap_f1", "argument_f1")),
        per_document={k: t.scores() for k, t in per_doc.items()},
        per_language={k: t.scores() for k, t in sorted(per_lang.items())},
        attributes=_attribute_agreement(docs, pairs), relations=_relation_agreement(docs, pairs),
        clusters=_cluster_agreement(docs, pairs),
    )


@dataclass(frozen=True)
class LabelAgreement:
    """What the dashboard shows of an AgreementReport: span F1 per label and overall, and
    token kappa and alpha, as span_agreement computes them for the same layers."""

    annotators: tuple[str, ...]
    documents: int
    per_label: dict[str, PairScores]
    overall: PairScores
    token_kappa: float | None
    token_alpha: float | None


class LabelAgreementTally:
    """span_agreement's span and token figures, one document at a time, from bare spans
    (start, end, label): a project's shared documents are streamed through it, and only
    counts are kept (issue 18: 20,000 shared documents, 800,000 spans)."""

    def __init__(self, annotators: Sequence[str]) -> None:
        self.annotators = tuple(annotators)
        self.pairs = list(combinations(range(len(self.annotators)), 2))
        self.overall = _Tally(len(self.pairs))
        self.per_label: dict[str, _Tally] = defaultdict(lambda: _Tally(len(self.pairs)))
        self.tokens = TokenTally(len(self.annotators))
        self.documents = 0

    def add(self, text: str, layers: Sequence[Sequence[SpanLike]]) -> None:
        """One document every annotator has a layer on: its text, and each annotator's
        spans (in the order of `annotators`)."""
        self.documents += 1
        items: list[list[Item]] = [[(s.start, s.end, s.label, None) for s in layer] for layer in layers]
        for layer in layers:
            self.overall.support += len(layer)
            for s in layer:
                self.per_label[s.label].support += 1
        for p, (i, j) in enumerate(self.pairs):
            for label, counts in _pair_counts(items[i], items[j]).items():
                self.per_label[label].add(p, counts)
                self.overall.add(p, counts)
        self.tokens.add(text, layers)

    def result(self) -> LabelAgreement:
        kappa, alpha = self.tokens.result()
        return LabelAgreement(self.annotators, self.documents,
                              {k: t.scores() for k, t in sorted(self.per_label.items())},
                              self.overall.scores(), kappa, alpha)


def _attribute_agreement(docs: list[list[DocumentRecord]], pairs: list[tuple[int, int]]
                         ) -> dict[str, dict[str, float | int | None]]:
    kappas: dict[str, list[float]] = defaultdict(list)
    items: Counter[str] = Counter()
    for i, j in pairs:
        for name, (kappa, n) in attribute_kappas([(d[i], d[j]) for d in docs]).items():
            items[name] += n
            if kappa is not None:
                kappas[name].append(kappa)
    return {name: {"kappa": _mean(kappas[name]) if kappas[name] else None, "items": n}
            for name, n in sorted(items.items())}


def _relation_agreement(docs: list[list[DocumentRecord]], pairs: list[tuple[int, int]]) -> dict[str, float]:
    if not any(v.relations for d in docs for v in d):
        return {}
    f1s = []
    for i, j in pairs:
        counts = [relation_counts(d[i], d[j]) for d in docs]
        m, na, nb = (sum(c[k] for c in counts) for k in range(3))
        f1s.append(_ratio(2 * m, na + nb) if na + nb else 1.0)
    return {"f1": _mean(f1s)}


def _cluster_agreement(docs: list[list[DocumentRecord]], pairs: list[tuple[int, int]]
                       ) -> dict[str, float | int | None]:
    """Over all compared documents at once: clusters cross the documents of a group."""
    layers = [clusters(d[k] for d in docs) for k in range(len(docs[0]))] if docs else []
    if not any(layers):
        return {}
    figures: dict[str, list[float]] = {"muc_f1": [], "b_cubed_f1": []}
    for i, j in pairs:
        for name, value in cluster_f1(layers[i], layers[j]).items():
            if value is not None:
                figures[name].append(value)
    out: dict[str, float | int | None] = {k: _mean(v) if v else None for k, v in figures.items()}
    out["mentions"] = sum(len(c) for layer in layers for c in layer)
    return out


def report_to_dict(report: AgreementReport) -> dict[str, Any]:
    """The report as plain JSON-ready data (what `annotator agreement --json` prints)."""
    out = asdict(report)
    out["annotators"] = list(report.annotators)
    for key in ("attributes", "relations", "clusters"):  # only when some layer has them
        if not out[key]:
            del out[key]
    return out
