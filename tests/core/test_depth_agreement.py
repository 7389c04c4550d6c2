"""Agreement and evaluation of attributes and relations (issue 14). Cohen's kappa is
checked against cases computed by hand, against its definition on random cases (observed
and chance agreement from the contingency table), and against scikit-learn's
cohen_kappa_score (a development dependency only)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.agreement import report_to_dict, span_agreement
from annotator.core.depth_agreement import attribute_kappas, cohen_kappa
from annotator.core.evaluation import evaluate
from annotator.core.evaluation import report_to_dict as eval_dict
from annotator.core.records import DocumentRecord, EventRecord, RelationRecord, SpanRecord

TEXT = "Mircea Geoană of NATO met KFOR in Pristina today."


def test_kappa_of_a_case_computed_by_hand():
    # 10 items: A says yes 6 times, B 5; both yes 4, both no 3: po = 0.7,
    # pe = 0.6 * 0.5 + 0.4 * 0.5 = 0.5, kappa = (0.7 - 0.5) / 0.5 = 0.4.
    a = ["y", "y", "y", "y", "y", "y", "n", "n", "n", "n"]
    b = ["y", "y", "y", "y", "n", "n", "y", "n", "n", "n"]
    assert cohen_kappa(a, b) == pytest.approx(0.4)
    assert cohen_kappa(["x", "y"], ["x", "y"]) == 1.0
    assert cohen_kappa(["x", "y"], ["y", "x"]) == pytest.approx(-1.0)
    assert cohen_kappa(["x", "x"], ["x", "x"]) is None  # chance agreement 1: undefined
    assert cohen_kappa([], []) is None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from("abcd")), min_size=1, max_size=40))
def test_kappa_matches_its_definition_from_the_contingency_table(pairs):
    a, b = [x for x, _ in pairs], [y for _, y in pairs]
    n = len(pairs)
    table = Counter(pairs)
    cats = sorted(set(a) | set(b))
    po = sum(table[(c, c)] for c in cats) / n
    pe = sum(sum(table[(c, d)] for d in cats) * sum(table[(d, c)] for d in cats) for c in cats) / n / n
    got = cohen_kappa(a, b)
    if pe == 1:
        assert got is None
    else:
        assert got == pytest.approx((po - pe) / (1 - pe))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["actual", "generic", "other", "unset"]),
                          st.sampled_from(["actual", "generic", "other", "unset"])), min_size=2, max_size=60))
def test_kappa_is_scikit_learns(pairs):
    from sklearn.metrics import cohen_kappa_score

    a, b = [x for x, _ in pairs], [y for _, y in pairs]
    got = cohen_kappa(a, b)
    if len(set(a) | set(b)) == 1:  # chance agreement 1: undefined here, NaN there
        assert got is None
    else:
        assert got == pytest.approx(cohen_kappa_score(a, b))


def layer(annotator, realis=None, tense=None, relation=True, topic=None):
    spans = (SpanRecord("s1", 0, 13, "PERSON", "Mircea Geoană"), SpanRecord("s2", 17, 21, "ORG", "NATO"),
             SpanRecord("s3", 26, 30, "ORG", "KFOR"))
    attrs = tuple((k, v) for k, v in (("realis", realis), ("tense", tense)) if v is not None)
    return DocumentRecord("d", "en", TEXT, spans=spans, annotator=annotator,
                          events=(EventRecord("e", "MEETING", 22, 25, "met", (), attrs),),
                          relations=(RelationRecord("r", "member_of", "s1", "s2"),) if relation else (),
                          attributes=(("topic", topic),) if topic else ())


def test_attribute_kappa_over_matched_items_with_unset_as_a_category():
    docs = [(replace(layer("a", "actual", "past"), id=f"d{i}"), replace(layer("b", v, "past"), id=f"d{i}"))
            for i, v in enumerate(["actual", "generic", "actual", None])]
    got = attribute_kappas(docs)
    # realis: a = actual x4; b = actual, generic, actual, unset: a rates one category only.
    assert got["realis"] == (pytest.approx(0.0), 4)
    assert got["tense"] == (None, 4)  # all past: undefined


def test_agreement_report_has_attributes_and_relations_only_when_layers_do():
    a = [layer("a", "actual", topic="security")]
    b = [layer("b", "generic", relation=False, topic="security")]
    report = span_agreement({"a": a, "b": b})
    assert report.relations == {"f1": 0.0}
    assert report.attributes["realis"]["items"] == 1 and report.attributes["topic"]["items"] == 1
    plain = span_agreement({"a": [layer("a", relation=False)], "b": [layer("b", relation=False)]})
    assert not {"attributes", "relations"} & report_to_dict(plain).keys()
    same = span_agreement({"a": a, "b": [layer("b", "actual", topic="security")]})
    assert same.relations == {"f1": 1.0}


def test_eval_scores_relations_and_attribute_values():
    gold = [layer("gold", "actual", "past")]
    pred = [replace(layer("pred", "generic", "past"),
                    relations=(RelationRecord("x", "member_of", "s1", "s2"), RelationRecord("y", "member_of", "s1", "s3")))]
    report = evaluate(gold, pred)
    assert (report.relations.correct, report.relations.spurious, report.relations.missed) == (1, 1, 0)
    assert report.attributes["tense"].f1 == 1.0 and report.attributes["realis"].f1 == 0.0
    out = eval_dict(report)
    assert out["relations"]["precision"] == 0.5
    plain = evaluate([layer("g", relation=False)], [layer("p", relation=False)])
    assert not {"attributes", "relations"} & eval_dict(plain).keys()
