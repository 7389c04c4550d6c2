"""The spans table's indexes set aside while an import loads a table that holds few
spans, and built again after it, in the same transaction (issue 18).

Each span an import inserts is also inserted into `uq_spans_uid` (random ids: a B-tree
step at a random place, and at 2,000,000 spans an index larger than the page cache),
`ix_spans_layer` (a covering index of six columns) and `ix_spans_annotator_created`.
Into an empty table, building each index once from the loaded rows (one sort) costs
less: 200,000 spans inserted with the three indexes 1.12 s of CPU, without them 0.42 s
and 0.26 s to build them after; 2,000,000 spans 16.9 s against 4.7 s and 3.7 s
(raw inserts; docs/BENCHMARKS.md, "On the imp6 branch"). Into a table that already holds many spans
the builds would sort those too, so it is done only below FEW_SPANS rows.

While `uq_spans_uid` is set aside, a span id the table already holds is not refused by
the insert: `restore` finds such ids when the unique index cannot be built, and gives
every row but the first (the oldest, as an insert that skipped a taken id would have
kept) a new id, returned so the writer records it as it records ids renamed on insert.

SQLite only; the statements dropped are put back as sqlite_master held them (the same
text), and DDL is transactional: a failed or cancelled import rolls the drop back with
everything else. Whoever reads spans by id or by layer inside the load calls `restore()`
first (the writer does, before a batch whose events, links or attributes need span row
ids), which ends the load's fast path for the rest of the import.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy import Connection

from annotator.core.ids import new_ids
from annotator.store.engine import sqlite_driver

UNIQUE = "uq_spans_uid"
INDEXES = (UNIQUE, "ix_spans_layer", "ix_spans_annotator_created")
# Spans (an upper bound: the largest row id) under which an import sets the indexes
# aside: building them again then sorts at most this many rows besides the import's
# (about 40 ms), the most a one-document import into such a project pays.
FEW_SPANS = 20_000
# SQLite's page cache while the indexes are built, in KiB: a sort keeps as much in
# memory as the cache may hold before it writes runs to a temporary file, so the
# import's 32 MB cache and a 32 MB sort beside it took the 100,000-document import's
# peak from 218 to 252 MB (over its 250 MB target); 16 MB: 235 MB; 8 MB: 225 MB, with
# 1.7 s more of system time writing and merging the runs.
BUILD_CACHE_KB = 16384


class SpanIndexes:
    """Set aside by `set_aside()` when the table is small, put back by `restore()`
    (idempotent: a second call does nothing)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.held: list[tuple[str, str]] = []  # (name, CREATE INDEX statement) of the indexes dropped

    @property
    def unique_held(self) -> bool:
        """Whether span ids are not checked by the insert now (uq_spans_uid set aside)."""
        return any(name == UNIQUE for name, _sql in self.held)

    def set_aside(self) -> bool:
        """Drop the indexes if this is a SQLite project whose spans table holds fewer than
        FEW_SPANS rows; returns whether it did."""
        conn = self.conn
        if conn.dialect.name != "sqlite" or self.held:
            return False
        if int(conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM spans").scalar() or 0) >= FEW_SPANS:
            return False
        marks = ", ".join("?" for _ in INDEXES)
        found: dict[str, str] = dict(conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'spans' "
            f"AND sql IS NOT NULL AND name IN ({marks})", INDEXES).all())
        for name in INDEXES:
            if name in found:  # (an index missing from a project is not made here)
                conn.exec_driver_sql(f'DROP INDEX "{name}"')
                self.held.append((name, found[name]))
        return bool(self.held)

    def restore(self) -> list[tuple[str, str, str]]:
        """Build the indexes set aside again, from the rows as they are now. Returns the
        spans given a new id because an older row held theirs: (document id, the id
        they were written with, the new one)."""
        held, self.held = self.held, []
        renamed: list[tuple[str, str, str]] = []
        if not held:
            return renamed
        driver = sqlite_driver(self.conn.connection)
        cache = driver.execute("PRAGMA cache_size").fetchone()[0]
        driver.execute(f"PRAGMA cache_size=-{BUILD_CACHE_KB}")  # the sorts' memory (see BUILD_CACHE_KB)
        try:
            for name, statement in held:
                while True:
                    try:
                        driver.execute(statement)
                        break
                    except sqlite3.IntegrityError:  # ids taken twice (only the unique index refuses)
                        if name != UNIQUE:
                            raise
                        renamed += self._rename_repeats(driver)
        finally:
            driver.execute(f"PRAGMA cache_size={int(cache)}")
        return renamed

    def _rename_repeats(self, driver: sqlite3.Connection) -> list[tuple[str, str, str]]:
        """A new id for every span whose id an older row (a smaller row id) holds."""
        repeats = driver.execute(
            "SELECT s.id, s.uid, d.uid FROM spans s JOIN documents d ON d.id = s.document_id "
            "WHERE s.uid IN (SELECT uid FROM spans GROUP BY uid HAVING count(*) > 1) ORDER BY s.uid, s.id").fetchall()
        later = [(row_id, uid, doc) for i, (row_id, uid, doc) in enumerate(repeats) if i and repeats[i - 1][1] == uid]
        fresh = new_ids("s", len(later))
        driver.executemany("UPDATE spans SET uid = ? WHERE id = ?", [(new, row_id) for (row_id, _u, _d), new in
                                                                     zip(later, fresh, strict=True)])
        return [(doc, uid, new) for (_id, uid, doc), new in zip(later, fresh, strict=True)]
