"""An import reads in a second process while it writes (annotator.read_ahead, issue 18):
the project, the report, the messages and the schema it grows are the same as when it
reads in process (the GUI's way), for plain records and for records that hold links,
alignments, events and clusters; a refusal in a late batch is said as in process and
writes nothing; a reading process that dies says so and writes nothing."""

import os
from pathlib import Path

import orjson
import pytest

from annotator import import_reading, importer, read_ahead
from annotator.core.errors import AnnotatorError, InputError
from annotator.importer import import_paths
from annotator.paths import seeds_dir
from annotator.store.project import Project
from annotator.store.search import search_documents
from tests.conftest import TRICKY, dump
from tests.store.test_import_stream import export

GOLD = seeds_dir() / "gold" / "seeds.gold.jsonl"


def corpus(path, n: int, bad_line: int | None = None) -> None:
    """n documents with two spans each, in tricky scripts (NFD Vietnamese: the twin check
    and folding have work), an unknown key (a reader's warning) and a label the schema
    lacks (added); line `bad_line` has a span past its text."""
    lines = []
    for i in range(n):
        text = f"NATO {i} {TRICKY['vi_nfd']} {TRICKY['bengali']}"
        end = len(text) + 5 if i + 1 == bad_line else 4
        lines.append(orjson.dumps({"id": f"d{i}", "lang": "vi", "text": text, "title": f"Tiêu đề {i}",
                                   "spans": [{"id": f"s{i}", "start": 0, "end": end, "label": "ORG", "text": "NATO"},
                                             {"id": f"t{i}", "start": 5, "end": 5 + len(str(i)),
                                              "label": "NUMBER", "text": str(i)}],
                                   "annotator": "a", "status": "in_progress", "colour": "red"}))
    path.write_bytes(b"\n".join(lines) + b"\n")


def both_ways(tmp_path, monkeypatch, paths, name: str):
    """(export, search results, report, schema) of the import of `paths` into a fresh
    project, read ahead and in process."""
    out = []
    (tmp_path / "ahead").mkdir()
    (tmp_path / "inside").mkdir()
    monkeypatch.chdir(tmp_path)
    for ahead in (True, False):
        monkeypatch.setattr(read_ahead, "possible", lambda ahead=ahead: ahead)
        os.chdir(tmp_path / ("ahead" if ahead else "inside"))  # one name in both (the report names it)
        with Project.create(Path(f"{name}.annotator")) as project:
            report = import_paths(project, paths)
            with project.read() as conn:
                found = [search_documents(conn, q) for q in ("tieu de 3", "NATO 1", "রাস্তার", "geoana")]
            out.append((export(project), found, report, project.schema))
    return out


def test_read_ahead_or_in_process_the_same_project_report_and_schema(tmp_path, monkeypatch):
    """The seeds (links, alignments, events, claims: records pickled whole) and a corpus
    of plain records in batches of 7, read together."""
    monkeypatch.setattr(import_reading, "BATCH_RECORDS", 7)
    f = tmp_path / "c.jsonl"
    corpus(f, 40)
    (ahead, found_a, report_a, schema_a), (inside, found_i, report_i, schema_i) = both_ways(
        tmp_path, monkeypatch, [seeds_dir(), GOLD, f], "mixed")
    assert ahead == inside and b'"links":[{' in ahead and b'"alignments":[{' in ahead
    assert found_a == found_i and all(found_a)
    assert report_a == report_i
    assert schema_a == schema_i and "NUMBER" in {lab.name for lab in schema_a.labels}
    assert any("colour" in w for w in report_a.warnings)
    assert len(report_a.added) > 40 and report_a.layer_count > 40


def test_the_reading_runs_in_another_process(tmp_path, monkeypatch, empty_project):
    monkeypatch.setattr(read_ahead, "possible", lambda: True)
    pids = tmp_path / "pids"
    real = importer._Reading._ready

    def ready(self, items, stream=None):
        with open(pids, "a") as fh:
            fh.write(f"{os.getpid()}\n")
        yield from real(self, items, stream)

    monkeypatch.setattr(importer._Reading, "_ready", ready)
    f = tmp_path / "c.jsonl"
    corpus(f, 5)
    report = import_paths(empty_project, [f])
    assert len(report.added) == 5
    readers = set(pids.read_text().split())
    assert readers and str(os.getpid()) not in readers


@pytest.mark.parametrize("ahead", [True, False])
def test_a_bad_line_in_a_late_batch_is_named_and_nothing_is_written(tmp_path, monkeypatch, empty_project, ahead):
    monkeypatch.setattr(read_ahead, "possible", lambda: ahead)
    monkeypatch.setattr(import_reading, "BATCH_RECORDS", 5)
    f = tmp_path / "c.jsonl"
    corpus(f, 30, bad_line=23)
    before = dump(empty_project.path)
    with pytest.raises(InputError) as err:
        import_paths(empty_project, [f])
    assert str(err.value).startswith(f"{f}: line 23")
    assert dump(empty_project.path) == before


def test_a_reading_process_that_dies_is_said_and_nothing_is_written(tmp_path, monkeypatch, empty_project):
    """Killed (say, by the kernel for its memory) after its first batch."""
    monkeypatch.setattr(read_ahead, "possible", lambda: True)
    monkeypatch.setattr(import_reading, "BATCH_RECORDS", 5)
    real = importer._Reading._ready
    given = []

    def ready(self, items, stream=None):
        for batch in real(self, items, stream):
            if given:
                os._exit(9)
            given.append(batch)
            yield batch

    monkeypatch.setattr(importer._Reading, "_ready", ready)
    f = tmp_path / "c.jsonl"
    corpus(f, 30)
    before = dump(empty_project.path)
    with pytest.raises(AnnotatorError, match="reading process ended unexpectedly; nothing was imported"):
        import_paths(empty_project, [f])
    assert dump(empty_project.path) == before


def test_an_input_error_crosses_the_pipe_whole():
    """Raised in the child, pickled, raised in the parent: the same place and reason."""
    import pickle

    err = pickle.loads(pickle.dumps(InputError("a.jsonl", "line 3", "span end 9 is past the text")))
    assert (err.where, err.place, err.reason) == ("a.jsonl", "line 3", "span end 9 is past the text")
    assert str(err) == "a.jsonl: line 3: span end 9 is past the text"


def test_the_first_batch_comes_in_two_pieces_and_the_project_is_the_same(tmp_path, monkeypatch):
    """Read ahead, the first batch's first records are written while the rest of it is
    read (progress says so); the project is the one an import in process makes."""
    f = tmp_path / "c.jsonl"
    corpus(f, read_ahead.FIRST_PIECE + 50)
    exports, progress = [], []
    for ahead in (True, False):
        monkeypatch.setattr(read_ahead, "possible", lambda ahead=ahead: ahead)
        seen = []
        with Project.create(tmp_path / f"p{ahead}.annotator") as project:
            import_paths(project, [f], progress=lambda p, seen=seen: seen.append(p.records))
            exports.append(export(project))
        progress.append(seen)
    assert exports[0] == exports[1]
    assert progress[0][-1] == progress[1][-1] == read_ahead.FIRST_PIECE + 50
    assert read_ahead.FIRST_PIECE in progress[0] and read_ahead.FIRST_PIECE not in progress[1]


def test_without_a_process_to_fork_the_reading_is_done_in_process(tmp_path, monkeypatch, empty_project):
    monkeypatch.setattr(read_ahead, "possible", lambda: True)

    def no_fork():
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(read_ahead.os, "fork", no_fork)
    f = tmp_path / "c.jsonl"
    corpus(f, 12)
    report = import_paths(empty_project, [f])
    assert len(report.added) == 12 and any("colour" in w for w in report.warnings)


def test_plain_spans_handed_over_as_columns_equal_the_records_read_in_process(tmp_path):
    """What the writer receives from the reading process for plain records: spans as
    columns (no SpanRecord a span), equal, hashed, pickled and iterated as the records the
    reading in process gives, texts from the record's text at the spans' offsets."""
    import pickle

    from annotator.core.records import SpanColumns

    corpus(tmp_path / "c.jsonl", 30)
    reading = importer._Reading(("vi", "en"), None, [], None, {}, [], importer.Additions())
    inside = [it for batch in reading.batches([tmp_path / "c.jsonl"]) for it in batch]
    reading = importer._Reading(("vi", "en"), None, [], None, {}, [], importer.Additions())
    ahead = [it for batch in read_ahead.batches(reading, [tmp_path / "c.jsonl"]) for it in batch]
    assert len(ahead) == len(inside) == 30
    for mine, theirs in zip(ahead, inside, strict=True):
        spans = mine.record.spans
        assert type(spans) is SpanColumns and spans.labels == ("ORG", "NUMBER")
        assert mine.record == theirs.record and hash(mine.record) == hash(theirs.record)
        assert list(spans) == list(theirs.record.spans) and spans[1].text == theirs.record.spans[1].text
        assert pickle.loads(pickle.dumps(mine.record)) == theirs.record
        assert mine.record.digest == theirs.record.digest and mine.record.folded == theirs.record.folded


def _reaped(pid: int) -> bool:
    """Whether process `pid` (a child of this one) is gone and waited for."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def _early_reading(tmp_path, monkeypatch, documents: int, **options):
    """A corpus file of `documents` and an empty project, and the command line's reading of
    it begun before the project is opened (importer.read_early): (file, project path, reading)."""
    monkeypatch.setattr(read_ahead, "possible", lambda: True)  # (other tests may leave threads in this process)
    f = tmp_path / "c.jsonl"
    corpus(f, documents)
    path = tmp_path / "p.annotator"
    with Project.create(path):
        pass
    early = importer.read_early(path, [f], **options)
    assert early is not None and isinstance(early.batches, read_ahead.Started)
    return f, path, early


def test_a_reading_begun_before_the_project_opened_is_taken_when_the_project_is_unchanged(tmp_path, monkeypatch):
    """The command line begins the reading (its process) before it opens the project
    (importer.read_early): the import takes it, and writes what an import read in
    process writes, with the same report."""
    f, path, early = _early_reading(tmp_path, monkeypatch, 12)
    with Project.open(path) as project:
        report = import_paths(project, [f], early=early)
        assert early.batches._began  # its batches were the ones written
        got = export(project)
    with Project.create(tmp_path / "q.annotator") as other:
        again = import_paths(other, [f])
        assert got == export(other) and len(report.added) == 12
        assert report.notes == [n.replace("q.annotator", "p.annotator") for n in again.notes]
        again.notes = report.notes
        assert report == again
    early.close()
    assert _reaped(early.batches._pid)


def test_a_reading_begun_before_the_schema_changed_is_stopped_and_the_import_reads_anew(tmp_path, monkeypatch):
    """Between the reading's start and the import's transaction the project's schema
    changed (here: the label NUMBER added, which an import adding no labels refuses without): the early
    reading, checked against the old schema, is stopped and the import reads anew against
    the schema of its transaction; the stopped process is gone."""
    from annotator.core.schema import parse_schema
    from annotator.core.schema_add import with_labels
    from annotator.store.schema_change import replace_schema

    f, path, early = _early_reading(tmp_path, monkeypatch, 12, add_labels=False)
    with Project.open(path) as project:
        assert project.schema.label("NUMBER") is None
        grown = with_labels(project.schema, ["NUMBER"], "test")[0]
        replace_schema(project, grown.to_json(), "test")
        assert parse_schema(grown.to_json(), "test").label("NUMBER") is not None
        report = import_paths(project, [f], add_labels=False, early=early)
        assert not early.batches._began and len(report.added) == 12
    assert _reaped(early.batches._pid)
    with pytest.raises(InputError, match="NUMBER"):  # what the early reading would have said
        with Project.create(tmp_path / "q.annotator") as other:
            import_paths(other, [f], add_labels=False)


def test_an_early_reading_not_taken_is_stopped(tmp_path, monkeypatch):
    """The project could not be opened (or the command failed first): closing the early
    reading stops its process and waits for it; nothing is left running."""
    f, _path, early = _early_reading(tmp_path, monkeypatch, 3000)
    early.close()
    assert _reaped(early.batches._pid)
    assert importer.read_early(tmp_path / "none.annotator", [f]) is None  # no project there: opening says why


def test_the_command_line_forks_its_reading_before_it_imports_sqlalchemy(tmp_path):
    """`annotator import` on a project file: the reading process is forked once, before
    SQLAlchemy is imported (the two overlap), and the import writes every record."""
    import subprocess
    import sys

    f = tmp_path / "c.jsonl"
    corpus(f, 20)
    path = tmp_path / "p.annotator"
    with Project.create(path):
        pass
    script = ("import sys\n"
              "from annotator import read_ahead\n"
              "real, seen = read_ahead.started, []\n"
              "def started(*args):\n"
              "    seen.append('sqlalchemy' in sys.modules)\n"
              "    return real(*args)\n"
              "read_ahead.started = started\n"
              "from annotator.cli.commands import main\n"
              f"code = main(['import', {str(path)!r}, {str(f)!r}])\n"
              "print(code, seen)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(Path(importer.__file__).parents[1])})
    assert done.stdout.strip() == "0 [False]", done.stderr
    assert "imported 20 document(s)" in done.stderr
