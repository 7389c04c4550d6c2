import pytest

from annotator.core.errors import AnnotatorError
from annotator.store.layers import training_layers
from annotator.store.queries import list_documents
from annotator.store.spans import add_span, set_status
from annotator.suggest.training import examples_by_language


def test_layers_gold_wins_and_done_layers_without_spans_count(seeded_project):
    p = seeded_project
    with p.read() as conn:
        docs = list_documents(conn)
    a, b = docs[0], docs[1]
    add_span(p, a.id, "ana", 0, 3, "ORG")
    add_span(p, a.id, "gold", 0, 5, "PERSON")
    add_span(p, b.id, "ana", 2, 4, "DATE")
    set_status(p, a.id, "ben", "done")  # a layer with no span: "nothing here"
    with p.read() as conn:
        layers = training_layers(conn)
        only_ana = training_layers(conn, ["ana"])
        with pytest.raises(AnnotatorError, match="no layer by 'zed'"):
            training_layers(conn, ["zed"])
    got = {(la.document, la.annotator): la.spans for la in layers}
    assert got == {(a.uid, "ana"): ((0, 3, "ORG"),), (a.uid, "gold"): ((0, 5, "PERSON"),),
                   (b.uid, "ana"): ((2, 4, "DATE"),), (a.uid, "ben"): ()}
    assert {la.annotator for la in only_ana} == {"ana"}
    examples = examples_by_language(layers)
    a_text = next(la.text for la in layers if la.document == a.uid)
    assert [ex.spans for exs in examples.values() for ex in exs if ex.text == a_text] == [((0, 5, "PERSON"),)]
