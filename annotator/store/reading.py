"""One read transaction of a project, through the SQLite driver alone where it can be.

A command that only reads (`annotator stats`, `annotator export`) should not pay for
importing SQLAlchemy and the ORM models (half a second) when the driver can run its SQL.
So a project file whose schema revision is this version's head and whose format is not
newer is read here with `sqlite3`, after `recognise` (which refuses what is no project,
and a damaged one: `PRAGMA quick_check`); anything else (a project to upgrade, one
written by a newer version, a project on a server) goes through `Project.open`, which
says or refuses it as every command does, and the same SQL runs on its connection.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from annotator.core.records import FORMAT_VERSION
from annotator.core.schema import Schema, parse_schema
from annotator.store.engine import connect
from annotator.store.location import Location
from annotator.store.migrate import HEAD_REVISION
from annotator.store.recognise import BackgroundCheck, check_tables, read_failure, recognise
from annotator.store.record_rows import Query


@dataclass(frozen=True)
class Reading:
    query: Query  # SQL text -> its rows, all in one read transaction (one snapshot)
    where: str  # the project as messages name it
    sqlite: bool  # a project file (which keeps span counts, store/span_counts.py), not a server
    # Returns once the whole file is known sound, else raises what was found: a reader that
    # asked for the check beside its reads calls it before anything it read leaves it.
    whole: Callable[[], None] = lambda: None
    checked: Callable[[], bool] = lambda: True  # whether `whole` would return at once (the check is over)
    # Starts the check asked for beside the reads (else nothing); `whole` starts it too. A
    # reader that forks (store.forked_reads) starts it after the fork: no thread may be in
    # SQLite then.
    start_check: Callable[[], None] = lambda: None
    own_connection: bool = False  # the driver's connection in this process: a forked copy may read on through it

    def schema(self) -> Schema:
        (text,), = self.query("SELECT value FROM project_meta WHERE key = 'schema'")
        return parse_schema(text, f"{self.where} (project schema)")


@contextmanager
def read_project(location: Location, tables: Collection[str] | None = None,
                 check_beside: bool = False) -> Iterator[Reading]:
    """A read transaction of the project at `location`. A file is checked whole first
    (`PRAGMA quick_check`), or, given `tables`, the only tables its reader reads, just
    those tables and their indexes, in the read's own snapshot (store/recognise.py
    check_tables). `check_beside`: the whole file is checked on a thread while the reader
    reads (SQLite lets go of Python's lock: the check takes the other core), begun by
    `Reading.start_check()` (or the first wait), and the reader calls `Reading.whole()`
    before anything it read leaves it (an export to a file, moved into place only after);
    a read that fails meanwhile says what the check found.
    A project that is not current is opened, and checked whole, by `Project.open`."""
    if isinstance(location, Path):
        beside = check_beside and tables is None
        found = recognise(location, check=tables is None and not beside)
        check = BackgroundCheck(location, found.read_mode) if beside else None
        with closing(connect(location, found.read_mode)) as con:
            try:
                con.isolation_level = None  # BEGIN below: every read from one snapshot
                con.execute("PRAGMA query_only=ON")
                con.execute("BEGIN")
                if tables is not None:
                    check_tables(location, con, tables)
                    con.set_authorizer(reads_only(tables))
                if is_current(con):
                    if check is None:
                        yield Reading(con.execute, str(location), sqlite=True, own_connection=True)
                    else:
                        yield Reading(con.execute, str(location), sqlite=True, whole=check.require_whole,
                                      checked=lambda: check.done, start_check=check.start, own_connection=True)
                    return
            except sqlite3.DatabaseError as exc:  # said as the project's opening says it
                if check is not None:
                    check.require_whole()  # a damaged page found by the check: said as recognise says it
                raise read_failure(location, found.read_mode, exc) from None
            finally:
                if check is not None:
                    check.cancel()  # done already, or not needed (an error; a project opened below)
    # To upgrade, newer than this version, or on a server: as every command opens it.
    from annotator.store.project import Project
    from annotator.store.records_out import connection_query

    with Project.open(location, readonly=True) as project, project.read() as conn:
        yield Reading(connection_query(conn), str(project.path), sqlite=conn.dialect.name == "sqlite")


def is_current(con: sqlite3.Connection) -> bool:
    """At this version's schema revision and format, so nothing needs saying or upgrading."""
    try:
        revision = con.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.OperationalError:  # no such table: made before revisions were recorded
        return False
    version = con.execute("SELECT value FROM project_meta WHERE key = 'format_version'").fetchone()
    return revision == [(HEAD_REVISION,)] and version is not None and int(version[0]) <= FORMAT_VERSION


def reads_only(tables: Collection[str]) -> Callable[[int, str | None, str | None, str | None, str | None], int]:
    """A SQLite authorizer refusing to read any table but `tables` (and the schema): what
    was checked is all that can be read, so a query added later on another table fails
    in the tests instead of reading unchecked pages."""
    allowed = set(tables) | {"sqlite_master", "sqlite_schema"}

    def authorize(action: int, table: str | None, _column: str | None, _db: str | None, _trigger: str | None) -> int:
        if action == sqlite3.SQLITE_READ and table not in allowed:
            return sqlite3.SQLITE_DENY
        return sqlite3.SQLITE_OK
    return authorize
