"""Typed relations between two spans of one document and layer, declared by the schema's
`relations` (core.schema.RelationType). Each operation is one transaction returning a
Change; removing a span removes its relations in the same change (store.dependents)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, or_, select
from sqlalchemy.orm import aliased

from annotator.core.errors import AnnotatorError
from annotator.core.ids import new_id
from annotator.store.changes import Change, Recorder
from annotator.store.engine import sqlite_driver
from annotator.store.models import Annotator, Relation, Span
from annotator.store.project import Project


@dataclass(frozen=True)
class RelationData:
    uid: str
    document_id: int
    annotator: str
    type: str
    from_span: str  # span uids
    to_span: str


def add_relation(project: Project, type_: str, from_span: str, to_span: str, uid: str | None = None) -> Change:
    """Relates two spans of one layer; refused, with the reason, for a type the schema
    does not declare, a pair of labels it does not accept, or a relation already there.
    The change's result is the RelationData."""
    with project.write() as conn:
        rec = Recorder(conn)
        made = insert_relations(rec, project, [RelationData(uid or new_id("r"), 0, "", type_, from_span, to_span)])[0]
        return rec.change(f"relate {project.texts.quote(conn, made.document_id, *_extent(conn, from_span))} "
                          f"{type_} {project.texts.quote(conn, made.document_id, *_extent(conn, to_span))}", made)


def insert_relations(rec: Recorder, project: Project, relations: list[RelationData]) -> list[RelationData]:
    """Checks and writes relations through `rec`; their document and annotator are those
    of their spans (the fields given are ignored)."""
    conn = rec.conn
    out = []
    for r in relations:
        declared = project.schema.relation(r.type)
        if declared is None:
            known = ", ".join(x.type for x in project.schema.relations) or "none"
            raise AnnotatorError(f"the schema declares no relation {r.type!r} (it declares {known})")
        ends = [conn.execute(_SPAN, {"uid": u}).first() for u in (r.from_span, r.to_span)]
        for u, end in zip((r.from_span, r.to_span), ends):
            if end is None:
                raise AnnotatorError(f"no span {u!r}")
        (a_id, a_doc, a_ann, a_label, a_name), (b_id, b_doc, b_ann, b_label, _b) = ends  # type: ignore[misc]
        if (a_doc, a_ann) != (b_doc, b_ann):
            raise AnnotatorError("a relation joins two spans of the same document and annotator")
        if a_id == b_id:
            raise AnnotatorError("a relation joins two different spans")
        if why := declared.problem(a_label, b_label):
            raise AnnotatorError(why)
        if conn.scalar(select(Relation.id).where(Relation.type == r.type, Relation.from_span_id == a_id,
                                                 Relation.to_span_id == b_id)) is not None:
            raise AnnotatorError(f"these spans already have that {r.type} relation")
        rec.insert(Relation, [{"uid": r.uid, "document_id": a_doc, "annotator_id": a_ann, "type": r.type,
                               "from_span_id": a_id, "to_span_id": b_id}])
        rec.start_layer(a_doc, a_ann)
        out.append(RelationData(r.uid, a_doc, a_name, r.type, r.from_span, r.to_span))
    return out


def delete_relation(project: Project, uid: str) -> Change:
    """The change's result is the RelationData removed."""
    with project.write() as conn:
        found = get_relation(conn, uid)
        if found is None:
            raise AnnotatorError(f"no relation {uid!r}")
        rec = Recorder(conn)
        rec.delete(Relation, Relation.uid == uid)
        return rec.change(f"delete the {found.type} relation", found)


def get_relation(conn: Connection, uid: str) -> RelationData | None:
    row = conn.execute(_RELATIONS.where(Relation.uid == uid)).first()
    return RelationData(*row) if row else None


def layer_relations(conn: Connection, doc_id: int, annotator: str) -> list[RelationData]:
    """The relations of one layer, in the order they were made."""
    return [RelationData(*r) for r in conn.execute(_RELATIONS.where(Relation.document_id == doc_id,
                                                                     Annotator.name == annotator))]


def relation_rows(conn: Connection, doc_id: int, annotator: str,
                  uids: Collection[str] | None = None) -> list[tuple[int, str, str, str, str]]:
    """(id, uid, from span uid, type, to span uid) of each relation of one layer (those of
    `uids` only, if given), in the order they were made (their ids): what a list of every
    relation shows, read as plain tuples by the driver's cursor on SQLite, where
    SQLAlchemy's row processing took most of the time for 10,000 of them."""
    ann_id = conn.scalar(select(Annotator.id).where(Annotator.name == annotator))
    if ann_id is None:
        return []
    chosen = list(uids) if uids is not None else None
    if conn.dialect.name != "sqlite":
        stmt = (select(Relation.id, Relation.uid, _FROM.uid, Relation.type, _TO.uid)
                .join(_FROM, Relation.from_span_id == _FROM.id).join(_TO, Relation.to_span_id == _TO.id)
                .where(Relation.document_id == doc_id, Relation.annotator_id == ann_id).order_by(Relation.id))
        if chosen is not None:
            stmt = stmt.where(Relation.uid.in_(chosen))
        return [(r[0], r[1], r[2], r[3], r[4]) for r in conn.execute(stmt)]
    sql = ("SELECT r.id, r.uid, a.uid, r.type, b.uid FROM relations r JOIN spans a ON a.id = r.from_span_id "
           "JOIN spans b ON b.id = r.to_span_id WHERE r.document_id = ? AND r.annotator_id = ?")
    params: list[object] = [doc_id, ann_id]
    if chosen is not None:
        if not chosen:
            return []
        sql += f" AND r.uid IN ({', '.join('?' * len(chosen))})"
        params += chosen
    cursor = sqlite_driver(conn.connection).execute(sql + " ORDER BY r.id", params)
    try:
        return cursor.fetchall()
    finally:
        cursor.close()


def _extent(conn: Connection, span_uid: str) -> tuple[int, int]:
    row = conn.execute(select(Span.start, Span.end).where(Span.uid == span_uid)).one()
    return row[0], row[1]


_SPAN = (select(Span.id, Span.document_id, Span.annotator_id, Span.label, Annotator.name)
         .join(Annotator, Span.annotator_id == Annotator.id).where(Span.uid == bindparam("uid")))
_FROM, _TO = aliased(Span), aliased(Span)
_RELATIONS = (select(Relation.uid, Relation.document_id, Annotator.name, Relation.type, _FROM.uid, _TO.uid)
              .join(Annotator, Relation.annotator_id == Annotator.id)
              .join(_FROM, Relation.from_span_id == _FROM.id).join(_TO, Relation.to_span_id == _TO.id)
              .order_by(Relation.id))


def span_relations(conn: Connection, span_uid: str) -> list[RelationData]:
    """The relations one span is an end of, in the order they were made: what a view draws
    for the selected span, without reading the whole layer's."""
    found = conn.execute(_SPAN_LAYER, {"uid": span_uid}).first()
    if found is None:
        return []
    span_id, doc, ann = found
    return [RelationData(*r) for r in conn.execute(_SPAN_RELATIONS, {"doc": doc, "ann": ann, "span": span_id})]


# Built once: a span is read for each selection of a span not drawn since the last change.
_SPAN_LAYER = select(Span.id, Span.document_id, Span.annotator_id).where(Span.uid == bindparam("uid"))
_SPAN_RELATIONS = _RELATIONS.where(Relation.document_id == bindparam("doc"), Relation.annotator_id == bindparam("ann"),
                                   or_(Relation.from_span_id == bindparam("span"), Relation.to_span_id == bindparam("span")))
