"""Text search across the corpus, for every script the seeds use.

SQLite path (clearly SQLite-only, docs/ARCHITECTURE.md "Storage"): an FTS5 table `document_search`
with the trigram tokenizer, whose rowid is `documents.id` and whose columns hold the
*folded* title and text (`annotator.core.fold`). Queries are folded the same way, so
"geoana" finds "Geoană" and NFD Vietnamese finds NFC text. SQLite 3.40's trigram has no
`remove_diacritics` (3.45+) and unicode61 splits Bengali words at their vowel signs,
hence folding in Python. `case_sensitive 1`: fold() has already folded the case, and
this keeps the index byte-exact with the folded columns.

A query is one substring (like Ctrl+F, not a bag of words); white space in it matches
any run of white space in the text. `detail=none` (less than half the size of a full
index, and faster to write): the index finds the documents that hold every trigram of
the query, and `instr` on the stored folded text keeps those that hold the query itself,
so the answer is exact. Queries under 3 characters have no trigram and are answered by
`instr` alone. Without the table (PostgreSQL, or a SQLite project that lacks it) the
folded text is computed on the fly: the same results, slower.

PostgreSQL path (team mode, revision 0007_team): a plain table `document_search`
(document_id, folded title, folded body) with pg_trgm GIN indexes, queried with an
escaped `LIKE '%key%'`. The same `fold` on both sides, so both databases find the same
documents. (`unaccent` is not used: its rules differ from `fold`'s, e.g. it would turn
Bengali vowel signs or "æ" differently, and the two backends must agree.)

The index does not follow `documents` by itself (folding needs Python, and a trigger
would vanish whenever a batch migration rebuilds `documents`): whoever inserts, edits or
deletes documents calls `index_documents` / `unindex_documents` in the same transaction.
FTS5's `hashsize` (its buffer of new terms) is left at 1 MB: in an import each later
statement that opens a statement journal (the spans' inserts, with their foreign keys)
makes FTS5 write its pending terms out, so they go to disk once a batch whatever the
size (docs/BENCHMARKS.md, issue 18).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import Connection, Row, select, text

from annotator.core.fold import fold
from annotator.store.bulk_rows import insert_rows
from annotator.store.models import Document

TABLE = "document_search"
# The same statement as db/versions/0002_search_index.py (tests/store/test_search.py checks).
CREATE_SQL = (f"CREATE VIRTUAL TABLE {TABLE} USING fts5(title, body, tokenize='trigram case_sensitive 1', "
              "detail=none, columnsize=0)")
TRIGRAM = 3  # the index answers nothing shorter
MAX_TRIGRAMS = 32  # enough to narrow a long query down; instr checks the whole of it
_CHUNK = 500
# The candidates first_hits tests on the caller's thread: news-sized texts (2-20 KB) make
# this 2-20 MB of instr, a few milliseconds to a few tens.
FIRST_CANDIDATES = 1_000
# Whether a row's folded texts hold the key (bound twice): instr, not LIKE, an exact
# substring test with no wildcards to escape.
_CONTAINS = "(instr(body, ?) > 0 OR instr(title, ?) > 0)"


def is_search_table(name: str) -> bool:
    """The FTS table and its shadow tables (`document_search_data`, `_idx`, ...)."""
    return name == TABLE or name.startswith(TABLE + "_")


def include_name(name: str | None, type_: str, _parent_names: Mapping[str, str | None]) -> bool:
    """Alembic autogenerate filter: the FTS tables are not in `Base.metadata` and must
    not be dropped (nor batch-copied) by a generated migration."""
    # change_log (store/live.py) is a server's only, outside the models too; so are the
    # span counts (store/span_counts.py, SQLite only).
    return not (type_ == "table" and name is not None
                and (is_search_table(name) or name == "change_log" or name.startswith("span_counts_")))


def has_search_index(conn: Connection) -> bool:
    if conn.dialect.name == "postgresql":  # revision 0007_team's table (pg_trgm)
        return conn.exec_driver_sql(f"SELECT to_regclass('{TABLE}') IS NOT NULL").scalar() is True
    if conn.dialect.name != "sqlite":
        return False
    return conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                                (TABLE,)).first() is not None


def ensure_search_index(conn: Connection) -> bool:
    """Create the index on SQLite if it is missing, filled from every document. Returns
    whether it was created. Nothing to do on other dialects."""
    if conn.dialect.name != "sqlite" or has_search_index(conn):
        return False
    conn.exec_driver_sql(CREATE_SQL)
    reindex_all(conn)
    return True


def index_documents(conn: Connection, ids: Iterable[int], new: bool = False,
                    texts: Iterable[tuple[int, str | None, str]] | None = None,
                    folded: Iterable[tuple[int, bytes, bytes]] | None = None) -> None:
    """(Re)index documents `ids` after they were inserted or edited. Idempotent unless
    `new` says the documents were just inserted (then there is nothing to remove first).
    `texts` ((id, title, text) of those documents) saves reading them back; `folded`
    ((id, fold(title or ""), fold(text)) in UTF-8: DocumentRecord.folded, which an import's
    reading process computes) saves folding them too."""
    ids = list(ids)
    if not ids or not has_search_index(conn):
        return
    if not new:
        unindex_documents(conn, ids)
    if folded is not None:
        _insert_folded(conn, list(folded))
        return
    if texts is not None:
        _insert(conn, texts)
        return
    for i in range(0, len(ids), _CHUNK):
        rows = conn.execute(select(Document.id, Document.title, Document.text)
                            .where(Document.id.in_(ids[i : i + _CHUNK])))
        _insert(conn, rows)


def unindex_documents(conn: Connection, ids: Iterable[int]) -> None:
    """Forget documents `ids` (call it when deleting documents)."""
    ids = list(ids)
    if not ids or not has_search_index(conn):
        return
    key = _key(conn)
    conn.execute(text(f"DELETE FROM {TABLE} WHERE {key} = :id"), [{"id": i} for i in ids])


def reindex_all(conn: Connection) -> None:
    """Rebuild the whole index (e.g. after `fold` changed)."""
    if not has_search_index(conn):
        return
    conn.exec_driver_sql(f"DELETE FROM {TABLE}")
    ids = list(conn.scalars(select(Document.id).order_by(Document.id)))
    for i in range(0, len(ids), _CHUNK):
        _insert(conn, conn.execute(select(Document.id, Document.title, Document.text)
                                   .where(Document.id.in_(ids[i : i + _CHUNK]))))


def _key(conn: Connection) -> str:
    return "document_id" if conn.dialect.name == "postgresql" else "rowid"


def _insert(conn: Connection, rows: Iterable[Row[int, str | None, str] | tuple[int, str | None, str]]) -> None:
    insert_rows(conn, TABLE, (_key(conn), "title", "body"),
                [(doc_id, fold(title or ""), fold(body)) for doc_id, title, body in rows])


def _insert_folded(conn: Connection, rows: list[tuple[int, bytes, bytes]]) -> None:
    """Rows of UTF-8 folded texts. SQLite casts them to TEXT (the same bytes: the database
    is UTF-8), so the index holds text as from `_insert`, and Python never makes a `str`
    of 27 MB of folded text (10,000 documents) to encode it again."""
    if conn.dialect.name == "sqlite":
        insert_rows(conn, TABLE, ("rowid", "title", "body"), rows, values="?, CAST(? AS TEXT), CAST(? AS TEXT)")
    else:
        insert_rows(conn, TABLE, (_key(conn), "title", "body"),
                    [(doc_id, title.decode(), body.decode()) for doc_id, title, body in rows])


def fts_string(term: str) -> str:
    """`term` as an FTS5 string literal: nothing in it is read as query syntax."""
    return '"' + term.replace('"', '""') + '"'


def trigram_query(key: str) -> str:
    """An FTS5 query for the documents holding every trigram of `key` (up to
    MAX_TRIGRAMS of them), each one a string literal; juxtaposed strings are ANDed."""
    grams = list(dict.fromkeys(key[i : i + TRIGRAM] for i in range(len(key) - TRIGRAM + 1)))
    return " ".join(fts_string(g) for g in grams[:MAX_TRIGRAMS])


def search_documents(conn: Connection, query: str, limit: int | None = None) -> list[int]:
    """Ids, in document order, of the documents whose title or text contains `query`
    after folding both (the first `limit` of them). An empty (or all-space) query matches
    every document."""
    key = fold(query).strip()
    if not key:
        return list(conn.scalars(select(Document.id).order_by(Document.id).limit(limit)))
    if not has_search_index(conn):
        return _scan_documents(conn, key, limit)
    if conn.dialect.name == "postgresql":
        return _search_postgresql(conn, key, limit)
    contains = _CONTAINS
    if len(key) >= TRIGRAM:
        sql = f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH ? AND {contains} ORDER BY rowid"
        params: tuple[str | int, ...] = (trigram_query(key), key, key)
    else:
        sql = f"SELECT rowid FROM {TABLE} WHERE {contains} ORDER BY rowid"
        params = (key, key)
    if limit is not None:  # the index gives rowids in order: the first ones end the scan
        sql += " LIMIT ?"
        params += (limit,)
    return [r[0] for r in conn.exec_driver_sql(sql, params)]


def first_hits(conn: Connection, query: str, limit: int, candidates: int | None = None) -> tuple[list[int], bool]:
    """The first `limit` ids of search_documents(conn, query), looking no further than the
    first `candidates` documents the index names, and whether they are the whole answer
    (else the caller reads the rest where a wait does not matter). For the GUI thread: a
    query of common words that never stand together names most of the corpus as
    candidates and has no hit to end the scan early, so without the bound it would test
    every candidate's text (136 ms of CPU at 100,000 documents) to say "nothing"."""
    key = fold(query).strip()
    candidates = FIRST_CANDIDATES if candidates is None else candidates
    if not key or conn.dialect.name != "sqlite" or not has_search_index(conn):
        ids = search_documents(conn, query, limit)
        return ids, len(ids) < limit
    hit = _CONTAINS
    if len(key) >= TRIGRAM:
        sql = f"SELECT rowid, {hit} FROM {TABLE} WHERE {TABLE} MATCH ? ORDER BY rowid LIMIT ?"
        params: tuple[str | int, ...] = (key, key, trigram_query(key), candidates)
    else:
        sql = f"SELECT rowid, {hit} FROM {TABLE} ORDER BY rowid LIMIT ?"
        params = (key, key, candidates)
    found: list[int] = []
    seen = 0
    rows = conn.exec_driver_sql(sql, params)
    try:
        for rowid, contains in rows:  # each row's texts are tested as it is fetched
            seen += 1
            if contains:
                found.append(rowid)
                if len(found) == limit:
                    return found, False
    finally:
        rows.close()
    return found, seen < candidates


def candidate_documents(conn: Connection, query: str) -> list[int]:
    """Ids, in document order, of the documents that may contain `query`: a superset of
    search_documents (title or text, folded), for a caller that tests each text itself
    (label every occurrence tests the exact text). On SQLite the trigram index alone
    answers, without search_documents' check of every folded text it names (a sixth of
    finding a word's 50,000 occurrences, issue 18); elsewhere, search_documents."""
    key = fold(query).strip()
    if conn.dialect.name != "sqlite" or len(key) < TRIGRAM or not has_search_index(conn):
        return search_documents(conn, query)
    sql = f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH ? ORDER BY rowid"
    return [r[0] for r in conn.exec_driver_sql(sql, (trigram_query(key),)).all()]


def like_pattern(key: str) -> str:
    """`%key%` for LIKE with backslash as the escape: nothing in `key` is a wildcard."""
    return "%" + key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _search_postgresql(conn: Connection, key: str, limit: int | None = None) -> list[int]:
    """pg_trgm's GIN indexes answer LIKE '%key%' on the folded columns (revision 0007_team)."""
    sql = text(f"SELECT document_id FROM {TABLE} WHERE body LIKE :p ESCAPE '\\' OR title LIKE :p ESCAPE '\\' "
               "ORDER BY document_id" + (" LIMIT :n" if limit is not None else ""))
    return list(conn.scalars(sql, {"p": like_pattern(key), "n": limit}))


def _scan_documents(conn: Connection, key: str, limit: int | None = None) -> list[int]:
    """The portable path (a project whose index is missing): fold every document here.
    Correct everywhere, linear in the corpus."""
    rows = conn.execute(select(Document.id, Document.title, Document.text).order_by(Document.id)
                        .execution_options(yield_per=200))
    found = []
    for doc_id, title, body in rows:
        if key in fold(title or "") or key in fold(body):
            found.append(doc_id)
            if len(found) == limit:
                break
    rows.close()
    return found
