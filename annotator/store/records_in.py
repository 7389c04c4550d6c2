"""Gold records in and out of the store, in bulk, with Core statements (ORM objects are
an order of magnitude slower for this; see bench/).

RecordWriter (and write_records, all at once) is all-or-nothing: it writes batch by
batch in the caller's single transaction and raises before commit on any inconsistency,
so a failed (or cancelled) import leaves the project unchanged.
(Incoming, the records' type, lives in core.incoming; it is named here too.)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import attrgetter
from typing import Any

from sqlalchemy import Connection, CursorResult, select

from annotator.core.errors import InputError
from annotator.core.ids import new_id
from annotator.core.incoming import Incoming
from annotator.core.places import Places
from annotator.core.records import ArgumentRecord, Attributes, DocumentRecord, SpanColumns, SpanRecord, layer_signature
from annotator.store import span_counts
from annotator.store.attributes import encode
from annotator.store.bulk_rows import insert_rows
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
from annotator.store.project import annotator_id
from annotator.store.records_out import iter_records
from annotator.store.search import index_documents
from annotator.store.span_indexes import SpanIndexes

__all__ = ["ImportReport", "Incoming", "RecordWriter", "write_records"]


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)  # document ids
    layers: list[tuple[str, str]] = field(default_factory=list)  # (document id, annotator) into existing docs
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (where, existing document id)
    layer_count: int = 0  # layers written, into new and existing documents
    warnings: list[str] = field(default_factory=list)  # "where: message", printed and counted
    notes: list[str] = field(default_factory=list)  # what the readers decided, printed


# The columns of the rows the writer builds as tuples (the database fills ids and times).
_DOCUMENT_COLUMNS = ("uid", "title", "lang", "text", "length", "source", "checksum")
_SPAN_COLUMNS = ("uid", "document_id", "annotator_id", "start", "end", "label", "value", "note")
# On SQLite the writer binds the spans' times itself (span_counts.created_stamp), as the
# columns' default would write them: the hour each is counted under is then known.
_STAMPED_SPAN_COLUMNS = (*_SPAN_COLUMNS, "created_at", "updated_at")


def existing_layers(conn: Connection) -> set[tuple[str, str]]:
    """(document id, annotator) of every layer in the project: anything an annotator wrote
    (spans, events, claims, alignments; links hang on spans) or a status."""
    layered: set[tuple[str, str]] = set()
    table: type[Span | DocumentStatus | Event | Claim | AlignmentBlock | AttributeValue]
    for table, doc_col in ((Span, Span.document_id), (DocumentStatus, DocumentStatus.document_id),
                           (Event, Event.document_id), (Claim, Claim.document_id),
                           (AlignmentBlock, AlignmentBlock.doc_a_id), (AttributeValue, AttributeValue.document_id)):
        layered.update(conn.execute(select(Document.uid, Annotator.name).select_from(table)
                                    .join(Document, doc_col == Document.id)
                                    .join(Annotator, table.annotator_id == Annotator.id).distinct()).all())
    return layered


def write_records(conn: Connection, items: list[Incoming]) -> ImportReport:
    """Write `items` (checked records) in the caller's transaction; see RecordWriter."""
    with span_counts.appended(conn) as counts:
        writer = RecordWriter(conn, counts=counts)
        writer.write(items)
        writer.finish()
    return writer.report


class RecordWriter:
    """Writes checked records batch by batch in the caller's one transaction, so an import
    reads, checks and writes a piece of its input at a time and its memory does not grow
    with the corpus but for a few small objects a document: the digest of its text, its
    row id (under the id string the record brought), the layer this import gave it and
    where that came from (a packed place), the span ids renamed on a clash. Records with
    alignments or links (which may name documents of later batches) keep their layer
    until finish(), which writes them once every document has a row (so do records marked
    `defer`, whose checks wait for the end of their file).

    Call write() for each batch in input order, then finish(); any InputError leaves the
    rows written so far to the caller's rollback. With `bulk`, the spans table's indexes
    are set aside while the spans are loaded into a table that held few
    (store/span_indexes.py) and built again by end_load() (or finish()), or before the
    first read of spans by id or layer that a batch needs."""

    def __init__(self, conn: Connection, bulk: bool = False, counts: span_counts.Appended | None = None) -> None:
        self.conn = conn
        self.counts = counts  # given: the spans written are counted from the records (store/span_counts.py)
        self.span_indexes = SpanIndexes(conn)
        if bulk:
            self.span_indexes.set_aside()
        self.report = ImportReport()
        self.by_checksum: dict[bytes, str] = {bytes.fromhex(checksum): uid for checksum, uid in
                                              conn.execute(select(Document.checksum, Document.uid))}
        self.uid_to_id: dict[str, int] = dict(conn.execute(select(Document.uid, Document.id)).all())
        self.before = frozenset(self.uid_to_id)  # documents in the project before this import
        self.layered = existing_layers(conn)
        self.added_layers: dict[tuple[str, str], int | str] = {}  # (document id, annotator) -> where, in this import
        self.places = Places()  # the `where` of added_layers, packed
        self.annotators: dict[str | None, int] = {}
        self.renamed: dict[str, dict[str, str]] = {}  # document uid -> {span id in the file: id stored}, clashes only
        self.deferred: list[tuple[Incoming, str]] = []  # layers with alignments or links, written by finish()

    def write(self, items: list[Incoming]) -> None:
        conn, report = self.conn, self.report
        by_checksum, uid_to_id, added_layers = self.by_checksum, self.uid_to_id, self.added_layers
        again: list[tuple[Incoming, str]] = []  # layers the project has already: same or refused
        new_docs: list[tuple[str, str | None, str, str, int, str | None, str]] = []  # _DOCUMENT_COLUMNS
        layers: list[tuple[Incoming, str]] = []  # (item, document uid) whose annotations to write
        new_records: list[DocumentRecord] = []  # of new_docs
        reserved: set[str] = set()  # uids of the documents this batch adds, until they have a row
        for item in items:
            rec = item.record
            digest = rec.digest  # the SHA-256 of the text, computed once (the record keeps it)
            existing = by_checksum.get(digest)
            if existing is not None:
                key = (existing, rec.annotator or "")  # used only where the record has an annotator
                if not (rec.has_layer and rec.annotator):
                    report.duplicates.append((item.where, existing))
                elif key in added_layers:
                    raise InputError(item.where, None, f"{rec.annotator}'s layer of document {existing!r} (the same "
                                                       "text) is already in this import, at "
                                                       f"{self.places.unpack(added_layers[key])}")
                elif key in self.layered:
                    again.append((item, existing))
                else:
                    layers.append((item, existing))
                    added_layers[key] = self.places.pack(item.where)
                    report.layer_count += 1
                    if existing in self.before:  # in the project before this import
                        report.layers.append(key)
                continue
            uid = rec.id
            if uid in uid_to_id or uid in reserved:
                if not item.rename_on_clash:
                    raise InputError(item.where, "$.id",
                                     f"document id {uid!r} is already used by a document with another text")
                n = 2
                while f"{rec.id}-{n}" in uid_to_id or f"{rec.id}-{n}" in reserved:
                    n += 1
                uid = f"{rec.id}-{n}"
            reserved.add(uid)  # its row id is known after the insert
            by_checksum[digest] = uid
            new_docs.append((uid, rec.title, rec.lang, rec.text, len(rec.text), rec.source, rec.checksum))
            new_records.append(rec)
            report.added.append(uid)
            if rec.has_layer or rec.group:
                layers.append((item, uid))
                if rec.annotator and rec.has_layer:
                    added_layers[(uid, rec.annotator)] = self.places.pack(item.where)
                    report.layer_count += 1
        if again:
            self.end_load()  # the stored layers are read by document and layer
        _same_layers_only(conn, again, uid_to_id, report)
        if new_docs:
            insert_rows(conn, "documents", _DOCUMENT_COLUMNS, new_docs)
            uids = [d[0] for d in new_docs]
            stored = _ids_of_new(conn, uids)
            new_ids = {uid: stored[uid] for uid in uids}  # keyed by the record's strings, not a copy from the rows
            uid_to_id.update(new_ids)
            index_documents(conn, list(new_ids.values()), new=True,  # same transaction
                            folded=[(new_ids[d[0]], *rec.folded) for d, rec in zip(new_docs, new_records, strict=True)])
        now = [(it, uid) for it, uid in layers if not (it.defer or it.record.alignments or it.record.links)]
        self.deferred.extend((it, uid) for it, uid in layers if it.defer or it.record.alignments or it.record.links)
        self._write_layers(now)

    def finish(self) -> None:
        """Write the layers kept for last (those with alignments or links)."""
        self.end_load()
        deferred, self.deferred = self.deferred, []
        self._write_layers(deferred)

    def end_load(self) -> None:
        """The spans' indexes set aside built again (store/span_indexes.py), and the ids
        of spans an older row held recorded as renamed: before spans are read by id or
        by layer (a link's target, a reference's check). Nothing when none is set aside."""
        for doc, original, new in self.span_indexes.restore():
            self.renamed.setdefault(doc, {})[original] = new

    def _write_layers(self, layers: list[tuple[Incoming, str]]) -> None:
        if layers:
            _write_groups(self.conn, layers, self.uid_to_id)
            _write_layers(self.conn, layers, self.uid_to_id, self.annotators, self.renamed, self, self.counts)


def _in_chunks(conn: Connection, sql: str, values: list[Any]) -> Iterator[tuple[Any, ...]]:
    """Rows of `sql` (with one `IN ({})`) for `values`, a chunk at a time: a plain
    statement with `?` marks, since compiling a 10,000-value IN list costs more than the
    lookups."""
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"  # SQLite's marks, or psycopg's on a server
    for i in range(0, len(values), 10000):  # stay under SQLite's bound-parameter limit
        chunk = values[i:i + 10000]
        yield from conn.exec_driver_sql(sql.format(", ".join([mark] * len(chunk))), tuple(chunk))


def _ids_of_new(conn: Connection, uids: list[str]) -> dict[str, int]:
    return dict(_in_chunks(conn, "SELECT uid, id FROM documents WHERE uid IN ({})", uids))


def _same_layers_only(conn: Connection, again: list[tuple[Incoming, str]], uid_to_id: dict[str, int],
                      report: ImportReport) -> None:
    """A layer the project already has is skipped when it says the same (a file imported
    twice) and refused when it differs: adding to it would mix two versions of one layer."""
    by_annotator: dict[str | None, list[tuple[Incoming, str]]] = {}
    for item, uid in again:
        by_annotator.setdefault(item.record.annotator, []).append((item, uid))
    for annotator, pairs in by_annotator.items():
        stored: dict[str, tuple[object, ...]] = {}
        doc_ids = sorted({uid_to_id[uid] for _it, uid in pairs})
        for i in range(0, len(doc_ids), 500):
            stored.update((r.id, layer_signature(r)) for r in
                          iter_records(conn, annotator=annotator, document_ids=doc_ids[i:i + 500]))
        for item, uid in pairs:
            if stored.get(uid) != layer_signature(item.record):
                raise InputError(item.where, None, f"document {uid!r} already has {annotator}'s layer, and this one "
                                                   "differs: importing never adds to or changes a layer; import it "
                                                   "under another annotator name, or delete that layer first")
            report.duplicates.append((item.where, uid))


def _write_groups(conn: Connection, layers: list[tuple[Incoming, str]], uid_to_id: dict[str, int]) -> None:
    wanted = {it.record.group for it, _ in layers if it.record.group}
    if not wanted:
        return
    groups = dict(conn.execute(select(TranslationGroup.uid, TranslationGroup.id)).all())
    missing = sorted(wanted - groups.keys())
    if missing:
        conn.execute(TranslationGroup.__table__.insert(), [{"uid": g} for g in missing])
        groups = dict(conn.execute(select(TranslationGroup.uid, TranslationGroup.id)).all())
    for it, uid in layers:
        if it.record.group:
            conn.execute(Document.__table__.update().where(Document.id == uid_to_id[uid])
                         .values(group_id=groups[it.record.group]))


def _insert_spans(conn: Connection, rows: list[tuple[Any, ...]], layers: list[tuple[Incoming, str]],
                  remaps: list[dict[str, str]], renamed: dict[str, dict[str, str]], writer: RecordWriter) -> None:
    """Insert the span rows (in _SPAN_COLUMNS' order) of `layers`, all new layers. A span
    id names one span: a row whose id the project (or an earlier row) already uses is
    skipped by the insert itself and written again under a new id, which its layer's
    remap, `renamed` and `rows` record. Letting the unique index find them costs nothing
    more than the insert; looking each id up first was a second probe of that index per
    span (on 2,000,000 spans, an index larger than the page cache). While the writer's
    load has the unique index set aside, every row is inserted and end_load() renames."""
    columns = _SPAN_COLUMNS if not rows or len(rows[0]) == len(_SPAN_COLUMNS) else _STAMPED_SPAN_COLUMNS
    if writer.span_indexes.unique_held:
        insert_rows(conn, "spans", columns, rows)
        return
    if not rows or insert_rows(conn, "spans", columns, rows, skip_taken="uid") == len(rows):
        return
    writer.end_load()  # (nothing set aside here: the unique index refused some ids)
    # Some ids were taken (or a server did not say how many rows it took): which, and whose.
    owners = [(remap, uid, s.id) for (it, uid), remap in zip(layers, remaps) if it.record.annotator
              for s in it.record.spans]  # the rows' order
    pending = list(range(len(rows)))
    while pending:
        stored = _layer_span_keys(conn, [rows[i] for i in pending])
        pending = [i for i in pending if rows[i][:3] not in stored]
        for i in pending:
            remap, doc, original = owners[i]
            sid = remap[original] = renamed.setdefault(doc, {})[original] = new_id("s")
            rows[i] = (sid, *rows[i][1:])
        insert_rows(conn, "spans", columns, [rows[i] for i in pending], skip_taken="uid")


def _layer_span_keys(conn: Connection, rows: list[tuple[Any, ...]]) -> set[tuple[str, int, int]]:
    """(uid, document_id, annotator_id) of the stored spans of the layers of `rows`."""
    doc_ids = sorted({r[1] for r in rows})
    ann_ids = sorted({r[2] for r in rows})
    out: set[tuple[str, int, int]] = set()
    for i in range(0, len(doc_ids), 10000):  # stay under SQLite's bound-parameter limit
        stmt = select(Span.uid, Span.document_id, Span.annotator_id).where(
            Span.document_id.in_(doc_ids[i : i + 10000]), Span.annotator_id.in_(ann_ids))
        out.update((uid, doc, ann) for uid, doc, ann in conn.execute(stmt))
    return out


def _write_layers(conn: Connection, layers: list[tuple[Incoming, str]], uid_to_id: dict[str, int],
                  annotators: dict[str | None, int], renamed: dict[str, dict[str, str]],
                  writer: RecordWriter, counts: span_counts.Appended | None) -> None:
    """The layers' annotations, for `writer` (whose load ends before a batch that reads
    spans back: store/span_indexes.py); the spans inserted are counted into `counts`
    when given."""
    stamp = span_counts.created_stamp() if conn.dialect.name == "sqlite" else None
    span_rows: list[tuple[Any, ...]] = []  # _SPAN_COLUMNS, or _STAMPED_SPAN_COLUMNS with a stamp
    layer_spans: list[tuple[int, int, Sequence[SpanRecord]]] = []  # (document id, annotator id, spans)
    status_rows: list[tuple[int, int, str]] = []
    event_rows: list[_WithArguments] = []
    claim_rows: list[_WithArguments] = []
    remaps: list[dict[str, str]] = []
    for it, uid in layers:
        rec = it.record
        remap: dict[str, str] = {}
        remaps.append(remap)
        if not rec.annotator:
            if rec.spans or rec.events or rec.claims or rec.alignments or rec.links:
                raise InputError(it.where, "$.annotator", "annotations need an annotator name")
            continue
        ann = annotators.get(rec.annotator) or annotators.setdefault(rec.annotator, annotator_id(conn, rec.annotator))
        doc_id = uid_to_id[uid]
        spans: Sequence[SpanRecord] = rec.spans
        if type(spans) is SpanColumns:  # from the reading process: its columns are the rows' (read_ahead)
            ids = spans.ids
            remap.update(zip(ids, ids))
            doc, who = repeat(doc_id), repeat(ann)
            if stamp is None:
                span_rows.extend(zip(ids, doc, who, spans.starts, spans.ends, spans.labels, spans.values, spans.notes))
            else:
                span_rows.extend(zip(ids, doc, who, spans.starts, spans.ends, spans.labels, spans.values, spans.notes,
                                     repeat(stamp), repeat(stamp)))
            layer_spans.append((doc_id, ann, spans))
        elif spans:
            for s in spans:
                remap[s.id] = s.id
            if stamp is None:
                span_rows.extend([(s.id, doc_id, ann, s.start, s.end, s.label, s.value, s.note) for s in spans])
            else:
                span_rows.extend([(s.id, doc_id, ann, s.start, s.end, s.label, s.value, s.note, stamp, stamp)
                                  for s in spans])
            layer_spans.append((doc_id, ann, spans))
        for e in rec.events:
            event_rows.append(({"uid": e.id, "document_id": doc_id, "annotator_id": ann, "type": e.type,
                                "trigger_start": e.trigger_start, "trigger_end": e.trigger_end}, e.arguments, remap,
                               e.attributes))
        for c in rec.claims:
            claim_rows.append(({"uid": c.id, "document_id": doc_id, "annotator_id": ann,
                                "start": c.start, "end": c.end}, c.arguments, remap, c.attributes))
        if rec.status != "todo":
            status_rows.append((doc_id, ann, rec.status))
    # Arguments, links and what issue 14 hangs on spans refer to spans by row id.
    depth = any(_has_depth(it.record) for it, _ in layers)
    needs_ids = (depth or any(args for _row, args, _remap, _a in event_rows + claim_rows)
                 or any(it.record.links for it, _ in layers))
    if needs_ids:
        writer.end_load()  # the ids are read back, and each must name one span
    first = span_counts.last_span_id(conn) + 1 if counts is not None and span_rows else 0
    _insert_spans(conn, span_rows, layers, remaps, renamed, writer)
    if first:
        assert counts is not None and stamp is not None
        _count_spans(conn, counts, first, layer_spans, len(span_rows), stamp)
    if status_rows:
        insert_rows(conn, "document_status", ("document_id", "annotator_id", "status"), status_rows)
    span_ids = _span_ids(conn, span_rows) if needs_ids else {}
    values: list[dict[str, Any]] = []
    _write_with_arguments(conn, Event, EventArgument, "event_id", event_rows, span_ids, "e", values)
    _write_with_arguments(conn, Claim, ClaimArgument, "claim_id", claim_rows, span_ids, "c", values)
    _write_alignments_and_links(conn, layers, remaps, uid_to_id, annotators, span_ids, renamed)
    if depth:
        _write_depth(conn, layers, remaps, uid_to_id, annotators, span_ids, values)
    if values:  # one statement for all: every row names every item column
        items = dict.fromkeys(("span_id", "event_id", "claim_id", "event_argument_id", "claim_argument_id"))
        conn.execute(AttributeValue.__table__.insert(), [items | v for v in values])


_LABEL = attrgetter("label")


def _count_spans(conn: Connection, counts: span_counts.Appended, first: int,
                 layer_spans: list[tuple[int, int, Sequence[SpanRecord]]], rows: int, stamp: str) -> None:
    """Give `counts` the counts of the `rows` spans just inserted from `layer_spans`, if
    they are the rows with ids first.. and no others (SQLite numbers new rows on from the
    largest id; anything else is left to be counted by range)."""
    last = span_counts.last_span_id(conn)
    if last - first + 1 != rows:
        return
    langs = dict(_in_chunks(conn, "SELECT id, lang FROM documents WHERE id IN ({})",
                            sorted({doc for doc, _ann, _spans in layer_spans})))
    labels: Counter[tuple[int, str, str]] = Counter()
    layers: dict[tuple[int, int], int] = {}
    hours: Counter[tuple[int, str]] = Counter()
    hour = stamp[:13]  # as span_counts' triggers cut created_at
    for doc, ann, spans in layer_spans:
        layers[(doc, ann)] = layers.get((doc, ann), 0) + len(spans)
        hours[(ann, hour)] += len(spans)
        lang = langs[doc]
        for label, n in Counter(spans.labels if type(spans) is SpanColumns else map(_LABEL, spans)).items():
            labels[(ann, lang, label)] += n
    counts.counted(first, last, labels, layers, hours)


def _has_depth(rec: DocumentRecord) -> bool:
    spans: Sequence[SpanRecord] = rec.spans  # SpanColumns hold plain spans only
    return bool(rec.relations or rec.entities or rec.attributes
                or (type(spans) is not SpanColumns and any(s.fragments or s.attributes for s in spans)))


def _write_depth(conn: Connection, layers: list[tuple[Incoming, str]], remaps: list[dict[str, str]],
                 uid_to_id: dict[str, int], annotators: dict[str | None, int], span_ids: dict[str, int],
                 values: list[dict[str, Any]]) -> None:
    """Fragments, clusters and members, relations, and the attribute values of spans and
    documents (those of events, claims and arguments are added to `values` with them)."""
    fragment_rows: list[dict[str, Any]] = []
    member_rows: list[dict[str, Any]] = []
    relation_rows: list[dict[str, Any]] = []
    entity_ids: dict[tuple[int, str], int] = {}
    taken_relations = set(conn.scalars(select(Relation.uid))) if any(it.record.relations for it, _ in layers) else set()
    for (it, uid), remap in zip(layers, remaps):
        rec = it.record
        if not rec.annotator:
            continue
        ann, doc_id = annotators[rec.annotator], uid_to_id[uid]
        kb = {e.id: e.kb for e in rec.entities}
        for e in rec.entities:
            if (ann, e.id) in entity_ids:
                continue
            found = conn.execute(select(Entity.id, Entity.kb).where(Entity.annotator_id == ann,
                                                                   Entity.uid == e.id)).first()
            if found is not None and found[1] != e.kb:
                raise InputError(it.where, "$.entities", f"{rec.annotator}'s entity {e.id!r} is {found[1]} in the "
                                                         f"project, {e.kb} here; one cluster has one knowledge-base id")
            if found is None:
                conn.execute(Entity.__table__.insert().values(uid=e.id, annotator_id=ann, kb=kb[e.id]))
                found = conn.execute(select(Entity.id, Entity.kb).where(Entity.annotator_id == ann,
                                                                       Entity.uid == e.id)).one()
            entity_ids[(ann, e.id)] = found[0]
        for s in rec.spans:
            sid = span_ids[remap[s.id]] if (s.fragments or s.entity or s.attributes) else 0
            fragment_rows += [{"span_id": sid, "document_id": doc_id, "annotator_id": ann, "position": i,
                               "start": a, "end": b} for i, (a, b) in enumerate(s.fragments)]
            if s.entity is not None:
                member_rows.append({"entity_id": entity_ids[(ann, s.entity)], "span_id": sid, "document_id": doc_id,
                                    "annotator_id": ann})
            values += [{"document_id": doc_id, "annotator_id": ann, "span_id": sid, "name": k, "value": encode(v)}
                       for k, v in s.attributes]
        for r in rec.relations:
            rid = r.id if r.id not in taken_relations else new_id("r")
            taken_relations.add(rid)
            relation_rows.append({"uid": rid, "document_id": doc_id, "annotator_id": ann, "type": r.type,
                                  "from_span_id": span_ids[remap[r.from_span]], "to_span_id": span_ids[remap[r.to_span]]})
        values += [{"document_id": doc_id, "annotator_id": ann, "name": k, "value": encode(v)} for k, v in rec.attributes]
    for model, rows in ((SpanFragment, fragment_rows), (EntityMember, member_rows), (Relation, relation_rows)):
        if rows:
            conn.execute(model.__table__.insert(), rows)


def _span_ids(conn: Connection, span_rows: list[tuple[Any, ...]]) -> dict[str, int]:
    """Row ids of the spans just inserted (rows in _SPAN_COLUMNS' order), by uid: read by
    document and annotator from the covering index (cheaper than a 30,000-value IN list
    of uids per query)."""
    wanted = {r[0] for r in span_rows}
    doc_ids = sorted({r[1] for r in span_rows})
    ann_ids = sorted({r[2] for r in span_rows})
    out: dict[str, int] = {}
    for i in range(0, len(doc_ids), 10000):  # stay under SQLite's bound-parameter limit
        stmt = select(Span.uid, Span.id).where(Span.document_id.in_(doc_ids[i : i + 10000]),
                                                Span.annotator_id.in_(ann_ids))
        out.update((uid, id_) for uid, id_ in conn.execute(stmt) if uid in wanted)
    return out


def _ids_by_uid(conn: Connection, model: type[Event | Claim], uids: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for i in range(0, len(uids), 30000):  # stay under SQLite's bound-parameter limit
        chunk = uids[i : i + 30000]
        out.update(conn.execute(select(model.uid, model.id).where(model.uid.in_(chunk))).all())
    return out


# An event or claim row to insert, its arguments, and its document's span id renames.
_WithArguments = tuple[dict[str, Any], tuple[ArgumentRecord, ...], dict[str, str], Attributes]


def _write_with_arguments(conn: Connection, model: type[Event | Claim], arg_model: type[EventArgument | ClaimArgument],
                          fk: str, rows: list[_WithArguments], span_ids: dict[str, int], prefix: str,
                          values: list[dict[str, Any]]) -> None:
    """Events or claims and their arguments; their attribute values are added to `values`."""
    if not rows:
        return
    existing = set(conn.scalars(select(model.uid)))
    for row, _args, _remap, _attrs in rows:
        if row["uid"] in existing:
            row["uid"] = new_id(prefix)
        existing.add(row["uid"])
    conn.execute(model.__table__.insert(), [r for r, _a, _m, _x in rows])
    ids = _ids_by_uid(conn, model, [r["uid"] for r, _a, _m, _x in rows])
    arg_rows = [{fk: ids[row["uid"]], "role": a.role, "span_id": span_ids[remap[a.span]], "position": i}
                for row, args, remap, _x in rows for i, a in enumerate(args)]
    if arg_rows:
        conn.execute(arg_model.__table__.insert(), arg_rows)
    if not any(attrs for _r, _a, _m, attrs in rows) and not any(a.attributes for _r, args, _m, _x in rows for a in args):
        return
    item, arg_item = ("event_id", "event_argument_id") if model is Event else ("claim_id", "claim_argument_id")
    owner_col = getattr(arg_model, fk)
    owners = [ids[row["uid"]] for row, args, _m, _x in rows if any(a.attributes for a in args)]
    arg_ids: dict[tuple[int, int], int] = {}
    for i in range(0, len(owners), 10000):
        arg_ids.update(((o, p), a) for o, p, a in conn.execute(
            select(owner_col, arg_model.position, arg_model.id).where(owner_col.in_(owners[i:i + 10000]))))
    for row, args, _m, attrs in rows:
        owner = ids[row["uid"]]
        base = {"document_id": row["document_id"], "annotator_id": row["annotator_id"]}
        values += [{**base, item: owner, "name": k, "value": encode(v)} for k, v in attrs]
        values += [{**base, arg_item: arg_ids[(owner, p)], "name": k, "value": encode(v)}
                   for p, a in enumerate(args) for k, v in a.attributes]


def _write_alignments_and_links(conn: Connection, layers: list[tuple[Incoming, str]], remaps: list[dict[str, str]],
                                uid_to_id: dict[str, int], annotators: dict[str | None, int], span_ids: dict[str, int],
                                renamed: dict[str, dict[str, str]]) -> None:
    block_rows: list[dict[str, Any]] = []
    crossing_rows: list[dict[str, Any]] = []
    link_rows: list[dict[str, Any]] = []
    # A link names its target by (document, span id as written in the file); span ids
    # that clashed were renamed, per document, so resolve through that document's renames.
    in_batch = {uid for _it, uid in layers}
    for (it, uid), remap in zip(layers, remaps):
        rec = it.record
        for i, al in enumerate(rec.alignments):
            target = uid_to_id.get(al.target)
            if target is None:
                raise InputError(it.where, f"$.alignments[{i}].target", f"unknown document {al.target!r}")
            for pos, b in enumerate(al.blocks):
                block_rows.append({"doc_a_id": uid_to_id[uid], "doc_b_id": target,
                                   "annotator_id": annotators[rec.annotator], "position": pos,
                                   "a_start": b.a_start, "a_end": b.a_end, "b_start": b.b_start, "b_end": b.b_end})
            crossing_rows.extend({"doc_a_id": uid_to_id[uid], "doc_b_id": target,
                                  "annotator_id": annotators[rec.annotator], "a_start": c.a_start, "a_end": c.a_end,
                                  "b_start": c.b_start, "b_end": c.b_end} for c in al.crossings)
        for i, lk in enumerate(rec.links):
            stored = renamed.get(lk.target_doc, {}).get(lk.target_span, lk.target_span)
            target_span = span_ids.get(stored) if lk.target_doc in in_batch else None
            if target_span is None:  # a span already in the project, or of an earlier batch
                target_span = conn.scalar(select(Span.id).join(Document, Span.document_id == Document.id)
                                          .where(Span.uid == stored, Document.uid == lk.target_doc))
            if target_span is None:
                raise InputError(it.where, f"$.links[{i}]",
                                 f"span {lk.target_span!r} of document {lk.target_doc!r} does not exist")
            link_rows.append({"source_span_id": span_ids[remap[lk.span]], "target_span_id": target_span})
    if block_rows:
        conn.execute(AlignmentBlock.__table__.insert(), block_rows)
    if crossing_rows:
        conn.execute(AlignmentCrossing.__table__.insert(), crossing_rows)
    if link_rows:
        conn.execute(SpanLink.__table__.insert(), link_rows)


def document_lengths(conn: Connection) -> dict[str, int]:
    """Text length of every document of the project, by id (for references into it)."""
    return dict(conn.execute(select(Document.uid, Document.length)).all())


def span_exists(conn: Connection, document: str, span: str) -> bool:
    return conn.scalar(select(Span.id).join(Document, Span.document_id == Document.id)
                       .where(Span.uid == span, Document.uid == document).limit(1)) is not None


def non_ascii_texts(conn: Connection) -> CursorResult[str, str, str]:
    """(document id, checksum, text) of the documents whose text is not plain ASCII, streamed."""
    if conn.dialect.name == "sqlite":
        not_ascii = Document.text.op("GLOB")("*[^\x01-\x7f]*")
    else:  # PostgreSQL: a regular expression (no GLOB there)
        not_ascii = Document.text.op("~")("[^\x01-\x7f]")
    return conn.execute(select(Document.uid, Document.checksum, Document.text).where(not_ascii)
                        .execution_options(yield_per=500))
