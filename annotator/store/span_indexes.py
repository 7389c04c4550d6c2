"""The spans table's secondary indexes set aside while an import loads a table that holds
few spans, and built again after it, in the same transaction (issue 18).

Each span an import inserts is also inserted into `ix_spans_layer` (a covering index of
six columns) and `ix_spans_annotator_created`, one B-tree step at a time. Into an empty
table, building each index once from the loaded rows (one sort) costs less: 200,000
spans inserted with both indexes 1.12 s of CPU, without them 0.78 s and 0.14 s to build
them after (bench: docs/BENCHMARKS.md, "On the imp6 branch"). Into a table that already
holds many spans the build would sort those too, so it is done only below
FEW_SPANS rows.

SQLite only; the statements dropped are put back as sqlite_master held them (the same
text, so the schema is byte for byte what it was), and DDL is transactional: a failed or
cancelled import rolls the drop back with everything else. Reads of `spans` by document
and layer need `ix_spans_layer`: whoever reads them inside the load calls `restore()`
first (the writer does, for the records whose events, links or attributes need span row
ids), which is the end of the load's fast path for the rest of the import.
"""

from __future__ import annotations

from sqlalchemy import Connection

INDEXES = ("ix_spans_layer", "ix_spans_annotator_created")
# Spans (an upper bound: the largest row id) under which an import sets the indexes
# aside: building them again then sorts at most this many rows besides the import's
# (about 15 ms), the most a one-document import into such a project pays.
FEW_SPANS = 20_000


class SpanIndexes:
    """Set aside by `set_aside()` when the table is small, put back by `restore()`
    (idempotent: a second call does nothing)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.held: list[str] = []  # the CREATE INDEX statements of the indexes dropped

    def set_aside(self) -> bool:
        """Drop the indexes if this is a SQLite project whose spans table holds fewer than
        FEW_SPANS rows; returns whether it did."""
        conn = self.conn
        if conn.dialect.name != "sqlite" or self.held:
            return False
        if int(conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM spans").scalar() or 0) >= FEW_SPANS:
            return False
        marks = ", ".join("?" for _ in INDEXES)
        found = dict(conn.exec_driver_sql(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'spans' AND name IN ({marks})",
            INDEXES).all())
        for name in INDEXES:
            if name in found:  # (an index missing from a project is not made here)
                conn.exec_driver_sql(f'DROP INDEX "{name}"')
                self.held.append(found[name])
        return bool(self.held)

    def restore(self) -> None:
        """Build the indexes set aside again, from the rows as they are now."""
        held, self.held = self.held, []
        for statement in held:
            self.conn.exec_driver_sql(statement)
