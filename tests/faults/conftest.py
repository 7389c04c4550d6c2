"""Fault injection: read-only folders, full disks, busy and damaged databases, links and FIFOs.

CI runs as root, where permissions stop nothing: there the read-only cases run the
command as user `nobody` (setpriv) in a folder that user can reach, and a full disk is a
real tmpfs of a few hundred KB. Run as an ordinary user, chmod does the former and the
latter is simulated (ENOSPC from os.write, SQLite's max_page_count). Either way every
test runs; none is skipped.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import annotator

IS_ROOT = os.geteuid() == 0
NOBODY = 65534
ANNOTATOR = Path(sys.executable).with_name("annotator")
CHECKOUT = Path(annotator.__file__).resolve().parents[1]


def sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def dump(path: Path) -> list[str]:
    """Every row of every table (a project's content, whatever its WAL state)."""
    import sqlite3

    con = sqlite3.connect(Path(path).absolute().as_uri() + "?mode=ro", uri=True)  # every character quoted
    try:
        return list(con.iterdump())
    finally:
        con.close()


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in Path(folder).iterdir())


def run(*args, as_nobody: bool = False, umask: int | None = None, cwd=None, timeout: float = 120):
    """The installed command in a fresh process (as `nobody` when asked and we are root)."""
    cmd = [str(ANNOTATOR), *map(str, args)]
    if as_nobody and IS_ROOT:
        cmd = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *cmd]
    env = {**os.environ, "PYTHONPATH": str(CHECKOUT)}
    preexec = (lambda: os.umask(umask)) if umask is not None else None
    # The timeout only guards against a hang (a FIFO opened for writing blocks forever).
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=cwd, preexec_fn=preexec,
                          timeout=timeout)


def assert_one_line_error(result, *phrases: str) -> str:
    """Exit status 1, exactly one line on stderr naming what went wrong, no traceback."""
    err = result.stderr
    assert result.returncode == 1, (result.returncode, err)
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("annotator: "), err
    for phrase in phrases:
        assert phrase in lines[0], (phrase, lines[0])
    return lines[0]


@pytest.fixture
def shared_dir():
    """A folder under /tmp that every user can reach (pytest's tmp_path is private to us)."""
    base = Path(tempfile.mkdtemp(prefix="annotator-faults-"))
    base.chmod(0o755)
    try:
        yield base
    finally:
        for root, dirs, _files in os.walk(base):
            for d in dirs:
                os.chmod(os.path.join(root, d), 0o755)
        shutil.rmtree(base)


def make_read_only(folder: Path) -> None:
    """Read-only for the user the commands run as (nobody when we are root; we ourselves otherwise)."""
    folder.chmod(0o555)


@pytest.fixture
def writable_by_runner(shared_dir):
    """A folder the user that runs the commands can write in (for outputs)."""
    out = shared_dir / "out"
    out.mkdir()
    out.chmod(0o777)
    return out


class SmallDisk:
    """A folder on a file system of `size` bytes: a real tmpfs as root, else a plain
    folder on which fullness is simulated by the tests' `simulate_*` helpers."""

    def __init__(self, folder: Path, real: bool) -> None:
        self.folder = folder
        self.real = real

    def fill(self, leave: int = 0) -> None:
        """Use up the space, then give back `leave` bytes (only on the real file system)."""
        if not self.real:
            return
        filler = self.folder / "filler"
        # Unbuffered: a buffered file keeps the part of the last block the disk refused and
        # fails again when closed (whether it does depends on how full the disk was).
        with open(filler, "wb", buffering=0) as fh:
            block = b"\0" * 65536
            try:
                while True:
                    fh.write(block)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
        size = filler.stat().st_size
        os.truncate(filler, max(0, size - leave))


@pytest.fixture
def small_disk(tmp_path):
    if not IS_ROOT:
        yield SmallDisk(tmp_path, real=False)
        return
    folder = Path(tempfile.mkdtemp(prefix="annotator-smalldisk-"))
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1536k,mode=0755", "tmpfs", str(folder)], check=True)
    try:
        yield SmallDisk(folder, real=True)
    finally:
        unmount(folder)


def unmount(folder: Path) -> None:
    """Lazily: a file a failed test left open must not leave the mount behind."""
    subprocess.run(["umount", "--lazy", str(folder)], check=True)
    folder.rmdir()


@pytest.fixture
def read_only_place(tmp_path):
    """A folder nothing can be written in by this process, even as root: a tmpfs
    remounted read-only (root), or a chmod 0555 folder (anyone else). Yields
    (folder, make_read_only) so the test fills it first."""
    if IS_ROOT:
        folder = Path(tempfile.mkdtemp(prefix="annotator-rofs-"))
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(folder)], check=True)

        def seal():
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        try:
            yield folder, seal
        finally:
            unmount(folder)
        return
    folder = tmp_path / "ro"
    folder.mkdir()
    try:
        yield folder, lambda: folder.chmod(0o555)
    finally:
        folder.chmod(0o755)


def is_regular(path: Path) -> bool:
    return stat.S_ISREG(os.lstat(path).st_mode)
