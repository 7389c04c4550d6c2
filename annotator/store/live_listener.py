"""The client side of live updates (store/live.py): LISTEN on a project's server on a
connection of its own, and read the changes others committed, as this login may read
them (row-level security), leaving out the changes of its own session. Plain psycopg,
no Qt: the UI runs it on a thread (annotator/ui/live.py)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from annotator.store.changes import Change, LayerStatus, RowChange
from annotator.store.live import CHANNEL
from annotator.store.location import ServerLocation


@dataclass(frozen=True)
class Logged:
    """A change someone else committed, as this login may read it."""

    id: int
    changed_by: str
    changed_at: datetime
    change: Change  # rows and layers as logged; for a write outside the edit path, one empty row per table
    versions: dict[str, int]


def from_row(log_id: int, changed_by: str, changed_at: datetime, body_text: str) -> Logged:
    body: dict[str, Any] = json.loads(body_text)
    if "tables" in body:  # logged by a table's trigger: which table, not which rows
        change = Change(f"{', '.join(body['tables'])} changed",
                        tuple(RowChange(t, {}, {}) for t in body["tables"]))
    else:
        change = Change(body["description"],
                        tuple(RowChange(t, before, after) for t, before, after in body["rows"]),
                        tuple(LayerStatus(*layer) for layer in body["layers"]),
                        tuple(body["documents"]), forward=body["forward"])
    return Logged(log_id, changed_by, changed_at, change, dict(body.get("versions", {})))


class Listener:
    """LISTEN on a project's server on a connection of its own; `wait` returns the
    changes others committed. Raises psycopg.OperationalError when the server goes away
    (the caller reconnects with `connect`)."""

    def __init__(self, location: ServerLocation, session: str) -> None:
        self.location, self.session = location, session
        self.conn: Any = None

    def connect(self) -> None:
        import psycopg

        self.close()
        self.conn = psycopg.connect(self.location.url, autocommit=True, connect_timeout=5,
                                    application_name="annotator live updates")
        self.conn.execute(f"LISTEN {CHANNEL}")
        try:
            self.conn.execute("SELECT team_prune_log()")
        except psycopg.errors.InsufficientPrivilege:
            pass  # an older project's roles: its log is pruned by whoever may

    def wait(self, timeout: float) -> list[Logged]:
        """The changes of others whose notifications arrive within `timeout` seconds."""
        first = list(self.conn.notifies(timeout=timeout, stop_after=1))  # back as soon as one arrives
        more = list(self.conn.notifies(timeout=0.01)) if first else []  # and those of the same moment
        ids = [int(n.payload) for n in first + more if n.payload.isdigit()]
        return self.read(ids) if ids else []

    def read(self, ids: Iterable[int]) -> list[Logged]:
        rows = self.conn.execute("SELECT id, changed_by, changed_at, body FROM change_log "
                                 "WHERE id = ANY(%s) AND session IS DISTINCT FROM %s ORDER BY id",
                                 (list(ids), self.session)).fetchall()
        return [from_row(*row) for row in rows]

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.close()
            finally:
                self.conn = None
