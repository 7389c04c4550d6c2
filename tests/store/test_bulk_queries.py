"""The navigator's and the corpus-wide label's reads of many documents at once give what
the reads of a few give (issue 18: tens of thousands of ids, read by other paths)."""

from __future__ import annotations

from annotator.store import queries
from annotator.store.queries import document_list, label_extents, list_documents, span_counts
from annotator.store.spans import SpanData, add_spans


def test_many_ids_are_read_by_the_bulk_paths_with_the_same_answers(seeded_project, monkeypatch):
    p = seeded_project
    with p.read() as conn:
        ids = [d.id for d in list_documents(conn)]
    add_spans(p, [SpanData("", ids[0], "ana", 0, 3, "ORG"), SpanData("", ids[0], "ana", 4, 6, "ORG"),
                  SpanData("", ids[1], "ana", 2, 5, "ORG"), SpanData("", ids[1], "bo", 0, 2, "ORG")])
    asked = [ids[1], ids[0], ids[3]]
    with p.read() as conn:
        few = [(document_list(conn, a, doc_ids=asked), span_counts(conn, a, asked)) for a in ("ana", "bo", None)]
    monkeypatch.setattr(queries, "_MANY_IDS", 1)
    monkeypatch.setattr(queries, "_DRIVER_IDS", 1)
    with p.read() as conn:
        many = [(document_list(conn, a, doc_ids=asked), span_counts(conn, a, asked)) for a in ("ana", "bo", None)]
    assert many == few
    assert few[0][1] == {ids[0]: 2, ids[1]: 1}


def test_extents_of_one_length_only(seeded_project):
    p = seeded_project
    with p.read() as conn:
        ids = [d.id for d in list_documents(conn)]
    add_spans(p, [SpanData("", ids[0], "ana", 0, 3, "ORG"), SpanData("", ids[0], "ana", 4, 6, "ORG"),
                  SpanData("", ids[1], "ana", 2, 5, "ORG"), SpanData("", ids[1], "ana", 7, 9, "PERSON")])
    with p.read() as conn:
        assert label_extents(conn, ids, "ana", "ORG", 3) == {ids[0]: {(0, 3)}, ids[1]: {(2, 5)}}
        assert label_extents(conn, ids, "ana", "ORG", 2) == {ids[0]: {(4, 6)}}
        assert label_extents(conn, ids, "ana", "ORG") == {ids[0]: {(0, 3), (4, 6)}, ids[1]: {(2, 5)}}
