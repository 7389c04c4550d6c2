"""Widening ranges that split a grapheme cluster (core.grapheme_snap)."""

from annotator.core.grapheme_snap import snap_record
from annotator.core.records import ClaimRecord, DocumentRecord, EventRecord, SpanRecord

TEXT = "সে লক্ষ্য করল: \U0001f469\u200d\U0001f4bb কাজ করে।"  # ক্ষ্য is one cluster; so is WOMAN ZWJ LAPTOP


def rec(**layer):
    return DocumentRecord(id="d", lang="bn", text=TEXT, annotator="m", **layer)


def test_spans_triggers_and_claims_are_widened_and_each_change_is_listed():
    k = TEXT.index("ক্ষ")
    e = TEXT.index("\U0001f469")
    before = rec(spans=(SpanRecord("s1", k, k + 1, "X", TEXT[k:k + 1]), SpanRecord("s2", 0, 2, "X", TEXT[0:2])),
                 events=(EventRecord("e1", "T", e, e + 1, TEXT[e:e + 1]),),
                 claims=(ClaimRecord("c1", k + 2, k + 4, TEXT[k + 2:k + 4]),))
    after, moved = snap_record(before)
    assert [(m.what, m.old, m.new) for m in moved] == [
        ("span 's1'", (k, k + 1), (k, k + 5)), ("event 'e1' trigger", (e, e + 1), (e, e + 3)),
        ("claim 'c1'", (k + 2, k + 4), (k, k + 5))]
    assert after.spans[0].text == "ক্ষ্য" and after.spans[1] == before.spans[1]
    assert after.events[0].trigger_text == "\U0001f469\u200d\U0001f4bb" and after.claims[0].text == "ক্ষ্য"


def test_whole_clusters_and_ranges_that_are_another_fault_are_left_alone():
    k = TEXT.index("ক্ষ")
    fine = rec(spans=(SpanRecord("s1", k - 1, k + 5, "X", TEXT[k - 1:k + 5]),))
    assert snap_record(fine) == (fine, [])
    wrong_quote = rec(spans=(SpanRecord("s1", k, k + 1, "X", "zz"),))  # offsets in other units: not widened
    outside = rec(spans=(SpanRecord("s1", 5, 500, "X", "zz"),))
    assert snap_record(wrong_quote)[1] == [] and snap_record(outside)[1] == []
