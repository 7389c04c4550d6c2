"""A reader given the tables it reads (store/reading.py) checks those and can read no other."""

from __future__ import annotations

import sqlite3

import pytest

from annotator.importer import seed
from annotator.store.corpus_summary import TABLES_READ, corpus_summary
from annotator.store.project import Project
from annotator.store.reading import read_project


@pytest.fixture
def seeded_file(tmp_path):
    path = tmp_path / "p.annotator"
    with Project.create(path) as project:
        seed(project)
    return path


def test_a_reader_given_its_tables_reads_them_and_no_other(seeded_file):
    with read_project(seeded_file, ("alembic_version", "project_meta", "documents")) as reading:
        assert reading.sqlite
        (n,), = reading.query("SELECT count(*) FROM documents")
        assert n > 0 and reading.schema().labels
        with pytest.raises(sqlite3.DatabaseError, match="not authorized"):
            reading.query("SELECT count(*) FROM spans")


def test_a_reader_given_no_tables_reads_any(seeded_file):
    with read_project(seeded_file) as reading:  # checked whole: every table may be read
        assert [n for (n,) in reading.query("SELECT count(*) FROM spans")] == [0]  # the seeds have no spans


def test_the_summary_reads_only_the_tables_it_names(seeded_file, monkeypatch):
    """Every table `stats` reads is in TABLES_READ (else the read is refused), and it counts
    as the whole-file reader does."""
    checked = corpus_summary(seeded_file)
    import annotator.store.corpus_summary as summary_module

    monkeypatch.setattr(summary_module, "TABLES_READ", None)
    assert corpus_summary(seeded_file) == checked
    assert "spans" not in TABLES_READ and "documents" not in TABLES_READ  # both counted by triggers


def test_a_reader_checking_beside_reads_while_the_whole_file_is_checked(seeded_file, monkeypatch):
    """An export to a file reads while the damage check runs on another thread (the other
    core), and `whole()` waits for the check before the export is moved into place."""
    import threading

    import annotator.store.reading as reading_module

    first_read = threading.Event()

    class CheckAfterTheFirstRead(reading_module.BackgroundCheck):
        def _run(self) -> None:
            first_read.wait(60)  # a check run before the reads (as without check_beside) never gets this
            super()._run()

    monkeypatch.setattr(reading_module, "BackgroundCheck", CheckAfterTheFirstRead)
    with read_project(seeded_file, check_beside=True) as reading:
        (n,), = reading.query("SELECT count(*) FROM documents")
        first_read.set()
        reading.whole()
    assert n > 0 and first_read.is_set()


def test_cancelling_a_check_that_is_closing_its_connection_waits_instead_of_failing(seeded_file, monkeypatch):
    """An export that fails (spaCy missing) cancels the check beside it; the check may be
    closing its connection at that moment, and interrupting a closed connection raised
    over the export's own message. Made deterministic: the close waits for a signal."""
    import threading

    from annotator.store import recognise

    monkeypatch.setattr(recognise, "_quick_check", lambda path, con, table=None: None)
    check = recognise.BackgroundCheck(seeded_file, recognise.reader_mode(seeded_file))
    closing, go_on = threading.Event(), threading.Event()

    class SlowToClose:
        def __init__(self, con: sqlite3.Connection) -> None:
            self.con = con

        def execute(self, *args):
            return self.con.execute(*args)

        def interrupt(self) -> None:
            self.con.interrupt()  # raises once closed

        def close(self) -> None:
            self.con.close()
            closing.set()
            go_on.wait(60)

    check._con = SlowToClose(check._con)
    check.start()
    assert closing.wait(60)  # the check's connection is closed, the check not yet marked done
    failed: list[BaseException] = []

    def cancel() -> None:
        try:
            check.cancel()
        except BaseException as exc:
            failed.append(exc)

    canceller = threading.Thread(target=cancel)
    canceller.start()
    canceller.join(0.5)  # on the code before, the interrupt has raised by now
    go_on.set()
    canceller.join(60)
    assert not canceller.is_alive() and failed == [] and check.done
