"""Writing gold items (spans, events, claims of one document, and decisions on places)
through a Recorder, by the one write path of each kind of item (spans.insert_spans and
remove_spans, events.insert_frame)."""

from __future__ import annotations

from sqlalchemy import func, select

from annotator.core.errors import AnnotatorError
from annotator.core.identity import GOLD_ANNOTATOR
from annotator.store import dependents
from annotator.store.changes import Recorder
from annotator.store.events import Frame, insert_frame
from annotator.store.gold_items import Decision, GoldItems
from annotator.store.models import AdjudicationDecision, Claim, ClaimArgument, Document, Event, EventArgument, Span
from annotator.store.project import Project
from annotator.store.spans import insert_spans, remove_spans


def remove_items(rec: Recorder, items: GoldItems) -> None:
    for d in items.decisions:
        rec.delete(AdjudicationDecision, AdjudicationDecision.document_id == items.doc_id,
                   AdjudicationDecision.start == d.start, AdjudicationDecision.end == d.end,
                   AdjudicationDecision.decision == d.decision)
    conn = rec.conn
    for model, arg_model, fk, records in ((Event, EventArgument, "event_id", items.events),
                                          (Claim, ClaimArgument, "claim_id", items.claims)):
        if records:
            ids = list(conn.scalars(select(model.id).where(model.uid.in_([r.id for r in records]))))
            dependents.remove_for_frames(rec, "event" if model is Event else "claim", ids)
            rec.delete(arg_model, getattr(arg_model, fk).in_(ids))
            rec.delete(model, model.id.in_(ids))
    if not items.spans:
        return
    span_ids = select(Span.id).where(Span.uid.in_([s.uid for s in items.spans]))
    if sum(conn.scalar(select(func.count()).select_from(m).where(m.span_id.in_(span_ids)))
           for m in (EventArgument, ClaimArgument)):
        raise AnnotatorError(f"a gold event or claim uses {'this span' if len(items.spans) == 1 else 'these spans'}; "
                             "remove it first")
    remove_spans(rec, [s.uid for s in items.spans])


def insert_items(rec: Recorder, project: Project, items: GoldItems) -> None:
    """Gold spans, then events and claims (their arguments name gold span uids), then decisions."""
    insert_spans(rec, project, list(items.spans))
    for r in items.events:
        insert_frame(rec, project, Frame("event", r.id, items.doc_id, GOLD_ANNOTATOR, r.type, r.trigger_start,
                                         r.trigger_end, r.arguments))
    for c in items.claims:
        insert_frame(rec, project, Frame("claim", c.id, items.doc_id, GOLD_ANNOTATOR, None, c.start, c.end,
                                         c.arguments))
    insert_decisions(rec, items.doc_id, items.decisions)


def insert_decisions(rec: Recorder, doc_id: int, decisions: tuple[Decision, ...]) -> None:
    if not decisions:
        return
    length = rec.conn.scalar(select(Document.length).where(Document.id == doc_id))
    if length is None or not all(0 <= d.start < d.end <= length for d in decisions):
        raise AnnotatorError(f"a decision's place is outside document {doc_id}")
    rec.insert(AdjudicationDecision, [{"document_id": doc_id, "start": d.start, "end": d.end,
                                       "decision": d.decision} for d in decisions])
