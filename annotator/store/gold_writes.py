"""Writing a GoldChange: removing and inserting gold items in the caller's order, in one
transaction (adjudication.revert and reapply are this with the sides swapped)."""

from __future__ import annotations

from sqlalchemy import Connection, delete, func, select

from annotator.core.errors import AnnotatorError
from annotator.core.identity import GOLD_ANNOTATOR
from annotator.store.gold_items import Decision, GoldItems
from annotator.store.models import (AdjudicationDecision, Annotator, Claim, ClaimArgument, Document, DocumentStatus,
                                    Event, EventArgument, Span, SpanLink)
from annotator.store.project import Project, annotator_id
from annotator.store.spans import SpanData

def apply_change(project: Project, remove: GoldItems, add: GoldItems) -> None:
    with project.write() as conn:
        remove_items(conn, remove)
        insert_spans(project, conn, add.doc_id, list(add.spans))
        insert_structures(conn, add.doc_id, add)
        insert_decisions(conn, add.doc_id, add.decisions)
        _forget_empty_layer(conn, remove.doc_id)


def _forget_empty_layer(conn: Connection, doc_id: int) -> None:
    """A gold layer emptied again (an undone first decision) is no layer: its automatic
    "in progress" goes, so `export --gold` does not write the document as a gold example
    without entities. A layer the curator marked done stays, empty or not."""
    ann = conn.scalar(select(Annotator.id).where(Annotator.name == GOLD_ANNOTATOR))
    if ann is None or any(conn.scalar(select(func.count()).select_from(m).where(m.document_id == doc_id,
                                                                              m.annotator_id == ann))
                          for m in (Span, Event, Claim)):
        return
    conn.execute(delete(DocumentStatus).where(DocumentStatus.document_id == doc_id, DocumentStatus.annotator_id == ann,
                                              DocumentStatus.status == "in_progress"))


def remove_items(conn: Connection, items: GoldItems) -> None:
    for d in items.decisions:
        conn.execute(delete(AdjudicationDecision).where(
            AdjudicationDecision.document_id == items.doc_id, AdjudicationDecision.start == d.start,
            AdjudicationDecision.end == d.end, AdjudicationDecision.decision == d.decision))
    if not (items.spans or items.events or items.claims):
        return
    for model, arg_model, fk, records in ((Event, EventArgument, "event_id", items.events),
                                          (Claim, ClaimArgument, "claim_id", items.claims)):
        ids = list(conn.scalars(select(model.id).where(model.uid.in_([r.id for r in records]))))
        conn.execute(delete(arg_model).where(getattr(arg_model, fk).in_(ids)))
        conn.execute(delete(model).where(model.id.in_(ids)))
    ids = list(conn.scalars(select(Span.id).where(Span.uid.in_([s.uid for s in items.spans]))))
    used = sum(conn.scalar(select(func.count()).select_from(m).where(m.span_id.in_(ids)))
               for m in (EventArgument, ClaimArgument))
    if used:
        raise AnnotatorError(f"a gold event or claim uses {'this span' if len(ids) == 1 else 'these spans'}; "
                             "remove it first")
    conn.execute(delete(SpanLink).where(SpanLink.source_span_id.in_(ids) | SpanLink.target_span_id.in_(ids)))
    conn.execute(delete(Span).where(Span.id.in_(ids)))


def insert_spans(project: Project, conn: Connection, doc_id: int, spans: list[SpanData]) -> None:
    if not spans:
        return
    length = conn.scalar(select(Document.length).where(Document.id == doc_id))
    for s in spans:
        if project.schema.label(s.label) is None:
            raise AnnotatorError(f"unknown label {s.label!r}")
        if length is None or not 0 <= s.start < s.end <= length:
            raise AnnotatorError(f"span [{s.start}, {s.end}) is outside document {doc_id}")
    ann = annotator_id(conn, GOLD_ANNOTATOR)
    conn.execute(Span.__table__.insert(), [
        {"uid": s.uid, "document_id": doc_id, "annotator_id": ann, "start": s.start, "end": s.end, "label": s.label,
         "value": s.value, "note": s.note} for s in spans])
    if conn.scalar(select(DocumentStatus.status).where(DocumentStatus.document_id == doc_id,
                                                       DocumentStatus.annotator_id == ann)) is None:
        conn.execute(DocumentStatus.__table__.insert().values(document_id=doc_id, annotator_id=ann,
                                                              status="in_progress"))
    pairs = sorted({pair for s in spans for pair in s.links})
    if pairs:
        ids = dict(conn.execute(select(Span.uid, Span.id).where(Span.uid.in_({u for p in pairs for u in p}))).all())
        conn.execute(SpanLink.__table__.insert(), [{"source_span_id": ids[a], "target_span_id": ids[b]}
                                                   for a, b in pairs if a in ids and b in ids])


def insert_decisions(conn: Connection, doc_id: int, decisions: tuple[Decision, ...]) -> None:
    if not decisions:
        return
    length = conn.scalar(select(Document.length).where(Document.id == doc_id))
    if length is None or not all(0 <= d.start < d.end <= length for d in decisions):
        raise AnnotatorError(f"a decision's place is outside document {doc_id}")
    conn.execute(AdjudicationDecision.__table__.insert(), [
        {"document_id": doc_id, "start": d.start, "end": d.end, "decision": d.decision} for d in decisions])


def insert_structures(conn: Connection, doc_id: int, items: GoldItems) -> None:
    if not (items.events or items.claims):
        return
    ann = annotator_id(conn, GOLD_ANNOTATOR)
    uids = {a.span for r in items.events + items.claims for a in r.arguments}
    span_ids = dict(conn.execute(select(Span.uid, Span.id).where(Span.uid.in_(uids))).all())
    for model, arg_model, fk, records in ((Event, EventArgument, "event_id", items.events),
                                          (Claim, ClaimArgument, "claim_id", items.claims)):
        for r in records:
            row = ({"type": r.type, "trigger_start": r.trigger_start, "trigger_end": r.trigger_end}
                   if model is Event else {"start": r.start, "end": r.end})
            oid = conn.execute(model.__table__.insert().values(uid=r.id, document_id=doc_id, annotator_id=ann,
                                                               **row)).inserted_primary_key[0]
            if r.arguments:
                conn.execute(arg_model.__table__.insert(), [{fk: oid, "role": a.role, "span_id": span_ids[a.span],
                                                             "position": i} for i, a in enumerate(r.arguments)])
