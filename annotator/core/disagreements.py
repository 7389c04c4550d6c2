"""Where the translations of one group disagree, in one annotator's layer
(disagreements between annotators' layers of one document are in layer_diff).

Three kinds, each a Disagreement:
- "value": two linked spans whose normalised values differ (English "13 June" linked to
  French "14 juin"). A span's value is its stored value, else the value normalised from
  its text (with the document's year for dates); a date without a year agrees with any
  date of the same month and day. A value read from the text is said to be so: "14/6" =
  --06-14 is a reading for the comparison, not a value the span holds (a date without a
  year has no ISO value to store).
- "unlinked": a span with no link to any span of another document of the group; one
  entry per (span, other document).
- "count": an alignment block whose two sides hold different numbers of spans of a
  label (a figure dropped or added by the translator). A block with an empty side (a
  sentence left untranslated) is no count disagreement: nothing was there to count
  against, and its spans are already reported as unlinked.
Real translations disagree; the report shows it rather than hiding it.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from annotator.core.normalise import document_year, normalised_value
from annotator.core.projection import same_date
from annotator.core.records import DocumentRecord, SpanRecord

_Place = tuple[str, str]  # (document id, span id)


@dataclass(frozen=True)
class Disagreement:
    kind: str  # "value" | "unlinked" | "count"
    doc: str
    span: str | None
    other_doc: str | None
    other_span: str | None
    detail: str


def span_value(span: SpanRecord, rec: DocumentRecord, year: int | None) -> str | None:
    return span.value or normalised_value(span.label, span.text, rec.lang, year)


def _values_agree(label: str, a: str, b: str) -> bool:
    return same_date(a, b) if label == "DATE" else a == b


def group_report(records: Sequence[DocumentRecord]) -> list[Disagreement]:
    """Every disagreement among `records` (the documents of one group, one layer each),
    values first, then unlinked spans, then counts; each kind in document order."""
    by_id = {r.id: r for r in records}
    spans = {(r.id, s.id): s for r in records for s in r.spans}
    years = {r.id: document_year(r.text, r.lang) for r in records}
    # Links are stored in one direction; a pair linked both ways counts once, in the
    # direction first seen.
    pairs: dict[frozenset[_Place], tuple[_Place, _Place]] = {}
    for r in records:
        for lk in r.links:
            a, b = (r.id, lk.span), (lk.target_doc, lk.target_span)
            if a in spans and b in spans:
                pairs.setdefault(frozenset((a, b)), (a, b))
    out = _values(pairs.values(), spans, by_id, years) + _unlinked(records, pairs.values())
    return out + _counts(records, by_id)


def _values(pairs: Iterable[tuple[_Place, _Place]], spans: Mapping[_Place, SpanRecord],
            by_id: Mapping[str, DocumentRecord], years: Mapping[str, int | None]) -> list[Disagreement]:
    out = []
    for a, b in sorted(pairs):
        sa, sb = spans[a], spans[b]
        va = span_value(sa, by_id[a[0]], years[a[0]])
        vb = span_value(sb, by_id[b[0]], years[b[0]])
        if va is None or vb is None or _values_agree(sa.label, va, vb):
            continue
        out.append(Disagreement("value", a[0], a[1], b[0], b[1],
                                f"{sa.label} {sa.text!r} = {_shown(sa, va)} but {sb.label} {sb.text!r} = {_shown(sb, vb)}"))
    return out


def _shown(span: SpanRecord, value: str) -> str:
    """The value as compared, marked when it is read from the text rather than stored."""
    return value if span.value else f"{value} (read from the text, no value stored)"


def _unlinked(records: Sequence[DocumentRecord], pairs: Iterable[tuple[_Place, _Place]]) -> list[Disagreement]:
    linked_to: dict[tuple[str, str], set[str]] = {}
    for a, b in pairs:
        linked_to.setdefault(a, set()).add(b[0])
        linked_to.setdefault(b, set()).add(a[0])
    out = []
    for r in records:
        for s in r.spans:
            for other in records:
                if other.id != r.id and other.id not in linked_to.get((r.id, s.id), ()):
                    out.append(Disagreement("unlinked", r.id, s.id, other.id, None,
                                            f"{s.label} {s.text!r} has no linked counterpart in {other.id}"))
    return out


def _counts(records: Sequence[DocumentRecord], by_id: Mapping[str, DocumentRecord]) -> list[Disagreement]:
    out = []
    seen: set[frozenset[str]] = set()
    ordered: dict[str, tuple[list[int], list[SpanRecord]]] = {}  # doc id: span starts, spans, by start

    def inside(rec: DocumentRecord, start: int, end: int) -> Counter[str]:
        """Labels of rec's spans within [start, end): a bisect to the first span starting
        there, then only the spans that start before its end."""
        if rec.id not in ordered:
            spans = sorted(rec.spans, key=lambda s: s.start)
            ordered[rec.id] = ([s.start for s in spans], spans)
        starts, spans = ordered[rec.id]
        found: Counter[str] = Counter()
        for j in range(bisect_left(starts, start), bisect_right(starts, end)):
            if spans[j].end <= end:
                found[spans[j].label] += 1
        return found

    for r in records:
        for al in r.alignments:
            other = by_id.get(al.target)
            pair = frozenset((r.id, al.target))
            if other is None or pair in seen:
                continue  # the same pair aligned from the other side is reported once
            seen.add(pair)
            for i, b in enumerate(al.blocks):
                if b.a_start == b.a_end or b.b_start == b.b_end:
                    continue  # an untranslated sentence: every span of it would count
                ca, cb = inside(r, b.a_start, b.a_end), inside(other, b.b_start, b.b_end)
                diff = [f"{lab} {ca[lab]} vs {cb[lab]}" for lab in sorted(ca.keys() | cb.keys()) if ca[lab] != cb[lab]]
                if diff:
                    out.append(Disagreement("count", r.id, None, other.id, None,
                                            f"block {i} [{b.a_start}, {b.a_end}) / [{b.b_start}, {b.b_end}): "
                                            + ", ".join(diff)))
    return out
