"""What the main window reads for the selection: the relations of one span, every mention
of a cluster with its text across the documents, and the spans a span is linked to in its
translations (followed on)."""

from __future__ import annotations

from annotator.store import entities, parallel, relations
from annotator.store.queries import document_text, list_documents
from annotator.store.spans import add_span

EN, FR, VI = "004_8ff92d06c738168c", "002_348658bd2cc7c365", "001_4b158e7d9e1f12f6"


def span(project, uid, needle, label="PERSON", annotator="ana"):
    with project.read() as conn:
        doc = next(d for d in list_documents(conn) if d.uid == uid).id
        start = document_text(conn, doc).index(needle)
    return add_span(project, doc, annotator, start, start + len(needle), label).result


def test_mentions_with_their_text_and_linked_spans_followed_on(seeded_project):
    p = seeded_project
    en, fr, vi = span(p, EN, "Mircea Geoană"), span(p, FR, "Mircea Geoana"), span(p, VI, "Mircea Geoana")
    other = span(p, EN, "Miroslav Lajcak")
    parallel.add_link(p, en.uid, fr.uid)
    parallel.add_link(p, vi.uid, fr.uid)  # stored the other way: followed all the same
    with p.read() as conn:
        assert entities.linked_spans(conn, en.uid) == sorted([fr.uid, vi.uid])
        assert entities.linked_spans(conn, other.uid) == [] and entities.linked_spans(conn, "nope") == []
    ent = entities.add_to_entity(p, [en.uid, fr.uid], kb="Q7809").result
    with p.read() as conn:
        found = entities.cluster_mentions(p, conn, "ana", [ent])
        assert [(m.document_id, m.text, m.kb) for m in found] == [(fr.document_id, "Mircea Geoana", "Q7809"),
                                                                  (en.document_id, "Mircea Geoană", "Q7809")]
        assert entities.cluster_mentions(p, conn, "ana", []) == []
        assert entities.cluster_mentions(p, conn, "bob", [ent]) == []  # another annotator's clusters are theirs


def test_the_relations_of_one_span_either_end_and_no_other_layer(seeded_project):
    p = seeded_project
    geoana, nato, lajcak = span(p, EN, "Mircea Geoană"), span(p, EN, "NATO", "ORG"), span(p, EN, "Miroslav Lajcak")
    theirs = span(p, EN, "Mircea Geoană", annotator="bo")
    first = relations.add_relation(p, "member_of", geoana.uid, nato.uid).result
    second = relations.add_relation(p, "member_of", lajcak.uid, nato.uid).result
    relations.add_relation(p, "member_of", theirs.uid, span(p, EN, "NATO", "ORG", annotator="bo").uid)
    with p.read() as conn:
        assert relations.span_relations(conn, nato.uid) == [first, second]
        assert relations.span_relations(conn, geoana.uid) == [first]
        assert relations.span_relations(conn, "nope") == []


def test_the_rows_of_a_layers_relations_all_or_those_named_in_order_and_no_other_layer(seeded_project):
    p = seeded_project
    geoana, nato, lajcak = span(p, EN, "Mircea Geoană"), span(p, EN, "NATO", "ORG"), span(p, EN, "Miroslav Lajcak")
    theirs = span(p, EN, "Mircea Geoană", annotator="bo")
    second = relations.add_relation(p, "member_of", lajcak.uid, nato.uid).result
    first = relations.add_relation(p, "member_of", geoana.uid, nato.uid).result
    relations.add_relation(p, "member_of", theirs.uid, span(p, EN, "NATO", "ORG", annotator="bo").uid)
    with p.read() as conn:
        rows = relations.relation_rows(conn, nato.document_id, "ana")
        assert [(uid, a, t, b) for _id, uid, a, t, b in rows] == \
            [(r.uid, r.from_span, r.type, r.to_span) for r in relations.layer_relations(conn, nato.document_id, "ana")]
        assert [r[1] for r in rows] == [second.uid, first.uid] and rows[0][0] < rows[1][0]  # as they were made
        assert relations.relation_rows(conn, nato.document_id, "ana", [first.uid, "gone"]) == rows[1:]
        assert relations.relation_rows(conn, nato.document_id, "ana", []) == []
        assert relations.relation_rows(conn, nato.document_id, "nobody") == []
