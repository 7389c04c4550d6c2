"""corpus_label_spans: one label's spans of one layer across the corpus, with their texts
sliced in code points, read in the same few statements whatever the corpus's size."""

from __future__ import annotations

import unicodedata

from sqlalchemy import event

from annotator.core.records import DocumentRecord
from annotator.formats import gold_jsonl
from annotator.importer import import_paths
from annotator.store.project import Project
from annotator.store.queries import corpus_label_spans, list_documents
from annotator.store.spans import SpanData, add_spans


def corpus(tmp_path, texts: list[str], name: str = "c") -> Project:
    path = tmp_path / f"{name}.jsonl"
    path.write_bytes(b"".join(gold_jsonl.dumps(DocumentRecord(id=f"d{i:04}", lang="en", text=t))
                              for i, t in enumerate(texts)))
    project = Project.create(tmp_path / f"{name}.annotator")
    import_paths(project, [path])
    return project


def test_spans_of_one_label_and_layer_in_document_and_text_order(tmp_path):
    nfd = unicodedata.normalize("NFD", "Geoană")
    texts = ["😀 On 13 June 2023 " + nfd + " met NATO on 14 June.", "Nothing dated here, only NATO."]
    with corpus(tmp_path, texts) as project, project.read() as conn:
        first, second = (d.id for d in list_documents(conn))
    t = texts[0]
    june14, june13 = t.index("14 June"), t.index("13 June 2023")
    add_spans(project, [
        SpanData("s1", first, "ana", june14, june14 + 7, "DATE"),
        SpanData("s2", first, "ana", june13, june13 + 12, "DATE", value="2023-06-13"),
        SpanData("s3", first, "ana", t.index(nfd), t.index(nfd) + len(nfd), "PERSON"),
        SpanData("s4", first, "bo", june13, june13 + 12, "DATE"),  # another layer
        SpanData("s5", second, "ana", texts[1].index("NATO"), texts[1].index("NATO") + 4, "ORG"),
    ])
    with project.read() as conn:
        dates = corpus_label_spans(conn, "ana", "DATE")
        assert [(s.uid, s.text, s.value, s.document) for s in dates] == [
            ("s2", "13 June 2023", "2023-06-13", "en · d0000"), ("s1", "14 June", None, "en · d0000")]
        assert [s.text for s in corpus_label_spans(conn, "ana", "PERSON")] == [nfd]  # after an emoji: code points
        assert [(s.uid, s.doc_id) for s in corpus_label_spans(conn, "ana", "ORG")] == [("s5", second)]
        assert corpus_label_spans(conn, "nobody", "DATE") == []


def statements(project: Project, label: str) -> tuple[int, int]:
    """(spans read, SQL statements run) for one read of `label`'s spans."""
    seen = []
    with project.read() as conn:
        event.listen(conn, "before_cursor_execute", lambda *args: seen.append(args[2]))
        n = len(corpus_label_spans(conn, "ana", label))
    return n, len(seen)


def test_one_bulk_read_whatever_the_number_of_spans(tmp_path):
    counts = []
    for n_docs in (2, 300):
        texts = [f"Report {i:04}: on 1 May and 2 May and 3 May the talks went on." for i in range(n_docs)]
        with corpus(tmp_path, texts, f"c{n_docs}") as project:
            with project.read() as conn:
                docs = [d.id for d in list_documents(conn)]
            add_spans(project, [SpanData(f"s{d}-{k}", d, "ana", texts[0].index(f"{k} May"),
                                         texts[0].index(f"{k} May") + 5, "DATE")
                                for d in docs for k in (1, 2, 3)])
            counts.append(statements(project, "DATE"))
    (small, small_sql), (large, large_sql) = counts
    assert (small, large) == (6, 900)
    assert small_sql == large_sql <= 3  # the annotator's id, the spans, the texts
