"""Engine set-up: SQLite in WAL mode, foreign keys on, a busy timeout, and write
transactions that take the write lock at BEGIN (no upgrade deadlocks between readers)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event

BUSY_TIMEOUT_MS = 5000


def sqlite_engine(path: Path, readonly: bool = False) -> Engine:
    url = f"sqlite+pysqlite:///{path}"
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
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
    def _on_begin(conn):
        default = "DEFERRED" if readonly else "IMMEDIATE"
        mode = conn.get_execution_options().get("sqlite_begin", default)
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine
