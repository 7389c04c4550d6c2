"""Unit-of-work operations on spans: each is one committed transaction and returns what
changed, so undo commands and views can act on the result."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select, update

from annotator.core.errors import AnnotatorError
from annotator.core.ids import new_id
from annotator.store.models import Annotator, ClaimArgument, Document, DocumentStatus, EventArgument, Span
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


def add_span(project: Project, doc_id: int, annotator: str, start: int, end: int, label: str,
             uid: str | None = None, value: str | None = None, note: str | None = None) -> SpanData:
    if project.schema.label(label) is None:
        raise AnnotatorError(f"unknown label {label!r}")
    with project.write() as conn:
        length = conn.scalar(select(func.length(Document.text)).where(Document.id == doc_id))
        if length is None or not 0 <= start < end <= length:
            raise AnnotatorError(f"span [{start}, {end}) is outside document {doc_id}")
        ann = annotator_id(conn, annotator)
        data = SpanData(uid or new_id("s"), doc_id, annotator, start, end, label, value, note)
        conn.execute(Span.__table__.insert().values(uid=data.uid, document_id=doc_id, annotator_id=ann, start=start,
                                                    end=end, label=label, value=value, note=note))
        _touch_status(conn, doc_id, ann)
    return data


def relabel_span(project: Project, uid: str, label: str) -> str:
    """Returns the previous label."""
    if project.schema.label(label) is None:
        raise AnnotatorError(f"unknown label {label!r}")
    with project.write() as conn:
        old = conn.scalar(select(Span.label).where(Span.uid == uid))
        if old is None:
            raise AnnotatorError(f"no span {uid!r}")
        conn.execute(update(Span).where(Span.uid == uid).values(label=label, updated_at=func.current_timestamp()))
    return old


def delete_span(project: Project, uid: str) -> SpanData:
    """Removes a span that no event or claim uses; returns it so it can be restored."""
    with project.write() as conn:
        row = conn.execute(select(Span).where(Span.uid == uid)).mappings().first()
        if row is None:
            raise AnnotatorError(f"no span {uid!r}")
        used = conn.scalar(select(func.count()).select_from(EventArgument).where(EventArgument.span_id == row["id"]))
        used += conn.scalar(select(func.count()).select_from(ClaimArgument).where(ClaimArgument.span_id == row["id"]))
        if used:
            raise AnnotatorError(f"span {uid!r} is an argument of {used} event(s) or claim(s)")
        name = conn.scalar(select(Annotator.name).where(Annotator.id == row["annotator_id"]))
        conn.execute(delete(Span).where(Span.uid == uid))
    return SpanData(uid, row["document_id"], name, row["start"], row["end"], row["label"], row["value"], row["note"])


def set_status(project: Project, doc_id: int, annotator: str, status: str) -> None:
    with project.write() as conn:
        ann = annotator_id(conn, annotator)
        conn.execute(delete(DocumentStatus).where(DocumentStatus.document_id == doc_id,
                                                  DocumentStatus.annotator_id == ann))
        conn.execute(DocumentStatus.__table__.insert().values(document_id=doc_id, annotator_id=ann, status=status))


def _touch_status(conn, doc_id: int, ann: int) -> None:
    """The first span on a layer moves the document from to do to in progress."""
    exists = conn.scalar(select(DocumentStatus.status).where(DocumentStatus.document_id == doc_id,
                                                             DocumentStatus.annotator_id == ann))
    if exists is None:
        conn.execute(DocumentStatus.__table__.insert().values(document_id=doc_id, annotator_id=ann,
                                                              status="in_progress"))
