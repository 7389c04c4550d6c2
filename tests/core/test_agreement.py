"""Agreement figures: Krippendorff's alpha against the krippendorff package (test-only
oracle) on random cases, kappas against textbook examples and a numpy transcription of
their formulas, span F1 against brute force, the adjudication diff, and the store side."""

from __future__ import annotations

import math
from collections import Counter
from itertools import combinations

import krippendorff
import numpy as np
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.agreement import layer_disagreements, report_to_dict, span_agreement, span_disagreements
from annotator.core.errors import AnnotatorError
from annotator.core.records import ArgumentRecord, ClaimRecord, DocumentRecord, EventRecord, SpanRecord
from annotator.core.token_agreement import cohen_kappa, fleiss_kappa, krippendorff_alpha, token_categories, words
from annotator.importer import import_paths
from annotator.store.layers import annotator_layers, has_gold_layer, layer_annotators

CATS = ["O", "PERSON", "ORG", "DATE"]
TEXT = "ক্ষমতা রাস্তার বাধা, Phó Tổng thư ký gặp «\u00a0EU\u00a0» A😀B 👨\u200d👩\u200d👧 done\r\nline"


def rec(spans, doc_id="d", text=TEXT, lang="en", tag="x", **kw):
    return DocumentRecord(doc_id, lang, text, spans=tuple(SpanRecord(f"{tag}{i}", s, e, lab, text[s:e])
                                                          for i, (s, e, lab) in enumerate(spans)), **kw)


# -- token-level coefficients ------------------------------------------------------------

@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")  # the package's 0/0
@settings(max_examples=300, deadline=None)
@given(st.integers(2, 5).flatmap(lambda m: st.lists(
    st.lists(st.one_of(st.none(), st.sampled_from(CATS)), min_size=m, max_size=m), min_size=1, max_size=40)))
def test_alpha_agrees_with_the_krippendorff_package(units):
    raters = [list(r) for r in zip(*units)]
    ours = krippendorff_alpha(raters)
    data = np.array([[np.nan if v is None else CATS.index(v) for v in r] for r in raters], dtype=float)
    try:
        theirs = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    except ValueError:  # one value only, or no unit with two ratings: undefined
        theirs = math.nan
    if ours is None:
        assert math.isnan(theirs)
    else:
        assert ours == pytest.approx(theirs, abs=1e-9)


def numpy_cohen(a, b):
    cats = sorted(set(a) | set(b))
    m = np.zeros((len(cats), len(cats)))
    for x, y in zip(a, b):
        m[cats.index(x), cats.index(y)] += 1
    m /= m.sum()
    po, pe = np.trace(m), (m.sum(axis=1) * m.sum(axis=0)).sum()
    return None if pe == 1 else (po - pe) / (1 - pe)


def numpy_fleiss(raters):
    cats = sorted({v for r in raters for v in r})
    counts = np.array([[unit.count(c) for c in cats] for unit in map(list, zip(*raters))], dtype=float)
    n = counts.sum(axis=1)[0]
    p_i = ((counts ** 2).sum(axis=1) - n) / (n * (n - 1))
    p_j = counts.sum(axis=0) / counts.sum()
    pe = (p_j ** 2).sum()
    return None if pe == 1 else (p_i.mean() - pe) / (1 - pe)


@settings(max_examples=200, deadline=None)
@given(st.integers(2, 5).flatmap(lambda m: st.lists(
    st.lists(st.sampled_from(CATS), min_size=m, max_size=m), min_size=1, max_size=40)))
def test_kappas_agree_with_their_formulas_in_numpy(units):
    raters = [list(r) for r in zip(*units)]
    if len(raters) == 2:
        assert cohen_kappa(*raters) == pytest.approx(numpy_cohen(*raters), abs=1e-9)
    assert fleiss_kappa(raters) == pytest.approx(numpy_fleiss(raters), abs=1e-9)


def test_kappas_of_textbook_examples():
    # Cohen (Wikipedia): 50 items, yes/yes 20, yes/no 5, no/yes 10, no/no 15 -> 0.4.
    a = ["y"] * 25 + ["n"] * 25
    b = ["y"] * 20 + ["n"] * 5 + ["y"] * 10 + ["n"] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4)
    # Fleiss (Wikipedia, from Fleiss 1971): 10 subjects, 14 raters, 5 categories -> 0.210.
    table = [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
             [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]
    units = [[c for c, k in enumerate(row) for _ in range(k)] for row in table]
    raters = [[str(u[r]) for u in units] for r in range(14)]
    assert fleiss_kappa(raters) == pytest.approx(0.20993, abs=1e-5)
    # Undefined when everyone says the same thing throughout.
    assert cohen_kappa(["O"] * 5, ["O"] * 5) is None and fleiss_kappa([["O"] * 3] * 3) is None


def test_words_keep_bengali_whole_and_the_innermost_span_labels_a_word():
    toks = words(TEXT)
    assert [TEXT[s:e] for s, e in toks[:3]] == ["ক্ষমতা", "রাস্তার", "বাধা"]
    assert "😀" not in {TEXT[s:e] for s, e in toks}  # emoji and punctuation are not units
    eu = TEXT.index("EU")
    spans = [SpanRecord("o", 0, eu + 2, "ORG", ""), SpanRecord("p", 7, 14, "PERSON", ""),
             SpanRecord("d", eu + 1, eu + 2, "DATE", "")]  # ends inside nothing, starts inside "EU"
    cats = dict(zip((TEXT[s:e] for s, e in toks), token_categories(toks, spans)))
    assert cats["ক্ষমতা"] == "ORG" and cats["রাস্তার"] == "PERSON" and cats["EU"] == "DATE" and cats["done"] == "O"


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.tuples(st.integers(0, len(TEXT) - 1), st.integers(1, 30), st.sampled_from(CATS[1:])),
                         max_size=8), min_size=2, max_size=4))
def test_token_alpha_of_layers_agrees_with_the_package_on_brute_force_categories(layers):
    spans = [[(s, min(len(TEXT), s + n), lab) for s, n, lab in layer] for layer in layers]
    report = span_agreement({f"a{i}": [rec(sp, tag=f"a{i}-")] for i, sp in enumerate(spans)})
    toks = words(TEXT)

    def category(tok, layer):  # every span, every word: the shortest overlapping span wins
        over = sorted((e - s, s, lab) for s, e, lab in layer if s < tok[1] and e > tok[0])
        return over[0][2] if over else "O"

    data = np.array([[CATS.index(category(t, layer)) for t in toks] for layer in spans], dtype=float)
    try:
        theirs = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    except ValueError:
        theirs = math.nan
    assert (report.token_alpha is None) == math.isnan(theirs)
    if report.token_alpha is not None:
        assert report.token_alpha == pytest.approx(theirs, abs=1e-9)


# -- span F1 -------------------------------------------------------------------------------

def brute_f1(a, b):
    if not a and not b:
        return 1.0, 1.0
    common = sum(min(a.count(x), b.count(x)) for x in set(a))
    exact = 2 * common / (len(a) + len(b))
    hit_a = sum(any(s < e2 and s2 < e and lab == lab2 for s2, e2, lab2 in b) for s, e, lab in a)
    hit_b = sum(any(s < e2 and s2 < e and lab == lab2 for s2, e2, lab2 in a) for s, e, lab in b)
    p, r = (hit_a / len(a) if a else 0), (hit_b / len(b) if b else 0)
    return exact, (2 * p * r / (p + r) if p + r else 0.0)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.tuples(st.integers(0, 20), st.integers(1, 6), st.sampled_from(CATS[1:3])), max_size=7),
                min_size=2, max_size=4))
def test_span_f1_is_the_mean_over_pairs_of_brute_force_f1(layers):
    text = "x" * 30
    spans = [[(s, s + n, lab) for s, n, lab in layer] for layer in layers]
    report = span_agreement({f"a{i}": [rec(sp, text=text, tag=f"a{i}-")] for i, sp in enumerate(spans)})
    pairs = [brute_f1(a, b) for a, b in combinations(spans, 2)]
    assert report.overall.exact_f1 == pytest.approx(sum(p[0] for p in pairs) / len(pairs))
    assert report.overall.overlap_f1 == pytest.approx(sum(p[1] for p in pairs) / len(pairs))
    assert report.overall.support == sum(map(len, spans)) == report.per_document["d"].support
    for label, scores in report.per_label.items():
        by_label = [brute_f1([x for x in a if x[2] == label], [x for x in b if x[2] == label])
                    for a, b in combinations(spans, 2)]
        assert scores.exact_f1 == pytest.approx(sum(p[0] for p in by_label) / len(by_label))
    swapped = span_agreement({f"a{i}": [rec(sp, text=text, tag=f"a{i}-")] for i, sp in reversed(list(enumerate(spans)))})
    assert (swapped.overall.exact_f1, swapped.overall.overlap_f1) == pytest.approx(
        (report.overall.exact_f1, report.overall.overlap_f1))
    assert swapped.token_alpha == pytest.approx(report.token_alpha)


def test_only_shared_documents_count_and_events_and_claims_are_compared():
    t = "NATO met the EU on 13 June"
    a1 = rec([(0, 4, "ORG"), (13, 15, "ORG")], "d1", t, tag="a",
             events=(EventRecord("ea", "MEETING", 5, 8, "met", (ArgumentRecord("participant", "a0"),)),),
             claims=(ClaimRecord("ca", 0, 15, t[:15], (ArgumentRecord("claimant", "a0"),)),))
    b1 = rec([(0, 4, "ORG"), (13, 15, "PERSON")], "d1", t, tag="b",
             events=(EventRecord("eb", "MEETING", 5, 8, "met", (ArgumentRecord("participant", "b1"),)),),
             claims=(ClaimRecord("cb", 0, 12, t[:12]),))
    only_a = rec([(0, 4, "ORG")], "d2", "NATO", lang="fr", tag="z")
    r = span_agreement({"alice": [a1, only_a], "bob": [b1]})
    assert r.documents == 1 and list(r.per_document) == ["d1"] and list(r.per_language) == ["en"]
    assert r.overall.exact_f1 == 0.5 and r.per_label["ORG"].exact_f1 == pytest.approx(2 / 3)
    assert r.per_label["PERSON"].exact_f1 == 0.0 and r.per_label["PERSON"].support == 1
    assert r.events == {"trigger_type_f1": 1.0, "trigger_overlap_f1": 1.0, "argument_f1": 0.0}
    assert r.claims == {"span_f1": 0.0, "overlap_f1": 1.0, "argument_f1": 0.0}
    d = orjson.loads(orjson.dumps(report_to_dict(r)))
    assert d["annotators"] == ["alice", "bob"] and d["overall"]["support"] == 4 and d["token_kappa"] == r.token_kappa
    assert span_agreement({"a": [rec([], "d1", t)], "b": [rec([], "d1", t)]}).events == {}


def test_agreement_refuses_one_layer_or_different_texts():
    with pytest.raises(AnnotatorError, match="at least two"):
        span_agreement({"alice": [rec([])]})
    with pytest.raises(AnnotatorError, match="text in bob's layer differs"):
        span_agreement({"alice": [rec([])], "bob": [rec([], text="other")]})


# -- disagreements ---------------------------------------------------------------------------

def test_the_four_kinds_of_disagreement_between_two_layers():
    ph, eu, done = TEXT.index("Phó"), TEXT.index("EU"), TEXT.index("done")
    a = rec([(0, 6, "ORG"), (7, 14, "PERSON"), (ph, ph + 15, "PERSON"), (done, done + 4, "DATE")], tag="a")
    b = rec([(0, 6, "ORG"), (7, 14, "ORG"), (ph, ph + 12, "PERSON"), (eu, eu + 2, "ORG")], tag="b")
    got = [(d.start, d.end, d.kind, d.a_span and d.a_span.id, d.b_span and d.b_span.id) for d in span_disagreements(a, b)]
    assert got == [(7, 14, "label", "a1", "b1"), (ph, ph + 15, "boundary", "a2", "b2"), (eu, eu + 2, "extra", None, "b3"),
                   (done, done + 4, "missing", "a3", None)]
    assert span_disagreements(a, a) == []


def test_an_overlap_with_the_same_label_is_paired_before_a_bigger_one_with_another():
    text = "x" * 30
    a = rec([(0, 5, "PERSON")], text=text, tag="a")
    b = rec([(0, 20, "ORG"), (3, 5, "PERSON")], text=text, tag="b")
    got = [(d.kind, d.a_span and d.a_span.id, d.b_span and d.b_span.id) for d in span_disagreements(a, b)]
    assert got == [("boundary", "a0", "b1"), ("extra", None, "b0")]


def test_n_layers_line_up_equal_offsets_before_overlaps():
    # c agrees with a on where and with b on what: two disagreements, each with c's span.
    a = rec([(0, 6, "ORG")], tag="a")
    b = rec([(0, 14, "ORG")], tag="b")
    c = rec([(0, 6, "PERSON"), (0, 14, "ORG")], tag="c")
    got = layer_disagreements({"a": a, "b": b, "c": c})
    assert [(d.start, d.end, d.kind, {k: v and v.id for k, v in d.versions.items()}) for d in got] == [
        (0, 6, "label", {"a": "a0", "b": None, "c": "c0"}), (0, 14, "missing", {"a": None, "b": "b0", "c": "c1"})]
    # Without c's wide span, b's ORG is a's ORG drawn wider, and c's PERSON joins them.
    got = layer_disagreements({"a": a, "b": b, "c": rec([(0, 6, "PERSON")], tag="c")})
    assert [(d.kind, {k: v.id for k, v in d.versions.items()}) for d in got] == [
        ("boundary", {"a": "a0", "b": "b0", "c": "c0"})]
    assert layer_disagreements({"a": a, "b": a, "c": a}) == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 20), st.integers(1, 6), st.sampled_from(CATS[1:3])), max_size=8),
       st.lists(st.tuples(st.integers(0, 20), st.integers(1, 6), st.sampled_from(CATS[1:3])), max_size=8))
def test_every_span_outside_the_agreement_is_in_exactly_one_disagreement(sa, sb):
    text = "x" * 30
    a = rec([(s, s + n, lab) for s, n, lab in sa], text=text, tag="a")
    b = rec([(s, s + n, lab) for s, n, lab in sb], text=text, tag="b")
    found = span_disagreements(a, b)
    ids = [s.id for d in found for s in (d.a_span, d.b_span) if s is not None]
    assert len(ids) == len(set(ids))
    keys = [Counter((s.start, s.end, s.label) for s in r.spans) for r in (a, b)]
    agreed = sum((keys[0] & keys[1]).values())
    assert len(ids) == len(a.spans) + len(b.spans) - 2 * agreed
    assert [d.start for d in found] == sorted(d.start for d in found)
    for d in found:
        x, y = d.a_span, d.b_span
        assert {"missing": y is None and x, "extra": x is None and y,
                "label": x and y and (x.start, x.end) == (y.start, y.end) and x.label != y.label,
                "boundary": x and y and (x.start, x.end) != (y.start, y.end) and x.start < y.end and y.start < x.end,
                }[d.kind]


# -- store ---------------------------------------------------------------------------------------

def test_layers_of_several_annotators_from_a_project(empty_project, tmp_path):
    t1, t2 = "NATO met the EU", "রাস্তার বাধা"
    lines = [{"id": "d1", "lang": "en", "text": t1, "annotator": "alice", "status": "done",
              "spans": [{"id": "a1", "start": 0, "end": 4, "label": "ORG"}]},
             {"id": "d1", "lang": "en", "text": t1, "annotator": "bob",
              "spans": [{"id": "b1", "start": 0, "end": 4, "label": "ORG"}, {"id": "b2", "start": 13, "end": 15,
                                                                             "label": "ORG"}]},
             {"id": "d2", "lang": "bn", "text": t2, "annotator": "alice", "status": "done"},
             {"id": "d1", "lang": "en", "text": t1, "annotator": "gold",
              "spans": [{"id": "g1", "start": 0, "end": 4, "label": "ORG"}]}]
    path = tmp_path / "layers.jsonl"
    path.write_bytes(b"".join(orjson.dumps(x) + b"\n" for x in lines))
    with empty_project.read() as conn:
        assert not has_gold_layer(conn)
    import_paths(empty_project, [path])
    with empty_project.read() as conn:
        assert layer_annotators(conn) == ["alice", "bob", "gold"] and has_gold_layer(conn)
        layers = annotator_layers(conn, None)
        assert list(layers) == ["alice", "bob"]  # gold only when asked for
        assert [r.id for r in layers["alice"]] == ["d1", "d2"] and [r.id for r in layers["bob"]] == ["d1"]
        assert [len(r.spans) for r in layers["bob"]] == [2]
        assert list(annotator_layers(conn, ["gold", "alice"])) == ["gold", "alice"]
        with pytest.raises(AnnotatorError, match="no layer by 'carol'"):
            annotator_layers(conn, ["alice", "carol"])
    report = span_agreement(layers)
    assert report.documents == 1 and report.overall.exact_f1 == pytest.approx(2 / 3)
