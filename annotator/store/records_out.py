"""Reading gold records out of the store, streamed in document order.

One ordered query per table, walked in step with the documents, so memory stays bounded
by the largest document rather than the corpus.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import groupby
from operator import itemgetter
from typing import Any, NamedTuple

from sqlalchemy import Connection, Row, Select, SQLColumnExpression, select
from sqlalchemy.orm import aliased

from annotator.core.records import (
    AlignmentRecord,
    ArgumentRecord,
    Block,
    ClaimRecord,
    DocumentRecord,
    EntityRecord,
    EventRecord,
    LinkRecord,
    RelationRecord,
    SpanRecord,
    plain_span,
)
from annotator.store.attributes import decode, item_id, item_kind
from annotator.store.engine import sqlite_driver
from annotator.store.models import (
    AlignmentBlock,
    AlignmentCrossing,
    Annotator,
    AttributeValue,
    Claim,
    ClaimArgument,
    Document,
    DocumentStatus,
    Entity,
    EntityMember,
    Event,
    EventArgument,
    Relation,
    Span,
    SpanFragment,
    SpanLink,
    TranslationGroup,
)

# A row of a query: SQLAlchemy's, or the driver's plain tuple (_rows); read by position.
_AnyRow = Row[*tuple[Any, ...]] | tuple[Any, ...]


_first = itemgetter(0)


class _Stream:
    """Rows of an ordered query, grouped by document id, consumed in document order."""

    def __init__(self, result: Iterable[_AnyRow]) -> None:
        self._groups = groupby(result, key=_first)
        self._next = next(self._groups, None)

    @property
    def empty(self) -> bool:
        """No row left: most projects have none in the tables of issue 14, and a stream
        with none is not asked again for every document."""
        return self._next is None

    def take(self, doc_id: int) -> list[_AnyRow]:
        while self._next is not None and self._next[0] < doc_id:
            self._next = next(self._groups, None)
        if self._next is not None and self._next[0] == doc_id:
            rows = list(self._next[1])
            self._next = next(self._groups, None)
            return rows
        return []


def iter_records(conn: Connection, annotator: str | None = None,
                 document_ids: list[int] | None = None) -> Iterator[DocumentRecord]:
    names: dict[int | None, str] = dict(conn.execute(select(Annotator.id, Annotator.name)).all())
    only: int | None = None
    if annotator is not None:
        only = next((i for i, n in names.items() if n == annotator), -1)

    def layer_filter(stmt: Select[*tuple[Any, ...]], col: SQLColumnExpression[int]) -> Select[*tuple[Any, ...]]:
        return stmt.where(col == only) if only is not None else stmt

    def doc_filter(stmt: Select[*tuple[Any, ...]], col: SQLColumnExpression[int]) -> Select[*tuple[Any, ...]]:
        return stmt.where(col.in_(document_ids)) if document_ids is not None else stmt

    def stream(stmt: Select[*tuple[Any, ...]], doc_col: SQLColumnExpression[int],
               ann_col: SQLColumnExpression[int]) -> _Stream:
        return _Stream(_rows(conn, doc_filter(layer_filter(stmt, ann_col), doc_col)))

    # Ordered as ix_spans_layer is, so no sort is needed: a layer's spans come out in the
    # same order as by (document, start, end, label, uid), which is what matters below.
    spans = stream(select(Span.document_id, Span.annotator_id, Span.uid, Span.start, Span.end, Span.label,
                          Span.value, Span.note, Span.id)
                   .order_by(Span.document_id, Span.annotator_id, Span.start, Span.end, Span.label, Span.uid),
                   Span.document_id, Span.annotator_id)
    statuses = stream(select(DocumentStatus.document_id, DocumentStatus.annotator_id, DocumentStatus.status)
                      .order_by(DocumentStatus.document_id), DocumentStatus.document_id, DocumentStatus.annotator_id)
    events = stream(select(Event.document_id, Event.annotator_id, Event.uid, Event.type, Event.trigger_start,
                           Event.trigger_end, Event.id)
                    .order_by(Event.document_id, Event.trigger_start, Event.trigger_end, Event.type, Event.uid),
                    Event.document_id, Event.annotator_id)
    claims = stream(select(Claim.document_id, Claim.annotator_id, Claim.uid, Claim.start, Claim.end, Claim.id)
                    .order_by(Claim.document_id, Claim.start, Claim.end, Claim.uid),
                    Claim.document_id, Claim.annotator_id)
    arg_span = aliased(Span)
    event_args = _arguments(conn, select(EventArgument.event_id, EventArgument.role, arg_span.uid, EventArgument.id)
                            .join(arg_span, EventArgument.span_id == arg_span.id)
                            .order_by(EventArgument.event_id, EventArgument.position))
    claim_args = _arguments(conn, select(ClaimArgument.claim_id, ClaimArgument.role, arg_span.uid, ClaimArgument.id)
                            .join(arg_span, ClaimArgument.span_id == arg_span.id)
                            .order_by(ClaimArgument.claim_id, ClaimArgument.position))
    # Issue 14: what hangs on the items of a layer. Empty tables in most projects, so
    # these reads cost next to nothing there.
    frag_span, from_span, to_span = aliased(Span), aliased(Span), aliased(Span)
    fragments = stream(select(SpanFragment.document_id, SpanFragment.annotator_id, frag_span.uid, SpanFragment.start,
                              SpanFragment.end).join(frag_span, SpanFragment.span_id == frag_span.id)
                       .order_by(SpanFragment.document_id, SpanFragment.span_id, SpanFragment.position),
                       SpanFragment.document_id, SpanFragment.annotator_id)
    members = stream(select(EntityMember.document_id, EntityMember.annotator_id, frag_span.uid, Entity.uid, Entity.kb)
                     .join(frag_span, EntityMember.span_id == frag_span.id)
                     .join(Entity, EntityMember.entity_id == Entity.id).order_by(EntityMember.document_id),
                     EntityMember.document_id, EntityMember.annotator_id)
    relations = stream(select(Relation.document_id, Relation.annotator_id, Relation.uid, Relation.type, from_span.uid,
                              to_span.uid).join(from_span, Relation.from_span_id == from_span.id)
                       .join(to_span, Relation.to_span_id == to_span.id).order_by(Relation.document_id, Relation.id),
                       Relation.document_id, Relation.annotator_id)
    av = AttributeValue
    values = stream(select(av.document_id, av.annotator_id, av.name, av.value, item_kind(), item_id())
                    .order_by(av.document_id, av.id), av.document_id, av.annotator_id)
    target = aliased(Document)
    blocks = stream(select(AlignmentBlock.doc_a_id, AlignmentBlock.annotator_id, target.uid, AlignmentBlock.a_start,
                           AlignmentBlock.a_end, AlignmentBlock.b_start, AlignmentBlock.b_end)
                    .join(target, AlignmentBlock.doc_b_id == target.id)
                    .order_by(AlignmentBlock.doc_a_id, target.uid, AlignmentBlock.position),
                    AlignmentBlock.doc_a_id, AlignmentBlock.annotator_id)
    crossings = stream(select(AlignmentCrossing.doc_a_id, AlignmentCrossing.annotator_id, target.uid,
                              AlignmentCrossing.a_start, AlignmentCrossing.a_end, AlignmentCrossing.b_start,
                              AlignmentCrossing.b_end)
                       .join(target, AlignmentCrossing.doc_b_id == target.id)
                       .order_by(AlignmentCrossing.doc_a_id, target.uid, AlignmentCrossing.a_start),
                       AlignmentCrossing.doc_a_id, AlignmentCrossing.annotator_id)
    src, dst = aliased(Span), aliased(Span)
    links = stream(select(src.document_id, src.annotator_id, src.uid, target.uid, dst.uid, src.start, src.end)
                   .select_from(SpanLink).join(src, SpanLink.source_span_id == src.id)
                   .join(dst, SpanLink.target_span_id == dst.id).join(target, dst.document_id == target.id)
                   .order_by(src.document_id, src.start, src.end, src.uid, target.uid, dst.uid),
                   src.document_id, src.annotator_id)
    groups: dict[int | None, str] = dict(conn.execute(select(TranslationGroup.id, TranslationGroup.uid)).all())

    docs = select(Document.id, Document.uid, Document.lang, Document.text, Document.title, Document.source,
                  Document.group_id).order_by(Document.id)
    named = [("spans", spans), ("status", statuses), ("events", events), ("claims", claims), ("blocks", blocks),
             ("crossings", crossings), ("links", links), ("fragments", fragments), ("members", members),
             ("relations", relations), ("values", values)]
    for row in _rows(conn, doc_filter(docs, Document.id)):
        doc = _Doc(*row)
        per: dict[int | None, dict[str, list[_AnyRow]]] = {}
        if any(st.empty for _name, st in named):
            named = [(name, st) for name, st in named if not st.empty]
        for name, st in named:
            rows = st.take(doc.id)
            if not rows:
                continue
            if rows[0][1] == rows[-1][1]:  # one layer's rows: the usual case, taken whole
                per.setdefault(rows[0][1], {})[name] = rows
                continue
            for row in rows:  # several layers: each keeps its rows' order
                per.setdefault(row[1], {}).setdefault(name, []).append(row)
        layer_ids: list[int | None] = sorted(per, key=lambda a: names[a]) if only is None else [only]
        if not layer_ids:
            layer_ids = [None]
        for ann in layer_ids:
            yield _record(doc, groups, names.get(ann), per.get(ann, {}), event_args, claim_args)


def _rows(conn: Connection, stmt: Select[*tuple[Any, ...]]) -> Iterable[_AnyRow]:
    """The rows of `stmt`, streamed. On SQLite, plain tuples from the driver's cursor when no
    column needs result processing (integers, strings): SQLAlchemy's per-row work was half
    of an export. Elsewhere, or for a column that needs it, the portable path."""
    dialect = conn.dialect
    if dialect.name != "sqlite" or any(c.type.dialect_impl(dialect).result_processor(dialect, None) is not None
                                       for c in stmt.selected_columns):
        return conn.execute(stmt.execution_options(yield_per=5000))
    compiled = stmt.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()
    cursor = sqlite_driver(conn.connection).execute(compiled.string,
                                                    [params[name] for name in compiled.positiontup or ()])
    cursor.arraysize = 5000
    return cursor


def _arguments(conn: Connection, stmt: Select[int, str, str, int]) -> dict[int, list[tuple[int, ArgumentRecord]]]:
    """The arguments of every event (or claim), with their row ids, by owner row id."""
    out: dict[int, list[tuple[int, ArgumentRecord]]] = defaultdict(list)
    for owner, role, span_uid, arg_id in conn.execute(stmt):
        out[owner].append((arg_id, ArgumentRecord(role, span_uid)))
    return out


# Where an attribute value of a layer belongs: (kind, row id), kind 0 the document (row
# id 0), 1 to 5 a span, event, claim, event argument, claim argument (store.attributes).
_Key = tuple[int, int]


def _values(rows: list[_AnyRow]) -> dict[_Key, list[tuple[str, Any]]]:
    """A layer's attribute values by (kind, row id), in the order they were written."""
    out: dict[_Key, list[tuple[str, Any]]] = defaultdict(list)
    for r in rows:
        out[(r[4], r[5])].append((r[2], decode(r[3])))
    return out


_SPANS_AND_STATUS = frozenset(("spans", "status"))


class _Doc(NamedTuple):
    """A document's row, by name."""
    id: int
    uid: str
    lang: str
    text: str
    title: str | None
    source: str | None
    group_id: int | None


def _record(doc: _Doc, groups: dict[int | None, str], annotator: str | None,
            layer: dict[str, list[_AnyRow]], event_args: dict[int, list[tuple[int, ArgumentRecord]]],
            claim_args: dict[int, list[tuple[int, ArgumentRecord]]]) -> DocumentRecord:
    text = doc.text
    if layer.keys() <= _SPANS_AND_STATUS:  # most layers: only spans and a status to read
        rows = layer.get("spans", ())
        return DocumentRecord(id=doc.uid, lang=doc.lang, text=text, title=doc.title, source=doc.source,
                              spans=tuple(plain_span(r[2], r[3], r[4], r[5], text[r[3]:r[4]], r[6], r[7])
                                          for r in rows),
                              group=groups.get(doc.group_id), annotator=annotator,
                              status=layer["status"][0][2] if "status" in layer else "todo")
    values = _values(layer["values"]) if layer.get("values") else {}
    frags: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for r in layer.get("fragments", ()):
        frags[r[2]].append((r[3], r[4]))
    member = {r[2]: r[3] for r in layer.get("members", ())}
    kbs = {r[3]: r[4] for r in layer.get("members", ())}

    def attrs(kind: int, row_id: int) -> tuple[tuple[str, Any], ...]:
        return tuple(values.get((kind, row_id), ())) if values else ()

    def args(found: list[tuple[int, ArgumentRecord]], kind: int) -> tuple[ArgumentRecord, ...]:
        if not values:
            return tuple(a for _i, a in found)
        return tuple(ArgumentRecord(a.role, a.span, attrs(kind, i)) for i, a in found)

    if frags or member or values:
        spans = tuple(SpanRecord(r[2], r[3], r[4], r[5], text[r[3]:r[4]], r[6], r[7], tuple(frags.get(r[2], ())),
                                 member.get(r[2]), attrs(1, r[8])) for r in layer.get("spans", ()))
    else:
        spans = tuple(plain_span(r[2], r[3], r[4], r[5], text[r[3]:r[4]], r[6], r[7]) for r in layer.get("spans", ()))
    events = tuple(EventRecord(r[2], r[3], r[4], r[5], text[r[4]:r[5]], args(event_args.get(r[6], []), 4),
                               attrs(2, r[6])) for r in layer.get("events", ()))
    claims = tuple(ClaimRecord(r[2], r[3], r[4], text[r[3]:r[4]], args(claim_args.get(r[5], []), 5), attrs(3, r[5]))
                   for r in layer.get("claims", ()))
    crossings: dict[str, list[Block]] = defaultdict(list)
    for r in layer.get("crossings", ()):
        crossings[r[2]].append(Block(*r[3:7]))
    alignments = tuple(AlignmentRecord(tgt, tuple(Block(*r[3:7]) for r in rows), tuple(crossings.get(tgt, ())))
                       for tgt, rows in groupby(layer.get("blocks", ()), key=lambda r: r[2]))
    links = tuple(LinkRecord(r[2], r[3], r[4]) for r in layer.get("links", ()))
    relations = tuple(RelationRecord(r[2], r[3], r[4], r[5]) for r in layer.get("relations", ()))
    entities = tuple(EntityRecord(uid, kbs[uid]) for uid in sorted(kbs))
    status = layer["status"][0][2] if layer.get("status") else "todo"
    return DocumentRecord(id=doc.uid, lang=doc.lang, text=text, title=doc.title, source=doc.source, spans=spans,
                          events=events, claims=claims, group=groups.get(doc.group_id), alignments=alignments,
                          links=links, annotator=annotator, status=status, relations=relations, entities=entities,
                          attributes=attrs(0, 0))
