"""A full disk: while writing the lock, the backup before an upgrade, the database, an export."""

from __future__ import annotations

import errno
import os
import sqlite3

import pytest
from sqlalchemy import create_engine

from annotator import cli
from annotator.core.errors import AnnotatorError
from annotator.importer import seed
from annotator.store import engine as engine_module
from annotator.store import lock as locking
from annotator.store import migrate
from annotator.store.project import Project

from .conftest import dump, listing, sha


def seeded(path):
    with Project.create(path) as project:
        seed(project)
    return path


def one_line(capsys, *phrases):
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    for phrase in phrases:
        assert phrase in lines[0], (phrase, lines[0])
    return lines[0]


def no_space_for_lock_files(monkeypatch):
    """Simulated ENOSPC for writes to a lock file (ordinary users have no small disk)."""
    real_write = os.write

    def write(fd, data):
        if os.readlink(f"/proc/self/fd/{fd}").endswith(".lock"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)
    monkeypatch.setattr(os, "write", write)


def test_a_lock_that_cannot_be_written_is_one_line_and_removed(small_disk, tmp_path, monkeypatch, capsys):
    project = seeded(small_disk.folder / "p.annotator")
    before = sha(project)
    text = tmp_path / "doc.txt"
    text.write_text("A document that will not be imported.\n", encoding="utf-8")
    holder = sqlite3.connect(project)  # keeps the -shm allocated, as an open window would
    holder.execute("SELECT count(*) FROM documents").fetchall()
    try:
        small_disk.fill()
        if not small_disk.real:
            no_space_for_lock_files(monkeypatch)
        assert cli.main(["import", str(project), str(text)]) == 1
        one_line(capsys, f"{project}.lock", "free some disk space")
        assert not locking.lock_path(project).exists()
    finally:
        holder.close()
    assert sha(project) == before


def downgraded_to_0002(path):
    from alembic import command

    seeded(path)
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.downgrade(migrate.alembic_config(conn), "0002")
    engine.dispose()
    return path


def test_a_backup_that_does_not_fit_is_removed_and_the_project_kept(small_disk, monkeypatch, capsys):
    project = downgraded_to_0002(small_disk.folder / "old.annotator")
    before = dump(project)
    small_disk.fill(leave=96 * 1024)  # room for the -shm and the lock, not for a copy
    if not small_disk.real:
        def vacuum_into(engine, target):
            target.write_bytes(b"")  # what SQLite leaves when the first page does not fit
            raise sqlite3.OperationalError("database or disk is full")
        monkeypatch.setattr(migrate, "vacuum_into", vacuum_into)
    with pytest.raises(AnnotatorError, match="cannot back it up before upgrading"):
        Project.open(project)
    assert not [name for name in listing(small_disk.folder) if name.endswith(".bak")]
    assert not locking.lock_path(project).exists()
    (small_disk.folder / "filler").unlink(missing_ok=True)
    assert dump(project) == before
    # The command line says the same in one line.
    small_disk.fill(leave=96 * 1024)
    assert cli.main(["import", str(project), str(project)]) == 1
    one_line(capsys, "cannot back it up", "Free space")


def let_grow_by(monkeypatch, pages: int) -> None:
    """Every connection the product opens may add only `pages` pages to the file: SQLite
    then answers as on a full disk."""
    real_connect = engine_module.connect

    def connect(path, mode=engine_module.ReadMode.WRITABLE):
        con = real_connect(path, mode)
        count = con.execute("PRAGMA page_count").fetchone()[0]
        con.execute(f"PRAGMA max_page_count={count + pages}")
        return con
    monkeypatch.setattr(engine_module, "connect", connect)


def test_a_full_disk_while_importing_saves_nothing(small_disk, tmp_path, monkeypatch, capsys):
    project = seeded(small_disk.folder / "p.annotator")
    before = dump(project)
    text = tmp_path / "long.txt"
    text.write_text("Une phrase assez longue pour remplir le disque.\n" * 40_000, encoding="utf-8")
    holder = sqlite3.connect(project)
    holder.execute("SELECT count(*) FROM documents").fetchall()
    try:
        small_disk.fill(leave=64 * 1024)
        if not small_disk.real:
            let_grow_by(monkeypatch, 4)
        assert cli.main(["import", str(project), str(text)]) == 1
        one_line(capsys, str(project), "disk is full", "nothing was saved")
    finally:
        holder.close()
    (small_disk.folder / "filler").unlink(missing_ok=True)
    assert dump(project) == before


def test_an_export_that_does_not_fit_leaves_nothing(small_disk, tmp_path_factory, monkeypatch, capsys):
    project = seeded(tmp_path_factory.mktemp("source") / "p.annotator")
    out = small_disk.folder / "gold.jsonl"
    small_disk.fill(leave=4096)
    if not small_disk.real:
        from annotator.formats import gold_jsonl

        def write(records, fh):
            fh.write(b"{")
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        monkeypatch.setattr(gold_jsonl, "write", write)
    assert cli.main(["export", str(project), "-o", str(out)]) == 1
    one_line(capsys, str(out), "nothing was written", "free some disk space")
    assert listing(small_disk.folder) == (["filler"] if small_disk.real else [])


def test_an_upgrade_that_fails_its_integrity_check_is_undone(tmp_path, monkeypatch):
    """integrity_check runs before the backup and after the upgrade; a damaged result is
    never kept: the backup is put back."""
    project = downgraded_to_0002(tmp_path / "old.annotator")
    before = dump(project)
    verdicts = iter(["", "row 7 missing from index ix_spans_layer"])  # before the backup, after the upgrade
    monkeypatch.setattr(migrate, "integrity_problems", lambda engine: next(verdicts))
    with pytest.raises(AnnotatorError, match="upgrade failed.*integrity check.*restored"):
        Project.open(project)
    assert dump(project) == before
    assert len([n for n in listing(tmp_path) if n.endswith(".bak")]) == 1  # the backup stays, whole


class _FrozenClock:
    """Every backup stamped with the same second, as for a retry right after a failure."""

    @staticmethod
    def now(tz=None):
        import datetime as dt

        return dt.datetime(2024, 1, 1, 12, 0, 0, tzinfo=tz)


def test_a_retry_in_the_same_second_keeps_the_earlier_backup(tmp_path, monkeypatch):
    project = downgraded_to_0002(tmp_path / "old.annotator")
    before = dump(project)
    monkeypatch.setattr(migrate, "datetime", _FrozenClock)
    verdicts = iter(["", "row 7 missing from index ix_spans_layer"])  # the first upgrade fails
    monkeypatch.setattr(migrate, "integrity_problems", lambda engine: next(verdicts, ""))
    with pytest.raises(AnnotatorError, match="restored"):
        Project.open(project)
    head = migrate.head_revision()  # the backup is named after the revision it upgrades to
    first = tmp_path / f"old.annotator.before-{head}.20240101T120000Z.bak"
    kept = sha(first)
    with Project.open(project) as reopened:  # the retry, within the same second
        assert reopened.backup == tmp_path / f"old.annotator.before-{head}.20240101T120000Z-2.bak"
    assert sha(first) == kept and dump(first) == before
    assert dump(reopened.backup) == before
    assert sorted(n for n in listing(tmp_path) if n.endswith(".bak")) == sorted([first.name, reopened.backup.name])


def test_a_restore_that_fails_leaves_the_project_whole_and_says_where_the_backup_is(tmp_path, monkeypatch):
    project = downgraded_to_0002(tmp_path / "old.annotator")
    before = dump(project)
    verdicts = iter(["", "row 7 missing from index ix_spans_layer"])  # the upgrade fails its check
    monkeypatch.setattr(migrate, "integrity_problems", lambda engine: next(verdicts))

    def copyfile(src, dst):  # the disk fills up half-way through the copy
        with open(dst, "wb") as fh:
            fh.write(b"SQLite format 3\x00 half")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(migrate.shutil, "copyfile", copyfile)
    with pytest.raises(AnnotatorError) as err:
        Project.open(project)
    message = str(err.value)
    backups = [tmp_path / n for n in listing(tmp_path) if n.endswith(".bak")]
    assert len(backups) == 1 and "\n" not in message
    assert f"the project as it was is in {backups[0]}" in message and "No space left" in message
    assert dump(backups[0]) == before
    assert dump(project)  # the upgraded file, not a truncated one
    assert not [n for n in listing(tmp_path) if n.endswith(".tmp")]


def test_a_database_full_while_writing_spans_says_so_and_saves_nothing(tmp_path, monkeypatch, capsys):
    """The project may grow by a few hundred pages: the import's spans fill them. SQLite
    then rolls the whole transaction back, and the message is the full disk's, not a
    complaint about the span-count trigger put back after it (which the rollback restored)."""
    import orjson

    project = seeded(tmp_path / "p.annotator")
    before = dump(project)
    word = "Geoană met NATO. "
    lines = [orjson.dumps({"id": f"d{i}", "lang": "en", "text": f"{i} " + word * 40, "annotator": "a",
                           "spans": [{"id": f"s{i}-{k}", "start": len(f"{i} ") + 17 * k,
                                      "end": len(f"{i} ") + 17 * k + 6, "label": "PERSON"} for k in range(40)]})
             for i in range(400)]
    corpus = tmp_path / "c.jsonl"
    corpus.write_bytes(b"\n".join(lines) + b"\n")
    let_grow_by(monkeypatch, 300)
    assert cli.main(["import", str(project), str(corpus)]) == 1
    one_line(capsys, str(project), "disk is full", "nothing was saved")
    assert dump(project) == before
