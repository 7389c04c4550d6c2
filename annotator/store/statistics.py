"""Corpus statistics for the dashboard, computed in the database.

The cheap figures (`counts`, the dashboard's first: labels, spans per hour, attribute
values, documents per annotator and status) are a few hundred rows however large the
project (see Counts below); `progress` adds a row per document (the strip and the
Documents table); `overview` is both. No span is ever loaded as an object.

The two figures that read spans or records are computed only where they mean something
and are meant to run off the GUI thread, after the cheap ones are on screen:
- `agreement`: span agreement per label, on the documents that two or more annotators
  (not the adjudicated `gold` layer) have worked on, from bare spans read in document
  order (core.agreement.LabelAgreementTally: span_agreement's figures);
- `group_disagreements`: what `annotator.core.disagreements.group_report` finds in each
  translation group, per annotator, one group at a time.

Hours: spans carry `created_at` as stored (UTC; the server's `current_timestamp`). The
hour bucket is computed in SQL as the first 13 characters of the timestamp cast to text,
`YYYY-MM-DD HH`, which SQLite (text timestamps) and PostgreSQL (ISO `DateStyle`, its
default) both produce; Python parses the bucket (a `T` separator is accepted too) and
fills the hours without spans with zeros. `extract()` would be portable as well, but
costs four strftime calls per span on SQLite instead of one substr.

Counts: on a SQLite project the spans per label, per document layer and per hour are
read from the counts the database keeps as spans are written (store/span_counts.py):
a few hundred rows, one row per layer and one per hour, instead of GROUP BYs over every
span (issue 18: 18.5 s on 100,000 documents and 2.4 million spans). On a server they are
counted with GROUP BY, under the login's row-level security.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import accumulate
from typing import Any, NamedTuple, TypeVar, overload
from typing import cast as typed

from sqlalchemy import Connection, Function, String, bindparam, cast, func, literal_column, select, text

from annotator.core import disagreements
from annotator.core.agreement import LabelAgreement, LabelAgreementTally
from annotator.core.identity import GOLD_ANNOTATOR
from annotator.core.records import DocumentRecord
from annotator.store import span_counts
from annotator.store.corpus_summary import AttributeCounts, count_attribute_values
from annotator.store.models import Annotator, AttributeValue, Document, DocumentStatus, Span, TranslationGroup
from annotator.store.records_out import iter_records

STATUSES = ("done", "in_progress", "todo")
# At most this many hourly buckets (a year) are returned: the most recent ones.
MAX_HOURS = 24 * 366
# Document ids per IN (...) list: well under SQLite's bound-parameter limit.
CHUNK = 900


# -- the cheap figures ------------------------------------------------------------------
@dataclass(frozen=True)
class LabelCounts:
    """Spans per (language, label): every language that has documents, every label used."""

    languages: tuple[str, ...]
    labels: tuple[str, ...]
    counts: dict[tuple[str, str], int]

    def count(self, lang: str, label: str) -> int:
        return self.counts.get((lang, label), 0)


class DocumentProgress(NamedTuple):
    """One document's layers."""

    id: int
    uid: str
    lang: str
    statuses: tuple[str, ...]  # one per annotator of Progress.annotators
    spans: tuple[int, ...]


TODO = STATUSES.index("todo")
R = TypeVar("R")


class ColumnRows(Sequence[R]):
    """Rows kept as a few columns (arrays, lists) and made one at a time when asked for:
    a hundred thousand small objects would be work for Python's garbage collector, and
    for unpickling, while holding Python's lock. Subclasses give `__len__` and `_row`."""

    def _row(self, i: int) -> R:  # the row at 0 <= i (IndexError past the end)
        raise NotImplementedError

    @overload
    def __getitem__(self, i: int) -> R: ...

    @overload
    def __getitem__(self, i: slice) -> list[R]: ...

    def __getitem__(self, i: int | slice) -> R | list[R]:
        if isinstance(i, slice):
            return [self._row(j) for j in range(*i.indices(len(self)))]
        return self._row(i + len(self) if i < 0 else i)


class PackedStrings(ColumnRows[str]):
    """Strings kept as one UTF-8 buffer and where each ends, decoded when asked for: two
    objects to unpickle rather than one per string. The dashboard's worker thread
    unpickles the documents' columns from its child process in one call that holds
    Python's lock throughout; 100,000 uids and as many languages as strings held the
    window that long (bench_dashboard.py --stall-traces)."""

    def __init__(self, strings: Iterable[str]) -> None:
        encoded = [s.encode() for s in strings]
        self.buffer = b"".join(encoded)
        self.ends = array("q", accumulate(map(len, encoded)))

    def __len__(self) -> int:
        return len(self.ends)

    def _row(self, i: int) -> str:
        end = self.ends[i]  # IndexError past the end
        return self.buffer[self.ends[i - 1] if i else 0:end].decode()


class DocumentRows(ColumnRows[DocumentProgress]):
    """Every document's layers, in import order, kept as a few columns and made into a
    DocumentProgress when asked for. Why not a tuple of rows: 100,000 documents made
    300,000 objects that Python's garbage collector then went through in one go, holding
    Python's lock, a 0.2 s pause of the dashboard's window (bench_dashboard.py); these
    columns are five objects. `status_codes` (STATUSES' index, a byte per layer) and
    `span_counts` run document by document, `layers` to a document."""

    def __init__(self, ids: Sequence[int], uids: Sequence[str], langs: Sequence[str], layers: int,
                 status_codes: bytearray, span_counts: array[int]) -> None:
        self.ids, self.uids, self.langs, self.layers = ids, uids, langs, layers
        self.status_codes, self.span_counts = status_codes, span_counts

    def __reduce__(self) -> tuple[type[DocumentRows], tuple[Any, ...]]:
        # Pickled (by the dashboard's child process) as a few buffers: see PackedStrings.
        return DocumentRows, (array("q", self.ids), PackedStrings(self.uids), PackedStrings(self.langs),
                              self.layers, self.status_codes, self.span_counts)

    def __len__(self) -> int:
        return len(self.ids)

    def _row(self, i: int) -> DocumentProgress:
        first = i * self.layers
        return DocumentProgress(self.ids[i], self.uids[i], self.langs[i],
                                tuple(STATUSES[c] for c in self.status_codes[first:first + self.layers]),
                                tuple(self.span_counts[first:first + self.layers]))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DocumentRows) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]  # compared by value, as the tuple it replaces


@dataclass(frozen=True)
class Progress:
    annotators: tuple[str, ...]
    documents: DocumentRows
    # annotator -> status -> number of documents (to do: no status row for that layer)
    per_annotator: dict[str, dict[str, int]]

    def shared_documents(self, exclude: Iterable[str] = (GOLD_ANNOTATOR,)) -> dict[int, tuple[str, ...]]:
        """Documents on which two or more annotators have a layer (spans or a status),
        with those annotators."""
        rows, n = self.documents, len(self.annotators)
        kept = [(i, name) for i, name in enumerate(self.annotators) if name not in set(exclude)]
        codes, spans = rows.status_codes, rows.span_counts
        out = {}
        for row, doc_id in enumerate(rows.ids):
            first = row * n
            names = tuple(name for i, name in kept if spans[first + i] or codes[first + i] != TODO)
            if len(names) >= 2:
                out[doc_id] = names
        return out


@dataclass(frozen=True)
class Throughput:
    """Spans created per hour and annotator, for every hour from the first span's to the
    last one's (at most MAX_HOURS, the latest); hours are naive UTC datetimes."""

    hours: tuple[datetime, ...]
    annotators: tuple[str, ...]
    counts: dict[str, tuple[int, ...]]  # annotator -> one count per hour
    truncated: bool = False

    def total(self, annotator: str | None = None) -> int:
        names = self.annotators if annotator is None else (annotator,)
        return sum(sum(self.counts.get(n, ())) for n in names)


@dataclass(frozen=True)
class Overview:
    labels: LabelCounts
    progress: Progress
    throughput: Throughput
    attributes: AttributeCounts = field(default_factory=AttributeCounts)


@dataclass(frozen=True)
class Counts:
    """The figures that need no per-document rows (the dashboard's first): labels,
    attribute values, spans per hour and documents per annotator and status."""

    labels: LabelCounts
    throughput: Throughput
    attributes: AttributeCounts
    annotators: tuple[str, ...]
    documents: int
    per_annotator: dict[str, dict[str, int]]  # as Progress.per_annotator


def label_counts(conn: Connection, annotator: str | None = None) -> LabelCounts:
    """Spans per language and label, in all layers or in `annotator`'s."""
    langs = list(conn.scalars(select(Document.lang).group_by(Document.lang).order_by(Document.lang)))
    if span_counts.available(conn):
        sql = "SELECT c.lang, c.label, sum(c.n) FROM span_counts_label c"
        if annotator is None:
            rows = conn.execute(text(sql + " GROUP BY c.lang, c.label"))
        else:
            rows = conn.execute(text(sql + " JOIN annotators a ON a.id = c.annotator_id WHERE a.name = :name "
                                     "GROUP BY c.lang, c.label"), {"name": annotator})
    else:
        stmt = (select(Document.lang, Span.label, func.count()).join(Document, Span.document_id == Document.id)
                .group_by(Document.lang, Span.label))
        if annotator is not None:
            stmt = stmt.join(Annotator, Span.annotator_id == Annotator.id).where(Annotator.name == annotator)
        rows = conn.execute(stmt)
    counts = {(lang, label): int(n) for lang, label, n in rows if n}
    labels = sorted({label for _lang, label in counts})
    return LabelCounts(tuple(langs), tuple(labels), counts)


def progress(conn: Connection) -> Progress:
    """Status and span count of every document's layer of every annotator."""
    names = dict(conn.execute(select(Annotator.id, Annotator.name).order_by(Annotator.name)).all())
    order = {ann_id: i for i, ann_id in enumerate(names)}
    n = len(order)
    # Ids with uids and with languages, each from its index (no ORDER BY, which would read
    # the table itself: every document's text, 200 MB for 100,000 documents).
    uids: dict[int, str] = {doc_id: uid for doc_id, uid in conn.execute(select(Document.id, Document.uid))}
    langs: dict[int, str] = {doc_id: lang for doc_id, lang in conn.execute(select(Document.id, Document.lang))}
    ids = sorted(uids)
    row = {doc_id: i for i, doc_id in enumerate(ids)}
    spans = array("q", bytes(8 * n * len(ids)))
    layers = (conn.exec_driver_sql("SELECT document_id, annotator_id, n FROM span_counts_layer")
              if span_counts.available(conn) else
              conn.execute(select(Span.document_id, Span.annotator_id, func.count())
                           .group_by(Span.document_id, Span.annotator_id)))
    for doc_id, ann_id, count in layers:
        spans[row[doc_id] * n + order[ann_id]] = count
    statuses = bytearray([TODO]) * (n * len(ids))
    code = {status: i for i, status in enumerate(STATUSES)}
    for doc_id, ann_id, status in conn.execute(
            select(DocumentStatus.document_id, DocumentStatus.annotator_id, DocumentStatus.status)):
        statuses[row[doc_id] * n + order[ann_id]] = code[status]
    docs = DocumentRows(ids, [uids[i] for i in ids], [langs[i] for i in ids], n, statuses, spans)
    per_annotator = status_counts(conn, names, len(docs))
    return Progress(tuple(names.values()), docs, per_annotator)


def status_counts(conn: Connection, names: dict[int, str] | None = None,
                  documents: int | None = None) -> dict[str, dict[str, int]]:
    """annotator -> status -> number of documents (to do: no status row for that layer)."""
    if names is None:
        names = dict(conn.execute(select(Annotator.id, Annotator.name).order_by(Annotator.name)).all())
    if documents is None:
        documents = conn.execute(select(func.count()).select_from(Document)).scalar_one()
    per_annotator = {name: dict.fromkeys(STATUSES, 0) for name in names.values()}
    for ann_id, status, count in conn.execute(
            select(DocumentStatus.annotator_id, DocumentStatus.status, func.count())
            .group_by(DocumentStatus.annotator_id, DocumentStatus.status)):
        per_annotator[names[ann_id]][status] = count
    for counts in per_annotator.values():
        counts["todo"] = documents - counts["done"] - counts["in_progress"]
    return per_annotator


def _hour_bucket() -> Function[Any]:
    # Literal positions: PostgreSQL would not match two separately bound substr()
    # arguments of SELECT and GROUP BY as the same expression.
    return func.substr(cast(Span.created_at, String), literal_column("1"), literal_column("13"))


def parse_hour(bucket: str) -> datetime:
    """`YYYY-MM-DD HH` (or with `T`) -> datetime at the start of that hour."""
    return datetime.strptime(bucket[:10] + " " + bucket[11:13], "%Y-%m-%d %H")


def throughput(conn: Connection) -> Throughput:
    """Spans created per hour and annotator (spans that still exist)."""
    if span_counts.available(conn):
        rows = conn.exec_driver_sql("SELECT a.name, c.hour, c.n FROM span_counts_hour c "
                                    "JOIN annotators a ON a.id = c.annotator_id").all()
    else:
        bucket = _hour_bucket().label("hour")
        rows = conn.execute(select(Annotator.name, bucket, func.count())
                            .join(Annotator, Span.annotator_id == Annotator.id)
                            .group_by(Annotator.name, bucket)).all()
    if not rows:
        return Throughput((), (), {})
    per: dict[str, dict[datetime, int]] = defaultdict(dict)
    for name, hour, count in rows:
        when = parse_hour(hour)
        per[name][when] = per[name].get(when, 0) + count
    first = min(min(h) for h in per.values())
    last = max(max(h) for h in per.values())
    span = int((last - first).total_seconds() // 3600) + 1
    truncated = span > MAX_HOURS
    if truncated:
        first, span = last - timedelta(hours=MAX_HOURS - 1), MAX_HOURS
    hours = tuple(first + timedelta(hours=i) for i in range(span))
    names = tuple(sorted(per))
    counts = {name: tuple(per[name].get(h, 0) for h in hours) for name in names}
    return Throughput(hours, names, counts, truncated)


def attribute_counts(conn: Connection, annotator: str | None = None) -> AttributeCounts:
    """Values of each attribute, counted over the items of all layers or of `annotator`'s."""
    stmt = select(AttributeValue.name, AttributeValue.value, func.count()).group_by(AttributeValue.name,
                                                                                     AttributeValue.value)
    if annotator is not None:
        stmt = stmt.join(Annotator, AttributeValue.annotator_id == Annotator.id).where(Annotator.name == annotator)
    return count_attribute_values(conn.execute(stmt))


def counts(conn: Connection, annotator: str | None = None) -> Counts:
    """The cheap figures, in one read transaction: a few hundred rows however large the
    project (on SQLite; on a server the spans are counted)."""
    names = dict(conn.execute(select(Annotator.id, Annotator.name).order_by(Annotator.name)).all())
    documents = conn.execute(select(func.count()).select_from(Document)).scalar_one()
    return Counts(label_counts(conn, annotator), throughput(conn), attribute_counts(conn, annotator),
                  tuple(names.values()), documents, status_counts(conn, names, documents))


def overview(conn: Connection, annotator: str | None = None) -> Overview:
    """The cheap figures, in one read transaction: labels and attribute values (of
    `annotator`'s layer, or of all layers), progress, throughput."""
    return Overview(label_counts(conn, annotator), progress(conn), throughput(conn),
                    attribute_counts(conn, annotator))


# -- the expensive figures, on the documents that need them ------------------------------
@dataclass(frozen=True)
class AgreementStats:
    """Agreement per label, or why there is none (`report` is None)."""

    report: LabelAgreement | None
    documents: int = 0
    annotators: tuple[str, ...] = ()
    reason: str = ""

    @property
    def available(self) -> bool:
        return self.report is not None


NEEDS_TWO = "Agreement needs two annotators on the same documents"


def agreement(conn: Connection, prog: Progress | None = None,
              progress_to: Callable[[int, int], object] | None = None) -> AgreementStats:
    """Span agreement on the documents that every compared annotator has a layer on (the
    `gold` layer excluded): all annotators who share documents when some documents have
    all their layers, else the pair that shares the most documents. The figures are
    span_agreement's (per label, overall, token kappa and alpha), computed document by
    document from bare (start, end, label) rows read in document order from the spans'
    covering index, and those documents' texts: no records, no ORM objects.
    `progress_to(done, total)` hears after each chunk of documents."""
    prog = prog if prog is not None else progress(conn)
    shared = prog.shared_documents()
    if not shared:
        return AgreementStats(None, reason=NEEDS_TWO)
    names = tuple(sorted({n for names in shared.values() for n in names}))
    docs = sorted(d for d, have in shared.items() if set(names) <= set(have))
    if not docs:  # three or more annotators, none on every document: the best-covered pair
        pairs: dict[tuple[str, str], int] = defaultdict(int)
        for have in shared.values():
            for i, a in enumerate(have):
                for b in have[i + 1:]:
                    pairs[(a, b)] += 1
        best = max(sorted(pairs), key=lambda p: pairs[p])
        names = best
        docs = sorted(d for d, have in shared.items() if set(names) <= set(have))
    ids = dict(conn.execute(select(Annotator.name, Annotator.id).where(Annotator.name.in_(names))).all())
    column = {ids[name]: k for k, name in enumerate(names)}
    tally = LabelAgreementTally(names)
    spans_of = (select(Span.document_id, Span.annotator_id, Span.start, Span.end, Span.label)
                .where(Span.document_id.in_(bindparam("docs", expanding=True)),
                       Span.annotator_id.in_(list(column)))
                .order_by(Span.document_id))
    texts_of = select(Document.id, Document.text).where(Document.id.in_(bindparam("docs", expanding=True)))
    for done, chunk in enumerate(_chunks(docs, CHUNK)):
        layers: dict[int, list[list[_Span]]] = {d: [[] for _ in names] for d in chunk}
        for doc_id, ann_id, start, end, label in conn.execute(spans_of, {"docs": chunk}):
            layers[doc_id][column[ann_id]].append(_Span(start, end, label))
        texts = dict(conn.execute(texts_of, {"docs": chunk}).all())
        for doc_id in chunk:
            tally.add(texts[doc_id], layers[doc_id])
        if progress_to is not None:
            progress_to(min(len(docs), (done + 1) * CHUNK), len(docs))
    return AgreementStats(tally.result(), len(docs), names)


class _Span(NamedTuple):
    start: int
    end: int
    label: str


@dataclass(frozen=True)
class GroupDisagreements:
    group: str
    annotator: str
    documents: int
    counts: dict[str, int] = field(default_factory=dict)  # kind ("value", "unlinked", "count") -> n

    @property
    def total(self) -> int:
        return sum(self.counts.values())


class GroupTable(ColumnRows[GroupDisagreements]):
    """group_disagreements' rows kept as columns, each made into a GroupDisagreements when
    asked for: what comes back from the dashboard's process, where unpickling a hundred
    thousand small objects would hold Python's lock in the window's process. `totals` and
    `kind_totals` are read from the columns."""

    def __init__(self, groups: list[str], annotators: tuple[str, ...], annotator: array[int],
                 documents: array[int], kinds: tuple[str, ...], counts: array[int]) -> None:
        self.groups, self.annotators, self.annotator = groups, annotators, annotator
        self.documents, self.kinds, self.counts = documents, kinds, counts  # counts: a row of kinds per group

    @classmethod
    def of(cls, rows: Sequence[GroupDisagreements]) -> GroupTable:
        annotators = tuple(sorted({g.annotator for g in rows}))
        kinds = tuple(sorted({k for g in rows for k in g.counts}))
        index = {name: i for i, name in enumerate(annotators)}
        return cls([g.group for g in rows], annotators, array("i", [index[g.annotator] for g in rows]),
                   array("q", [g.documents for g in rows]), kinds,
                   array("q", [g.counts.get(k, 0) for g in rows for k in kinds]))

    def __len__(self) -> int:
        return len(self.groups)

    def _row(self, i: int) -> GroupDisagreements:
        k = len(self.kinds)
        counts = {kind: n for kind, n in zip(self.kinds, self.counts[i * k:(i + 1) * k]) if n}
        return GroupDisagreements(self.groups[i], self.annotators[self.annotator[i]], self.documents[i], counts)

    def totals(self) -> list[int]:
        k = len(self.kinds)
        return [sum(self.counts[i * k:(i + 1) * k]) for i in range(len(self))]

    def kind_totals(self) -> dict[str, int]:
        k = len(self.kinds)
        return {kind: sum(self.counts[j::k]) for j, kind in enumerate(self.kinds)}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GroupTable) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]


def group_disagreements(conn: Connection) -> list[GroupDisagreements]:
    """Disagreements inside every translation group, per annotator who has a layer in
    it, as counted by `group_report`. Records are read per annotator for the groups they
    worked on, in chunks of whole groups; each group is reported once all its documents
    have been read, and dropped."""
    members: dict[int, list[int]] = defaultdict(list)
    grouped = typed("Iterable[tuple[int, int]]",  # group_id is not None: the where clause says so
                    conn.execute(select(Document.group_id, Document.id)
                                 .where(Document.group_id.is_not(None)).order_by(Document.id)))
    for group_id, doc_id in grouped:
        members[group_id].append(doc_id)
    if not members:
        return []
    group_uids = dict(conn.execute(select(TranslationGroup.id, TranslationGroup.uid)).all())
    doc_group = {doc: g for g, docs in members.items() for doc in docs}
    layers = _layers(conn, list(doc_group))
    worked: dict[str, set[int]] = defaultdict(set)  # annotator -> groups
    for doc_id, name in layers:
        worked[name].add(doc_group[doc_id])
    out = []
    for name in sorted(worked):
        for chunk in _group_chunks(sorted(worked[name]), members):
            pending: dict[str, list[DocumentRecord]] = defaultdict(list)
            sizes = {group_uids[g]: len(members[g]) for g in chunk}
            ids = [d for g in chunk for d in members[g]]
            for rec in iter_records(conn, annotator=name, document_ids=ids):
                group = typed(str, rec.group)  # every document read here is in a group
                pending[group].append(rec)
                if len(pending[group]) == sizes[group]:
                    out.append(_report(group, name, pending.pop(group)))
            out.extend(_report(g, name, records) for g, records in pending.items())
    out.sort(key=lambda g: (g.group, g.annotator))
    return out


def _report(group: str, annotator: str, records: list[DocumentRecord]) -> GroupDisagreements:
    counts: dict[str, int] = defaultdict(int)
    for found in disagreements.group_report(records):  # looked up at call time (tests replace it)
        counts[found.kind] += 1
    return GroupDisagreements(group, annotator, len(records), dict(counts))


def _layers(conn: Connection, doc_ids: list[int]) -> set[tuple[int, str]]:
    """(document, annotator) of every layer (spans or a status) of `doc_ids`."""
    out: set[tuple[int, str]] = set()
    for chunk in _chunks(doc_ids, CHUNK):
        for table in (Span, DocumentStatus):
            out.update(conn.execute(select(table.document_id, Annotator.name).distinct()
                                    .join(Annotator, table.annotator_id == Annotator.id)
                                    .where(table.document_id.in_(chunk))).all())
    return out


def _chunks(items: Sequence[int], size: int) -> Iterator[list[int]]:
    for i in range(0, len(items), size):
        yield list(items[i:i + size])


def _group_chunks(groups: list[int], members: dict[int, list[int]]) -> Iterator[list[int]]:
    """Whole groups, about CHUNK documents at a time."""
    chunk: list[int] = []
    size = 0
    for g in groups:
        if chunk and size + len(members[g]) > CHUNK:
            yield chunk
            chunk, size = [], 0
        chunk.append(g)
        size += len(members[g])
    if chunk:
        yield chunk
