"""The sentence aligner: blocks cover both texts in order, anchors put sentences with
the same numbers, dates and names together, on the seeds and on made-up pairs."""

from __future__ import annotations

import pytest

from annotator.core import alignment
from annotator.core.alignment import align_sentences
from annotator.core.anchors import find_anchors
from annotator.core.records import Block
from annotator.core.sentences import split_sentences
from tests.core.test_sentences import seed


def check_blocks(blocks: list[Block], text_a: str, lang_a: str, text_b: str, lang_b: str) -> None:
    """Every sentence of both sides in exactly one block, in order; empty sides sit where
    the previous block ended (or at the next sentence for the first block)."""
    for side, text, lang in (("a", text_a, lang_a), ("b", text_b, lang_b)):
        sents = split_sentences(text, lang)
        ranges = [(getattr(b, f"{side}_start"), getattr(b, f"{side}_end")) for b in blocks]
        used = [s for s in sents if any(lo <= s[0] and s[1] <= hi for lo, hi in ranges if lo < hi)]
        assert used == sents
        assert sum(1 for lo, hi in ranges for s in sents if lo <= s[0] and s[1] <= hi and lo < hi) == len(sents)
        prev = None
        for lo, hi in ranges:
            if lo == hi:
                expected = prev if prev is not None else next((s[0] for s in sents), 0)
                assert lo == expected
            else:
                assert prev is None or lo >= prev
                assert (lo, hi) == (min(s[0] for s in sents if lo <= s[0] < hi), max(s[1] for s in sents
                                                                                    if lo < s[1] <= hi))
            prev = hi
    assert all(b.a_start < b.a_end or b.b_start < b.b_end for b in blocks)


def block_with(blocks: list[Block], text_a: str, needle_a: str) -> Block:
    pos = text_a.index(needle_a)
    return next(b for b in blocks if b.a_start <= pos < b.a_end)


@pytest.mark.parametrize("pa,pb", [("001", "002"), ("004", "001"), ("004", "002")])
def test_seed_translations_are_aligned_on_their_shared_facts(pa, pb):
    (ta, la), (tb, lb) = seed(pa), seed(pb)
    blocks = align_sentences(ta, la, tb, lb)
    check_blocks(blocks, ta, la, tb, lb)
    facts = {"001": ("4.200 binh sĩ", "Phó Tổng thư ký Geoana nhấn mạnh", "Đại sứ Lajcak thông báo"),
             "002": ("4 200 soldats", "adjointe Geoana a souligné", "L'ambassadeur Lajcak a informé"),
             "004": (None, "Mr. Geoana recalled", "Ambassador Lajcak also briefed")}
    for needle_a, needle_b in zip(facts[pa], facts[pb]):
        if needle_a and needle_b:
            b = block_with(blocks, ta, needle_a)
            assert b.b_start <= tb.index(needle_b) < b.b_end, (needle_a, needle_b)


def test_the_untranslated_boilerplate_of_the_english_page_is_left_alone():
    (ta, la), (tb, lb) = seed("002"), seed("004")
    blocks = align_sentences(ta, la, tb, lb)
    for junk in ("Defense Minister:", "Western analysts warn", "Around 500 Turkish soldiers"):
        b = next(b for b in blocks if b.b_start <= tb.index(junk) < b.b_end)
        # Left without counterpart, or at worst beside the French page's own boilerplate
        # (a short headline and "Comment (0)" look alike by length and punctuation alone).
        assert ta[b.a_start:b.a_end] in ("", "Source", "Comment (0)"), junk


A = ("The fund paid 310 farmers in Tartu last spring. "
     "Another 4,700 workers were hired in Narva. "
     "The port of Pärnu handled 92 ships in May. "
     "Exports to Latvia rose by 18 percent.")
B = ("Le fonds a payé 310 agriculteurs à Tartu. "
     "Le port de Pärnu a reçu 92 navires en mai. "
     "Les exportations vers la Lettonie ont crû de 18 %.")


def test_anchors_decide_which_sentence_the_translation_dropped(monkeypatch):
    # B drops the second sentence; all sentences are about as long, so lengths alone
    # pair the third with B's second and drop the last instead.
    def pairs_right() -> bool:
        blocks = align_sentences(A, "en", B, "fr")
        check_blocks(blocks, A, "en", B, "fr")
        return all(B.index(y) in range(b.b_start, b.b_end)
                   for x, y in (("The port", "Le port"), ("Exports", "Les exportations"))
                   for b in [block_with(blocks, A, x)])

    assert pairs_right()
    monkeypatch.setattr(alignment, "ANCHOR_BONUS", 0.0)
    assert not pairs_right()


def test_identical_texts_align_one_to_one_and_empty_sides():
    text, lang = seed("004")
    blocks = align_sentences(text, lang, text, lang)
    assert blocks == [Block(a, b, a, b) for a, b in split_sentences(text, lang)]
    only_a = align_sentences("One. Two.", "en", "", "fr")
    assert only_a == [Block(0, 4, 0, 0), Block(5, 9, 0, 0)]
    assert align_sentences("", "en", "", "fr") == []


def test_given_sentences_are_used_as_they_are():
    text = "NATO met. The EU met."
    blocks = align_sentences(text, "en", text, "en", sents_a=[(0, len(text))], sents_b=[(0, 9), (10, 21)])
    assert blocks == [Block(0, 21, 0, 21)]


def test_anchors_of_the_seeds_fold_digits_dates_and_names():
    bn = {(a.kind, a.key) for a in find_anchors(*seed("000"))}
    assert ("date", "01-09") in bn and ("name", "nato") in bn  # "০৯ জানুয়ারী ২০২৩", "ন্যাটো"
    fr = {(a.kind, a.key) for a in find_anchors(*seed("002"))}
    vi = {(a.kind, a.key) for a in find_anchors(*seed("001"))}
    en = {(a.kind, a.key) for a in find_anchors(*seed("004"))}
    assert {("number", "4200"), ("number", "4000"), ("date", "06-14"), ("name", "nato")} <= fr & vi
    assert {("number", "4000"), ("date", "06-13"), ("name", "geoana"), ("name", "eu")} <= fr & en
    assert ("name", "the") not in en and ("name", "le") not in fr  # sentence openers are not names


def test_vecalign_lines_number_the_app_s_sentences():
    from annotator.core.alignment import vecalign_lines

    a, b = "One. Two. Three.", "Un. Deux et trois. Quatre."
    blocks = [Block(0, 9, 0, 3), Block(10, 16, 4, 18), Block(16, 16, 19, 26)]
    assert vecalign_lines(blocks, a, "en", b, "fr") == ["[0, 1]:[0]", "[2]:[1]", "[]:[2]"]


def test_vecalign_lines_give_a_crossing_link_as_one_out_of_order_pair():
    from annotator.core.alignment import vecalign_lines

    a, b = "One. Two. Three.", "Un. Trois. Deux."
    blocks = [Block(0, 4, 0, 3), Block(5, 9, 4, 4), Block(9, 9, 4, 10), Block(10, 16, 11, 11),
              Block(16, 16, 11, 16)]
    assert vecalign_lines(blocks, a, "en", b, "fr") == ["[0]:[0]", "[1]:[]", "[]:[1]", "[2]:[]", "[]:[2]"]
    crossings = [Block(5, 9, 11, 16), Block(10, 16, 4, 10)]
    assert vecalign_lines(blocks, a, "en", b, "fr", crossings) == ["[0]:[0]", "[1]:[2]", "[2]:[1]"]


def test_a_line_with_nothing_to_translate_is_left_out_rather_than_pulled_into_a_neighbour():
    # OCR debris and rows of dots (the Bleualign document has "....." and "h * \"" on
    # the French side only): no word, no number, so nothing says where it belongs. Gale &
    # Church's priors make 1-2 cheaper than 1-1 plus 1-0, so it used to join a neighbour.
    a = "Der Hund schläft im Garten.\nDie Katze trinkt im Haus ihre Milch."
    b = "Le chien dort dans le jardin.\n.....\nLe chat boit son lait dans la maison."
    for method in ("length", "embeddings"):
        blocks = align_sentences(a, "de", b, "fr", method=method)
        check_blocks(blocks, a, "de", b, "fr")
        dots = b.index(".....")
        assert Block(a.index("\n"), a.index("\n"), dots, dots + 5) in blocks
        assert Block(0, a.index("\n"), 0, b.index("\n")) in blocks


def test_the_debris_under_a_caption_is_left_out_on_its_own():
    # Text+Berg's French: a photo caption without a full stop, then OCR debris ("f r")
    # starting in lower case, which the split used to join to the caption as a
    # hard-wrapped line, so the two were paired or left out together; the gold leaves
    # the debris out on its own.
    a = "Der Hund schläft im Garten.\nDie Katze trinkt im Haus ihre Milch."
    b = "Le chien dort dans le jardin.\nLhotsé ( 8501 m ) , arête nord\nf r\nLe chat boit son lait dans la maison."
    for method in ("length", "embeddings"):
        blocks = align_sentences(a, "de", b, "fr", method=method)
        check_blocks(blocks, a, "de", b, "fr")
        debris = [x for x in blocks if b[x.b_start:x.b_end] == "f r"]
        assert len(debris) == 1 and debris[0].a_start == debris[0].a_end
