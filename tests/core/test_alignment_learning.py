"""Learning from the user: alignments confirmed for a language pair give the length model
of its next suggestions."""

from __future__ import annotations

import random

from annotator.core.alignment import LengthModel, align_sentences, learned_length_model, sentence_indices
from annotator.core.records import Block
from tests.core.learning_data import RATIO, confirmed_pair, pair_with_untranslated


def test_confirmed_alignments_of_a_language_pair_correct_its_next_suggestion():
    right_default = right_learned = found_default = found_learned = 0
    for seed in range(10):
        rng = random.Random(seed)
        model = learned_length_model([confirmed_pair(rng), confirmed_pair(rng)])
        assert abs(model.ratio - RATIO) < 0.3 and model.variance < 2
        ta, sa, tb, sb, gold = pair_with_untranslated(rng)
        default = sentence_indices(align_sentences(ta, "en", tb, "fr", sa, sb), sa, sb)
        learned = sentence_indices(align_sentences(ta, "en", tb, "fr", sa, sb, model=model), sa, sb)
        right_default += default == gold
        right_learned += learned == gold
        found_default += sum(b in gold for b in default)
        found_learned += sum(b in gold for b in learned)
    # The pair's own ratio (the default) is thrown off by the untranslated sentences: it
    # merges them into their neighbours' blocks. The learned ratio leaves them alone.
    assert right_default == 0 and right_learned >= 8
    assert found_learned > found_default


def test_blocks_of_several_alignments_are_pooled_and_too_few_give_the_defaults():
    ta, tb = "aa bb. cc dd.", "x. y."
    few = [(ta, tb, [Block(0, 6, 0, 2), Block(7, 13, 3, 5)])]
    assert learned_length_model(few) == LengthModel() == learned_length_model([])
    many = learned_length_model(few * 3)  # six blocks, each 6 characters against 2
    assert many.ratio == 2 / 6
    empty_sides = [(ta, tb, [Block(0, 6, 0, 0)] * 10)]  # blocks with an empty side teach nothing
    assert learned_length_model(empty_sides) == LengthModel()
