"""Rows written in bulk as plain tuples: one prepared INSERT that the database driver
runs over every row itself. Building a dict a row and SQLAlchemy's processing of each
row's parameters cost an import more than SQLite's own insert (issue 18); the sqlite3
driver's executemany takes the tuples as they are. On a server the connection's driver
(psycopg) gets the same statement with its own marks."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from annotator.store.engine import sqlite_driver


def insert_rows(conn: Connection, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]],
                skip_taken: str | None = None, values: str | None = None) -> int | None:
    """INSERT INTO `table` (`columns`) each of `rows`, in the caller's transaction; with
    `skip_taken` (a column with a unique index), a row whose value there is taken is
    skipped; `values`: the VALUES list, when a column needs more than a mark (a CAST).
    Returns how many rows were inserted where the driver counts them (SQLite), else None.
    A database error is raised as SQLAlchemy raises it (IntegrityError, OperationalError
    ...), so the project says it as it says any other."""
    if not rows:
        return 0
    sql = f"INSERT INTO {table} ({', '.join(_quoted(c) for c in columns)}) VALUES ({values or _marks(conn, len(columns))})"
    if skip_taken is not None:
        sql += f" ON CONFLICT ({_quoted(skip_taken)}) DO NOTHING"
    if conn.dialect.name != "sqlite":
        conn.exec_driver_sql(sql, list(rows))  # a list of tuples: executemany
        return None
    try:
        cursor = sqlite_driver(conn.connection).executemany(sql, rows)
    except sqlite3.Error as exc:
        raise DBAPIError.instance(sql, None, exc, sqlite3.Error, dialect=conn.dialect, ismulti=True) from exc
    return cursor.rowcount  # the rows the statement itself inserted, not its triggers' (sqlite3_changes)


def _marks(conn: Connection, n: int) -> str:
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    return ", ".join([mark] * n)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
