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
