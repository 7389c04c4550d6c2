"""annotator eval's figures: the SemEval-2013 schemes checked against nervaluate (an
independent implementation, test-only) on random cases, a worked example by hand, and
the errors for files that do not describe the same documents."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nervaluate import Evaluator

from annotator.core.errors import InputError
from annotator.core.evaluation import SCHEMES, evaluate, report_to_dict
from annotator.core.records import ArgumentRecord, ClaimRecord, DocumentRecord, EventRecord, SpanRecord

LABELS = ["PERSON", "ORG", "DATE"]
# nervaluate calls the type-match scheme "ent_type"
ORACLE_NAME = {"strict": "strict", "exact": "exact", "partial": "partial", "type": "ent_type"}
FIELDS = ("correct", "incorrect", "partial", "missed", "spurious", "possible", "actual", "precision", "recall", "f1")


def doc(doc_id, text, spans=(), lang="en", events=(), claims=()):
    return DocumentRecord(doc_id, lang, text, spans=tuple(SpanRecord(f"{doc_id}-{i}-{s}-{e}-{lab}", s, e, lab, text[s:e])
                                                          for i, (s, e, lab) in enumerate(spans)),
                          events=tuple(events), claims=tuple(claims))


@st.composite
def entity_lists(draw, length):
    # Spans up to 150 long on texts up to 300: some overlaps are under nervaluate's 1 %.
    n = draw(st.integers(0, 12))
    out = []
    for _ in range(n):
        start = draw(st.integers(0, length - 1))
        end = draw(st.integers(start + 1, min(length, start + 150)))
        out.append((start, end, draw(st.sampled_from(LABELS))))
    return out


@st.composite
def corpora(draw):
    docs = []
    for d in range(draw(st.integers(1, 4))):
        length = draw(st.integers(1, 300))
        # Small texts make collisions (same offsets, nested, overlapping) frequent.
        if draw(st.booleans()):
            length = draw(st.integers(1, 12))
        docs.append((f"d{d}", draw(st.sampled_from(["en", "bn"])), length,
                     draw(entity_lists(length)), draw(entity_lists(length))))
    return docs


def oracle(pairs):
    """nervaluate on the same documents, spans in text order (both sides match greedily
    in list order), ends made inclusive as nervaluate wants them."""
    def conv(ents):
        return [{"label": lab, "start": s, "end": e - 1} for s, e, lab in sorted(ents)]

    res = Evaluator([conv(g) for g, _ in pairs], [conv(p) for _, p in pairs], tags=LABELS + ["CLAIM", "M"],
                    loader="dict").evaluate()
    return res["overall"], res["entities"]


def same(ours, theirs):
    for f in FIELDS:
        assert getattr(ours, f) == pytest.approx(getattr(theirs, f), abs=1e-12), f


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpora())
def test_spans_per_label_overall_and_language_agree_with_nervaluate(corpus):
    text = {d: ("abcdefghij" * 30)[:n] for d, _lang, n, _g, _p in corpus}
    gold = [doc(d, text[d], g, lang) for d, lang, _n, g, _p in corpus]
    pred = [doc(d, text[d], p, lang) for d, lang, _n, _g, p in reversed(corpus)]  # any order of documents
    report = evaluate(gold, pred)
    overall, per_label = oracle([(g, p) for _d, _l, _n, g, p in corpus])
    for scheme in SCHEMES:
        same(report.overall[scheme], overall[ORACLE_NAME[scheme]])
    assert set(report.per_label) == set(per_label)
    for label, by_scheme in report.per_label.items():
        for scheme in SCHEMES:
            same(by_scheme[scheme], per_label[label][ORACLE_NAME[scheme]])
    by_lang = defaultdict(list)
    for _d, lang, _n, g, p in corpus:
        by_lang[lang].append((g, p))
    assert set(report.per_language) == set(by_lang)
    for lang, pairs in by_lang.items():
        lang_overall, _ = oracle(pairs)
        for scheme in SCHEMES:
            same(report.per_language[lang][scheme], lang_overall[ORACLE_NAME[scheme]])


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 40).flatmap(lambda n: st.tuples(st.just(n), entity_lists(n), entity_lists(n))))
def test_event_triggers_and_claims_agree_with_nervaluate(case):
    n, g, p = case
    text = "x" * n
    # Event type as the label of a trigger; claims have the one label CLAIM.
    def record(ents):
        return DocumentRecord("d", "en", text, events=tuple(EventRecord(f"e{i}", lab, s, e, text[s:e])
                                                            for i, (s, e, lab) in enumerate(ents)),
                              claims=tuple(ClaimRecord(f"c{i}", s, e, text[s:e]) for i, (s, e, _) in enumerate(ents)))
    report = evaluate([record(g)], [record(p)])
    triggers, _ = oracle([(g, p)])
    claims, _ = oracle([([(s, e, "CLAIM") for s, e, _ in g], [(s, e, "CLAIM") for s, e, _ in p])])
    for scheme in SCHEMES:
        same(report.events["trigger"][scheme], triggers[ORACLE_NAME[scheme]])
        same(report.claims["span"][scheme], claims[ORACLE_NAME[scheme]])


def test_the_six_cases_of_semeval_by_hand():
    text = "x" * 80
    gold = doc("d", text, [(0, 5, "PERSON"), (20, 25, "DATE"), (30, 35, "ORG"), (40, 50, "PERSON"), (60, 70, "DATE")])
    pred = doc("d", text, [(0, 5, "PERSON"),  # correct everywhere
                           (10, 15, "PERSON"),  # spurious
                           # (20, 25) missed
                           (30, 35, "DATE"),  # same offsets, wrong label
                           (42, 50, "PERSON"),  # overlap, right label
                           (60, 65, "ORG")])  # overlap, wrong label
    r = evaluate([gold], [pred]).overall
    counts = {s: (r[s].correct, r[s].incorrect, r[s].partial, r[s].missed, r[s].spurious) for s in SCHEMES}
    assert counts == {"strict": (1, 3, 0, 1, 1), "exact": (2, 2, 0, 1, 1),
                      "partial": (2, 0, 2, 1, 1), "type": (2, 2, 0, 1, 1)}
    assert (r["strict"].precision, r["exact"].recall, r["partial"].f1, r["type"].f1) == pytest.approx((0.2, 0.4, 0.6, 0.4))
    assert r["strict"].possible == r["strict"].actual == 5


def test_arguments_need_the_event_the_role_and_the_span_offsets():
    text = "Geoană met Sorensen on 13 June in Brussels"
    spans = [(0, 6, "PERSON"), (11, 19, "PERSON"), (23, 30, "DATE")]
    g, p = doc("d", text, spans), doc("d", text, spans)

    def with_event(rec, etype, args):
        ids = [s.id for s in rec.spans]
        ev = EventRecord("e", etype, 7, 10, "met", tuple(ArgumentRecord(role, ids[i]) for role, i in args))
        return DocumentRecord(rec.id, rec.lang, rec.text, spans=rec.spans, events=(ev,))

    gold = with_event(g, "MEETING", [("participant", 0), ("participant", 1), ("time", 2)])
    pred = with_event(p, "MEETING", [("participant", 0), ("time", 1), ("time", 2)])
    args = evaluate([gold], [pred]).events["argument"]
    assert (args["identification"].correct, args["identification"].missed) == (3, 0)
    assert (args["classification"].correct, args["classification"].missed, args["classification"].spurious) == (2, 1, 1)
    # A different event type makes every argument wrong.
    other = evaluate([gold], [with_event(p, "VISIT", [("participant", 0)])]).events["argument"]
    assert other["identification"].correct == 0 and other["identification"].spurious == 1


def test_json_layout():
    text = "NATO and the EU met"
    d = report_to_dict(evaluate([doc("d", text, [(0, 4, "ORG")])], [doc("d", text, [(0, 4, "ORG"), (13, 15, "ORG")])]))
    assert list(d) == ["overall", "per_label", "per_language", "events", "claims", "documents", "gold", "pred"]
    assert set(d["overall"]) == set(SCHEMES) == set(d["per_label"]["ORG"]) == set(d["per_language"]["en"])
    assert set(d["overall"]["strict"]) == set(FIELDS)
    assert d["overall"]["strict"]["precision"] == 0.5 and d["overall"]["strict"]["recall"] == 1.0
    assert set(d["events"]) == {"trigger", "argument"} and set(d["claims"]) == {"span", "argument"}
    assert set(d["events"]["argument"]) == {"identification", "classification"}


TEXT = "ক্ষমতা রাস্তার বাধা 👨\u200d👩\u200d👧 done"


@pytest.mark.parametrize("gold, pred, where, message", [
    ([doc("a", TEXT)], [doc("a", TEXT), doc("b", "other")], "pred.jsonl: line 2", "document 'b' is not in gold.jsonl"),
    ([doc("a", TEXT), doc("b", "other")], [doc("a", TEXT)], "pred.jsonl", "no document 'b' (it is in gold.jsonl, line 2)"),
    ([doc("a", TEXT)], [doc("a", TEXT.replace("বাধা", "বাধ"))], "pred.jsonl: line 1",
     "text differs from gold.jsonl (line 1) at code point 18"),
    ([doc("a", TEXT), doc("a", TEXT)], [doc("a", TEXT)], "gold.jsonl: line 2", "document 'a' again (first at line 1)"),
])
def test_files_that_do_not_match_are_refused_with_file_and_line(gold, pred, where, message):
    places = [f"line {i + 1}" for i in range(5)]
    with pytest.raises(InputError) as err:
        evaluate(gold, pred, "gold.jsonl", "pred.jsonl", gold_places=places[:len(gold)], pred_places=places[:len(pred)])
    assert str(err.value).startswith(where + ": ") and message in str(err.value)


def test_offsets_that_are_not_code_points_are_refused():
    # An extractor that counted UTF-16 units puts "done" two units too far right.
    text = TEXT + " and more"
    start = text.index("done") + 2
    bad = DocumentRecord("a", "bn", text, spans=(SpanRecord("s", start, start + 4, "ORG", "done"),))
    with pytest.raises(InputError, match=r"quotes 'done' but text\[28:32\] is 'ne a' \(offsets must be code points\)"):
        evaluate([doc("a", text)], [bad])
    outside = DocumentRecord("a", "bn", TEXT, spans=(SpanRecord("s", 0, 999, "ORG", ""),))
    with pytest.raises(InputError, match=r"offsets \[0, 999\) outside the text"):
        evaluate([outside], [doc("a", TEXT)])


def test_identical_files_score_one_and_empty_ones_zero():
    text = "NATO and the EU met"
    g = doc("d", text, [(0, 4, "ORG"), (13, 15, "ORG")])
    r = evaluate([g], [g])
    assert all(asdict(r.overall[s])["f1"] == 1.0 for s in SCHEMES)
    empty = evaluate([doc("d", text)], [doc("d", text)])
    assert empty.per_label == {} and empty.overall["strict"].f1 == 0.0 and empty.overall["strict"].possible == 0
