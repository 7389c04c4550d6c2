"""Live updates on a server: every committed change is told to everyone else's windows.

The one write path (Recorder.change, changes.apply) logs each change of a project on a
server in `change_log` (migration 0008_live) inside its own transaction: its rows, layers,
documents and description as JSON, the session that made it, and the layer whose owner
may read it. A trigger NOTIFYs channel `annotator_live` with the row's id, which
PostgreSQL delivers only once the transaction commits, in commit order. Row-level
security on change_log is the layers' (store/roles.py): a listener reads only the
changes of layers its login may read, so a notification (which every listener receives,
carrying only an id) tells an annotator nothing of another's layer.

Who may read a logged change (`annotator_id` of its row): the one layer it touched (the
gold layer: annotators read it once a manager made gold visible); NULL for changes of no
layer (documents, groups, names, assignment); CURATORS_ONLY for a change of several
layers or of rows whose layer is not written on them.

`live_listener.Listener` is the client side. A SQLite file has one user at a time: nothing is logged there.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Protocol

from sqlalchemy import Connection, bindparam, select, text

from annotator.store.models import Annotator
from annotator.store.versions import ChangeLike


class LoggedLike(ChangeLike, Protocol):
    """What this module reads of a store Change (changes.py imports this module)."""

    @property
    def documents(self) -> Sequence[int]: ...
    @property
    def forward(self) -> bool: ...
    @property
    def versions(self) -> Sequence[tuple[str, int]]: ...

CHANNEL = "annotator_live"
SESSION_OPTION = "annotator_session"  # execution option: the writing session, so it skips its own changes
CURATORS_ONLY = 0
KEEP = "1 day"  # logged changes older than this are removed when a listener connects
# Tables anyone on the team may read: a change of these alone is for everyone.
PUBLIC_TABLES = frozenset({"annotators", "documents", "translation_groups", "project_meta", "assignments",
                           "suggestion_sources", "suggestions", "item_versions"})

SERVER_DDL = (
    "CREATE TABLE change_log (id bigserial PRIMARY KEY, annotator_id integer, session text, "
    "changed_by text NOT NULL DEFAULT session_user, "
    "changed_at timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'utc'), body text NOT NULL)",
    "CREATE INDEX ix_change_log_changed_at ON change_log (changed_at)",
    f"CREATE FUNCTION team_notify_change() RETURNS trigger LANGUAGE plpgsql AS "
    f"$$ BEGIN PERFORM pg_notify('{CHANNEL}', NEW.id::text); RETURN NULL; END $$",
    "CREATE TRIGGER notify_change AFTER INSERT ON change_log FOR EACH ROW EXECUTE FUNCTION team_notify_change()",
    # Writes outside the edit path (imports, assignment) are logged by the table's name only.
    "CREATE FUNCTION team_log_table() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS "
    "$$ BEGIN INSERT INTO change_log (annotator_id, body) VALUES "
    "(NULL, json_build_object('tables', json_build_array(TG_TABLE_NAME))::text); RETURN NULL; END $$",
    "CREATE TRIGGER log_documents AFTER INSERT OR UPDATE OR DELETE ON documents "
    "FOR EACH STATEMENT EXECUTE FUNCTION team_log_table()",
    "CREATE TRIGGER log_assignments AFTER INSERT OR UPDATE OR DELETE ON assignments "
    "FOR EACH STATEMENT EXECUTE FUNCTION team_log_table()",
    f"CREATE FUNCTION team_prune_log() RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = public AS "
    f"$$ DELETE FROM change_log WHERE changed_at < (now() AT TIME ZONE 'utc') - interval '{KEEP}' $$",
)


def log(conn: Connection, change: LoggedLike) -> None:
    """Log `change` for the other listeners (on a server; nothing on a file)."""
    if conn.dialect.name != "postgresql" or not change.rows:
        return
    body = {"description": change.description, "forward": change.forward,
            "rows": [[r.table, r.before, r.after] for r in change.rows],
            "layers": [[s.document_id, s.annotator, s.before, s.after] for s in change.layers],
            "documents": list(change.documents), "versions": dict(change.versions)}
    conn.execute(_LOG, {"ann": _audience(conn, change), "session": conn.get_execution_options().get(SESSION_OPTION),
                        "body": json.dumps(body, default=str, ensure_ascii=False)})


def _audience(conn: Connection, change: LoggedLike) -> int | None:
    tables = {r.table for r in change.rows}
    if tables <= PUBLIC_TABLES:
        return None
    names = {s.annotator for s in change.layers}
    if len(names) == 1:
        on_rows = {row["annotator_id"] for r in change.rows for row in (r.after or r.before or {},)
                   if "annotator_id" in row and r.table not in PUBLIC_TABLES}
        if len(on_rows) == 1:
            return int(next(iter(on_rows)))
        found = conn.scalar(_ANNOTATOR, {"name": next(iter(names))})
        return int(found) if found is not None else CURATORS_ONLY
    if not names and tables - PUBLIC_TABLES == {"adjudication_decisions"}:
        found = conn.scalar(_ANNOTATOR, {"name": "gold"})
        return int(found) if found is not None else CURATORS_ONLY
    return CURATORS_ONLY


_LOG = text("INSERT INTO change_log (annotator_id, session, body) VALUES (:ann, :session, :body)")
_ANNOTATOR = select(Annotator.id).where(Annotator.name == bindparam("name"))
