"""Every store write returns a Change that apply() undoes and redoes exactly, layer
statuses included (issue 11)."""

from __future__ import annotations

from annotator.core.errors import AnnotatorError
from annotator.store.changes import apply
from annotator.store.queries import document_text, list_documents
from annotator.store.spans import (
    SpanData,
    add_span,
    add_spans,
    delete_span,
    delete_spans,
    relabel_span,
    set_status,
    update_span,
)
from tests.conftest import dump


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
        assert any(why in str(exc) for why in ("cannot be undone or redone", "UNIQUE", "project changed since"))
    else:
        raise AssertionError("a redo over another edit must be refused")
    assert dump(p.path) == after and again


def test_relabel_edit_and_delete_name_their_layer_with_its_status(seeded_project):
    p = seeded_project
    with p.read() as conn:
        doc = list_documents(conn)[0].id
    uid = add_span(p, doc, "ana", 0, 4, "ORG").result.uid
    set_status(p, doc, "ana", "done")
    for change in (relabel_span(p, uid, "PERSON"), update_span(p, uid, note="checked"), delete_span(p, uid)):
        assert change.documents == (doc,)
        assert [(s.document_id, s.annotator, s.before, s.after) for s in change.layers] == [(doc, "ana", "done", "done")]


def test_layers_of_a_change_over_several_documents_and_annotators(seeded_project):
    p = seeded_project
    with p.read() as conn:
        docs = [d.id for d in list_documents(conn)][:3]
    set_status(p, docs[1], "bob", "done")
    added = add_spans(p, [SpanData("", d, who, 0, 2, "ORG") for d in docs for who in ("ana", "bob")]).result
    set_status(p, docs[0], "ana", "done")
    change = delete_spans(p, [s.uid for s in added])
    assert sorted((s.document_id, s.annotator, s.before, s.after) for s in change.layers) == sorted(
        [(docs[0], "ana", "done", "done"), (docs[0], "bob", "in_progress", "in_progress"),
         (docs[1], "ana", "in_progress", "in_progress"), (docs[1], "bob", "done", "done"),
         (docs[2], "ana", "in_progress", "in_progress"), (docs[2], "bob", "in_progress", "in_progress")])


def test_descriptions_quote_the_span_of_each_document_whatever_was_read_before(seeded_project):
    p = seeded_project
    p.texts.keep = 2  # fewer texts kept than documents edited: each is read again when needed
    with p.read() as conn:
        docs = list_documents(conn)
        texts = {d.id: document_text(conn, d.id) for d in docs}
    for d in docs + docs[::-1]:
        change = add_span(p, d.id, "ana", 3, 9, "ORG")
        assert change.description == f"label ORG «{texts[d.id][3:9]}»"
        delete_span(p, change.result.uid)
    long = add_span(p, docs[0].id, "ana", 0, 50, "ORG")
    assert long.description == f"label ORG «{texts[docs[0].id][:40]}…»"
    assert relabel_span(p, long.result.uid, "PERSON").description == f"relabel ORG «{texts[docs[0].id][:40]}…» as PERSON"


def test_a_span_outside_its_document_is_refused_with_the_length_read_once(seeded_project):
    p = seeded_project
    with p.read() as conn:
        doc = list_documents(conn)[0]
    add_span(p, doc.id, "ana", doc.length - 1, doc.length, "ORG")  # the last character: accepted
    before = dump(p.path)
    for start, end in ((doc.length - 1, doc.length + 1), (doc.length, doc.length + 1)):
        try:
            add_span(p, doc.id, "ana", start, end, "ORG")
        except AnnotatorError as exc:
            assert f"span [{start}, {end}) is outside document {doc.id}" in str(exc)
        else:
            raise AssertionError("a span past the end must be refused")
    assert dump(p.path) == before
