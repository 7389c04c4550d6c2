"""Every store write returns a Change that apply() undoes and redoes exactly, layer
statuses included (issue 11)."""

from __future__ import annotations

from annotator.core.errors import AnnotatorError
from annotator.store.changes import apply
from annotator.store.queries import list_documents
from annotator.store.spans import SpanData, add_span, add_spans, set_status

from .conftest import dump


def _status(project, doc_id: int, annotator: str) -> str:
    with project.read() as conn:
        return list_documents(conn, annotator, doc_ids=[doc_id])[0].status


def test_undoing_the_first_span_leaves_a_to_do_document_to_do(seeded_project):
    p = seeded_project
    with p.read() as conn:
        doc = list_documents(conn)[0].id
    before = dump(p.path)
    change = add_span(p, doc, "ana", 0, 4, "ORG")
    assert _status(p, doc, "ana") == "in_progress"
    assert [(s.before, s.after) for s in change.layers] == [("todo", "in_progress")]
    apply(p, change, False)
    assert _status(p, doc, "ana") == "todo" and dump(p.path) == before
    apply(p, change, True)
    assert _status(p, doc, "ana") == "in_progress"


def test_undoing_a_corpus_wide_edit_leaves_no_layer_in_progress(seeded_project):
    p = seeded_project
    with p.read() as conn:
        docs = [d.id for d in list_documents(conn)][:3]
    set_status(p, docs[0], "ana", "done")
    before = dump(p.path)
    change = add_spans(p, [SpanData("", d, "ana", 0, 2, "ORG") for d in docs])
    assert change.documents == tuple(docs) and "in 3 documents" in change.description
    apply(p, change, False)
    assert dump(p.path) == before
    assert [_status(p, d, "ana") for d in docs] == ["done", "todo", "todo"]


def test_a_change_made_stale_by_another_edit_is_refused_whole(seeded_project):
    p = seeded_project
    with p.read() as conn:
        doc = list_documents(conn)[0].id
    change = add_span(p, doc, "ana", 0, 4, "ORG")
    apply(p, change, False)
    again = add_span(p, doc, "ana", 0, 4, "ORG")  # takes the same row id
    after = dump(p.path)
    try:
        apply(p, change, True)
    except AnnotatorError as exc:
        assert "cannot be undone or redone" in str(exc) or "UNIQUE" in str(exc)
    else:
        raise AssertionError("a redo over another edit must be refused")
    assert dump(p.path) == after and again
