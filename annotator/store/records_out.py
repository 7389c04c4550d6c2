"""Gold records of a project's SQLAlchemy connection (SQLite or a server), streamed in
document order: the queries and the records of store.record_rows, run through the
connection's driver."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import Connection

from annotator.core.records import DocumentRecord
from annotator.store import record_rows
from annotator.store.engine import sqlite_driver
from annotator.store.record_rows import Query


def connection_query(conn: Connection) -> Query:
    """SQL text run in `conn`'s transaction. On SQLite the driver's own cursor gives plain
    tuples (SQLAlchemy's per-row work was half of an export); on a server the rows come a
    batch at a time, so a large table is never held whole."""
    if conn.dialect.name == "sqlite":
        return sqlite_driver(conn.connection).execute
    return lambda sql: conn.exec_driver_sql(sql, execution_options={"yield_per": 5000})


def iter_records(conn: Connection, annotator: str | None = None,
                 document_ids: list[int] | None = None) -> Iterator[DocumentRecord]:
    return record_rows.iter_records(connection_query(conn), annotator, document_ids,
                                    sqlite=conn.dialect.name == "sqlite")
