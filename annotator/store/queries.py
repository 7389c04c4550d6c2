"""Reads the UI and the CLI make: the document list, one document, one layer's spans,
corpus statistics. Rows, not ORM objects: they are read far more often than written."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Connection, func, select

from annotator.store.engine import driver_rows, sqlite_driver
from annotator.store.models import Annotator, Document, DocumentStatus, Span, TranslationGroup


@dataclass(frozen=True)
class DocumentRow:
    id: int
    uid: str
    title: str | None
    lang: str
    status: str
    spans: int
    group: str | None
    length: int


def list_documents(conn: Connection, annotator: str | None = None,
                   doc_ids: list[int] | None = None) -> list[DocumentRow]:
    """Every document (or those of `doc_ids`) in import order, with the status and span
    count of `annotator`'s layer (all layers when None)."""
    ann_id = _annotator_id(conn, annotator)
    span_q = select(Span.document_id, func.count().label("n")).group_by(Span.document_id)
    status_q = select(DocumentStatus.document_id, DocumentStatus.status)
    docs_q = (select(Document.id, Document.uid, Document.title, Document.lang, TranslationGroup.uid,
                     Document.length)
              .outerjoin(TranslationGroup, Document.group_id == TranslationGroup.id).order_by(Document.id))
    if ann_id is not None:
        span_q = span_q.where(Span.annotator_id == ann_id)
        status_q = status_q.where(DocumentStatus.annotator_id == ann_id)
    if doc_ids is not None:  # after an edit: only the rows that changed
        span_q = span_q.where(Span.document_id.in_(doc_ids))
        status_q = status_q.where(DocumentStatus.document_id.in_(doc_ids))
        docs_q = docs_q.where(Document.id.in_(doc_ids))
    counts = dict(conn.execute(span_q).all())
    statuses: dict[int, str] = {}
    for doc_id, status in conn.execute(status_q):
        # Across layers a document is only as far as its least advanced layer.
        statuses[doc_id] = min(statuses.get(doc_id, status), status, key=_STATUS_ORDER.index)
    rows = conn.execute(docs_q)
    return [DocumentRow(i, uid, title, lang, statuses.get(i, "todo"), counts.get(i, 0), group, length)
            for i, uid, title, lang, group, length in rows]


# (id, lang, status): what the navigator reads of every document at once; the rest of a
# row (DocumentDetails) and its span count are read for the rows on screen.
DocumentListRow = tuple[int, str, str]
# (uid, title, group uid, length)
DocumentDetails = tuple[str, str | None, str | None, int]


def document_list(conn: Connection, annotator: str | None = None,
                  doc_ids: list[int] | None = None) -> list[DocumentListRow]:
    """(id, lang, status of `annotator`'s layer) of every document (or of `doc_ids`) in
    import order. On SQLite the ids and languages come from the language index alone:
    the documents table holds the texts, and scanning it is a read of the whole corpus
    (550 MB for 100,000 documents)."""
    if doc_ids is not None and conn.dialect.name == "sqlite" and len(doc_ids) > _MANY_IDS:
        # A corpus-wide label's tens of thousands of documents: the whole list from the
        # language index (milliseconds), then filtered, rather than each document's row.
        wanted = set(doc_ids)
        return [row for row in document_list(conn, annotator) if row[0] in wanted]
    ann_id = _annotator_id(conn, annotator)
    statuses: dict[int, str] = {}
    if conn.dialect.name == "sqlite" and doc_ids is None and ann_id is not None:
        # One row per document of the layer (the key): the driver's rows as they are, at
        # start-up on 100,000 documents a third of the time of the statement below.
        statuses = dict(driver_rows(conn, "SELECT document_id, status FROM document_status WHERE annotator_id = ?",
                                     [ann_id]))
    else:
        status_q = select(DocumentStatus.document_id, DocumentStatus.status)
        if ann_id is not None:
            status_q = status_q.where(DocumentStatus.annotator_id == ann_id)
        if doc_ids is not None:
            status_q = status_q.where(DocumentStatus.document_id.in_(doc_ids))
        for doc_id, status in conn.execute(status_q):
            statuses[doc_id] = min(statuses.get(doc_id, status), status, key=_STATUS_ORDER.index)
    get = statuses.get
    if conn.dialect.name == "sqlite" and doc_ids is None:
        # One row per language, its ids as one JSON array, each run made into the rows at
        # once: a row per document through the driver cost three times as much (100,000
        # of them at start-up).
        docs: list[DocumentListRow] = []
        for lang, ids in driver_rows(
                conn, "SELECT lang, json_group_array(id) FROM documents INDEXED BY ix_documents_lang GROUP BY lang", []):
            docs.extend([(i, lang, get(i, "todo")) for i in orjson.loads(ids)])
        docs.sort()  # runs of ids, one per language: a merge
        return docs
    q = select(Document.id, Document.lang).order_by(Document.id)
    if doc_ids is not None:
        q = q.where(Document.id.in_(doc_ids))
    return [(i, lang, get(i, "todo")) for i, lang in conn.execute(q)]


def document_details(conn: Connection, doc_ids: list[int] | None) -> dict[int, DocumentDetails]:
    """{id: (uid, title, group uid, length)} of `doc_ids` (every document when None)."""
    if conn.dialect.name == "sqlite" and doc_ids is not None and len(doc_ids) <= _DRIVER_IDS:
        # A page of the navigator while it scrolls: the driver's cursor, no statement to
        # build and cache for each new number of ids.
        return {i: (uid, title, group, length) for i, uid, title, group, length in driver_rows(
            conn, "SELECT d.id, d.uid, d.title, g.uid, d.length FROM documents AS d LEFT OUTER JOIN "
                  f"translation_groups AS g ON d.group_id = g.id WHERE d.id IN ({_marks(doc_ids)})", doc_ids)}
    q = (select(Document.id, Document.uid, Document.title, TranslationGroup.uid, Document.length)
         .outerjoin(TranslationGroup, Document.group_id == TranslationGroup.id))
    if doc_ids is not None:
        q = q.where(Document.id.in_(doc_ids))
    return {i: (uid, title, group, length) for i, uid, title, group, length in conn.execute(q)}


def span_counts(conn: Connection, annotator: str | None, doc_ids: list[int] | None = None) -> dict[int, int]:
    """{document id: spans in `annotator`'s layer (every layer's when None)} for `doc_ids`
    (every document when None); documents without spans are left out. A few hundred ids
    are a walk of the layer index; all of them, a scan of it."""
    ann_id = _annotator_id(conn, annotator)
    if conn.dialect.name == "sqlite" and doc_ids is None and ann_id is not None:
        # The layer index (document, annotator, ...) alone, in document order; SQLite's own
        # choice, the index by annotator and time, visits every span's row (10 times slower).
        cursor = sqlite_driver(conn.connection).execute(
            "SELECT document_id, count(*) FROM spans INDEXED BY ix_spans_layer WHERE annotator_id = ? "
            "GROUP BY document_id", (ann_id,))
        try:
            return dict(cursor.fetchall())
        finally:
            cursor.close()
    if conn.dialect.name == "sqlite" and doc_ids is not None and ann_id is not None:
        # The counts the triggers keep (store/span_counts.py): a row per layer, where counting
        # walked the layer's index (50,000 entries for the 1 MB document, after each edit);
        # a corpus-wide label's documents a page at a time, through the driver's cursor.
        out: dict[int, int] = {}
        for i in range(0, len(doc_ids), _DRIVER_IDS):
            page = doc_ids[i:i + _DRIVER_IDS]
            out.update(driver_rows(conn, "SELECT document_id, n FROM span_counts_layer WHERE annotator_id = ? AND "
                                          f"document_id IN ({_marks(page)})", [ann_id, *page]))
        return out
    q = select(Span.document_id, func.count()).group_by(Span.document_id)
    if ann_id is not None:
        q = q.where(Span.annotator_id == ann_id)
    if doc_ids is not None:
        q = q.where(Span.document_id.in_(doc_ids))
    return {doc_id: n for doc_id, n in conn.execute(q)}


_DRIVER_IDS = 500  # ids bound one by one (SQLite allows 32,766 parameters)
_MANY_IDS = 2000  # more ids than this: documents listed whole and filtered (document_list)


def _marks(ids: list[int]) -> str:
    return ", ".join("?" * len(ids))


def document_heads(conn: Connection, doc_ids: list[int]) -> list[tuple[int, str, str | None, str]]:
    """(id, uid, title, lang) of `doc_ids`, in document order: what names a document."""
    if conn.dialect.name == "sqlite" and len(doc_ids) <= _DRIVER_IDS:  # a batch of a corpus-wide label
        return driver_rows(conn, f"SELECT id, uid, title, lang FROM documents WHERE id IN ({_marks(doc_ids)}) "
                                  "ORDER BY id", list(doc_ids))
    return [(i, uid, title, lang) for i, uid, title, lang in conn.execute(
        select(Document.id, Document.uid, Document.title, Document.lang)
        .where(Document.id.in_(doc_ids)).order_by(Document.id))]


def documents_holding(conn: Connection, doc_ids: list[int], needle: str) -> list[tuple[int, str, str | None, str, str]]:
    """(id, uid, title, lang, text), in document order, of those of `doc_ids` whose text
    holds `needle` exactly: one read that names them and gives their texts (SQLite tests
    it there, so texts that do not hold it are never decoded)."""
    if conn.dialect.name == "sqlite" and len(doc_ids) <= _DRIVER_IDS:  # a batch of a corpus-wide label
        return driver_rows(conn, f"SELECT id, uid, title, lang, text FROM documents WHERE id IN ({_marks(doc_ids)}) "
                                  "AND instr(text, ?) > 0 ORDER BY id", [*doc_ids, needle])
    rows = conn.execute(select(Document.id, Document.uid, Document.title, Document.lang, Document.text)
                        .where(Document.id.in_(doc_ids)).order_by(Document.id))
    return [(i, uid, title, lang, text) for i, uid, title, lang, text in rows if needle in text]


def label_extents(conn: Connection, doc_ids: list[int], annotator: str, label: str,
                  length: int | None = None) -> dict[int, set[tuple[int, int]]]:
    """{document id: {(start, end)}} of `label`'s spans in `annotator`'s layer of `doc_ids`
    (only those `length` code points long, if given), in one read. The layer index holds
    every column asked: the length is tested there, without reading the spans' rows, and
    a corpus-wide label reads the few spans of its word's length, not every span of its
    label (290,000 of them at 100,000 documents, issue 18)."""
    ann_id = _annotator_id(conn, annotator)
    out: dict[int, set[tuple[int, int]]] = {}
    if ann_id is None or ann_id < 0:
        return out
    rows: Any
    if conn.dialect.name == "sqlite" and len(doc_ids) <= _DRIVER_IDS:  # no statement to build per batch
        rows = driver_rows(conn, f'SELECT document_id, start, "end" FROM spans WHERE document_id IN '
                                  f'({_marks(doc_ids)}) AND annotator_id = ? AND label = ?'
                                  + (' AND "end" - start = ?' if length is not None else ""),
                            [*doc_ids, ann_id, label] + ([length] if length is not None else []))
    else:
        q = (select(Span.document_id, Span.start, Span.end)
             .where(Span.document_id.in_(doc_ids), Span.annotator_id == ann_id, Span.label == label))
        if length is not None:
            q = q.where(Span.end - Span.start == length)
        rows = conn.execute(q)
    for doc_id, start, end in rows:
        out.setdefault(doc_id, set()).add((start, end))
    return out


def document_id(conn: Connection, uid: str) -> int | None:
    return conn.scalar(select(Document.id).where(Document.uid == uid))


_STATUS_ORDER = ["todo", "in_progress", "done"]


def document_text(conn: Connection, doc_id: int) -> str | None:
    """None if there is no document `doc_id`."""
    return conn.scalar(select(Document.text).where(Document.id == doc_id))


def document_texts(conn: Connection, doc_ids: list[int]) -> dict[int, str]:
    """{id: text} of the documents `doc_ids` in one read."""
    if conn.dialect.name == "sqlite" and len(doc_ids) <= _DRIVER_IDS:  # a batch of a corpus-wide label
        return dict(driver_rows(conn, f"SELECT id, text FROM documents WHERE id IN ({_marks(doc_ids)})",
                                 list(doc_ids)))
    return dict(conn.execute(select(Document.id, Document.text).where(Document.id.in_(doc_ids))).all())


def corpus_keys(conn: Connection) -> dict[str, str]:
    """{language: its documents' count and highest id}: tells whether a language's texts
    changed (a document imported) without reading the documents table, which holds the
    texts (reading its checksums took 0.2-1.7 s at 100,000 documents; this, 12-18 ms from
    the language index). Texts never change and the store deletes no document, so an
    import is the only change, and it always brings a higher id."""
    rows = conn.execute(select(Document.lang, func.count(), func.max(Document.id)).group_by(Document.lang))
    return {lang: f"{n}:{top}" for lang, n, top in rows}


@dataclass(frozen=True, slots=True)
class LayerColumns:
    """One layer's spans as four parallel lists in layer order (start, end, label, uid):
    code points, as the store keeps them. The editor builds its marks from these without
    a tuple per span in between."""

    starts: list[int]
    ends: list[int]
    labels: list[str]
    uids: list[str]

    def __len__(self) -> int:
        return len(self.uids)

    def rows(self) -> list[tuple[int, int, str, str]]:
        return list(zip(self.starts, self.ends, self.labels, self.uids, strict=True))


# The layer in one result row, one JSON array per column, aggregated over the covering
# index: the sqlite3 module hands Python's lock back and forth for every row it steps and
# every column it reads (five times per span; while a worker thread computes, each hand-
# back can wait for it), and a row per span cost 38-42 ms for 50,000 spans against 28-31
# ms for this (bench/bench_store.py). INDEXED BY makes the scan the index's range for the
# layer, which is in (start, end, label, uid) order: the aggregates take the rows in it.
_LAYER_JSON = ('SELECT json_group_array(start), json_group_array("end"), json_group_array(label), '
               "json_group_array(uid) FROM spans INDEXED BY ix_spans_layer "
               "WHERE document_id = ? AND annotator_id = ?")


def layer_columns(conn: Connection, doc_id: int, annotator: str) -> LayerColumns:
    """The spans of `annotator`'s layer of `doc_id`, sorted, read from the covering index alone."""
    ann_id = _annotator_id(conn, annotator)
    if ann_id is None or ann_id < 0:
        return LayerColumns([], [], [], [])
    if conn.dialect.name != "sqlite":
        rows = conn.execute(select(Span.start, Span.end, Span.label, Span.uid)
                            .where(Span.document_id == doc_id, Span.annotator_id == ann_id)
                            .order_by(Span.start, Span.end, Span.label, Span.uid)).all()
        if not rows:
            return LayerColumns([], [], [], [])
        starts, ends, labels, uids = zip(*rows)
        return LayerColumns(list(starts), list(ends), list(labels), list(uids))
    cursor = sqlite_driver(conn.connection).execute(_LAYER_JSON, (doc_id, ann_id))
    try:
        starts, ends, labels, uids = cursor.fetchone()
    finally:
        cursor.close()
    return LayerColumns(orjson.loads(starts), orjson.loads(ends), orjson.loads(labels), orjson.loads(uids))


def layer_spans(conn: Connection, doc_id: int, annotator: str) -> list[tuple[int, int, str, str]]:
    """(start, end, label, uid) of one layer, sorted, read from the covering index alone."""
    return layer_columns(conn, doc_id, annotator).rows()


def _annotator_id(conn: Connection, name: str | None) -> int | None:
    if name is None:
        return None
    found = conn.scalar(select(Annotator.id).where(Annotator.name == name))
    return found if found is not None else -1


def annotator_names(conn: Connection) -> list[str]:
    return list(conn.scalars(select(Annotator.name).order_by(Annotator.name)))


def document_name(conn: Connection, doc_id: int) -> str:
    """“en · 004”: a document's language and uid, as window titles show them."""
    row = conn.execute(select(Document.lang, Document.uid).where(Document.id == doc_id)).first()
    return f"{row[0]} · {row[1]}" if row else f"document {doc_id}"


def annotator_key(conn: Connection, name: str) -> int | None:
    """The row id of annotator `name`, None if it has never written anything."""
    return conn.scalar(select(Annotator.id).where(Annotator.name == name))


@dataclass(frozen=True)
class CorpusSpan:
    """One span of a layer, anywhere in the corpus, with its document's name and its text."""

    doc_id: int
    document: str  # "en · 004", as document_name() says it
    start: int
    end: int
    uid: str
    text: str
    value: str | None


def corpus_label_spans(conn: Connection, annotator: str, label: str) -> list[CorpusSpan]:
    """Every span of `label` in `annotator`'s layer across the corpus, by document and offset.

    Two bulk reads whatever the number of spans: the spans with their documents' names,
    then the texts of only the documents that hold one, each text read once and sliced
    here (SQL's substr() per span would read a 1 MB text once for every span in it)."""
    ann_id = _annotator_id(conn, annotator)
    if ann_id is None or ann_id < 0:
        return []
    in_layer = (Span.annotator_id == ann_id) & (Span.label == label)
    spans = conn.execute(
        select(Span.document_id, Document.lang, Document.uid, Span.start, Span.end, Span.uid, Span.value)
        .join(Document, Span.document_id == Document.id).where(in_layer)
        .order_by(Span.document_id, Span.start, Span.end, Span.uid)).all()
    by_doc: dict[int, list[int]] = {}
    for i, row in enumerate(spans):
        by_doc.setdefault(row[0], []).append(i)
    texts: list[str] = [""] * len(spans)
    held = select(Span.document_id).where(in_layer)
    for doc_id, text in conn.execute(select(Document.id, Document.text).where(Document.id.in_(held))):
        for i in by_doc.get(doc_id, ()):
            texts[i] = text[spans[i][3]:spans[i][4]]
    return [CorpusSpan(doc_id, f"{lang} · {doc_uid}", start, end, uid, texts[i], value)
            for i, (doc_id, lang, doc_uid, start, end, uid, value) in enumerate(spans)]
