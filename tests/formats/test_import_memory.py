"""Issue 18: what an import keeps of each document until it ends (for the checks across
its input: layers, texts, NFC/NFD twins, references, row ids) is a few small objects, so
that 100,000 documents fit the memory target. Measured with tracemalloc as the growth
between the progress reports after the first and the last batch (the batch itself and
SQLite's page cache are the same size at both)."""

import tracemalloc

from annotator.core.records import DocumentRecord, SpanRecord
from annotator.formats import gold_jsonl
from annotator.importer import BATCH_RECORDS, import_paths

WORDS = ("một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười")
DOCUMENTS = 6 * BATCH_RECORDS
KEPT_PER_DOCUMENT = 760  # bytes: 650 now; 885 before issue 18 (one map a check, hex checksums, places as strings)


def corpus(path) -> None:
    lines = []
    for i in range(DOCUMENTS):
        # Unique texts of a fixed vocabulary (the folding cache does not grow), not ASCII (the twin check keeps them).
        number = " ".join(WORDS[int(d)] for d in f"{i:05d}")
        text = f"NATO và {number}."
        lines.append(gold_jsonl.dumps(DocumentRecord(id=f"doc-{i:05d}", lang="vi", text=text, annotator="ana",
                                                     spans=(SpanRecord(f"s{i}", 0, 4, "ORG", "NATO"),),
                                                     status="done")))
    path.write_bytes(b"".join(lines))


def test_what_an_import_keeps_of_each_document_is_small(empty_project, tmp_path):
    path = tmp_path / "a-corpus-file-with-a-name-as-long-as-a-real-one.jsonl"
    corpus(path)
    traced: dict[int, int] = {}
    tracemalloc.start()
    try:
        report = import_paths(empty_project, [path],
                              progress=lambda p: traced.__setitem__(p.records, tracemalloc.get_traced_memory()[0]))
    finally:
        tracemalloc.stop()
    assert len(report.added) == DOCUMENTS and report.warnings == []
    kept = (traced[DOCUMENTS] - traced[BATCH_RECORDS]) / (DOCUMENTS - BATCH_RECORDS)
    assert kept < KEPT_PER_DOCUMENT, f"{kept:.0f} bytes kept a document"
