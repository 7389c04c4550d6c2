"""The group report: where the translations of a group disagree in one layer."""

from __future__ import annotations

import random
from collections import Counter

from annotator.core.disagreements import group_report
from annotator.core.records import AlignmentRecord, Block, DocumentRecord, LinkRecord, SpanRecord
from tests.core.test_grouping import IDS
from tests.core.test_projection import sentence_at, spans_of
from tests.core.test_sentences import seed

EN, FR, VI = IDS["004"], IDS["002"], IDS["001"]


def records(en_links=(), alignments=(), fr_extra=()):
    (en, _), (fr, _), (vi, _) = seed("004"), seed("002"), seed("001")
    en_spans = spans_of(en, [("DATE", "13 June 2023", 0), ("FIGURE", "4,000", 0)])
    fr_spans = spans_of(fr, [("DATE", "14 juin", 1), ("FIGURE", "4 000", 0)] + list(fr_extra))
    vi_spans = spans_of(vi, [("DATE", "14/6", 1)])
    return [DocumentRecord(EN, "en", en, spans=tuple(en_spans), links=tuple(en_links), alignments=tuple(alignments),
                           annotator="a"),
            DocumentRecord(FR, "fr", fr, spans=tuple(fr_spans), annotator="a"),
            DocumentRecord(VI, "vi", vi, spans=(SpanRecord(vi_spans[0].id, vi_spans[0].start, vi_spans[0].end, "DATE",
                                                           vi_spans[0].text, value="2023-06-14"),),
                           annotator="a")]


def ids(recs):
    return [{s.text: s.id for s in r.spans} for r in recs]


def test_linked_values_that_differ_are_reported_and_equal_ones_are_not():
    en, fr, vi = ids(records())
    links = [LinkRecord(en["13 June 2023"], FR, fr["14 juin"]), LinkRecord(en["4,000"], FR, fr["4 000"]),
             LinkRecord(en["13 June 2023"], VI, vi["14/6"])]
    report = group_report(records(links))
    values = [(d.doc, d.span, d.other_doc, d.other_span) for d in report if d.kind == "value"]
    # The English meeting date is the 13th; the French (no year: --06-14) and the
    # Vietnamese (value 2023-06-14 stored) say the 14th. 4,000 = 4 000 agrees.
    assert sorted(values) == sorted([(EN, en["13 June 2023"], FR, fr["14 juin"]),
                                     (EN, en["13 June 2023"], VI, vi["14/6"])])
    assert any("2023-06-13" in d.detail and "--06-14" in d.detail for d in report if d.kind == "value")


def test_a_value_read_from_the_text_is_marked_as_not_stored():
    """French "14 juin" has no stored value (no year: no ISO value); the report compares its
    reading --06-14 and says it is read from the text. The Vietnamese stored value is not marked."""
    en, fr, vi = ids(records())
    links = [LinkRecord(en["13 June 2023"], FR, fr["14 juin"]), LinkRecord(en["13 June 2023"], VI, vi["14/6"])]
    details = {d.other_doc: d.detail for d in group_report(records(links)) if d.kind == "value"}
    assert "'14 juin' = --06-14 (read from the text, no value stored)" in details[FR]
    assert "'14/6' = 2023-06-14" in details[VI] and "read from the text" not in details[VI].split(" but ")[1]


def test_a_french_date_without_year_agrees_with_the_same_day_with_year():
    en, fr, _vi = ids(records())
    recs = records(fr_extra=[("DATE", "13 juin", 0)])
    fr = {s.text: s.id for s in recs[1].spans}
    recs[0] = DocumentRecord(**{**recs[0].__dict__, "links": (LinkRecord(en["13 June 2023"], FR, fr["13 juin"]),)})
    assert [d for d in group_report(recs) if d.kind == "value"] == []


def test_unlinked_spans_are_reported_once_per_other_document():
    en, fr, vi = ids(records())
    report = group_report(records([LinkRecord(en["4,000"], FR, fr["4 000"])]))
    unlinked = {(d.doc, d.span, d.other_doc) for d in report if d.kind == "unlinked"}
    assert (EN, en["4,000"], FR) not in unlinked and (FR, fr["4 000"], EN) not in unlinked
    assert (EN, en["4,000"], VI) in unlinked and (VI, vi["14/6"], EN) in unlinked
    assert (EN, en["13 June 2023"], FR) in unlinked
    assert len(unlinked) == 5 * 2 - 2  # five spans, two other documents each, one link both ways


def test_span_counts_per_aligned_block():
    (en, _), (fr, _) = seed("004"), seed("002")
    good = Block(*sentence_at(en, "en", "Mr. Geoana recalled"), *sentence_at(fr, "fr", "avec plus de 4 000 soldats"))
    bad = Block(*sentence_at(en, "en", "met today"), *sentence_at(fr, "fr", "L'ambassadeur Lajcak a informé"))
    recs = records(alignments=[AlignmentRecord(FR, (good, bad))])
    counts = [d for d in group_report(recs) if d.kind == "count"]
    # FIGURE 1 = 1 in the first block; the English date's sentence is paired with a French
    # sentence without a DATE span: DATE 1 vs 0.
    assert [(d.doc, d.other_doc) for d in counts] == [(EN, FR)]
    assert "block 1" in counts[0].detail and "DATE 1 vs 0" in counts[0].detail
    # The same alignment stored from the other side as well is reported once.
    back = AlignmentRecord(EN, (Block(good.b_start, good.b_end, good.a_start, good.a_end),
                                Block(bad.b_start, bad.b_end, bad.a_start, bad.a_end)))
    recs[1] = DocumentRecord(**{**recs[1].__dict__, "alignments": (back,)})
    assert len([d for d in group_report(recs) if d.kind == "count"]) == 1


def test_an_untranslated_block_reports_no_count_disagreement():
    """A sentence with nothing on the other side ([0, 0) / [0, 151)) is untranslated, not a
    dropped figure: its spans are reported as unlinked, never as 'ORG 0 vs 1'."""
    (en, _), (fr, _) = seed("004"), seed("002")
    fr_start, fr_end = sentence_at(fr, "fr", "avec plus de 4 000 soldats")
    en_start, en_end = sentence_at(en, "en", "met today")
    blocks = (Block(0, 0, fr_start, fr_end), Block(en_start, en_end, fr_end, fr_end))
    recs = records(alignments=[AlignmentRecord(FR, blocks)])
    report = group_report(recs)
    assert [d for d in report if d.kind == "count"] == []
    assert any(d.kind == "unlinked" and d.doc == FR for d in report)


def test_a_group_in_full_agreement_has_nothing_to_report():
    en, fr, vi = ids(records())
    recs = records([LinkRecord(en["4,000"], FR, fr["4 000"])])
    only_figures = [DocumentRecord(**{**r.__dict__, "spans": tuple(s for s in r.spans if s.label == "FIGURE")})
                    for r in recs[:2]]
    assert group_report(only_figures) == []


def test_span_counts_match_a_scan_of_every_span_in_every_block():
    """The counts bisect spans sorted by start; a plain scan of all spans per block must agree,
    at the edges too: spans unsorted, on a block's boundary, across one, blocks empty on a side."""
    rng = random.Random(7)
    text = "x" * 400

    def spans(prefix):
        out = []
        for i in range(120):
            start = rng.randrange(0, 395)
            end = min(400, start + rng.randrange(1, 30))
            out.append(SpanRecord(f"{prefix}{i}", start, end, rng.choice(["PERSON", "ORG", "DATE"]), text[start:end]))
        rng.shuffle(out)
        return tuple(out)

    cuts_a = sorted(rng.sample(range(1, 400), 30))
    cuts_b = sorted(rng.sample(range(1, 400), 30))
    blocks = [Block(a0, a1, b0, b1) for a0, a1, b0, b1 in zip([0] + cuts_a, cuts_a + [400], [0] + cuts_b, cuts_b + [400])]
    blocks += [Block(100, 100, 50, 120), Block(0, 400, 200, 200), Block(37, 37, 37, 37)]
    a = DocumentRecord(EN, "en", text, spans=spans("a"), alignments=(AlignmentRecord(FR, tuple(blocks)),))
    b = DocumentRecord(FR, "fr", text, spans=spans("b"))
    expected = []
    for i, bl in enumerate(blocks):
        if bl.a_start == bl.a_end or bl.b_start == bl.b_end:
            continue
        ca = Counter(s.label for s in a.spans if bl.a_start <= s.start and s.end <= bl.a_end)
        cb = Counter(s.label for s in b.spans if bl.b_start <= s.start and s.end <= bl.b_end)
        diff = [f"{lab} {ca[lab]} vs {cb[lab]}" for lab in sorted(ca.keys() | cb.keys()) if ca[lab] != cb[lab]]
        if diff:
            expected.append(f"block {i} [{bl.a_start}, {bl.a_end}) / [{bl.b_start}, {bl.b_end}): " + ", ".join(diff))
    got = [d.detail for d in group_report([a, b]) if d.kind == "count"]
    assert got == expected and len(expected) > 10
