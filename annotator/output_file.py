"""Writing a command's output file (`export -o`) without harming anything already there.

Refused: the project itself or any other project, the -wal, -shm, -journal or lock of any
project (the exported one or another), anything that is not a regular file (a link, a FIFO,
a device, a folder), and an existing file unless `force`. The content goes to a temporary
file (a folder export: a folder) beside the target, created with the user's umask, synced to
disk and moved into place only when complete.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from annotator.core.errors import AnnotatorError
from annotator.store.recognise import describe_kind, folder_of, is_project_file


def check_target(output: Path, force: bool, project: Path | None = None) -> None:
    folder = folder_of(output)
    if not folder.exists():
        raise AnnotatorError(f"{output}: the folder {folder} does not exist; make it first or choose another file")
    if not folder.is_dir():
        raise AnnotatorError(f"{output}: {folder} is not a folder; choose another file")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise AnnotatorError(f"{output}: the folder {folder} is read-only; choose a file in a writable folder")
    companion = _companion_of_project(output)
    if companion is not None:
        raise AnnotatorError(f"{output}: this is a file SQLite or annotator keeps beside the project "
                             f"{companion} (its log or lock); replacing it would lose or break that project. "
                             "Choose another file name")
    try:
        st = os.lstat(output)
    except FileNotFoundError:
        return
    if not stat.S_ISREG(st.st_mode):
        raise AnnotatorError(f"{output}: this is {describe_kind(st.st_mode)}, not a regular file; the output "
                             "must be a new file or (with --force) a regular one")
    if project is not None and _belongs_to(output, Path(project)):
        raise AnnotatorError(f"{output}: this is the project (or one of its files); the export would replace it. "
                             "Choose another file name")
    if is_project_file(output):
        raise AnnotatorError(f"{output}: this is an annotator project; the export never writes over a project. "
                             "Choose another file name")
    if not force:
        raise AnnotatorError(f"{output}: the file already exists; add --force to replace it")


# Files beside a project X: X-wal and X-shm (SQLite's log and its index), X-journal (the
# rollback journal) and X.lock (annotator's writer lock). Each holds or guards X's data.
_COMPANION_SUFFIXES = ("-wal", "-shm", "-journal", ".lock")


def _companion_of_project(output: Path) -> Path | None:
    """The project whose companion file `output` names (as given, or with every link
    followed), whether or not the companion exists now; None for any other name."""
    for name in (Path(os.path.abspath(output)), Path(os.path.realpath(output))):
        for suffix in _COMPANION_SUFFIXES:
            if name.name.endswith(suffix) and len(name.name) > len(suffix):
                stem = name.with_name(name.name[: -len(suffix)])
                if is_project_file(stem):
                    return stem
    return None


def _belongs_to(output: Path, project: Path) -> bool:
    for own in (project, Path(f"{project}-wal"), Path(f"{project}-shm"), project.with_name(project.name + ".lock")):
        try:
            if os.path.samefile(output, own):
                return True
        except OSError:
            continue
    return False


@contextmanager
def atomic_output(output: Path, force: bool) -> Iterator[BinaryIO]:
    """A file object whose content replaces (force) or creates `output` once the block ends
    without an exception; on any failure nothing is left but what was there before."""
    folder = folder_of(output)
    tmp = folder / f".{output.name}.{os.urandom(4).hex()}.tmp"
    try:
        # 0o666 and O_CREAT: the process umask decides the mode, as for any file the user makes.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
    except OSError as exc:
        raise _failure(output, exc) from None
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        if force:
            os.replace(tmp, output)
        else:
            _link_new(tmp, output)
        _sync_folder(folder)  # the new name itself survives a crash
    except OSError as exc:
        raise _failure(output, exc) from None
    finally:
        tmp.unlink(missing_ok=True)


@contextmanager
def atomic_folder(output: Path) -> Iterator[Path]:
    """A new folder, filled in a scratch folder beside it and moved into place once the
    block ends without an exception; an existing file or folder there is refused."""
    if os.path.lexists(output):
        raise AnnotatorError(f"{output}: already exists; a folder export makes a new folder, choose another name")
    check_target(output, force=False)  # its folder exists and is writable; not a project's companion
    tmp = folder_of(output) / f".{output.name}.{os.urandom(4).hex()}.tmp"
    try:
        os.mkdir(tmp, 0o777)  # the umask decides the mode
        yield tmp
        # Every file's content on disk before the folder gets its name: after a crash the
        # folder is there complete or not at all, never with empty or cut files.
        for file in sorted(tmp.rglob("*")):
            if file.is_file():
                _sync_file(file)
        _sync_folder(tmp)
        if os.path.lexists(output):
            raise AnnotatorError(f"{output}: appeared while exporting; nothing was written there")
        os.rename(tmp, output)
        _sync_folder(folder_of(output))
    except OSError as exc:
        raise _failure(output, exc) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _sync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_folder(folder: Path) -> None:
    """The folder's entries (a new or renamed name) on disk; where folders cannot be
    opened or synced (some platforms and file systems) the rename has to do."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.EBADF, errno.ENOTSUP):
            raise
    finally:
        os.close(fd)


def _link_new(tmp: Path, output: Path) -> None:
    """Into place without replacing a file that appeared meanwhile (a link never replaces)."""
    try:
        os.link(tmp, output)
    except FileExistsError:
        raise AnnotatorError(f"{output}: the file already exists; add --force to replace it") from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
            raise
        check_target(output, force=False)  # no hard links here (some network and FAT file systems)
        os.replace(tmp, output)


def _failure(output: Path, exc: OSError) -> AnnotatorError:
    advice = "free some disk space" if exc.errno in (errno.ENOSPC, errno.EDQUOT) else "choose another file"
    return AnnotatorError(f"{output}: cannot write the output ({exc.strerror}); nothing was written. {advice}")


class HeldOutput:
    """A stream (`export` to stdout) that passes nothing on until `whole()` has returned:
    the project's damage check runs beside the reads instead of before them, and a
    damaged project still writes not one byte. What is written meanwhile is held in
    memory, at most `limit` bytes (then the writer waits for the check), so memory stays
    bounded by that however large the export."""

    def __init__(self, out: BinaryIO, whole: Callable[[], None], checked: Callable[[], bool],
                 limit: int = 64 << 20) -> None:
        self._out, self._whole, self._checked, self._limit = out, whole, checked, limit
        self._held: list[bytes] | None = []
        self._size = 0

    def write(self, data: bytes) -> int:
        if self._held is None:
            return self._out.write(data)
        self._held.append(data if type(data) is bytes else bytes(data))  # a writer may reuse its buffer
        self._size += len(data)
        if self._size >= self._limit or self._checked():
            self.release()
        return len(data)

    def release(self) -> None:
        """Wait for the check (raising what it found: nothing written), then pass on what is held."""
        if self._held is not None:
            self._whole()
            held, self._held = self._held, None
            self._out.writelines(held)  # the writer's chunks as they are: no copy of them joined

    def flush(self) -> None:
        self.release()
        self._out.flush()
