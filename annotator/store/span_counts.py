"""Span counts kept up to date by the database, for the dashboard and `annotator stats`.

Counting 2.4 million spans with GROUP BY takes seconds (issue 18: 18.5 s for the
dashboard's three aggregate queries on 100,000 documents); reading counts that are kept
as the spans are written takes milliseconds. Three small tables, SQLite only:

- `span_counts_label` (annotator_id, lang, label, n): spans per layer owner, document
  language and label (a few hundred rows);
- `span_counts_layer` (document_id, annotator_id, n): spans per document layer;
- `span_counts_hour` (annotator_id, hour, n): spans per owner and creation hour, `hour`
  being the first 13 characters of `created_at` as text (`YYYY-MM-DD HH`, as
  statistics.throughput buckets them);
- `span_counts_docs` (lang, n): documents per language (revision 0010), so that `annotator
  stats` need not check and read the documents table, which holds every text (0.3 of its
  0.57 s of CPU on 100,000 documents, and a read of 410 MB).

Triggers on `spans` keep them in step in the writing transaction itself, so every
writer is covered without knowing about them: the edit path (store/changes.py's
Recorder), undo and redo, imports, label-every-occurrence, a benchmark's raw UPDATE. A
row whose count falls to zero is removed, so after an undo the tables are as they were
(tests/conftest.py's dump compares them too). Documents are never deleted by the store,
and their language never changes; triggers on `documents` keep the counts right all the
same (a cascade deletes the spans after the document row is gone, when the span trigger
could no longer find its language: the document's trigger takes them off first).

Why triggers and not the store's write path: several writers bypass the Recorder on
purpose (bulk import, label-every-occurrence's chunks), and a trigger cannot be
forgotten by the next one. Why SQLite only: on a PostgreSQL server the counts would tell
every login the sizes of layers that row-level security hides from it, and every writer
of a layer would queue on the same counter rows; the server counts with GROUP BY as
before (statistics.py and corpus_summary.py read `available`).

A batch migration that rebuilds `spans` or `documents` (copy, drop, rename) drops their
triggers with the old table. So after every upgrade `ensure` re-creates what is missing
and, if anything was, counts everything again (store/migrate.py); revision 0009 creates
them with the same statements.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager

from sqlalchemy import Connection

TABLES = ("span_counts_label", "span_counts_layer", "span_counts_hour", "span_counts_docs")

_HOUR = "substr(CAST({row}.created_at AS TEXT), 1, 13)"

CREATE_TABLES = (
    "CREATE TABLE IF NOT EXISTS span_counts_label (annotator_id INTEGER NOT NULL, lang VARCHAR(16) NOT NULL, "
    "label VARCHAR(64) NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (annotator_id, lang, label)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS span_counts_layer (document_id INTEGER NOT NULL, annotator_id INTEGER NOT NULL, "
    "n INTEGER NOT NULL, PRIMARY KEY (document_id, annotator_id)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS span_counts_hour (annotator_id INTEGER NOT NULL, hour VARCHAR(13) NOT NULL, "
    "n INTEGER NOT NULL, PRIMARY KEY (annotator_id, hour)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS span_counts_docs (lang VARCHAR(16) NOT NULL PRIMARY KEY, n INTEGER NOT NULL) "
    "WITHOUT ROWID",
)


def _add(row: str) -> str:
    """Statements counting span `row` (NEW) in: one upsert per table. The language comes
    from the document (a primary-key lookup); `WHERE true` keeps SQLite's parser from
    reading ON CONFLICT as a join's ON."""
    hour = _HOUR.format(row=row)
    return (
        f"INSERT INTO span_counts_label (annotator_id, lang, label, n) "
        f"SELECT {row}.annotator_id, d.lang, {row}.label, 1 FROM documents d WHERE d.id = {row}.document_id "
        f"ON CONFLICT (annotator_id, lang, label) DO UPDATE SET n = n + 1; "
        f"INSERT INTO span_counts_layer (document_id, annotator_id, n) VALUES ({row}.document_id, {row}.annotator_id, 1) "
        f"ON CONFLICT (document_id, annotator_id) DO UPDATE SET n = n + 1; "
        f"INSERT INTO span_counts_hour (annotator_id, hour, n) VALUES ({row}.annotator_id, {hour}, 1) "
        f"ON CONFLICT (annotator_id, hour) DO UPDATE SET n = n + 1; "
    )


def _take(row: str) -> str:
    """Statements counting span `row` (OLD) out; rows that reach zero go. A span whose
    document row is already gone (a cascade) has been taken off its language's count by
    the document's trigger: `lang = NULL` matches nothing."""
    hour = _HOUR.format(row=row)
    label_key = (f"annotator_id = {row}.annotator_id AND label = {row}.label AND "
                 f"lang = (SELECT lang FROM documents WHERE id = {row}.document_id)")
    layer_key = f"document_id = {row}.document_id AND annotator_id = {row}.annotator_id"
    hour_key = f"annotator_id = {row}.annotator_id AND hour = {hour}"
    return (
        f"UPDATE span_counts_label SET n = n - 1 WHERE {label_key}; "
        f"DELETE FROM span_counts_label WHERE {label_key} AND n <= 0; "
        f"UPDATE span_counts_layer SET n = n - 1 WHERE {layer_key}; "
        f"DELETE FROM span_counts_layer WHERE {layer_key} AND n <= 0; "
        f"UPDATE span_counts_hour SET n = n - 1 WHERE {hour_key}; "
        f"DELETE FROM span_counts_hour WHERE {hour_key} AND n <= 0; "
    )


# The document's spans per (owner, label), to move them off (or onto) a language's counts.
_DOC_LABELS = ("(SELECT count(*) FROM spans s WHERE s.document_id = OLD.id "
               "AND s.annotator_id = span_counts_label.annotator_id AND s.label = span_counts_label.label)")

_DOC_IN = ("INSERT INTO span_counts_docs (lang, n) VALUES (NEW.lang, 1) "
           "ON CONFLICT (lang) DO UPDATE SET n = n + 1; ")
_DOC_OUT = ("UPDATE span_counts_docs SET n = n - 1 WHERE lang = OLD.lang; "
            "DELETE FROM span_counts_docs WHERE lang = OLD.lang AND n <= 0; ")

TRIGGERS = {
    "span_counts_insert": f"CREATE TRIGGER span_counts_insert AFTER INSERT ON spans BEGIN {_add('NEW')}END",
    "span_counts_delete": f"CREATE TRIGGER span_counts_delete AFTER DELETE ON spans BEGIN {_take('OLD')}END",
    # A resize changes start and end only: no count changes, the trigger does not fire.
    "span_counts_update": (
        "CREATE TRIGGER span_counts_update AFTER UPDATE OF document_id, annotator_id, label, created_at ON spans "
        "WHEN OLD.document_id IS NOT NEW.document_id OR OLD.annotator_id IS NOT NEW.annotator_id "
        f"OR OLD.label IS NOT NEW.label OR {_HOUR.format(row='OLD')} IS NOT {_HOUR.format(row='NEW')} "
        f"BEGIN {_take('OLD')}{_add('NEW')}END"),
    "span_counts_document_delete": (
        "CREATE TRIGGER span_counts_document_delete BEFORE DELETE ON documents BEGIN "
        f"UPDATE span_counts_label SET n = n - {_DOC_LABELS} WHERE lang = OLD.lang; "
        "DELETE FROM span_counts_label WHERE lang = OLD.lang AND n <= 0; "
        "DELETE FROM span_counts_layer WHERE document_id = OLD.id; END"),
    "span_counts_document_lang": (
        "CREATE TRIGGER span_counts_document_lang AFTER UPDATE OF lang ON documents "
        "WHEN OLD.lang IS NOT NEW.lang BEGIN "
        f"UPDATE span_counts_label SET n = n - {_DOC_LABELS} WHERE lang = OLD.lang; "
        "DELETE FROM span_counts_label WHERE lang = OLD.lang AND n <= 0; "
        "INSERT INTO span_counts_label (annotator_id, lang, label, n) "
        "SELECT annotator_id, NEW.lang, label, count(*) FROM spans WHERE document_id = NEW.id "
        "GROUP BY annotator_id, label ON CONFLICT (annotator_id, lang, label) DO UPDATE SET n = n + excluded.n; END"),
    # Documents per language (span_counts_docs); an import's documents are counted one by
    # one (a primary-key upsert on a table of a few rows: about a microsecond each).
    "span_counts_docs_insert": f"CREATE TRIGGER span_counts_docs_insert AFTER INSERT ON documents BEGIN {_DOC_IN}END",
    "span_counts_docs_delete": f"CREATE TRIGGER span_counts_docs_delete AFTER DELETE ON documents BEGIN {_DOC_OUT}END",
    "span_counts_docs_lang": ("CREATE TRIGGER span_counts_docs_lang AFTER UPDATE OF lang ON documents "
                              f"WHEN OLD.lang IS NOT NEW.lang BEGIN {_DOC_OUT}{_DOC_IN}END"),
}

# Which tables each trigger keeps: an upgrade that finds some missing counts only theirs.
KEEPS = {name: ("span_counts_docs",) if name.startswith("span_counts_docs_") else TABLES[:3] for name in TRIGGERS}

FILL = {
    "span_counts_label": "INSERT INTO span_counts_label (annotator_id, lang, label, n) "
    "SELECT s.annotator_id, d.lang, s.label, count(*) FROM spans s JOIN documents d ON d.id = s.document_id "
    "GROUP BY s.annotator_id, d.lang, s.label",
    "span_counts_layer": "INSERT INTO span_counts_layer (document_id, annotator_id, n) "
    "SELECT document_id, annotator_id, count(*) FROM spans GROUP BY document_id, annotator_id",
    "span_counts_hour": "INSERT INTO span_counts_hour (annotator_id, hour, n) "
    f"SELECT annotator_id, {_HOUR.format(row='spans')} AS hour, count(*) FROM spans GROUP BY annotator_id, hour",
    "span_counts_docs": "INSERT INTO span_counts_docs (lang, n) SELECT lang, count(*) FROM documents GROUP BY lang",
}


def available(conn: Connection) -> bool:
    """Whether `conn`'s project keeps the counts (a SQLite project at this version's head)."""
    return conn.dialect.name == "sqlite"


def ensure(conn: Connection) -> bool:
    """Create the tables and triggers that are missing, in `conn`'s transaction, and
    count again what they keep (revision 0010 on a 0009 project: the documents per
    language only, not every span). Returns whether it counted. Nothing on a server."""
    if conn.dialect.name != "sqlite":
        return False
    present = {name for (name,) in conn.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE 'span_counts_%'")}
    if present >= set(TABLES) | set(TRIGGERS):
        return False
    for statement in CREATE_TABLES:
        conn.exec_driver_sql(statement)
    stale = {table for table in TABLES if table not in present}
    for name, statement in TRIGGERS.items():
        if name not in present:
            conn.exec_driver_sql(statement)
            stale.update(KEEPS[name])
    recount(conn, [table for table in TABLES if table in stale])
    return True


@contextmanager
def _insert_trigger_off(conn: Connection) -> Iterator[None]:
    """The per-span insert trigger dropped inside and put back after, even on an error
    (trigger DDL is transactional in SQLite: a rollback puts it back too; after an error
    that rolled the whole transaction back, a full disk, it is there already, and
    putting it back must not say otherwise over the error)."""
    conn.exec_driver_sql("DROP TRIGGER span_counts_insert")
    try:
        yield
    finally:
        conn.exec_driver_sql(TRIGGERS["span_counts_insert"].replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS", 1))


# The spans with ids in [?, ?] (bound twice: lo, hi), counted per key of each table.
_RANGE_GROUPS = (
    ("span_counts_label", ("annotator_id", "lang", "label"),
     "SELECT s.annotator_id, d.lang, s.label, count(*) AS n FROM spans s JOIN documents d ON d.id = s.document_id "
     "WHERE s.id BETWEEN ? AND ? GROUP BY s.annotator_id, d.lang, s.label"),
    ("span_counts_layer", ("document_id", "annotator_id"),
     "SELECT document_id, annotator_id, count(*) AS n FROM spans WHERE id BETWEEN ? AND ? "
     "GROUP BY document_id, annotator_id"),
    ("span_counts_hour", ("annotator_id", "hour"),
     f"SELECT annotator_id, {_HOUR.format(row='spans')} AS hour, count(*) AS n FROM spans WHERE id BETWEEN ? AND ? "
     "GROUP BY annotator_id, hour"),
)
BULK = 1000  # spans from which a range is counted with GROUP BYs rather than by the trigger


@contextmanager
def inserted_range(conn: Connection, lo: int, hi: int) -> Iterator[None]:
    """Around the insert of the spans with ids lo..hi (all new, nothing else written to
    `spans` inside): the insert trigger is off, and they are counted in after with three
    GROUP BYs over the range, in the same transaction. The trigger's three upserts a span
    cost a corpus-wide label of 68,553 spans 1.1 s of CPU (issue 18). Trigger DDL is
    transactional in SQLite: a rollback puts the trigger back."""
    if conn.dialect.name != "sqlite" or hi - lo + 1 < BULK:
        yield
        return
    with _insert_trigger_off(conn):
        yield
    for table, key, counted in _RANGE_GROUPS:
        conn.exec_driver_sql(
            f"INSERT INTO {table} ({', '.join(key)}, n) SELECT * FROM ({counted}) WHERE true "
            f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET n = n + excluded.n", (lo, hi))


APPENDED_CHUNK = 50_000  # spans counted by one set of GROUP BYs after an import (a sort of a few MB)
_LAST = "SELECT coalesce(max(id), 0) FROM spans"


def created_stamp() -> str:
    """Now, as SQLite's CURRENT_TIMESTAMP writes it (UTC, `YYYY-MM-DD HH:MM:SS`): the
    `created_at` an import binds to its spans, so that their hour is known without
    reading them back."""
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())


def last_span_id(conn: Connection) -> int:
    return int(conn.exec_driver_sql(_LAST).scalar() or 0)


class Appended:
    """What `appended` yields: the writer gives it the counts of each run of spans it
    inserted (`counted`), so they need not be read back; what it was not given is
    counted by ranges when the import ends. None on a server (no counts there)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.covered: list[tuple[int, int]] = []  # id ranges counted in by `counted`

    def counted(self, lo: int, hi: int, labels: Mapping[tuple[int, str, str], int],
                layers: Mapping[tuple[int, int], int], hours: Mapping[tuple[int, str], int]) -> None:
        """Count in the spans with ids lo..hi, which are these and no others: per
        (annotator id, document language, label), (document id, annotator id) and
        (annotator id, hour of created_at), as the three tables key them."""
        for table, key, counts in (("span_counts_label", ("annotator_id", "lang", "label"), labels),
                                   ("span_counts_layer", ("document_id", "annotator_id"), layers),
                                   ("span_counts_hour", ("annotator_id", "hour"), hours)):
            if counts:
                columns = ", ".join(key)
                self.conn.exec_driver_sql(
                    f"INSERT INTO {table} ({columns}, n) VALUES ({', '.join('?' * (len(key) + 1))}) "
                    f"ON CONFLICT ({columns}) DO UPDATE SET n = n + excluded.n",
                    [(*k, n) for k, n in counts.items()])
        self.covered.append((lo, hi))

    def uncovered(self, before: int, after: int) -> Iterator[tuple[int, int]]:
        """The id ranges in before+1..after that `counted` was not given."""
        lo = before + 1
        for a, b in sorted(self.covered):
            if a > lo:
                yield lo, a - 1
            lo = max(lo, b + 1)
        if lo <= after:
            yield lo, after


@contextmanager
def appended(conn: Connection) -> Iterator[Appended | None]:
    """Around an import's inserts of new spans (nothing else written to `spans` inside):
    the insert trigger is off inside, and every span added (the ids above the largest
    before: SQLite gives a new row the largest id plus one) is counted in: those whose
    counts the writer gave (Appended.counted, from the records it wrote: no read of the
    rows, 0.24 s of CPU for 200,000 spans before) as it went, the others after with the
    three GROUP BYs of inserted_range, APPENDED_CHUNK ids at a time. Counting each
    batch's layers by a join instead grew with the table (a third of the CPU of a
    30,000-document import, issue 18); one GROUP BY over 2,000,000 spans would sort them
    in one piece, in memory the size of the page cache. Trigger DDL is transactional in
    SQLite: a rollback puts the trigger back."""
    if conn.dialect.name != "sqlite":
        yield None
        return
    before = last_span_id(conn)
    tally = Appended(conn)
    with _insert_trigger_off(conn):
        yield tally
    after = last_span_id(conn)
    for first, last in tally.uncovered(before, after):
        for lo in range(first, last + 1, APPENDED_CHUNK):
            for table, key, counted in _RANGE_GROUPS:
                conn.exec_driver_sql(
                    f"INSERT INTO {table} ({', '.join(key)}, n) SELECT * FROM ({counted}) WHERE true "
                    f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET n = n + excluded.n",
                    (lo, min(last, lo + APPENDED_CHUNK - 1)))


@contextmanager
def deleted_range(conn: Connection, lo: int, hi: int) -> Iterator[None]:
    """Around the delete of the spans with ids lo..hi (an undone corpus-wide label): they
    are counted out first with three GROUP BYs over the range, and the delete trigger
    (six statements a span) is off inside; counts that reach zero go, as the trigger
    does. Only the spans of the range may be deleted inside."""
    if conn.dialect.name != "sqlite" or hi - lo + 1 < BULK:
        yield
        return
    for table, key, counted in _RANGE_GROUPS:
        match = " AND ".join(f"c.{k} = x.{k}" for k in key)
        conn.exec_driver_sql(f"UPDATE {table} AS c SET n = c.n - x.n FROM ({counted}) AS x WHERE {match}", (lo, hi))
        conn.exec_driver_sql(f"DELETE FROM {table} WHERE n <= 0")
    conn.exec_driver_sql("DROP TRIGGER span_counts_delete")
    try:
        yield
    finally:
        conn.exec_driver_sql(TRIGGERS["span_counts_delete"])


def recount(conn: Connection, tables: Iterable[str] = TABLES) -> None:
    """The counts of `tables` (every one by default) from the rows as they are (SQLite)."""
    for table in tables:
        conn.exec_driver_sql(f"DELETE FROM {table}")
        conn.exec_driver_sql(FILL[table])


def drop(conn: Connection, tables: Iterable[str] = TABLES) -> None:
    """`tables` (every one by default) and the triggers that keep them gone (the
    downgrades of revisions 0009 and 0010)."""
    if conn.dialect.name != "sqlite":
        return
    tables = set(tables)
    for name, kept in KEEPS.items():
        if tables.issuperset(kept):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    for table in tables:
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table}")
