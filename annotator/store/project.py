"""Opening, creating and closing a project: one SQLite file, its lock, its schema version;
or a database on a PostgreSQL server (a `ServerLocation`, team mode: store/server.py),
which has no lock file and no backup copies.

Every user-level operation is one `with project.write() as conn:` block: one committed
transaction that took the write lock at BEGIN. Reads use deferred transactions and never
block on a writer (WAL).
"""

from __future__ import annotations

import json
import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import cast

from sqlalchemy import Connection, Row, select
from sqlalchemy.exc import SQLAlchemyError

from annotator.core.errors import AnnotatorError
from annotator.core.records import FORMAT_VERSION
from annotator.core.schema import Schema, parse_schema
from annotator.paths import resources_dir
from annotator.store import lock as locking
from annotator.store import migrate, roles, server
from annotator.store.engine import ReadMode, server_engine, sqlite_driver, sqlite_engine
from annotator.store.location import Location, ServerLocation
from annotator.store.models import Annotator, ProjectMeta
from annotator.store.recognise import APPLICATION_ID, BackgroundCheck, describe_kind, folder_of, recognise
from annotator.store.texts import DocumentTexts

DEFAULT_LANGUAGES = ("bn", "vi", "fr", "sr", "en")


def default_schema_text() -> str:
    return (resources_dir() / "schema.json").read_text(encoding="utf-8")


class Project:
    def __init__(self, path: Location, readonly: bool, mode: ReadMode = ReadMode.WRITABLE) -> None:
        self.path: Location = path if isinstance(path, ServerLocation) else Path(path)
        self.readonly = readonly
        self.lock: locking.ProjectLock | None = None
        self.backup: Path | None = None
        self.integrity: BackgroundCheck | None = None  # open(check_later=True): writes wait for it
        if isinstance(self.path, ServerLocation):
            self.engine = server_engine(self.path.sqlalchemy_url(), readonly=readonly)
        else:
            self.engine = sqlite_engine(self.path, readonly=readonly, mode=mode)
        self.texts = DocumentTexts()  # texts read once (they never change): quotes, the open document
        # The versions of shared items this writer has seen (store/versions.py): when set (the
        # edit runner keeps it), a change of an item changed since by someone else is refused.
        self.seen_versions: dict[str, int] | None = None
        self.user: str | None = None  # who writes, for the versions of a file (a server knows its login)
        self.session = secrets.token_hex(8)  # names this opening's changes in a server's change log

    @property
    def on_server(self) -> bool:
        return isinstance(self.path, ServerLocation)

    def login_name(self) -> str | None:
        """On a server, the login (current_user), which is the annotator's name; None for a file."""
        if not self.on_server:
            return None
        with self.read() as conn:
            return server.current_user(conn)

    # -- lifecycle -------------------------------------------------------------------
    @classmethod
    def create(cls, path: Location, schema_text: str | None = None,
               languages: tuple[str, ...] = DEFAULT_LANGUAGES) -> Project:
        if isinstance(path, ServerLocation):
            return cls._create_on_server(path, schema_text, languages)
        path = Path(path)
        refuse_existing(path)
        schema_text = schema_text or default_schema_text()
        parse_schema(schema_text, "schema")  # refuse a bad schema before creating anything
        make_folder(path.parent)
        project = cls(path, readonly=False)
        try:
            project.lock = locking.acquire(path)
            refuse_existing(path)  # made by someone else before the lock was ours
            migrate.create_at_head(project.engine)
            with project.write() as conn:
                conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
                conn.execute(ProjectMeta.__table__.insert(), [
                    {"key": "format_version", "value": str(FORMAT_VERSION)},
                    {"key": "schema", "value": schema_text},
                    {"key": "languages", "value": json.dumps(list(languages))},
                ])
        except BaseException as exc:
            project.close()
            for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                p.unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise AnnotatorError(f"{exc.filename or path}: cannot create the project ({exc.strerror})") from exc
            raise
        return project

    @classmethod
    def _create_on_server(cls, location: ServerLocation, schema_text: str | None,
                          languages: tuple[str, ...]) -> Project:
        schema_text = schema_text or default_schema_text()
        parse_schema(schema_text, "schema")
        server.create_database_if_missing(location)
        project = cls(location, readonly=False)
        try:
            with project.engine.connect() as conn, conn.begin():  # one transaction: all or nothing
                server.refuse_nonempty(conn, location)
                server.create_schema(conn)
                roles.install(conn)
                conn.execute(ProjectMeta.__table__.insert(), [
                    {"key": "format_version", "value": str(FORMAT_VERSION)},
                    {"key": "schema", "value": schema_text},
                    {"key": "languages", "value": json.dumps(list(languages))},
                ])
        except SQLAlchemyError as exc:
            project.close()
            raise AnnotatorError(server.describe(location, exc, "no project was made")) from exc
        except BaseException:
            project.close()
            raise
        return project

    @classmethod
    def open(cls, path: Location, readonly: bool = False, check_later: bool = False) -> Project:
        """`check_later`: the damage check (`PRAGMA quick_check`, seconds on a large file) runs
        in the background instead of before returning; every write waits for it and is
        refused if it fails (the GUI, which shows its window meanwhile, says why)."""
        if isinstance(path, ServerLocation):
            return cls._open_on_server(path, readonly)
        path = Path(path)
        # Reads only: a file that is no project, or is damaged, is left as it is.
        found = recognise(path, check=not check_later)
        if not readonly:
            refuse_unwritable(path)
        project = cls(path, readonly=readonly, mode=found.read_mode if readonly else ReadMode.WRITABLE)
        try:
            if check_later:  # from here on: a write in _open (an old project's stamp) waits for it too
                project.integrity = BackgroundCheck(path, found.read_mode)
            return project._open(stamped=found.stamped)
        except SQLAlchemyError as exc:
            project.close()
            reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
            if "locked" in reason or "busy" in reason:
                raise AnnotatorError(f"{path}: the project is busy (another program is writing to it); nothing "
                                     "was changed, try again when it has finished") from exc
            raise AnnotatorError(f"{path}: cannot open the project: {reason}") from exc
        except OSError as exc:
            project.close()
            raise AnnotatorError(f"{exc.filename or path}: cannot open the project ({exc.strerror})") from exc
        except BaseException:
            project.close()
            raise

    @classmethod
    def _open_on_server(cls, location: ServerLocation, readonly: bool) -> Project:
        project = cls(location, readonly=readonly)
        try:
            server.ensure_current(project.engine, location)
            version = int(project.meta("format_version"))
        except SQLAlchemyError as exc:
            project.close()
            raise server.describe_connect(location, exc) from exc
        except BaseException:
            project.close()
            raise
        if version > FORMAT_VERSION:
            project.close()
            raise migrate.NewerProject(f"{location}: project format {version} is newer than this version "
                                       f"of annotator understands ({FORMAT_VERSION})")
        return project

    def _open(self, stamped: bool) -> Project:
        assert isinstance(self.path, Path)  # the file path of open(); a server has _open_on_server
        if not self.readonly:
            self.lock = locking.acquire(self.path)
        self.backup = migrate.ensure_current(self.engine, self.path, readonly=self.readonly)
        version = int(self.meta("format_version"))
        if version > FORMAT_VERSION:
            raise migrate.NewerProject(f"{self.path}: project format {version} is newer than this version "
                                       f"of annotator understands ({FORMAT_VERSION})")
        if not stamped and not self.readonly:  # made before projects carried their application_id
            with self.write() as conn:
                conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
        return self

    def checkpoint(self) -> None:
        """Move everything from the write-ahead log into the main file (before copying it)."""
        if self.on_server:
            return  # no file to copy
        raw = self.engine.raw_connection()
        try:
            sqlite_driver(raw).execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()

    def close(self) -> None:
        if self.integrity is not None:
            self.integrity.cancel()
        self.engine.dispose()
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions ------------------------------------------------------------------
    @contextmanager
    def write(self, isolation: str | None = None) -> Iterator[Connection]:
        """`isolation`: on a server, another level than REPEATABLE READ for this transaction
        (taking work from a shared pool with SKIP LOCKED wants READ COMMITTED)."""
        if self.readonly:
            raise AnnotatorError(f"{self.path}: opened read-only")
        if self.integrity is not None:
            self.integrity.require_whole()  # nothing is written to a project not known whole
        try:
            with self.engine.connect() as conn:
                if isolation is not None and self.on_server:
                    conn = conn.execution_options(isolation_level=isolation)
                conn = conn.execution_options(annotator_seen_versions=self.seen_versions, annotator_user=self.user,
                                              annotator_session=self.session)
                with conn.begin():
                    yield conn
        except SQLAlchemyError as exc:  # rolled back; say why in words a user can act on
            raise StoreError(self._describe(exc)) from exc

    @contextmanager
    def read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect().execution_options(sqlite_begin="DEFERRED") as conn, conn.begin():
                yield conn
        except SQLAlchemyError as exc:
            raise StoreError(self._describe(exc, "nothing was read")) from exc

    def _describe(self, exc: SQLAlchemyError, doing: str = "nothing was saved") -> str:
        if isinstance(self.path, ServerLocation):
            return server.describe(self.path, exc, doing)
        return describe(self.path, exc)

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
    if "full" in reason:
        return f"{path}: the disk is full ({reason}); nothing was saved. Free some space and try again"
    if "readonly" in reason or "read-only" in reason:
        return f"{path}: the project cannot be written here ({reason}); nothing was saved"
    return f"{path}: the database refused the change ({reason}); nothing was saved"


def annotator_id(conn: Connection, name: str) -> int:
    """The id of annotator `name`, created on first use."""
    found = conn.scalar(select(Annotator.id).where(Annotator.name == name))
    if found is not None:
        return found
    # A single-row insert always has its key (SQLAlchemy types it Optional for executemany).
    key = cast("Row[int]", conn.execute(Annotator.__table__.insert().values(name=name)).inserted_primary_key)
    return key[0]


def refuse_existing(path: Path) -> None:
    """A new project never replaces anything (an empty regular file is taken as a name reserved)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if not stat.S_ISREG(st.st_mode):
        raise AnnotatorError(f"{path}: {describe_kind(st.st_mode)} is already there; choose another name")
    if st.st_size > 0:
        raise AnnotatorError(f"{path}: a file already exists there; choose another name")


def make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise AnnotatorError(f"{folder}: not a folder, so no project can be made in it") from None
    except OSError as exc:
        raise AnnotatorError(f"{exc.filename or folder}: cannot make the project's folder ({exc.strerror})") from None


def refuse_unwritable(path: Path) -> None:
    """Writing needs the folder (for the lock, the WAL and its -shm) and the file."""
    folder = folder_of(path)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise AnnotatorError(f"{path}: the folder {folder} is read-only: copy the project somewhere writable "
                             "(export and stats still work here)")
    if not os.access(path, os.W_OK):
        raise AnnotatorError(f"{path}: the project file is read-only (no permission to write it): copy it "
                             "somewhere writable or ask its owner (export and stats still work)")
