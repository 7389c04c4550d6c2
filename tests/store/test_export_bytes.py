"""The export of a generated corpus equals, byte for byte, the file bench/gen_corpus.py
writes in the export format independently of annotator's serialiser: the fast paths of
import (streamed in batches) and export (driver rows, plain span records) change no byte,
whatever the batch size."""

import importlib.util
import io
import random
from pathlib import Path

import pytest

from annotator import import_reading
from annotator.formats import gold_jsonl
from annotator.importer import import_paths
from annotator.store.project import Project
from annotator.store.records_out import iter_records

BENCH = Path(__file__).resolve().parents[2] / "bench" / "gen_corpus.py"


def generator():
    spec = importlib.util.spec_from_file_location("gen_corpus", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def export(project) -> bytes:
    buf = io.BytesIO()
    with project.read() as conn:
        gold_jsonl.write(iter_records(conn), buf)
    return buf.getvalue()


@pytest.mark.parametrize("batch", [7, 1000])
def test_export_of_a_generated_corpus_is_the_generated_file(tmp_path, monkeypatch, batch):
    gen = generator()
    docs = gen.corpus(60, seed=5)  # every language, NFD Vietnamese, CRLF, emoji, titles or none
    docs.append(gen.make_document(random.Random(3), "long", gen.LANGS, 2000, 40_000, set(), title="Long"))
    corpus = gen.write_jsonl(docs, tmp_path / "corpus.jsonl")
    monkeypatch.setattr(import_reading, "BATCH_RECORDS", batch)
    with Project.create(tmp_path / "p.annotator") as project:
        report = import_paths(project, [corpus])
        assert len(report.added) == 61 and not report.warnings
        first = export(project)
    assert first == corpus.read_bytes()
    with Project.create(tmp_path / "q.annotator") as again:  # and once more from the export
        again_file = tmp_path / "again.jsonl"
        again_file.write_bytes(first)
        import_paths(again, [again_file])
        assert export(again) == first
