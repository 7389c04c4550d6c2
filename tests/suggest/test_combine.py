from annotator.suggest.base import Example, Suggestion
from annotator.suggest.combine import Rejection, Rejections, combine
from annotator.suggest.training import Suggester


def s(start, end, label, score, source="crf"):
    return Suggestion(start, end, label, score, source)


def test_best_per_span_and_no_overlaps():
    crf = [s(0, 5, "ORG", 0.6), s(10, 20, "PERSON", 0.9)]
    matcher = [s(0, 5, "PERSON", 0.8, "matcher"), s(12, 25, "ORG", 0.95, "matcher")]
    assert combine([crf, matcher]) == [s(0, 5, "PERSON", 0.8, "matcher"), s(12, 25, "ORG", 0.95, "matcher")]


def test_existing_spans_of_the_layer_drop_overlapping_suggestions():
    got = combine([[s(0, 5, "ORG", 0.6), s(10, 20, "PERSON", 0.9)]], existing=[(3, 4)])
    assert got == [s(10, 20, "PERSON", 0.9)]


def test_rejected_suggestions_are_not_suggested_again():
    text = "Acme Corp hired Bob. Acme Corp grew."
    train = {"en": [Example(text, "en", ((0, 9, "ORG"),))]}
    suggester = Suggester.train(train, matcher_min_score=0.0)
    before = suggester.suggest(text, "en")
    assert (21, 30, "ORG") in {(x.start, x.end, x.label) for x in before}
    rejections = Rejections.of([Rejection("d1", 21, 30, "ORG")])
    after = suggester.suggest(text, "en", rejected=rejections.of_document("d1"))
    assert (21, 30, "ORG") not in {(x.start, x.end, x.label) for x in after}
    assert rejections.of_document("other") == set()
