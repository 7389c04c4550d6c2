"""Issue 18: `annotator export` to stdout runs the damage check beside its reads, and
passes on no byte until the check has passed (output_file.HeldOutput): a damaged project
still writes nothing, and what is held while the check runs is bounded."""

from __future__ import annotations

import io
import threading
from contextlib import contextmanager

import pytest

from annotator.cli import main
from annotator.output_file import HeldOutput
from annotator.store import reading as reading_module
from annotator.store.recognise import DamagedProject

from .test_damage_and_busy import damage_an_index_page, project_with_spans


class Check:
    """A stand-in for the damage check: over once `passed` or `failed` is set."""

    def __init__(self) -> None:
        self.over, self.problem, self.waits = False, None, 0

    def whole(self) -> None:
        self.waits += 1
        if not self.over:
            raise AssertionError("waited for a check that nothing ends (the test would hang)")
        if self.problem is not None:
            raise self.problem

    def checked(self) -> bool:
        return self.over


def test_nothing_passes_until_the_check_has_passed_then_all_in_order():
    out, check = io.BytesIO(), Check()
    held = HeldOutput(out, check.whole, check.checked)
    held.write(b"one\n")
    held.write(bytearray(b"two\n"))
    assert out.getvalue() == b"" and check.waits == 0
    check.over = True
    held.write(b"three\n")
    held.write(b"four\n")
    held.flush()
    assert out.getvalue() == b"one\ntwo\nthree\nfour\n" and check.waits == 1


def test_a_failed_check_writes_nothing():
    out, check = io.BytesIO(), Check()
    held = HeldOutput(out, check.whole, check.checked)
    held.write(b"one\n")
    check.over, check.problem = True, DamagedProject("p.annotator: the project is damaged")
    with pytest.raises(DamagedProject):
        held.write(b"two\n")
    with pytest.raises(DamagedProject):
        held.flush()
    assert out.getvalue() == b""


def test_past_the_limit_the_writer_waits_for_the_check():
    out = io.BytesIO()
    waited: list[int] = []
    held = HeldOutput(out, lambda: waited.append(len(out.getvalue())), lambda: False, limit=8)
    held.write(b"1234")
    assert waited == [] and out.getvalue() == b""
    held.write(b"5678")  # 8 bytes held: wait for the check, then pass them on
    assert waited == [0] and out.getvalue() == b"12345678"
    held.write(b"9")
    assert out.getvalue() == b"123456789" and waited == [0]


def test_an_export_to_stdout_reads_while_the_check_runs(tmp_path, capsysbinary, monkeypatch):
    """The check is held back until the export has read its first document: a check run
    before the reads (as stdout exports did) would wait for ever, here for 60 s and fail."""
    path = project_with_spans(tmp_path / "p.annotator")
    assert main(["export", str(path), "-o", str(tmp_path / "gold.jsonl")]) == 0
    capsysbinary.readouterr()
    first_read = threading.Event()
    ran = []

    class CheckAfterTheFirstRead(reading_module.BackgroundCheck):
        def _run(self) -> None:
            ran.append(first_read.wait(60))
            super()._run()

    real_read_project = reading_module.read_project

    def read_project(*args, **kwargs):
        with real_read_project(*args, **kwargs) as reading:
            def query(sql: str):
                rows = reading.query(sql)
                if sql.startswith("SELECT d.id"):  # the documents: the export's reads are under way
                    first_read.set()
                return rows
            yield type(reading)(query, reading.where, reading.sqlite, reading.whole, reading.checked)

    monkeypatch.setattr(reading_module, "BackgroundCheck", CheckAfterTheFirstRead)
    monkeypatch.setattr(reading_module, "read_project", contextmanager(read_project))
    assert main(["export", str(path)]) == 0
    out = capsysbinary.readouterr().out
    assert ran == [True]
    lines = (tmp_path / "gold.jsonl").read_bytes().splitlines()
    assert out.splitlines() == [line.replace(b',"schema":"gold.jsonl.schema.json"', b"") for line in lines]


def test_a_damaged_project_found_by_the_check_beside_writes_nothing_to_stdout(tmp_path, capsysbinary):
    path = project_with_spans(tmp_path / "p.annotator")
    page = damage_an_index_page(path, "ix_spans_annotator_created", pages_at_least=1)  # an index the export does not read
    assert main(["export", str(path)]) == 1
    out, err = capsysbinary.readouterr()
    assert out == b"" and b"damaged" in err and f"page {page}".encode() in err
