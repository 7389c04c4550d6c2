"""Opening, creating and closing a project: one SQLite file, its lock, its schema version.

Every user-level operation is one `with project.write() as conn:` block: one committed
transaction that took the write lock at BEGIN. Reads use deferred transactions and never
block on a writer (WAL).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

from sqlalchemy import Connection, select
from sqlalchemy.exc import SQLAlchemyError

from annotator.core.errors import AnnotatorError
from annotator.core.records import FORMAT_VERSION
from annotator.core.schema import Schema, parse_schema
from annotator.paths import resources_dir
from annotator.store import lock as locking
from annotator.store import migrate
from annotator.store.engine import sqlite_engine
from annotator.store.models import Annotator, ProjectMeta
from annotator.store.texts import DocumentTexts

DEFAULT_LANGUAGES = ("bn", "vi", "fr", "sr", "en")


def default_schema_text() -> str:
    return (resources_dir() / "schema.json").read_text(encoding="utf-8")


class Project:
    def __init__(self, path: Path, readonly: bool) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self.lock: locking.ProjectLock | None = None
        self.backup: Path | None = None
        self.engine = sqlite_engine(self.path, readonly=readonly)
        self.texts = DocumentTexts()  # texts read once (they never change): quotes, the open document

    # -- lifecycle -------------------------------------------------------------------
    @classmethod
    def create(cls, path: Path, schema_text: str | None = None,
               languages: tuple[str, ...] = DEFAULT_LANGUAGES) -> Project:
        path = Path(path)
        if path.exists() and path.stat().st_size > 0:
            raise AnnotatorError(f"{path}: a file already exists there; choose another name")
        schema_text = schema_text or default_schema_text()
        parse_schema(schema_text, "schema")  # refuse a bad schema before creating anything
        path.parent.mkdir(parents=True, exist_ok=True)
        project = cls(path, readonly=False)
        try:
            project.lock = locking.acquire(path)
            migrate.create_at_head(project.engine)
            with project.write() as conn:
                conn.execute(ProjectMeta.__table__.insert(), [
                    {"key": "format_version", "value": str(FORMAT_VERSION)},
                    {"key": "schema", "value": schema_text},
                    {"key": "languages", "value": json.dumps(list(languages))},
                ])
        except BaseException:
            project.close()
            for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                p.unlink(missing_ok=True)
            raise
        return project

    @classmethod
    def open(cls, path: Path, readonly: bool = False) -> Project:
        path = Path(path)
        if not path.is_file():
            raise AnnotatorError(f"{path}: no such project file")
        _check_sqlite_header(path)
        project = cls(path, readonly=readonly)
        try:
            return project._open()
        except SQLAlchemyError as exc:
            project.close()
            raise AnnotatorError(f"{path}: cannot open the project: "
                                 f"{str(getattr(exc, 'orig', None) or exc).splitlines()[0]}") from exc
        except BaseException:
            project.close()
            raise

    def _open(self) -> Project:
        if not self.readonly:
            self.lock = locking.acquire(self.path)
        self.backup = migrate.ensure_current(self.engine, self.path, readonly=self.readonly)
        version = int(self.meta("format_version"))
        if version > FORMAT_VERSION:
            raise migrate.NewerProject(f"{self.path}: project format {version} is newer than this version "
                                       f"of annotator understands ({FORMAT_VERSION})")
        return self

    def checkpoint(self) -> None:
        """Move everything from the write-ahead log into the main file (before copying it)."""
        raw = self.engine.raw_connection()
        try:
            raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()

    def close(self) -> None:
        self.engine.dispose()
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- transactions ------------------------------------------------------------------
    @contextmanager
    def write(self) -> Iterator[Connection]:
        if self.readonly:
            raise AnnotatorError(f"{self.path}: opened read-only")
        try:
            with self.engine.connect() as conn, conn.begin():
                yield conn
        except SQLAlchemyError as exc:  # rolled back; say why in words a user can act on
            raise StoreError(describe(self.path, exc)) from exc

    @contextmanager
    def read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect().execution_options(sqlite_begin="DEFERRED") as conn, conn.begin():
                yield conn
        except SQLAlchemyError as exc:
            raise StoreError(describe(self.path, exc)) from exc

    # -- metadata ----------------------------------------------------------------------
    def meta(self, key: str) -> str:
        with self.read() as conn:
            value = conn.scalar(select(ProjectMeta.value).where(ProjectMeta.key == key))
        if value is None:
            raise AnnotatorError(f"{self.path}: project metadata {key!r} is missing")
        return value

    @cached_property
    def schema(self) -> Schema:
        return parse_schema(self.meta("schema"), f"{self.path} (project schema)")

    @cached_property
    def languages(self) -> tuple[str, ...]:
        return tuple(json.loads(self.meta("languages")))


class StoreError(AnnotatorError):
    """The database refused an operation; nothing of it was written."""


def describe(path: Path, exc: SQLAlchemyError) -> str:
    reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
    if "locked" in reason or "busy" in reason:
        return f"{path}: the project is busy (another program is writing to it); nothing was saved, try again"
    return f"{path}: the database refused the change ({reason}); nothing was saved"


def annotator_id(conn: Connection, name: str) -> int:
    """The id of annotator `name`, created on first use."""
    found = conn.scalar(select(Annotator.id).where(Annotator.name == name))
    if found is not None:
        return found
    return conn.execute(Annotator.__table__.insert().values(name=name)).inserted_primary_key[0]


def _check_sqlite_header(path: Path) -> None:
    with path.open("rb") as fh:
        head = fh.read(16)
    if head != b"SQLite format 3\x00":
        raise AnnotatorError(f"{path}: not an annotator project (not a SQLite database)")
