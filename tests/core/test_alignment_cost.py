"""The default aligner's parts: Gale-Church's length cost, the length model learned from
confirmed blocks, anchor keys (phonetic names across scripts, punctuation), the moves
of the dynamic programme and its band for long documents."""

from __future__ import annotations

import math
import random
import re

import numpy as np
import pytest

from annotator.core import align_cost as ac
from annotator.core import align_dp
from annotator.core.alignment import LengthModel, align_sentences, estimate_length_model, sentence_index_blocks
from annotator.core.records import Block
from annotator.core.sentences import split_sentences


def test_log_sf_matches_the_normal_tail_and_stays_finite_far_out():
    z = np.array([0.0, 0.5, 1.0, 2.0, 4.0, 7.9])
    want = [math.log(0.5 * math.erfc(x / math.sqrt(2))) for x in z]
    assert np.allclose(ac.log_sf(z), want, rtol=1e-6, atol=1e-9)
    far = ac.log_sf(np.array([40.0]))[0]
    assert math.isfinite(far) and far < -790  # log of ~1e-350, which a float cannot hold


def test_length_cost_is_zero_at_the_expected_ratio_and_grows_away_from_it():
    lb = np.array([60.0, 100.0, 120.0, 140.0, 200.0])
    c = ac.length_cost(100.0, lb, 1.2, ac.GC_VARIANCE)
    assert c[2] == pytest.approx(0.0, abs=1e-6)
    assert c[0] > c[1] > c[2] < c[3] < c[4]
    # A smaller variance makes the same mismatch dearer.
    assert ac.length_cost(100.0, lb, 1.2, 2.0)[4] > c[4]


def test_the_length_model_is_learned_from_confirmed_blocks():
    rng = random.Random(7)
    pairs = []
    for _ in range(200):
        la = rng.randint(20, 200)
        pairs.append((la, max(1, round(1.3 * la + rng.gauss(0, math.sqrt(4.0 * la))))))
    model = ac.estimate_length_model(pairs + [(0, 50), (40, 0)])  # empty sides are ignored
    assert model.ratio == pytest.approx(1.3, rel=0.03)
    assert model.variance == pytest.approx(4.0, rel=0.25)
    assert ac.estimate_length_model(pairs[:ac.MIN_CONFIRMED - 1]) == LengthModel()


def test_a_learned_ratio_keeps_an_untranslated_tail_from_skewing_the_alignment():
    # B translates A sentence by sentence (same lengths), then adds a long paragraph of its
    # own. The two texts' own length ratio (about 2) pulls A's sentences into wrong n-m
    # blocks; the ratio learned from a user's confirmed blocks (1) gives 1-1 blocks and
    # leaves the tail alone.
    a = "Aaa bbb ccc. Ddd eee fff ggg hhh iii jjj kkk lll. Mmm nnn. Ooo ppp qqq rrr sss."
    b = "Xaa bbb ccc. Xdd eee fff ggg hhh iii jjj kkk lll. Xmm nnn. Xoo ppp qqq rrr sss. Yyy" + " zzz" * 40 + " end."
    sa, sb = split_sentences(a, "en"), split_sentences(b, "fr")
    assert (len(sa), len(sb)) == (4, 5)
    one_to_one = [(0, 1, 0, 1), (1, 2, 1, 2), (2, 3, 2, 3), (3, 4, 3, 4), (4, 4, 4, 5)]
    assert sentence_index_blocks(a, "en", b, "fr", sa, sb, method="length") != one_to_one
    confirmed = [Block(0, 30, 0, 30), Block(30, 70, 30, 71), Block(70, 80, 71, 80)] * 2
    model = estimate_length_model("x" * 80, "y" * 80, confirmed)
    assert model.ratio == pytest.approx(1.0)
    assert sentence_index_blocks(a, "en", b, "fr", sa, sb, method="length", model=model) == one_to_one


def test_bengali_spellings_of_latin_names_share_a_name_key():
    assert ac.phonetic_key("jiona") == ac.phonetic_key("geoana")  # জিওনা / Geoană
    assert ac.phonetic_key("mirsiya") == ac.phonetic_key("mircea")  # মিরসিয়া / Mircea
    assert ac.phonetic_key("lajcak") == ac.phonetic_key("lajcak")
    assert ac.phonetic_key("geoana") != ac.phonetic_key("escobar")
    bn = "ডেপুটি সেক্রেটারি জেনারেল মিরসিয়া জিওনা সোমবার বৈঠক করেন।"
    en = "Deputy Secretary General Mircea Geoană met on Monday."
    [kb] = ac.sentence_keys(bn, "bn", split_sentences(bn, "bn"))
    [ke] = ac.sentence_keys(en, "en", split_sentences(en, "en"))
    shared = {k for k in kb if k[0] == "name"} & {k for k in ke if k[0] == "name"}
    assert ("name", ac.phonetic_key("geoana")) in shared and ("name", ac.phonetic_key("mircea")) in shared


def test_german_nouns_are_not_name_keys_but_acronyms_and_other_languages_names_are():
    # German capitalises every noun: as names they cost every sentence keys a French
    # translation never keeps. Acronyms stay names; the name Abalakow still meets its
    # French spelling as a cognate.
    de = "Erstersteigung 1933 durch die NATO und Abalakow . Nun begannen die Erkundungen :"
    fr = "Première ascension en 1933 par Abalakow pour l' OTAN ."
    kinds = [{k for k in bag if k[0] == "name"} for bag in ac.sentence_keys(de, "de", split_sentences(de, "de"))]
    assert kinds[0] == {("name", ac.phonetic_key("nato"))} and kinds[1] == set()
    de_keys = ac.sentence_keys(de, "de", split_sentences(de, "de"))[0]
    fr_keys = ac.sentence_keys(fr, "fr", split_sentences(fr, "fr"))[0]
    assert ("cognate", "abal") in de_keys and ("cognate", "abal") in fr_keys
    assert ("name", ac.phonetic_key("abalakow")) in fr_keys  # French: a capitalised word mid-sentence


def test_punctuation_keys_keep_questions_quotes_and_how_a_line_ends():
    assert ac.punctuation_keys("Qui a dit « non » ?") == {("punct", '"'): 2, ("punct", "?"): 1, ("end", "end?"): 1}
    assert ac.punctuation_keys("Related posts") == {("end", "end"): 1}
    assert ac.punctuation_keys("It rose by 18 %.")[("end", "end.")] == 1


def test_a_long_sentence_translated_by_three_short_ones_is_one_1_3_block():
    a = ("The committee met in the capital on a cold morning, heard the reports of all its "
         "regional offices, and approved the budget for next year after a long debate.")
    b = ("Le comité s'est réuni dans la capitale par un matin froid. Il a entendu les rapports "
         "de tous ses bureaux régionaux. Il a approuvé le budget de l'an prochain après un long débat.")
    blocks = align_sentences(a, "en", b, "fr", method="length")
    assert blocks == [Block(0, len(a), 0, len(b))]


def _paragraphs(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [f"Item {i + 1001} " + " ".join("w" * rng.randint(2, 9) for _ in range(rng.randint(3, 30))) + "."
            for i in range(count)]


def test_the_band_finds_the_full_search_s_alignment_even_when_a_long_passage_is_missing(monkeypatch):
    sents = _paragraphs(300, 1)
    a = " ".join(sents)
    b = " ".join(sents[:100] + sents[160:])  # b drops 60 sentences: far outside a 4-wide band
    full = align_sentences(a, "en", b, "en", method="length")
    monkeypatch.setattr(align_dp, "FULL_GRID", 100)
    monkeypatch.setattr(align_dp, "START_WIDTH", 4)
    widths = []
    real = align_dp.bands_for
    monkeypatch.setattr(align_dp, "bands_for", lambda c, m, w, u=None: widths.append(w) or real(c, m, w, u))
    banded = align_sentences(a, "en", b, "en", method="length")
    assert banded == full
    assert widths[0] == 4 and len(widths) > 1  # it had to widen
    # Every target sentence sits in a block with its own source sentence (same item number).
    for blk in banded:
        items_b = set(re.findall(r"Item (\d+)", b[blk.b_start:blk.b_end]))
        assert items_b <= set(re.findall(r"Item (\d+)", a[blk.a_start:blk.a_end]))
    assert sum(blk.b_start == blk.b_end for blk in banded) >= 59  # the dropped passage, left alone


def test_a_band_too_narrow_for_nothing_is_not_widened(monkeypatch):
    a = " ".join(_paragraphs(200, 2))
    monkeypatch.setattr(align_dp, "FULL_GRID", 100)
    widths = []
    real = align_dp.bands_for
    monkeypatch.setattr(align_dp, "bands_for", lambda c, m, w, u=None: widths.append(w) or real(c, m, w, u))
    blocks = align_sentences(a, "en", a, "en", method="length")
    assert set(widths) == {align_dp.START_WIDTH}  # one band per pass, never widened
    assert blocks == [Block(s, e, s, e) for s, e in split_sentences(a, "en")]


def test_progress_is_reported_up_to_the_last_row():
    a = " ".join(_paragraphs(150, 3))
    seen = []
    align_sentences(a, "en", a, "en", method="length", progress=lambda d, t: seen.append((d, t)))
    total = seen[-1][1]
    assert total >= 150 and seen[0] == (0, total) and seen[-1] == (total, total)
    assert all(x[0] <= y[0] for x, y in zip(seen, seen[1:]))


def test_a_sentence_without_a_word_or_a_number_is_contentless():
    text = '..... | h * " | ,r\nm | 24 a ! | 好。 | Ab . | L\' E . | ড.'
    sents = []
    pos = 0
    for part in text.split(" | "):
        sents.append((pos, pos + len(part)))
        pos += len(part) + 3
    assert ac.contentless(text, sents).tolist() == [True, True, True, False, False, False, True, True]
