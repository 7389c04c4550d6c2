"""Projecting spans onto a translation through the sentence alignment."""

from __future__ import annotations

import regex

from annotator.core import graphemes
from annotator.core.alignment import align_sentences
from annotator.core.projection import Proposal, project_spans, same_date
from annotator.core.records import Block, SpanRecord
from annotator.core.sentences import split_sentences
from tests.core.test_sentences import seed


def spans_of(text: str, wanted: list[tuple[str, str, int]]) -> list[SpanRecord]:
    """(label, surface, occurrence) -> SpanRecord with id "s<start>"."""
    out = []
    for label, surface, n in wanted:
        m = list(regex.finditer(rf"(?<!\w){regex.escape(surface)}(?!\w)", text))[n]
        out.append(SpanRecord(f"s{m.start()}", m.start(), m.end(), label, m.group()))
    return out


def sentence_at(text: str, lang: str, needle: str) -> tuple[int, int]:
    pos = text.index(needle)
    return next((a, b) for a, b in split_sentences(text, lang) if a <= pos < b)


def project(src: str, tgt: str, wanted, existing=()) -> list[Proposal]:
    (ts, ls), (tt, lt) = seed(src), seed(tgt)
    return project_spans(ts, ls, spans_of(ts, wanted), tt, lt, align_sentences(ts, ls, tt, lt), existing)


def test_english_spans_onto_the_french_translation():
    got = project("004", "002", [("PERSON", "Mircea Geoană", 0), ("PERSON", "Miroslav Lajcak", 0),
                                 ("FIGURE", "4,000", 0), ("ORG", "OSCE", 0), ("ORG", "European Union", 0)])
    fr, _ = seed("002")
    found = {(p.label, p.text, p.value) for p in got}
    assert ("PERSON", "Mircea Geoana", None) in found
    assert ("PERSON", "Miroslav Lajcak", None) in found
    assert ("FIGURE", "4 000", "4000") in found
    assert ("ORG", "OSCE", None) in found
    assert ("ORG", "UE", None) in found  # "European Union" is the EU, written "UE" in French
    for p in got:
        assert fr[p.start:p.end] == p.text
    # The English "4,000" lies in the sentence that the French says with "4 000", not the
    # one with "4 200".
    assert next(p for p in got if p.label == "FIGURE").start == fr.index("4 000")


def test_dates_match_on_value_or_month_day_and_a_lone_disagreeing_date_is_still_proposed():
    got = project("002", "001", [("DATE", "14 juin", 1), ("DATE", "13 juin", 0)])
    vi, _ = seed("001")
    assert [(p.text, p.value, p.start) for p in got] == [
        ("14/6", "--06-14", vi.index("Ngày 14/6") + 5), ("13/6", "--06-13", vi.index("hôm 13/6") + 4)]
    # English says 13 June where French says 14 juin: the only date of the sentence is
    # proposed with its own value, so the disagreement can be linked and seen.
    (en, _), (fr, _) = seed("004"), seed("002")
    met, meeting = sentence_at(en, "en", "met today"), sentence_at(fr, "fr", "Le 14 juin, le secrétaire")
    got = project_spans(en, "en", spans_of(en, [("DATE", "13 June 2023", 0)]), fr, "fr", [Block(*met, *meeting)])
    assert [(p.text, p.value) for p in got] == [("14 juin", "--06-14")]
    assert same_date("--06-14", "2023-06-14") and not same_date("--06-14", "2023-06-13")
    assert not same_date("2022-06-14", "2023-06-14") and not same_date("--06", "2023")


def test_existing_target_spans_and_empty_target_sides_give_no_proposal():
    (en, _), (fr, _) = seed("004"), seed("002")
    first = project("004", "002", [("ORG", "OSCE", 0)])
    assert len(first) == 1
    taken = SpanRecord("t1", first[0].start, first[0].end, "ORG", first[0].text)
    assert project("004", "002", [("ORG", "OSCE", 0)], existing=[taken]) == []
    src = spans_of(en, [("ORG", "OSCE", 0)])
    nowhere = [Block(0, len(en), 0, 0)]
    assert project_spans(en, "en", src, fr, "fr", nowhere) == []


def test_names_into_bengali_stay_on_grapheme_and_word_edges():
    # Latin letters in the Bengali text (KFOR) must not make Bengali words need capitals.
    bn = "ন্যাটো এবং ইইউ বৈঠক করেছে। KFOR রাস্তার বাধা সরিয়েছে।"
    en = "NATO and the EU met. KFOR removed the road blocks."
    blocks = align_sentences(en, "en", bn, "bn")
    got = project_spans(en, "en", spans_of(en, [("ORG", "NATO", 0), ("ORG", "EU", 0)]), bn, "bn", blocks)
    assert [(p.label, p.text) for p in got] == [("ORG", "ন্যাটো"), ("ORG", "ইইউ")]
    for p in got:
        assert graphemes.is_boundary(bn, p.start) and graphemes.is_boundary(bn, p.end)


def test_each_target_range_is_proposed_once_and_the_order_is_by_position():
    got = project("004", "001", [("ORG", "NATO", i) for i in range(10)] + [("ORG", "KFOR", i) for i in range(4)])
    keys = [(p.start, p.end, p.label) for p in got]
    assert len(keys) == len(set(keys)) and keys == sorted(keys) and len(keys) >= 8
    again = project("004", "001", [("ORG", "KFOR", i) for i in range(4)] + [("ORG", "NATO", i) for i in range(10)])
    assert again == got


def test_a_span_in_a_crossed_sentence_projects_along_the_crossing_link():
    src, tgt = "Geoană spoke. NATO met.", "L'OTAN s'est réunie. Geoana a parlé."
    spans = spans_of(src, [("PERSON", "Geoană", 0), ("ORG", "NATO", 0)])
    # Monotone: both source sentences are untranslated, both target ones too.
    blocks = [Block(0, 13, 0, 0), Block(13, 13, 0, 20), Block(14, 23, 20, 20), Block(23, 23, 21, 36)]
    assert project_spans(src, "en", spans, tgt, "fr", blocks) == []
    crossings = [Block(0, 13, 21, 36), Block(14, 23, 0, 20)]
    got = {(p.label, p.text) for p in project_spans(src, "en", spans, tgt, "fr", blocks, crossings=crossings)}
    assert got == {("PERSON", "Geoana"), ("ORG", "OTAN")}
