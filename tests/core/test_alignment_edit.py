"""Alignment edits: merge, split and untranslated keep every sentence in exactly one block,
in text order on both sides, and splitting then merging gives back the original ranges."""

from __future__ import annotations

import pytest

from annotator.core import alignment_edit as edit
from annotator.core.errors import AnnotatorError
from annotator.core.records import Block

EN = "NATO met the EU. Lajcak briefed the Council. Tensions rose. KFOR has 4,000 soldiers."
FR = "L’OTAN a rencontré l’UE le 14\u00a0juin. Lajcak a informé le Conseil. La KFOR compte 4\u00a0200 soldats."
BN = "ন্যাটো রাস্তার বাধা দূর করে। ক্ষমতা বাড়ে।"


def sentences(text: str, ends: str = ".।") -> list[tuple[int, int]]:
    out, start = [], 0
    for i, ch in enumerate(text):
        if ch in ends:
            out.append((start, i + 1))
            start = i + 2
    return out


SA, SB = sentences(EN), sentences(FR)


def one_to_one() -> list[Block]:
    """en 0, 1 | fr 0, 1; en 2 (untranslated) ; en 3 | fr 2"""
    (a0, a1, a2, a3), (b0, b1, b2) = SA, SB
    return [Block(*a0, *b0), Block(*a1, *b1), Block(a2[0], a2[1], b1[1], b1[1]), Block(*a3, *b2)]


def covered(blocks, side, sents):
    """Sentences per block, as texts, on one side."""
    text = EN if side == "a" else FR
    return [[text[s:e] for s, e in edit.units(*edit.side_range(b, side), sents)] for b in blocks]


def test_merge_joins_two_blocks_and_split_restores_them_exactly():
    blocks = one_to_one()
    merged = edit.merge(blocks, 0)
    assert len(merged) == 3
    assert merged[0] == Block(SA[0][0], SA[1][1], SB[0][0], SB[1][1])
    assert covered(merged, "b", SB)[0] == ["L’OTAN a rencontré l’UE le 14\u00a0juin.", "Lajcak a informé le Conseil."]
    assert edit.split(merged, 0, 1, 1, SA, SB) == blocks


def test_merging_with_an_untranslated_block_keeps_the_other_side_unchanged():
    blocks = one_to_one()
    merged = edit.merge(blocks, 1)  # en 1 + en 2 | fr 1
    assert merged[1] == Block(SA[1][0], SA[2][1], SB[1][0], SB[1][1])
    merged = edit.merge(blocks, 2)  # en 2 + en 3 | fr 2: the empty side takes the other's range
    assert merged[2] == Block(SA[2][0], SA[3][1], SB[2][0], SB[2][1])


def test_merge_past_the_last_block_is_refused():
    with pytest.raises(AnnotatorError, match="no next block"):
        edit.merge(one_to_one(), 3)


def test_split_refuses_a_cut_that_leaves_a_block_without_sentences():
    merged = edit.merge(one_to_one(), 0)
    with pytest.raises(AnnotatorError):
        edit.split(merged, 0, 0, 0, SA, SB)
    with pytest.raises(AnnotatorError):
        edit.split(merged, 0, 2, 2, SA, SB)


def test_split_may_leave_one_side_empty():
    merged = edit.merge(one_to_one(), 0)
    parts = edit.split(merged, 0, 1, 0, SA, SB)[:2]
    assert parts == [Block(SA[0][0], SA[0][1], SB[0][0], SB[0][0]), Block(SA[1][0], SA[1][1], SB[0][0], SB[1][1])]


def test_proportional_picks_the_boundary_with_the_nearest_share_of_characters():
    whole = Block(SA[0][0], SA[3][1], SB[0][0], SB[2][1])
    # English sentences end at 19 %, 52 %, 70 % of the block; French ones at 37 %, 68 %.
    assert edit.proportional(whole, 1, SA, SB) == 1  # 19 % is nearer 37 % than 0 %
    assert edit.proportional(whole, 2, SA, SB) == 1  # 52 %: 37 % (15 points) beats 68 % (16)
    assert edit.proportional(whole, 3, SA, SB) == 2
    assert edit.proportional(whole, 0, SA, SB) == 0
    assert edit.proportional(whole, 4, SA, SB) == 3


def test_untranslated_sentence_in_the_middle_gets_its_own_block():
    whole = [Block(SA[0][0], SA[3][1], SB[0][0], SB[2][1])]
    blocks = edit.untranslated(whole, 0, 2, SA, SB)  # "Tensions rose." has no French
    assert covered(blocks, "a", SA) == [[EN[s:e] for s, e in SA[:2]], ["Tensions rose."],
                                        ["KFOR has 4,000 soldiers."]]
    assert [b.b_start == b.b_end for b in blocks] == [False, True, False]
    # Every French sentence is still in exactly one block, in order.
    assert [u for part in covered(blocks, "b", SB) for u in part] == [FR[s:e] for s, e in SB]


def test_untranslated_only_sentence_splits_the_block_into_one_to_zero_and_zero_to_one():
    blocks = edit.untranslated(one_to_one(), 0, 0, SA, SB)
    assert blocks[:2] == [Block(SA[0][0], SA[0][1], SB[0][0], SB[0][0]), Block(SA[0][1], SA[0][1], *SB[0])]
    with pytest.raises(AnnotatorError, match="already"):
        edit.untranslated(blocks, 0, 0, SA, SB)


def test_units_keep_bengali_sentences_whole_and_the_block_edges():
    sents = sentences(BN)
    assert [BN[s:e] for s, e in edit.units(0, len(BN), sents)] == ["ন্যাটো রাস্তার বাধা দূর করে।", "ক্ষমতা বাড়ে।"]
    # A stored block that starts in the space before a sentence keeps its own edges.
    assert edit.units(0, len(BN), [(1, 10)]) == [(0, len(BN))]


def test_block_at_finds_the_block_of_a_position_and_skips_empty_sides():
    blocks = one_to_one()
    assert edit.block_at(blocks, "a", EN.index("Tensions")) == 2
    assert edit.block_at(blocks, "b", FR.index("La KFOR")) == 3
    assert edit.block_at(blocks, "a", SA[0][1]) == 0  # the space after a sentence
    assert edit.unit_at(edit.merge(blocks, 0)[0], "b", FR.index("Lajcak"), SB) == 1


def test_cross_takes_both_sentences_out_of_order_and_keeps_the_blocks_around_them():
    """en "KFOR…" (block 3) translates fr "Lajcak…" (block 1) in this made-up order: both
    become untranslated in their places, the other blocks keep their sentences."""
    a3, b1 = SA[3], SB[1]
    new, link = edit.cross(one_to_one(), a3[0] + 2, b1[0] + 3, SA, SB)
    assert link == Block(*a3, *b1)
    assert covered(new, "a", SA) == [["NATO met the EU."], [], ["Lajcak briefed the Council."],
                                     ["Tensions rose."], ["KFOR has 4,000 soldiers."], []]
    assert covered(new, "b", SB) == [["L’OTAN a rencontré l’UE le 14\u00a0juin."], ["Lajcak a informé le Conseil."],
                                     [], [], [], ["La KFOR compte 4\u00a0200 soldats."]]
    assert edit.kept_crossings(new, [link]) == [link]
    # Merging the crossed sentence back into a block ends the crossing link.
    assert edit.kept_crossings(edit.merge(new, 2), [link]) == [link]
    assert edit.kept_crossings(edit.merge(new, 0), [link]) == []
    assert edit.crossing_at([link], "a", a3[0]) == 0 and edit.crossing_at([link], "b", b1[1]) is None


def test_cross_refuses_two_sentences_of_one_block_and_reuses_an_untranslated_one():
    (_a0, a1, a2, _a3), (b0, b1, _b2) = SA, SB
    with pytest.raises(AnnotatorError, match="same block"):
        edit.cross(one_to_one(), a1[0], b1[0], SA, SB)
    # en 2 is already untranslated: it stays as it is, fr 0 leaves its block.
    new, link = edit.cross(one_to_one(), a2[0], b0[0], SA, SB)
    assert link == Block(*a2, *b0)
    assert covered(new, "a", SA)[:3] == [[], ["NATO met the EU."], ["Lajcak briefed the Council."]]
    assert sum(1 for b in new if (b.a_start, b.a_end) == a2) == 1
