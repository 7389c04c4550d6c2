"""Suggestions kept in the project: imported suggestion sources (predictions made
elsewhere) and rejections. Trained suggestions are recomputed from the layers, never
stored. Nothing here is a span: no layer, export or agreement reads these tables.

Writes return Changes (changes.py), so the edit runner undoes them like any edit;
accepting a suggestion is adding a span (spans.py), an edit like any other."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, select

from annotator.core.errors import AnnotatorError
from annotator.store.changes import Change, Recorder
from annotator.store.models import Annotator, Document, StoredSuggestion, SuggestionRejection, SuggestionSource
from annotator.store.project import Project


@dataclass(frozen=True)
class SuggestionRow:
    document_id: int
    start: int
    end: int
    label: str
    score: float
    source: str


def load_suggestions(project: Project, source: str, items: Sequence[tuple[int, int, int, str, float]]) -> Change:
    """Replace the suggestions of source `source` (made if new) by `items` (document id,
    start, end, label, score), in one transaction. Offsets and labels are checked first:
    a bad item refuses the whole load, naming it."""
    if not source.strip():
        raise AnnotatorError("a suggestion source needs a name")
    with project.write() as conn:
        lengths = dict(conn.execute(select(Document.id, Document.length)).all())
        for doc, start, end, label, score in items:
            if doc not in lengths or not 0 <= start < end <= lengths[doc]:
                raise AnnotatorError(f"suggestion {start}-{end} {label} is outside document {doc}")
            if project.schema.label(label) is None:
                raise AnnotatorError(f"suggestion {start}-{end}: unknown label {label!r}")
            if not 0.0 <= score <= 1.0:
                raise AnnotatorError(f"suggestion {start}-{end} {label}: score {score} is not in [0, 1]")
        rec = Recorder(conn)
        src = conn.scalar(select(SuggestionSource.id).where(SuggestionSource.name == source))
        if src is None:
            src = rec.insert(SuggestionSource, [{"name": source}])[0]
        else:
            rec.delete(StoredSuggestion, StoredSuggestion.source_id == src)
        unique = {(d, s, e, lab): sc for d, s, e, lab, sc in items}  # the same item twice: the last score
        rec.insert(StoredSuggestion, [{"source_id": src, "document_id": d, "start": s, "end": e, "label": lab,
                                       "score": sc} for (d, s, e, lab), sc in unique.items()])
        return rec.change(f"load {len(unique)} suggestion(s) as «{source}»", len(unique))


def reject_suggestion(project: Project, doc_id: int, annotator: str, start: int, end: int, label: str) -> Change:
    """Remember that `annotator` rejected label `label` on [start, end) of a document; a
    second rejection of the same changes nothing (an empty change)."""
    with project.write() as conn:
        rec = Recorder(conn)
        ann = rec.annotator(annotator)
        known = conn.scalar(select(SuggestionRejection.id).where(
            SuggestionRejection.document_id == doc_id, SuggestionRejection.annotator_id == ann,
            SuggestionRejection.start == start, SuggestionRejection.end == end, SuggestionRejection.label == label))
        if known is None:
            rec.insert(SuggestionRejection, [{"document_id": doc_id, "annotator_id": ann, "start": start, "end": end,
                                              "label": label}])
        return rec.change(f"reject suggestion {label} {start}-{end}")


def stored_suggestions(conn: Connection, doc_ids: list[int] | None = None) -> list[SuggestionRow]:
    """The imported suggestions of `doc_ids` (all when None), by document and offset."""
    q = (select(StoredSuggestion.document_id, StoredSuggestion.start, StoredSuggestion.end, StoredSuggestion.label,
                StoredSuggestion.score, SuggestionSource.name)
         .join(SuggestionSource, StoredSuggestion.source_id == SuggestionSource.id)
         .order_by(StoredSuggestion.document_id, StoredSuggestion.start, StoredSuggestion.end))
    if doc_ids is not None:
        q = q.where(StoredSuggestion.document_id.in_(doc_ids))
    return [SuggestionRow(*row) for row in conn.execute(q)]


def rejections(conn: Connection, doc_ids: list[int] | None = None,
               annotator: str | None = None) -> dict[int, set[tuple[int, int, str]]]:
    """{document id: {(start, end, label)}} rejected (by `annotator`, or by anyone)."""
    q = select(SuggestionRejection.document_id, SuggestionRejection.start, SuggestionRejection.end,
               SuggestionRejection.label)
    if doc_ids is not None:
        q = q.where(SuggestionRejection.document_id.in_(doc_ids))
    if annotator is not None:
        q = q.join(Annotator, SuggestionRejection.annotator_id == Annotator.id).where(Annotator.name == annotator)
    out: dict[int, set[tuple[int, int, str]]] = {}
    for doc, start, end, label in conn.execute(q):
        out.setdefault(doc, set()).add((start, end, label))
    return out


def suggestion_sources(conn: Connection) -> list[str]:
    return list(conn.scalars(select(SuggestionSource.name).order_by(SuggestionSource.name)))
