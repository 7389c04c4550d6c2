"""Is this file an annotator project, and is it whole? Answered before anything is written.

A project is a SQLite database whose header carries APPLICATION_ID (set at creation;
projects made before it existed carry 0 and are stamped when next opened for writing) and
which has the `project_meta` table with a `format_version`. Anything else is refused with
what it is, and left exactly as it was: the checks only read. `PRAGMA quick_check` then
refuses a damaged project before any command reads half of it.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from annotator.core.errors import AnnotatorError
from annotator.store.engine import ReadMode, connect

# PRAGMA application_id of every project: the bytes "ANNT" (0x414E4E54), at offset 68 of the
# SQLite header, so `file` and other tools can tell a project from other SQLite files.
APPLICATION_ID = 0x414E4E54
SQLITE_MAGIC = b"SQLite format 3\x00"


class NotAProject(AnnotatorError):
    pass


class DamagedProject(AnnotatorError):
    pass


@dataclass(frozen=True)
class Recognised:
    path: Path
    read_mode: ReadMode  # how a reader may open it here (read-only folders need more care)
    stamped: bool  # the header carries APPLICATION_ID already


def folder_of(path: Path) -> Path:
    return Path(os.path.abspath(path)).parent


def describe_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "not a regular file"


def read_header(path: Path) -> bytes:
    """The first 100 bytes; one clear line for a missing, odd or unreadable file."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise AnnotatorError(f"{path}: no such project file") from None
    except OSError as exc:
        raise AnnotatorError(f"{path}: cannot reach the project file ({exc.strerror})") from None
    if not stat.S_ISREG(st.st_mode):
        raise NotAProject(f"{path}: not an annotator project ({describe_kind(st.st_mode)})")
    try:
        with open(path, "rb") as fh:
            return fh.read(100)
    except PermissionError:
        raise AnnotatorError(f"{path}: cannot read the project file (permission denied); "
                             "ask its owner for read access or copy it") from None
    except OSError as exc:
        raise AnnotatorError(f"{path}: cannot read the project file ({exc.strerror})") from None


def is_project_file(path: Path) -> bool:
    """Whether `path` holds a project (by its header and tables); False for anything else."""
    try:
        recognise(path, check=False)
        return True
    except AnnotatorError:
        return False


def reader_mode(path: Path) -> ReadMode:
    """How to read the project without writing beside it where that is not allowed."""
    folder = folder_of(path)
    if os.access(folder, os.W_OK | os.X_OK) and os.access(path, os.W_OK):
        return ReadMode.WRITABLE
    if os.path.exists(f"{path}-wal"):
        return ReadMode.READ_ONLY  # a log may hold committed changes: read them with locks
    return ReadMode.IMMUTABLE  # no log: the main file is the whole project


def recognise(path: Path, check: bool = True) -> Recognised:
    path = Path(path)
    head = read_header(path)
    if not head:
        raise NotAProject(f"{path}: not an annotator project (an empty file)")
    if not head.startswith(SQLITE_MAGIC) or len(head) < 100:
        raise NotAProject(f"{path}: not an annotator project (not a SQLite database)")
    app_id = int.from_bytes(head[68:72], "big")
    if app_id not in (0, APPLICATION_ID):
        raise NotAProject(f"{path}: not an annotator project (a SQLite database of another program, "
                          f"application_id 0x{app_id:08X}); it was left unchanged")
    mode = reader_mode(path)
    try:
        with closing(connect(path, mode)) as con:
            con.execute("PRAGMA query_only=ON")
            _require_project_tables(path, con)
            if check:
                _quick_check(path, con)
    except sqlite3.DatabaseError as exc:
        raise read_failure(path, mode, exc) from None
    return Recognised(path, mode, stamped=app_id == APPLICATION_ID)


def _require_project_tables(path: Path, con: sqlite3.Connection) -> None:
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    version = None
    if "project_meta" in tables:
        version = con.execute("SELECT value FROM project_meta WHERE key = 'format_version'").fetchone()
    if version is None:
        shown = ", ".join(tables[:8]) + (", ..." if len(tables) > 8 else "") if tables else "none"
        raise NotAProject(f"{path}: a SQLite database but not an annotator project (tables: {shown}); "
                          "it was left unchanged")


def _quick_check(path: Path, con: sqlite3.Connection, table: str | None = None) -> None:
    problems = [r[0] for r in con.execute(f'PRAGMA quick_check("{table}")' if table else "PRAGMA quick_check")]
    if problems != ["ok"]:
        lines = [line for p in problems for line in p.splitlines() if line.strip() and "*** in database" not in line]
        raise damaged(path, "; ".join(lines[:2]))


def check_tables(path: Path, con: sqlite3.Connection, tables: Iterable[str]) -> None:
    """`PRAGMA quick_check(TABLE)` of the schema and of each of `tables` there is: every
    page of those tables' b-trees and of their indexes, the pages a reader of them reads,
    instead of the whole file (`annotator stats` reads 1 % of a 1.2 GB project). Damage
    elsewhere is not looked for: the commands that write or export still check the whole
    file before they do. Run in the reader's own transaction, so the pages checked are
    the pages read. Raises DamagedProject as `recognise` does."""
    present = {name for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in ("sqlite_schema", *(t for t in tables if t in present)):
        _quick_check(path, con, table)


class BackgroundCheck:
    """`PRAGMA quick_check` of a project already recognised (`recognise(path, check=False)`)
    on a thread of its own: the GUI opens its window at once instead of after reading the
    whole file (1.7 s CPU for a 1.2 GB project). Until the check has passed nothing may be
    written: `require_whole` waits for it and raises the same DamagedProject `recognise`
    would have. SQLite lets go of Python's lock while it reads, so the GUI thread runs on.

    The thread starts on `start()` (the GUI calls it once its window is shown, so that the
    check's reading is not on the way to the window) or on the first wait, whichever
    comes first."""

    def __init__(self, path: Path, mode: ReadMode) -> None:
        self.path, self.mode = path, mode
        self.problem: AnnotatorError | None = None
        self.cancelled = False
        self._done = threading.Event()
        self._con = connect(path, mode)
        self._thread = threading.Thread(target=self._run, name=f"quick_check {path.name}", daemon=True)
        # Held while the check's connection is closed (and the check marked done) and while
        # cancel() interrupts it: an interrupt of a connection closed meanwhile raises.
        self._start_lock = threading.Lock()

    def start(self) -> None:
        """Begin the check on its thread (once; later calls do nothing)."""
        with self._start_lock:
            if self._thread.ident is None and not self._done.is_set():
                self._thread.start()

    def _run(self) -> None:
        try:
            self._con.execute("PRAGMA query_only=ON")
            _quick_check(self.path, self._con)
        except AnnotatorError as exc:
            self.problem = exc
        except sqlite3.OperationalError as exc:
            if "interrupted" in str(exc):
                self.cancelled = True  # the project was closed first: nothing was learnt
            else:
                self.problem = read_failure(self.path, self.mode, exc)
        except sqlite3.DatabaseError as exc:
            self.problem = read_failure(self.path, self.mode, exc)
        finally:
            with self._start_lock:
                self._con.close()
                self._done.set()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        self.start()
        return self._done.wait(timeout)

    def require_whole(self) -> None:
        """Return once the project is known whole; raise what was found otherwise."""
        self.start()
        self._done.wait()
        if self.problem is not None:
            raise self.problem

    def cancel(self) -> None:
        with self._start_lock:
            if self._thread.ident is None:  # never started: nothing was learnt
                if not self._done.is_set():
                    self.cancelled = True
                    self._con.close()
                    self._done.set()
                return
            if not self._done.is_set():
                self._con.interrupt()
        self._thread.join()


def damaged(path: Path, reason: str) -> DamagedProject:
    backups = sorted(p.name for p in folder_of(path).glob(f"{glob_escape(path.name)}.*.bak"))
    use = f"restore a backup beside it ({', '.join(backups)}) or " if backups else ""
    return DamagedProject(
        f"{path}: the project is damaged ({reason or 'database disk image is malformed'}); nothing was read "
        f"from it or written to it. To go on, {use}recover what can be read with "
        f"`sqlite3 {path.name} .recover | sqlite3 recovered.annotator` and open recovered.annotator")


def glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def read_failure(path: Path, mode: ReadMode, exc: sqlite3.DatabaseError) -> AnnotatorError:
    reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if "malformed" in reason or "not a database" in reason:
        return damaged(path, reason)
    if mode is not ReadMode.WRITABLE:
        return AnnotatorError(
            f"{path}: cannot read the project here ({reason}): the folder {folder_of(path)} is read-only and "
            "the project's write-ahead log (-wal) beside it needs a writable folder; copy the project "
            "with its -wal file somewhere writable")
    return AnnotatorError(f"{path}: cannot read the project ({reason})")
