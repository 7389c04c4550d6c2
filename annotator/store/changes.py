"""A reversible record of one write: every store operation that changes a project returns
a Change, and `apply` undoes or redoes any of them in one transaction.

A Change lists the rows it removed, added and updated, in the order they were written,
as the database holds them (ids and timestamps included), so undoing puts back exactly
what was there and redoing exactly what was written. It also names the layers it touched
with their status before and after (the automatic "in progress" of a first span is a row
like any other, so undoing that span makes the layer "to do" again), the documents it
touched, and what it did in words ("label PERSON «Geoană»").

Operations write through a Recorder, which performs each insert, update and delete and
remembers the rows; nothing writes to the tables behind its back (a cascade would).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Hashable, Iterable, Mapping
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from functools import cache
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Delete,
    Insert,
    Select,
    Table,
    TableClause,
    TextClause,
    Update,
    bindparam,
    column,
    delete,
    func,
    insert,
    select,
    table,
    text,
    tuple_,
    type_coerce,
    update,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.types import Boolean, Integer, NullType, String

from annotator.core.errors import AnnotatorError
from annotator.store import span_counts
from annotator.store.engine import driver_rows
from annotator.store.models import Annotator, Base, DocumentStatus

if TYPE_CHECKING:
    from annotator.store.project import Project

Row = Mapping[str, Any]  # a row as the database holds it
_OWNERS = ("document_id", "annotator_id", "doc_a_id", "doc_b_id")  # columns naming a row's document and layer


@dataclass(frozen=True)
class RowChange:
    """One row of `table`: before None is an insert, after None a delete, else an update
    (holding the key, the uid if the table has one, and the updated columns only)."""

    table: str
    before: Row | None
    after: Row | None


@dataclass(frozen=True)
class LayerStatus:
    document_id: int
    annotator: str
    before: str  # todo, in_progress or done
    after: str


@dataclass(frozen=True)
class Change:
    description: str
    rows: tuple[RowChange, ...] = ()
    layers: tuple[LayerStatus, ...] = ()
    documents: tuple[int, ...] = ()
    # Suggestions the user dismissed: window memory, not stored, but undone like an edit.
    dismissed: frozenset[tuple[str, Hashable]] = frozenset()
    forward: bool = True  # False: this is the undo of the change described
    result: object = field(default=None, compare=False)  # what the operation made, for its caller
    # The shared items it changed at their new versions (store/versions.py), once committed.
    versions: tuple[tuple[str, int], ...] = field(default=(), compare=False)

    def __bool__(self) -> bool:
        return bool(self.rows or self.dismissed)

    def inverse(self) -> Change:
        """The change that undoes this one."""
        return replace(self, rows=tuple(RowChange(r.table, r.after, r.before) for r in reversed(self.rows)),
                       layers=tuple(LayerStatus(s.document_id, s.annotator, s.after, s.before) for s in self.layers),
                       forward=not self.forward)

    def touches(self, *tables: str) -> bool:
        return any(r.table in tables for r in self.rows)


def apply(project: Project, change: Change, forward: bool) -> Change:
    """Redo (forward) or undo `change` in one transaction. Refused, with nothing written,
    if a row is no longer as the change left it (another program edited it since), or
    if a shared item it touches was changed since by someone else (versions.py). Returns
    the change as applied (the inverse for an undo), with its items' new versions."""
    applied = change if forward else change.inverse()  # made once: a bulk label's is 100,000 rows
    with project.write() as conn:
        apply_change(conn, applied, True)
        applied = _published(conn, applied)
    if change.touches("project_meta"):
        project.__dict__.pop("schema", None)  # the cached schema is stale now
    return applied


def _published(conn: Connection, change: Change) -> Change:
    """Before the commit: shared items' versions checked and counted up, and the change
    logged for other people's windows (on a server)."""
    from annotator.store import live, versions

    change = replace(change, versions=versions.stamp(conn, change))
    live.log(conn, change)
    return change


def apply_change(conn: Connection, change: Change, forward: bool) -> None:
    rows = (change if forward else change.inverse()).rows
    i = 0
    while i < len(rows):
        r = rows[i]
        if r.before is not None and r.after is not None:  # an update: one row, matched on all it held
            raw = _raw(r.table)
            match = [raw.c[k].is_not_distinct_from(v) for k, v in r.before.items()]
            if conn.execute(update(raw).values(**r.after).where(*match)).rowcount != 1:
                raise _changed_since(change)
            i += 1
            continue
        # A run of inserts, or of deletes, of one table (a bulk label's thousands of
        # spans): written a chunk at a time, not a statement a row.
        j = i + 1
        side = "after" if r.before is None else "before"
        keys = getattr(r, side).keys()
        while (j < len(rows) and rows[j].table == r.table and getattr(rows[j], side) is not None
               and getattr(rows[j], "before" if side == "after" else "after") is None
               and getattr(rows[j], side).keys() == keys):
            j += 1
        run = [getattr(x, side) for x in rows[i:j]]
        if side == "after":
            _insert_run(conn, r.table, run)
        else:
            _delete_unchanged(conn, r.table, run, change)
        i = j


def _insert_run(conn: Connection, name: str, rows: list[Row]) -> None:
    """Inserts rows as recorded (a redo): through the driver on SQLite, and a bulk
    label's spans (one range of ids) counted in with GROUP BYs, not the trigger."""
    if conn.dialect.name != "sqlite":
        conn.execute(_insert_raw(name), rows)
        return
    ids = [r["id"] for r in rows] if name == "spans" and "id" in rows[0] else []
    lo, hi = (min(ids), max(ids)) if ids else (0, -1)
    with span_counts.inserted_range(conn, lo, hi) if hi - lo + 1 == len(ids) else nullcontext():
        _insert_driver(conn, name, rows)


def _delete_unchanged(conn: Connection, name: str, rows: list[Row], change: Change) -> None:
    """Deletes `rows` (each with its key) if each is still as it was recorded; else refuses."""
    raw = _raw(name)
    keys = [c.name for c in Base.metadata.tables[name].primary_key]
    if not all(k in rows[0] for k in keys):  # not keyed: matched on all it held, a row at a time
        for row in rows:
            if conn.execute(delete(raw).where(*[raw.c[k].is_not_distinct_from(v) for k, v in row.items()])).rowcount != 1:
                raise _changed_since(change)
        return
    cols = list(rows[0])
    if keys == ["id"]:
        rows = sorted(rows, key=lambda r: r["id"])
        lo, hi = rows[0]["id"], rows[-1]["id"]
        if hi - lo + 1 == len(rows):  # the ids one insert gave (a bulk label's): one read, one delete
            span = raw.c.id.between(lo, hi)
            held = conn.execute(select(*[raw.c[c] for c in cols]).where(span).order_by(raw.c.id)).all()
            if len(held) != len(rows) or any(tuple(h) != tuple(r[c] for c in cols) for h, r in zip(held, rows)):
                raise _changed_since(change)
            with span_counts.deleted_range(conn, lo, hi) if name == "spans" else nullcontext():
                if conn.execute(delete(raw).where(span)).rowcount != len(rows):
                    raise _changed_since(change)
            return
    key_of = (lambda r: r[keys[0]]) if len(keys) == 1 else (lambda r: tuple(r[k] for k in keys))
    where = raw.c[keys[0]] if len(keys) == 1 else tuple_(*[raw.c[k] for k in keys])
    for n in range(0, len(rows), _CHUNK):
        chunk = rows[n:n + _CHUNK]
        wanted = [key_of(r) for r in chunk]
        now = {key_of(m): dict(m) for m in conn.execute(select(*[raw.c[c] for c in cols]).where(where.in_(wanted)))
               .mappings()}
        if any(now.get(key_of(r)) != r for r in chunk):
            raise _changed_since(change)
        if conn.execute(delete(raw).where(where.in_(wanted))).rowcount != len(chunk):
            raise _changed_since(change)


def _changed_since(change: Change) -> AnnotatorError:
    return AnnotatorError(f"the project changed since “{change.description}” (another window or program "
                          "edited it), so it cannot be undone or redone")


class Recorder:
    """Writes rows inside the caller's transaction and remembers them for the Change."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.rows: list[RowChange] = []
        self.touched: dict[tuple[int, int], None] = {}  # (document id, annotator id), in order
        self.documents: dict[int, None] = {}
        self._next_id: dict[str, int] = {}
        # What this transaction already knows, so that the change's layers need no reads:
        # layer statuses as they are now, and annotator names.
        self._status: dict[tuple[int, int], str] = {}
        self._names: dict[int, str] = {}
        self._now: str | None = None  # CURRENT_TIMESTAMP of this transaction, once read (SQLite)

    def insert(self, model: type[Base], rows: list[dict[str, Any]]) -> list[int]:
        """Inserts rows (in one statement); returns their ids (tables with an id)."""
        if not rows:
            return []
        t: Table = model.__table__
        keys = [c.name for c in t.primary_key]
        if keys == ["id"] and self.conn.dialect.name == "postgresql":
            # Many writers at once: ids come from the table's sequence, never max + 1.
            ids = self.conn.scalars(_next_ids(t), {"n": len(rows)}).all()
            rows = [{"id": i, **r} for i, r in zip(ids, rows, strict=True)]
        elif keys == ["id"]:
            first = self._next_id.get(t.name) or (self.conn.scalar(_max_id(t)) or 0) + 1
            rows = [{"id": first + i, **r} for i, r in enumerate(rows)]
            self._next_id[t.name] = first + len(rows)
        written = self._as_stored(t, rows)
        if written is not None:  # nothing for the database to fill in: no read-back
            _insert_driver(self.conn, t.name, written)
        else:
            self.conn.execute(_insert(t), rows)
            written = self._read(t, [{k: r[k] for k in keys} for r in rows])
        self._note(t.name, [(None, w) for w in written])
        return [r["id"] for r in rows] if keys == ["id"] else []

    def _as_stored(self, t: Table, rows: list[dict[str, Any]]) -> list[Row] | None:
        """`rows` whole, as SQLite will store them, or None when that is not known without
        reading them back. Known on SQLite when each value is of its column's own type
        (text in a text column, an integer in an integer one, or NULL: stored as given),
        the key is given, and every column left out is NULL, a constant default or the
        creation time: that one is the transaction's own CURRENT_TIMESTAMP, read once, so
        a bulk label's rows need no read-back (issue 18) and all of them share it."""
        if self.conn.dialect.name != "sqlite":
            return None
        plan = _plan(t)
        given = rows[0].keys()
        if plan is None or not all(k in given for k in plan.key) or any(r.keys() != given for r in rows):
            return None
        for name in given:
            kinds = plan.kinds.get(name)
            if kinds is None or not set(map(type, map(itemgetter(name), rows))) <= kinds:
                return None
        if self._now is None and any(v is _NOW for c, v in plan.fill.items() if c not in given):
            self._now = self.conn.exec_driver_sql("SELECT CURRENT_TIMESTAMP").scalar()
        extra = {c: self._now if v is _NOW else v for c, v in plan.fill.items() if c not in given}
        return [{**extra, **r} for r in rows]

    def delete(self, model: type[Base], *where: ColumnElement[bool]) -> list[Row]:
        """Deletes the rows matching `where`; returns them as they were."""
        t: Table = model.__table__
        gone = self._select(t, *where)
        if gone:
            self.conn.execute(delete(t).where(*where))
            self._note(t.name, [(g, None) for g in gone])
        return gone

    def update(self, model: type[Base], values: Mapping[str, Any], *where: ColumnElement[bool]) -> int:
        """Sets `values` on the rows matching `where`; returns how many."""
        t: Table = model.__table__
        keys = [c.name for c in t.primary_key]
        # The key, the uid (views find their items by it), and what changes.
        cols = keys + [k for k in ["uid", *values] if k in t.c and k not in keys]
        # The documents and layers the rows belong to are read too (the change touches
        # them), but not recorded: an update leaves them as they are.
        owners = [k for k in _OWNERS if k in t.c and k not in cols]
        before = self._select(t, *where, cols=cols + owners)
        if not before:
            return 0
        self.conn.execute(update(t).where(*where).values(**values))
        after = self._read(t, [{k: r[k] for k in keys} for r in before], cols)
        by_key = {tuple(a[k] for k in keys): {k: a[k] for k in cols} for a in after}
        for b in before:
            self._touch_owner(t.name, b)
        self._note(t.name, [({k: b[k] for k in cols}, by_key[tuple(b[k] for k in keys)]) for b in before])
        return len(before)

    def delete_keys(self, model: type[Base], ids: list[int]) -> list[Row]:
        """`delete` of the rows with these ids, by statements built once per table (an
        edit deletes one span: building a statement costs more than running it)."""
        t: Table = model.__table__
        gone: list[Row] = []
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i:i + _CHUNK]
            rows = _rows(self.conn.execute(_by_keys(t, ("id",), ()), {"keys": chunk}))
            if rows:
                self.conn.execute(_delete_keys(t), {"keys": chunk})
                gone += rows
        self._note(t.name, [(g, None) for g in gone])
        return gone

    def update_keys(self, model: type[Base], values: Mapping[str, Any], ids: list[int],
                    stamp: str | None = None) -> int:
        """`update` of the rows with these ids, `stamp` (a column) set to the current time,
        by statements built once per table and columns."""
        t: Table = model.__table__
        cols = ["id", *[k for k in ["uid", *values] if k in t.c and k != "id"], *([stamp] if stamp else [])]
        owners = tuple(k for k in _OWNERS if k in t.c and k not in cols)
        before = _rows(self.conn.execute(_by_keys(t, ("id",), (*cols, *owners)), {"keys": ids}))
        if not before:
            return 0
        self.conn.execute(_update_keys(t, tuple(values), stamp), {"keys": ids, **{f"v_{k}": v for k, v in values.items()}})
        after = {a["id"]: a for a in _rows(self.conn.execute(_by_keys(t, ("id",), tuple(cols)), {"keys": ids}))}
        for b in before:
            self._touch_owner(t.name, b)
        self._note(t.name, [({k: b[k] for k in cols}, after[b["id"]]) for b in before])
        return len(before)

    def touch(self, doc_id: int, annotator_id: int | None = None) -> None:
        self.documents.setdefault(doc_id)
        if annotator_id is not None:
            self.touched.setdefault((doc_id, annotator_id))

    def next_id(self, model: type[Base]) -> int | None:
        """The id the next row of `model` inserted here gets (SQLite; None on a server,
        where the table's sequence gives them)."""
        if self.conn.dialect.name == "postgresql":
            return None
        t: Table = model.__table__
        if t.name not in self._next_id:
            self._next_id[t.name] = (self.conn.scalar(_max_id(t)) or 0) + 1
        return self._next_id[t.name]

    def annotator(self, name: str) -> int:
        """The id of annotator `name`, created (as part of the change) on first use."""
        found = self.conn.scalar(_ANNOTATOR_ID, {"name": name})
        if found is None:
            found = self.insert(Annotator, [{"name": name}])[0]
        self._names[found] = name
        return found

    def start_layer(self, doc_id: int, annotator_id: int) -> None:
        """The first item on a layer moves its document from to do to in progress."""
        self.start_layers([(doc_id, annotator_id)])

    def start_layers(self, layers: list[tuple[int, int]]) -> None:
        """`start_layer` for many layers (document id, annotator id), in order: their
        statuses read a few hundred at a time and the new ones written in one statement."""
        found: dict[tuple[int, int], str] = {}
        for ann in sorted({a for _d, a in layers}):
            docs = sorted({d for d, a in layers if a == ann})
            if len(docs) > _CHUNK:  # a corpus-wide label: one read of the range, not a read a chunk
                wanted = set(docs)
                # fetched whole (SQLite: through the driver): iterating SQLAlchemy's rows one
                # by one cost a 29,053-document label 0.3 s for 100,000 rows (issue 18)
                rows = (driver_rows(self.conn, _STATUS_RANGE_SQL, (ann, docs[0], docs[-1]))
                        if self.conn.dialect.name == "sqlite" else
                        self.conn.execute(_STATUS_RANGE, {"ann": ann, "lo": docs[0], "hi": docs[-1]}).all())
                found.update(((d, ann), status) for d, status in rows if d in wanted)
                continue
            for i in range(0, len(docs), _CHUNK):
                found.update(((d, ann), status) for d, status in
                             self.conn.execute(_STATUSES, {"ann": ann, "docs": docs[i:i + _CHUNK]}))
        self._status.update(found)
        self.insert(DocumentStatus, [{"document_id": d, "annotator_id": a, "status": "in_progress"}
                                     for d, a in dict.fromkeys(layers) if (d, a) not in found])

    def change(self, description: str, result: object = None) -> Change:
        """The change written so far; called in its transaction, before the commit."""
        return _published(self.conn, Change(description, tuple(self.rows), self._layers(), tuple(self.documents),
                                             result=result))

    # -- inside ------------------------------------------------------------------------------
    def _note(self, name: str, pairs: Iterable[tuple[Row | None, Row | None]]) -> None:
        noted = [RowChange(name, before, after) for before, after in pairs]
        self.rows += noted
        rows = [r.after or r.before for r in noted]
        if not rows:
            return
        first = rows[0]
        assert first is not None  # a RowChange has a row on at least one side
        if "document_id" in first and "annotator_id" in first and all(r is not None for r in rows):
            # A bulk insert's tens of thousands of rows: touched in two passes, not a call each.
            layers = [(r["document_id"], r["annotator_id"]) for r in rows if r is not None]
            self.documents.update(dict.fromkeys(d for d, _a in layers))
            self.touched.update(dict.fromkeys(layers))
        else:
            for row in rows:
                assert row is not None
                self._touch_owner(name, row)
        if name == "document_status":
            for r in noted:
                row = r.after or r.before
                assert row is not None
                if r.after is None or "status" in r.after:  # no row: to do
                    self._status[(row["document_id"], row["annotator_id"])] = r.after["status"] if r.after else "todo"

    def _touch_owner(self, name: str, row: Row) -> None:
        """The document (and layer) a row belongs to is touched by writing it."""
        if "document_id" in row and "annotator_id" in row:
            self.touch(row["document_id"], row["annotator_id"])
        elif "doc_a_id" in row:
            for doc in (row["doc_a_id"], row["doc_b_id"]):
                self.touch(doc, row["annotator_id"])
        elif "document_id" in row:
            self.touch(row["document_id"])
        elif name == "documents":
            self.touch(row["id"])

    def _layers(self) -> tuple[LayerStatus, ...]:
        if not self.touched:
            return ()
        first: dict[tuple[int, int], str] = {}  # each layer's status before its first status row change
        for r in self.rows:
            if r.table == "document_status":
                row = r.after or r.before
                assert row is not None
                first.setdefault((row["document_id"], row["annotator_id"]), (r.before or {}).get("status", "todo"))
        self._read_layers([k for k in self.touched if k not in self._status],
                          {a for _d, a in self.touched} - self._names.keys())
        out = []
        for key in self.touched:
            after = self._status.get(key, "todo")
            out.append(LayerStatus(key[0], self._names.get(key[1], "?"), first.get(key, after), after))
        return tuple(out)

    def _read_layers(self, keys: list[tuple[int, int]], names: set[int]) -> None:
        """Statuses of layers `keys` and names of annotators `names`, in one read."""
        if not keys and not names:
            return
        params = {"anns": sorted(names | {a for _d, a in keys}), "docs": sorted({d for d, _a in keys})}
        for ann, name, doc, status in self.conn.execute(_LAYERS, params):
            self._names[ann] = name
            if doc is not None:
                self._status.setdefault((doc, ann), status)
        for key in keys:
            self._status.setdefault(key, "todo")

    def _select(self, t: Table, *where: ColumnElement[bool], cols: list[str] | None = None) -> list[Row]:
        # Raw values (type_coerce to NullType): timestamps come back as the stored text, so
        # writing them back restores them to the character.
        return [dict(r._mapping) for r in self.conn.execute(_raw_select(t, tuple(cols or ())).where(*where))]

    def _read(self, t: Table, keys: list[dict[str, Any]], cols: list[str] | None = None) -> list[Row]:
        """The rows with `keys`, in that order, as stored (values the database set included)."""
        names = list(keys[0])
        wanted: list[Any] = [k[names[0]] if len(names) == 1 else tuple(k[n] for n in names) for k in keys]
        out = []
        if names == ["id"] and wanted == list(range(wanted[0], wanted[0] + len(wanted))):  # ids just given
            out = _rows(self.conn.execute(_by_id_range(t, tuple(cols or ())), {"lo": wanted[0], "hi": wanted[-1]}))
        else:
            by_keys = _by_keys(t, tuple(names), tuple(cols or ()))
            for i in range(0, len(wanted), _CHUNK):
                out += _rows(self.conn.execute(by_keys, {"keys": wanted[i:i + _CHUNK]}))
        found = {(r[names[0]] if len(names) == 1 else tuple(r[n] for n in names)): r for r in out}
        return [found[k] for k in wanted]


def _rows(result: Any) -> list[Row]:
    names = list(result.keys())
    return [dict(zip(names, r, strict=True)) for r in result]


# Statements built once: an edit runs several, and building one costs more than running it.
_ANNOTATOR_ID = select(Annotator.id).where(Annotator.name == bindparam("name"))
_CHUNK = 500  # keys bound in one IN (...): well under any driver's limit on parameters
_STATUSES = select(DocumentStatus.document_id, DocumentStatus.status).where(
    DocumentStatus.annotator_id == bindparam("ann"), DocumentStatus.document_id.in_(bindparam("docs", expanding=True)))
_STATUS_RANGE = select(DocumentStatus.document_id, DocumentStatus.status).where(
    DocumentStatus.annotator_id == bindparam("ann"), DocumentStatus.document_id.between(bindparam("lo"), bindparam("hi")))
_STATUS_RANGE_SQL = ("SELECT document_id, status FROM document_status WHERE annotator_id = ? "
                     "AND document_id BETWEEN ? AND ?")
_LAYERS = (select(Annotator.id, Annotator.name, DocumentStatus.document_id, DocumentStatus.status)
           .outerjoin(DocumentStatus, (DocumentStatus.annotator_id == Annotator.id)
                      & DocumentStatus.document_id.in_(bindparam("docs", expanding=True)))
           .where(Annotator.id.in_(bindparam("anns", expanding=True))))


_NOW = object()  # a column the database fills with the creation time


@dataclass(frozen=True)
class _Plan:
    key: tuple[str, ...]
    kinds: dict[str, frozenset[type]]  # per column, the Python types SQLite stores as given
    fill: dict[str, Any]  # per column, what SQLite stores when an insert leaves it out


@cache
def _plan(t: Table) -> _Plan | None:
    """How SQLite stores a row of `t` (Recorder._as_stored); None if some column's
    default is not known here (one computed in Python, another server default)."""
    kinds: dict[str, frozenset[type]] = {}
    fill: dict[str, Any] = {}
    for c in t.c:
        if isinstance(c.type, Integer) and not isinstance(c.type, Boolean):
            kinds[c.name] = frozenset((int, type(None)))
        elif isinstance(c.type, String):  # Text too
            kinds[c.name] = frozenset((str, type(None)))
        server = c.server_default
        if server is not None:
            if getattr(getattr(server, "arg", None), "name", None) != "current_timestamp":
                return None
            fill[c.name] = _NOW
        elif c.default is not None:
            arg = getattr(c.default, "arg", None)
            if not c.default.is_scalar or type(arg) not in (kinds.get(c.name) or ()):
                return None
            fill[c.name] = arg
        else:
            fill[c.name] = None
    return _Plan(tuple(c.name for c in t.primary_key), kinds, fill)


def _insert_driver(conn: Connection, name: str, rows: list[Row]) -> None:
    """Inserts rows (all with the same columns) through the sqlite3 driver: one prepared
    statement; SQLAlchemy's processing of each row's parameters cost more than SQLite's
    insert (issue 18)."""
    from annotator.store.engine import sqlite_driver

    cols = list(rows[0])
    sql = (f"INSERT INTO {name} ({', '.join(_quoted(c) for c in cols)}) "
           f"VALUES ({', '.join('?' * len(cols))})")
    params = map(itemgetter(*cols), rows) if len(cols) > 1 else ((r[cols[0]],) for r in rows)
    try:
        sqlite_driver(conn.connection).executemany(sql, params)
    except sqlite3.Error as exc:  # as SQLAlchemy would have raised it (IntegrityError ...)
        raise DBAPIError.instance(sql, None, exc, sqlite3.Error, dialect=conn.dialect, ismulti=True) from exc


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@cache
def _max_id(t: Table) -> Select[Any]:
    return select(func.max(t.c.id))


@cache
def _next_ids(t: Table) -> TextClause:
    return text(f"SELECT nextval(pg_get_serial_sequence('{t.name}', 'id')) FROM generate_series(1, :n)")


@cache
def _insert(t: Table) -> Insert:
    return insert(t)


@cache
def _by_id_range(t: Table, cols: tuple[str, ...]) -> Select[*tuple[Any, ...]]:
    return _raw_select(t, cols).where(t.c.id.between(bindparam("lo"), bindparam("hi")))


@cache
def _delete_keys(t: Table) -> Delete:
    return delete(t).where(t.c.id.in_(bindparam("keys", expanding=True)))


@cache
def _update_keys(t: Table, names: tuple[str, ...], stamp: str | None) -> Update:
    values: dict[str, Any] = {k: bindparam(f"v_{k}") for k in names}
    if stamp:
        values[stamp] = func.current_timestamp()
    return update(t).where(t.c.id.in_(bindparam("keys", expanding=True))).values(values)


@cache
def _by_keys(t: Table, keys: tuple[str, ...], cols: tuple[str, ...]) -> Select[*tuple[Any, ...]]:
    key = t.c[keys[0]] if len(keys) == 1 else tuple_(*[t.c[k] for k in keys])
    return _raw_select(t, cols).where(key.in_(bindparam("keys", expanding=True)))


@cache
def _raw_select(t: Table, cols: tuple[str, ...]) -> Select[*tuple[Any, ...]]:
    """SELECT of `cols` (all if empty) as stored: built once per table and columns."""
    return select(*[type_coerce(t.c[c], NullType()).label(c) for c in cols or [c.name for c in t.c]])


@cache
def _insert_raw(name: str) -> Insert:
    return insert(_raw(name))


@cache
def _raw(name: str) -> TableClause[Any]:
    """The table without column types: values are written back exactly as read."""
    return table(name, *[column(c.name, NullType()) for c in Base.metadata.tables[name].c])
