"""Schema versions: create at head, upgrade old projects after a backup, refuse newer ones.

Alembic DDL on SQLite is not transactional, so an upgrade works on the live file only
after `VACUUM INTO` has written a consistent copy; on failure the copy is put back.
"""

from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect

from annotator.core.errors import AnnotatorError
from annotator.paths import migrations_dir
from annotator.store.models import Base


class NewerProject(AnnotatorError):
    pass


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def create_at_head(engine: Engine) -> None:
    with engine.begin() as conn:
        Base.metadata.create_all(conn)
        command.stamp(alembic_config(conn), "head")


def is_empty(engine: Engine) -> bool:
    with engine.connect() as conn:
        return not inspect(conn).get_table_names()


def ensure_current(engine: Engine, path: Path, readonly: bool = False) -> Path | None:
    """Bring the project at `path` to head. Returns the backup made, if any."""
    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    with engine.connect() as conn:
        current = current_revision(conn)
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
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "head")
    except Exception as exc:
        engine.dispose()
        shutil.copyfile(backup, path)
        for suffix in ("-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        raise AnnotatorError(f"{path}: upgrade failed ({exc}); the project was restored from {backup}") from exc
    return backup


def backup_copy(engine: Engine, path: Path, tag: str) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    backup = path.with_name(f"{path.name}.{tag}.{stamp}.bak")
    # The driver connection is in autocommit mode (engine.py), as VACUUM requires.
    raw = engine.raw_connection()
    try:
        raw.driver_connection.execute("VACUUM INTO ?", (str(backup),))
    finally:
        raw.close()
    return backup
