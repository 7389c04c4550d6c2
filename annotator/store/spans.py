"""Unit-of-work operations on spans. Each function is one committed transaction and
returns what changed, so undo commands and views can act on the result; nothing is
shown as done before its transaction has committed."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import Connection, delete, func, or_, select, update
from sqlalchemy.orm import aliased

from annotator.core.errors import AnnotatorError
from annotator.core.ids import new_id
from annotator.store.models import (Annotator, ClaimArgument, Document, DocumentStatus, Event, EventArgument, Span,
                                    SpanLink)
from annotator.store.project import Project, annotator_id


@dataclass(frozen=True)
class SpanData:
    uid: str
    document_id: int
    annotator: str
    start: int
    end: int
    label: str
    value: str | None = None
    note: str | None = None
    # Translation links touching this span, as (source uid, target uid): filled in by
    # delete_spans so that re-adding the span (undo) restores them too.
    links: tuple[tuple[str, str], ...] = ()


def add_span(project: Project, doc_id: int, annotator: str, start: int, end: int, label: str,
             uid: str | None = None, value: str | None = None, note: str | None = None) -> SpanData:
    return add_spans(project, [SpanData(uid or new_id("s"), doc_id, annotator, start, end, label, value, note)])[0]


def add_spans(project: Project, spans: list[SpanData]) -> list[SpanData]:
    """Adds spans (of any documents, one annotator or several) in one transaction."""
    with project.write() as conn:
        return add_spans_in(conn, project, spans)


def add_spans_in(conn: Connection, project: Project, spans: list[SpanData]) -> list[SpanData]:
    """add_spans inside the caller's transaction (events.py restores arguments with them)."""
    for s in spans:
        if project.schema.label(s.label) is None:
            raise AnnotatorError(f"unknown label {s.label!r}")
    if not spans:
        return []
    spans = [s if s.uid else replace(s, uid=new_id("s")) for s in spans]
    doc_ids = sorted({s.document_id for s in spans})
    lengths = dict(conn.execute(select(Document.id, Document.length).where(Document.id.in_(doc_ids))).all())
    annotators = {name: annotator_id(conn, name) for name in {s.annotator for s in spans}}
    for s in spans:
        length = lengths.get(s.document_id)
        if length is None or not 0 <= s.start < s.end <= length:
            raise AnnotatorError(f"span [{s.start}, {s.end}) is outside document {s.document_id}")
    conn.execute(Span.__table__.insert(), [
        {"uid": s.uid, "document_id": s.document_id, "annotator_id": annotators[s.annotator], "start": s.start,
         "end": s.end, "label": s.label, "value": s.value, "note": s.note} for s in spans])
    for doc_id, ann in {(s.document_id, annotators[s.annotator]) for s in spans}:
        _touch_status(conn, doc_id, ann)
    _restore_links(conn, {pair for s in spans for pair in s.links})
    return spans


def _restore_links(conn: Connection, pairs: set[tuple[str, str]]) -> None:
    if not pairs:
        return
    uids = sorted({u for pair in pairs for u in pair})
    ids = dict(conn.execute(select(Span.uid, Span.id).where(Span.uid.in_(uids))).all())
    existing = set(conn.execute(select(SpanLink.source_span_id, SpanLink.target_span_id)
                                .where(SpanLink.source_span_id.in_(ids.values()))).all())
    rows = [{"source_span_id": ids[a], "target_span_id": ids[b]} for a, b in sorted(pairs)
            if a in ids and b in ids and (ids[a], ids[b]) not in existing]
    if rows:
        conn.execute(SpanLink.__table__.insert(), rows)


def get_span(conn: Connection, uid: str) -> SpanData | None:
    row = conn.execute(select(Span.uid, Span.document_id, Annotator.name, Span.start, Span.end, Span.label, Span.value,
                              Span.note).join(Annotator, Span.annotator_id == Annotator.id)
                       .where(Span.uid == uid)).first()
    return SpanData(*row) if row else None


def relabel_span(project: Project, uid: str, label: str) -> str:
    """Returns the previous label."""
    if project.schema.label(label) is None:
        raise AnnotatorError(f"unknown label {label!r}")
    with project.write() as conn:
        old = conn.scalar(select(Span.label).where(Span.uid == uid))
        if old is None:
            raise AnnotatorError(f"no span {uid!r}")
        _check_roles_take(conn, project, uid, label)
        conn.execute(update(Span).where(Span.uid == uid).values(label=label, updated_at=func.current_timestamp()))
    return old


def _check_roles_take(conn: Connection, project: Project, uid: str, label: str) -> None:
    """A span that is an event's or claim's argument keeps a label its roles take: the
    layer must stay one the schema describes (validate, schema changes)."""
    schema = project.schema
    span_id = select(Span.id).where(Span.uid == uid).scalar_subquery()
    roles = [(f"the {role} of a {kind} event", schema.event_role(kind, role))
             for kind, role in conn.execute(select(Event.type, EventArgument.role)
                                            .join(Event, EventArgument.event_id == Event.id)
                                            .where(EventArgument.span_id == span_id))]
    roles += [(f"the {role} of a claim", schema.claim_role(role))
              for (role,) in conn.execute(select(ClaimArgument.role).where(ClaimArgument.span_id == span_id))]
    for what, role in roles:
        if role is not None and not role.accepts(label):
            raise AnnotatorError(f"this span is {what}, which takes {' or '.join(role.labels)}, not {label}; "
                                 "remove it from there first")


def update_span(project: Project, uid: str, **fields: str | None) -> SpanData:
    """Sets `value` and/or `note`; returns the span as it was before."""
    unknown = set(fields) - {"value", "note"}
    if unknown:
        raise AnnotatorError(f"cannot edit {', '.join(sorted(unknown))} of a span")
    with project.write() as conn:
        before = get_span(conn, uid)
        if before is None:
            raise AnnotatorError(f"no span {uid!r}")
        conn.execute(update(Span).where(Span.uid == uid).values(**fields, updated_at=func.current_timestamp()))
    return before


def delete_span(project: Project, uid: str) -> SpanData:
    return delete_spans(project, [uid])[0]


def delete_spans(project: Project, uids: list[str]) -> list[SpanData]:
    """Removes spans that no event or claim uses, with their translation links; returns
    them, links included, so that add_spans can restore exactly what was there."""
    with project.write() as conn:
        return delete_spans_in(conn, uids)


def delete_spans_in(conn: Connection, uids: list[str]) -> list[SpanData]:
    """delete_spans inside the caller's transaction (events.py detaches arguments first)."""
    removed = []
    for uid in uids:
        span = get_span(conn, uid)
        if span is None:
            raise AnnotatorError(f"no span {uid!r}")
        removed.append(span)
    ids = list(conn.scalars(select(Span.id).where(Span.uid.in_(uids))))
    source, target = aliased(Span), aliased(Span)
    links = conn.execute(select(source.uid, target.uid).select_from(SpanLink)
                         .join(source, SpanLink.source_span_id == source.id)
                         .join(target, SpanLink.target_span_id == target.id)
                         .where(or_(SpanLink.source_span_id.in_(ids), SpanLink.target_span_id.in_(ids)))).all()
    removed = [replace(s, links=tuple((a, b) for a, b in links if s.uid in (a, b))) for s in removed]
    used = conn.scalar(select(func.count()).select_from(EventArgument).where(EventArgument.span_id.in_(ids)))
    used += conn.scalar(select(func.count()).select_from(ClaimArgument).where(ClaimArgument.span_id.in_(ids)))
    if used:
        raise AnnotatorError(f"{'this span is' if len(uids) == 1 else 'these spans are'} used by "
                             f"{used} event or claim argument(s)")
    conn.execute(delete(Span).where(Span.uid.in_(uids)))
    return removed


def set_status(project: Project, doc_id: int, annotator: str, status: str) -> str:
    """Returns the previous status."""
    with project.write() as conn:
        ann = annotator_id(conn, annotator)
        old = conn.scalar(select(DocumentStatus.status).where(DocumentStatus.document_id == doc_id,
                                                              DocumentStatus.annotator_id == ann))
        conn.execute(delete(DocumentStatus).where(DocumentStatus.document_id == doc_id,
                                                  DocumentStatus.annotator_id == ann))
        if status != "todo":  # no row means to do, and lets the next span mark it in progress
            conn.execute(DocumentStatus.__table__.insert().values(document_id=doc_id, annotator_id=ann,
                                                                  status=status))
    return old or "todo"


def _touch_status(conn, doc_id: int, ann: int) -> None:
    """The first span on a layer moves the document from to do to in progress."""
    exists = conn.scalar(select(DocumentStatus.status).where(DocumentStatus.document_id == doc_id,
                                                             DocumentStatus.annotator_id == ann))
    if exists is None:
        conn.execute(DocumentStatus.__table__.insert().values(document_id=doc_id, annotator_id=ann,
                                                              status="in_progress"))
