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


class _Fixed:
    """A trained model that predicts the same suggestions for every text."""

    def __init__(self, name, suggestions):
        self.name, self.suggestions = name, suggestions

    def predict(self, text, lang):
        return list(self.suggestions)


def test_trained_together_the_crf_wins_overlaps_with_the_matcher_and_the_matcher_fills_gaps():
    from annotator.suggest.crf import CrfModel

    class Crf(CrfModel):
        def __init__(self, suggestions):
            super().__init__("crf", {}, None)
            self.suggestions = suggestions

        def predict(self, text, lang):
            return list(self.suggestions)

    crf = Crf([s(0, 9, "LOC", 0.4)])
    matcher = _Fixed("matcher", [s(0, 4, "ORG", 0.5, "matcher"), s(20, 25, "PER", 0.5, "matcher")])
    together = Suggester([matcher, crf], crf_first=True)  # as Suggester.train makes it
    assert together.suggest("x" * 30, "en") == [s(0, 9, "LOC", 0.4), s(20, 25, "PER", 0.5, "matcher")]
    # after a commit the matcher knows newer labels than the CRF: the surer score wins again
    after_commit = Suggester([matcher, crf])
    assert after_commit.suggest("x" * 30, "en") == [s(0, 4, "ORG", 0.5, "matcher"), s(20, 25, "PER", 0.5, "matcher")]
