from annotator.suggest.base import Example
from annotator.suggest.crf import CrfModel, CrfSettings
from annotator.suggest.retrain import GROWTH, MIN_NEW, crf_due, sentences, with_new_matchers
from annotator.suggest.training import Suggester


def test_the_crf_is_due_first_and_then_after_growth():
    assert not crf_due(0, None)
    assert crf_due(1, None)
    assert not crf_due(MIN_NEW - 1, 0) and crf_due(MIN_NEW, 0)  # the first commits do not each start one
    at = 1000
    grown = int(at * (1 + GROWTH))
    assert not crf_due(grown - 1, at)
    assert crf_due(grown, at)


def test_new_matchers_learn_a_commit_at_once_and_keep_the_crf():
    first = {"en": [Example("Mr Pal met the Sox Bank people .", "en", ((3, 6, "PERSON"), (15, 23, "ORG")))] * 3}
    current = Suggester.train(first, settings=CrfSettings(max_iterations=20))
    crf = [m for m in current.models if isinstance(m, CrfModel)]
    text = "Zorblat Quux arrived ."
    assert all(s.source != "matcher" for s in current.suggest(text, "en"))
    committed = {"en": [*first["en"], Example(text, "en", ((0, 12, "ORG"),))]}
    assert sentences(committed) == 4
    after = with_new_matchers(current, committed, matcher_min_score=0.0)
    assert [m for m in after.models if isinstance(m, CrfModel)] == crf  # the same CRF, not retrained
    got = after.suggest("Then Zorblat Quux left .", "en")
    assert [(s.start, s.end, s.label, s.source) for s in got if s.source == "matcher"] == [(5, 17, "ORG", "matcher")]
