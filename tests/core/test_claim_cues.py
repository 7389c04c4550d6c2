"""Claim suggestions on the seeds: quotations in each language's marks, reported
statements after reporting verbs, and the claimant beside the verb."""

from __future__ import annotations

import json

import pytest

from annotator.core.claim_cues import cues, quotations, suggest_claims
from annotator.paths import seeds_dir


def seed(lang):
    manifest = json.loads((seeds_dir() / "manifest.json").read_text(encoding="utf-8"))
    entry = next(d for d in manifest["documents"] if d["lang"] == lang)
    return (seeds_dir() / entry["file"]).read_text(encoding="utf-8")


def quoted(text):
    return [text[a:b] for a, b in quotations(text)]


def test_quotation_marks_of_the_seed_languages():
    assert quoted(seed("fr")) == ["continue de faire la différence"]  # « … » with NBSP inside
    assert quoted(seed("vi")) == ["tiếp tục tạo ra sự khác biệt"]  # “ … ”
    en = quoted(seed("en"))
    assert en[0].startswith("The long-standing") and en[0].endswith("make a difference")  # comma left out
    # The third quotation is never closed: it runs to the end of its paragraph.
    assert en[2].startswith("NATO has been committed") and en[2].endswith("this commitment.")
    assert quoted("Il a dit „Das ist ein langer Satz hier“ und ging.") == ["Das ist ein langer Satz hier"]


def test_short_quotations_are_names_not_claims():
    sr = quoted(seed("sr"))
    assert "Partnerstvo za mir" not in sr
    assert any(q.startswith("NATO ostaje posvećen") for q in sr)


@pytest.mark.parametrize("lang, verb", [("en", "said"), ("fr", "a affirmé"), ("vi", "khẳng định"),
                                        ("sr", "naveo"), ("bn", "জানিয়েছেন")])
def test_reporting_verbs_of_each_language(lang, verb):
    text = seed(lang)
    assert verb in [text[a:b] for a, b in cues(text, lang)]


def test_claimant_is_the_name_beside_the_verb_and_a_pronoun_falls_back_to_the_last_person():
    text = seed("en")
    g1 = text.index("Mircea Geoană")
    g2 = text.index("Geoană", text.index("said Deputy"))
    spans = [(g1, g1 + len("Mircea Geoană"), "PERSON", "s1"), (g2, g2 + len("Geoană"), "PERSON", "s2")]
    found = suggest_claims(text, "en", spans)
    by_start = {text[s.start:s.start + 17]: s for s in found}
    assert by_start["The long-standing"].claimant == "s2"  # “…,” said … Geoană
    assert text[slice(*by_start["The long-standing"].cue)] == "said"
    assert by_start["NATO Headquarters"].claimant == "s2"  # “…,” he added: the last person named


def test_existing_claims_hide_their_suggestion_and_bengali_reported_speech_is_found():
    text = seed("en")
    first = quotations(text)[0]
    assert all(s.start != first[0] for s in suggest_claims(text, "en", [], existing=[first]))
    bn = seed("bn")
    reported = [s for s in suggest_claims(bn, "bn", []) if s.reason == "reported statement"]
    assert reported and all(s.cue is not None for s in reported)


def gold_spans(doc_prefix):
    """(start, end, label, id) of the gold layer's spans of a seed document."""
    for line in (seeds_dir() / "gold" / "seeds.gold.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if rec["id"].startswith(doc_prefix):
            return rec, [(s["start"], s["end"], s["label"], s["id"]) for s in rec["spans"]]
    raise AssertionError(doc_prefix)


def test_on_the_fully_labelled_english_seed_each_quotation_gets_the_gold_claimant():
    """Every name of the seed labelled: “NATO Headquarters …,” he added is Geoană's (named
    before it), not NATO's opening the next quotation nor the Geoana who recalls after it."""
    rec, spans = gold_spans("004")
    text = seed("en")
    assert rec["text"] == text
    found = {s.start: s.claimant for s in suggest_claims(text, "en", spans)}
    gold = {c["start"]: next(a["span"] for a in c["arguments"] if a["role"] == "claimant") for c in rec["claims"]}
    assert {start: found.get(start) for start in gold} == gold


def test_a_claimant_never_comes_from_a_quotation():
    """With the speaker of the first quotation left unlabelled, the ORG opening the next
    quotation is not offered: the last PERSON named before the claim is."""
    rec, spans = gold_spans("004")
    text = seed("en")
    spans = [s for s in spans if s[3] != "g004-geoana2"]
    quoted = quotations(text)
    by_id = {s[3]: s for s in spans}
    for s in suggest_claims(text, "en", spans):
        if s.claimant is not None:
            start, end, _label, _uid = by_id[s.claimant]
            assert not any(a <= start and end <= b for a, b in quoted), (text[s.start:s.start + 20], s.claimant)
    first = next(s for s in suggest_claims(text, "en", spans) if text.startswith("The long-standing", s.start))
    assert first.claimant == "g004-lajcak2"  # the last PERSON before it; no ORG of a quotation
    # The pronoun speaker of the second: still the last PERSON before it, not "Geoana" after the cue.
    second = next(s for s in suggest_claims(text, "en", spans) if text.startswith("NATO Headquarters", s.start))
    assert second.claimant == "g004-lajcak2"


def test_a_pronoun_speaker_is_the_last_person_before_the_quotation():
    text = "Anna Berg met Carl Dunn. “This is a fairly long quotation indeed,” she said. Carl Dunn left."
    a, c2 = text.index("Anna Berg"), text.rindex("Carl Dunn")
    c1 = text.index("Carl Dunn")
    spans = [(a, a + 9, "PERSON", "anna"), (c1, c1 + 9, "PERSON", "carl1"), (c2, c2 + 9, "PERSON", "carl2")]
    [s] = suggest_claims(text, "en", spans)
    assert s.claimant == "carl1"  # before the quotation, not the name after "said"
    text2 = text.replace("she said", "said the minister Anna Berg")
    b = text2.rindex("Anna Berg")
    spans2 = [(c1, c1 + 9, "PERSON", "carl1"), (b, b + 9, "PERSON", "anna2")]
    [s2] = suggest_claims(text2, "en", spans2)
    assert s2.claimant == "anna2"  # a name beside the verb is the speaker
