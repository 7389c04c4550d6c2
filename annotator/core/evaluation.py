"""Scoring an extractor's output (pred) against gold records of the same documents.

Spans are scored under the four schemes of ner_schemes (SemEval-2013 9.1, as nervaluate
computes them) overall, per label and per language. Event triggers are scored the same
way with the event type as label, claims with the one label CLAIM. Arguments of events
and claims are scored as sets of tuples: "identification" needs the event (type and
trigger offsets) or claim offsets and the argument span's offsets right, "classification"
the role too.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from annotator.core.depth_agreement import attribute_values, relation_items
from annotator.core.errors import InputError
from annotator.core.ner_schemes import SCHEMES, Counts, Entity, SchemeResult, result, score_all
from annotator.core.records import ArgumentRecord, ClaimRecord, DocumentRecord, EventRecord

__all__ = ["SCHEMES", "EvalReport", "SchemeResult", "evaluate", "pair_documents", "report_to_dict"]


@dataclass(frozen=True)
class EvalReport:
    gold_name: str
    pred_name: str
    documents: int
    overall: dict[str, SchemeResult]  # scheme -> result
    per_label: dict[str, dict[str, SchemeResult]]  # label -> scheme -> result
    per_language: dict[str, dict[str, SchemeResult]]  # lang -> scheme -> result
    # {"trigger": {scheme: ...}, "argument": {"identification": ..., "classification": ...}}
    events: dict[str, dict[str, SchemeResult]]
    # {"span": {scheme: ...}, "argument": {"identification": ..., "classification": ...}}
    claims: dict[str, dict[str, SchemeResult]]
    # Issue 14 (core.depth_agreement): relations as (type, from span, to span), and each
    # attribute's values as (item, value); empty when neither file has any.
    relations: SchemeResult | None = None
    attributes: dict[str, SchemeResult] = field(default_factory=dict)


def _place(places: Sequence[str] | None, i: int) -> str:
    return places[i] if places is not None else f"record {i + 1}"


def _check(rec: DocumentRecord, where: str, place: str) -> None:
    """What scoring relies on: offsets inside the text, quoted texts that match them (a
    mismatch usually means UTF-16 or byte offsets), argument spans that exist."""
    n, text = len(rec.text), rec.text
    ranges = [(f"span {s.id!r}", s.start, s.end, s.text) for s in rec.spans]
    ranges += [(f"event {e.id!r} trigger", e.trigger_start, e.trigger_end, e.trigger_text) for e in rec.events]
    ranges += [(f"claim {c.id!r}", c.start, c.end, c.text) for c in rec.claims]
    for what, start, end, quoted in ranges:
        if not 0 <= start < end <= n:
            raise InputError(where, place, f"document {rec.id!r}: {what} has offsets [{start}, {end}) outside "
                                           f"the text (length {n})")
        if quoted != text[start:end]:
            raise InputError(where, place, f"document {rec.id!r}: {what} quotes {quoted!r} but text[{start}:{end}] "
                                           f"is {text[start:end]!r} (offsets must be code points)")
    ids = {s.id for s in rec.spans}
    owners: tuple[EventRecord | ClaimRecord, ...] = (*rec.events, *rec.claims)
    for owner in owners:
        for a in owner.arguments:
            if a.span not in ids:
                raise InputError(where, place, f"document {rec.id!r}: {owner.id!r} has an argument with unknown "
                                               f"span {a.span!r}")


def _index(records: Sequence[DocumentRecord], name: str, places: Sequence[str] | None) -> dict[str, int]:
    seen: dict[str, int] = {}
    for i, rec in enumerate(records):
        if rec.id in seen:
            raise InputError(name, _place(places, i), f"document {rec.id!r} again (first at "
                             f"{_place(places, seen[rec.id])}); score one layer per document "
                             "(export with --annotator NAME or --gold)")
        seen[rec.id] = i
        _check(rec, name, _place(places, i))
    return seen


def pair_documents(gold: Sequence[DocumentRecord], pred: Sequence[DocumentRecord], gold_name: str = "gold",
                   pred_name: str = "pred", gold_places: Sequence[str] | None = None,
                   pred_places: Sequence[str] | None = None) -> list[tuple[DocumentRecord, DocumentRecord]]:
    """(gold, pred) per document in gold order; InputError naming the file and place
    when a document is missing on one side, repeated, or its text differs."""
    g_index, p_index = _index(gold, gold_name, gold_places), _index(pred, pred_name, pred_places)
    for doc_id, i in p_index.items():
        if doc_id not in g_index:
            raise InputError(pred_name, _place(pred_places, i), f"document {doc_id!r} is not in {gold_name}")
    pairs = []
    for doc_id, i in g_index.items():
        if doc_id not in p_index:
            raise InputError(pred_name, None, f"no document {doc_id!r} (it is in {gold_name}, "
                                              f"{_place(gold_places, i)})")
        g, p = gold[i], pred[p_index[doc_id]]
        if g.text != p.text:
            at = next((k for k, (x, y) in enumerate(zip(g.text, p.text)) if x != y), min(len(g.text), len(p.text)))
            raise InputError(pred_name, _place(pred_places, p_index[doc_id]),
                             f"document {doc_id!r}: the text differs from {gold_name} ({_place(gold_places, i)}) "
                             f"at code point {at}: {g.text[at:at + 20]!r} there, {p.text[at:at + 20]!r} here")
        pairs.append((g, p))
    return pairs


def _spans(rec: DocumentRecord) -> list[Entity]:
    return [(s.start, s.end, s.label) for s in rec.spans]


def _results(counts: dict[str, Counts]) -> dict[str, SchemeResult]:
    return {s: result(counts[s], s) for s in SCHEMES}


def _argument_tuples(rec: DocumentRecord, events: bool) -> tuple[Counter[Hashable], Counter[Hashable]]:
    """(identification, classification) multisets of one record's arguments."""
    spans = {s.id: (s.start, s.end) for s in rec.spans}
    owners: list[tuple[Hashable, tuple[ArgumentRecord, ...]]] = (
        [((e.type, e.trigger_start, e.trigger_end), e.arguments) for e in rec.events] if events
        else [((c.start, c.end), c.arguments) for c in rec.claims])
    ident: Counter[Hashable] = Counter()
    classed: Counter[Hashable] = Counter()
    for key, args in owners:
        for a in args:
            ident[key, spans[a.span]] += 1
            classed[key, a.role, spans[a.span]] += 1
    return ident, classed


def _argument_scores(pairs: Sequence[tuple[DocumentRecord, DocumentRecord]], events: bool) -> dict[str, SchemeResult]:
    totals = {"identification": Counts(), "classification": Counts()}
    for g, p in pairs:
        for name, gc, pc in zip(totals, _argument_tuples(g, events), _argument_tuples(p, events)):
            right = sum((gc & pc).values())
            totals[name].add(Counts(correct=right, missed=sum(gc.values()) - right,
                                    spurious=sum(pc.values()) - right))
    return {name: result(c) for name, c in totals.items()}


def evaluate(gold: Sequence[DocumentRecord], pred: Sequence[DocumentRecord], gold_name: str = "gold",
             pred_name: str = "pred", *, gold_places: Sequence[str] | None = None,
             pred_places: Sequence[str] | None = None, min_overlap: float = 1.0) -> EvalReport:
    """Score `pred` against `gold`. `*_places` name each record's place in its file
    (e.g. "line 3") for error messages; `min_overlap` is nervaluate's percentage."""
    pairs = pair_documents(gold, pred, gold_name, pred_name, gold_places, pred_places)
    docs = [(_spans(g), _spans(p)) for g, p in pairs]
    labels = sorted({e[2] for g, p in docs for e in (*g, *p)})
    per_label = {lab: _results(score_all([([e for e in g if e[2] == lab], [e for e in p if e[2] == lab])
                                          for g, p in docs], min_overlap)) for lab in labels}
    by_lang: dict[str, list[tuple[list[Entity], list[Entity]]]] = defaultdict(list)
    for (g, _p), doc in zip(pairs, docs):
        by_lang[g.lang].append(doc)
    triggers = [([(e.trigger_start, e.trigger_end, e.type) for e in g.events],
                 [(e.trigger_start, e.trigger_end, e.type) for e in p.events]) for g, p in pairs]
    claims = [([(c.start, c.end, "CLAIM") for c in g.claims], [(c.start, c.end, "CLAIM") for c in p.claims])
              for g, p in pairs]
    return EvalReport(
        gold_name=gold_name, pred_name=pred_name, documents=len(pairs),
        overall=_results(score_all(docs, min_overlap)), per_label=per_label,
        per_language={lang: _results(score_all(d, min_overlap)) for lang, d in sorted(by_lang.items())},
        events={"trigger": _results(score_all(triggers, min_overlap)), "argument": _argument_scores(pairs, True)},
        claims={"span": _results(score_all(claims, min_overlap)), "argument": _argument_scores(pairs, False)},
        relations=_tuple_score(pairs, relation_items) if any(g.relations or p.relations for g, p in pairs) else None,
        attributes=_attribute_scores(pairs),
    )


def _tuple_score(pairs: Sequence[tuple[DocumentRecord, DocumentRecord]],
                 items: Callable[[DocumentRecord], Counter[Hashable]]) -> SchemeResult:
    total = Counts()
    for g, p in pairs:
        gc, pc = items(g), items(p)
        right = sum((gc & pc).values())
        total.add(Counts(correct=right, missed=sum(gc.values()) - right, spurious=sum(pc.values()) - right))
    return result(total)


def _attribute_scores(pairs: Sequence[tuple[DocumentRecord, DocumentRecord]]) -> dict[str, SchemeResult]:
    names = sorted({t[1] for g, p in pairs for rec in (g, p) for t in attribute_values(rec)})

    def only(name: str) -> Callable[[DocumentRecord], Counter[Hashable]]:
        def items(rec: DocumentRecord) -> Counter[Hashable]:
            out: Counter[Hashable] = Counter()
            for t, n in attribute_values(rec).items():
                if t[1] == name:
                    out[t] = n
            return out
        return items

    return {name: _tuple_score(pairs, only(name)) for name in names}


def report_to_dict(report: EvalReport) -> dict[str, Any]:
    """{"overall": {scheme: {...}}, "per_label": {label: {scheme: {...}}}, "per_language",
    "events", "claims", "documents", "gold", "pred"}: what `annotator eval --json` prints."""
    d = asdict(report)
    return {"overall": d["overall"], "per_label": d["per_label"], "per_language": d["per_language"],
            "events": d["events"], "claims": d["claims"], "documents": report.documents,
            "gold": report.gold_name, "pred": report.pred_name,
            # Only when either file has some, so the output of files without them is as before.
            **({"relations": d["relations"]} if report.relations is not None else {}),
            **({"attributes": d["attributes"]} if report.attributes else {})}
