"""Schema versions: create at head, upgrade old projects after a backup, refuse newer ones.

Alembic DDL on SQLite is not transactional, so an upgrade works on the live file only
after `VACUUM INTO` has written a consistent copy; on failure the copy is put back.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from annotator.core.errors import AnnotatorError
from annotator.paths import migrations_dir

if TYPE_CHECKING:  # SQLAlchemy is imported where used: `stats` reads HEAD_REVISION without it
    from alembic.config import Config
    from sqlalchemy import Connection, Engine

# The newest revision in db/versions. Opening a project already at it needs no Alembic,
# whose import costs a fifth of the app's start-up; tests/store/test_store.py checks that
# this is Alembic's own head, so a new revision cannot be forgotten here.
HEAD_REVISION = "0011_import_span_uid"


class NewerProject(AnnotatorError):
    pass


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection: Connection) -> str | None:
    from sqlalchemy import inspect

    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def create_at_head(engine: Engine) -> None:
    from alembic import command

    from annotator.store import span_counts
    from annotator.store.models import Base
    from annotator.store.search import ensure_search_index

    with engine.begin() as conn:
        Base.metadata.create_all(conn)
        ensure_search_index(conn)  # SQLite-only FTS table of revision 0002, outside the models
        span_counts.ensure(conn)  # SQLite-only counts and triggers of revision 0009, outside the models
        command.stamp(alembic_config(conn), "head")


def ensure_current(engine: Engine, path: Path, readonly: bool = False) -> Path | None:
    """Bring the project at `path` to head. Returns the backup made, if any."""
    with engine.connect() as conn:
        current = current_revision(conn)
    if current == HEAD_REVISION:
        return None
    from alembic import command
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    if current == head:
        return None
    known = {rev.revision for rev in script.walk_revisions()}
    if current is not None and current not in known:
        raise NewerProject(
            f"{path}: this project was written by a newer version of annotator "
            f"(schema revision {current}); this version knows up to {head}. Update annotator to open it."
        )
    if readonly:
        raise AnnotatorError(f"{path}: the project needs an upgrade (revision {current} -> {head}); "
                             "open it once for writing to upgrade it.")
    backup = backup_copy(engine, path, f"before-{head}")
    try:
        _upgrade(engine, command)
        problems = integrity_problems(engine)
        if problems:
            raise AnnotatorError(f"the upgraded database fails its integrity check ({problems})")
    except Exception as exc:
        engine.dispose()
        _restore(backup, path, exc)
        raise AnnotatorError(f"{path}: upgrade failed ({exc}); the project was restored from {backup}") from exc
    return backup


def _restore(backup: Path, path: Path, cause: Exception) -> None:
    """Put the backup back in the project's place: copied beside it first and moved over
    it only when whole, so a failed copy (a full disk) leaves the project as it was and
    the backup where it is."""
    tmp = path.with_name(f".{path.name}.restore-{os.urandom(4).hex()}.tmp")
    try:
        shutil.copyfile(backup, tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise AnnotatorError(
            f"{path}: upgrade failed ({cause}) and putting the backup back failed too ({exc.strerror or exc}); "
            f"the project as it was is in {backup}: copy it over {path} (after freeing space if the disk is full)"
        ) from exc
    for suffix in ("-wal", "-shm"):  # the failed upgrade's log belongs to the file just replaced
        Path(str(path) + suffix).unlink(missing_ok=True)


def _upgrade(engine: Engine, command: ModuleType) -> None:
    """Upgrade to head with foreign keys off: a batch migration rebuilds a table by
    dropping it, which with them on would cascade-delete every row that refers to it.
    The references are checked before the commit instead. The triggers a rebuild dropped
    are put back, and the span counts counted again, before the commit too."""
    from annotator.store import span_counts
    from annotator.store.engine import sqlite_driver

    with engine.connect() as conn:
        driver = sqlite_driver(conn.connection)
        driver.execute("PRAGMA foreign_keys=OFF")  # only outside a transaction does it apply
        # A batch migration renames its copy to the table's name: SQLite's own rename would
        # check (and refuse) the triggers on other tables that name the dropped original
        # (store/span_counts.py's); the legacy rename leaves every reference as written.
        driver.execute("PRAGMA legacy_alter_table=ON")
        try:
            with conn.begin():
                command.upgrade(alembic_config(conn), "head")
                # A batch migration that rebuilt `spans` or `documents` dropped their triggers.
                span_counts.ensure(conn)
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise AnnotatorError(f"the upgrade broke {len(broken)} reference(s), e.g. {broken[0]}")
        finally:
            driver.execute("PRAGMA legacy_alter_table=OFF")
            driver.execute("PRAGMA foreign_keys=ON")


def integrity_problems(engine: Engine) -> str:
    """'' for a whole database, else the first problems `PRAGMA integrity_check` found."""
    from annotator.store.engine import sqlite_driver

    raw = engine.raw_connection()
    try:
        rows = [r[0] for r in sqlite_driver(raw).execute("PRAGMA integrity_check(5)")]
    finally:
        raw.close()
    return "" if rows == ["ok"] else "; ".join(rows[:2])


def backup_copy(engine: Engine, path: Path, tag: str) -> Path:
    """A checked copy beside the project, under a name no other file has (an earlier
    backup of the same second is kept). A copy that failed (a full disk) is removed, so
    no file named like a backup is ever less than one; only a file made here is removed."""
    from sqlalchemy.exc import SQLAlchemyError

    problems = integrity_problems(engine)
    if problems:
        from annotator.store.recognise import damaged

        raise damaged(path, problems)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    backup = _new_empty_file(path, f"{path.name}.{tag}.{stamp}")
    try:
        vacuum_into(engine, backup)  # VACUUM INTO accepts an empty file
    except BaseException as exc:
        backup.unlink(missing_ok=True)
        if isinstance(exc, (OSError, sqlite3.Error, SQLAlchemyError)):
            reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
            raise AnnotatorError(
                f"{path}: cannot back it up before upgrading it to this version ({reason}); nothing was changed. "
                f"Free space in {path.parent} (the backup needs about as much as the project, "
                f"{path.stat().st_size // 1024} KB) and open it again") from exc
        raise
    return backup


def _new_empty_file(path: Path, base: str) -> Path:
    """`base`.bak beside `path`, or `base`-2.bak, -3 ... : the first name that is free,
    taken by creating it (O_EXCL), so no other file is ever written over or removed."""
    n = 1
    while True:
        candidate = path.with_name(f"{base}.bak" if n == 1 else f"{base}-{n}.bak")
        try:
            os.close(os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            return candidate
        except FileExistsError:
            n += 1
        except OSError as exc:
            raise AnnotatorError(f"{path}: cannot back it up before upgrading it to this version "
                                 f"({exc.strerror}); nothing was changed. Make {path.parent} writable "
                                 "and open it again") from exc


def vacuum_into(engine: Engine, target: Path) -> None:
    # The driver connection is in autocommit mode (engine.py), as VACUUM requires. The
    # target is an absolute path, never read as a URI.
    from annotator.store.engine import sqlite_driver

    raw = engine.raw_connection()
    try:
        sqlite_driver(raw).execute("VACUUM INTO ?", (os.path.abspath(target),))
    finally:
        raw.close()
