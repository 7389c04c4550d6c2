"""The navigator's reads (document_list, document_details, span_counts) say what
list_documents says, in pieces; label_extents and document_heads what the corpus-wide
"label every occurrence" needs."""

from annotator.store.changes import apply
from annotator.store.queries import (
    document_details,
    document_heads,
    document_list,
    label_extents,
    layer_spans,
    list_documents,
    span_counts,
)
from annotator.store.spans import add_span, delete_span, set_status


def test_the_pieces_add_up_to_list_documents(seeded_project):
    p = seeded_project
    with p.read() as conn:
        ids = [d.id for d in list_documents(conn)]
    add_span(p, ids[1], "ana", 0, 4, "ORG")
    add_span(p, ids[1], "ana", 5, 9, "PERSON")
    add_span(p, ids[3], "bo", 0, 4, "ORG")
    set_status(p, ids[2], "ana", "done")
    with p.read() as conn:
        for annotator in ("ana", "bo", None):
            whole = list_documents(conn, annotator)
            rows = document_list(conn, annotator)
            assert rows == [(d.id, d.lang, d.status) for d in whole]
            for ids_asked in (None, [ids[1], ids[3]]):
                details = document_details(conn, ids_asked)
                counts = span_counts(conn, annotator, ids_asked)
                for d in whole:
                    if ids_asked is None or d.id in ids_asked:
                        assert details[d.id] == (d.uid, d.title, d.group, d.length)
                        assert counts.get(d.id, 0) == d.spans
        assert document_list(conn, "ana", doc_ids=[ids[2]]) == [(ids[2], whole[2].lang, "done")]
        assert [h[0] for h in document_heads(conn, [ids[3], ids[0]])] == [ids[0], ids[3]]
        extents = label_extents(conn, ids, "ana", "ORG")
        assert extents == {ids[1]: {(s, e) for s, e, label, _uid in layer_spans(conn, ids[1], "ana") if label == "ORG"}}
        assert label_extents(conn, ids, "nobody", "ORG") == {}


def test_a_few_documents_span_counts_follow_edits_undo_and_redo(seeded_project):
    """After an edit the navigator reads its row's count (on a file: the layer's kept count,
    store/span_counts.py); it equals a count of the layer's spans after adds, a delete,
    its undo and its redo."""
    p = seeded_project
    with p.read() as conn:
        ids = [d.id for d in list_documents(conn)][:3]
    added = [add_span(p, ids[0], "ana", s, s + 3, "ORG").result for s in (0, 5, 10)]
    add_span(p, ids[1], "ana", 0, 3, "PERSON")
    gone = delete_span(p, added[1].uid)

    def counted() -> dict[int, int]:
        with p.read() as conn:
            return {i: len(layer_spans(conn, i, "ana")) for i in ids if layer_spans(conn, i, "ana")}

    for step in (None, False, True):
        if step is not None:
            apply(p, gone, forward=step)
        with p.read() as conn:
            assert span_counts(conn, "ana", ids) == counted()
