"""Plain .txt files and folders of them, decoded by the import policy (core.textdecode).

Files are read only when they are regular files (a FIFO or a device is refused, and opening
one never blocks), and a folder's files must stay inside it once links are followed."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from annotator.core.errors import InputError
from annotator.core.records import DocumentRecord
from annotator.core.textdecode import decode_text

_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


def kind_problem(mode: int) -> str | None:
    """Why a file of this mode is not imported, or None for a regular file or a folder."""
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    return f"is {kind}, not a file: import reads regular files and folders"


def _stat(path: Path) -> os.stat_result:
    try:
        return path.stat()
    except FileNotFoundError:
        raise InputError(str(path), None, "no such file or folder"
                         + (" (a link to a missing file)" if path.is_symlink() else "")) from None
    except OSError as exc:
        raise InputError(str(path), None, _os_reason(exc)) from None


def _os_reason(exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied: cannot read it (check the file's permissions)"
    if exc.errno == errno.ELOOP:
        return "too many levels of links"
    return exc.strerror or str(exc)


def read_regular(path: Path) -> bytes:
    """The bytes of a regular file; one clear InputError for anything else. Opened
    non-blocking, so a FIFO put in a file's place after the check cannot hang the import."""
    with open_regular(path) as f:
        try:
            return f.read()
        except OSError as exc:
            raise InputError(str(path), None, _os_reason(exc)) from None


@contextmanager
def open_regular(path: Path) -> Iterator[BinaryIO]:
    """A regular file open for reading, with read_regular's checks and messages, for a file
    read a piece at a time (an import streams gold JSONL). An OSError while reading is the
    caller's to name."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(str(path), None, "no such file or folder") from None
    except IsADirectoryError:
        raise InputError(str(path), None, "is a folder, not a file") from None
    except OSError as exc:
        raise InputError(str(path), None, _os_reason(exc)) from None
    try:
        try:
            mode = os.fstat(fd).st_mode
        except OSError as exc:
            raise InputError(str(path), None, _os_reason(exc)) from None
        why = kind_problem(mode)
        if why is None and stat.S_ISDIR(mode):
            why = "is a folder, not a file"
        if why:
            raise InputError(str(path), None, why)
        with os.fdopen(fd, "rb", closefd=False) as f:
            yield f
    finally:
        os.close(fd)


def inside(path: Path, folder: Path) -> bool:
    """Whether `path`, with every link followed, lies inside `folder` (also resolved)."""
    return path.resolve().is_relative_to(folder.resolve())


def expand(paths: list[Path], suffixes: tuple[str, ...] = (".txt", ".jsonl")) -> list[Path]:
    """Files to import: the given files, and the files of given folders whose names end in
    one of `suffixes` (sorted). A folder's file that is a link leading outside the folder
    is refused."""
    out: list[Path] = []
    for p in paths:
        mode = _stat(p).st_mode
        why = kind_problem(mode)
        if why:
            raise InputError(str(p), None, why)
        if not stat.S_ISDIR(mode):
            out.append(p)
            continue
        try:
            found = sorted(q for q in p.rglob("*") if q.suffix.lower() in suffixes and q.is_file())
        except OSError as exc:
            raise InputError(str(p), None, _os_reason(exc)) from None
        root = p.resolve()  # once, not per file: a folder of 10,000 brat pairs has 20,000 files
        for q in found:
            if q.parent == p and not q.is_symlink():
                continue  # a file (not a link) right in the folder: inside it whatever links lead to the folder
            if not q.resolve().is_relative_to(root):
                raise InputError(str(q), None, f"a link to {q.resolve()}, outside the imported folder {p}: "
                                               "refused (copy the file into the folder to import it)")
        out.extend(found)
    return out


def read_txt(path: Path, lang: str = "", title: str | None = None, doc_id: str | None = None,
             group: str | None = None, data: bytes | None = None) -> DocumentRecord:
    text = decode_text(read_regular(path) if data is None else data, str(path))
    if not text.strip():
        raise InputError(str(path), None, "the file has no text")
    return DocumentRecord(id=doc_id or path.stem, lang=lang, text=text, title=title or _title(text, path),
                          source=path.name, group=group)


def _title(text: str, path: Path) -> str:
    first = text.strip().splitlines()[0].strip()
    return first if len(first) <= 80 else first[:77].rstrip() + "…"
