"""What the Import dialog's worker reports from importer.Progress: the bar follows the kB
read of the files' total (records are read, checked and written a batch at a time, their
number known only at the end), the line says how many are written; a cancel between two
batches rolls the import back."""

import orjson
import pytest

from annotator import import_reading
from annotator.ui.app.file_job import Cancelled
from annotator.ui.app.import_run import ImportChoice, run_import
from tests.conftest import dump


def corpus(path, n: int) -> None:
    path.write_bytes(b"".join(orjson.dumps({"id": f"d{i}", "lang": "en", "text": f"NATO met {i} times."}) + b"\n"
                              for i in range(n)))


def test_the_bar_follows_the_read_then_the_writes(tmp_path, monkeypatch, empty_project):
    monkeypatch.setattr(import_reading, "BATCH_RECORDS", 4)
    f = tmp_path / "c.jsonl"
    corpus(f, 10)
    seen = []
    report = run_import(empty_project, ImportChoice((f,)), lambda: False, lambda *a: seen.append(a))
    assert len(report.added) == 10
    kb = -(-f.stat().st_size // 1000)
    dones = [done for done, _total, _line in seen]
    assert dones == sorted(dones) and dones[-1] == kb and {total for _d, total, _l in seen} == {kb}
    written = [line.rsplit("; ", 1)[1] for _d, _t, line in seen]
    assert written[:3] == [f"{n} record(s) written so far" for n in (4, 8, 10)]
    assert seen[-1][2] == f"Read {kb} of {kb} kB; 10 record(s) written so far"


def test_a_file_under_one_kilobyte_has_a_range(tmp_path, empty_project):
    """Rounded down, a small file's total was 0 kB: a busy bar to the end."""
    f = tmp_path / "c.jsonl"
    corpus(f, 2)
    assert f.stat().st_size < 1000
    seen = []
    run_import(empty_project, ImportChoice((f,)), lambda: False, lambda *a: seen.append(a))
    assert seen[-1][:2] == (1, 1)


def test_cancel_after_a_written_batch_writes_nothing(tmp_path, monkeypatch, empty_project):
    monkeypatch.setattr(import_reading, "BATCH_RECORDS", 4)
    f = tmp_path / "c.jsonl"
    corpus(f, 10)
    before = dump(empty_project.path)
    seen = []
    with pytest.raises(Cancelled):
        run_import(empty_project, ImportChoice((f,)), lambda: any("4 record(s)" in line for _d, _t, line in seen),
                   lambda *a: seen.append(a))
    assert seen[-1][2].endswith("; 4 record(s) written so far")
    assert dump(empty_project.path) == before
