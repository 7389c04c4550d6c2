"""Adjudication: building the gold layer (annotator GOLD_ANNOTATOR) of a document from
the annotators' layers.

Every operation is one committed transaction that returns a Change (store.changes), whose
result is a GoldChange (what it added to and removed from gold); store.changes.apply
undoes and redoes it. Copies get new ids: span ids are unique across the project, and the
annotators' layers stay as they were. Spans are identified across layers by
(start, end, label), in code points.

A decision the gold layer cannot show by itself (every version of a place rejected: gold
has nothing there on purpose) is stored in `adjudication_decisions` by the same
transaction, as part of the change, so undo and redo take it with the gold spans. Decisions describe the adjudication, not the gold: they are not exported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import cast

from sqlalchemy import Connection, func, select

from annotator.core.errors import AnnotatorError
from annotator.core.identity import GOLD_ANNOTATOR
from annotator.core.ids import new_id
from annotator.core.records import ArgumentRecord, ClaimRecord, EventRecord
from annotator.store.changes import Change, Recorder

# The types of a change live in gold_items and its writing in gold_writes; callers import
# them from here, the module of the operations.
from annotator.store.gold_items import REJECTED, Decision, GoldChange, GoldItems, GoldStatus
from annotator.store.gold_writes import insert_items, remove_items
from annotator.store.models import (
    AdjudicationDecision,
    Annotator,
    Claim,
    ClaimArgument,
    DocumentStatus,
    Event,
    EventArgument,
    Span,
)
from annotator.store.project import Project
from annotator.store.spans import SpanData, describe, get_span


def accept_spans(project: Project, doc_id: int, annotator: str, uids: Iterable[str],
                 replacing: Iterable[str] = (), place: tuple[int, int] | None = None) -> Change:
    """Copies spans `uids` of `annotator`'s layer into gold (those gold lacks) and removes
    the gold spans `replacing`, in one transaction. The annotator's events and claims that
    use one of these spans come along once every argument has its counterpart in gold.
    A decision stored for the disagreement at `place` (start, end) is forgotten: this one
    replaces it. The change's result is the GoldChange."""
    uids, replacing = list(uids), list(replacing)
    with project.write() as conn:
        rec = Recorder(conn)
        removed = _read_gold(conn, doc_id, replacing)
        if place is not None:
            removed = replace(removed, decisions=_decisions(conn, doc_id, place))
        remove_items(rec, removed)
        source = _layer_spans(conn, doc_id, annotator, uids)
        have = {_key(s) for s in _layer_spans(conn, doc_id, GOLD_ANNOTATOR, None)}
        spans = _fresh([s for s in source if _key(s) not in have], doc_id)  # never the same span twice
        insert_items(rec, project, GoldItems(doc_id, tuple(spans)))
        events, claims = _frames_to_copy(conn, doc_id, annotator, {s.uid for s in source})
        added = GoldItems(doc_id, tuple(spans), events, claims)
        insert_items(rec, project, replace(added, spans=()))
        return rec.change(f"accept {annotator}'s {_what(project, conn, spans, 'version')}", GoldChange(added, removed))


def reject_spans(project: Project, doc_id: int, gold_uids: Iterable[str],
                 place: tuple[int, int] | None = None) -> Change:
    """Removes gold spans (that no gold event or claim uses). With `place` (start, end),
    the disagreement there is decided "none of the versions", durably: the decision is
    stored with the removal (replacing another decision on that place)."""
    with project.write() as conn:
        rec = Recorder(conn)
        removed = _read_gold(conn, doc_id, list(gold_uids))
        added = GoldItems(doc_id)
        if place is not None:
            before, decision = _decisions(conn, doc_id, place), Decision(*place, REJECTED)
            if before != (decision,):
                removed, added = replace(removed, decisions=before), replace(added, decisions=(decision,))
        remove_items(rec, removed)
        insert_items(rec, project, added)
        rec.touch(doc_id)
        return rec.change("reject every version" + (f" of {_what(project, conn, list(removed.spans), '')}".rstrip()
                                                    if removed.spans else ""), GoldChange(added, removed))


def accept_layer(project: Project, doc_id: int, annotator: str) -> Change:
    """Starts the gold layer of a document as a copy of `annotator`'s whole layer: spans,
    events and claims. Refused once gold has anything, which it would silently mix with."""
    with project.write() as conn:
        if gold_status(conn, doc_id).spans:
            raise AnnotatorError("the gold layer of this document is already started; accept versions one by one")
        rec = Recorder(conn)
        spans = _fresh(_layer_spans(conn, doc_id, annotator, None), doc_id)
        insert_items(rec, project, GoldItems(doc_id, tuple(spans)))
        events, claims = _frames_to_copy(conn, doc_id, annotator, None)
        added = GoldItems(doc_id, tuple(spans), events, claims)
        insert_items(rec, project, replace(added, spans=()))
        return rec.change(f"start gold from {annotator}'s layer", GoldChange(added, GoldItems(doc_id)))


def accept_agreed(project: Project, doc_id: int, annotators: list[str]) -> Change:
    """Copies into gold every span that all `annotators` have (same start, end and label)
    and gold does not have yet; value and note come from the first annotator's span."""
    if len(annotators) < 2:
        raise AnnotatorError("agreement needs the layers of at least two annotators")
    with project.write() as conn:
        layers = [_layer_spans(conn, doc_id, name, None) for name in annotators]
        agreed = set.intersection(*({_key(s) for s in layer} for layer in layers))
        agreed -= {_key(s) for s in _layer_spans(conn, doc_id, GOLD_ANNOTATOR, None)}
        first: dict[tuple[int, int, str], SpanData] = {}
        for s in layers[0]:
            if _key(s) in agreed:
                first.setdefault(_key(s), s)
        spans = _fresh(list(first.values()), doc_id)
        rec = Recorder(conn)
        insert_items(rec, project, GoldItems(doc_id, tuple(spans)))
        return rec.change(f"accept {len(spans)} agreed span{'s' if len(spans) != 1 else ''}",
                          GoldChange(GoldItems(doc_id, tuple(spans)), GoldItems(doc_id)))


def _what(project: Project, conn: Connection, spans: list[SpanData], empty: str) -> str:
    return describe(project, conn, "", spans).strip() if spans else empty


def read_decisions(conn: Connection, doc_id: int) -> list[Decision]:
    """The curator's decisions on places of document `doc_id`, by offsets."""
    return [Decision(*row) for row in conn.execute(
        select(AdjudicationDecision.start, AdjudicationDecision.end, AdjudicationDecision.decision)
        .where(AdjudicationDecision.document_id == doc_id)
        .order_by(AdjudicationDecision.start, AdjudicationDecision.end))]


def gold_status(conn: Connection, doc_id: int) -> GoldStatus:
    ann = conn.scalar(select(Annotator.id).where(Annotator.name == GOLD_ANNOTATOR))
    if ann is None:
        return GoldStatus("todo", 0, 0, 0)

    def count(model: type[Span | Event | Claim]) -> int:
        return conn.execute(select(func.count()).select_from(model).where(model.document_id == doc_id,
                                                                          model.annotator_id == ann)).scalar_one()
    status = conn.scalar(select(DocumentStatus.status).where(DocumentStatus.document_id == doc_id,
                                                             DocumentStatus.annotator_id == ann))
    return GoldStatus(status or "todo", count(Span), count(Event), count(Claim))


# -- reading -----------------------------------------------------------------------------
def _key(s: SpanData) -> tuple[int, int, str]:
    return s.start, s.end, s.label


def _layer_spans(conn: Connection, doc_id: int, annotator: str, uids: list[str] | None) -> list[SpanData]:
    stmt = (select(Span.uid, Span.document_id, Annotator.name, Span.start, Span.end, Span.label, Span.value, Span.note)
            .join(Annotator, Span.annotator_id == Annotator.id)
            .where(Span.document_id == doc_id, Annotator.name == annotator).order_by(Span.start, Span.end, Span.uid))
    if uids is not None:
        stmt = stmt.where(Span.uid.in_(uids))
    spans = [SpanData(*row) for row in conn.execute(stmt)]
    if uids is not None and len(spans) != len(set(uids)):
        missing = sorted(set(uids) - {s.uid for s in spans})
        raise AnnotatorError(f"{annotator!r} has no span {', '.join(missing)} in this document")
    return spans


def _read_gold(conn: Connection, doc_id: int, uids: list[str]) -> GoldItems:
    spans = []
    for uid in uids:
        span = get_span(conn, uid)
        if span is None or span.document_id != doc_id or span.annotator != GOLD_ANNOTATOR:
            raise AnnotatorError(f"no gold span {uid!r} in this document")
        spans.append(span)
    return GoldItems(doc_id, tuple(spans))


def _decisions(conn: Connection, doc_id: int, place: tuple[int, int]) -> tuple[Decision, ...]:
    return tuple(d for d in read_decisions(conn, doc_id) if (d.start, d.end) == tuple(place))


def _fresh(spans: list[SpanData], doc_id: int) -> list[SpanData]:
    return [replace(s, uid=new_id("s"), document_id=doc_id, annotator=GOLD_ANNOTATOR, links=()) for s in spans]


def _frames_to_copy(conn: Connection, doc_id: int, annotator: str,
                copied: set[str] | None) -> tuple[tuple[EventRecord, ...], tuple[ClaimRecord, ...]]:
    """The annotator's events and claims to copy: those using a span of `copied` (all of
    them when None) whose arguments all have a gold counterpart, and not already in gold,
    with their arguments renamed to the gold spans."""
    source = {s.uid: _key(s) for s in _layer_spans(conn, doc_id, annotator, None)}
    gold = {_key(s): s.uid for s in _layer_spans(conn, doc_id, GOLD_ANNOTATOR, None)}
    out = []
    for model, arg_model, fk in ((Event, EventArgument, "event_id"), (Claim, ClaimArgument, "claim_id")):
        have = {_signature(r) for r in _read_frames(conn, doc_id, GOLD_ANNOTATOR, model, arg_model, fk)}
        picked = []
        for r in _read_frames(conn, doc_id, annotator, model, arg_model, fk):
            spans = [a.span for a in r.arguments]
            if copied is not None and not copied.intersection(spans):
                continue
            if not all(source.get(u) in gold for u in spans):
                continue
            args = tuple(ArgumentRecord(a.role, gold[source[a.span]]) for a in r.arguments)
            r = replace(r, id=new_id("e" if model is Event else "c"), arguments=args)
            if _signature(r) not in have:
                have.add(_signature(r))
                picked.append(r)
        out.append(tuple(picked))
    # The loop reads events, then claims.
    return cast("tuple[EventRecord, ...]", out[0]), cast("tuple[ClaimRecord, ...]", out[1])


def _read_frames(conn: Connection, doc_id: int, annotator: str, model: type[Event | Claim],
                     arg_model: type[EventArgument | ClaimArgument], fk: str) -> list[EventRecord] | list[ClaimRecord]:
    is_event = model is Event
    # model is Event or Claim: its own columns, named through the class.
    cols = (Event.type, Event.trigger_start, Event.trigger_end) if is_event else (Claim.start, Claim.end)
    rows = conn.execute(select(model.id, model.uid, *cols).join(Annotator, model.annotator_id == Annotator.id)
                        .where(model.document_id == doc_id, Annotator.name == annotator).order_by(model.id)).all()
    args: dict[int, list[ArgumentRecord]] = {}
    owner = getattr(arg_model, fk)
    for oid, role, uid in conn.execute(select(owner, arg_model.role, Span.uid)
                                       .join(Span, arg_model.span_id == Span.id)
                                       .where(owner.in_([r[0] for r in rows])).order_by(owner, arg_model.position)):
        args.setdefault(oid, []).append(ArgumentRecord(role, uid))
    if is_event:
        return [EventRecord(uid, t, s, e, "", tuple(args.get(i, ()))) for i, uid, t, s, e in rows]
    return [ClaimRecord(uid, s, e, "", tuple(args.get(i, ()))) for i, uid, s, e in rows]


def _signature(r: EventRecord | ClaimRecord) -> tuple[object, ...]:
    head = (r.type, r.trigger_start, r.trigger_end) if isinstance(r, EventRecord) else (r.start, r.end)
    return head + tuple((a.role, a.span) for a in r.arguments)


