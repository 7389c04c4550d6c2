"""One writer process per project.

The lock file beside the project holds the owner's pid and host for the message a second
process shows. The exclusion itself is an OS advisory lock on that file (flock, or
msvcrt on Windows), which the kernel drops when the process dies, so a lock left by a
crash is recognised as stale and taken over without asking the user.

The owner deletes the file while still holding the lock; a process that locked a file
which has meanwhile been deleted or replaced notices (the inode differs from the path's)
and tries again, so two processes can never both hold "the" lock.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.core.errors import AnnotatorError


class ProjectLocked(AnnotatorError):
    def __init__(self, project: Path, owner: dict[str, Any]) -> None:
        self.owner = owner
        super().__init__(
            f"{project}: the project is open in another process "
            f"(pid {owner.get('pid', '?')} on host {owner.get('host', '?')}). "
            "Close it there first. (A lock left by a crashed process is released by the "
            "system and taken over automatically.)"
        )


def lock_path(project: Path) -> Path:
    """Beside the file itself: a project reached through a link or by another name has one lock."""
    real = Path(os.path.realpath(project))
    return real.with_name(real.name + ".lock")


@dataclass
class ProjectLock:
    path: Path
    fd: int
    recovered_stale: bool

    def release(self) -> None:
        if self.fd < 0:
            return
        try:
            # Delete while still holding the lock (see the module docstring). Windows
            # refuses to delete an open file: the next owner then reuses it.
            try:
                self.path.unlink(missing_ok=True)
            except PermissionError:
                pass
            _unlock(self.fd)
        finally:
            os.close(self.fd)
            self.fd = -1


# Never through a link (its target would be overwritten) and never blocking (a FIFO).
_OPEN_FLAGS = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def acquire(project: Path) -> ProjectLock:
    path = lock_path(project)
    while True:
        fd = _open_lock_file(path)
        if not _try_lock(fd):
            owner = _read_owner(fd)
            os.close(fd)
            raise ProjectLocked(project, owner)
        if _same_file(fd, path):
            break
        os.close(fd)  # locked a file its owner deleted on release: start again
    previous = _read_owner(fd)
    info = json.dumps({"pid": os.getpid(), "host": socket.gethostname()}).encode()
    try:
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        if os.write(fd, info) != len(info):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        os.fsync(fd)
    except OSError as exc:
        # Held, so ours to remove: no lock file is left behind by a failure.
        ProjectLock(path, fd, recovered_stale=False).release()
        raise AnnotatorError(f"{path}: cannot write the project's lock file ({exc.strerror}); "
                             + ("free some disk space and try again" if exc.errno in (errno.ENOSPC, errno.EDQUOT)
                                else "check the folder")) from None
    # Content without a held lock means its owner died without releasing it.
    return ProjectLock(path, fd, recovered_stale=bool(previous))


def _open_lock_file(path: Path) -> int:
    try:
        fd = os.open(path, _OPEN_FLAGS, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP or path.is_symlink():
            raise AnnotatorError(f"{path}: the project's lock file is a symbolic link; a lock file must be a "
                                 "plain file. Remove the link and try again") from None
        if exc.errno == errno.EISDIR:
            raise AnnotatorError(f"{path}: the project's lock file is a folder; remove it and try again") from None
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise AnnotatorError(f"{path}: cannot create the project's lock file: the folder {path.parent} is "
                                 "read-only; copy the project somewhere writable") from None
        raise AnnotatorError(f"{path}: cannot create the project's lock file ({exc.strerror})") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = "a folder" if stat.S_ISDIR(mode) else "not a plain file"
        raise AnnotatorError(f"{path}: the project's lock file is {kind}; remove it and try again")
    return fd


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except FileNotFoundError:
        return False


def _read_owner(fd: int) -> dict[str, Any]:
    os.lseek(fd, 0, os.SEEK_SET)
    data = os.read(fd, 4096)
    try:
        return json.loads(data) if data else {}
    except ValueError:
        return {"pid": "?", "host": "?"}


if sys.platform == "win32":  # pragma: no cover - exercised by the Windows packaging build
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            os.lseek(fd, 1 << 20, os.SEEK_SET)  # lock a byte past the info so reads still work
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        os.lseek(fd, 1 << 20, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
