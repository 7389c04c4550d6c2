"""The import writes in batches inside one transaction: the result is the same whatever the
batch size (references across batches and span ids renamed in an earlier batch included),
progress is reported per file read and per batch written, and an exception from the
progress callback (a cancel) writes nothing, wherever it comes."""

import io

import orjson
import pytest

from annotator import import_reading, importer
from annotator.core.errors import InputError
from annotator.core.records import DocumentRecord, LinkRecord, SpanRecord
from annotator.formats import gold_jsonl
from annotator.importer import Progress, import_paths
from annotator.paths import seeds_dir
from annotator.store.project import Project
from annotator.store.records_in import RecordWriter
from annotator.store.records_out import iter_records
from tests.conftest import TRICKY, dump

GOLD = seeds_dir() / "gold" / "seeds.gold.jsonl"


def export(project) -> bytes:
    buf = io.BytesIO()
    with project.read() as conn:
        gold_jsonl.write(iter_records(conn), buf)
    return buf.getvalue()


def corpus(path, n: int) -> None:
    """n small documents, one span each, in tricky scripts."""
    lines = []
    for i in range(n):
        text = f"NATO {i} {TRICKY['vi_nfd']} {TRICKY['bengali']}"
        lines.append(orjson.dumps({"id": f"d{i}", "lang": "vi", "text": text,
                                   "spans": [{"id": f"s{i}", "start": 0, "end": 4, "label": "ORG", "text": "NATO"}],
                                   "annotator": "a", "status": "in_progress"}))
    path.write_bytes(b"\n".join(lines) + b"\n")


def imported(tmp_path, name, paths, monkeypatch, batch):
    monkeypatch.setattr(import_reading, "BATCH_RECORDS", batch)
    with Project.create(tmp_path / name) as project:
        import_paths(project, [seeds_dir()])
        report = import_paths(project, paths)
        return export(project), report


def test_batches_of_one_give_the_same_project_as_one_batch(tmp_path, monkeypatch):
    """The seeds' gold has links and alignments into documents of other lines (batches)."""
    sizes = []
    real_write = RecordWriter.write

    def write(self, items):
        sizes.append(len(items))
        return real_write(self, items)

    monkeypatch.setattr(RecordWriter, "write", write)
    whole, report_whole = imported(tmp_path, "whole.annotator", [GOLD], monkeypatch, 10_000)
    assert max(sizes) > 1
    sizes.clear()
    one_by_one, report_one = imported(tmp_path, "one.annotator", [GOLD], monkeypatch, 1)
    assert set(sizes) == {1}
    assert one_by_one == whole and b'"links":[{' in whole and b'"alignments":[{' in whole
    assert report_one.layer_count == report_whole.layer_count > 0


@pytest.mark.parametrize("batch", [1, 1000])
def test_a_link_follows_a_span_id_renamed_in_an_earlier_batch(tmp_path, monkeypatch, empty_project, batch):
    """The project has span s1 already; the import's document b takes it too (renamed), and
    a later document links to b's s1: the link goes to b's span, not the project's."""
    monkeypatch.setattr(import_reading, "BATCH_RECORDS", batch)
    old = tmp_path / "old.jsonl"
    old.write_bytes(gold_jsonl.dumps(DocumentRecord(id="x", lang="en", text="NATO here", annotator="x",
                                                    spans=(SpanRecord("s1", 0, 4, "ORG", "NATO"),))))
    import_paths(empty_project, [old])
    b = DocumentRecord(id="b", lang="fr", text="UE", annotator="x", spans=(SpanRecord("s1", 0, 2, "ORG", "UE"),))
    a = DocumentRecord(id="a", lang="en", text="EU here", annotator="x",
                       spans=(SpanRecord("s2", 0, 2, "ORG", "EU"),), links=(LinkRecord("s2", "b", "s1"),))
    new = tmp_path / "new.jsonl"
    new.write_bytes(gold_jsonl.dumps(b) + gold_jsonl.dumps(a))
    import_paths(empty_project, [new])
    out = {r["id"]: r for r in map(orjson.loads, export(empty_project).splitlines())}
    (link,) = out["a"]["links"]
    assert link["target_doc"] == "b" and link["target_span"] == out["b"]["spans"][0]["id"] != "s1"


def test_progress_reports_the_file_then_each_batch(tmp_path, monkeypatch, empty_project):
    monkeypatch.setattr(import_reading, "BATCH_RECORDS", 10)
    f = tmp_path / "c.jsonl"
    corpus(f, 35)
    seen: list[Progress] = []
    report = import_paths(empty_project, [f], progress=seen.append)
    size = f.stat().st_size
    assert len(report.added) == 35
    # Read, checked and written a batch at a time (the last batch once the whole file is
    # checked), then the file's end: the total of records is not known before.
    assert [p.records for p in seen] == [10, 20, 30, 35, 35]
    assert 0 < seen[0].bytes_done < seen[1].bytes_done < seen[2].bytes_done < size
    assert seen[-1] == Progress(size, size, 35)
    assert all(p.bytes_total == size and p.records_total == 0 for p in seen)


def test_progress_counts_the_bytes_of_each_file_of_a_folder(tmp_path, empty_project):
    folder = tmp_path / "in"
    folder.mkdir()
    corpus(folder / "a.jsonl", 3)
    (folder / "b.txt").write_text("Un texte.", encoding="utf-8")
    seen: list[Progress] = []
    import_paths(empty_project, [folder], progress=seen.append)
    total = (folder / "a.jsonl").stat().st_size + (folder / "b.txt").stat().st_size
    reads = [p.bytes_done for p in seen]
    assert reads == sorted(reads) and (folder / "a.jsonl").stat().st_size in reads and reads[-1] == total
    assert {p.bytes_total for p in seen} == {total}


class Cancel(Exception):
    pass


@pytest.mark.parametrize("when", [10, 20])
def test_an_exception_from_progress_writes_nothing(tmp_path, monkeypatch, empty_project, when):
    """Raised after the first written batch or after two."""
    monkeypatch.setattr(import_reading, "BATCH_RECORDS", 10)
    f = tmp_path / "c.jsonl"
    corpus(f, 35)
    before = dump(empty_project.path)
    calls = []

    def cancel(p: Progress) -> None:
        calls.append(p)
        if p.records >= when:
            raise Cancel

    with pytest.raises(Cancel):
        import_paths(empty_project, [f], progress=cancel)
    assert calls[-1].records == when
    assert dump(empty_project.path) == before


def test_a_refusal_in_a_late_batch_writes_nothing(tmp_path, monkeypatch, empty_project):
    """Line 26 brings a's layer of a document the project has with another a's layer: the
    refusal comes from the writer, after five batches were written in the transaction."""
    monkeypatch.setattr(import_reading, "BATCH_RECORDS", 5)
    f = tmp_path / "c.jsonl"
    corpus(f, 30)
    lines = f.read_bytes().splitlines()
    other = orjson.loads(lines[25])
    other["status"] = "done"
    first = tmp_path / "first.jsonl"
    first.write_bytes(orjson.dumps(other) + b"\n")
    import_paths(empty_project, [first])
    before = dump(empty_project.path)
    written = []
    real_write = RecordWriter.write

    def write(self, items):
        real_write(self, items)
        written.append(len(items))

    monkeypatch.setattr(RecordWriter, "write", write)
    with pytest.raises(InputError) as err:
        import_paths(empty_project, [f])
    assert written == [5] * 5
    assert str(err.value).startswith(f"{f}: line 26") and "differs" in str(err.value)
    assert dump(empty_project.path) == before


def test_a_batch_of_gold_jsonl_also_ends_at_its_bytes(tmp_path, monkeypatch):
    # Issue 18: large documents come a few at a time, not BATCH_RECORDS at a time.
    path = tmp_path / "c.jsonl"
    corpus(path, 10)
    size = len(path.read_bytes().splitlines()[0]) + 1
    monkeypatch.setattr(import_reading, "BATCH_BYTES", 3 * size - 1)  # the third line passes the bound
    seen: list[int] = []
    with Project.create(tmp_path / "p.annotator") as project:
        report = import_paths(project, [path], progress=lambda p: seen.append(p.records))
    assert len(report.added) == 10
    assert sorted(set(seen) - {0}) == [3, 6, 9, 10]


def test_the_import_gives_the_connection_its_page_cache_back(tmp_path):
    with Project.create(tmp_path / "p.annotator") as project:
        with project.read() as conn:
            before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
        import_paths(project, [seeds_dir()])
        with project.read() as conn:
            assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == before == -65536


def test_the_garbage_collector_runs_less_often_during_an_import_and_as_before_after(tmp_path, empty_project):
    import gc

    f = tmp_path / "c.jsonl"
    corpus(f, 3)
    before = gc.get_threshold(), gc.get_freeze_count()
    seen = []

    def progress(_p: Progress) -> None:
        seen.append((gc.get_threshold()[0], gc.get_freeze_count() > 0))
        if len(seen) == 2:
            raise KeyboardInterrupt  # a cancel: the settings are put back all the same

    with pytest.raises(KeyboardInterrupt):
        import_paths(empty_project, [f], progress=progress)
    assert seen and all(s == (importer.IMPORT_GC_THRESHOLD, True) for s in seen)
    assert (gc.get_threshold(), gc.get_freeze_count()) == before
    import_paths(empty_project, [f])
    assert (gc.get_threshold(), gc.get_freeze_count()) == before
