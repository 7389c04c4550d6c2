"""Gold records out of the store's rows, streamed in document order, through any
connection that runs SQL text: the sqlite3 driver's alone (`annotator export` of a
project at this version's revision imports no SQLAlchemy, store.reading) or a project's
SQLAlchemy connection, SQLite or a server (records_out.iter_records). One set of queries
and one builder for both, so the two give the same records.

One ordered query per table, walked in step with the documents, so memory stays bounded
by the largest document rather than the corpus. The SQL is plain and portable: no
parameters (the only values put in are integer row ids), `"end"` quoted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import groupby
from operator import itemgetter
from typing import Any, NamedTuple, cast, overload

import orjson

from annotator.core.identity import GOLD_ANNOTATOR
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
    plain_record,
    plain_span,
)

# Runs SQL text, returns its rows (plain tuples or SQLAlchemy's rows: read by position).
Query = Callable[[str], Iterable[Sequence[Any]]]
_AnyRow = Sequence[Any]

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


# Where an attribute value belongs (store.attributes.item_kind and item_id): kind 0 the
# document (row id 0), 1 to 5 a span, event, claim, event argument, claim argument.
_ITEM_COLUMNS = ("span_id", "event_id", "claim_id", "event_argument_id", "claim_argument_id")
_ITEM_KIND = "CASE " + " ".join(f"WHEN av.{c} IS NOT NULL THEN {k}" for k, c in enumerate(_ITEM_COLUMNS, 1)) + " ELSE 0 END"
_ITEM_ID = f"coalesce({', '.join(f'av.{c}' for c in _ITEM_COLUMNS)}, 0)"

# Each table's rows of a layer: (name, SELECT ... FROM ... JOIN ..., ORDER BY, the
# document column, the annotator column). Every row starts (document id, annotator id).
_STREAMS = (
    ("status", "SELECT st.document_id, st.annotator_id, st.status FROM document_status st", "st.document_id",
     "st.document_id", "st.annotator_id"),
    ("events", "SELECT e.document_id, e.annotator_id, e.uid, e.type, e.trigger_start, e.trigger_end, e.id "
               "FROM events e", "e.document_id, e.trigger_start, e.trigger_end, e.type, e.uid",
     "e.document_id", "e.annotator_id"),
    ("claims", 'SELECT c.document_id, c.annotator_id, c.uid, c.start, c."end", c.id FROM claims c',
     'c.document_id, c.start, c."end", c.uid', "c.document_id", "c.annotator_id"),
    ("blocks", "SELECT b.doc_a_id, b.annotator_id, t.uid, b.a_start, b.a_end, b.b_start, b.b_end "
               "FROM alignment_blocks b JOIN documents t ON b.doc_b_id = t.id", "b.doc_a_id, t.uid, b.position",
     "b.doc_a_id", "b.annotator_id"),
    ("crossings", "SELECT x.doc_a_id, x.annotator_id, t.uid, x.a_start, x.a_end, x.b_start, x.b_end "
                  "FROM alignment_crossings x JOIN documents t ON x.doc_b_id = t.id", "x.doc_a_id, t.uid, x.a_start",
     "x.doc_a_id", "x.annotator_id"),
    ("links", 'SELECT src.document_id, src.annotator_id, src.uid, t.uid, dst.uid, src.start, src."end" '
              "FROM span_links l JOIN spans src ON l.source_span_id = src.id "
              "JOIN spans dst ON l.target_span_id = dst.id JOIN documents t ON dst.document_id = t.id",
     'src.document_id, src.start, src."end", src.uid, t.uid, dst.uid', "src.document_id", "src.annotator_id"),
    ("fragments", 'SELECT f.document_id, f.annotator_id, s.uid, f.start, f."end" '
                  "FROM span_fragments f JOIN spans s ON f.span_id = s.id", "f.document_id, f.span_id, f.position",
     "f.document_id", "f.annotator_id"),
    ("members", "SELECT m.document_id, m.annotator_id, s.uid, en.uid, en.kb FROM entity_members m "
                "JOIN spans s ON m.span_id = s.id JOIN entities en ON m.entity_id = en.id", "m.document_id",
     "m.document_id", "m.annotator_id"),
    ("relations", "SELECT r.document_id, r.annotator_id, r.uid, r.type, fs.uid, ts.uid FROM relations r "
                  "JOIN spans fs ON r.from_span_id = fs.id JOIN spans ts ON r.to_span_id = ts.id",
     "r.document_id, r.id", "r.document_id", "r.annotator_id"),
    ("values", f"SELECT av.document_id, av.annotator_id, av.name, av.value, {_ITEM_KIND}, {_ITEM_ID} "
               "FROM attribute_values av", "av.document_id, av.id", "av.document_id", "av.annotator_id"),
)
# A document's translation group by its uid, found as the row is read (no table of every
# group read first: an export in parts would read it for every part).
_DOCUMENTS = ("SELECT d.id, d.uid, d.lang, d.text, d.title, d.source, g.uid FROM documents d "
              "LEFT JOIN translation_groups g ON g.id = d.group_id")
# The arguments of the events (claims) of the documents read: `{scope}` joins their owners
# when only some documents are read.
_ARGUMENTS = ("SELECT a.{owner}, a.role, s.uid, a.id FROM {table} a JOIN spans s ON a.span_id = s.id{scope} "
              "ORDER BY a.{owner}, a.position")


class _SpanLayer(NamedTuple):
    """The spans of one layer of one document as columns, in the layer index's order
    (document, annotator, start, end, label, uid): what the records are made of."""
    document_id: int
    annotator_id: int
    uids: Sequence[str]
    starts: Sequence[int]
    ends: Sequence[int]
    labels: Sequence[str]
    values: Sequence[str | None]
    notes: Sequence[str | None]
    ids: Sequence[int | None]  # row ids, for the spans' attribute values


# A span's columns, in _SpanLayer's order.
_SPAN_FIELDS = ("s.uid", "s.start", 's."end"', "s.label", "s.value", "s.note", "s.id")
_SPAN_ROWS = f"SELECT s.document_id, s.annotator_id, {', '.join(_SPAN_FIELDS)} FROM spans s"
# Ordered as ix_spans_layer is, so no sort is needed: a layer's spans come out in the
# same order as by (document, start, end, label, uid), which is what the records keep.
_SPAN_ORDER = 's.document_id, s.annotator_id, s.start, s."end", s.label, s.uid'
_layer_key = itemgetter(0, 1)


def _span_rows(query: Query, conditions: list[str], _docs_in: list[str]) -> Iterator[_SpanLayer]:
    """A row per span (any database), each layer's made columns."""
    for (doc_id, ann_id), rows in groupby(query(_select(_SPAN_ROWS, _SPAN_ORDER, conditions)), key=_layer_key):
        _doc, _ann, uids, starts, ends, labels, values, notes, ids = zip(*rows)
        yield _SpanLayer(doc_id, ann_id, uids, starts, ends, labels, values, notes, ids)


def _span_arrays(query: Query, conditions: list[str], docs_in: list[str]) -> Iterator[_SpanLayer]:
    """SQLite: a row per layer, each column a JSON array SQLite builds while it walks the
    layer index (json_group_array adds in the order the rows come, the index's: the
    editor reads a layer so, store.queries.layer_columns). One row and a few values a
    layer instead of nine a span: the driver's work per row and per value (a Python
    object each, Python's lock handed back and forth) was most of an export's reading.
    Value and note (which need the table row, not only the index) and the row ids (for
    attribute values) are read only when some span has one."""
    scope = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    (notes,), = query(f"SELECT EXISTS (SELECT 1 FROM spans s{scope}{' AND' if scope else ' WHERE'} "
                      "(s.value IS NOT NULL OR s.note IS NOT NULL))")
    (ids,), = query("SELECT EXISTS (SELECT 1 FROM attribute_values WHERE span_id IS NOT NULL"
                    + "".join(f" AND document_id{d}" for d in docs_in) + ")")
    fields = _SPAN_FIELDS[:4] + (_SPAN_FIELDS[4:6] if notes else ()) + (_SPAN_FIELDS[6:] if ids else ())
    arrays = ", ".join(f"json_group_array({f})" for f in fields)
    loads = orjson.loads
    for doc_id, ann_id, *found in query(f"SELECT s.document_id, s.annotator_id, {arrays} FROM spans s INDEXED BY "
                                        f"ix_spans_layer{scope} GROUP BY s.document_id, s.annotator_id "
                                        "ORDER BY s.document_id, s.annotator_id"):
        uids, starts, ends, labels, *more = map(loads, found)
        none = [None] * len(uids)
        values, notes_ = (more[0], more[1]) if notes else (none, none)
        yield _SpanLayer(doc_id, ann_id, uids, starts, ends, labels, values, notes_, more[-1] if ids else none)


# The annotators with a layer on at least one document (store.layers): a span, event,
# claim, alignment, or a status past "todo".
LAYER_ANNOTATORS = ("SELECT name FROM annotators WHERE id IN (SELECT annotator_id FROM spans "
                    "UNION SELECT annotator_id FROM events UNION SELECT annotator_id FROM claims "
                    "UNION SELECT annotator_id FROM alignment_blocks "
                    "UNION SELECT annotator_id FROM document_status WHERE status <> 'todo') ORDER BY name")


def layer_annotators(query: Query) -> list[str]:
    """Names of the annotators that have a layer on at least one document, sorted."""
    return [name for (name,) in query(LAYER_ANNOTATORS)]


def has_gold_layer(query: Query) -> bool:
    return GOLD_ANNOTATOR in layer_annotators(query)


def _select(sql: str, order: str, conditions: list[str]) -> str:
    return f"{sql} WHERE {' AND '.join(conditions)} ORDER BY {order}" if conditions else f"{sql} ORDER BY {order}"


# What a writer makes of a layer with nothing but spans without fragments, clusters or
# attributes, and a status (most layers) instead of its record: (document id, lang,
# text, title, source, group, annotator, status, the spans' uids, starts, ends,
# labels, values, notes) -> it (gold JSONL: the line, gold_jsonl.plain_line).
PlainLayer = Callable[[str, str, str, str | None, str | None, str | None, str | None, str, Sequence[str],
                       Sequence[int], Sequence[int], Sequence[str], Sequence[str | None], Sequence[str | None]], bytes]


@overload
def iter_records(query: Query, annotator: str | None = None, document_ids: list[int] | None = None,
                 sqlite: bool = False, plain: None = None, documents: tuple[int, int] | None = None
                 ) -> Iterator[DocumentRecord]: ...


@overload
def iter_records(query: Query, annotator: str | None = None, document_ids: list[int] | None = None,
                 sqlite: bool = False, *, plain: PlainLayer, documents: tuple[int, int] | None = None
                 ) -> Iterator[DocumentRecord | bytes]: ...


def iter_records(query: Query, annotator: str | None = None, document_ids: list[int] | None = None,
                 sqlite: bool = False, plain: PlainLayer | None = None, documents: tuple[int, int] | None = None
                 ) -> Iterator[DocumentRecord | bytes]:
    """Every document's record of every layer (or of `annotator`'s only), in document
    order, each document's layers in the order of their annotators' names. `sqlite`:
    the spans are read as SQLite's JSON arrays (_span_arrays), else a row each; the
    records are the same. `plain`: what is given for a plain layer instead of its
    record (its line, made from the columns). `documents`: only those whose row id is in
    this range (first, last), a part of a split export (store.forked_reads)."""
    names: dict[int | None, str] = {i: n for i, n in query("SELECT id, name FROM annotators")}
    only: int | None = None
    if annotator is not None:
        only = next((i for i, n in names.items() if n == annotator), -1)
    docs_in = [f" IN ({', '.join(str(int(i)) for i in document_ids)})"] if document_ids is not None else []
    if documents is not None:
        docs_in.append(f" BETWEEN {int(documents[0])} AND {int(documents[1])}")

    def where(doc_col: str, ann_col: str) -> list[str]:
        conditions = [f"{ann_col} = {int(only)}"] if only is not None else []
        return conditions + [doc_col + d for d in docs_in]

    spans = (_span_arrays if sqlite else _span_rows)(query, where("s.document_id", "s.annotator_id"), docs_in)
    named = [("spans", _Stream(spans))]
    named += [(name, _Stream(query(_select(sql, order, where(*columns))))) for name, sql, order, *columns in _STREAMS]
    event_args = _arguments(query, "event_arguments", "event_id", "events", docs_in)
    claim_args = _arguments(query, "claim_arguments", "claim_id", "claims", docs_in)
    named = [(name, st) for name, st in named if not st.empty]
    for row in query(_select(_DOCUMENTS, "d.id", ["d.id" + d for d in docs_in])):
        doc = _Doc(*row)
        per: dict[int | None, dict[str, list[_AnyRow]]] = {}
        ended = False
        for name, st in named:
            rows = st.take(doc.id)
            if not rows:
                ended = ended or st.empty
                continue
            if rows[0][1] == rows[-1][1]:  # one layer's rows: the usual case, taken whole
                per.setdefault(rows[0][1], {})[name] = rows
                continue
            for row in rows:  # several layers: each keeps its rows' order
                per.setdefault(row[1], {}).setdefault(name, []).append(row)
        if ended:  # a stream with no row left is not asked again
            named = [(name, st) for name, st in named if not st.empty]
        if only is not None:
            layer_ids: list[int | None] = [only]
        elif len(per) > 1:
            layer_ids = sorted(per, key=names.__getitem__)
        else:
            layer_ids = list(per) or [None]
        for ann in layer_ids:
            yield _record(doc, names.get(ann), per.get(ann, {}), event_args, claim_args, plain)


def _arguments(query: Query, table: str, owner: str, owners: str, docs_in: list[str]
               ) -> dict[int, list[tuple[int, ArgumentRecord]]]:
    """The arguments of every event (or claim) of the documents read, with their row ids,
    by owner row id."""
    scope = (f" JOIN {owners} o ON a.{owner} = o.id WHERE " + " AND ".join(f"o.document_id{d}" for d in docs_in)
             if docs_in else "")
    out: dict[int, list[tuple[int, ArgumentRecord]]] = defaultdict(list)
    for owner_id, role, span_uid, arg_id in query(_ARGUMENTS.format(table=table, owner=owner, scope=scope)):
        out[owner_id].append((arg_id, ArgumentRecord(role, span_uid)))
    return out


# Where an attribute value of a layer belongs: (kind, row id), kind 0 the document (row
# id 0), 1 to 5 a span, event, claim, event argument, claim argument (store.attributes).
_Key = tuple[int, int | None]


def _values(rows: list[_AnyRow]) -> dict[_Key, list[tuple[str, Any]]]:
    """A layer's attribute values by (kind, row id), in the order they were written."""
    out: dict[_Key, list[tuple[str, Any]]] = defaultdict(list)
    for r in rows:
        out[(r[4], r[5])].append((r[2], orjson.loads(r[3])))
    return out


_SPANS_AND_STATUS = frozenset(("spans", "status"))
_NO_SPANS = _SpanLayer(0, 0, (), (), (), (), (), (), ())


def _plain_spans(text: str, sp: _SpanLayer) -> tuple[SpanRecord, ...]:
    """A layer's spans without fragments, clusters or attributes (most spans), made in
    one pass of map() over the columns: no Python frame per span but plain_span's."""
    return tuple(map(plain_span, sp.uids, sp.starts, sp.ends, sp.labels, map(text.__getitem__, map(slice, sp.starts, sp.ends)),
                     sp.values, sp.notes))


class _Doc(NamedTuple):
    """A document's row, by name."""
    id: int
    uid: str
    lang: str
    text: str
    title: str | None
    source: str | None
    group: str | None  # its translation group's uid


def _record(doc: _Doc, annotator: str | None,
            layer: dict[str, list[_AnyRow]], event_args: dict[int, list[tuple[int, ArgumentRecord]]],
            claim_args: dict[int, list[tuple[int, ArgumentRecord]]], plain: PlainLayer | None = None
            ) -> DocumentRecord | bytes:
    text = doc.text
    found = layer.get("spans")
    sp = cast(_SpanLayer, found[0]) if found else _NO_SPANS
    if layer.keys() <= _SPANS_AND_STATUS:  # most layers: only spans and a status to read
        status = layer["status"][0][2] if "status" in layer else "todo"
        if plain is not None:
            return plain(doc.uid, doc.lang, text, doc.title, doc.source, doc.group, annotator, status,
                         sp.uids, sp.starts, sp.ends, sp.labels, sp.values, sp.notes)
        return plain_record(doc.uid, doc.lang, text, doc.title, doc.source, _plain_spans(text, sp),
                            doc.group, annotator, status)
    values = _values(layer["values"]) if layer.get("values") else {}
    frags: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for r in layer.get("fragments", ()):
        frags[r[2]].append((r[3], r[4]))
    member = {r[2]: r[3] for r in layer.get("members", ())}
    kbs = {r[3]: r[4] for r in layer.get("members", ())}

    def attrs(kind: int, row_id: int | None) -> tuple[tuple[str, Any], ...]:
        return tuple(values.get((kind, row_id), ())) if values else ()

    def args(found: list[tuple[int, ArgumentRecord]], kind: int) -> tuple[ArgumentRecord, ...]:
        if not values:
            return tuple(a for _i, a in found)
        return tuple(ArgumentRecord(a.role, a.span, attrs(kind, i)) for i, a in found)

    if frags or member or values:
        spans = tuple(SpanRecord(uid, start, end, label, text[start:end], value, note, tuple(frags.get(uid, ())),
                                 member.get(uid), attrs(1, row_id))
                      for uid, start, end, label, value, note, row_id in zip(*sp[2:]))
    else:
        spans = _plain_spans(text, sp)
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
                          events=events, claims=claims, group=doc.group, alignments=alignments,
                          links=links, annotator=annotator, status=status, relations=relations, entities=entities,
                          attributes=attrs(0, 0))
