"""What the Import dialog's worker reports from importer.Progress: the files read (in kB),
then the records written of all; a cancel between two batches rolls the import back."""

import orjson
import pytest

from annotator import importer
from annotator.ui.app.file_job import Cancelled
from annotator.ui.app.import_run import ImportChoice, run_import
from tests.conftest import dump


def corpus(path, n: int) -> None:
    path.write_bytes(b"".join(orjson.dumps({"id": f"d{i}", "lang": "en", "text": f"NATO met {i} times."}) + b"\n"
                              for i in range(n)))


def test_the_bar_follows_the_read_then_the_writes(tmp_path, monkeypatch, empty_project):
    monkeypatch.setattr(importer, "BATCH_RECORDS", 4)
    f = tmp_path / "c.jsonl"
    corpus(f, 10)
    seen = []
    report = run_import(empty_project, ImportChoice((f,)), lambda: False, lambda *a: seen.append(a))
    assert len(report.added) == 10
    kb = f.stat().st_size // 1000
    assert seen == [(kb, kb, "reading and checking the files"), (4, 10, "writing to the project"),
                    (8, 10, "writing to the project"), (10, 10, "writing to the project")]


def test_cancel_after_a_written_batch_writes_nothing(tmp_path, monkeypatch, empty_project):
    monkeypatch.setattr(importer, "BATCH_RECORDS", 4)
    f = tmp_path / "c.jsonl"
    corpus(f, 10)
    before = dump(empty_project.path)
    seen = []
    with pytest.raises(Cancelled):
        run_import(empty_project, ImportChoice((f,)), lambda: any(done == 4 for done, _t, _w in seen),
                   lambda *a: seen.append(a))
    assert seen[-1] == (4, 10, "writing to the project")
    assert dump(empty_project.path) == before
