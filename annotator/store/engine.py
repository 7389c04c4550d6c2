"""Engine set-up: SQLite in WAL mode, foreign keys on, a busy timeout, and write
transactions that take the write lock at BEGIN (no upgrade deadlocks between readers).

The connection is made from the file's path, never from a database URL: a `%`, `?` or `#`
in a file name is part of the name. Read-only opening has three ways (`ReadMode`):
a normal connection told not to write (as in a writable folder), SQLite's `mode=ro`, and
`immutable=1` for a read-only folder where SQLite cannot create the WAL's `-shm`.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:  # SQLAlchemy is imported where an engine is made: `connect` serves without it
    from sqlalchemy import Connection, Engine
    from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection

BUSY_TIMEOUT_MS = 5000


class ReadMode(Enum):
    WRITABLE = "rw"  # an ordinary connection (with query_only when the project is opened read-only)
    READ_ONLY = "ro"  # SQLite's mode=ro: needs the -shm beside the file, or a folder to create it in
    IMMUTABLE = "immutable"  # nothing beside the file is read or made; only when no -wal file exists


def file_uri(path: Path, mode: ReadMode) -> str:
    """A `file:` URI naming exactly `path` (every special character percent-encoded)."""
    uri = Path(os.path.abspath(path)).as_uri()
    return f"{uri}?immutable=1" if mode is ReadMode.IMMUTABLE else f"{uri}?mode={mode.value}"


def connect(path: Path, mode: ReadMode = ReadMode.WRITABLE) -> sqlite3.Connection:
    """A plain sqlite3 connection to exactly `path`; the ro modes never create the file."""
    timeout = BUSY_TIMEOUT_MS / 1000
    if mode is ReadMode.WRITABLE:
        # An absolute path: never read as a URI even where SQLite is built with URIs on.
        return sqlite3.connect(os.path.abspath(path), timeout=timeout, check_same_thread=False)
    return sqlite3.connect(file_uri(path, mode), uri=True, timeout=timeout, check_same_thread=False)


def sqlite_driver(raw: PoolProxiedConnection) -> sqlite3.Connection:
    """The sqlite3 connection under a pooled one, for what SQLAlchemy cannot say or would
    slow down. SQLAlchemy types it Optional: it is None only once `raw` is closed."""
    return cast(sqlite3.Connection, raw.driver_connection)


def driver_rows(conn: Connection, sql: str, params: Sequence[Any]) -> list[Any]:
    """Every row of `sql` as the sqlite3 driver gives them (tuples): a read of many rows
    without a SQLAlchemy row object each."""
    cursor = sqlite_driver(conn.connection).execute(sql, params)
    try:
        return cursor.fetchall()
    finally:
        cursor.close()


def sqlite_engine(path: Path, readonly: bool = False, mode: ReadMode = ReadMode.WRITABLE) -> Engine:
    from sqlalchemy import create_engine, event, pool

    engine = create_engine("sqlite+pysqlite://", creator=lambda: connect(path, mode), poolclass=pool.QueuePool)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
        # Let us issue BEGIN ourselves (the pysqlite driver would otherwise begin lazily).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA cache_size=-65536")  # 64 MB: bulk imports and the search index
        if readonly:
            cur.execute("PRAGMA query_only=ON")
        else:
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")  # durable per commit in WAL mode except on power loss
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        default = "DEFERRED" if readonly else "IMMEDIATE"
        mode = conn.get_execution_options().get("sqlite_begin", default)
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def server_engine(url: str, readonly: bool = False) -> Engine:
    """A PostgreSQL engine (psycopg 3) for a project on a server. Transactions are
    REPEATABLE READ: each sees one snapshot, and an edit of a row someone else changed
    since that snapshot is refused (a serialization failure, said as "someone else
    changed the same thing"), never applied over theirs. (SERIALIZABLE refused a third of
    the edits of 4 annotators working on different layers, from its page-level predicate
    locks: bench/team_load.py.) Read-only opening makes every transaction read-only on
    the server."""
    from sqlalchemy import create_engine

    options = "-c default_transaction_read_only=on" if readonly else ""
    return create_engine(url, isolation_level="REPEATABLE READ", pool_pre_ping=True,
                         connect_args={"options": options, "application_name": "annotator",
                                       "connect_timeout": 10})
