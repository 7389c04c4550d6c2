"""Issue 18: `annotator export` of gold JSONL in parts, some built by a forked copy of the
process that reads the same transaction (cli.export_parts, store.forked_reads). The
bytes are the one-process export's, to stdout and to a file; a damaged project or a
failure in either process writes nothing; and no second process outlives the export.

The projects here are small, so the parts are made small too (one or two documents):
every test runs the split (a fork is counted)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys

import pytest

from annotator.cli import export_parts, main
from annotator.store import forked_reads, record_rows
from tests.cli.test_export_driver import EVERY_KIND, every_kind
from tests.faults.test_damage_and_busy import damage_an_index_page, project_with_spans


@pytest.fixture
def export_forks(monkeypatch):
    """The pids of the forks the export makes (store.forked_reads), each a real fork; the
    forks of an import's reading process (annotator.read_ahead) are made but not counted."""
    made: list[int] = []
    fork = os.fork

    def counted() -> int:
        by_export = sys._getframe(1).f_globals["__name__"] == forked_reads.__name__
        pid = fork()
        if pid and by_export:
            made.append(pid)
        return pid
    monkeypatch.setattr(forked_reads.os, "fork", counted)
    return made


@pytest.fixture
def forks(monkeypatch, export_forks):
    """Split every project into parts of `PART` documents; the pids of the forks made."""
    monkeypatch.setattr(export_parts, "SPLIT_FROM", 2)
    monkeypatch.setattr(export_parts, "PART", 1)
    monkeypatch.setattr(export_parts, "idle_core", lambda: True)  # whatever else runs on the machine now
    return export_forks


def one_process(monkeypatch, capsysbinary, *argv: str) -> bytes:
    with monkeypatch.context() as m:
        m.setattr(export_parts, "SPLIT_FROM", 1 << 40)
        assert main(["export", *argv]) == 0
    return capsysbinary.readouterr().out


def gone(pid: int) -> bool:
    """Neither running nor a zombie waiting to be reaped (`kill(pid, 0)` finds both)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.mark.parametrize("layer", [(), ("--annotator", "ana"), ("--gold",)])
def test_every_kind_of_record_in_parts_is_the_one_process_export(tmp_path, monkeypatch, capsysbinary, forks, layer):
    path = every_kind(tmp_path)
    whole = one_process(monkeypatch, capsysbinary, str(path), *layer)
    assert forks == []
    assert main(["export", str(path), *layer]) == 0
    assert capsysbinary.readouterr().out == whole
    assert len(forks) == 1 and gone(forks[0])
    if not layer:
        assert all(kind in whole for kind in EVERY_KIND)
    one, two = tmp_path / "one", tmp_path / "two"  # the same file name: the lines name the schema beside it
    one.mkdir()
    two.mkdir()
    one_process(monkeypatch, capsysbinary, str(path), *layer, "-o", str(one / "gold.jsonl"))
    assert main(["export", str(path), *layer, "-o", str(two / "gold.jsonl")]) == 0
    lines = whole.count(b"\n")
    assert f"exported {lines} record(s)".encode() in capsysbinary.readouterr().err
    assert (two / "gold.jsonl").read_bytes() == (one / "gold.jsonl").read_bytes()
    assert len(forks) == 2 and gone(forks[1])


def test_parts_of_uneven_documents_come_in_document_order(tmp_path, monkeypatch, capsysbinary, forks):
    """The spans of four annotators on each document, parts of one to three
    documents of the seeds: whichever process is free takes the next part, the lines stay in order."""
    path = project_with_spans(tmp_path / "p.annotator")
    whole = one_process(monkeypatch, capsysbinary, str(path))
    for part in (1, 2, 3):  # five documents: five parts, three, two
        monkeypatch.setattr(export_parts, "PART", part)
        assert main(["export", str(path)]) == 0
        assert capsysbinary.readouterr().out == whole
    assert len(forks) == 3 and all(map(gone, forks))


def test_a_damaged_project_in_parts_writes_nothing(tmp_path, capsysbinary, forks):
    path = project_with_spans(tmp_path / "p.annotator")
    page = damage_an_index_page(path)
    out = tmp_path / "out.jsonl"
    for target in ([], ["-o", str(out)]):
        assert main(["export", str(path), *target]) == 1
        written, err = capsysbinary.readouterr()
        assert written == b"" and b"damaged" in err and f"page {page}".encode() in err
    assert not out.exists() and [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert len(forks) == 2 and all(map(gone, forks))


def failing_in_the_child(monkeypatch, error: BaseException) -> None:
    """The reads of the forked process (not the parent's) raise `error`."""
    parent, reads = os.getpid(), record_rows.iter_records

    def records(*args, **kwargs):
        if os.getpid() != parent:
            raise error
        return reads(*args, **kwargs)
    monkeypatch.setattr(export_parts, "iter_records", records)


def test_a_read_failing_in_the_second_process_is_said_and_nothing_is_written(tmp_path, monkeypatch, capsysbinary,
                                                                            forks):
    path = project_with_spans(tmp_path / "p.annotator")
    failing_in_the_child(monkeypatch, sqlite3.OperationalError("disk I/O error"))
    out = tmp_path / "out.jsonl"
    assert main(["export", str(path), "-o", str(out)]) == 1
    written, err = capsysbinary.readouterr()
    assert written == b"" and err.decode().strip() == f"annotator: {path}: cannot read the project (disk I/O error)"
    assert not out.exists() and [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert len(forks) == 1 and gone(forks[0])


def test_a_second_process_that_dies_is_said(tmp_path, monkeypatch, capsysbinary, forks):
    path = project_with_spans(tmp_path / "p.annotator")
    failing_in_the_child(monkeypatch, MemoryError())
    monkeypatch.setattr(forked_reads, "_pickled", lambda exc: os._exit(3))  # it cannot even say why
    out = tmp_path / "out.jsonl"
    assert main(["export", str(path), "-o", str(out)]) == 1
    err = capsysbinary.readouterr().err.decode()
    assert err.startswith(f"annotator: {path}: the export's second process ended before part ") and "(exit status 3)" in err
    assert not out.exists() and [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert len(forks) == 1 and gone(forks[0])


def test_ctrl_c_in_the_parent_ends_the_second_process_and_leaves_no_file(tmp_path, monkeypatch, capsysbinary,
                                                                         forks):
    """Ctrl+C while the second process is still at work (it waits on a pipe nobody writes
    to): the export stops, the second process is ended and reaped, no file is left."""
    path = project_with_spans(tmp_path / "p.annotator")
    never, held = os.pipe()
    parent, reads = os.getpid(), record_rows.iter_records

    def records(*args, **kwargs):
        if os.getpid() != parent:
            os.read(never, 1)  # blocks: the test holds the other end open
        else:
            raise KeyboardInterrupt
        return reads(*args, **kwargs)
    monkeypatch.setattr(export_parts, "iter_records", records)
    out = tmp_path / "out.jsonl"
    try:
        with pytest.raises(KeyboardInterrupt):
            main(["export", str(path), "-o", str(out)])
        assert len(forks) == 1 and gone(forks[0])
    finally:
        os.close(never)
        os.close(held)
    assert not out.exists() and [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_small_project_is_exported_by_one_process(tmp_path, capsysbinary, monkeypatch, export_forks):
    monkeypatch.setattr(export_parts, "idle_core", lambda: True)
    path = project_with_spans(tmp_path / "p.annotator")
    assert main(["export", str(path)]) == 0 and capsysbinary.readouterr().out.count(b"\n") > 2
    assert export_forks == []


def test_parts_cover_every_document_once():
    for first, last in ((1, export_parts.SPLIT_FROM), (1, 1000), (3, 2001),
                        (7, 7 + 3 * forked_reads.MAX_PARTS * export_parts.PART)):
        parts = export_parts.document_parts(lambda _sql, f=first, la=last: [(f, la)])
        assert parts[0][0] == first and parts[-1][1] == last
        assert all(a[1] + 1 == b[0] for a, b in zip(parts, parts[1:]))
        assert len(parts) <= forked_reads.MAX_PARTS
        assert max(b - a + 1 for a, b in parts) <= max(export_parts.PART, (last - first + 1) // forked_reads.MAX_PARTS + 1)
        assert len(parts) >= export_parts.MIN_PARTS
    assert export_parts.document_parts(lambda _sql: [(None, None)]) == []  # no document
    assert export_parts.document_parts(lambda _sql: [(1, export_parts.SPLIT_FROM - 1)]) == []  # too few to pay


def test_a_busy_machine_or_a_single_core_exports_in_one_process(tmp_path, capsysbinary, monkeypatch, forks):
    path = every_kind(tmp_path)
    monkeypatch.setattr(export_parts, "idle_core", lambda: False)  # every core taken by other work
    assert main(["export", str(path)]) == 0 and capsysbinary.readouterr().out.count(b"\n") > 5
    assert forks == []
    monkeypatch.undo()
    monkeypatch.setattr(export_parts.os, "sched_getaffinity", lambda _pid: {0})  # `taskset -c 0 annotator ...`
    assert export_parts.idle_core() is False


# `annotator export` in a process of its own, split into parts of one document whatever
# the machine's load; the second process tells READY (a byte on that fd) and then waits
# on a pipe nobody writes to, so a signal finds it at work.
CTRL_C_PROBE = """
import os, sys
from annotator.cli import export_parts, main
ready, never = int(sys.argv[1]), int(sys.argv[2])
export_parts.idle_core, export_parts.SPLIT_FROM, export_parts.PART = (lambda: True), 2, 1
parent, reads = os.getpid(), export_parts.iter_records
def records(*args, **kwargs):
    if os.getpid() != parent:
        os.write(ready, str(os.getpid()).encode() + b"\\n")
        os.read(never, 1)
    return reads(*args, **kwargs)
export_parts.iter_records = records
sys.exit(main(sys.argv[3:]))
"""


@pytest.mark.parametrize("to_file", [False, True])
def test_ctrl_c_ends_both_processes_and_leaves_no_file(tmp_path, to_file):
    """Ctrl+C in a terminal signals the whole foreground group: the export and its
    second process. Both end, nothing is written, no temporary file is left."""
    path = project_with_spans(tmp_path / "p.annotator")
    ready_r, ready_w = os.pipe()
    never_r, never_w = os.pipe()
    out = tmp_path / "out.jsonl"
    try:
        proc = subprocess.Popen([sys.executable, "-c", CTRL_C_PROBE, str(ready_w), str(never_r), "export", str(path),
                                 *(["-o", str(out)] if to_file else [])],
                                pass_fds=(ready_w, never_r), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)
        os.close(ready_w)
        with os.fdopen(ready_r, "rb") as ready:
            child = int(ready.readline())  # the second process is at work
        os.killpg(proc.pid, signal.SIGINT)
        written, err = proc.communicate(timeout=60)
    finally:
        os.close(never_w)
    assert proc.returncode != 0 and written == b"" and b"KeyboardInterrupt" in err
    assert gone(child)  # ended; reaped by the export before it exited
    with pytest.raises(ProcessLookupError):
        os.killpg(proc.pid, 0)  # nothing of the group is left
    assert not out.exists() and [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_sqlite_that_reads_by_moving_the_file_offset_is_not_forked(tmp_path, capsysbinary, monkeypatch, forks):
    """A forked copy reading through the same descriptors would move the offset under the
    parent's reads: where SQLite reads with lseek and read (builds without pread), no split."""
    path = project_with_spans(tmp_path / "p.annotator")
    with sqlite3.connect(path) as con:
        con.execute("SELECT count(*) FROM spans").fetchall()
        assert forked_reads.reads_by_offset(path)  # this SQLite reads with pread: the offset stays at 0
        mine = [fd for fd in map(int, os.listdir("/proc/self/fd"))
                if os.path.exists(f"/proc/self/fd/{fd}") and os.readlink(f"/proc/self/fd/{fd}") == str(path)]
        os.lseek(mine[0], 4096, os.SEEK_SET)  # as a read by lseek and read leaves it
        try:
            assert not forked_reads.reads_by_offset(path)
        finally:
            os.lseek(mine[0], 0, os.SEEK_SET)
    assert not forked_reads.reads_by_offset(tmp_path / "not-open.annotator")
    monkeypatch.setattr(export_parts, "reads_by_offset", lambda _path: False)
    assert main(["export", str(path)]) == 0 and capsysbinary.readouterr().out.count(b"\n") > 2
    assert forks == []


def test_no_process_to_be_had_exports_in_one(tmp_path, capsysbinary, monkeypatch, forks):
    path = every_kind(tmp_path)
    whole = one_process(monkeypatch, capsysbinary, str(path))

    def no_more() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")  # fork's EAGAIN: the process limit
    monkeypatch.setattr(forked_reads.os, "fork", no_more)
    assert main(["export", str(path)]) == 0 and capsysbinary.readouterr().out == whole
    assert signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, [])  # Ctrl+C works again
