"""Entity clusters: the mentions (spans) of one real-world entity in one annotator's
layers, within a document (coreference) and across a translation group, with an
optional knowledge-base id (a Wikidata QID, core.kb). A span is in at most one cluster;
a cluster without mentions is removed with its last one. Each operation is one
transaction returning a Change."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, or_, select

from annotator.core.errors import AnnotatorError
from annotator.core.ids import new_id
from annotator.core.kb import kb_problem
from annotator.store import dependents
from annotator.store.changes import Change, Recorder
from annotator.store.models import Annotator, Entity, EntityMember, Span, SpanLink
from annotator.store.project import Project


def add_to_entity(project: Project, span_uids: list[str], entity: str | None = None, kb: str | None = None) -> Change:
    """Puts spans (of one annotator, any documents) into cluster `entity`, made (with `kb`)
    if that annotator has none of that id (a new id if None); a span in another cluster
    moves. The change's result is the cluster's id."""
    if why := kb_problem(kb):
        raise AnnotatorError(why)
    if not span_uids:
        raise AnnotatorError("no span to put in a cluster")
    with project.write() as conn:
        rows = conn.execute(select(Span.uid, Span.id, Span.document_id, Span.annotator_id)
                            .where(Span.uid.in_(span_uids))).all()
        missing = sorted(set(span_uids) - {r[0] for r in rows})
        if missing:
            raise AnnotatorError(f"no span {missing[0]!r}")
        annotators = {r[3] for r in rows}
        if len(annotators) != 1:
            raise AnnotatorError("a cluster holds the spans of one annotator")
        ann = annotators.pop()
        rec = Recorder(conn)
        uid = entity or new_id("ent")
        ent_id = conn.scalar(select(Entity.id).where(Entity.annotator_id == ann, Entity.uid == uid))
        if ent_id is None:
            ent_id = rec.insert(Entity, [{"uid": uid, "annotator_id": ann, "kb": kb}])[0]
        elif kb is not None:
            rec.update(Entity, {"kb": kb}, Entity.id == ent_id)
        ids = [r[1] for r in rows]
        gone = rec.delete(EntityMember, EntityMember.span_id.in_(ids), EntityMember.entity_id != ent_id)
        already = set(conn.scalars(select(EntityMember.span_id).where(EntityMember.span_id.in_(ids))))
        rec.insert(EntityMember, [{"entity_id": ent_id, "span_id": r[1], "document_id": r[2], "annotator_id": ann}
                                  for r in rows if r[1] not in already])
        dependents.remove_empty_entities(rec, sorted({g["entity_id"] for g in gone}))
        n = len(rows)
        return rec.change(f"put {n} mention{'s' if n > 1 else ''} in entity {uid}"
                          + (f" ({kb})" if kb else ""), uid)


def remove_from_entity(project: Project, span_uids: list[str]) -> Change:
    """Takes spans out of their clusters; the change's result is how many were in one."""
    with project.write() as conn:
        ids = list(conn.scalars(select(Span.id).where(Span.uid.in_(span_uids))))
        rec = Recorder(conn)
        gone = rec.delete(EntityMember, EntityMember.span_id.in_(ids))
        dependents.remove_empty_entities(rec, sorted({g["entity_id"] for g in gone}))
        return rec.change(f"take {len(gone)} mention{'s' if len(gone) != 1 else ''} out of their entity", len(gone))


def set_kb(project: Project, annotator: str, entity: str, kb: str | None) -> Change:
    """Sets (None: clears) the knowledge-base id of a cluster; the result is the one before."""
    if why := kb_problem(kb):
        raise AnnotatorError(why)
    with project.write() as conn:
        row = conn.execute(select(Entity.id, Entity.kb).join(Annotator, Entity.annotator_id == Annotator.id)
                           .where(Entity.uid == entity, Annotator.name == annotator)).first()
        if row is None:
            raise AnnotatorError(f"{annotator} has no entity {entity!r}")
        rec = Recorder(conn)
        rec.update(Entity, {"kb": kb}, Entity.id == row[0])
        # The documents of its mentions are touched: their views show the id.
        for doc, ann in conn.execute(select(EntityMember.document_id, EntityMember.annotator_id)
                                     .where(EntityMember.entity_id == row[0]).distinct()):
            rec.touch(doc, ann)
        return rec.change(f"link entity {entity} to {kb}" if kb else f"unlink entity {entity}", row[1])


def layer_entities(conn: Connection, doc_id: int, annotator: str) -> dict[str, tuple[str, str | None]]:
    """(cluster id, knowledge-base id) of each clustered span of one layer, by span uid."""
    stmt = (select(Span.uid, Entity.uid, Entity.kb).join(EntityMember, EntityMember.span_id == Span.id)
            .join(Entity, EntityMember.entity_id == Entity.id).join(Annotator, Span.annotator_id == Annotator.id)
            .where(Span.document_id == doc_id, Annotator.name == annotator))
    return {s: (e, kb) for s, e, kb in conn.execute(stmt)}


def entity_mentions(conn: Connection, annotator: str, entity: str) -> list[tuple[int, str]]:
    """(document id, span uid) of every mention of a cluster, across documents."""
    stmt = (select(Span.document_id, Span.uid).join(EntityMember, EntityMember.span_id == Span.id)
            .join(Entity, EntityMember.entity_id == Entity.id).join(Annotator, Entity.annotator_id == Annotator.id)
            .where(Entity.uid == entity, Annotator.name == annotator).order_by(Span.document_id, Span.start))
    return [(d, s) for d, s in conn.execute(stmt)]


@dataclass(frozen=True)
class Mention:
    entity: str
    kb: str | None
    document_id: int
    span: str  # uid
    start: int
    end: int
    label: str
    text: str


def cluster_mentions(project: Project, conn: Connection, annotator: str, entities: list[str]) -> list[Mention]:
    """Every mention of the clusters `entities` of one annotator, across documents, with
    its text: what a panel lists and what knowledge-base suggestions are made from. In
    cluster, document and text order."""
    if not entities:
        return []
    stmt = (select(Entity.uid, Entity.kb, Span.document_id, Span.uid, Span.start, Span.end, Span.label)
            .join(EntityMember, EntityMember.entity_id == Entity.id).join(Span, EntityMember.span_id == Span.id)
            .join(Annotator, Entity.annotator_id == Annotator.id)
            .where(Annotator.name == annotator, Entity.uid.in_(entities))
            .order_by(Entity.uid, Span.document_id, Span.start, Span.end))
    out = []
    for ent, kb, doc, span, start, end, label in conn.execute(stmt):
        text = project.texts.get(conn, doc) or ""
        out.append(Mention(ent, kb, doc, span, start, end, label, text[start:end]))
    return out


def linked_spans(conn: Connection, span_uid: str) -> list[str]:
    """The spans linked to `span_uid` in its translations (store.parallel's span links,
    followed either way and on from each span reached), itself left out, in uid order:
    the mentions a cluster across a translation group takes from them."""
    start = conn.scalar(select(Span.id).where(Span.uid == span_uid))
    if start is None:
        return []
    seen, frontier = {start}, [start]
    while frontier:
        rows = conn.execute(select(SpanLink.source_span_id, SpanLink.target_span_id)
                            .where(or_(SpanLink.source_span_id.in_(frontier), SpanLink.target_span_id.in_(frontier))))
        reached = {i for pair in rows for i in pair} - seen
        seen |= reached
        frontier = sorted(reached)
    seen.discard(start)
    return sorted(conn.scalars(select(Span.uid).where(Span.id.in_(seen)))) if seen else []


def span_entities(conn: Connection, span_uids: list[str]) -> dict[str, tuple[str, str | None]]:
    """(cluster id, knowledge-base id) of each of these spans that is in a cluster, by uid."""
    stmt = (select(Span.uid, Entity.uid, Entity.kb).join(EntityMember, EntityMember.span_id == Span.id)
            .join(Entity, EntityMember.entity_id == Entity.id).where(Span.uid.in_(span_uids)))
    return {s: (e, kb) for s, e, kb in conn.execute(stmt)}
