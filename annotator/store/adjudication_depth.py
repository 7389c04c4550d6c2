"""Adjudication of attributes, relations and entity clusters (issue 14): gold takes one
annotator's version of a place that core.depth_diff lists, in one transaction returning a
Change (undone and redone like every other, through the edit runner).

The place's items must already be in gold (its spans, event or claim, matched by what
they are: offsets and label, type and trigger): an attribute is set on the gold item,
a relation drawn between the gold spans, a cluster made of the gold spans of the
mentions. A version that is "none" (unset, no relation, in no cluster) removes gold's.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import aliased

from annotator.core.depth_diff import ClusterVersion, DepthDisagreement
from annotator.core.errors import AnnotatorError
from annotator.core.identity import GOLD_ANNOTATOR
from annotator.core.ids import new_id
from annotator.core.kb import kb_problem
from annotator.core.records import DocumentRecord
from annotator.store import dependents
from annotator.store.attributes import KINDS, Target, encode
from annotator.store.attributes import _resolve as resolve_target
from annotator.store.changes import Change, Recorder
from annotator.store.models import AttributeValue, Entity, EntityMember, Relation, Span
from annotator.store.project import Project
from annotator.store.records_out import iter_records
from annotator.store.relations import RelationData, insert_relations

_ITEM_COLUMNS = [f"{k}_id" for k in KINDS[1:]]


def accept_depth(project: Project, doc_id: int, d: DepthDisagreement, version: object, who: str) -> Change:
    """Gold takes `version` (annotator `who`'s, or None: none) of disagreement `d`."""
    with project.write() as conn:
        gold = _gold(conn, doc_id)
        rec = Recorder(conn)
        ann = rec.annotator(GOLD_ANNOTATOR)
        if d.kind == "attribute":
            _attribute(rec, project, gold, doc_id, ann, d.place, version)
        elif d.kind == "relation":
            _relation(rec, project, gold, d.place, bool(version))
        elif d.kind == "cluster":
            _cluster(rec, conn, gold, ann, d.place, version if isinstance(version, ClusterVersion) else None)
        else:
            raise AnnotatorError(f"nothing to accept for a {d.kind!r} disagreement")
        rec.touch(doc_id, ann)
        return rec.change(f"accept {who}'s version of the {d.kind}")


def _gold(conn: Connection, doc_id: int) -> DocumentRecord:
    gold = next(iter_records(conn, annotator=GOLD_ANNOTATOR, document_ids=[doc_id]), None)
    if gold is None or not gold.spans:
        raise AnnotatorError("the gold layer has no spans here yet: accept the spans first")
    return gold


def _span_uid(gold: DocumentRecord, key: Any) -> str:
    uid = next((s.id for s in gold.spans if (s.start, s.end, s.label) == tuple(key)), None)
    if uid is None:
        raise AnnotatorError(f"gold has no {key[2]} span at [{key[0]}, {key[1]}) yet: accept that span first")
    return uid


def _target(gold: DocumentRecord, doc_id: int, key: Any) -> Target:
    """The gold item of an item key of core.depth_agreement."""
    if key[0] == "document":
        return Target("document", doc_id, GOLD_ANNOTATOR)
    if key[0] == "span":
        return Target("span", doc_id, GOLD_ANNOTATOR, _span_uid(gold, key[1:]))
    if key[0] == "argument":
        owner, role, span = key[1], key[2], key[3]
        frame = _target(gold, doc_id, owner)
        return Target(f"{owner[0]}_argument", doc_id, GOLD_ANNOTATOR, frame.uid, role, _span_uid(gold, span))
    if key[0] == "event":
        uid = next((e.id for e in gold.events if (e.type, e.trigger_start, e.trigger_end) == key[1:]), None)
    else:
        uid = next((c.id for c in gold.claims if (c.start, c.end) == key[1:]), None)
    if uid is None:
        raise AnnotatorError(f"gold has no such {key[0]} yet: accept it first")
    return Target(key[0], doc_id, GOLD_ANNOTATOR, uid)


def _attribute(rec: Recorder, project: Project, gold: DocumentRecord, doc_id: int, ann: int, place: Hashable,
               value: object) -> None:
    parts: Any = place
    key, name = parts
    target = _target(gold, doc_id, key)
    column, row_id, _schema_name, what = resolve_target(rec.conn, target)
    attr = project.schema.attribute(name)
    if value is not None:
        why = "not an attribute of the schema" if attr is None else attr.problem(value)
        if why:
            raise AnnotatorError(f"{name} of {what}: {why}")
    where = [AttributeValue.name == name]
    if column is not None:
        where.append(getattr(AttributeValue, column) == row_id)
    else:
        where += [AttributeValue.document_id == doc_id, AttributeValue.annotator_id == ann]
        where += [getattr(AttributeValue, c).is_(None) for c in _ITEM_COLUMNS]
    rec.delete(AttributeValue, *where)
    if value is not None:
        row: dict[str, Any] = {"document_id": doc_id, "annotator_id": ann, "name": name, "value": encode(value)}
        if column is not None:
            row[column] = row_id
        rec.insert(AttributeValue, [row])


def _relation(rec: Recorder, project: Project, gold: DocumentRecord, place: Hashable, present: bool) -> None:
    parts: Any = place
    type_, a, b = parts
    if present:
        insert_relations(rec, project, [RelationData(new_id("r"), 0, "", type_, _span_uid(gold, a),
                                                     _span_uid(gold, b))])
        return
    start, end = aliased(Span), aliased(Span)
    ids = list(rec.conn.scalars(
        select(Relation.id).join(start, Relation.from_span_id == start.id).join(end, Relation.to_span_id == end.id)
        .where(Relation.type == type_, start.uid == _span_uid(gold, a), end.uid == _span_uid(gold, b))))
    rec.delete(Relation, Relation.id.in_(ids))


def _cluster(rec: Recorder, conn: Connection, gold: DocumentRecord, ann: int, span: Any,
             version: ClusterVersion | None) -> None:
    """The gold span `span` and the gold spans of `version`'s partners in one cluster (the
    cluster one of them is in already, so identity across documents is kept), or out of
    any cluster when `version` is None."""
    uids = [_span_uid(gold, span)] + ([_span_uid(gold, k) for k in sorted(version.partners)] if version else [])
    rows = conn.execute(select(Span.id, Span.document_id).where(Span.uid.in_(uids))).all()
    ids = [r[0] for r in rows]
    before = conn.execute(select(EntityMember.span_id, EntityMember.entity_id)
                          .where(EntityMember.span_id.in_(ids))).all()
    if version is None:
        gone = rec.delete(EntityMember, EntityMember.span_id.in_(ids))
        dependents.remove_empty_entities(rec, sorted({g["entity_id"] for g in gone}))
        return
    if why := kb_problem(version.kb):
        raise AnnotatorError(why)
    own = dict(before)
    entity_id = own.get(ids[0]) or next((own[i] for i in ids if i in own), None)
    if entity_id is None:
        entity_id = rec.insert(Entity, [{"uid": new_id("ent"), "annotator_id": ann, "kb": version.kb}])[0]
    else:
        rec.update(Entity, {"kb": version.kb}, Entity.id == entity_id)
    gone = rec.delete(EntityMember, EntityMember.span_id.in_(ids), EntityMember.entity_id != entity_id)
    rec.insert(EntityMember, [{"entity_id": entity_id, "span_id": r[0], "document_id": r[1], "annotator_id": ann}
                              for r in rows if own.get(r[0]) != entity_id])
    dependents.remove_empty_entities(rec, sorted({g["entity_id"] for g in gone}))
