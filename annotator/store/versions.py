"""Row versions of shared items: what two people may edit at once and must not clobber.

An item is named by a string: `gold:DOC` (the gold layer of a document, with the
curator's decisions on its places), `alignment:A:B:ANN` (one annotator's sentence
alignment of documents A < B, with its crossing links), `group:DOC` (a document's
translation group). Every committed change of an item counts its version up by one and
records who made it and when (table item_versions; an item never changed is version 0),
on SQLite as on a server, by `stamp`, called by the one write path (Recorder.change and
changes.apply) inside the change's transaction.

A writer that says which versions it has seen (Project.seen_versions: the edit runner
keeps them, updated by its own changes and by live updates) has a change of an item
seen at another version refused with who changed it and when (VersionConflict, with
nothing written), instead of writing over a change it has not seen.
"""

from __future__ import annotations

import getpass
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import Any, Protocol

from sqlalchemy import Connection, bindparam, select, text, update

from annotator.core.errors import AnnotatorError
from annotator.core.identity import GOLD_ANNOTATOR
from annotator.store.models import ItemVersion


class ChangeLike(Protocol):
    """What this module reads of a store Change (changes.py imports this module)."""

    @property
    def description(self) -> str: ...
    @property
    def rows(self) -> Sequence[Any]: ...  # RowChange: table, before, after
    @property
    def layers(self) -> Sequence[Any]: ...  # LayerStatus: document_id, annotator, before, after

SEEN_OPTION = "annotator_seen_versions"  # execution option: the versions the writer has seen
USER_OPTION = "annotator_user"  # execution option: who writes, on a file (a server knows its login)


class VersionConflict(AnnotatorError):
    """A change of an item someone else changed since the writer saw it; nothing was written."""

    def __init__(self, message: str, description: str, items: Mapping[str, int]) -> None:
        super().__init__(message)
        self.description = description  # what the refused edit would have done
        self.items = dict(items)  # the conflicting items at their current versions


def items_of(change: ChangeLike) -> set[str]:
    """The shared items a change touches."""
    out = {f"gold:{s.document_id}" for s in change.layers if s.annotator == GOLD_ANNOTATOR}
    for r in change.rows:
        row = r.after or r.before or {}
        if r.table == "adjudication_decisions" and "document_id" in row:
            out.add(f"gold:{row['document_id']}")
        elif r.table in ("alignment_blocks", "alignment_crossings") and "doc_a_id" in row:
            a, b = sorted((row["doc_a_id"], row["doc_b_id"]))
            out.add(f"alignment:{a}:{b}:{row['annotator_id']}")
        elif r.table == "documents" and ("group_id" in (r.after or {}) or "group_id" in (r.before or {})):
            out.add(f"group:{row['id']}")
    return out


def describe_item(item: str) -> str:
    kind, _, rest = item.partition(":")
    if kind == "gold":
        return f"the gold layer of document {rest}"
    if kind == "alignment":
        a, b, _ann = rest.split(":")
        return f"the alignment of documents {a} and {b}"
    if kind == "group":
        return f"the translation group of document {rest}"
    return item


def read_all(conn: Connection) -> dict[str, int]:
    """Every item's version (what a client has seen when it has just read the project)."""
    return {item: version for item, version in conn.execute(select(ItemVersion.item, ItemVersion.version))}


def stamp(conn: Connection, change: ChangeLike) -> tuple[tuple[str, int], ...]:
    """Check the versions the writer has seen, then count up those of the items `change`
    touches; returns those items with their new versions."""
    items = sorted(items_of(change))
    if not items:
        return ()
    current = {row.item: row for row in conn.execute(_CURRENT, {"items": items})}
    seen: Mapping[str, int] | None = conn.get_execution_options().get(SEEN_OPTION)
    if seen is not None:
        stale = {i: current[i] for i in items if i in current and current[i].version != seen.get(i, 0)}
        if stale:
            first = next(iter(stale.values()))
            when = first.changed_at if isinstance(first.changed_at, datetime) else datetime.fromisoformat(
                str(first.changed_at))
            raise VersionConflict(
                f"{describe_item(first.item)} was changed by {first.changed_by} at {when:%H:%M:%S} UTC "
                f"(version {first.version}; you had seen version {seen.get(first.item, 0)}), so “{change.description}” "
                "was not saved", change.description, {i: r.version for i, r in stale.items()})
    who = _who(conn)
    now = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
    for i in items:
        if i in current:
            conn.execute(_BUMP, {"key": i, "by": who, "at": now})
        else:  # first change (a concurrent first change of the same item fails on the key: try again)
            conn.execute(ItemVersion.__table__.insert(), [{"item": i, "version": 1, "changed_by": who, "changed_at": now}])
    return tuple((i, current[i].version + 1 if i in current else 1) for i in items)


def _who(conn: Connection) -> str:
    if conn.dialect.name == "postgresql":
        return str(conn.scalar(text("SELECT current_user")))
    given = conn.get_execution_options().get(USER_OPTION)
    if given:
        return str(given)
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in the environment or the password database
        return "this computer's user"


_CURRENT = (select(ItemVersion.item, ItemVersion.version, ItemVersion.changed_by, ItemVersion.changed_at)
            .where(ItemVersion.item.in_(bindparam("items", expanding=True))))
_BUMP = (update(ItemVersion).where(ItemVersion.item == bindparam("key"))
         .values(version=ItemVersion.version + 1, changed_by=bindparam("by"), changed_at=bindparam("at")))
