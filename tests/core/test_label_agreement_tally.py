"""LabelAgreementTally (the dashboard's agreement, one document at a time from bare spans)
gives span_agreement's per-label and overall F1 and its token kappa and alpha, for two
and for three annotators, on any layers."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as hs

from annotator.core.agreement import LabelAgreementTally, span_agreement
from annotator.core.records import DocumentRecord, SpanRecord

TEXTS = ("Mircea Geoană met NATO officials in Brussels on 13 June 2023.",
         "মির্চা জোয়ানা ব্রাসেলসে ন্যাটোর কর্মকর্তাদের সঙ্গে দেখা করেন।",
         "Ông Lajčák đến Hà Nội, 4 000 người chờ.")
LABELS = ("PERSON", "ORG", "DATE")
SPAN = hs.tuples(hs.integers(0, 40), hs.integers(1, 12), hs.sampled_from(LABELS))
LAYERS = hs.lists(hs.lists(hs.lists(SPAN, max_size=6), min_size=2, max_size=3), min_size=1, max_size=3)


@settings(max_examples=60, deadline=None)
@given(LAYERS, hs.integers(2, 3))
def test_the_tally_gives_span_agreements_figures(docs, raters):
    names = ("ana", "bob", "cy")[:raters]
    records = {n: [] for n in names}
    tally = LabelAgreementTally(names)
    for d, layers in enumerate(docs):
        text = TEXTS[d % len(TEXTS)]
        spans = [[SpanRecord(f"s{d}{k}{i}", s % len(text), min(len(text), s % len(text) + n), label, "")
                  for i, (s, n, label) in enumerate(layers[k % len(layers)])] for k in range(raters)]
        for name, layer in zip(names, spans):
            records[name].append(DocumentRecord(id=f"d{d}", lang="en", text=text, spans=tuple(layer)))
        tally.add(text, spans)
    got, want = tally.result(), span_agreement(records)
    assert got.documents == want.documents == len(docs)
    assert got.per_label == want.per_label and got.overall == want.overall
    assert (got.token_kappa, got.token_alpha) == (want.token_kappa, want.token_alpha)
